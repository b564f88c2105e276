// One training step of every model: one workgroup per model runs the step of
// its own model, with barriers between the phases (a chunk of steps is a
// dispatch per step in one compute pass; a dynamic offset picks the step).
// Each phase is the CPU trainer's (crate::trainer, crate::mlp, crate::losses,
// crate::optimizer) with the same order of summation:
//   gather the batch -> forward each layer -> weighted loss and d loss/d logits
//   -> per layer, from the last: parameter gradients and the deltas before it
//   -> SGD with momentum or Adam.
// A fused kernel because these models are small: a dispatch per phase costs
// more than the phase (a step would be 11 dispatches). Several steps in one
// dispatch went wrong on lavapipe from the 16th step on, so each step is its
// own dispatch, and every dispatch boundary orders all memory.

@group(0) @binding(0) var<uniform> sizes: Sizes;
@group(0) @binding(1) var<uniform> layers: array<Layer, MAX_LAYERS>;
// Parameters [model][param], then first moment, second moment, gradients.
@group(0) @binding(2) var<storage, read_write> state: array<f32>;
// Activations, deltas, sample losses, batch labels, step losses.
@group(0) @binding(3) var<storage, read_write> work: array<f32>;
@group(0) @binding(4) var<storage, read> points: array<vec2<f32>>;
@group(0) @binding(5) var<storage, read> labels: array<u32>;
// Batch indices [step][model][row], then Adam's corrections.
@group(0) @binding(6) var<storage, read> chunk: array<u32>;
@group(0) @binding(7) var<storage, read> models: array<Model>;
@group(0) @binding(8) var<storage, read> class_weights: array<f32>; // [model][class]
@group(0) @binding(9) var<uniform> step: Step; // which step of the chunk

const WORKGROUP: u32 = 64u;

// (storageBarrier is a control barrier too: every invocation of the workgroup
// waits there, and their storage writes before it are seen after it.)

fn softplus(x: f32) -> f32 {
    return max(x, 0.0) + log(1.0 + exp(-abs(x)));
}

fn sigmoid(x: f32) -> f32 {
    if (x >= 0.0) {
        return 1.0 / (1.0 + exp(-x));
    }
    let e = exp(x);
    return e / (1.0 + e);
}

// (value, d value / d z_t) of one focal term; gamma = 0 is binary cross-entropy.
fn focal_term(z_t: f32, gamma: f32) -> vec2<f32> {
    let bce = softplus(-z_t);
    let d_bce = -sigmoid(-z_t);
    if (gamma == 0.0) {
        return vec2<f32>(bce, d_bce);
    }
    let modulator = exp(-gamma * softplus(z_t));
    let d_modulator = -gamma * sigmoid(z_t) * modulator;
    return vec2<f32>(modulator * bce, d_modulator * bce + modulator * d_bce);
}

// Row `row`'s weighted loss, its label being `y`; writes its d loss / d logits.
fn sample_loss(m: u32, row: u32, y: u32, out: Layer) -> f32 {
    let classes = out.outputs;
    let z = out.out_base + row * classes;
    let d = sizes.deltas + z;
    let w = class_weights[m * classes + y] * (1.0 / f32(sizes.batch));
    let model = models[m];
    var value = 0.0;
    if (model.loss == 0u) {
        var top = work[z];
        for (var j = 1u; j < classes; j++) {
            top = max(top, work[z + j]);
        }
        var sum = 0.0;
        for (var j = 0u; j < classes; j++) {
            let e = exp(work[z + j] - top);
            work[d + j] = e;
            sum += e;
        }
        for (var j = 0u; j < classes; j++) {
            var p = work[d + j] / sum;
            if (j == y) {
                p -= 1.0;
            }
            work[d + j] = p * w;
        }
        value = top + log(sum) - work[z + y];
    } else {
        var gamma = 0.0;
        if (model.loss == 2u) {
            gamma = model.gamma;
        }
        for (var j = 0u; j < classes; j++) {
            let positive = j == y;
            let z_t = select(-work[z + j], work[z + j], positive);
            let term = focal_term(z_t, gamma);
            value += term.x;
            work[d + j] = select(-term.y, term.y, positive) * w;
        }
    }
    return w * value;
}

@compute @workgroup_size(64)
fn main(
    @builtin(workgroup_id) group: vec3<u32>,
    @builtin(local_invocation_index) local: u32,
    @builtin(num_workgroups) groups: vec3<u32>,
) {
    let m = group.y * groups.x + group.x;
    if (m >= sizes.models) {
        return;
    }
    let s = step.slot;
    {
        let batch = sizes.batch;
        let first_row = m * batch;
        let p0 = m * sizes.params;
        let model = models[m];
        let out = layers[sizes.layers - 1u];
        // The batch, by the host's indices.
        for (var b = local; b < batch; b += WORKGROUP) {
            let row = first_row + b;
            let sample = chunk[(s * sizes.models + m) * batch + b];
            let x = points[sample];
            work[row * 2u] = x.x;
            work[row * 2u + 1u] = x.y;
        }
        storageBarrier();

        // Forward: out = act(b + x W), layer by layer.
        for (var l = 0u; l < sizes.layers; l++) {
            let layer = layers[l];
            for (var t = local; t < batch * layer.outputs; t += WORKGROUP) {
                let j = t % layer.outputs;
                let row = first_row + t / layer.outputs;
                let x = layer.in_base + row * layer.inputs;
                let w = p0 + layer.weights + j;
                var sum = state[p0 + layer.biases + j];
                for (var i = 0u; i < layer.inputs; i++) {
                    sum += work[x + i] * state[w + i * layer.outputs];
                }
                var a = sum;
                if (layer.activation == 0u) {
                    a = max(sum, 0.0);
                } else if (layer.activation == 1u) {
                    a = tanh(sum);
                }
                work[layer.out_base + row * layer.outputs + j] = a;
            }
            storageBarrier();
        }

        // The loss and d loss / d logits, row by row; then the step's loss.
        for (var b = local; b < batch; b += WORKGROUP) {
            let y = labels[chunk[(s * sizes.models + m) * batch + b]];
            work[sizes.sample_loss + first_row + b] = sample_loss(m, first_row + b, y, out);
        }
        storageBarrier();
        if (local == 0u) {
            var total = 0.0;
            for (var b = 0u; b < batch; b++) {
                total += work[sizes.sample_loss + first_row + b];
            }
            work[sizes.step_loss + s * sizes.models + m] = total;
        }

        // Backward, from the last layer: dW = x^T delta, db = sum of delta, and
        // the previous hidden layer's delta = (delta W^T) * act'(x).
        for (var k = 0u; k < sizes.layers; k++) {
            let l = sizes.layers - 1u - k;
            let layer = layers[l];
            let rows_per_model = layer.inputs + 1u;
            for (var t = local; t < rows_per_model * layer.outputs; t += WORKGROUP) {
                let j = t % layer.outputs;
                let i = t / layer.outputs;
                let delta = sizes.deltas + layer.out_base + first_row * layer.outputs + j;
                var g = 0.0;
                if (i == layer.inputs) {
                    for (var b = 0u; b < batch; b++) {
                        g += work[delta + b * layer.outputs];
                    }
                    state[sizes.grads + p0 + layer.biases + j] = g;
                } else {
                    let x = layer.in_base + first_row * layer.inputs + i;
                    for (var b = 0u; b < batch; b++) {
                        g += work[x + b * layer.inputs] * work[delta + b * layer.outputs];
                    }
                    state[sizes.grads + p0 + layer.weights + i * layer.outputs + j] = g;
                }
            }
            if (l > 0u) {
                for (var t = local; t < batch * layer.inputs; t += WORKGROUP) {
                    let i = t % layer.inputs;
                    let row = first_row + t / layer.inputs;
                    let delta = sizes.deltas + layer.out_base + row * layer.outputs;
                    let w = p0 + layer.weights + i * layer.outputs;
                    var d = 0.0;
                    for (var j = 0u; j < layer.outputs; j++) {
                        d += work[delta + j] * state[w + j];
                    }
                    let a = work[layer.in_base + row * layer.inputs + i];
                    if (layer.hidden == 0u) {
                        d = select(0.0, d, a > 0.0);
                    } else {
                        d = d * (1.0 - a * a);
                    }
                    work[sizes.deltas + layer.in_base + row * layer.inputs + i] = d;
                }
            }
            storageBarrier();
        }

        // The optimiser, with the host's bias corrections for this step.
        let c = sizes.corrections + 2u * (s * sizes.models + m);
        let c1 = bitcast<f32>(chunk[c]);
        let c2 = bitcast<f32>(chunk[c + 1u]);
        for (var t = local; t < sizes.params; t += WORKGROUP) {
            let p = p0 + t;
            let g = state[sizes.grads + p];
            if (model.optimizer == 0u) {
                let v = model.decay1 * state[sizes.first_moment + p] + g;
                state[sizes.first_moment + p] = v;
                state[p] = state[p] - model.lr * v;
            } else {
                let m1 = model.decay1 * state[sizes.first_moment + p] + (1.0 - model.decay1) * g;
                let m2 = model.decay2 * state[sizes.second_moment + p] + (1.0 - model.decay2) * g * g;
                state[sizes.first_moment + p] = m1;
                state[sizes.second_moment + p] = m2;
                state[p] = state[p] - model.lr * (m1 * c1) / (sqrt(m2 * c2) + model.epsilon);
            }
        }
        storageBarrier();
    }
}
