// One dense layer forward: out = act(b + x W). One thread per (model, row, output).

@group(0) @binding(0) var<uniform> layer: Layer;
@group(0) @binding(1) var<storage, read> params: array<f32>;
@group(0) @binding(2) var<storage, read_write> acts: array<f32>;

@compute @workgroup_size(64)
fn main(
    @builtin(workgroup_id) group: vec3<u32>,
    @builtin(local_invocation_index) local: u32,
    @builtin(num_workgroups) groups: vec3<u32>,
) {
    let t = thread_index(group, local, groups);
    if (t >= layer.models * layer.batch * layer.outputs) {
        return;
    }
    let j = t % layer.outputs;
    let row = t / layer.outputs; // model * batch + sample
    let p = (row / layer.batch) * layer.params;
    let x = layer.in_base + row * layer.inputs;
    var sum = params[p + layer.biases + j];
    for (var i = 0u; i < layer.inputs; i++) {
        sum += acts[x + i] * params[p + layer.weights + i * layer.outputs + j];
    }
    var out = sum;
    if (layer.activation == 0u) {
        out = max(sum, 0.0);
    } else if (layer.activation == 1u) {
        out = tanh(sum);
    }
    acts[layer.out_base + row * layer.outputs + j] = out;
}
