// Each model's batch loss for this step: the sum of its samples' weighted
// losses (already divided by B). One thread per model.

@group(0) @binding(0) var<uniform> layer: Layer;
@group(0) @binding(1) var<uniform> step: Step;
@group(0) @binding(2) var<storage, read> sample_loss: array<f32>;   // [model][row]
@group(0) @binding(3) var<storage, read_write> step_loss: array<f32>; // [slot][model]

@compute @workgroup_size(64)
fn main(
    @builtin(workgroup_id) group: vec3<u32>,
    @builtin(local_invocation_index) local: u32,
    @builtin(num_workgroups) groups: vec3<u32>,
) {
    let m = thread_index(group, local, groups);
    if (m >= layer.models) {
        return;
    }
    var sum = 0.0;
    for (var b = 0u; b < layer.batch; b++) {
        sum += sample_loss[m * layer.batch + b];
    }
    step_loss[step.slot * layer.models + m] = sum;
}
