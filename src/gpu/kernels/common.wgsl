// The structs the host writes (prepended to the kernel when the module is
// built; src/gpu/layout.rs and src/gpu/trainer.rs mirror them).
//
// Every model's numbers lie model after model. The activations hold, for
// every model and batch row, the batch's inputs (2 wide) then each layer's
// outputs; the deltas have the same layout.

// One layer of every model, and the sizes every kernel needs.
struct Layer {
    models: u32,     // models trained together
    batch: u32,      // samples per step
    inputs: u32,     // this layer's inputs
    outputs: u32,    // this layer's outputs
    params: u32,     // parameters per model
    weights: u32,    // where W (inputs x outputs, row-major) starts in a model's parameters
    biases: u32,     // where b starts
    in_base: u32,    // where this layer's inputs start in the activations buffer
    out_base: u32,   // where its outputs start
    activation: u32, // of this layer's outputs: 0 relu, 1 tanh, 2 none (the logits)
    hidden: u32,     // of the hidden layers: 0 relu, 1 tanh
    _pad: u32,
}

// One model's loss and optimiser.
struct Model {
    loss: u32,      // 0 softmax, 1 sigmoid, 2 focal
    optimizer: u32, // 0 SGD with momentum, 1 Adam
    gamma: f32,     // focal's gamma
    lr: f32,        // learning rate
    decay1: f32,    // SGD's momentum or Adam's beta1
    decay2: f32,    // Adam's beta2
    epsilon: f32,   // Adam's epsilon
    _pad: u32,
}

// The sizes of everything, and where each region starts in the buffers
// that hold several.
struct Sizes {
    models: u32,        // models trained together, one workgroup each
    batch: u32,         // samples per step
    params: u32,        // parameters per model
    layers: u32,        // dense layers (hidden layers + the output layer)
    steps: u32,         // steps in this chunk
    first_moment: u32,  // state: momentum or Adam's m
    second_moment: u32, // state: Adam's v
    grads: u32,         // state: the gradients
    deltas: u32,        // work: d loss / d each layer's output
    sample_loss: u32,   // work: each row's weighted loss
    _unused: u32,
    step_loss: u32,     // work: each step's loss, [step][model]
    corrections: u32,   // chunk: Adam's bias corrections (f32 bits), [step][model][2]
    _pad0: u32,
    _pad1: u32,
    _pad2: u32,
}

// Which step of the chunk a dispatch runs (a dynamic offset picks it).
struct Step {
    slot: u32,
    _pad0: u32,
    _pad1: u32,
    _pad2: u32,
}

// The most dense layers (3 hidden + the output).
const MAX_LAYERS: u32 = 4u;
