//! The three class-balanced losses of Cui et al. 2019 (section 4), with their
//! gradients with respect to the logits, written once for f32 and f64.
//!
//! For a sample with logits z, label y and class weights w:
//! - softmax: w_y * (-log softmax(z)_y)
//! - sigmoid: w_y * sum_j BCE(z_j, [j == y])
//! - focal:   w_y * sum_j (1 - p_t,j)^gamma * BCE(z_j, [j == y])
//!
//! Stable forms: with z_t = z_j for the positive class and -z_j otherwise,
//! BCE = softplus(-z_t) and (1 - p_t)^gamma = exp(-gamma * softplus(z_t)).
//! A batch is reduced as the official code does: summed, divided by B.

use std::fmt;

use num_traits::Float;
use serde::Serialize;

/// Which loss, with its parameter.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Loss {
    /// Softmax cross-entropy.
    Softmax,
    /// One-vs-all sigmoid cross-entropy.
    Sigmoid,
    /// Sigmoid focal loss with focusing parameter gamma >= 0 (gamma = 0 is sigmoid).
    Focal {
        /// The focusing parameter.
        gamma: f64,
    },
}

impl Loss {
    /// Whether the output layer's bias should start at -ln(C - 1) (prior 1/C per
    /// class), as the official code and RetinaNet do for one-vs-all heads.
    pub fn uses_prior_bias(self) -> bool {
        !matches!(self, Self::Softmax)
    }

    /// Unweighted loss of one sample with logits `z` and label `y`; writes
    /// d loss / d z into `grad` (same length as `z`).
    pub fn sample<F: Float>(self, z: &[F], y: usize, grad: &mut [F]) -> F {
        debug_assert_eq!(z.len(), grad.len());
        debug_assert!(y < z.len());
        match self {
            Self::Softmax => softmax_cross_entropy(z, y, grad),
            Self::Sigmoid => one_vs_all(z, y, grad, F::zero()),
            Self::Focal { gamma } => {
                one_vs_all(z, y, grad, F::from(gamma).expect("gamma fits every float"))
            }
        }
    }
}

/// softplus(x) = ln(1 + e^x), without overflow.
pub fn softplus<F: Float>(x: F) -> F {
    x.max(F::zero()) + (-x.abs()).exp().ln_1p()
}

/// sigmoid(x) = 1 / (1 + e^-x), without overflow.
pub fn sigmoid<F: Float>(x: F) -> F {
    if x >= F::zero() {
        F::one() / (F::one() + (-x).exp())
    } else {
        let e = x.exp();
        e / (F::one() + e)
    }
}

fn softmax_cross_entropy<F: Float>(z: &[F], y: usize, grad: &mut [F]) -> F {
    let max = z.iter().copied().fold(F::neg_infinity(), F::max);
    let mut sum = F::zero();
    for (g, &zj) in grad.iter_mut().zip(z) {
        *g = (zj - max).exp();
        sum = sum + *g;
    }
    for g in grad.iter_mut() {
        *g = *g / sum;
    }
    grad[y] = grad[y] - F::one();
    max + sum.ln() - z[y]
}

/// One term of the focal loss for signed logit z_t: (value, d value / d z_t).
/// gamma = 0 gives binary cross-entropy.
pub fn focal_term<F: Float>(z_t: F, gamma: F) -> (F, F) {
    let bce = softplus(-z_t);
    let d_bce = -sigmoid(-z_t);
    if gamma == F::zero() {
        return (bce, d_bce);
    }
    let modulator = (-gamma * softplus(z_t)).exp();
    let d_modulator = -gamma * sigmoid(z_t) * modulator;
    (modulator * bce, d_modulator * bce + modulator * d_bce)
}

fn one_vs_all<F: Float>(z: &[F], y: usize, grad: &mut [F], gamma: F) -> F {
    let mut total = F::zero();
    for (j, (g, &zj)) in grad.iter_mut().zip(z).enumerate() {
        let positive = j == y;
        let z_t = if positive { zj } else { -zj };
        let (value, d) = focal_term(z_t, gamma);
        total = total + value;
        *g = if positive { d } else { -d };
    }
    total
}

/// A batch's loss and its gradient with respect to the logits.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BatchLoss {
    /// The loss, summed over the batch and divided by B.
    pub loss: f64,
    /// d loss / d logits, one row per sample.
    pub grad: Vec<Vec<f64>>,
}

/// Why a batch cannot be evaluated.
#[derive(Clone, Debug, PartialEq)]
pub enum LossError {
    /// The batch has no samples.
    EmptyBatch,
    /// The number of label entries differs from the number of logit rows.
    LabelCount {
        /// Rows of logits.
        rows: usize,
        /// Labels given.
        labels: usize,
    },
    /// A logit row's length differs from the number of class weights.
    RowLength {
        /// The sample.
        sample: usize,
        /// Its length.
        len: usize,
        /// The number of classes.
        classes: usize,
    },
    /// A label is not a class index.
    Label {
        /// The sample.
        sample: usize,
        /// Its label.
        label: usize,
    },
    /// A logit is NaN or infinite.
    NonFiniteLogit {
        /// The sample.
        sample: usize,
        /// The class.
        class: usize,
    },
    /// gamma must be finite and >= 0.
    Gamma(f64),
    /// The loss was built for another number of classes than the weights'.
    Classes {
        /// The loss's classes.
        loss: usize,
        /// The weights' classes.
        weights: usize,
    },
}

impl fmt::Display for LossError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::EmptyBatch => f.write_str("the batch has no samples"),
            Self::LabelCount { rows, labels } => {
                write!(f, "{rows} rows of logits but {labels} labels")
            }
            Self::RowLength {
                sample,
                len,
                classes,
            } => write!(
                f,
                "sample {sample} has {len} logits but there are {classes} classes"
            ),
            Self::Label { sample, label } => {
                write!(f, "sample {sample} has label {label}, which is not a class")
            }
            Self::NonFiniteLogit { sample, class } => {
                write!(f, "logit {class} of sample {sample} is not a finite number")
            }
            Self::Gamma(g) => write!(f, "gamma must be a finite number >= 0, got {g}"),
            Self::Classes { loss, weights } => {
                write!(f, "the loss has {loss} classes but the weights {weights}")
            }
        }
    }
}

impl std::error::Error for LossError {}

/// A per-sample loss with its gradient: the paper's three ([`Loss`]) and the
/// adjusted softmaxes that came after (which implement it where they are defined).
pub trait SampleLoss {
    /// The loss of one sample with logits `z` and label `y`; d loss / d z into `grad`.
    fn sample_loss(&self, z: &[f64], y: usize, grad: &mut [f64]) -> f64;

    /// Whether the loss can be evaluated on `classes` classes with its parameters.
    fn check(&self, classes: usize) -> Result<(), LossError>;
}

impl SampleLoss for Loss {
    fn sample_loss(&self, z: &[f64], y: usize, grad: &mut [f64]) -> f64 {
        self.sample(z, y, grad)
    }

    fn check(&self, _classes: usize) -> Result<(), LossError> {
        match *self {
            Loss::Focal { gamma } if !(gamma.is_finite() && gamma >= 0.0) => {
                Err(LossError::Gamma(gamma))
            }
            _ => Ok(()),
        }
    }
}

impl<T: SampleLoss> SampleLoss for &T {
    fn sample_loss(&self, z: &[f64], y: usize, grad: &mut [f64]) -> f64 {
        (*self).sample_loss(z, y, grad)
    }

    fn check(&self, classes: usize) -> Result<(), LossError> {
        (*self).check(classes)
    }
}

/// The class-weighted loss of a batch: each sample's loss times the weight of
/// its class, summed and divided by B, with the gradient.
pub fn batch_loss(
    loss: impl SampleLoss,
    logits: &[Vec<f64>],
    labels: &[usize],
    class_weights: &[f64],
) -> Result<BatchLoss, LossError> {
    let classes = class_weights.len();
    if logits.is_empty() {
        return Err(LossError::EmptyBatch);
    }
    if logits.len() != labels.len() {
        return Err(LossError::LabelCount {
            rows: logits.len(),
            labels: labels.len(),
        });
    }
    loss.check(classes)?;
    let scale = 1.0 / logits.len() as f64;
    let mut total = 0.0;
    let mut grad = Vec::with_capacity(logits.len());
    for (sample, (z, &y)) in logits.iter().zip(labels).enumerate() {
        if z.len() != classes {
            return Err(LossError::RowLength {
                sample,
                len: z.len(),
                classes,
            });
        }
        if y >= classes {
            return Err(LossError::Label { sample, label: y });
        }
        if let Some(class) = z.iter().position(|v| !v.is_finite()) {
            return Err(LossError::NonFiniteLogit { sample, class });
        }
        let mut g = vec![0.0; classes];
        let w = class_weights[y] * scale;
        total += w * loss.sample_loss(z, y, &mut g);
        g.iter_mut().for_each(|gj| *gj *= w);
        grad.push(g);
    }
    Ok(BatchLoss { loss: total, grad })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The textbook forms, naive on purpose: fine for moderate logits only.
    fn sample_loss_reference(loss: Loss, z: &[f64], y: usize) -> f64 {
        match loss {
            Loss::Softmax => {
                let sum: f64 = z.iter().map(|v| v.exp()).sum();
                -(z[y].exp() / sum).ln()
            }
            Loss::Sigmoid => sample_loss_reference(Loss::Focal { gamma: 0.0 }, z, y),
            Loss::Focal { gamma } => z
                .iter()
                .enumerate()
                .map(|(j, &zj)| {
                    let p = 1.0 / (1.0 + (-zj).exp());
                    let p_t = if j == y { p } else { 1.0 - p };
                    (1.0 - p_t).powf(gamma) * -p_t.ln()
                })
                .sum(),
        }
    }

    fn sample_value(loss: Loss, z: &[f64], y: usize) -> f64 {
        loss.sample(z, y, &mut vec![0.0; z.len()])
    }

    const LOSSES: [Loss; 6] = [
        Loss::Softmax,
        Loss::Sigmoid,
        Loss::Focal { gamma: 0.0 },
        Loss::Focal { gamma: 0.3 },
        Loss::Focal { gamma: 2.0 },
        Loss::Focal { gamma: 5.0 },
    ];

    #[test]
    fn known_values() {
        let ln2 = std::f64::consts::LN_2;
        assert!((sample_value(Loss::Softmax, &[0.0, 0.0], 0) - ln2).abs() < 1e-15);
        assert!((sample_value(Loss::Sigmoid, &[0.0, 0.0], 1) - 2.0 * ln2).abs() < 1e-15);
        // p_t = 1/2 everywhere: each term is (1/2)^gamma * ln 2.
        let f = sample_value(Loss::Focal { gamma: 2.0 }, &[0.0, 0.0, 0.0], 2);
        assert!((f - 3.0 * 0.25 * ln2).abs() < 1e-15);
    }

    #[test]
    fn focal_with_gamma_zero_is_sigmoid() {
        let z = [1.5, -2.0, 0.25, 7.0];
        let (mut g0, mut g1) = ([0.0; 4], [0.0; 4]);
        let a = Loss::Sigmoid.sample(&z, 2, &mut g0);
        let b = Loss::Focal { gamma: 0.0 }.sample(&z, 2, &mut g1);
        assert_eq!(a, b);
        assert_eq!(g0, g1);
    }

    #[test]
    fn extreme_logits_stay_finite() {
        for loss in LOSSES {
            for z in [[1e4, -1e4, 0.0], [-1e4, 1e4, -1e4], [1e4, 1e4, 1e4]] {
                for y in 0..3 {
                    let mut g = [0.0; 3];
                    let v = loss.sample(&z, y, &mut g);
                    assert!(v.is_finite() && v >= 0.0, "{loss:?} {z:?} {y}: {v}");
                    assert!(g.iter().all(|x| x.is_finite()), "{loss:?} {z:?}: {g:?}");
                    let mut g32 = [0.0f32; 3];
                    let z32 = z.map(|v| v as f32);
                    let v32 = loss.sample(&z32, y, &mut g32);
                    assert!(v32.is_finite() && g32.iter().all(|x| x.is_finite()));
                }
            }
        }
        // A confidently wrong positive costs its margin.
        let v = sample_value(Loss::Sigmoid, &[-1e4, -1e4], 0);
        assert!((v - 1e4).abs() < 1e-9);
    }

    #[test]
    fn batch_weights_and_reduction() {
        let logits = vec![vec![2.0, -1.0], vec![0.5, 0.5]];
        let w = [0.5, 1.5];
        let out = batch_loss(Loss::Softmax, &logits, &[0, 1], &w).unwrap();
        let want = (0.5 * sample_value(Loss::Softmax, &logits[0], 0)
            + 1.5 * sample_value(Loss::Softmax, &logits[1], 1))
            / 2.0;
        assert!((out.loss - want).abs() < 1e-15);
        // beta = 0 (all weights 1) is the unweighted loss.
        let plain = batch_loss(Loss::Softmax, &logits, &[0, 1], &[1.0, 1.0]).unwrap();
        let unweighted = (sample_value(Loss::Softmax, &logits[0], 0)
            + sample_value(Loss::Softmax, &logits[1], 1))
            / 2.0;
        assert!((plain.loss - unweighted).abs() < 1e-15);
    }

    #[test]
    fn batch_errors() {
        let w = [1.0, 1.0];
        let z = vec![vec![0.0, 0.0]];
        assert_eq!(
            batch_loss(Loss::Softmax, &[], &[], &w),
            Err(LossError::EmptyBatch)
        );
        assert!(matches!(
            batch_loss(Loss::Softmax, &z, &[0, 1], &w),
            Err(LossError::LabelCount { .. })
        ));
        assert!(matches!(
            batch_loss(Loss::Softmax, &z, &[2], &w),
            Err(LossError::Label { .. })
        ));
        assert!(matches!(
            batch_loss(Loss::Softmax, &[vec![0.0]], &[0], &w),
            Err(LossError::RowLength { .. })
        ));
        assert!(matches!(
            batch_loss(Loss::Softmax, &[vec![0.0, f64::NAN]], &[0], &w),
            Err(LossError::NonFiniteLogit {
                sample: 0,
                class: 1
            })
        ));
        assert!(matches!(
            batch_loss(Loss::Focal { gamma: -1.0 }, &z, &[0], &w),
            Err(LossError::Gamma(_))
        ));
    }

    fn logits_and_label() -> impl Strategy<Value = (Vec<f64>, usize)> {
        (2usize..8).prop_flat_map(|c| (proptest::collection::vec(-8.0f64..8.0, c), 0..c))
    }

    proptest! {
        #[test]
        fn gradients_match_central_differences((z, y) in logits_and_label(), gamma in 0.0f64..5.0) {
            for loss in [Loss::Softmax, Loss::Sigmoid, Loss::Focal { gamma }] {
                let mut grad = vec![0.0; z.len()];
                loss.sample(&z, y, &mut grad);
                let h = 1e-5;
                for j in 0..z.len() {
                    let (mut up, mut down) = (z.clone(), z.clone());
                    up[j] += h;
                    down[j] -= h;
                    let numeric = (sample_value(loss, &up, y) - sample_value(loss, &down, y)) / (2.0 * h);
                    prop_assert!((numeric - grad[j]).abs() <= 1e-6 * (1.0 + numeric.abs()),
                        "{:?} class {}: analytic {} numeric {}", loss, j, grad[j], numeric);
                }
            }
        }

        #[test]
        fn stable_forms_equal_the_textbook_forms((z, y) in logits_and_label(), gamma in 0.0f64..5.0) {
            for loss in [Loss::Softmax, Loss::Sigmoid, Loss::Focal { gamma }] {
                let stable = sample_value(loss, &z, y);
                let naive = sample_loss_reference(loss, &z, y);
                prop_assert!((stable - naive).abs() <= 1e-9 * (1.0 + naive.abs()), "{:?}: {} vs {}", loss, stable, naive);
            }
        }

        #[test]
        fn finite_over_the_whole_range(
            z in proptest::collection::vec(-1e4f64..1e4, 2..12),
            gamma in 0.0f64..=5.0,
            pick in 0usize..12,
        ) {
            let y = pick % z.len();
            for loss in [Loss::Softmax, Loss::Sigmoid, Loss::Focal { gamma }] {
                let mut g = vec![0.0; z.len()];
                let v = loss.sample(&z, y, &mut g);
                prop_assert!(v.is_finite() && v >= 0.0);
                prop_assert!(g.iter().all(|x| x.is_finite() && x.abs() <= 1.0 + gamma));
            }
        }

        #[test]
        fn f32_agrees_with_f64((z, y) in logits_and_label(), gamma in 0.0f64..5.0) {
            for loss in [Loss::Softmax, Loss::Sigmoid, Loss::Focal { gamma }] {
                let mut g64 = vec![0.0; z.len()];
                let mut g32 = vec![0.0f32; z.len()];
                let z32: Vec<f32> = z.iter().map(|&v| v as f32).collect();
                let v64 = loss.sample(&z, y, &mut g64);
                let v32 = loss.sample(&z32, y, &mut g32);
                prop_assert!((v64 - v32 as f64).abs() <= 1e-4 * (1.0 + v64.abs()));
                for (a, b) in g64.iter().zip(&g32) {
                    prop_assert!((a - *b as f64).abs() <= 1e-4);
                }
            }
        }
    }
}
