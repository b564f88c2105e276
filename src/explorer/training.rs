//! The training panel's settings: which runs it compares, how they train,
//! and on which backend; plain data, kept in the URL beside the explorer's
//! (see [`super::url`]).

use crate::balance::loss_kind::LossKind;
use crate::balance::weights::SchemeKind;
use crate::train::batches::Sampler;
use crate::train::config::TrainConfig;
use crate::train::methods::Method;
use crate::train::mlp::MlpConfig;
use crate::train::optimizer::OptimizerKind;

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
/// The most runs the panel trains side by side.
pub const MAX_RUNS: usize = 6;
/// The runs "add a run" offers, in turn: what came after CB loss.
pub const SUGGESTED_RUNS: [Method; 4] = [
    Method::plain(LossKind::LogitAdjusted),
    Method {
        drw: true,
        ..Method::weighted(SchemeKind::Cb, LossKind::Ldam)
    },
    Method {
        sampler: Sampler::ClassBalanced,
        ..Method::plain(LossKind::Softmax)
    },
    Method::weighted(SchemeKind::Inverse, LossKind::Softmax),
];

/// How the panel's runs train.
#[derive(Clone, Debug, PartialEq)]
pub struct TrainingSettings {
    /// The loss of the third run (the first two are softmax and CB softmax,
    /// with instance sampling).
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
    /// How the third run draws its batches.
    pub sampler: Sampler,
    /// Whether the third run defers its weighting (DRW).
    pub drw: bool,
    /// Runs after the third, up to [`MAX_RUNS`] in all, each any method.
    pub extra: Vec<Method>,
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
            sampler: Sampler::Instance,
            drw: false,
            extra: Vec::new(),
        }
    }
}

impl TrainingSettings {
    /// The third run's method.
    pub fn chosen(&self) -> Method {
        Method {
            sampler: self.sampler,
            drw: self.drw,
            ..Method::weighted(self.scheme, self.loss)
        }
    }

    /// Sets the third run's method (loss, weighting, sampler, schedule).
    pub fn set_chosen(&mut self, method: Method) {
        self.loss = method.loss;
        self.scheme = method.scheme;
        self.sampler = method.sampler;
        self.drw = method.drw;
    }

    /// Every run's method: unweighted softmax, class-balanced softmax, the
    /// chosen one, then the extra runs.
    pub fn methods(&self) -> Vec<Method> {
        let mut methods = vec![
            Method::plain(LossKind::Softmax),
            Method::weighted(SchemeKind::Cb, LossKind::Softmax),
            self.chosen(),
        ];
        methods.extend(self.extra.iter().take(MAX_RUNS - 3));
        methods
    }

    /// The runs at the explorer's beta and gamma, on identical data and
    /// initialisation: [`TrainingSettings::methods`].
    pub fn configs(&self, beta: f64, gamma: f64) -> Vec<TrainConfig> {
        let base = self.base(beta, gamma);
        self.methods().iter().map(|m| m.config(&base)).collect()
    }

    /// Adds the first suggested run not already there, while there is room.
    pub fn add_run(&mut self) {
        if self.extra.len() + 3 >= MAX_RUNS {
            return;
        }
        let methods = self.methods();
        let next = SUGGESTED_RUNS
            .into_iter()
            .find(|m| !methods.contains(m))
            .unwrap_or(Method::plain(LossKind::Softmax));
        self.extra.push(next);
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_skips_software_adapters() {
        assert!(Backend::Auto.uses_gpu(false) && !Backend::Auto.uses_gpu(true));
        assert!(Backend::Gpu.uses_gpu(true) && !Backend::Cpu.uses_gpu(false));
        assert_eq!(Backend::from_name("gpu"), Some(Backend::Gpu));
        assert_eq!(Backend::from_name("tpu"), None);
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

    #[test]
    fn runs_can_be_added_up_to_six_each_a_new_method() {
        let mut s = TrainingSettings::default();
        for _ in 0..5 {
            s.add_run();
        }
        let runs = s.configs(0.999, 2.0);
        assert_eq!(runs.len(), MAX_RUNS);
        let labels: Vec<String> = runs.iter().map(TrainConfig::label).collect();
        assert_eq!(labels[3], "logit-adjusted (tau 1)");
        assert!(
            labels[4].contains("LDAM") && labels[4].contains("re-weighted"),
            "{labels:?}"
        );
        assert!(labels[5].contains("class-balanced"), "{labels:?}");
        assert!(
            runs.iter()
                .all(|r| r.seed == runs[0].seed && r.model == runs[0].model)
        );
        s.drw = true;
        assert_eq!(s.configs(0.999, 2.0)[2].drw_from, Some(0.8));
    }
}
