//! What the host writes for the kernels besides the data: each model's loss
//! and optimiser (`struct Model` in common.wgsl), Adam's bias corrections
//! for each step, and the class weights buffer, which holds every model's
//! weights (ones before deferred re-weighting starts), then the adjusted
//! softmaxes' logit offsets, then their margins; with several labels a
//! sample, every model's weight of each term of each training sample, then
//! DB's logit shifts ([`multi_hot_targets`] packs the targets).

use bytemuck::Zeroable;

use crate::balance::adjusted_softmax::AdjustedSoftmax;
use crate::balance::losses::Loss;
use crate::balance::multi_label::MultiLabelLoss;
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
    gamma_neg: f32,
    clip: f32,
    neg_scale: f32,
    balance: f32,
}

impl ModelInfo {
    pub(super) fn new(config: &TrainConfig, loss: &TrainLoss) -> Self {
        let (loss, scale) = match loss {
            TrainLoss::Paper(Loss::Softmax) => (0, 1.0),
            TrainLoss::Paper(Loss::Sigmoid) => (1, 1.0),
            TrainLoss::Paper(Loss::Focal { .. }) => (2, 1.0),
            TrainLoss::Adjusted(adjusted) => (3, adjusted.scale),
        };
        Self {
            loss,
            gamma: config.gamma as f32,
            scale: scale as f32,
            cosine: config.cosine_logits().into(),
            ..Self::optimizer(config.optimizer, config.learning_rate)
        }
    }

    /// A model of C sigmoid outputs on multi-hot targets.
    pub(super) fn multi_label(
        loss: MultiLabelLoss,
        optimizer: OptimizerKind,
        learning_rate: f64,
    ) -> Self {
        let base = Self::optimizer(optimizer, learning_rate);
        match loss {
            MultiLabelLoss::Sigmoid => Self { loss: 4, ..base },
            MultiLabelLoss::Focal { gamma } => Self {
                loss: 5,
                gamma: gamma as f32,
                ..base
            },
            MultiLabelLoss::DistributionBalanced(p) => Self {
                loss: 6,
                gamma: p.gamma as f32,
                neg_scale: p.neg_scale as f32,
                balance: p.balance as f32,
                ..base
            },
            MultiLabelLoss::Asymmetric(p) => Self {
                loss: 7,
                gamma: p.gamma_pos as f32,
                gamma_neg: p.gamma_neg as f32,
                clip: p.clip as f32,
                ..base
            },
        }
    }

    /// The optimiser's part; the loss's is zeros (plain softmax).
    fn optimizer(kind: OptimizerKind, learning_rate: f64) -> Self {
        let (optimizer, decay1, decay2, epsilon) = match kind {
            OptimizerKind::Sgd { momentum } => (0, momentum, 0.0, 0.0),
            OptimizerKind::Adam {
                beta1,
                beta2,
                epsilon,
            } => (1, beta1, beta2, epsilon),
        };
        Self {
            optimizer,
            lr: learning_rate as f32,
            decay1: decay1 as f32,
            decay2: decay2 as f32,
            epsilon: epsilon as f32,
            ..Self::zeroed()
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

/// Each sample's classes as bits, `words` u32s a sample (class c: bit c % 32
/// of word c / 32), and `words`.
pub(super) fn multi_hot_targets(sets: &[Vec<usize>], classes: usize) -> (Vec<u32>, usize) {
    let words = classes.div_ceil(32).max(1);
    let mut bits = vec![0u32; sets.len() * words];
    for (row, set) in bits.chunks_exact_mut(words).zip(sets) {
        for &c in set {
            row[c / 32] |= 1 << (c % 32);
        }
    }
    (bits, words)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_pack_as_bits_word_by_word() {
        let (bits, words) = multi_hot_targets(&[vec![0, 33], vec![], vec![31, 32, 69]], 70);
        assert_eq!(words, 3);
        assert_eq!(bits, [1, 2, 0, 0, 0, 0, 1 << 31, 1, 1 << 5]);
    }
}
