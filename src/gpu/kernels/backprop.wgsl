// Carries the deltas back through one layer to the hidden layer before it:
// delta_in = (delta W^T) * act'(x). One thread per (model, row, input).

@group(0) @binding(0) var<uniform> layer: Layer;
@group(0) @binding(1) var<storage, read> params: array<f32>;
@group(0) @binding(2) var<storage, read> acts: array<f32>;
@group(0) @binding(3) var<storage, read_write> deltas: array<f32>;

@compute @workgroup_size(64)
fn main(
    @builtin(workgroup_id) group: vec3<u32>,
    @builtin(local_invocation_index) local: u32,
    @builtin(num_workgroups) groups: vec3<u32>,
) {
    let t = thread_index(group, local, groups);
    if (t >= layer.models * layer.batch * layer.inputs) {
        return;
    }
    let i = t % layer.inputs;
    let row = t / layer.inputs;
    let p = (row / layer.batch) * layer.params + layer.weights + i * layer.outputs;
    let delta = layer.out_base + row * layer.outputs;
    var d = 0.0;
    for (var j = 0u; j < layer.outputs; j++) {
        d += deltas[delta + j] * params[p + j];
    }
    let a = acts[layer.in_base + row * layer.inputs + i];
    if (layer.hidden == 0u) {
        d = select(0.0, d, a > 0.0);
    } else {
        d = d * (1.0 - a * a);
    }
    deltas[layer.in_base + row * layer.inputs + i] = d;
}
