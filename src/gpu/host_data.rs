//! What the host writes for the kernels besides the data: each model's loss
//! and optimiser (`struct Model` in common.wgsl), Adam's bias corrections
//! for each step, and the class weights buffer, which holds every model's
//! weights (ones before deferred re-weighting starts), then the adjusted
//! softmaxes' logit offsets, then their margins.

use crate::balance::adjusted_softmax::AdjustedSoftmax;
use crate::balance::losses::Loss;
use crate::train::config::{TrainConfig, TrainLoss};
use crate::train::optimizer::OptimizerKind;

/// One model's loss and optimiser (`struct Model` in common.wgsl).
#[repr(C)]
#[derive(Clone, Copy, Debug, bytemuck::Pod, bytemuck::Zeroable)]
pub(super) struct ModelInfo {
    loss: u32,
    optimizer: u32,
    gamma: f32,
    lr: f32,
    decay1: f32,
    decay2: f32,
    epsilon: f32,
    scale: f32,
    cosine: u32,
}

impl ModelInfo {
    pub(super) fn new(config: &TrainConfig, loss: &TrainLoss) -> Self {
        let (loss, scale) = match loss {
            TrainLoss::Paper(Loss::Softmax) => (0, 1.0),
            TrainLoss::Paper(Loss::Sigmoid) => (1, 1.0),
            TrainLoss::Paper(Loss::Focal { .. }) => (2, 1.0),
            TrainLoss::Adjusted(adjusted) => (3, adjusted.scale),
        };
        let (optimizer, decay1, decay2, epsilon) = match config.optimizer {
            OptimizerKind::Sgd { momentum } => (0, momentum, 0.0, 0.0),
            OptimizerKind::Adam {
                beta1,
                beta2,
                epsilon,
            } => (1, beta1, beta2, epsilon),
        };
        Self {
            loss,
            optimizer,
            gamma: config.gamma as f32,
            lr: config.learning_rate as f32,
            decay1: decay1 as f32,
            decay2: decay2 as f32,
            epsilon: epsilon as f32,
            scale: scale as f32,
            cosine: config.cosine_logits().into(),
        }
    }
}

/// Adam's bias corrections 1/(1 - beta1^t) and 1/(1 - beta2^t) in f32, as
/// [`crate::train::optimizer::Optimizer::update`] computes them (unused for SGD).
pub(super) fn adam_corrections(kind: OptimizerKind, t: u32) -> [f32; 2] {
    match kind {
        OptimizerKind::Adam { beta1, beta2, .. } => {
            let t = t as i32;
            [
                1.0 / (1.0 - (beta1 as f32).powi(t)),
                1.0 / (1.0 - (beta2 as f32).powi(t)),
            ]
        }
        OptimizerKind::Sgd { .. } => [1.0, 1.0],
    }
}

/// Every model's class weights, model after model: its own once
/// `reweighted`, all ones before (deferred re-weighting).
pub(super) fn phase_weights(weights: &[Vec<f32>], reweighted: &[bool]) -> Vec<f32> {
    weights
        .iter()
        .zip(reweighted)
        .flat_map(|(w, &on)| w.iter().map(move |&w| if on { w } else { 1.0 }))
        .collect()
}

/// The adjusted softmaxes' logit offsets of every model, then their margins
/// (zeros for the paper's losses).
pub(super) fn adjustments(losses: &[TrainLoss], classes: usize) -> Vec<f32> {
    let part = |pick: fn(&AdjustedSoftmax) -> &[f64]| {
        losses.iter().flat_map(move |l| match l {
            TrainLoss::Adjusted(a) => pick(a).iter().map(|&v| v as f32).collect::<Vec<_>>(),
            TrainLoss::Paper(_) => vec![0.0; classes],
        })
    };
    part(|a| &a.offsets).chain(part(|a| &a.margins)).collect()
}
