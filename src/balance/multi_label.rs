//! Losses on multi-hot targets (several labels a sample), with their
//! gradients with respect to the logits, for f32 and f64:
//!
//! - CB sigmoid and CB focal, with the class weights placed `by-class` (w_c on
//!   every term of class c's column) or `by-sample` (the mean of w_c over the
//!   sample's positive classes, on all its terms): the distribution-balanced
//!   code's `by_class` and `average_w` modes. A sample with no positive class
//!   gets weight 1 by sample, the weights' mean (that code divides by zero).
//! - The distribution-balanced loss (Wu et al., ECCV 2020) as its official
//!   code computes it (`mllt/models/losses/resample_loss.py`): re-balanced
//!   weights, negative-tolerant regularisation, focal factor, balance.
//! - The asymmetric loss (Ridnik et al., ICCV 2021) as the official
//!   `AsymmetricLoss` computes it, the focusing weight differentiated.
//!
//! One reduction for all: a sample's C terms summed, averaged over the batch.
//! (The DB code averages over B x C and multiplies by a loss weight; ASL's
//! code returns the plain sum; docs/methods.md says so.)

use std::fmt;

use num_traits::Float;

use crate::balance::losses::{BatchLoss, focal_term, sigmoid, softplus};

/// Where a class's weight goes when a sample has several labels.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum CbMode {
    /// w_c on every term of class c, positive and negative (DB's `by_class`).
    #[default]
    ByClass,
    /// The mean of w_c over the sample's positives, on all its terms (DB's `average_w`).
    BySample,
}

impl CbMode {
    /// Both modes.
    pub const ALL: [CbMode; 2] = [CbMode::ByClass, CbMode::BySample];

    /// The name in the CLI, the URL and the JSON.
    pub fn name(self) -> &'static str {
        match self {
            Self::ByClass => "by-class",
            Self::BySample => "by-sample",
        }
    }

    /// The mode of a name.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.name() == name)
    }
}

/// The distribution-balanced loss's parameters (names as in its code).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DbParams {
    /// `map_param.alpha`: the smoothed weight's floor.
    pub alpha: f64,
    /// `map_param.beta`: the smoothing sigmoid's slope.
    pub beta: f64,
    /// `map_param.gamma`: the smoothing sigmoid's centre.
    pub mu: f64,
    /// `neg_scale` (lambda): negative logits' scale and their weights' divisor.
    pub neg_scale: f64,
    /// `init_bias` (kappa): the class prior bias's strength.
    pub init_bias: f64,
    /// The focal factor's gamma.
    pub gamma: f64,
    /// `balance_param`: the whole loss's factor.
    pub balance: f64,
}

impl Default for DbParams {
    /// Its VOC-MLT configuration (`configs/voc/LT_resnet50_pfc_DB.py`).
    fn default() -> Self {
        Self {
            alpha: 0.1,
            beta: 10.0,
            mu: 0.3,
            neg_scale: 5.0,
            init_bias: 0.05,
            gamma: 2.0,
            balance: 2.0,
        }
    }
}

/// The asymmetric loss's parameters.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AslParams {
    /// Focusing of the positive terms (gamma+).
    pub gamma_pos: f64,
    /// Focusing of the negative terms (gamma-).
    pub gamma_neg: f64,
    /// The probability margin m shifted off negatives (`clip`).
    pub clip: f64,
}

impl Default for AslParams {
    /// The paper's training setting (the class's default gamma_pos is 1).
    fn default() -> Self {
        Self {
            gamma_pos: 0.0,
            gamma_neg: 4.0,
            clip: 0.05,
        }
    }
}

/// A loss on multi-hot targets.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum MultiLabelLoss {
    /// Binary cross-entropy on every term.
    Sigmoid,
    /// The sigmoid focal loss.
    Focal {
        /// The focusing parameter.
        gamma: f64,
    },
    /// The distribution-balanced loss.
    DistributionBalanced(DbParams),
    /// The asymmetric loss.
    Asymmetric(AslParams),
}

/// The name of a multi-label loss, as the CLI and JSON spell it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MultiLabelKind {
    /// Binary cross-entropy.
    Sigmoid,
    /// The sigmoid focal loss.
    Focal,
    /// The distribution-balanced loss.
    DistributionBalanced,
    /// The asymmetric loss.
    Asymmetric,
}

impl MultiLabelKind {
    /// Every kind.
    pub const ALL: [MultiLabelKind; 4] = [
        Self::Sigmoid,
        Self::Focal,
        Self::DistributionBalanced,
        Self::Asymmetric,
    ];

    /// `sigmoid`, `focal`, `distribution-balanced` or `asymmetric`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Sigmoid => "sigmoid",
            Self::Focal => "focal",
            Self::DistributionBalanced => "distribution-balanced",
            Self::Asymmetric => "asymmetric",
        }
    }

    /// Whether class weights (CB by default) apply; DB weights itself and ASL
    /// is unweighted in its paper, so both default to no scheme.
    pub fn class_weighted_by_default(self) -> bool {
        matches!(self, Self::Sigmoid | Self::Focal)
    }
}

/// How the terms are weighted by class.
#[derive(Clone, Debug, PartialEq)]
pub enum Weighting {
    /// Every term weighs 1.
    None,
    /// Class weights (mean 1 over the non-empty classes), placed by `mode`.
    Classes {
        /// One weight a class.
        weights: Vec<f64>,
        /// Where they go.
        mode: CbMode,
    },
}

/// Why a multi-label loss cannot be built or evaluated.
#[derive(Clone, Debug, PartialEq)]
pub enum MultiLabelError {
    /// A parameter out of its range.
    Parameter {
        /// Its name.
        name: &'static str,
        /// Its value.
        value: f64,
        /// The range it must be in.
        range: &'static str,
    },
    /// The class weights are for another number of classes.
    Classes {
        /// The classes of the counts.
        counts: usize,
        /// The weights'.
        weights: usize,
    },
    /// DB weights its terms itself.
    DbWeighted,
    /// DB's bias needs every class to have a positive.
    EmptyClass(usize),
    /// DB's bias needs every class to miss some sample.
    EveryClassSample(usize),
    /// N is below a class's positives.
    SamplesBelowCount {
        /// N.
        samples: u64,
        /// The largest count.
        largest: u64,
    },
    /// The batch is empty.
    EmptyBatch,
    /// Rows of logits and of targets differ in number.
    TargetRows {
        /// Rows of logits.
        logits: usize,
        /// Rows of targets.
        targets: usize,
    },
    /// A row's length is not the number of classes.
    RowLength {
        /// The sample.
        sample: usize,
        /// Its length.
        len: usize,
        /// The classes.
        classes: usize,
    },
    /// A logit is NaN or infinite.
    NonFiniteLogit {
        /// The sample.
        sample: usize,
        /// The class.
        class: usize,
    },
}

impl fmt::Display for MultiLabelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Parameter { name, value, range } => {
                write!(f, "{name} must be {range}, got {value}")
            }
            Self::Classes { counts, weights } => {
                write!(f, "{counts} classes counted but {weights} class weights")
            }
            Self::DbWeighted => f.write_str(
                "the distribution-balanced loss weights its terms itself: give it no class weights (scheme none)",
            ),
            Self::EmptyClass(c) => write!(
                f,
                "class {c} has no positive sample; the distribution-balanced loss's bias -log(N / n_c - 1) needs 0 < n_c < N"
            ),
            Self::EveryClassSample(c) => write!(
                f,
                "class {c} is in every sample; the distribution-balanced loss's bias -log(N / n_c - 1) needs 0 < n_c < N"
            ),
            Self::SamplesBelowCount { samples, largest } => write!(
                f,
                "{samples} samples is fewer than the largest class's {largest} positives"
            ),
            Self::EmptyBatch => f.write_str("the batch has no samples"),
            Self::TargetRows { logits, targets } => {
                write!(f, "{logits} rows of logits but {targets} rows of targets")
            }
            Self::RowLength {
                sample,
                len,
                classes,
            } => write!(
                f,
                "row {sample} has {len} entries but there are {classes} classes"
            ),
            Self::NonFiniteLogit { sample, class } => {
                write!(f, "logit {class} of sample {sample} is not a finite number")
            }
        }
    }
}

impl std::error::Error for MultiLabelError {}

/// What DB's terms need from the training counts.
#[derive(Clone, Debug, PartialEq)]
struct DbTables {
    /// 1 / n_c.
    inverse: Vec<f64>,
    /// -log(N / n_c - 1) * kappa / lambda.
    bias: Vec<f64>,
}

/// A multi-label loss ready for a data set: its weights and DB's tables.
#[derive(Clone, Debug, PartialEq)]
pub struct MultiLabelObjective {
    loss: MultiLabelLoss,
    weighting: Weighting,
    classes: usize,
    db: Option<DbTables>,
}

fn in_range(
    name: &'static str,
    value: f64,
    ok: bool,
    range: &'static str,
) -> Result<(), MultiLabelError> {
    if ok && value.is_finite() {
        Ok(())
    } else {
        Err(MultiLabelError::Parameter { name, value, range })
    }
}

impl MultiLabelObjective {
    /// The loss for a data set whose classes have `positives` and `samples` N.
    pub fn new(
        loss: MultiLabelLoss,
        weighting: Weighting,
        positives: &[u64],
        samples: u64,
    ) -> Result<Self, MultiLabelError> {
        let classes = positives.len();
        if let Weighting::Classes { weights, .. } = &weighting
            && weights.len() != classes
        {
            return Err(MultiLabelError::Classes {
                counts: classes,
                weights: weights.len(),
            });
        }
        let largest = positives.iter().copied().max().unwrap_or(0);
        if samples < largest {
            return Err(MultiLabelError::SamplesBelowCount { samples, largest });
        }
        let mut db = None;
        match loss {
            MultiLabelLoss::Sigmoid => {}
            MultiLabelLoss::Focal { gamma } => in_range("gamma", gamma, gamma >= 0.0, ">= 0")?,
            MultiLabelLoss::Asymmetric(p) => {
                in_range("gamma_pos", p.gamma_pos, p.gamma_pos >= 0.0, ">= 0")?;
                in_range("gamma_neg", p.gamma_neg, p.gamma_neg >= 0.0, ">= 0")?;
                in_range("clip", p.clip, (0.0..1.0).contains(&p.clip), "in [0, 1)")?;
            }
            MultiLabelLoss::DistributionBalanced(p) => {
                if weighting != Weighting::None {
                    return Err(MultiLabelError::DbWeighted);
                }
                in_range("db_alpha", p.alpha, true, "finite")?;
                in_range("db_beta", p.beta, true, "finite")?;
                in_range("db_mu", p.mu, true, "finite")?;
                in_range("neg_scale", p.neg_scale, p.neg_scale > 0.0, "> 0")?;
                in_range("init_bias", p.init_bias, true, "finite")?;
                in_range("gamma", p.gamma, p.gamma >= 0.0, ">= 0")?;
                in_range("balance", p.balance, p.balance >= 0.0, ">= 0")?;
                if let Some(c) = positives.iter().position(|&n| n == 0) {
                    return Err(MultiLabelError::EmptyClass(c));
                }
                if let Some(c) = positives.iter().position(|&n| n == samples) {
                    return Err(MultiLabelError::EveryClassSample(c));
                }
                let n = samples as f64;
                db = Some(DbTables {
                    inverse: positives.iter().map(|&c| 1.0 / c as f64).collect(),
                    bias: positives
                        .iter()
                        .map(|&c| -(n / c as f64 - 1.0).ln() * p.init_bias / p.neg_scale)
                        .collect(),
                });
            }
        }
        Ok(Self {
            loss,
            weighting,
            classes,
            db,
        })
    }

    /// The number of classes.
    pub fn classes(&self) -> usize {
        self.classes
    }

    /// The loss.
    pub fn loss(&self) -> MultiLabelLoss {
        self.loss
    }

    /// What each class's logit is shifted by before its terms: DB's bias
    /// -log(N / n_c - 1) kappa / lambda, zeros for the other losses.
    pub fn logit_shifts(&self) -> Vec<f64> {
        self.db
            .as_ref()
            .map_or_else(|| vec![0.0; self.classes], |db| db.bias.clone())
    }

    /// The weight of each term of a sample with targets `y`, into `out`: the
    /// class weights placed by mode, and DB's smoothed re-balanced weight.
    pub fn term_weights(&self, y: &[bool], out: &mut [f64]) {
        match &self.weighting {
            Weighting::None => out.fill(1.0),
            Weighting::Classes {
                weights,
                mode: CbMode::ByClass,
            } => out.copy_from_slice(weights),
            Weighting::Classes {
                weights,
                mode: CbMode::BySample,
            } => {
                let (sum, n) =
                    positives_of(y).fold((0.0, 0usize), |(s, n), c| (s + weights[c], n + 1));
                out.fill(if n == 0 { 1.0 } else { sum / n as f64 });
            }
        }
        if let (MultiLabelLoss::DistributionBalanced(p), Some(db)) = (self.loss, &self.db) {
            // r_ic = (1/n_c) / sum over positives k of (1/n_k); with no positive
            // the code's 1/0 gives r = inf and so the weight alpha + 1.
            let repeat: f64 = positives_of(y).map(|k| db.inverse[k]).sum();
            for (c, w) in out.iter_mut().enumerate() {
                let smoothed = if repeat == 0.0 {
                    1.0
                } else {
                    sigmoid(p.beta * (db.inverse[c] / repeat - p.mu))
                };
                *w *= p.alpha + smoothed;
            }
        }
    }

    /// One sample's loss with targets `y` and term weights `w` (from
    /// [`Self::term_weights`]); d loss / d z into `grad`.
    pub fn sample<F: Float>(&self, z: &[F], y: &[bool], w: &[f64], grad: &mut [F]) -> F {
        let weight = |c: usize| F::from(w[c]).expect("a weight fits every float");
        // One weight on all terms (by sample, or none) multiplies their sum, as
        // the single-label losses do: the same float operations, bit for bit.
        let uniform = w.iter().all(|&x| x == w[0]);
        let mut total = F::zero();
        for c in 0..z.len() {
            let (value, d) = self.term(z[c], y[c], c);
            total = total + if uniform { value } else { weight(c) * value };
            grad[c] = weight(c) * d;
        }
        if uniform && !w.is_empty() {
            total = weight(0) * total;
        }
        total
    }

    /// One term, unweighted by class: (value, d value / d z).
    fn term<F: Float>(&self, z: F, positive: bool, class: usize) -> (F, F) {
        let f = |x: f64| F::from(x).expect("a parameter fits every float");
        let signed = |(v, d): (F, F)| if positive { (v, d) } else { (v, -d) };
        let z_t = if positive { z } else { -z };
        match self.loss {
            MultiLabelLoss::Sigmoid => signed(focal_term(z_t, F::zero())),
            MultiLabelLoss::Focal { gamma } => signed(focal_term(z_t, f(gamma))),
            MultiLabelLoss::DistributionBalanced(p) => {
                let db = self.db.as_ref().expect("DB's tables are built with it");
                let shifted = z + f(db.bias[class]);
                let balance = f(p.balance);
                if positive {
                    let (v, d) = focal_term(shifted, f(p.gamma));
                    (balance * v, balance * d)
                } else {
                    // Logit times lambda, weight over lambda: the gradient's lambdas cancel.
                    let lambda = f(p.neg_scale);
                    let (v, d) = focal_term(-shifted * lambda, f(p.gamma));
                    (balance * v / lambda, -balance * d)
                }
            }
            MultiLabelLoss::Asymmetric(p) => {
                if positive {
                    asymmetric_positive(z, f(p.gamma_pos))
                } else {
                    asymmetric_negative(z, f(p.gamma_neg), f(p.clip))
                }
            }
        }
    }
}

fn positives_of(y: &[bool]) -> impl Iterator<Item = usize> + '_ {
    y.iter().enumerate().filter(|&(_, &t)| t).map(|(c, _)| c)
}

/// -(1 - p)^gamma log p and its derivative, with log p = -softplus(-z).
fn asymmetric_positive<F: Float>(z: F, gamma: F) -> (F, F) {
    let q = sigmoid(-z);
    let log_p = -softplus(-z);
    if gamma == F::zero() {
        return (-log_p, -q);
    }
    let p = sigmoid(z);
    let q_gamma = (-gamma * softplus(z)).exp();
    (-q_gamma * log_p, gamma * p * q_gamma * log_p - q_gamma * q)
}

/// -p_m^gamma log(1 - p_m), p_m = max(p - m, 0), and its derivative.
fn asymmetric_negative<F: Float>(z: F, gamma: F, m: F) -> (F, F) {
    let p = sigmoid(z);
    let q = sigmoid(-z);
    if m == F::zero() {
        // -log(1 - p) = softplus(z); p^gamma = exp(-gamma softplus(-z)).
        let sp = softplus(z);
        let p_gamma = if gamma == F::zero() {
            F::one()
        } else {
            (-gamma * softplus(-z)).exp()
        };
        return (p_gamma * sp, p_gamma * (gamma * q * sp + p));
    }
    let shifted = p - m;
    if shifted <= F::zero() {
        return (F::zero(), F::zero());
    }
    // 1 - p_m = q + m; its log, accurate near p = m.
    let log_u = (m - p).ln_1p();
    let u = q + m;
    let pq = p * q;
    if gamma == F::zero() {
        return (-log_u, pq / u);
    }
    let s_gamma = shifted.powf(gamma);
    let d = pq * (s_gamma / u - gamma * shifted.powf(gamma - F::one()) * log_u);
    (-s_gamma * log_u, d)
}

/// A batch's loss (a sample's terms summed, averaged over B) and gradient.
pub fn multi_label_batch_loss(
    objective: &MultiLabelObjective,
    logits: &[Vec<f64>],
    targets: &[Vec<bool>],
) -> Result<BatchLoss, MultiLabelError> {
    let classes = objective.classes;
    if logits.is_empty() {
        return Err(MultiLabelError::EmptyBatch);
    }
    if logits.len() != targets.len() {
        return Err(MultiLabelError::TargetRows {
            logits: logits.len(),
            targets: targets.len(),
        });
    }
    let scale = 1.0 / logits.len() as f64;
    let mut total = 0.0;
    let mut grad = Vec::with_capacity(logits.len());
    let mut w = vec![0.0; classes];
    for (sample, (z, y)) in logits.iter().zip(targets).enumerate() {
        for len in [z.len(), y.len()] {
            if len != classes {
                return Err(MultiLabelError::RowLength {
                    sample,
                    len,
                    classes,
                });
            }
        }
        if let Some(class) = z.iter().position(|v| !v.is_finite()) {
            return Err(MultiLabelError::NonFiniteLogit { sample, class });
        }
        let mut g = vec![0.0; classes];
        objective.term_weights(y, &mut w);
        w.iter_mut().for_each(|wc| *wc *= scale);
        total += objective.sample(z, y, &w, &mut g);
        grad.push(g);
    }
    Ok(BatchLoss { loss: total, grad })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::balance::losses::{Loss, batch_loss};
    use proptest::prelude::*;

    fn objective(
        loss: MultiLabelLoss,
        weighting: Weighting,
        positives: &[u64],
        n: u64,
    ) -> MultiLabelObjective {
        MultiLabelObjective::new(loss, weighting, positives, n).unwrap()
    }

    fn value(o: &MultiLabelObjective, z: &[f64], y: &[bool]) -> f64 {
        let mut w = vec![0.0; z.len()];
        o.term_weights(y, &mut w);
        o.sample(z, y, &w, &mut vec![0.0; z.len()])
    }

    fn losses() -> Vec<MultiLabelLoss> {
        vec![
            MultiLabelLoss::Sigmoid,
            MultiLabelLoss::Focal { gamma: 2.0 },
            MultiLabelLoss::Focal { gamma: 0.5 },
            MultiLabelLoss::DistributionBalanced(DbParams::default()),
            MultiLabelLoss::DistributionBalanced(DbParams {
                gamma: 0.0,
                neg_scale: 2.0,
                ..DbParams::default()
            }),
            MultiLabelLoss::Asymmetric(AslParams::default()),
            MultiLabelLoss::Asymmetric(AslParams {
                gamma_pos: 1.0,
                gamma_neg: 0.5,
                clip: 0.2,
            }),
            MultiLabelLoss::Asymmetric(AslParams {
                gamma_pos: 0.0,
                gamma_neg: 2.0,
                clip: 0.0,
            }),
        ]
    }

    fn weighting_for(loss: MultiLabelLoss, mode: CbMode) -> Weighting {
        match loss {
            MultiLabelLoss::DistributionBalanced(_) => Weighting::None,
            _ => Weighting::Classes {
                weights: vec![0.4, 1.1, 1.5, 1.0],
                mode,
            },
        }
    }

    const POSITIVES: [u64; 4] = [120, 40, 6, 60];

    #[test]
    fn by_sample_on_one_hot_is_the_single_label_loss() {
        let weights = vec![0.4, 1.1, 1.5, 1.0];
        let logits = vec![vec![1.5, -2.0, 0.25, 7.0], vec![-0.3, 0.8, 2.0, -1.0]];
        let labels = [2, 0];
        for (single, multi) in [
            (Loss::Sigmoid, MultiLabelLoss::Sigmoid),
            (
                Loss::Focal { gamma: 2.0 },
                MultiLabelLoss::Focal { gamma: 2.0 },
            ),
        ] {
            let want = batch_loss(single, &logits, &labels, &weights).unwrap();
            let targets: Vec<Vec<bool>> = labels
                .iter()
                .map(|&y| (0..4).map(|c| c == y).collect())
                .collect();
            let o = objective(
                multi,
                Weighting::Classes {
                    weights: weights.clone(),
                    mode: CbMode::BySample,
                },
                &POSITIVES,
                200,
            );
            let got = multi_label_batch_loss(&o, &logits, &targets).unwrap();
            assert_eq!(got, want, "{multi:?}");
        }
    }

    #[test]
    fn modes_place_the_weights() {
        let w = vec![0.5, 2.0, 1.0];
        let y = [true, true, false];
        let mut out = [0.0; 3];
        let by_class = objective(
            MultiLabelLoss::Sigmoid,
            Weighting::Classes {
                weights: w.clone(),
                mode: CbMode::ByClass,
            },
            &[5, 5, 5],
            10,
        );
        by_class.term_weights(&y, &mut out);
        assert_eq!(out, [0.5, 2.0, 1.0]);
        let by_sample = objective(
            MultiLabelLoss::Sigmoid,
            Weighting::Classes {
                weights: w,
                mode: CbMode::BySample,
            },
            &[5, 5, 5],
            10,
        );
        by_sample.term_weights(&y, &mut out);
        assert_eq!(out, [1.25; 3]);
        by_sample.term_weights(&[false; 3], &mut out);
        assert_eq!(out, [1.0; 3], "no positive: the weights' mean");
    }

    #[test]
    fn asymmetric_with_no_focusing_or_margin_is_bce() {
        let asl = objective(
            MultiLabelLoss::Asymmetric(AslParams {
                gamma_pos: 0.0,
                gamma_neg: 0.0,
                clip: 0.0,
            }),
            Weighting::None,
            &POSITIVES,
            200,
        );
        let bce = objective(MultiLabelLoss::Sigmoid, Weighting::None, &POSITIVES, 200);
        let logits = vec![vec![1.5, -2.0, 0.25, 7.0], vec![-30.0, 0.8, 2.0, -1.0]];
        let targets = vec![
            vec![true, false, true, false],
            vec![false, true, false, false],
        ];
        let a = multi_label_batch_loss(&asl, &logits, &targets).unwrap();
        let b = multi_label_batch_loss(&bce, &logits, &targets).unwrap();
        assert!((a.loss - b.loss).abs() < 1e-15);
        for (ra, rb) in a.grad.iter().zip(&b.grad) {
            for (x, y) in ra.iter().zip(rb) {
                assert!((x - y).abs() < 1e-15);
            }
        }
    }

    #[test]
    fn distribution_balanced_by_hand() {
        // Two classes, n = [2, 8] of N = 10; a sample carrying class 0 only.
        let p = DbParams::default();
        let o = objective(
            MultiLabelLoss::DistributionBalanced(p),
            Weighting::None,
            &[2, 8],
            10,
        );
        let (z, y) = ([0.3, -0.7], [true, false]);
        let mut w = [0.0; 2];
        o.term_weights(&y, &mut w);
        // r = (1/n_c) / (1/2): [1, 0.25].
        let smooth = |r: f64| 0.1 + 1.0 / (1.0 + (-10.0 * (r - 0.3)).exp());
        assert!((w[0] - smooth(1.0)).abs() < 1e-15 && (w[1] - smooth(0.25)).abs() < 1e-15);
        let bias = |n: f64| -(10.0 / n - 1.0f64).ln() * 0.05 / 5.0;
        let bce = |x: f64, t: bool| {
            let q = 1.0 / (1.0 + (-x).exp());
            if t { -q.ln() } else { -(1.0 - q).ln() }
        };
        let pos = z[0] + bias(2.0);
        let neg = (z[1] + bias(8.0)) * 5.0;
        let term = |x: f64, t: bool| {
            let l = bce(x, t);
            (1.0 - (-l).exp()).powi(2) * l
        };
        let want = 2.0 * (w[0] * term(pos, true) + w[1] / 5.0 * term(neg, false));
        assert!(
            (value(&o, &z, &y) - want).abs() < 1e-12,
            "{} vs {want}",
            value(&o, &z, &y)
        );
        o.term_weights(&[false, false], &mut w);
        assert_eq!(
            w,
            [1.1, 1.1],
            "no positive: alpha + 1, as the code's 1/0 gives"
        );
    }

    #[test]
    fn asymmetric_by_hand() {
        let p = AslParams {
            gamma_pos: 1.0,
            gamma_neg: 4.0,
            clip: 0.05,
        };
        let o = objective(MultiLabelLoss::Asymmetric(p), Weighting::None, &[3, 3], 10);
        let s = |x: f64| 1.0 / (1.0 + (-x).exp());
        let (z, y) = ([0.4, 1.2], [true, false]);
        let pm = s(1.2) - 0.05;
        let want = -(1.0 - s(0.4)) * s(0.4).ln() - pm.powi(4) * (1.0 - pm).ln();
        assert!((value(&o, &z, &y) - want).abs() < 1e-14);
        // A negative below the margin costs nothing.
        assert_eq!(
            value(&o, &[5.0, -4.0], &[true, false]),
            value(&o, &[5.0, -9.0], &[true, false])
        );
    }

    #[test]
    fn db_refuses_what_its_bias_cannot_take() {
        let db = MultiLabelLoss::DistributionBalanced(DbParams::default());
        let err = |p: &[u64], n| MultiLabelObjective::new(db, Weighting::None, p, n).unwrap_err();
        assert_eq!(err(&[0, 3], 5), MultiLabelError::EmptyClass(0));
        assert_eq!(err(&[2, 5], 5), MultiLabelError::EveryClassSample(1));
        assert_eq!(
            err(&[2, 7], 5),
            MultiLabelError::SamplesBelowCount {
                samples: 5,
                largest: 7
            }
        );
        let weighted = Weighting::Classes {
            weights: vec![1.0, 1.0],
            mode: CbMode::ByClass,
        };
        assert_eq!(
            MultiLabelObjective::new(db, weighted, &[2, 3], 5).unwrap_err(),
            MultiLabelError::DbWeighted
        );
        assert!(err(&[0, 3], 5).to_string().contains("needs 0 < n_c < N"));
        let bad = MultiLabelLoss::Asymmetric(AslParams {
            clip: 1.0,
            ..AslParams::default()
        });
        assert!(matches!(
            MultiLabelObjective::new(bad, Weighting::None, &[2, 3], 5),
            Err(MultiLabelError::Parameter { name: "clip", .. })
        ));
    }

    #[test]
    fn extreme_logits_stay_finite() {
        for loss in losses() {
            for mode in CbMode::ALL {
                let o = objective(loss, weighting_for(loss, mode), &POSITIVES, 200);
                for z in [[1e4, -1e4, 0.0, 1e4], [-1e4, 1e4, -1e4, -1e4]] {
                    for y in [[true, false, true, false], [false; 4], [true; 4]] {
                        let mut w = [0.0; 4];
                        o.term_weights(&y, &mut w);
                        let mut g = [0.0; 4];
                        let v = o.sample(&z, &y, &w, &mut g);
                        assert!(v.is_finite() && v >= 0.0, "{loss:?} {z:?} {y:?}: {v}");
                        assert!(g.iter().all(|x| x.is_finite()), "{loss:?}: {g:?}");
                        let z32 = z.map(|v| v as f32);
                        let mut g32 = [0.0f32; 4];
                        let v32 = o.sample(&z32, &y, &w, &mut g32);
                        assert!(
                            v32.is_finite() && g32.iter().all(|x| x.is_finite()),
                            "{loss:?} f32"
                        );
                    }
                }
            }
        }
    }

    fn case() -> impl Strategy<Value = (Vec<f64>, Vec<bool>)> {
        (
            proptest::collection::vec(-8.0f64..8.0, 4),
            proptest::collection::vec(any::<bool>(), 4),
        )
    }

    proptest! {
        #[test]
        fn gradients_match_central_differences((z, y) in case()) {
            for loss in losses() {
                for mode in CbMode::ALL {
                    let o = objective(loss, weighting_for(loss, mode), &POSITIVES, 200);
                    let mut w = vec![0.0; 4];
                    o.term_weights(&y, &mut w);
                    let mut grad = vec![0.0; 4];
                    o.sample(&z, &y, &w, &mut grad);
                    let h = 1e-5;
                    // ASL's clip bends a negative's loss where p = clip: no derivative there to check.
                    let kink = match loss {
                        MultiLabelLoss::Asymmetric(p) if p.clip > 0.0 => Some((p.clip / (1.0 - p.clip)).ln()),
                        _ => None,
                    };
                    for j in 0..4 {
                        if !y[j] && kink.is_some_and(|k| (z[j] - k).abs() < 1e-3) {
                            continue;
                        }
                        let (mut up, mut down) = (z.clone(), z.clone());
                        up[j] += h;
                        down[j] -= h;
                        let numeric = (value(&o, &up, &y) - value(&o, &down, &y)) / (2.0 * h);
                        prop_assert!((numeric - grad[j]).abs() <= 1e-6 * (1.0 + numeric.abs()),
                            "{:?} {:?} class {}: analytic {} numeric {}", loss, mode, j, grad[j], numeric);
                    }
                }
            }
        }

        #[test]
        fn f32_agrees_with_f64((z, y) in case()) {
            for loss in losses() {
                let o = objective(loss, weighting_for(loss, CbMode::BySample), &POSITIVES, 200);
                let mut w = vec![0.0; 4];
                o.term_weights(&y, &mut w);
                let (mut g64, mut g32) = (vec![0.0; 4], vec![0.0f32; 4]);
                let z32: Vec<f32> = z.iter().map(|&v| v as f32).collect();
                let v64 = o.sample(&z, &y, &w, &mut g64);
                let v32 = o.sample(&z32, &y, &w, &mut g32);
                prop_assert!((v64 - v32 as f64).abs() <= 1e-4 * (1.0 + v64.abs()));
                for (a, b) in g64.iter().zip(&g32) {
                    prop_assert!((a - *b as f64).abs() <= 1e-4 * (1.0 + a.abs()));
                }
            }
        }
    }
}
