//! The training panel's settings: which runs it compares, how they train,
//! and on which backend; plain data, kept in the URL beside the explorer's.

use crate::balance::losses::LossKind;
use crate::balance::weights::SchemeKind;
use crate::i18n::Message;
use crate::train::mlp::MlpConfig;
use crate::train::optimizer::OptimizerKind;
use crate::train::trainer::TrainConfig;

/// Where the panel trains.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Backend {
    /// WebGPU when the browser has a hardware adapter; the CPU otherwise (a
    /// software adapter, such as SwiftShader, is slower than the CPU trainer).
    Auto,
    /// WebGPU whenever the browser has an adapter, software ones included.
    Gpu,
    /// The CPU (WebAssembly), whatever the browser has.
    Cpu,
}

impl Backend {
    /// `auto`, `gpu` or `cpu`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Auto => "auto",
            Self::Gpu => "gpu",
            Self::Cpu => "cpu",
        }
    }

    /// The backend with this name.
    pub fn from_name(name: &str) -> Option<Self> {
        [Self::Auto, Self::Gpu, Self::Cpu]
            .into_iter()
            .find(|b| b.name() == name)
    }

    /// Whether to train on an adapter that is there, `software` or not.
    pub fn uses_gpu(self, software: bool) -> bool {
        match self {
            Self::Auto => !software,
            Self::Gpu => true,
            Self::Cpu => false,
        }
    }
}

/// The learning rates the panel offers.
pub const LEARNING_RATES: [f64; 6] = [0.001, 0.003, 0.01, 0.03, 0.1, 0.3];
/// The hidden widths the panel offers.
pub const HIDDEN_SIZES: [usize; 5] = [8, 16, 32, 64, 128];
/// The most epochs the panel runs.
pub const MAX_EPOCHS: usize = 1000;

/// How the panel's runs train.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TrainingSettings {
    /// The loss of the third run (the first two are softmax and CB softmax).
    pub loss: LossKind,
    /// The weighting of the third run.
    pub scheme: SchemeKind,
    /// The optimiser of every run.
    pub optimizer: OptimizerKind,
    /// The learning rate of every run.
    pub learning_rate: f64,
    /// Hidden units per layer.
    pub hidden: usize,
    /// Passes over the training set.
    pub epochs: usize,
    /// Seed of the data, the initialisation and the batch order.
    pub seed: u64,
    /// Where to train.
    pub backend: Backend,
}

impl Default for TrainingSettings {
    fn default() -> Self {
        let config = TrainConfig::default();
        Self {
            loss: LossKind::Focal,
            scheme: SchemeKind::Cb,
            optimizer: config.optimizer,
            learning_rate: config.learning_rate,
            hidden: config.model.hidden,
            epochs: config.epochs,
            seed: config.seed,
            backend: Backend::Auto,
        }
    }
}

impl TrainingSettings {
    /// The three runs at the explorer's beta and gamma: unweighted softmax,
    /// class-balanced softmax, and the chosen loss with the chosen weighting.
    pub fn configs(&self, beta: f64, gamma: f64) -> [TrainConfig; 3] {
        let base = self.base(beta, gamma);
        [
            TrainConfig {
                loss: LossKind::Softmax,
                scheme: SchemeKind::None,
                ..base
            },
            TrainConfig {
                loss: LossKind::Softmax,
                scheme: SchemeKind::Cb,
                ..base
            },
            TrainConfig {
                loss: self.loss,
                scheme: self.scheme,
                ..base
            },
        ]
    }

    /// Every run's common settings.
    pub fn base(&self, beta: f64, gamma: f64) -> TrainConfig {
        TrainConfig {
            beta,
            gamma,
            model: MlpConfig {
                hidden: self.hidden,
                ..MlpConfig::default()
            },
            optimizer: self.optimizer,
            learning_rate: self.learning_rate,
            epochs: self.epochs,
            seed: self.seed,
            ..TrainConfig::default()
        }
    }

    /// The URL's pairs for the settings that differ from the defaults.
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let d = Self::default();
        let mut pairs = Vec::new();
        if self.loss != d.loss {
            pairs.push(("train_loss", self.loss.name().to_owned()));
        }
        if self.scheme != d.scheme {
            pairs.push(("train_scheme", self.scheme.name().to_owned()));
        }
        if self.optimizer != d.optimizer {
            pairs.push(("optimizer", self.optimizer.name().to_owned()));
        }
        if self.learning_rate != d.learning_rate {
            pairs.push(("lr", self.learning_rate.to_string()));
        }
        if self.hidden != d.hidden {
            pairs.push(("hidden", self.hidden.to_string()));
        }
        if self.epochs != d.epochs {
            pairs.push(("epochs", self.epochs.to_string()));
        }
        if self.seed != d.seed {
            pairs.push(("seed", self.seed.to_string()));
        }
        if self.backend != d.backend {
            pairs.push(("backend", self.backend.name().to_owned()));
        }
        pairs
    }

    /// Settings from a URL's values (`get` looks a key up); bad values keep
    /// the default and say why in `notices`.
    pub fn from_pairs<'a>(
        get: &impl Fn(&str) -> Option<&'a str>,
        notices: &mut Vec<Message>,
    ) -> Self {
        let mut s = Self::default();
        let mut bad = |what: &'static str, value: &str, why: Message| {
            notices.push(super::url::ignored(what, value, why));
        };
        if let Some(v) = get("train_loss") {
            match LossKind::from_name(v) {
                Some(k) => s.loss = k,
                None => bad("notice.what.loss", v, Message::new("notice.why.loss")),
            }
        }
        if let Some(v) = get("train_scheme") {
            match SchemeKind::ALL.into_iter().find(|k| k.name() == v) {
                Some(k) => s.scheme = k,
                None => bad("notice.what.scheme", v, Message::new("notice.why.scheme")),
            }
        }
        if let Some(v) = get("optimizer") {
            match v {
                "adam" => s.optimizer = OptimizerKind::ADAM,
                "sgd" => s.optimizer = OptimizerKind::SGD,
                _ => bad(
                    "notice.what.optimizer",
                    v,
                    Message::new("notice.why.optimizer"),
                ),
            }
        }
        if let Some(v) = get("lr") {
            match v.trim().parse::<f64>() {
                Ok(r) if r.is_finite() && r > 0.0 && r <= 1.0 => s.learning_rate = r,
                _ => bad("notice.what.lr", v, Message::new("notice.why.lr")),
            }
        }
        if let Some(v) = get("hidden") {
            match v.trim().parse::<usize>() {
                Ok(h) if (1..=256).contains(&h) => s.hidden = h,
                _ => bad("notice.what.hidden", v, Message::new("notice.why.hidden")),
            }
        }
        if let Some(v) = get("epochs") {
            match v.trim().parse::<usize>() {
                Ok(e) if (1..=MAX_EPOCHS).contains(&e) => s.epochs = e,
                _ => bad(
                    "notice.what.epochs",
                    v,
                    Message::new("notice.why.epochs").with("max", MAX_EPOCHS),
                ),
            }
        }
        if let Some(v) = get("seed") {
            match v.trim().parse::<u64>() {
                Ok(seed) => s.seed = seed,
                _ => bad("notice.what.seed", v, Message::new("notice.why.seed")),
            }
        }
        if let Some(v) = get("backend") {
            match Backend::from_name(v) {
                Some(b) => s.backend = b,
                None => bad("notice.what.backend", v, Message::new("notice.why.backend")),
            }
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(pairs: &[(&str, &str)]) -> (TrainingSettings, Vec<Message>) {
        let get = |k: &str| pairs.iter().find(|(key, _)| *key == k).map(|(_, v)| *v);
        let mut notices = Vec::new();
        (TrainingSettings::from_pairs(&get, &mut notices), notices)
    }

    #[test]
    fn defaults_write_nothing_and_round_trip() {
        assert!(TrainingSettings::default().to_pairs().is_empty());
        let s = TrainingSettings {
            loss: LossKind::Sigmoid,
            scheme: SchemeKind::Inverse,
            optimizer: OptimizerKind::SGD,
            learning_rate: 0.03,
            hidden: 64,
            epochs: 12,
            seed: 9,
            backend: Backend::Cpu,
        };
        let pairs = s.to_pairs();
        let borrowed: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert_eq!(parse(&borrowed), (s, vec![]));
    }

    #[test]
    fn bad_values_keep_the_default_with_a_notice() {
        let (s, notices) = parse(&[
            ("train_loss", "<b>hinge</b>"),
            ("lr", "-1"),
            ("hidden", "100000"),
            ("epochs", "0"),
            ("backend", "tpu"),
        ]);
        assert_eq!(s, TrainingSettings::default());
        assert_eq!(notices.len(), 5);
        assert!(notices[0].to_string().contains("\"<b>hinge</b>\""));
    }

    #[test]
    fn auto_skips_software_adapters() {
        assert!(Backend::Auto.uses_gpu(false) && !Backend::Auto.uses_gpu(true));
        assert!(Backend::Gpu.uses_gpu(true) && !Backend::Cpu.uses_gpu(false));
        let (s, notices) = parse(&[("backend", "gpu")]);
        assert_eq!((s.backend, notices.len()), (Backend::Gpu, 0));
    }

    #[test]
    fn the_runs_are_softmax_cb_softmax_and_the_chosen_one() {
        let runs = TrainingSettings::default().configs(0.999, 2.0);
        let labels: Vec<String> = runs.iter().map(TrainConfig::label).collect();
        assert_eq!(
            labels,
            [
                "softmax",
                "CB softmax (beta 0.999)",
                "CB focal (beta 0.999, gamma 2)"
            ]
        );
        assert!(runs.iter().all(|r| r.epochs == 60 && r.model.hidden == 32));
    }
}
