// One optimiser update of every parameter of every model, as
// crate::optimizer does it: SGD with momentum or Adam with the bias
// corrections the host computed for this step. One thread per parameter.

@group(0) @binding(0) var<uniform> layer: Layer;              // sizes
@group(0) @binding(1) var<uniform> step: Step;
@group(0) @binding(2) var<storage, read_write> params: array<f32>;
@group(0) @binding(3) var<storage, read> grads: array<f32>;
@group(0) @binding(4) var<storage, read_write> first: array<f32>;  // momentum or Adam's m
@group(0) @binding(5) var<storage, read_write> second: array<f32>; // Adam's v
@group(0) @binding(6) var<storage, read> models: array<Model>;
@group(0) @binding(7) var<storage, read> corrections: array<vec2<f32>>; // [slot][model]

@compute @workgroup_size(64)
fn main(
    @builtin(workgroup_id) group: vec3<u32>,
    @builtin(local_invocation_index) local: u32,
    @builtin(num_workgroups) groups: vec3<u32>,
) {
    let t = thread_index(group, local, groups);
    if (t >= layer.models * layer.params) {
        return;
    }
    let m = t / layer.params;
    let model = models[m];
    let g = grads[t];
    if (model.optimizer == 0u) {
        let v = model.decay1 * first[t] + g;
        first[t] = v;
        params[t] = params[t] - model.lr * v;
    } else {
        let c = corrections[step.slot * layer.models + m];
        let m1 = model.decay1 * first[t] + (1.0 - model.decay1) * g;
        let m2 = model.decay2 * second[t] + (1.0 - model.decay2) * g * g;
        first[t] = m1;
        second[t] = m2;
        params[t] = params[t] - model.lr * (m1 * c.x) / (sqrt(m2 * c.y) + model.epsilon);
    }
}
