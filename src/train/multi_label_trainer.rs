//! Training C sigmoid outputs on multi-hot targets on the CPU: the same MLP
//! and optimisers as the single-label trainer, a loss from
//! [`crate::balance::multi_label`], instance sampling (class-balanced
//! sampling has no single meaning when a sample carries several classes: a
//! draw "of class c" drags in its other labels, so it is refused by name, see
//! docs/methods.md), scored by [`crate::train::ranking`].

use ndarray::Array2;
use serde::{Deserialize, Serialize};

use crate::balance::effective_number::Beta;
use crate::balance::losses::sigmoid;
use crate::balance::multi_label::{
    AslParams, CbMode, DbParams, MultiLabelError, MultiLabelKind, MultiLabelLoss,
    MultiLabelObjective, Weighting,
};
use crate::balance::repeat_factor::{image_repeat_factors, repeat_factors};
use crate::balance::weights::{SchemeKind, class_weights};
use crate::data::dataset::{Bounds, MultiLabelData};
use crate::data::label_sets::LabelSetCounts;
use crate::train::batches::{BatchSampler, Sampler, Threshold};
use crate::train::flush::{FlushToZero, flush};
use crate::train::mlp::{Mlp, MlpConfig, Workspace};
use crate::train::optimizer::{Optimizer, OptimizerKind};
use crate::train::prediction::{grid_points, points_array};
use crate::train::progress::{Progress, TrainState};
use crate::train::ranking::{MultiLabelMetrics, multi_label_metrics};
use crate::train::shards::{ShardRows, ShardedBatch};

/// A multi-label method: a loss, a class weighting and where it goes.
/// Written `[scheme-]loss[+by-sample]`: `sigmoid`, `cb-sigmoid`,
/// `cb-focal+by-sample`, `distribution-balanced`, `asymmetric`. By class is
/// the default and may be written `+by-class`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MultiLabelMethod {
    /// The loss.
    pub loss: MultiLabelKind,
    /// The class weighting (none for DB, which weights itself).
    pub scheme: SchemeKind,
    /// Where class weights go.
    #[serde(with = "mode_name")]
    pub mode: CbMode,
    /// LVIS's repeat-factor sampling at this t (instance sampling when none).
    #[serde(default)]
    pub repeat: Option<Threshold>,
}

mod mode_name {
    use super::CbMode;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(mode: &CbMode, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(mode.name())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<CbMode, D::Error> {
        let name = String::deserialize(d)?;
        CbMode::from_name(&name).ok_or_else(|| serde::de::Error::custom("by-class or by-sample"))
    }
}

impl MultiLabelMethod {
    /// The standard comparison: plain sigmoid, CB sigmoid and CB focal by class
    /// and by sample, DB and ASL.
    pub const STANDARD: [MultiLabelMethod; 7] = [
        Self::new(MultiLabelKind::Sigmoid, SchemeKind::None, CbMode::ByClass),
        Self::new(MultiLabelKind::Sigmoid, SchemeKind::Cb, CbMode::ByClass),
        Self::new(MultiLabelKind::Sigmoid, SchemeKind::Cb, CbMode::BySample),
        Self::new(MultiLabelKind::Focal, SchemeKind::Cb, CbMode::ByClass),
        Self::new(MultiLabelKind::Focal, SchemeKind::Cb, CbMode::BySample),
        Self::new(
            MultiLabelKind::DistributionBalanced,
            SchemeKind::None,
            CbMode::ByClass,
        ),
        Self::new(
            MultiLabelKind::Asymmetric,
            SchemeKind::None,
            CbMode::ByClass,
        ),
    ];

    /// A method.
    pub const fn new(loss: MultiLabelKind, scheme: SchemeKind, mode: CbMode) -> Self {
        Self {
            loss,
            scheme,
            mode,
            repeat: None,
        }
    }

    /// `[scheme-]loss[@repeat-factor[:t]][+by-sample]`.
    pub fn name(&self) -> String {
        let mut name = match self.scheme {
            SchemeKind::None => self.loss.name().to_owned(),
            scheme => format!("{}-{}", scheme.name(), self.loss.name()),
        };
        if let Some(t) = self.repeat {
            name += &format!("@{}", Sampler::RepeatFactor(t).name());
        }
        if self.scheme != SchemeKind::None && self.mode == CbMode::BySample {
            name += "+by-sample";
        }
        name
    }

    /// Reads a name written by [`Self::name`].
    pub fn parse(name: &str) -> Result<Self, String> {
        let mut parts = name.trim().split('+');
        let (head, repeat) = match parts.next().unwrap_or_default().split_once('@') {
            Some((head, sampler)) => match Sampler::from_name(sampler) {
                Some(Sampler::RepeatFactor(t)) => (head, Some(t)),
                _ => {
                    return Err(format!(
                        "\"@{sampler}\" in \"{name}\": with several labels a sample the sampler is @repeat-factor or @repeat-factor:t (t in (0, 1]); class-balanced, sqrt and progressive sampling have no one meaning there"
                    ));
                }
            },
            None => (name.trim().split('+').next().unwrap_or_default(), None),
        };
        let mut mode = None;
        for flag in parts {
            match (CbMode::from_name(flag), mode) {
                (Some(m), None) => mode = Some(m),
                _ => {
                    return Err(format!(
                        "\"+{flag}\" in \"{name}\" is not a CB mode (+by-class, +by-sample), or comes twice"
                    ));
                }
            }
        }
        let loss = MultiLabelKind::ALL
            .into_iter()
            .find(|k| head == k.name() || head.ends_with(&format!("-{}", k.name())))
            .ok_or_else(|| {
                let names: Vec<&str> = MultiLabelKind::ALL.iter().map(|k| k.name()).collect();
                format!(
                    "\"{head}\" is not a multi-label loss, nor a scheme-loss pair (losses: {})",
                    names.join(", ")
                )
            })?;
        let scheme = match head
            .strip_suffix(loss.name())
            .and_then(|p| p.strip_suffix('-'))
        {
            Some(s) => SchemeKind::from_name(s)
                .ok_or_else(|| format!("\"{s}\" in \"{name}\" is not a scheme"))?,
            None => SchemeKind::None,
        };
        if mode.is_some() && scheme == SchemeKind::None {
            return Err(format!(
                "\"{name}\" has a CB mode but no class weights to place (write a scheme, e.g. cb-{})",
                loss.name()
            ));
        }
        Ok(Self {
            repeat,
            ..Self::new(loss, scheme, mode.unwrap_or_default())
        })
    }
}

/// Everything that defines a multi-label run.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct MultiLabelConfig {
    /// Loss, weighting and mode.
    pub method: MultiLabelMethod,
    /// beta of CB weights.
    pub beta: f64,
    /// gamma of the focal loss (and DB's focal factor when `db` is default).
    pub gamma: f64,
    /// The network.
    pub model: MlpConfig,
    /// The optimiser.
    pub optimizer: OptimizerKind,
    /// The learning rate.
    pub learning_rate: f64,
    /// Samples a step.
    pub batch: usize,
    /// Passes over the training set.
    pub epochs: usize,
    /// Seed of the initialisation and the batch order.
    pub seed: u64,
}

impl Default for MultiLabelConfig {
    fn default() -> Self {
        Self {
            method: MultiLabelMethod::STANDARD[1],
            // The single-label runs' default, which `cblab train` gives both.
            beta: 0.9999,
            gamma: 2.0,
            model: MlpConfig::default(),
            optimizer: OptimizerKind::ADAM,
            learning_rate: 0.01,
            batch: 128,
            epochs: 60,
            seed: 0,
        }
    }
}

impl MultiLabelConfig {
    /// The loss with its defaults: DB's VOC-MLT configuration and ASL's
    /// paper setting; focal at `gamma`.
    pub fn loss(&self) -> MultiLabelLoss {
        match self.method.loss {
            MultiLabelKind::Sigmoid => MultiLabelLoss::Sigmoid,
            MultiLabelKind::Focal => MultiLabelLoss::Focal { gamma: self.gamma },
            MultiLabelKind::DistributionBalanced => {
                MultiLabelLoss::DistributionBalanced(DbParams::default())
            }
            MultiLabelKind::Asymmetric => MultiLabelLoss::Asymmetric(AslParams::default()),
        }
    }

    /// The loss ready for data with these counts.
    pub fn objective(
        &self,
        counts: &LabelSetCounts,
    ) -> Result<MultiLabelObjective, MultiLabelTrainError> {
        let weighting = match self.method.scheme {
            SchemeKind::None => Weighting::None,
            scheme => {
                let rule = match scheme {
                    SchemeKind::Cb => scheme.with_beta(
                        Beta::new(self.beta).map_err(|_| MultiLabelTrainError::Beta(self.beta))?,
                    ),
                    other => other.without_beta().expect("only cb needs a beta"),
                };
                let weights = class_weights(&counts.positives, rule)
                    .map_err(|_| MultiLabelTrainError::NoPositives)?;
                Weighting::Classes {
                    weights: weights.weights,
                    mode: self.method.mode,
                }
            }
        };
        Ok(MultiLabelObjective::new(
            self.loss(),
            weighting,
            &counts.positives,
            counts.samples,
        )?)
    }
}

/// Why a multi-label run cannot start.
#[derive(Clone, Debug, PartialEq)]
pub enum MultiLabelTrainError {
    /// The loss refuses these counts or parameters.
    Loss(MultiLabelError),
    /// beta is not in [0, 1).
    Beta(f64),
    /// No class has a positive.
    NoPositives,
    /// Batch size, epochs or learning rate out of range.
    Setting(&'static str),
}

impl From<MultiLabelError> for MultiLabelTrainError {
    fn from(e: MultiLabelError) -> Self {
        Self::Loss(e)
    }
}

impl std::fmt::Display for MultiLabelTrainError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Loss(e) => e.fmt(f),
            Self::Beta(b) => write!(f, "beta must be in [0, 1), got {b}"),
            Self::NoPositives => f.write_str("no class has a positive sample"),
            Self::Setting(s) => f.write_str(s),
        }
    }
}

impl std::error::Error for MultiLabelTrainError {}

/// A multi-label run on the CPU.
#[derive(Clone, Debug)]
pub struct MultiLabelTrainer {
    config: MultiLabelConfig,
    objective: MultiLabelObjective,
    model: Mlp<f32>,
    optimizer: Optimizer<f32>,
    points: Array2<f32>,
    targets: Vec<Vec<bool>>,
    sampler: BatchSampler,
    indices: Vec<u32>,
    batch: ShardedBatch,
    progress: Progress,
}

impl MultiLabelTrainer {
    /// A run on `train`.
    pub fn new(
        train: &MultiLabelData,
        config: &MultiLabelConfig,
    ) -> Result<Self, MultiLabelTrainError> {
        if config.batch == 0 {
            return Err(MultiLabelTrainError::Setting(
                "the batch has at least one sample",
            ));
        }
        if config.epochs == 0 {
            return Err(MultiLabelTrainError::Setting(
                "a run has at least one epoch",
            ));
        }
        if !(config.learning_rate.is_finite() && config.learning_rate > 0.0) {
            return Err(MultiLabelTrainError::Setting(
                "the learning rate must be a number > 0",
            ));
        }
        let counts = train.labels.counts();
        let objective = config.objective(&counts)?;
        let classes = train.labels.classes;
        let n = train.len();
        let batch = config.batch.min(n);
        let model = Mlp::new(&config.model, train.dim, classes, true, config.seed);
        let params = model.params.len();
        Ok(Self {
            config: *config,
            objective,
            optimizer: Optimizer::new(config.optimizer, params),
            model,
            points: Array2::from_shape_vec((n, train.dim), train.features.clone())
                .expect("dim features a sample"),
            targets: train.labels.multi_hot(),
            sampler: match config.method.repeat {
                // Each image repeated by the largest r_c of its classes.
                Some(t) => {
                    let factors = repeat_factors(&counts.positives, counts.samples, t.get())
                        .map_err(|_| MultiLabelTrainError::Setting("repeat factors need images"))?;
                    let sets = train.labels.sets.iter().map(Vec::as_slice);
                    BatchSampler::weighted(&image_repeat_factors(sets, &factors), config.seed)
                }
                None => BatchSampler::new(n, config.seed),
            },
            indices: vec![0; batch],
            batch: ShardedBatch::new(batch, train.dim, params),
            progress: Progress::new(config.epochs, n, batch),
        })
    }

    /// The configuration.
    pub fn config(&self) -> &MultiLabelConfig {
        &self.config
    }

    /// The network as it is now.
    pub fn model(&self) -> &Mlp<f32> {
        &self.model
    }

    /// Steps done.
    pub fn steps(&self) -> usize {
        self.progress.steps()
    }

    /// Steps of the whole run.
    pub fn total_steps(&self) -> usize {
        self.progress.total_steps()
    }

    /// Whether every step has run.
    pub fn finished(&self) -> bool {
        self.progress.remaining() == 0
    }

    /// Mean training loss of each finished epoch.
    pub fn history(&self) -> &[f32] {
        self.progress.history()
    }

    /// The loss, ready for the training counts.
    pub fn objective(&self) -> &MultiLabelObjective {
        &self.objective
    }

    /// The batch stream from here on.
    pub fn sampler(&self) -> &BatchSampler {
        &self.sampler
    }

    /// Parameters, optimiser and progress, as the GPU trainer starts from them.
    pub fn state(&self) -> TrainState {
        TrainState {
            params: self.model.params.clone(),
            optimizer: self.optimizer.clone(),
            progress: self.progress.clone(),
        }
    }

    /// Runs up to `k` more steps; the mean loss of those run (NaN for none).
    pub fn step(&mut self, k: usize) -> f32 {
        let _flush = FlushToZero::enable();
        let k = k.min(self.progress.remaining());
        let mut sum = 0.0;
        for _ in 0..k {
            let loss = self.one_step();
            sum += loss as f64;
            self.progress.record(loss);
        }
        if k == 0 {
            f32::NAN
        } else {
            (sum / k as f64) as f32
        }
    }

    /// Runs every remaining step.
    pub fn run_to_end(&mut self) {
        self.step(self.progress.remaining());
    }

    fn one_step(&mut self) -> f32 {
        self.sampler.next_batch(&mut self.indices);
        self.batch.gather_points(&self.indices, &self.points);
        let scale = 1.0 / self.indices.len() as f64;
        let (objective, targets) = (&self.objective, &self.targets);
        let value = self.batch.loss_and_grad_with(
            &self.model,
            &|shard: &ShardRows<'_>, work: &mut Workspace<f32>| {
                let mut weights = vec![0.0; objective.classes()];
                let (logits, out_grad) = work.logits_and_output_grad();
                let mut total = 0.0f32;
                for ((z, mut g), &i) in logits
                    .rows()
                    .into_iter()
                    .zip(out_grad.rows_mut())
                    .zip(shard.rows)
                {
                    let y = &targets[i as usize];
                    objective.term_weights(y, &mut weights);
                    weights.iter_mut().for_each(|w| *w *= scale);
                    let z = z.as_slice().expect("workspace rows are contiguous");
                    let g = g.as_slice_mut().expect("workspace rows are contiguous");
                    total += objective.sample(z, y, &weights, g);
                    g.iter_mut().for_each(|v| *v = flush(*v));
                }
                total
            },
        );
        let lr = self.config.learning_rate as f32;
        self.optimizer
            .update(&mut self.model.params, self.batch.grad(), lr);
        value
    }

    /// Probabilities (sigmoid of the logits) of these samples, one row each.
    pub fn probabilities(&self, data: &MultiLabelData) -> Vec<Vec<f64>> {
        probabilities(&self.model, data)
    }

    /// Metrics on `test`, the split by `train_positives`.
    pub fn evaluate(&self, test: &MultiLabelData, train_positives: &[u64]) -> MultiLabelMetrics {
        evaluate(&self.model, test, train_positives)
    }
}

/// A model's metrics on `test`, the split by `train_positives`, F1 at 0.5.
pub fn evaluate(
    model: &Mlp<f32>,
    test: &MultiLabelData,
    train_positives: &[u64],
) -> MultiLabelMetrics {
    let scores = probabilities(model, test);
    multi_label_metrics(&scores, &test.labels.multi_hot(), train_positives, 0.5)
}

/// Probabilities of a model for these samples, in chunks.
pub fn probabilities(model: &Mlp<f32>, data: &MultiLabelData) -> Vec<Vec<f64>> {
    let mut work = Workspace::default();
    let mut out = Vec::with_capacity(data.len());
    let chunk = 1024;
    let mut start = 0;
    while start < data.len() {
        let end = (start + chunk).min(data.len());
        let x = ndarray::ArrayView2::from_shape(
            (end - start, data.dim),
            &data.features[start * data.dim..end * data.dim],
        )
        .expect("dim features a sample");
        model.forward(x, &mut work);
        for row in work.logits().rows() {
            out.push(row.iter().map(|&z| sigmoid(z as f64)).collect());
        }
        start = end;
    }
    out
}

/// The labels a model gives every cell of a `resolution` x `resolution`
/// grid over `bounds` (cells as [`grid_points`] orders them): bit c set where
/// class c's probability is at least 0.5 (logit >= 0), the threshold of the
/// reported F1. At most 32 classes.
pub fn label_grid(model: &Mlp<f32>, bounds: &Bounds, resolution: usize) -> Vec<u32> {
    assert!(model.classes() <= 32, "a cell's labels fit in 32 bits");
    let points = points_array(&grid_points(bounds, resolution));
    let mut work = Workspace::default();
    let mut out = Vec::with_capacity(points.nrows());
    for chunk in points.axis_chunks_iter(ndarray::Axis(0), 4096) {
        model.forward(chunk, &mut work);
        out.extend(work.logits().rows().into_iter().map(|row| {
            row.iter()
                .enumerate()
                .filter(|(_, z)| **z >= 0.0)
                .fold(0u32, |bits, (c, _)| bits | 1 << c)
        }));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::multi_label_toy::{MultiLabelToyConfig, make_multi_label_toy};

    #[test]
    fn names_round_trip() {
        for m in MultiLabelMethod::STANDARD {
            assert_eq!(
                MultiLabelMethod::parse(&m.name()).unwrap(),
                m,
                "{}",
                m.name()
            );
        }
        assert_eq!(MultiLabelMethod::STANDARD[4].name(), "cb-focal+by-sample");
        assert_eq!(
            MultiLabelMethod::parse("cb-focal+by-class").unwrap(),
            MultiLabelMethod::STANDARD[3]
        );
        assert!(
            MultiLabelMethod::parse("sigmoid+by-sample")
                .unwrap_err()
                .contains("no class weights")
        );
        assert!(
            MultiLabelMethod::parse("cb-softmax")
                .unwrap_err()
                .contains("not a multi-label loss")
        );
        assert!(
            MultiLabelMethod::parse("cb-focal+by-sample+by-class")
                .unwrap_err()
                .contains("comes twice")
        );
        let rf = MultiLabelMethod::parse("cb-focal@repeat-factor:0.2+by-sample").unwrap();
        assert_eq!(rf.repeat, Threshold::new(0.2));
        assert_eq!(rf.name(), "cb-focal@repeat-factor:0.2+by-sample");
        assert_eq!(
            MultiLabelMethod::parse("sigmoid@repeat-factor")
                .unwrap()
                .repeat,
            Some(Threshold::LVIS)
        );
        assert!(
            MultiLabelMethod::parse("sigmoid@sqrt")
                .unwrap_err()
                .contains("no one meaning")
        );
        assert!(
            MultiLabelMethod::parse("xx-focal")
                .unwrap_err()
                .contains("not a scheme")
        );
    }

    #[test]
    fn learns_the_toy_task_with_every_method() {
        let task = make_multi_label_toy(&MultiLabelToyConfig::default()).unwrap();
        for method in MultiLabelMethod::STANDARD {
            let config = MultiLabelConfig {
                method,
                epochs: 8,
                ..MultiLabelConfig::default()
            };
            let mut t = MultiLabelTrainer::new(&task.train, &config).unwrap();
            let before = t.evaluate(&task.test, &task.counts.positives).map.unwrap();
            t.run_to_end();
            let after = t.evaluate(&task.test, &task.counts.positives);
            assert!(t.history().iter().all(|l| l.is_finite()));
            assert!(
                after.map.unwrap() > before + 0.1,
                "{}: {before} -> {:?}",
                method.name(),
                after.map
            );
        }
    }

    #[test]
    fn the_label_grid_agrees_with_the_probabilities_and_finds_the_head_disc() {
        use crate::data::multi_label_toy::{BOUNDS, discs};
        let toy = MultiLabelToyConfig::default();
        let task = make_multi_label_toy(&toy).unwrap();
        let mut t = MultiLabelTrainer::new(&task.train, &MultiLabelConfig::default()).unwrap();
        t.run_to_end();
        let resolution = 40;
        let grid = label_grid(t.model(), &BOUNDS, resolution);
        let points = grid_points(&BOUNDS, resolution);
        let as_data = MultiLabelData {
            features: points.iter().flatten().copied().collect(),
            dim: 2,
            labels: crate::data::label_sets::LabelSets {
                sets: vec![Vec::new(); points.len()],
                classes: toy.classes,
                names: None,
            },
        };
        for (bits, p) in grid.iter().zip(probabilities(t.model(), &as_data)) {
            for (c, p) in p.iter().enumerate() {
                // Logit 0 is p 0.5 exactly; no cell lands there.
                assert_eq!(bits >> c & 1 == 1, *p >= 0.5, "class {c}, p {p}");
            }
        }
        // The head disc: predicted cells and the disc overlap (IoU > 0.8).
        let head = discs(&toy)[0];
        let (mut both, mut either) = (0, 0);
        for (bits, p) in grid.iter().zip(&points) {
            let (said, is) = (bits & 1 == 1, head.holds([p[0] as f64, p[1] as f64]));
            both += usize::from(said && is);
            either += usize::from(said || is);
        }
        assert!(both as f64 / either as f64 > 0.8, "{both} / {either}");
    }

    #[test]
    fn same_seed_same_numbers() {
        let task = make_multi_label_toy(&MultiLabelToyConfig::default()).unwrap();
        let config = MultiLabelConfig {
            epochs: 2,
            ..MultiLabelConfig::default()
        };
        let mut a = MultiLabelTrainer::new(&task.train, &config).unwrap();
        let mut b = MultiLabelTrainer::new(&task.train, &config).unwrap();
        a.run_to_end();
        b.run_to_end();
        assert_eq!(a.model().params, b.model().params);
    }

    #[test]
    fn refuses_what_cannot_train() {
        let task = make_multi_label_toy(&MultiLabelToyConfig::default()).unwrap();
        let db_weighted = MultiLabelConfig {
            method: MultiLabelMethod::new(
                MultiLabelKind::DistributionBalanced,
                SchemeKind::Cb,
                CbMode::ByClass,
            ),
            ..MultiLabelConfig::default()
        };
        assert_eq!(
            MultiLabelTrainer::new(&task.train, &db_weighted).unwrap_err(),
            MultiLabelTrainError::Loss(MultiLabelError::DbWeighted)
        );
        let zero = MultiLabelConfig {
            batch: 0,
            ..MultiLabelConfig::default()
        };
        assert!(MultiLabelTrainer::new(&task.train, &zero).is_err());
    }
}
