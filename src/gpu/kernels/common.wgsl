// The structs the host writes (prepended to the kernels when the module is
// built; src/gpu/layout.rs and src/gpu/trainer.rs mirror them).
//
// Every model's numbers lie model after model, in vec4s: widths are padded
// to a multiple of 8 and each model's batch to a multiple of ROW_TILE rows
// (pad parameters are zeros; pad rows get no loss and zero deltas). The
// activations hold, for every model and row, the
// batch's inputs then each layer's outputs; the deltas, after them, have the
// same layout.

// One layer of every model; sizes and places in vec4s.
struct Layer {
    in4: u32,        // inputs (even)
    out4: u32,       // outputs (even)
    weights: u32,    // where W (4 in4 rows of out4) starts in a model's parameters
    biases: u32,     // where b starts
    in_base: u32,    // where this layer's inputs start in the activations
    out_base: u32,   // where its outputs start
    activation: u32, // of this layer's outputs: 0 relu, 1 tanh, 2 none (the logits)
    hidden: u32,     // of the hidden layers: 0 relu, 1 tanh
}

// One model's loss and optimiser.
struct Model {
    // One label a sample: 0 softmax, 1 sigmoid, 2 focal, 3 adjusted softmax;
    // several (multi-hot targets): 4 sigmoid, 5 focal, 6 distribution-balanced,
    // 7 asymmetric.
    loss: u32,
    optimizer: u32, // 0 SGD with momentum, 1 Adam
    gamma: f32,     // focal's and DB's gamma, ASL's gamma+
    lr: f32,        // learning rate
    decay1: f32,    // SGD's momentum or Adam's beta1
    decay2: f32,    // Adam's beta2
    epsilon: f32,   // Adam's epsilon
    scale: f32,     // the adjusted softmax's logit scale
    cosine: u32,    // 1: the last layer gives cosine logits (LDAM's), no bias
    gamma_neg: f32, // ASL's gamma-
    clip: f32,      // ASL's probability margin m
    neg_scale: f32, // DB's lambda
    balance: f32,   // DB's balance factor
}

// The sizes of everything, and where each region starts in the buffers
// that hold several.
struct Sizes {
    models: u32,        // models trained together
    batch: u32,         // samples per step
    rows: u32,          // rows per model in the activations (the batch, padded)
    params: u32,        // vec4s of parameters per model
    layers: u32,        // dense layers (hidden layers + the output layer)
    classes: u32,       // the output layer's real width
    first_moment: u32,  // state: momentum or Adam's m
    second_moment: u32, // state: Adam's v
    grads: u32,         // state: the gradients
    deltas: u32,        // activations: d loss / d each layer's output
    step_loss: u32,     // losses: each step's loss, [step][model] (after each row's)
    corrections: u32,   // chunk: Adam's bias corrections (f32 bits), [step][model][2]
    row_norms: u32,     // losses: cosine logits' 1/|h_r| and its square, [model][row][2]
    column_norms: u32,  // losses: 1/|w_j| and its square, [model][padded class][2]
    weights: u32,       // class_weights: a model's weights (a class's, or a term's of every sample)
    words: u32,         // labels: u32s of class bits a sample (0: one class index a sample)
}

// Which step of the chunk, and which layer, a dispatch works on (a dynamic
// offset picks it).
struct Step {
    slot: u32,
    layer: u32,
    _pad0: u32,
    _pad1: u32,
}

// The most dense layers (3 hidden + the output).
const MAX_LAYERS: u32 = 4u;
// Rows per invocation of the forward and input-gradient kernels.
const ROW_TILE: u32 = 8u;
