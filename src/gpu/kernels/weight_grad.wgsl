// One layer's parameter gradients: dW = x^T delta and db = sum of delta over
// the batch. One thread per (model, input or bias, output).

@group(0) @binding(0) var<uniform> layer: Layer;
@group(0) @binding(1) var<storage, read> acts: array<f32>;
@group(0) @binding(2) var<storage, read> deltas: array<f32>;
@group(0) @binding(3) var<storage, read_write> grads: array<f32>;

@compute @workgroup_size(64)
fn main(
    @builtin(workgroup_id) group: vec3<u32>,
    @builtin(local_invocation_index) local: u32,
    @builtin(num_workgroups) groups: vec3<u32>,
) {
    let t = thread_index(group, local, groups);
    let rows_per_model = layer.inputs + 1u; // the inputs, then the bias
    if (t >= layer.models * rows_per_model * layer.outputs) {
        return;
    }
    let j = t % layer.outputs;
    let i = (t / layer.outputs) % rows_per_model;
    let m = t / (layer.outputs * rows_per_model);
    let first_row = m * layer.batch;
    var g = 0.0;
    if (i == layer.inputs) {
        for (var b = 0u; b < layer.batch; b++) {
            g += deltas[layer.out_base + (first_row + b) * layer.outputs + j];
        }
        grads[m * layer.params + layer.biases + j] = g;
    } else {
        for (var b = 0u; b < layer.batch; b++) {
            let row = first_row + b;
            g += acts[layer.in_base + row * layer.inputs + i]
                * deltas[layer.out_base + row * layer.outputs + j];
        }
        grads[m * layer.params + layer.weights + i * layer.outputs + j] = g;
    }
}
