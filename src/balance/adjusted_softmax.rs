//! The losses that came after class-balanced loss and adjust the logits by
//! the class counts instead of weighting the samples (notation: z the logits
//! of a sample, y its class, n_j the training counts, pi_j = n_j / sum n):
//!
//! - logit-adjusted loss (Menon et al., ICLR 2021): CE(z + tau log pi), tau >= 0;
//! - balanced softmax (Ren et al., NeurIPS 2020): CE(z + log n), the same
//!   objective as tau = 1 (log n and log pi differ by a constant, which
//!   softmax ignores);
//! - LDAM (Cao et al., NeurIPS 2019): CE(s (z - Delta_y e_y)), margins
//!   Delta_j proportional to n_j^(-1/4), the largest equal to `max_margin`
//!   (0.5 and s = 30 by default, as in the official code, kaidic/LDAM-DRW);
//! - post-hoc logit adjustment: a prediction rule, argmax_j z_j - tau log pi_j.
//!
//! All are one softmax cross-entropy on u = s (z + o - Delta_y e_y), with
//! per-class offsets o and margins Delta: d loss / d z_j = s (softmax(u)_j - [j == y]).
//! A class with no training sample has no log n or n^(-1/4): it is refused,
//! never turned into an infinity.

use std::fmt;

use num_traits::Float;

use crate::balance::loss_kind::LossKind;
use crate::balance::losses::{LossError, SampleLoss};

/// Defaults of the papers.
pub const DEFAULT_TAU: f64 = 1.0;
/// LDAM's largest margin (CIFAR, in the official code).
pub const DEFAULT_MAX_MARGIN: f64 = 0.5;
/// LDAM's logit scale (with normalised features in the official code).
pub const DEFAULT_SCALE: f64 = 30.0;

/// Why an adjusted softmax cannot be built.
#[derive(Clone, Debug, PartialEq)]
pub enum AdjustError {
    /// Fewer than two classes.
    Classes(usize),
    /// A class has no training sample, so no log n (or n^(-1/4)) exists.
    EmptyClass(usize),
    /// tau must be finite and >= 0.
    Tau(f64),
    /// LDAM's largest margin must be finite and >= 0.
    MaxMargin(f64),
    /// LDAM's scale must be finite and > 0.
    Scale(f64),
}

impl fmt::Display for AdjustError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Classes(c) => write!(f, "an adjusted softmax needs at least 2 classes, got {c}"),
            Self::EmptyClass(j) => write!(
                f,
                "class {j} has no training sample: the logit adjustment needs log n of every class (remove the class or give it a count)"
            ),
            Self::Tau(t) => write!(f, "tau must be a finite number >= 0, got {t}"),
            Self::MaxMargin(m) => write!(
                f,
                "the largest margin must be a finite number >= 0, got {m}"
            ),
            Self::Scale(s) => write!(f, "the scale must be a finite number > 0, got {s}"),
        }
    }
}

impl std::error::Error for AdjustError {}

/// Softmax cross-entropy on s (z + offsets - margins_y e_y).
#[derive(Clone, Debug, PartialEq)]
pub struct AdjustedSoftmax {
    /// Added to every sample's logits, per class.
    pub offsets: Vec<f64>,
    /// Subtracted from the true class's logit, per class.
    pub margins: Vec<f64>,
    /// Multiplies the adjusted logits.
    pub scale: f64,
}

/// The counts, checked: at least two classes, none empty.
fn present(counts: &[u64]) -> Result<(), AdjustError> {
    if counts.len() < 2 {
        return Err(AdjustError::Classes(counts.len()));
    }
    match counts.iter().position(|&n| n == 0) {
        Some(j) => Err(AdjustError::EmptyClass(j)),
        None => Ok(()),
    }
}

/// tau log pi_j for every class (the log priors, scaled).
pub fn log_prior_offsets(counts: &[u64], tau: f64) -> Result<Vec<f64>, AdjustError> {
    if !(tau.is_finite() && tau >= 0.0) {
        return Err(AdjustError::Tau(tau));
    }
    present(counts)?;
    let total: f64 = counts.iter().map(|&n| n as f64).sum();
    Ok(counts
        .iter()
        .map(|&n| tau * (n as f64 / total).ln())
        .collect())
}

impl AdjustedSoftmax {
    /// The logit-adjusted loss: CE(z + tau log pi).
    pub fn logit_adjusted(counts: &[u64], tau: f64) -> Result<Self, AdjustError> {
        let offsets = log_prior_offsets(counts, tau)?;
        Ok(Self {
            margins: vec![0.0; offsets.len()],
            offsets,
            scale: 1.0,
        })
    }

    /// Balanced softmax: CE(z + log n).
    pub fn balanced_softmax(counts: &[u64]) -> Result<Self, AdjustError> {
        present(counts)?;
        Ok(Self {
            offsets: counts.iter().map(|&n| (n as f64).ln()).collect(),
            margins: vec![0.0; counts.len()],
            scale: 1.0,
        })
    }

    /// LDAM: CE(s (z - Delta_y e_y)), Delta_j = max_margin (n_min / n_j)^(1/4).
    pub fn ldam(counts: &[u64], max_margin: f64, scale: f64) -> Result<Self, AdjustError> {
        if !(max_margin.is_finite() && max_margin >= 0.0) {
            return Err(AdjustError::MaxMargin(max_margin));
        }
        if !(scale.is_finite() && scale > 0.0) {
            return Err(AdjustError::Scale(scale));
        }
        present(counts)?;
        // As the official code: n^(-1/4), rescaled so that the largest (the rarest class's) is max_margin.
        let raw: Vec<f64> = counts.iter().map(|&n| (n as f64).powf(-0.25)).collect();
        let largest = raw.iter().copied().fold(0.0, f64::max);
        Ok(Self {
            offsets: vec![0.0; counts.len()],
            margins: raw.iter().map(|m| max_margin * m / largest).collect(),
            scale,
        })
    }

    /// The adjusted softmax that `kind` names, for these counts and
    /// parameters; `None` for the paper's losses, which are not adjusted.
    pub fn for_kind(
        kind: LossKind,
        counts: &[u64],
        tau: f64,
        max_margin: f64,
        scale: f64,
    ) -> Option<Result<Self, AdjustError>> {
        match kind {
            LossKind::LogitAdjusted => Some(Self::logit_adjusted(counts, tau)),
            LossKind::BalancedSoftmax => Some(Self::balanced_softmax(counts)),
            LossKind::Ldam => Some(Self::ldam(counts, max_margin, scale)),
            LossKind::Softmax | LossKind::Sigmoid | LossKind::Focal => None,
        }
    }

    /// Number of classes.
    pub fn classes(&self) -> usize {
        self.offsets.len()
    }

    /// The loss of one sample with logits `z` and label `y`; writes d loss / d z into `grad`.
    pub fn sample<F: Float>(&self, z: &[F], y: usize, grad: &mut [F]) -> F {
        debug_assert_eq!(z.len(), self.classes());
        debug_assert_eq!(z.len(), grad.len());
        let cast = |x: f64| F::from(x).expect("offsets and margins fit every float");
        let s = cast(self.scale);
        let u = |j: usize| {
            let margin = if j == y {
                cast(self.margins[y])
            } else {
                F::zero()
            };
            s * (z[j] + cast(self.offsets[j]) - margin)
        };
        let max = (0..z.len()).map(u).fold(F::neg_infinity(), F::max);
        let mut sum = F::zero();
        for (j, g) in grad.iter_mut().enumerate() {
            *g = (u(j) - max).exp();
            sum = sum + *g;
        }
        for g in grad.iter_mut() {
            *g = s * (*g / sum);
        }
        grad[y] = grad[y] - s;
        max + sum.ln() - u(y)
    }
}

impl SampleLoss for AdjustedSoftmax {
    fn sample_loss(&self, z: &[f64], y: usize, grad: &mut [f64]) -> f64 {
        self.sample(z, y, grad)
    }

    fn check(&self, classes: usize) -> Result<(), LossError> {
        if self.classes() == classes {
            Ok(())
        } else {
            Err(LossError::Classes {
                loss: self.classes(),
                weights: classes,
            })
        }
    }
}

/// Post-hoc logit adjustment: the class argmax_j (z_j - tau log pi_j) from
/// `offsets` = [`log_prior_offsets`]`(counts, tau)`.
pub fn posthoc_predict(z: &[f64], offsets: &[f64]) -> usize {
    let adjusted = z.iter().zip(offsets).map(|(z, o)| z - o);
    adjusted
        .enumerate()
        .fold((0, f64::NEG_INFINITY), |best, (j, v)| {
            if v > best.1 { (j, v) } else { best }
        })
        .0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::balance::losses::Loss;
    use proptest::prelude::*;

    const COUNTS: [u64; 4] = [500, 120, 30, 5];

    fn value(loss: &AdjustedSoftmax, z: &[f64], y: usize) -> f64 {
        let mut g = vec![0.0; z.len()];
        loss.sample(z, y, &mut g)
    }

    /// The textbook form: -log softmax(s (z + o - Delta_y e_y))_y, with plain exp and log.
    fn reference(loss: &AdjustedSoftmax, z: &[f64], y: usize) -> f64 {
        let u: Vec<f64> = (0..z.len())
            .map(|j| {
                loss.scale * (z[j] + loss.offsets[j] - if j == y { loss.margins[y] } else { 0.0 })
            })
            .collect();
        let sum: f64 = u.iter().map(|v| v.exp()).sum();
        -(u[y].exp() / sum).ln()
    }

    fn losses() -> Vec<AdjustedSoftmax> {
        vec![
            AdjustedSoftmax::logit_adjusted(&COUNTS, 1.0).unwrap(),
            AdjustedSoftmax::logit_adjusted(&COUNTS, 2.5).unwrap(),
            AdjustedSoftmax::balanced_softmax(&COUNTS).unwrap(),
            AdjustedSoftmax::ldam(&COUNTS, 0.5, 30.0).unwrap(),
            AdjustedSoftmax::ldam(&COUNTS, 0.3, 1.0).unwrap(),
        ]
    }

    proptest! {
        #[test]
        fn gradients_match_central_differences(z in proptest::collection::vec(-3.0f64..3.0, 4), y in 0usize..4) {
            for loss in losses() {
                let mut grad = vec![0.0; 4];
                loss.sample(&z, y, &mut grad);
                // LDAM's scale of 30 makes the loss steep: a smaller step.
                let h = 1e-6 / loss.scale;
                for j in 0..4 {
                    let (mut up, mut down) = (z.clone(), z.clone());
                    up[j] += h;
                    down[j] -= h;
                    let numeric = (value(&loss, &up, y) - value(&loss, &down, y)) / (2.0 * h);
                    prop_assert!((numeric - grad[j]).abs() <= 1e-5 * (1.0 + numeric.abs()),
                        "{:?} class {}: analytic {} numeric {}", loss, j, grad[j], numeric);
                }
            }
        }

        #[test]
        fn stable_form_equals_the_textbook_form(z in proptest::collection::vec(-3.0f64..3.0, 4), y in 0usize..4) {
            for loss in losses() {
                let (stable, naive) = (value(&loss, &z, y), reference(&loss, &z, y));
                prop_assert!((stable - naive).abs() <= 1e-9 * (1.0 + naive.abs()));
            }
        }

        /// log n and log pi differ by a constant, which softmax ignores.
        #[test]
        fn balanced_softmax_is_logit_adjustment_at_tau_one(z in proptest::collection::vec(-5.0f64..5.0, 4), y in 0usize..4) {
            let (a, b) = (AdjustedSoftmax::balanced_softmax(&COUNTS).unwrap(), AdjustedSoftmax::logit_adjusted(&COUNTS, 1.0).unwrap());
            let (mut ga, mut gb) = (vec![0.0; 4], vec![0.0; 4]);
            let (va, vb) = (a.sample(&z, y, &mut ga), b.sample(&z, y, &mut gb));
            prop_assert!((va - vb).abs() <= 1e-12 * (1.0 + va));
            for (x, w) in ga.iter().zip(&gb) {
                prop_assert!((x - w).abs() <= 1e-12);
            }
        }

        /// With no margin and a scale of 1, LDAM is softmax cross-entropy; so is tau = 0.
        #[test]
        fn without_adjustment_it_is_softmax(z in proptest::collection::vec(-5.0f64..5.0, 4), y in 0usize..4) {
            let mut want = vec![0.0; 4];
            let v = Loss::Softmax.sample(&z, y, &mut want);
            for loss in [AdjustedSoftmax::ldam(&COUNTS, 0.0, 1.0).unwrap(), AdjustedSoftmax::logit_adjusted(&COUNTS, 0.0).unwrap()] {
                let mut g = vec![0.0; 4];
                prop_assert!((loss.sample(&z, y, &mut g) - v).abs() <= 1e-12 * (1.0 + v));
                for (x, w) in g.iter().zip(&want) {
                    prop_assert!((x - w).abs() <= 1e-12);
                }
            }
        }

        #[test]
        fn finite_for_extreme_logits(z in proptest::collection::vec(-1e4f64..1e4, 4), y in 0usize..4) {
            for loss in losses() {
                let mut g = vec![0.0; 4];
                let v = loss.sample(&z, y, &mut g);
                prop_assert!(v.is_finite() && v >= 0.0);
                prop_assert!(g.iter().all(|x| x.is_finite() && x.abs() <= loss.scale));
                let mut g32 = vec![0.0f32; 4];
                let z32: Vec<f32> = z.iter().map(|&v| v as f32).collect();
                prop_assert!(loss.sample(&z32, y, &mut g32).is_finite());
            }
        }
    }

    #[test]
    fn ldam_margins_follow_the_official_code() {
        let loss = AdjustedSoftmax::ldam(&[10_000, 625, 16], 0.5, 30.0).unwrap();
        // n^(-1/4): 0.1, 0.2, 0.5, rescaled so the rarest class's is 0.5.
        for (m, want) in loss.margins.iter().zip([0.1, 0.2, 0.5]) {
            assert!((m - want).abs() < 1e-12, "{m} vs {want}");
        }
        assert_eq!(loss.offsets, [0.0; 3]);
    }

    #[test]
    fn bad_inputs_are_refused_by_name() {
        assert_eq!(
            AdjustedSoftmax::logit_adjusted(&[10, 0, 3], 1.0),
            Err(AdjustError::EmptyClass(1))
        );
        assert_eq!(
            AdjustedSoftmax::balanced_softmax(&[0, 4]),
            Err(AdjustError::EmptyClass(0))
        );
        assert_eq!(
            AdjustedSoftmax::ldam(&[4, 0], 0.5, 30.0),
            Err(AdjustError::EmptyClass(1))
        );
        assert_eq!(
            AdjustedSoftmax::logit_adjusted(&[5], 1.0),
            Err(AdjustError::Classes(1))
        );
        assert_eq!(
            AdjustedSoftmax::logit_adjusted(&[5, 3], -1.0),
            Err(AdjustError::Tau(-1.0))
        );
        assert!(matches!(
            AdjustedSoftmax::logit_adjusted(&[5, 3], f64::NAN),
            Err(AdjustError::Tau(_))
        ));
        assert_eq!(
            AdjustedSoftmax::ldam(&[5, 3], -0.1, 30.0),
            Err(AdjustError::MaxMargin(-0.1))
        );
        assert_eq!(
            AdjustedSoftmax::ldam(&[5, 3], 0.5, 0.0),
            Err(AdjustError::Scale(0.0))
        );
        assert!(
            AdjustError::EmptyClass(1)
                .to_string()
                .contains("class 1 has no training sample")
        );
        assert!(AdjustError::Tau(-2.0).to_string().contains("-2"));
    }

    #[test]
    fn posthoc_adjustment_favours_rare_classes() {
        let offsets = log_prior_offsets(&[900, 100], 1.0).unwrap();
        // Plain argmax says class 0; once the prior log(0.9 / 0.1) = 2.2 is taken out, class 1.
        assert_eq!(posthoc_predict(&[1.0, 0.0], &[0.0, 0.0]), 0);
        assert_eq!(posthoc_predict(&[1.0, 0.0], &offsets), 1);
        assert_eq!(posthoc_predict(&[3.0, 0.0], &offsets), 0);
        let none = log_prior_offsets(&[900, 100], 0.0).unwrap();
        assert_eq!(posthoc_predict(&[1.0, 0.0], &none), 0);
    }
}
