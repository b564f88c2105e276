// Shared by every kernel (prepended to each file when the module is built).
//
// Every model's numbers lie in one buffer per kind, model after model. The
// activations buffer holds, for every model and batch row, the batch's inputs
// (2 wide) then each layer's outputs; the deltas buffer has the same layout.

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

// Which step of the chunk this dispatch belongs to (a dynamic offset picks it).
struct Step {
    slot: u32,
    _pad0: u32,
    _pad1: u32,
    _pad2: u32,
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

const WORKGROUP: u32 = 64u;

// Dispatches are 2-D when one dimension would pass 65,535 workgroups.
fn thread_index(group: vec3<u32>, local: u32, groups: vec3<u32>) -> u32 {
    return (group.y * groups.x + group.x) * WORKGROUP + local;
}
