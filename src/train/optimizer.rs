//! Optimisers over a flat parameter vector: SGD with momentum and Adam.

use serde::{Deserialize, Serialize};

use crate::train::flush::{flush, flush_square};
use crate::train::mlp::Scalar;

/// Which optimiser, with its constants.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
// Externally tagged (serde's default): the worker's messages are postcard,
// which cannot read an internally tagged enum.
#[serde(rename_all = "lowercase")]
pub enum OptimizerKind {
    /// v = momentum * v + g; p -= lr * v.
    Sgd {
        /// The momentum coefficient (0 is plain SGD).
        momentum: f64,
    },
    /// Adam (Kingma and Ba 2015) with bias correction.
    Adam {
        /// Decay of the first moment.
        beta1: f64,
        /// Decay of the second moment.
        beta2: f64,
        /// Added to the root of the second moment.
        epsilon: f64,
    },
}

impl OptimizerKind {
    /// SGD with momentum 0.9.
    pub const SGD: OptimizerKind = OptimizerKind::Sgd { momentum: 0.9 };
    /// Adam with its usual constants.
    pub const ADAM: OptimizerKind = OptimizerKind::Adam {
        beta1: 0.9,
        beta2: 0.999,
        epsilon: 1e-8,
    };

    /// `sgd` or `adam`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Sgd { .. } => "sgd",
            Self::Adam { .. } => "adam",
        }
    }
}

/// An optimiser's state for one parameter vector.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Optimizer<F> {
    kind: OptimizerKind,
    /// Momentum, or Adam's first moment.
    first: Vec<F>,
    /// Adam's second moment (empty for SGD).
    second: Vec<F>,
    /// Updates done so far.
    steps: u32,
}

impl<F: Scalar> Optimizer<F> {
    /// Fresh state for `len` parameters.
    pub fn new(kind: OptimizerKind, len: usize) -> Self {
        let second = match kind {
            OptimizerKind::Adam { .. } => vec![F::zero(); len],
            OptimizerKind::Sgd { .. } => Vec::new(),
        };
        Self {
            kind,
            first: vec![F::zero(); len],
            second,
            steps: 0,
        }
    }

    /// State carried over from elsewhere (the GPU trainer): the moments
    /// (`second` empty for SGD) after `steps` updates.
    pub fn from_moments(kind: OptimizerKind, first: Vec<F>, second: Vec<F>, steps: u32) -> Self {
        Self {
            kind,
            first,
            second,
            steps,
        }
    }

    /// The optimiser and its constants.
    pub fn kind(&self) -> OptimizerKind {
        self.kind
    }

    /// Updates done so far.
    pub fn steps(&self) -> u32 {
        self.steps
    }

    /// The moments: momentum or Adam's first moment, and Adam's second
    /// (empty for SGD).
    pub fn moments(&self) -> (&[F], &[F]) {
        (&self.first, &self.second)
    }

    /// One update of `params` from `grad` with learning rate `lr`. Gradients
    /// and moments too small to move a parameter are zero, so that no
    /// subnormal number arises (see [`crate::train::flush`]).
    pub fn update(&mut self, params: &mut [F], grad: &[F], lr: F) {
        self.steps += 1;
        let c = |x: f64| F::from(x).expect("optimiser constants fit every float");
        match self.kind {
            OptimizerKind::Sgd { momentum } => {
                let mu = c(momentum);
                for ((p, v), &g) in params.iter_mut().zip(&mut self.first).zip(grad) {
                    *v = flush(mu * *v + flush(g));
                    *p = *p - lr * *v;
                }
            }
            OptimizerKind::Adam {
                beta1,
                beta2,
                epsilon,
            } => {
                let t = self.steps as i32;
                let (b1, b2, eps) = (c(beta1), c(beta2), c(epsilon));
                let one = F::one();
                // Bias corrections of the two moments (the textbook form, as optax and PyTorch).
                let (c1, c2) = (one / (one - b1.powi(t)), one / (one - b2.powi(t)));
                for (((p, m), v), &g) in params
                    .iter_mut()
                    .zip(&mut self.first)
                    .zip(&mut self.second)
                    .zip(grad)
                {
                    let g = flush(g);
                    *m = flush(b1 * *m + (one - b1) * g);
                    *v = flush_square(b2 * *v + (one - b2) * g * g);
                    *p = *p - lr * (*m * c1) / ((*v * c2).sqrt() + eps);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sgd_with_momentum() {
        let mut opt = Optimizer::<f64>::new(OptimizerKind::Sgd { momentum: 0.5 }, 1);
        let mut p = [1.0];
        opt.update(&mut p, &[2.0], 0.1);
        assert!((p[0] - 0.8).abs() < 1e-15);
        opt.update(&mut p, &[2.0], 0.1);
        // v = 0.5 * 2 + 2 = 3.
        assert!((p[0] - 0.5).abs() < 1e-15);
    }

    #[test]
    fn adam_first_step_moves_by_lr() {
        let mut opt = Optimizer::<f64>::new(OptimizerKind::ADAM, 2);
        let mut p = [0.0, 0.0];
        opt.update(&mut p, &[3.0, -0.01], 0.01);
        assert!((p[0] + 0.01).abs() < 1e-9 && (p[1] - 0.01).abs() < 1e-6);
        assert_eq!(opt.steps(), 1);
    }

    #[test]
    fn both_minimise_a_quadratic() {
        for kind in [OptimizerKind::SGD, OptimizerKind::ADAM] {
            let mut opt = Optimizer::<f32>::new(kind, 2);
            let mut p = [3.0f32, -2.0];
            for _ in 0..2000 {
                let g = [2.0 * p[0], 8.0 * p[1]];
                opt.update(&mut p, &g, 0.01);
            }
            assert!(p[0].abs() < 1e-2 && p[1].abs() < 1e-2, "{kind:?}: {p:?}");
        }
    }
}
