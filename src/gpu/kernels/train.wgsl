// One training step of every model, as a chain of dispatches in one compute
// pass (each dispatch sees the writes of the ones before it):
//   gather the batch -> forward, layer by layer -> weighted loss and
//   d loss / d logits -> per layer, from the last: parameter gradients and
//   the deltas before it -> SGD with momentum or Adam (and the step's loss).
// Each kernel is the CPU trainer's math (crate::trainer, crate::mlp,
// crate::losses, crate::optimizer), summing in the same order, and covers
// every model: an invocation per tile of rows x 4 outputs, so each dispatch
// spreads over all cores, has no barriers and loads whole vec4s, which is
// what CPU emulators of a GPU (SwiftShader, lavapipe) run fast and what a
// real GPU runs in parallel.

@group(0) @binding(0) var<uniform> sizes: Sizes;
@group(0) @binding(1) var<uniform> layers: array<Layer, MAX_LAYERS>;
// Parameters [model][param], then first moment, second moment, gradients.
@group(0) @binding(2) var<storage, read_write> state: array<vec4<f32>>;
// Activations, then deltas.
@group(0) @binding(3) var<storage, read_write> acts: array<vec4<f32>>;
// Each row's weighted loss [model][row], then each step's [step][model].
@group(0) @binding(4) var<storage, read_write> losses: array<f32>;
@group(0) @binding(5) var<storage, read> points: array<vec2<f32>>;
@group(0) @binding(6) var<storage, read> labels: array<u32>;
// Batch indices [step][model][row], then Adam's corrections.
@group(0) @binding(7) var<storage, read> chunk: array<u32>;
@group(0) @binding(8) var<storage, read> models: array<Model>;
@group(0) @binding(9) var<storage, read> class_weights: array<f32>; // [model][class]
@group(0) @binding(10) var<uniform> step: Step;

const WORKGROUP: u32 = 64u;

// This invocation's index in a dispatch of (x, y) workgroups.
fn invocation(group: vec3<u32>, groups: vec3<u32>, local: u32) -> u32 {
    return (group.y * groups.x + group.x) * WORKGROUP + local;
}

// The batch row `row` (of every model's rows) draws, or none for a pad row.
fn sample_of(row: u32) -> u32 {
    let m = row / sizes.rows;
    let b = row % sizes.rows;
    return chunk[(step.slot * sizes.models + m) * sizes.batch + b];
}

// The batch, by the host's indices: one invocation per row.
@compute @workgroup_size(64)
fn gather(
    @builtin(workgroup_id) group: vec3<u32>,
    @builtin(num_workgroups) groups: vec3<u32>,
    @builtin(local_invocation_index) local: u32,
) {
    let row = invocation(group, groups, local);
    if (row >= sizes.models * sizes.rows) {
        return;
    }
    var x = vec4<f32>(0.0);
    if (row % sizes.rows < sizes.batch) {
        x = vec4<f32>(points[sample_of(row)], 0.0, 0.0);
    }
    acts[row] = x;
}

// s + a.x w0 + a.y w1 + a.z w2 + a.w w3, added left to right as the CPU does.
fn add_row(s: vec4<f32>, a: vec4<f32>, w0: vec4<f32>, w1: vec4<f32>, w2: vec4<f32>, w3: vec4<f32>) -> vec4<f32> {
    return (((s + a.x * w0) + a.y * w1) + a.z * w2) + a.w * w3;
}

fn activate(s: vec4<f32>, activation: u32) -> vec4<f32> {
    if (activation == 0u) {
        return max(s, vec4<f32>(0.0));
    } else if (activation == 1u) {
        return tanh(s);
    }
    return s;
}

// Forward through layer `step.layer`: out = act(b + x W), an invocation per
// ROW_TILE rows x 4 outputs of one model.
@compute @workgroup_size(64)
fn forward(
    @builtin(workgroup_id) group: vec3<u32>,
    @builtin(num_workgroups) groups: vec3<u32>,
    @builtin(local_invocation_index) local: u32,
) {
    let layer = layers[step.layer];
    let t = invocation(group, groups, local);
    if (t >= sizes.models * (sizes.rows / ROW_TILE) * layer.out4) {
        return;
    }
    let j = t % layer.out4;
    let row = (t / layer.out4) * ROW_TILE;
    let p0 = (row / sizes.rows) * sizes.params;
    let b = state[p0 + layer.biases + j];
    var s0 = b; var s1 = b; var s2 = b; var s3 = b;
    var s4 = b; var s5 = b; var s6 = b; var s7 = b;
    let in4 = layer.in4;
    let x = layer.in_base + row * in4;
    for (var k = 0u; k < in4; k++) {
        let w = p0 + layer.weights + 4u * k * layer.out4 + j;
        let w0 = state[w];
        let w1 = state[w + layer.out4];
        let w2 = state[w + 2u * layer.out4];
        let w3 = state[w + 3u * layer.out4];
        s0 = add_row(s0, acts[x + k], w0, w1, w2, w3);
        s1 = add_row(s1, acts[x + in4 + k], w0, w1, w2, w3);
        s2 = add_row(s2, acts[x + 2u * in4 + k], w0, w1, w2, w3);
        s3 = add_row(s3, acts[x + 3u * in4 + k], w0, w1, w2, w3);
        s4 = add_row(s4, acts[x + 4u * in4 + k], w0, w1, w2, w3);
        s5 = add_row(s5, acts[x + 5u * in4 + k], w0, w1, w2, w3);
        s6 = add_row(s6, acts[x + 6u * in4 + k], w0, w1, w2, w3);
        s7 = add_row(s7, acts[x + 7u * in4 + k], w0, w1, w2, w3);
    }
    let out4 = layer.out4;
    let y = layer.out_base + row * out4 + j;
    acts[y] = activate(s0, layer.activation);
    acts[y + out4] = activate(s1, layer.activation);
    acts[y + 2u * out4] = activate(s2, layer.activation);
    acts[y + 3u * out4] = activate(s3, layer.activation);
    acts[y + 4u * out4] = activate(s4, layer.activation);
    acts[y + 5u * out4] = activate(s5, layer.activation);
    acts[y + 6u * out4] = activate(s6, layer.activation);
    acts[y + 7u * out4] = activate(s7, layer.activation);
}

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

fn logit(z: u32, j: u32) -> f32 {
    return acts[z + j / 4u][j % 4u];
}

// Each row's weighted loss and its d loss / d logits (zeros for a pad row):
// one invocation per row.
@compute @workgroup_size(64)
fn loss(
    @builtin(workgroup_id) group: vec3<u32>,
    @builtin(num_workgroups) groups: vec3<u32>,
    @builtin(local_invocation_index) local: u32,
) {
    let row = invocation(group, groups, local);
    if (row >= sizes.models * sizes.rows) {
        return;
    }
    let out = layers[sizes.layers - 1u];
    let z = out.out_base + row * out.out4;
    let d = sizes.deltas + z;
    if (row % sizes.rows >= sizes.batch) {
        for (var c = 0u; c < out.out4; c++) {
            acts[d + c] = vec4<f32>(0.0);
        }
        losses[row] = 0.0;
        return;
    }
    let m = row / sizes.rows;
    let classes = sizes.classes;
    let y = labels[sample_of(row)];
    let w = class_weights[m * classes + y] * (1.0 / f32(sizes.batch));
    let model = models[m];
    var value = 0.0;
    if (model.loss == 0u) {
        var top = logit(z, 0u);
        for (var j = 1u; j < classes; j++) {
            top = max(top, logit(z, j));
        }
        var sum = 0.0;
        for (var j = 0u; j < classes; j++) {
            sum += exp(logit(z, j) - top);
        }
        for (var c = 0u; c < out.out4; c++) {
            var g = vec4<f32>(0.0);
            for (var q = 0u; q < 4u; q++) {
                let j = 4u * c + q;
                if (j < classes) {
                    var p = exp(logit(z, j) - top) / sum;
                    if (j == y) {
                        p -= 1.0;
                    }
                    g[q] = p * w;
                }
            }
            acts[d + c] = g;
        }
        value = top + log(sum) - logit(z, y);
    } else {
        var gamma = 0.0;
        if (model.loss == 2u) {
            gamma = model.gamma;
        }
        for (var c = 0u; c < out.out4; c++) {
            var g = vec4<f32>(0.0);
            for (var q = 0u; q < 4u; q++) {
                let j = 4u * c + q;
                if (j < classes) {
                    let positive = j == y;
                    let z_t = select(-logit(z, j), logit(z, j), positive);
                    let term = focal_term(z_t, gamma);
                    value += term.x;
                    g[q] = select(-term.y, term.y, positive) * w;
                }
            }
            acts[d + c] = g;
        }
    }
    losses[row] = w * value;
}

// Layer `step.layer`'s gradients: dW = x^T delta, db = the sum of delta over
// the batch. An invocation per 4 inputs x 4 outputs of one model (a last
// row of tiles, i4 = in4, gives the biases).
@compute @workgroup_size(64)
fn weight_grads(
    @builtin(workgroup_id) group: vec3<u32>,
    @builtin(num_workgroups) groups: vec3<u32>,
    @builtin(local_invocation_index) local: u32,
) {
    let layer = layers[step.layer];
    let in4 = layer.in4;
    let out4 = layer.out4;
    let t = invocation(group, groups, local);
    if (t >= sizes.models * (in4 + 1u) * out4) {
        return;
    }
    let j = t % out4;
    let i4 = (t / out4) % (in4 + 1u);
    let m = t / (out4 * (in4 + 1u));
    let first = m * sizes.rows;
    let g = sizes.grads + m * sizes.params;
    let delta = sizes.deltas + layer.out_base + first * out4 + j;
    if (i4 == in4) {
        var db = vec4<f32>(0.0);
        for (var b = 0u; b < sizes.batch; b++) {
            db += acts[delta + b * out4];
        }
        state[g + layer.biases + j] = db;
        return;
    }
    let x = layer.in_base + first * in4 + i4;
    var g0 = vec4<f32>(0.0);
    var g1 = vec4<f32>(0.0);
    var g2 = vec4<f32>(0.0);
    var g3 = vec4<f32>(0.0);
    for (var b = 0u; b < sizes.batch; b++) {
        let a = acts[x + b * in4];
        let d = acts[delta + b * out4];
        g0 += a.x * d;
        g1 += a.y * d;
        g2 += a.z * d;
        g3 += a.w * d;
    }
    let w = g + layer.weights + 4u * i4 * out4 + j;
    state[w] = g0;
    state[w + out4] = g1;
    state[w + 2u * out4] = g2;
    state[w + 3u * out4] = g3;
}

// The deltas of layer `step.layer`'s inputs: (delta W^T) * act'(x), an
// invocation per ROW_TILE rows x 4 inputs of one model.
@compute @workgroup_size(64)
fn input_grads(
    @builtin(workgroup_id) group: vec3<u32>,
    @builtin(num_workgroups) groups: vec3<u32>,
    @builtin(local_invocation_index) local: u32,
) {
    let layer = layers[step.layer];
    let in4 = layer.in4;
    let out4 = layer.out4;
    let t = invocation(group, groups, local);
    if (t >= sizes.models * (sizes.rows / ROW_TILE) * in4) {
        return;
    }
    let i4 = t % in4;
    let row = (t / in4) * ROW_TILE;
    let p0 = (row / sizes.rows) * sizes.params;
    let delta = sizes.deltas + layer.out_base + row * out4;
    var s0 = vec4<f32>(0.0); var s1 = vec4<f32>(0.0);
    var s2 = vec4<f32>(0.0); var s3 = vec4<f32>(0.0);
    var s4 = vec4<f32>(0.0); var s5 = vec4<f32>(0.0);
    var s6 = vec4<f32>(0.0); var s7 = vec4<f32>(0.0);
    for (var j = 0u; j < out4; j++) {
        // W's rows for these 4 inputs at outputs j as columns: d * w_t is
        // (d . row 0, ..., d . row 3).
        let w = p0 + layer.weights + 4u * i4 * out4 + j;
        let w_t = mat4x4<f32>(state[w], state[w + out4], state[w + 2u * out4], state[w + 3u * out4]);
        s0 += acts[delta + j] * w_t;
        s1 += acts[delta + out4 + j] * w_t;
        s2 += acts[delta + 2u * out4 + j] * w_t;
        s3 += acts[delta + 3u * out4 + j] * w_t;
        s4 += acts[delta + 4u * out4 + j] * w_t;
        s5 += acts[delta + 5u * out4 + j] * w_t;
        s6 += acts[delta + 6u * out4 + j] * w_t;
        s7 += acts[delta + 7u * out4 + j] * w_t;
    }
    let x = layer.in_base + row * in4 + i4;
    let dx = sizes.deltas + x;
    acts[dx] = derive(s0, acts[x], layer.hidden);
    acts[dx + in4] = derive(s1, acts[x + in4], layer.hidden);
    acts[dx + 2u * in4] = derive(s2, acts[x + 2u * in4], layer.hidden);
    acts[dx + 3u * in4] = derive(s3, acts[x + 3u * in4], layer.hidden);
    acts[dx + 4u * in4] = derive(s4, acts[x + 4u * in4], layer.hidden);
    acts[dx + 5u * in4] = derive(s5, acts[x + 5u * in4], layer.hidden);
    acts[dx + 6u * in4] = derive(s6, acts[x + 6u * in4], layer.hidden);
    acts[dx + 7u * in4] = derive(s7, acts[x + 7u * in4], layer.hidden);
}

// d loss / d pre-activation from d loss / d activation `d`, the activation being `a`.
fn derive(d: vec4<f32>, a: vec4<f32>, hidden: u32) -> vec4<f32> {
    if (hidden == 0u) {
        return select(vec4<f32>(0.0), d, a > vec4<f32>(0.0));
    }
    return d * (1.0 - a * a);
}

// The optimiser, with the host's bias corrections for this step: one
// invocation per 4 parameters; the first of each model also adds up the
// step's loss.
@compute @workgroup_size(64)
fn optimize(
    @builtin(workgroup_id) group: vec3<u32>,
    @builtin(num_workgroups) groups: vec3<u32>,
    @builtin(local_invocation_index) local: u32,
) {
    let p = invocation(group, groups, local);
    if (p >= sizes.models * sizes.params) {
        return;
    }
    let m = p / sizes.params;
    let s = step.slot;
    if (p % sizes.params == 0u) {
        var total = 0.0;
        for (var b = 0u; b < sizes.batch; b++) {
            total += losses[m * sizes.rows + b];
        }
        losses[sizes.step_loss + s * sizes.models + m] = total;
    }
    let model = models[m];
    let g = state[sizes.grads + p];
    if (model.optimizer == 0u) {
        let v = model.decay1 * state[sizes.first_moment + p] + g;
        state[sizes.first_moment + p] = v;
        state[p] = state[p] - model.lr * v;
    } else {
        let c = sizes.corrections + 2u * (s * sizes.models + m);
        let c1 = bitcast<f32>(chunk[c]);
        let c2 = bitcast<f32>(chunk[c + 1u]);
        let m1 = model.decay1 * state[sizes.first_moment + p] + (1.0 - model.decay1) * g;
        let m2 = model.decay2 * state[sizes.second_moment + p] + (1.0 - model.decay2) * g * g;
        state[sizes.first_moment + p] = m1;
        state[sizes.second_moment + p] = m2;
        state[p] = state[p] - model.lr * (m1 * c1) / (sqrt(m2 * c2) + model.epsilon);
    }
}
