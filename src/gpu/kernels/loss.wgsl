// Each sample's weighted loss and d loss / d logits, as crate::losses and
// crate::trainer::weighted_loss_grad compute them: w_y / B times softmax
// cross-entropy, or one-vs-all sigmoid, or sigmoid focal with the stable
// modulator exp(-gamma * softplus(z_t)). One thread per (model, row).

@group(0) @binding(0) var<uniform> layer: Layer;                 // the output layer
@group(0) @binding(1) var<storage, read> acts: array<f32>;       // the logits
@group(0) @binding(2) var<storage, read_write> deltas: array<f32>;
@group(0) @binding(3) var<storage, read> batch_labels: array<u32>;
@group(0) @binding(4) var<storage, read> models: array<Model>;
@group(0) @binding(5) var<storage, read> class_weights: array<f32>; // [model][class]
@group(0) @binding(6) var<storage, read_write> sample_loss: array<f32>; // [model][row]

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

@compute @workgroup_size(64)
fn main(
    @builtin(workgroup_id) group: vec3<u32>,
    @builtin(local_invocation_index) local: u32,
    @builtin(num_workgroups) groups: vec3<u32>,
) {
    let row = thread_index(group, local, groups);
    if (row >= layer.models * layer.batch) {
        return;
    }
    let classes = layer.outputs;
    let m = row / layer.batch;
    let z = layer.out_base + row * classes;
    let y = batch_labels[row];
    let w = class_weights[m * classes + y] * (1.0 / f32(layer.batch));
    let model = models[m];
    var value = 0.0;
    if (model.loss == 0u) {
        var top = acts[z];
        for (var j = 1u; j < classes; j++) {
            top = max(top, acts[z + j]);
        }
        var sum = 0.0;
        for (var j = 0u; j < classes; j++) {
            let e = exp(acts[z + j] - top);
            deltas[z + j] = e;
            sum += e;
        }
        for (var j = 0u; j < classes; j++) {
            var p = deltas[z + j] / sum;
            if (j == y) {
                p -= 1.0;
            }
            deltas[z + j] = p * w;
        }
        value = top + log(sum) - acts[z + y];
    } else {
        var gamma = 0.0;
        if (model.loss == 2u) {
            gamma = model.gamma;
        }
        for (var j = 0u; j < classes; j++) {
            let positive = j == y;
            let z_t = select(-acts[z + j], acts[z + j], positive);
            let term = focal_term(z_t, gamma);
            value += term.x;
            deltas[z + j] = select(-term.y, term.y, positive) * w;
        }
    }
    sample_loss[row] = w * value;
}
