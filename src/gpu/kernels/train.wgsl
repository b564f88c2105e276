// One training step of every model, as a chain of dispatches in one compute
// pass (each dispatch sees the writes of the ones before it):
//   gather the batch -> forward, layer by layer -> weighted loss and
//   d loss / d logits -> per layer, from the last: parameter gradients and
//   the deltas before it -> SGD with momentum or Adam (and the step's loss).
// Models with cosine logits (LDAM's) add three: the norms before the last
// layer's forward pass, and the norms' share of its two gradients.
// Each kernel is the CPU trainer's math (crate::train::trainer, crate::train::mlp,
// crate::balance::losses, crate::train::optimizer), summing in the same order but where it
// adds 4 terms at once (the loss's sums, the input gradients), and covers
// every model: an invocation per tile of 8 rows x 8 outputs, so each dispatch
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
// The training samples, each padded to the input layer's in4 vec4s.
@group(0) @binding(5) var<storage, read> samples: array<vec4<f32>>;
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

// The sample that batch row `row` (of every model's rows) draws; callers
// leave out pad rows.
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
    // The input layer's width: the features, then zeros (a pad row: all zeros).
    let in4 = layers[0].in4;
    let real = row % sizes.rows < sizes.batch;
    var start = 0u;
    if (real) {
        start = sample_of(row) * in4;
    }
    for (var k = 0u; k < in4; k++) {
        var x = vec4<f32>(0.0);
        if (real) {
            x = samples[start + k];
        }
        acts[in4 * row + k] = x;
    }
}

// Invocation t's tile of ROW_TILE rows by 8 of `width4` vec4s: its first
// row (of every model's rows), its first vec4 column, where its model's
// parameters start, and whether it is a tile at all (the last workgroup may
// run past them).
struct RowTile {
    row: u32,
    column: u32,
    params: u32,
    inside: bool,
}

fn row_tile(t: u32, width4: u32) -> RowTile {
    let pairs = width4 / 2u;
    let row = (t / pairs) * ROW_TILE;
    return RowTile(row, 2u * (t % pairs), (row / sizes.rows) * sizes.params, row < sizes.models * sizes.rows);
}

// Eight rows of a tile, as two vec4 columns each.
struct Tile {
    r0: array<vec4<f32>, 2>,
    r1: array<vec4<f32>, 2>,
    r2: array<vec4<f32>, 2>,
    r3: array<vec4<f32>, 2>,
    r4: array<vec4<f32>, 2>,
    r5: array<vec4<f32>, 2>,
    r6: array<vec4<f32>, 2>,
    r7: array<vec4<f32>, 2>,
}

// s + a.x w[0] + a.y w[1] + a.z w[2] + a.w w[3], added left to right as the
// CPU does, for two vec4 columns of W.
fn add_row(s: array<vec4<f32>, 2>, a: vec4<f32>, w: array<vec4<f32>, 8>) -> array<vec4<f32>, 2> {
    return array<vec4<f32>, 2>(
        (((s[0] + a.x * w[0]) + a.y * w[2]) + a.z * w[4]) + a.w * w[6],
        (((s[1] + a.x * w[1]) + a.y * w[3]) + a.z * w[5]) + a.w * w[7],
    );
}

fn activate(s: array<vec4<f32>, 2>, activation: u32) -> array<vec4<f32>, 2> {
    if (activation == 0u) {
        return array<vec4<f32>, 2>(max(s[0], vec4<f32>(0.0)), max(s[1], vec4<f32>(0.0)));
    } else if (activation == 1u) {
        return array<vec4<f32>, 2>(tanh(s[0]), tanh(s[1]));
    }
    return s;
}

fn store_pair(at: u32, s: array<vec4<f32>, 2>) {
    acts[at] = s[0];
    acts[at + 1u] = s[1];
}

// Forward through layer `step.layer`: out = act(b + x W), an invocation per
// ROW_TILE rows x 8 outputs of one model.
@compute @workgroup_size(64)
fn forward(
    @builtin(workgroup_id) group: vec3<u32>,
    @builtin(num_workgroups) groups: vec3<u32>,
    @builtin(local_invocation_index) local: u32,
) {
    let layer = layers[step.layer];
    let in4 = layer.in4;
    let out4 = layer.out4;
    let tile = row_tile(invocation(group, groups, local), out4);
    if (!tile.inside) {
        return;
    }
    let j = tile.column;
    let row = tile.row;
    let p0 = tile.params;
    let cosine = step.layer == sizes.layers - 1u && is_cosine(row / sizes.rows);
    var b = array<vec4<f32>, 2>(state[p0 + layer.biases + j], state[p0 + layer.biases + j + 1u]);
    if (cosine) {
        b = array<vec4<f32>, 2>(vec4<f32>(0.0), vec4<f32>(0.0));
    }
    var s = Tile(b, b, b, b, b, b, b, b);
    let x = layer.in_base + row * in4;
    for (var k = 0u; k < in4; k++) {
        // W's rows 4k .. 4k + 3 at these 8 outputs.
        let at = p0 + layer.weights + 4u * k * out4 + j;
        let w = array<vec4<f32>, 8>(
            state[at], state[at + 1u],
            state[at + out4], state[at + out4 + 1u],
            state[at + 2u * out4], state[at + 2u * out4 + 1u],
            state[at + 3u * out4], state[at + 3u * out4 + 1u],
        );
        s.r0 = add_row(s.r0, acts[x + k], w);
        s.r1 = add_row(s.r1, acts[x + in4 + k], w);
        s.r2 = add_row(s.r2, acts[x + 2u * in4 + k], w);
        s.r3 = add_row(s.r3, acts[x + 3u * in4 + k], w);
        s.r4 = add_row(s.r4, acts[x + 4u * in4 + k], w);
        s.r5 = add_row(s.r5, acts[x + 5u * in4 + k], w);
        s.r6 = add_row(s.r6, acts[x + 6u * in4 + k], w);
        s.r7 = add_row(s.r7, acts[x + 7u * in4 + k], w);
    }
    if (cosine) {
        let m = row / sizes.rows;
        let c = array<vec4<f32>, 2>(column_inverse4(m, j), column_inverse4(m, j + 1u));
        s.r0 = cosine_scale(s.r0, row, c);
        s.r1 = cosine_scale(s.r1, row + 1u, c);
        s.r2 = cosine_scale(s.r2, row + 2u, c);
        s.r3 = cosine_scale(s.r3, row + 3u, c);
        s.r4 = cosine_scale(s.r4, row + 4u, c);
        s.r5 = cosine_scale(s.r5, row + 5u, c);
        s.r6 = cosine_scale(s.r6, row + 6u, c);
        s.r7 = cosine_scale(s.r7, row + 7u, c);
    }
    let y = layer.out_base + row * out4 + j;
    let f = layer.activation;
    store_pair(y, activate(s.r0, f));
    store_pair(y + out4, activate(s.r1, f));
    store_pair(y + 2u * out4, activate(s.r2, f));
    store_pair(y + 3u * out4, activate(s.r3, f));
    store_pair(y + 4u * out4, activate(s.r4, f));
    store_pair(y + 5u * out4, activate(s.r5, f));
    store_pair(y + 6u * out4, activate(s.r6, f));
    store_pair(y + 7u * out4, activate(s.r7, f));
}

// The loss's functions on 4 logits at once (crate::balance::losses has them one by one).
fn softplus(x: vec4<f32>) -> vec4<f32> {
    return max(x, vec4<f32>(0.0)) + log(1.0 + exp(-abs(x)));
}

fn sigmoid(x: vec4<f32>) -> vec4<f32> {
    let e = exp(-abs(x));
    return select(e / (1.0 + e), 1.0 / (1.0 + e), x >= vec4<f32>(0.0));
}

// The value and d value / d z_t of focal terms; gamma = 0 is binary
// cross-entropy.
struct Terms {
    value: vec4<f32>,
    slope: vec4<f32>,
}

fn focal_terms(z_t: vec4<f32>, gamma: f32) -> Terms {
    let bce = softplus(-z_t);
    let d_bce = -sigmoid(-z_t);
    if (gamma == 0.0) {
        return Terms(bce, d_bce);
    }
    let modulator = exp(-gamma * softplus(z_t));
    let d_modulator = -gamma * sigmoid(z_t) * modulator;
    return Terms(modulator * bce, d_modulator * bce + modulator * d_bce);
}

// Zero below TINY (the host prepends crate::train::flush::TINY), so that no
// subnormal arises, as in the CPU trainer; second moments: below TINY^2.
fn flush4(x: vec4<f32>) -> vec4<f32> {
    return select(x, vec4<f32>(0.0), abs(x) < vec4<f32>(TINY));
}

fn flush4_square(x: vec4<f32>) -> vec4<f32> {
    return select(x, vec4<f32>(0.0), x < vec4<f32>(TINY * TINY));
}

fn total(v: vec4<f32>) -> f32 {
    return ((v.x + v.y) + v.z) + v.w;
}

// Each row's weighted loss and its d loss / d logits (zeros for a pad row
// and pad classes): one invocation per row, 4 classes at a time.
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
    let out4 = layers[sizes.layers - 1u].out4;
    let z = layers[sizes.layers - 1u].out_base + row * out4;
    let d = sizes.deltas + z;
    if (row % sizes.rows >= sizes.batch) {
        for (var c = 0u; c < out4; c++) {
            acts[d + c] = vec4<f32>(0.0);
        }
        losses[row] = 0.0;
        return;
    }
    let m = row / sizes.rows;
    if (models[m].loss >= 4u) {
        multi_hot_loss(row, m, z, d, out4);
        return;
    }
    let classes = sizes.classes;
    let y = labels[sample_of(row)];
    let w = class_weights[m * classes + y] * (1.0 / f32(sizes.batch));
    let model = models[m];
    let zero = vec4<f32>(0.0);
    var value = 0.0;
    if (model.loss == 0u) {
        // (Pad classes count as class 0, which is always there.)
        var top = acts[z].x;
        for (var c = 0u; c < out4; c++) {
            let j = vec4<u32>(4u * c) + vec4<u32>(0u, 1u, 2u, 3u);
            let v = select(vec4<f32>(top), acts[z + c], j < vec4<u32>(classes));
            top = max(top, max(max(v.x, v.y), max(v.z, v.w)));
        }
        var sums = zero;
        var z_y = 0.0;
        for (var c = 0u; c < out4; c++) {
            let j = vec4<u32>(4u * c) + vec4<u32>(0u, 1u, 2u, 3u);
            let v = acts[z + c];
            sums += select(zero, exp(v - top), j < vec4<u32>(classes));
            z_y += total(select(zero, v, j == vec4<u32>(y)));
        }
        let sum = total(sums);
        for (var c = 0u; c < out4; c++) {
            let j = vec4<u32>(4u * c) + vec4<u32>(0u, 1u, 2u, 3u);
            let p = exp(acts[z + c] - top) / sum - select(zero, vec4<f32>(1.0), j == vec4<u32>(y));
            acts[d + c] = select(zero, flush4(p * w), j < vec4<u32>(classes));
        }
        value = top + log(sum) - z_y;
    } else if (model.loss == 3u) {
        // The adjusted softmax (crate::balance::adjusted_softmax): cross-entropy
        // on u = s (z + offsets - margin_y e_y); the offsets and margins lie
        // after every model's class weights.
        let s = model.scale;
        let offsets = sizes.models * sizes.weights + m * classes;
        let margin = class_weights[sizes.models * (sizes.weights + classes) + m * classes + y];
        var top = -3.0e38;
        var u_y = 0.0;
        for (var c = 0u; c < out4; c++) {
            let v = acts[z + c];
            for (var l = 0u; l < 4u; l++) {
                let j = 4u * c + l;
                if (j < classes) {
                    let u = s * (v[l] + class_weights[offsets + j] - select(0.0, margin, j == y));
                    top = max(top, u);
                    if (j == y) {
                        u_y = u;
                    }
                }
            }
        }
        var sum = 0.0;
        for (var c = 0u; c < out4; c++) {
            let v = acts[z + c];
            for (var l = 0u; l < 4u; l++) {
                let j = 4u * c + l;
                if (j < classes) {
                    sum += exp(s * (v[l] + class_weights[offsets + j] - select(0.0, margin, j == y)) - top);
                }
            }
        }
        for (var c = 0u; c < out4; c++) {
            let v = acts[z + c];
            var g = zero;
            for (var l = 0u; l < 4u; l++) {
                let j = 4u * c + l;
                if (j < classes) {
                    let u = s * (v[l] + class_weights[offsets + j] - select(0.0, margin, j == y));
                    g[l] = s * (exp(u - top) / sum - select(0.0, 1.0, j == y));
                }
            }
            acts[d + c] = flush4(g * w);
        }
        value = top + log(sum) - u_y;
    } else {
        var gamma = 0.0;
        if (model.loss == 2u) {
            gamma = model.gamma;
        }
        var values = zero;
        for (var c = 0u; c < out4; c++) {
            let j = vec4<u32>(4u * c) + vec4<u32>(0u, 1u, 2u, 3u);
            let real = j < vec4<u32>(classes);
            let positive = j == vec4<u32>(y);
            let v = acts[z + c];
            let terms = focal_terms(select(-v, v, positive), gamma);
            values += select(zero, terms.value, real);
            acts[d + c] = select(zero, flush4(select(-terms.slope, terms.slope, positive) * w), real);
        }
        value = total(values);
    }
    losses[row] = w * value;
    if (model.cosine == 1u) {
        // d loss / d (h W), as the CPU's backward pass starts with.
        let a = losses[sizes.row_norms + 2u * row];
        for (var c = 0u; c < out4; c++) {
            acts[d + c] = acts[d + c] * a * column_inverse4(m, c);
        }
    }
}

// Several labels a sample (crate::balance::multi_label): each class's logit
// a binary term, positive where the sample's bits say so, weighted by the
// host's term weights (the core's term_weights of this sample and model,
// times 1/batch), which lie after no other model's: [model][sample][class].
// Loss codes 4 sigmoid, 5 focal, 6 distribution-balanced, 7 asymmetric.
fn multi_hot_loss(row: u32, m: u32, z: u32, d: u32, out4: u32) {
    let model = models[m];
    let i = sample_of(row);
    let classes = sizes.classes;
    let bits = sizes.words * i;
    let weights = m * sizes.weights + i * classes;
    // DB's logit shifts, after every model's term weights.
    let shifts = sizes.models * sizes.weights + m * classes;
    let zero = vec4<f32>(0.0);
    var values = zero;
    for (var c = 0u; c < out4; c++) {
        let j = vec4<u32>(4u * c) + vec4<u32>(0u, 1u, 2u, 3u);
        let real = j < vec4<u32>(classes);
        // Pad classes read the last class's numbers and are then dropped.
        let k = min(j, vec4<u32>(classes - 1u));
        let word = vec4<u32>(
            labels[bits + k.x / 32u], labels[bits + k.y / 32u],
            labels[bits + k.z / 32u], labels[bits + k.w / 32u],
        );
        let positive = ((word >> (k % vec4<u32>(32u))) & vec4<u32>(1u)) == vec4<u32>(1u);
        let w = vec4<f32>(
            class_weights[weights + k.x], class_weights[weights + k.y],
            class_weights[weights + k.z], class_weights[weights + k.w],
        );
        var shift = zero;
        if (model.loss == 6u) {
            shift = vec4<f32>(
                class_weights[shifts + k.x], class_weights[shifts + k.y],
                class_weights[shifts + k.z], class_weights[shifts + k.w],
            );
        }
        let terms = multi_hot_terms(model, acts[z + c], positive, shift);
        values += select(zero, w * terms.value, real);
        acts[d + c] = select(zero, flush4(terms.slope * w), real);
    }
    losses[row] = total(values);
}

// Four classes' terms, unweighted: (value, d value / d z), as the core's
// MultiLabelObjective::term computes them.
fn multi_hot_terms(model: Model, v: vec4<f32>, positive: vec4<bool>, shift: vec4<f32>) -> Terms {
    let sign = select(vec4<f32>(-1.0), vec4<f32>(1.0), positive);
    if (model.loss == 7u) {
        let p = asymmetric_positive(v, model.gamma);
        let n = asymmetric_negative(v, model.gamma_neg, model.clip);
        return Terms(select(n.value, p.value, positive), select(n.slope, p.slope, positive));
    }
    if (model.loss == 6u) {
        // DB: the logit shifted by the class's bias; a negative's logit times
        // lambda and its term over lambda (the gradient's lambdas cancel).
        let s = v + shift;
        let lambda = model.neg_scale;
        let t = focal_terms(select(-s * lambda, s, positive), model.gamma);
        let value = select(model.balance * t.value / lambda, model.balance * t.value, positive);
        return Terms(value, sign * (model.balance * t.slope));
    }
    var gamma = 0.0;
    if (model.loss == 5u) {
        gamma = model.gamma;
    }
    let t = focal_terms(select(-v, v, positive), gamma);
    return Terms(t.value, sign * t.slope);
}

// log(1 + x), accurate for small x (WGSL has no log1p).
fn log1p4(x: vec4<f32>) -> vec4<f32> {
    let u = 1.0 + x;
    return select(log(u) * (x / (u - 1.0)), x, u == vec4<f32>(1.0));
}

// ASL's positive term -(1 - p)^gamma log p, log p = -softplus(-z).
fn asymmetric_positive(z: vec4<f32>, gamma: f32) -> Terms {
    let q = sigmoid(-z);
    let log_p = -softplus(-z);
    if (gamma == 0.0) {
        return Terms(-log_p, -q);
    }
    let p = sigmoid(z);
    let q_gamma = exp(-gamma * softplus(z));
    return Terms(-q_gamma * log_p, gamma * p * q_gamma * log_p - q_gamma * q);
}

// ASL's negative term -p_m^gamma log(1 - p_m), p_m = max(p - m, 0).
fn asymmetric_negative(z: vec4<f32>, gamma: f32, m: f32) -> Terms {
    let p = sigmoid(z);
    let q = sigmoid(-z);
    let zero = vec4<f32>(0.0);
    if (m == 0.0) {
        // -log(1 - p) = softplus(z); p^gamma = exp(-gamma softplus(-z)).
        let sp = softplus(z);
        var p_gamma = vec4<f32>(1.0);
        if (gamma != 0.0) {
            p_gamma = exp(-gamma * softplus(-z));
        }
        return Terms(p_gamma * sp, p_gamma * (gamma * q * sp + p));
    }
    let shifted = p - m;
    let above = shifted > zero;
    // 1 - p_m = q + m; its log, accurate near p = m.
    let log_u = log1p4(m - p);
    let u = q + m;
    let pq = p * q;
    var value = -log_u;
    var slope = pq / u;
    if (gamma != 0.0) {
        // (A lane at or below the margin is dropped below: keep pow's base positive.)
        let base = select(vec4<f32>(1.0), shifted, above);
        let s_gamma = pow(base, vec4<f32>(gamma));
        value = -s_gamma * log_u;
        slope = pq * (s_gamma / u - gamma * pow(base, vec4<f32>(gamma - 1.0)) * log_u);
    }
    return Terms(select(zero, value, above), select(zero, slope, above));
}

// Layer `step.layer`'s gradients: dW = x^T delta, db = the sum of delta over
// the batch. An invocation per 8 inputs x 8 outputs of one model (a last
// row of tiles, i = in4 / 2, gives the biases).
@compute @workgroup_size(64)
fn weight_grads(
    @builtin(workgroup_id) group: vec3<u32>,
    @builtin(num_workgroups) groups: vec3<u32>,
    @builtin(local_invocation_index) local: u32,
) {
    let layer = layers[step.layer];
    let in4 = layer.in4;
    let out4 = layer.out4;
    let in8 = in4 / 2u;
    let out8 = out4 / 2u;
    let t = invocation(group, groups, local);
    if (t >= sizes.models * (in8 + 1u) * out8) {
        return;
    }
    let j = 2u * (t % out8);
    let i8 = (t / out8) % (in8 + 1u);
    let m = t / (out8 * (in8 + 1u));
    let first = m * sizes.rows;
    let g = sizes.grads + m * sizes.params;
    let delta = sizes.deltas + layer.out_base + first * out4 + j;
    if (i8 == in8) {
        var db0 = vec4<f32>(0.0);
        var db1 = vec4<f32>(0.0);
        for (var b = 0u; b < sizes.batch; b++) {
            db0 += acts[delta + b * out4];
            db1 += acts[delta + b * out4 + 1u];
        }
        state[g + layer.biases + j] = db0;
        state[g + layer.biases + j + 1u] = db1;
        return;
    }
    let x = layer.in_base + first * in4 + 2u * i8;
    // Row q of this tile of dW, at outputs j (gq_0) and j + 4 (gq_1).
    var s = Tile();
    for (var b = 0u; b < sizes.batch; b++) {
        let lo = acts[x + b * in4];
        let hi = acts[x + b * in4 + 1u];
        let d0 = acts[delta + b * out4];
        let d1 = acts[delta + b * out4 + 1u];
        s.r0 = array<vec4<f32>, 2>(s.r0[0] + lo.x * d0, s.r0[1] + lo.x * d1);
        s.r1 = array<vec4<f32>, 2>(s.r1[0] + lo.y * d0, s.r1[1] + lo.y * d1);
        s.r2 = array<vec4<f32>, 2>(s.r2[0] + lo.z * d0, s.r2[1] + lo.z * d1);
        s.r3 = array<vec4<f32>, 2>(s.r3[0] + lo.w * d0, s.r3[1] + lo.w * d1);
        s.r4 = array<vec4<f32>, 2>(s.r4[0] + hi.x * d0, s.r4[1] + hi.x * d1);
        s.r5 = array<vec4<f32>, 2>(s.r5[0] + hi.y * d0, s.r5[1] + hi.y * d1);
        s.r6 = array<vec4<f32>, 2>(s.r6[0] + hi.z * d0, s.r6[1] + hi.z * d1);
        s.r7 = array<vec4<f32>, 2>(s.r7[0] + hi.w * d0, s.r7[1] + hi.w * d1);
    }
    let w = g + layer.weights + 8u * i8 * out4 + j;
    store_state(w, s.r0);
    store_state(w + out4, s.r1);
    store_state(w + 2u * out4, s.r2);
    store_state(w + 3u * out4, s.r3);
    store_state(w + 4u * out4, s.r4);
    store_state(w + 5u * out4, s.r5);
    store_state(w + 6u * out4, s.r6);
    store_state(w + 7u * out4, s.r7);
}

fn store_state(at: u32, s: array<vec4<f32>, 2>) {
    state[at] = s[0];
    state[at + 1u] = s[1];
}

// d . W's rows 0..3 and 4..7 of a tile (a row of delta times W^T).
fn add_dots(s: array<vec4<f32>, 2>, d: vec4<f32>, lo: mat4x4<f32>, hi: mat4x4<f32>) -> array<vec4<f32>, 2> {
    return array<vec4<f32>, 2>(s[0] + d * lo, s[1] + d * hi);
}

// d loss / d pre-activation from d loss / d activation `d`, the activation being `a`.
fn derive(d: array<vec4<f32>, 2>, at: u32, hidden: u32) -> array<vec4<f32>, 2> {
    let a0 = acts[at];
    let a1 = acts[at + 1u];
    if (hidden == 0u) {
        return array<vec4<f32>, 2>(
            select(vec4<f32>(0.0), d[0], a0 > vec4<f32>(0.0)),
            select(vec4<f32>(0.0), d[1], a1 > vec4<f32>(0.0)),
        );
    } else if (hidden == 1u) {
        return array<vec4<f32>, 2>(d[0] * (1.0 - a0 * a0), d[1] * (1.0 - a1 * a1));
    }
    return d;
}

// The deltas of layer `step.layer`'s inputs: (delta W^T) * act'(x), an
// invocation per ROW_TILE rows x 8 inputs of one model.
@compute @workgroup_size(64)
fn input_grads(
    @builtin(workgroup_id) group: vec3<u32>,
    @builtin(num_workgroups) groups: vec3<u32>,
    @builtin(local_invocation_index) local: u32,
) {
    let layer = layers[step.layer];
    let in4 = layer.in4;
    let out4 = layer.out4;
    let tile = row_tile(invocation(group, groups, local), in4);
    if (!tile.inside) {
        return;
    }
    let i = tile.column;
    let row = tile.row;
    let p0 = tile.params;
    let delta = sizes.deltas + layer.out_base + row * out4;
    var s = Tile();
    for (var j = 0u; j < out4; j++) {
        // W's rows 4i .. 4i + 7 at outputs 4j .. 4j + 3, as matrix columns.
        let w = p0 + layer.weights + 4u * i * out4 + j;
        let lo = mat4x4<f32>(state[w], state[w + out4], state[w + 2u * out4], state[w + 3u * out4]);
        let hi = mat4x4<f32>(state[w + 4u * out4], state[w + 5u * out4], state[w + 6u * out4], state[w + 7u * out4]);
        s.r0 = add_dots(s.r0, acts[delta + j], lo, hi);
        s.r1 = add_dots(s.r1, acts[delta + out4 + j], lo, hi);
        s.r2 = add_dots(s.r2, acts[delta + 2u * out4 + j], lo, hi);
        s.r3 = add_dots(s.r3, acts[delta + 3u * out4 + j], lo, hi);
        s.r4 = add_dots(s.r4, acts[delta + 4u * out4 + j], lo, hi);
        s.r5 = add_dots(s.r5, acts[delta + 5u * out4 + j], lo, hi);
        s.r6 = add_dots(s.r6, acts[delta + 6u * out4 + j], lo, hi);
        s.r7 = add_dots(s.r7, acts[delta + 7u * out4 + j], lo, hi);
    }
    let x = layer.in_base + row * in4 + i;
    let dx = sizes.deltas + x;
    // 2: no derivative yet (cosine_rows takes the norm's share first).
    var h = layer.hidden;
    if (step.layer == sizes.layers - 1u && is_cosine(row / sizes.rows)) {
        h = 2u;
    }
    store_pair(dx, derive(s.r0, x, h));
    store_pair(dx + in4, derive(s.r1, x + in4, h));
    store_pair(dx + 2u * in4, derive(s.r2, x + 2u * in4, h));
    store_pair(dx + 3u * in4, derive(s.r3, x + 3u * in4, h));
    store_pair(dx + 4u * in4, derive(s.r4, x + 4u * in4, h));
    store_pair(dx + 5u * in4, derive(s.r5, x + 5u * in4, h));
    store_pair(dx + 6u * in4, derive(s.r6, x + 6u * in4, h));
    store_pair(dx + 7u * in4, derive(s.r7, x + 7u * in4, h));
}

// Cosine logits (crate::train::mlp's CosineNorms): z_rj = (h W)_rj / |h_r| / |w_j|
// with no bias, for the models whose `cosine` is 1; the others skip these.

fn is_cosine(m: u32) -> bool {
    return models[m].cosine == 1u;
}

// 1/|w_j| of model m's classes 4c .. 4c + 3.
fn column_inverse4(m: u32, c: u32) -> vec4<f32> {
    let at = sizes.column_norms + 2u * (m * 4u * layers[sizes.layers - 1u].out4 + 4u * c);
    return vec4<f32>(losses[at], losses[at + 2u], losses[at + 4u], losses[at + 6u]);
}

// (s / |h_row|) / |w_j| for a tile row's two vec4 columns.
fn cosine_scale(s: array<vec4<f32>, 2>, row: u32, c: array<vec4<f32>, 2>) -> array<vec4<f32>, 2> {
    let a = losses[sizes.row_norms + 2u * row];
    return array<vec4<f32>, 2>(s[0] * a * c[0], s[1] * a * c[1]);
}

// The CPU's inverse_norm of a sum of squares: 1 / max(|v|, eps), and its
// square, or 0 where the norm was clamped.
fn store_inverse_norm(at: u32, squares: f32) {
    let norm = sqrt(squares);
    let inverse = 1.0 / max(norm, NORM_EPS);
    losses[at] = inverse;
    losses[at + 1u] = select(0.0, inverse * inverse, norm > NORM_EPS);
}

// Before the last layer's forward pass: the norms of each row's features
// (an invocation per row), then of each weight column (one per model and
// padded class), summed one by one in order as the CPU does.
@compute @workgroup_size(64)
fn cosine_norms(
    @builtin(workgroup_id) group: vec3<u32>,
    @builtin(num_workgroups) groups: vec3<u32>,
    @builtin(local_invocation_index) local: u32,
) {
    let layer = layers[step.layer];
    let t = invocation(group, groups, local);
    let rows = sizes.models * sizes.rows;
    if (t < rows) {
        if (!is_cosine(t / sizes.rows)) {
            return;
        }
        var squares = 0.0;
        let x = layer.in_base + t * layer.in4;
        for (var k = 0u; k < layer.in4; k++) {
            let v = acts[x + k];
            squares = squares + v.x * v.x;
            squares = squares + v.y * v.y;
            squares = squares + v.z * v.z;
            squares = squares + v.w * v.w;
        }
        store_inverse_norm(sizes.row_norms + 2u * t, squares);
        return;
    }
    let width = 4u * layer.out4;
    let column = t - rows;
    let m = column / width;
    if (m >= sizes.models || !is_cosine(m)) {
        return;
    }
    let j = column % width;
    let at = m * sizes.params + layer.weights + j / 4u;
    var squares = 0.0;
    for (var i = 0u; i < 4u * layer.in4; i++) {
        let w = state[at + i * layer.out4][j % 4u];
        squares = squares + w * w;
    }
    store_inverse_norm(sizes.column_norms + 2u * column, squares);
}

// After the last layer's weight gradients G = h^T (d loss / d (h W)): each
// column loses its part along w_j, dw_j = G_j - w_j (w_j . G_j) / |w_j|^2,
// and the biases get none. An invocation per model and 4 padded classes
// (one vec4 of each row: no two invocations write the same one).
@compute @workgroup_size(64)
fn cosine_columns(
    @builtin(workgroup_id) group: vec3<u32>,
    @builtin(num_workgroups) groups: vec3<u32>,
    @builtin(local_invocation_index) local: u32,
) {
    let layer = layers[step.layer];
    let out4 = layer.out4;
    let t = invocation(group, groups, local);
    let m = t / out4;
    if (m >= sizes.models || !is_cosine(m)) {
        return;
    }
    let c = t % out4;
    let w = m * sizes.params + layer.weights + c;
    let g = sizes.grads + w;
    var along = vec4<f32>(0.0);
    for (var i = 0u; i < 4u * layer.in4; i++) {
        along = along + state[w + i * out4] * state[g + i * out4];
    }
    let at = sizes.column_norms + 2u * (m * 4u * out4 + 4u * c) + 1u;
    let k = vec4<f32>(losses[at], losses[at + 2u], losses[at + 4u], losses[at + 6u]);
    for (var i = 0u; i < 4u * layer.in4; i++) {
        state[g + i * out4] = state[g + i * out4] - state[w + i * out4] * (k * along);
    }
    state[sizes.grads + m * sizes.params + layer.biases + c] = vec4<f32>(0.0);
}

// After the last layer's input gradients q = (d loss / d (h W)) W^T: each
// row loses its part along h_r, q_r - h_r (h_r . q_r) / |h_r|^2, then meets
// the hidden activation's derivative. An invocation per row.
@compute @workgroup_size(64)
fn cosine_rows(
    @builtin(workgroup_id) group: vec3<u32>,
    @builtin(num_workgroups) groups: vec3<u32>,
    @builtin(local_invocation_index) local: u32,
) {
    let layer = layers[step.layer];
    let row = invocation(group, groups, local);
    if (row >= sizes.models * sizes.rows || !is_cosine(row / sizes.rows)) {
        return;
    }
    let in4 = layer.in4;
    let x = layer.in_base + row * in4;
    let dx = sizes.deltas + x;
    var along = 0.0;
    for (var k = 0u; k < in4; k++) {
        let h = acts[x + k];
        let q = acts[dx + k];
        along = along + h.x * q.x;
        along = along + h.y * q.y;
        along = along + h.z * q.z;
        along = along + h.w * q.w;
    }
    let k2 = losses[sizes.row_norms + 2u * row + 1u];
    for (var k = 0u; k < in4; k += 2u) {
        let q = array<vec4<f32>, 2>(
            acts[dx + k] - acts[x + k] * (k2 * along),
            acts[dx + k + 1u] - acts[x + k + 1u] * (k2 * along),
        );
        store_pair(dx + k, derive(q, x + k, layer.hidden));
    }
}

// The optimiser, with the host's bias corrections for this step: one
// invocation per 8 parameters (a model has an even number of vec4s); the
// first of each model also adds up the step's loss.
@compute @workgroup_size(64)
fn optimize(
    @builtin(workgroup_id) group: vec3<u32>,
    @builtin(num_workgroups) groups: vec3<u32>,
    @builtin(local_invocation_index) local: u32,
) {
    let p = 2u * invocation(group, groups, local);
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
    let c = sizes.corrections + 2u * (s * sizes.models + m);
    let c1 = bitcast<f32>(chunk[c]);
    let c2 = bitcast<f32>(chunk[c + 1u]);
    for (var q = p; q < p + 2u; q++) {
        let g = flush4(state[sizes.grads + q]);
        if (model.optimizer == 0u) {
            let v = flush4(model.decay1 * state[sizes.first_moment + q] + g);
            state[sizes.first_moment + q] = v;
            state[q] = state[q] - model.lr * v;
        } else {
            let m1 = flush4(model.decay1 * state[sizes.first_moment + q] + (1.0 - model.decay1) * g);
            let m2 = flush4_square(model.decay2 * state[sizes.second_moment + q] + (1.0 - model.decay2) * g * g);
            state[sizes.first_moment + q] = m1;
            state[sizes.second_moment + q] = m2;
            state[q] = state[q] - model.lr * (m1 * c1) / (sqrt(m2 * c2) + model.epsilon);
        }
    }
}
