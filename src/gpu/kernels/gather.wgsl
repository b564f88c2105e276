// Copies each model's batch (points and labels, by the step's indices) to the
// front of the activations buffer. One thread per (model, batch row).

@group(0) @binding(0) var<uniform> layer: Layer;               // the first layer (sizes)
@group(0) @binding(1) var<uniform> step: Step;                 // the step in the chunk
@group(0) @binding(2) var<storage, read> points: array<vec2<f32>>;
@group(0) @binding(3) var<storage, read> labels: array<u32>;
@group(0) @binding(4) var<storage, read> indices: array<u32>;  // [slot][model][row]
@group(0) @binding(5) var<storage, read_write> acts: array<f32>;
@group(0) @binding(6) var<storage, read_write> batch_labels: array<u32>; // [model][row]

@compute @workgroup_size(64)
fn main(
    @builtin(workgroup_id) group: vec3<u32>,
    @builtin(local_invocation_index) local: u32,
    @builtin(num_workgroups) groups: vec3<u32>,
) {
    let row = thread_index(group, local, groups);
    let rows = layer.models * layer.batch;
    if (row >= rows) {
        return;
    }
    let sample = indices[step.slot * rows + row];
    let x = points[sample];
    acts[row * 2u] = x.x;
    acts[row * 2u + 1u] = x.y;
    batch_labels[row] = labels[sample];
}
