//! What defines a training run ([`TrainConfig`]), why one cannot start
//! ([`TrainError`]), and the check that turns a configuration into the loss
//! and class weights it trains with ([`validate`]).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::balance::effective_number::{Beta, BetaError};
use num_traits::Float;

use crate::balance::adjusted_softmax::{
    AdjustError, AdjustedSoftmax, DEFAULT_MAX_MARGIN, DEFAULT_SCALE, DEFAULT_TAU, log_prior_offsets,
};
use crate::balance::loss_kind::LossKind;
use crate::balance::losses::Loss;
use crate::balance::weights::{SchemeKind, WeightsError, class_weights};
use crate::data::dataset::Dataset;
use crate::i18n::Message;
use crate::train::batches::{BatchSampler, Sampler};
use crate::train::mlp::{Activation, MlpConfig};
use crate::train::optimizer::OptimizerKind;

fn default_tau() -> f64 {
    DEFAULT_TAU
}

fn default_max_margin() -> f64 {
    DEFAULT_MAX_MARGIN
}

fn default_scale() -> f64 {
    DEFAULT_SCALE
}

/// The loss a run trains with: one of the paper's, or an adjusted softmax
/// built from the training counts.
#[derive(Clone, Debug, PartialEq)]
pub enum TrainLoss {
    /// Softmax, sigmoid or focal.
    Paper(Loss),
    /// Logit-adjusted, balanced softmax or LDAM.
    Adjusted(AdjustedSoftmax),
}

impl TrainLoss {
    /// The loss of one sample; d loss / d z into `grad`.
    pub fn sample<F: Float>(&self, z: &[F], y: usize, grad: &mut [F]) -> F {
        match self {
            Self::Paper(loss) => loss.sample(z, y, grad),
            Self::Adjusted(loss) => loss.sample(z, y, grad),
        }
    }

    /// Whether the output bias starts at the prior (the one-vs-all losses).
    pub fn uses_prior_bias(&self) -> bool {
        matches!(self, Self::Paper(loss) if loss.uses_prior_bias())
    }
}

/// Everything that defines a training run.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrainConfig {
    /// Softmax, sigmoid or focal.
    pub loss: LossKind,
    /// How classes are weighted (`cb` for class-balanced).
    pub scheme: SchemeKind,
    /// beta of the class-balanced weights.
    pub beta: f64,
    /// gamma of the focal loss.
    pub gamma: f64,
    /// The network.
    pub model: MlpConfig,
    /// The optimiser.
    pub optimizer: OptimizerKind,
    /// The learning rate.
    pub learning_rate: f64,
    /// Samples per step; `None` for the whole training set.
    pub batch: Option<usize>,
    /// Passes over the training set.
    pub epochs: usize,
    /// Seed of the initialisation and of the batch order.
    pub seed: u64,
    /// How batches are drawn (instance sampling unless said).
    #[serde(default)]
    pub sampler: Sampler,
    /// tau of the logit-adjusted loss.
    #[serde(default = "default_tau")]
    pub tau: f64,
    /// LDAM's largest margin.
    #[serde(default = "default_max_margin")]
    pub max_margin: f64,
    /// LDAM's logit scale.
    #[serde(default = "default_scale")]
    pub scale: f64,
    /// Post-hoc logit adjustment of the predictions (Menon et al. 2021):
    /// predict argmax_j (z_j - tau log pi_j); `None`: plain argmax.
    #[serde(default)]
    pub posthoc_tau: Option<f64>,
    /// Deferred re-weighting (DRW, Cao et al. 2019): unweighted until this
    /// fraction of the epochs, then weighted by `scheme` (LDAM-DRW: 0.8, CB at
    /// beta 0.9999). `None`: weighted from the start.
    #[serde(default)]
    pub drw_from: Option<f64>,
}

impl Default for TrainConfig {
    fn default() -> Self {
        Self {
            loss: LossKind::Softmax,
            scheme: SchemeKind::None,
            beta: 0.9999,
            gamma: 1.0,
            model: MlpConfig::default(),
            optimizer: OptimizerKind::ADAM,
            learning_rate: 0.01,
            batch: Some(128),
            epochs: 60,
            seed: 0,
            sampler: Sampler::Instance,
            tau: DEFAULT_TAU,
            max_margin: DEFAULT_MAX_MARGIN,
            scale: DEFAULT_SCALE,
            posthoc_tau: None,
            drw_from: None,
        }
    }
}

impl TrainConfig {
    /// The batch stream of a run of this configuration on `train`, `batch`
    /// samples a step.
    pub fn batch_stream(&self, train: &Dataset, batch: usize) -> BatchSampler {
        let steps = self.epochs * train.len().div_ceil(batch.max(1));
        BatchSampler::with_sampler(
            &train.labels,
            train.classes,
            self.sampler,
            (steps * batch) as u64,
            self.seed,
        )
    }

    /// The network and optimiser for Fashion-MNIST-LT's 196 pixels (the
    /// issue's defaults): 196 -> 64 -> 10 ReLU, lr 1e-3; the rest as `self`.
    pub fn for_images(self) -> Self {
        Self {
            model: MlpConfig {
                hidden: 64,
                layers: 1,
                activation: Activation::Relu,
            },
            learning_rate: 1e-3,
            ..self
        }
    }

    /// The step from which deferred re-weighting weights the samples: the
    /// start of epoch round(drw_from x epochs); 0 without DRW.
    pub fn reweight_from(&self, steps_per_epoch: usize) -> usize {
        self.drw_from.map_or(0, |f| {
            (f * self.epochs as f64).round() as usize * steps_per_epoch
        })
    }

    /// Whether the network's last layer gives cosine logits: LDAM's, as in
    /// the official code (its scale s then sets the logits' range, -s to s).
    pub fn cosine_logits(&self) -> bool {
        self.loss == LossKind::Ldam
    }

    /// Whether the run is plain softmax cross-entropy: unweighted, every
    /// sample alike, argmax prediction (the run post-hoc adjustment re-scores).
    pub fn is_plain_softmax(&self) -> bool {
        self.loss == LossKind::Softmax
            && self.scheme == SchemeKind::None
            && self.sampler == Sampler::Instance
            && self.posthoc_tau.is_none()
            && self.drw_from.is_none()
    }

    /// The loss for classes of these training `counts`.
    pub fn train_loss(&self, counts: &[u64]) -> Result<TrainLoss, AdjustError> {
        match AdjustedSoftmax::for_kind(self.loss, counts, self.tau, self.max_margin, self.scale) {
            Some(adjusted) => Ok(TrainLoss::Adjusted(adjusted?)),
            None => Ok(TrainLoss::Paper(
                self.loss
                    .paper(self.gamma)
                    .expect("a loss not adjusted is the paper's"),
            )),
        }
    }

    /// A short name: "softmax", "CB focal (beta 0.999, gamma 0.5)", "inverse sigmoid"
    /// (in English: the command line's and the GPU trainer's).
    pub fn label(&self) -> String {
        self.label_message().to_string()
    }

    /// The short name in any language.
    pub fn label_message(&self) -> Message {
        let loss = self.loss.label();
        let params = match (self.scheme, self.loss) {
            (SchemeKind::Cb, LossKind::Focal) => Some(
                Message::new("run.beta_gamma")
                    .with("beta", self.beta)
                    .with("gamma", self.gamma),
            ),
            (SchemeKind::Cb, LossKind::LogitAdjusted) => Some(
                Message::new("run.beta_tau")
                    .with("beta", self.beta)
                    .with("tau", self.tau),
            ),
            (SchemeKind::Cb, _) => Some(Message::new("run.beta").with("beta", self.beta)),
            (_, LossKind::Focal) => Some(Message::new("run.gamma").with("gamma", self.gamma)),
            (_, LossKind::LogitAdjusted) => Some(Message::new("run.tau").with("tau", self.tau)),
            _ => None,
        };
        let scheme = match self.scheme {
            SchemeKind::None => None,
            SchemeKind::Cb => Some("run.scheme.cb"),
            SchemeKind::Inverse => Some("run.scheme.inverse"),
            SchemeKind::SqrtInverse => Some("run.scheme.sqrt_inverse"),
            SchemeKind::Balanced => Some("run.scheme.balanced"),
            SchemeKind::MedianFrequency => Some("run.scheme.median_frequency"),
            SchemeKind::Enet => Some("run.scheme.enet"),
        };
        let message = match (scheme, &params) {
            (None, None) => Message::new("run.plain"),
            (None, Some(_)) => Message::new("run.plain_params"),
            (Some(scheme), None) => {
                Message::new("run.weighted").with_message("scheme", Message::new(scheme))
            }
            (Some(scheme), Some(_)) => {
                Message::new("run.weighted_params").with_message("scheme", Message::new(scheme))
            }
        }
        .with("loss", loss);
        let message = match params {
            Some(params) => message.with_message("params", params),
            None => message,
        };
        let message = match self.posthoc_tau {
            Some(tau) => Message::new("run.with_posthoc")
                .with_message("run", message)
                .with("tau", tau),
            None => message,
        };
        let message = match self.drw_from {
            Some(f) => Message::new("run.with_drw")
                .with_message("run", message)
                .with("epoch", (f * self.epochs as f64).round() as usize + 1),
            None => message,
        };
        match self.sampler {
            Sampler::Instance => message,
            sampler => Message::new("run.with_sampler")
                .with_message("run", message)
                .with_message("sampler", sampler_message(sampler)),
        }
    }
}

/// A sampler's name in a run's label.
fn sampler_message(sampler: Sampler) -> Message {
    match sampler {
        Sampler::Instance => Message::new("run.sampler.instance"),
        Sampler::ClassBalanced => Message::new("run.sampler.class_balanced"),
        Sampler::Sqrt => Message::new("run.sampler.sqrt"),
        Sampler::Progressive => Message::new("run.sampler.progressive"),
        Sampler::RepeatFactor(t) => Message::new("run.sampler.repeat_factor").with("t", t.get()),
    }
}

/// Why training cannot start.
#[derive(Clone, Debug, PartialEq)]
pub enum TrainError {
    /// beta is out of range.
    Beta(BetaError),
    /// The class weights cannot be computed.
    Weights(WeightsError),
    /// gamma must be a finite number >= 0.
    Gamma(f64),
    /// The learning rate must be a finite number > 0.
    LearningRate(f64),
    /// The batch size must be at least 1.
    Batch,
    /// The fraction of epochs before re-weighting must be a number in [0, 1].
    Drw(f64),
    /// The adjusted softmax cannot be built (an empty class, a bad tau, margin or scale).
    Adjust(AdjustError),
    /// At least one epoch, and at least one hidden unit and layer.
    Shape,
    /// The counts do not match the training set.
    Counts,
    /// A saved state does not fit this run (other shape or length).
    State,
}

impl TrainError {
    /// What went wrong, for people in any language.
    pub fn message(&self) -> Message {
        match self {
            Self::Beta(e) => e.message(),
            Self::Weights(e) => e.message(),
            Self::Gamma(g) => Message::new("error.train.gamma").with("got", g),
            Self::LearningRate(r) => Message::new("error.train.learning_rate").with("got", r),
            Self::Batch => Message::new("error.train.batch"),
            Self::Drw(f) => Message::new("error.train.drw").with("got", f),
            Self::Adjust(e) => Message::new("error.train.adjust").with("error", e.to_string()),
            Self::Shape => Message::new("error.train.shape"),
            Self::Counts => Message::new("error.train.counts"),
            Self::State => Message::new("error.train.state"),
        }
    }
}

/// In English, from the translation files.
impl fmt::Display for TrainError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.message().fmt(f)
    }
}

impl std::error::Error for TrainError {}

/// Checks a configuration and gives the loss and the class weights it uses.
pub fn validate(config: &TrainConfig, counts: &[u64]) -> Result<(TrainLoss, Vec<f64>), TrainError> {
    let beta = Beta::new(config.beta).map_err(TrainError::Beta)?;
    if !(config.gamma.is_finite() && config.gamma >= 0.0) {
        return Err(TrainError::Gamma(config.gamma));
    }
    if !(config.learning_rate.is_finite() && config.learning_rate > 0.0) {
        return Err(TrainError::LearningRate(config.learning_rate));
    }
    if config.batch == Some(0) {
        return Err(TrainError::Batch);
    }
    if let Some(f) = config.drw_from
        && !(f.is_finite() && (0.0..=1.0).contains(&f))
    {
        return Err(TrainError::Drw(f));
    }
    if config.epochs == 0 || config.model.hidden == 0 || config.model.layers == 0 {
        return Err(TrainError::Shape);
    }
    let weights =
        class_weights(counts, config.scheme.with_beta(beta)).map_err(TrainError::Weights)?;
    let loss = config.train_loss(counts).map_err(TrainError::Adjust)?;
    if let Some(tau) = config.posthoc_tau {
        log_prior_offsets(counts, tau).map_err(TrainError::Adjust)?;
    }
    Ok((loss, weights.weights))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels() {
        let d = TrainConfig::default();
        assert_eq!(d.label(), "softmax");
        let cb = TrainConfig {
            scheme: SchemeKind::Cb,
            loss: LossKind::Focal,
            beta: 0.999,
            gamma: 0.5,
            ..d
        };
        assert_eq!(cb.label(), "CB focal (beta 0.999, gamma 0.5)");
        let inv = TrainConfig {
            scheme: SchemeKind::Inverse,
            loss: LossKind::Sigmoid,
            ..d
        };
        assert_eq!(inv.label(), "inverse sigmoid");
        let zh = |c: &TrainConfig| c.label_message().in_lang(crate::i18n::Lang::ZhCn);
        assert_eq!(zh(&cb), "类别平衡 focal（beta 0.999，gamma 0.5）");
        assert_eq!(zh(&inv), "逆频率 sigmoid");
        assert_eq!(zh(&d), "softmax");
        let sampled = TrainConfig {
            sampler: Sampler::ClassBalanced,
            ..d
        };
        assert_eq!(sampled.label(), "softmax, class-balanced sampling");
        assert_eq!(zh(&sampled), "softmax，类别平衡采样");
        let drw = TrainConfig {
            scheme: SchemeKind::Cb,
            beta: 0.9999,
            epochs: 200,
            drw_from: Some(0.8),
            ..d
        };
        assert_eq!(
            drw.label(),
            "CB softmax (beta 0.9999), re-weighted from epoch 161"
        );
        assert_eq!(drw.reweight_from(5), 800);
        assert_eq!(d.reweight_from(5), 0);
        assert_eq!(
            zh(&drw),
            "类别平衡 softmax（beta 0.9999），自第 161 轮起重加权"
        );
    }
}
