//! Training the MLP with a class-balanced loss on the CPU, in f32 with
//! ndarray, a chunk of steps at a time so a page can animate it.
//!
//! Every step draws exactly `batch` samples from a stream of seeded
//! permutations of the training set (a batch may straddle two of them), so
//! steps are uniform and another trainer given the same indices (the GPU one)
//! sees the same batches. The loss is the core's, reduced as the official code
//! does: sum over the batch of w_y * loss, divided by the batch size.

use std::fmt;

use ndarray::Array2;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::balance::effective_number::{Beta, BetaError};
use crate::balance::losses::{Loss, LossKind};
use crate::balance::weights::{SchemeKind, WeightsError, class_weights};
use crate::data::toy_data::{Bounds, Dataset, ToyTask};
use crate::i18n::Message;
use crate::train::metrics::{Metrics, argmax, metrics};
use crate::train::mlp::{Mlp, MlpConfig, Workspace};
use crate::train::optimizer::{Optimizer, OptimizerKind};

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
        }
    }
}

impl TrainConfig {
    /// The loss with its gamma.
    pub fn loss(&self) -> Loss {
        self.loss.with_gamma(self.gamma)
    }

    /// A short name: "softmax", "CB focal (beta 0.999, gamma 0.5)", "inverse sigmoid"
    /// (in English: the command line's and the GPU trainer's).
    pub fn label(&self) -> String {
        self.label_message().to_string()
    }

    /// The short name in any language.
    pub fn label_message(&self) -> Message {
        let loss = self.loss.name();
        let params = match (self.scheme, self.loss) {
            (SchemeKind::Cb, LossKind::Focal) => Some(
                Message::new("run.beta_gamma")
                    .with("beta", self.beta)
                    .with("gamma", self.gamma),
            ),
            (SchemeKind::Cb, _) => Some(Message::new("run.beta").with("beta", self.beta)),
            (_, LossKind::Focal) => Some(Message::new("run.gamma").with("gamma", self.gamma)),
            _ => None,
        };
        let scheme = match self.scheme {
            SchemeKind::None => None,
            SchemeKind::Cb => Some("run.scheme.cb"),
            SchemeKind::Inverse => Some("run.scheme.inverse"),
            SchemeKind::SqrtInverse => Some("run.scheme.sqrt_inverse"),
            SchemeKind::Balanced => Some("run.scheme.balanced"),
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
        match params {
            Some(params) => message.with_message("params", params),
            None => message,
        }
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

/// The seeded stream of batch indices: permutation after permutation of 0..n.
#[derive(Clone, Debug)]
pub struct BatchSampler {
    order: Vec<u32>,
    cursor: usize,
    rng: ChaCha8Rng,
}

impl BatchSampler {
    /// A stream over `n` samples.
    pub fn new(n: usize, seed: u64) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(1);
        Self {
            order: (0..n as u32).collect(),
            cursor: n,
            rng,
        }
    }

    /// Skips the next `count` indices (to resume a run where it stopped).
    pub fn skip(&mut self, count: usize) {
        let mut scratch = [0u32; 256];
        let mut left = count;
        while left > 0 {
            let n = left.min(scratch.len());
            self.next_batch(&mut scratch[..n]);
            left -= n;
        }
    }

    /// Fills `out` with the next indices.
    pub fn next_batch(&mut self, out: &mut [u32]) {
        for slot in out {
            if self.cursor == self.order.len() {
                // Fisher-Yates with u32 draws: the same order on 32- and 64-bit targets.
                for i in (1..self.order.len()).rev() {
                    let j = self.rng.random_range(0..=i as u32) as usize;
                    self.order.swap(i, j);
                }
                self.cursor = 0;
            }
            *slot = self.order[self.cursor];
            self.cursor += 1;
        }
    }
}

/// Where a run is: steps done, and the mean loss of each finished epoch.
/// Both trainers count with it, so their histories mean the same thing.
#[derive(Clone, Debug, PartialEq)]
pub struct Progress {
    steps: usize,
    total_steps: usize,
    steps_per_epoch: usize,
    epoch_loss: f64,
    history: Vec<f32>,
}

impl Progress {
    /// A run of `epochs` passes over `samples` samples, `batch` per step.
    pub fn new(epochs: usize, samples: usize, batch: usize) -> Self {
        let steps_per_epoch = samples.div_ceil(batch.max(1)).max(1);
        Self {
            steps: 0,
            total_steps: epochs * steps_per_epoch,
            steps_per_epoch,
            epoch_loss: 0.0,
            history: Vec::new(),
        }
    }

    /// Counts one step whose training loss was `loss`.
    pub fn record(&mut self, loss: f32) {
        self.epoch_loss += loss as f64;
        self.steps += 1;
        if self.steps.is_multiple_of(self.steps_per_epoch) {
            self.history
                .push((self.epoch_loss / self.steps_per_epoch as f64) as f32);
            self.epoch_loss = 0.0;
        }
    }

    /// Steps done.
    pub fn steps(&self) -> usize {
        self.steps
    }

    /// Steps the whole run takes.
    pub fn total_steps(&self) -> usize {
        self.total_steps
    }

    /// Steps left.
    pub fn remaining(&self) -> usize {
        self.total_steps - self.steps
    }

    /// Steps in one epoch.
    pub fn steps_per_epoch(&self) -> usize {
        self.steps_per_epoch
    }

    /// Mean training loss of each finished epoch.
    pub fn history(&self) -> &[f32] {
        &self.history
    }
}

/// A run's state between two steps: enough to carry it on elsewhere (a GPU
/// run continues on the CPU from it when the device is lost).
#[derive(Clone, Debug, PartialEq)]
pub struct TrainState {
    /// The network's parameters.
    pub params: Vec<f32>,
    /// The optimiser's moments and step count.
    pub optimizer: Optimizer<f32>,
    /// Steps done and the loss history.
    pub progress: Progress,
}

/// What a chunk of steps did.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct StepReport {
    /// Steps done since the start.
    pub steps: usize,
    /// Steps the whole run takes.
    pub total_steps: usize,
    /// Mean training loss over the chunk's steps.
    pub loss: f32,
}

/// A training run on the CPU.
#[derive(Clone, Debug)]
pub struct CpuTrainer {
    config: TrainConfig,
    loss: Loss,
    model: Mlp<f32>,
    optimizer: Optimizer<f32>,
    class_weights: Vec<f32>,
    points: Array2<f32>,
    labels: Vec<usize>,
    sampler: BatchSampler,
    indices: Vec<u32>,
    shards: Vec<Shard>,
    grad: Vec<f32>,
    progress: Progress,
}

/// Checks a configuration and gives the loss and the class weights it uses.
pub fn validate(config: &TrainConfig, counts: &[u64]) -> Result<(Loss, Vec<f64>), TrainError> {
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
    if config.epochs == 0 || config.model.hidden == 0 || config.model.layers == 0 {
        return Err(TrainError::Shape);
    }
    let weights =
        class_weights(counts, config.scheme.with_beta(beta)).map_err(TrainError::Weights)?;
    Ok((config.loss(), weights.weights))
}

/// Points as an n x 2 array.
pub fn points_array(points: &[[f32; 2]]) -> Array2<f32> {
    Array2::from_shape_vec(
        (points.len(), 2),
        points.iter().flatten().copied().collect(),
    )
    .expect("two coordinates per point")
}

impl CpuTrainer {
    /// A trainer for `train`, whose class counts are `counts`.
    pub fn new(train: &Dataset, counts: &[u64], config: &TrainConfig) -> Result<Self, TrainError> {
        if counts.len() != train.classes || counts.iter().sum::<u64>() != train.points.len() as u64
        {
            return Err(TrainError::Counts);
        }
        let (loss, weights) = validate(config, counts)?;
        let n = train.points.len();
        let batch = config.batch.unwrap_or(n).min(n);
        let model = Mlp::new(
            &config.model,
            train.classes,
            loss.uses_prior_bias(),
            config.seed,
        );
        let params = model.params.len();
        Ok(Self {
            config: *config,
            loss,
            optimizer: Optimizer::new(config.optimizer, params),
            model,
            class_weights: weights.iter().map(|&w| w as f32).collect(),
            points: points_array(&train.points),
            labels: train.labels.clone(),
            sampler: BatchSampler::new(n, config.seed),
            indices: vec![0; batch],
            shards: Shard::split(batch, params),
            grad: vec![0.0; params],
            progress: Progress::new(config.epochs, n, batch),
        })
    }

    /// A trainer that carries on from `state` (taken after `state.progress.steps()`
    /// steps of the same configuration on the same data).
    pub fn resume(
        train: &Dataset,
        counts: &[u64],
        config: &TrainConfig,
        state: TrainState,
    ) -> Result<Self, TrainError> {
        let mut trainer = Self::new(train, counts, config)?;
        if state.params.len() != trainer.model.params.len()
            || state.progress.total_steps() != trainer.total_steps()
        {
            return Err(TrainError::State);
        }
        trainer
            .sampler
            .skip(state.progress.steps() * trainer.batch_size());
        trainer.model.params = state.params;
        trainer.optimizer = state.optimizer;
        trainer.progress = state.progress;
        Ok(trainer)
    }

    /// The run's state now.
    pub fn state(&self) -> TrainState {
        TrainState {
            params: self.model.params.clone(),
            optimizer: self.optimizer.clone(),
            progress: self.progress.clone(),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &TrainConfig {
        &self.config
    }

    /// The network as it is now.
    pub fn model(&self) -> &Mlp<f32> {
        &self.model
    }

    /// The class weights in use.
    pub fn class_weights(&self) -> &[f32] {
        &self.class_weights
    }

    /// Steps done so far.
    pub fn steps(&self) -> usize {
        self.progress.steps()
    }

    /// Steps the whole run takes: epochs x ceil(n / batch).
    pub fn total_steps(&self) -> usize {
        self.progress.total_steps()
    }

    /// Steps in one epoch.
    pub fn steps_per_epoch(&self) -> usize {
        self.progress.steps_per_epoch()
    }

    /// Samples per step.
    pub fn batch_size(&self) -> usize {
        self.indices.len()
    }

    /// Whether every step has run.
    pub fn finished(&self) -> bool {
        self.progress.remaining() == 0
    }

    /// Mean training loss of each finished epoch.
    pub fn history(&self) -> &[f32] {
        self.progress.history()
    }

    /// Runs up to `k` more steps (fewer at the end of the run).
    pub fn step(&mut self, k: usize) -> StepReport {
        let k = k.min(self.progress.remaining());
        let mut sum = 0.0;
        for _ in 0..k {
            let loss = self.one_step();
            sum += loss as f64;
            self.progress.record(loss);
        }
        StepReport {
            steps: self.steps(),
            total_steps: self.total_steps(),
            loss: if k == 0 {
                f32::NAN
            } else {
                (sum / k as f64) as f32
            },
        }
    }

    /// Runs every remaining step.
    pub fn run_to_end(&mut self) {
        self.step(self.progress.remaining());
    }

    /// The indices of the next batch, without consuming them (for parity tests).
    pub fn peek_batch(&self) -> Vec<u32> {
        let mut sampler = self.sampler.clone();
        let mut out = vec![0; self.batch_size()];
        sampler.next_batch(&mut out);
        out
    }

    fn one_step(&mut self) -> f32 {
        self.sampler.next_batch(&mut self.indices);
        let mut next = self.indices.iter();
        for shard in &mut self.shards {
            for (row, y) in shard.y.iter_mut().enumerate() {
                let i = *next.next().expect("the shards split the batch") as usize;
                shard.x[[row, 0]] = self.points[[i, 0]];
                shard.x[[row, 1]] = self.points[[i, 1]];
                *y = self.labels[i];
            }
        }
        let batch = self.indices.len();
        run_shards(
            &mut self.shards,
            &self.model,
            self.loss,
            &self.class_weights,
            batch,
        );
        // Summed in shard order, however the shards ran.
        self.grad.copy_from_slice(&self.shards[0].grad);
        let mut value = self.shards[0].loss;
        for shard in &self.shards[1..] {
            for (g, s) in self.grad.iter_mut().zip(&shard.grad) {
                *g += s;
            }
            value += shard.loss;
        }
        let lr = self.config.learning_rate as f32;
        self.optimizer
            .update(&mut self.model.params, &self.grad, lr);
        value
    }

    /// Predicted classes of these points.
    pub fn predict(&self, points: &[[f32; 2]]) -> Vec<usize> {
        predict(&self.model, points)
    }

    /// Metrics on a test set, with shot groups from the training counts.
    pub fn evaluate(&self, test: &Dataset, train_counts: &[u64]) -> Metrics {
        metrics(&self.predict(&test.points), &test.labels, train_counts)
    }
}

/// Batches of at least this many samples are split in two shards, which run
/// on two cores natively. The split depends on the batch size only, so the
/// numbers are the same natively and in wasm.
pub const SHARDED_FROM: usize = 128;

/// A slice of a batch with its own buffers.
#[derive(Clone, Debug)]
struct Shard {
    x: Array2<f32>,
    y: Vec<usize>,
    work: Workspace<f32>,
    grad: Vec<f32>,
    loss: f32,
}

impl Shard {
    /// The shards of a batch of `batch` samples for a model with `params` parameters.
    fn split(batch: usize, params: usize) -> Vec<Shard> {
        let sizes = if batch >= SHARDED_FROM {
            vec![batch / 2, batch - batch / 2]
        } else {
            vec![batch]
        };
        sizes
            .into_iter()
            .map(|n| Shard {
                x: Array2::zeros((n, 2)),
                y: vec![0; n],
                work: Workspace::default(),
                grad: vec![0.0; params],
                loss: 0.0,
            })
            .collect()
    }

    /// This shard's share of the batch loss and of its gradient.
    fn run(&mut self, model: &Mlp<f32>, loss: Loss, class_weights: &[f32], batch: usize) {
        model.forward(self.x.view(), &mut self.work);
        self.loss = weighted_loss_grad(loss, class_weights, &self.y, batch, &mut self.work);
        model.backward(self.x.view(), &mut self.work, &mut self.grad);
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn run_shards(shards: &mut [Shard], model: &Mlp<f32>, loss: Loss, w: &[f32], batch: usize) {
    match shards {
        [a, b] => {
            rayon::join(
                || a.run(model, loss, w, batch),
                || b.run(model, loss, w, batch),
            );
        }
        _ => shards.iter_mut().for_each(|s| s.run(model, loss, w, batch)),
    }
}

#[cfg(target_arch = "wasm32")]
fn run_shards(shards: &mut [Shard], model: &Mlp<f32>, loss: Loss, w: &[f32], batch: usize) {
    shards.iter_mut().for_each(|s| s.run(model, loss, w, batch));
}

/// Fills d loss / d logits for the rows in `work` and returns their share of
/// the batch loss: sum_i w_{y_i} loss_i / B, with B = `batch`.
pub fn weighted_loss_grad(
    loss: Loss,
    class_weights: &[f32],
    labels: &[usize],
    batch: usize,
    work: &mut Workspace<f32>,
) -> f32 {
    let (logits, out_grad) = work.logits_and_output_grad();
    let scale = 1.0 / batch as f32;
    let mut total = 0.0;
    for ((z, mut g), &y) in logits
        .rows()
        .into_iter()
        .zip(out_grad.rows_mut())
        .zip(labels)
    {
        let z = z.as_slice().expect("workspace rows are contiguous");
        let g = g.as_slice_mut().expect("workspace rows are contiguous");
        let w = class_weights[y] * scale;
        total += w * loss.sample(z, y, g);
        g.iter_mut().for_each(|v| *v *= w);
    }
    total
}

/// Predicted classes (argmax of the logits) of these points, in chunks.
pub fn predict(model: &Mlp<f32>, points: &[[f32; 2]]) -> Vec<usize> {
    let mut work = Workspace::default();
    let mut out = Vec::with_capacity(points.len());
    for chunk in points.chunks(4096) {
        let x = points_array(chunk);
        model.forward(x.view(), &mut work);
        out.extend(
            work.logits()
                .rows()
                .into_iter()
                .map(|r| argmax(r.as_slice().expect("workspace rows are contiguous"))),
        );
    }
    out
}

/// The centres of a `resolution` x `resolution` grid over `bounds`, row by row
/// from the top (largest y) down, as an image is drawn.
pub fn grid_points(bounds: &Bounds, resolution: usize) -> Vec<[f32; 2]> {
    let dx = (bounds.x_max - bounds.x_min) / resolution as f32;
    let dy = (bounds.y_max - bounds.y_min) / resolution as f32;
    (0..resolution)
        .flat_map(|r| {
            (0..resolution).map(move |c| {
                [
                    bounds.x_min + (c as f32 + 0.5) * dx,
                    bounds.y_max - (r as f32 + 0.5) * dy,
                ]
            })
        })
        .collect()
}

/// The predicted class at every cell of a grid over the task's bounds (see [`grid_points`]).
pub fn decision_grid(model: &Mlp<f32>, task: &ToyTask, resolution: usize) -> Vec<u8> {
    predict(model, &grid_points(&task.bounds, resolution))
        .into_iter()
        .map(|c| c as u8)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::toy_data::{ToyConfig, make_toy_task};
    use crate::train::mlp::Scalar;

    fn task() -> ToyTask {
        make_toy_task(&[200, 60, 12], &ToyConfig::default()).unwrap()
    }

    #[test]
    fn sampler_covers_every_sample_each_pass() {
        let mut s = BatchSampler::new(10, 3);
        let mut out = [0u32; 5];
        let mut seen = Vec::new();
        for _ in 0..2 {
            s.next_batch(&mut out);
            seen.extend(out);
        }
        seen.sort();
        assert_eq!(seen, (0..10).collect::<Vec<_>>());
        // A batch that straddles two permutations.
        let mut s = BatchSampler::new(3, 3);
        let mut out = [0u32; 4];
        s.next_batch(&mut out);
        let mut first: Vec<u32> = out[..3].to_vec();
        first.sort();
        assert_eq!(first, [0, 1, 2]);
    }

    #[test]
    fn same_seed_same_numbers() {
        let t = task();
        let config = TrainConfig {
            epochs: 3,
            ..TrainConfig::default()
        };
        let mut a = CpuTrainer::new(&t.train, &t.counts, &config).unwrap();
        let mut b = CpuTrainer::new(&t.train, &t.counts, &config).unwrap();
        a.run_to_end();
        b.run_to_end();
        assert_eq!(a.model().params, b.model().params);
        assert_eq!(a.history(), b.history());
        let mut c =
            CpuTrainer::new(&t.train, &t.counts, &TrainConfig { seed: 1, ..config }).unwrap();
        c.run_to_end();
        assert_ne!(a.model().params, c.model().params);
    }

    #[test]
    fn chunks_add_up_to_the_whole_run() {
        let t = task();
        let config = TrainConfig {
            epochs: 2,
            batch: Some(64),
            ..TrainConfig::default()
        };
        let mut whole = CpuTrainer::new(&t.train, &t.counts, &config).unwrap();
        whole.run_to_end();
        let mut chunked = CpuTrainer::new(&t.train, &t.counts, &config).unwrap();
        while !chunked.finished() {
            let report = chunked.step(3);
            assert!(report.loss.is_finite());
        }
        assert_eq!(whole.model().params, chunked.model().params);
        assert_eq!(chunked.steps(), 2 * 272usize.div_ceil(64));
        assert_eq!(chunked.history().len(), 2);
        assert!(chunked.step(5).loss.is_nan());
    }

    #[test]
    fn a_resumed_run_ends_where_the_whole_run_ends() {
        let t = task();
        for optimizer in [OptimizerKind::ADAM, OptimizerKind::SGD] {
            let config = TrainConfig {
                epochs: 3,
                batch: Some(64),
                optimizer,
                ..TrainConfig::default()
            };
            let mut whole = CpuTrainer::new(&t.train, &t.counts, &config).unwrap();
            whole.run_to_end();
            let mut first = CpuTrainer::new(&t.train, &t.counts, &config).unwrap();
            // Stop mid-epoch, mid-permutation.
            first.step(7);
            let mut rest = CpuTrainer::resume(&t.train, &t.counts, &config, first.state()).unwrap();
            rest.run_to_end();
            assert_eq!(whole.model().params, rest.model().params, "{optimizer:?}");
            assert_eq!(whole.history(), rest.history());
        }
        let config = TrainConfig::default();
        let state = CpuTrainer::new(&t.train, &t.counts, &config)
            .unwrap()
            .state();
        let other = TrainConfig {
            epochs: 5,
            ..config
        };
        assert_eq!(
            CpuTrainer::resume(&t.train, &t.counts, &other, state).unwrap_err(),
            TrainError::State
        );
    }

    /// The f32 trainer's first steps against the same steps in f64, written out
    /// with the f64 core (same batches, same weights).
    #[test]
    fn f32_trainer_tracks_the_f64_reference() {
        let t = task();
        for (loss, scheme) in [
            (LossKind::Softmax, SchemeKind::Cb),
            (LossKind::Sigmoid, SchemeKind::Inverse),
            (LossKind::Focal, SchemeKind::Cb),
        ] {
            let config = TrainConfig {
                loss,
                scheme,
                beta: 0.99,
                gamma: 0.5,
                optimizer: OptimizerKind::SGD,
                learning_rate: 0.05,
                ..TrainConfig::default()
            };
            let mut fast = CpuTrainer::new(&t.train, &t.counts, &config).unwrap();
            let (loss_fn, weights) = validate(&config, &t.counts).unwrap();
            let mut reference =
                Mlp::<f64>::new(&config.model, 3, loss_fn.uses_prior_bias(), config.seed);
            let mut opt = Optimizer::<f64>::new(config.optimizer, reference.params.len());
            for _ in 0..20 {
                let batch = fast.peek_batch();
                let f32_loss = fast.step(1).loss;
                let (value, grad) = reference_step(&reference, &t.train, &batch, loss_fn, &weights);
                opt.update(&mut reference.params, &grad, config.learning_rate);
                assert!(
                    (value - f32_loss as f64).abs() < 1e-4 * (1.0 + value),
                    "{loss:?}: {value} vs {f32_loss}"
                );
            }
            for (a, b) in fast.model().params.iter().zip(&reference.params) {
                assert!((*a as f64 - b).abs() < 1e-3, "{loss:?}: {a} vs {b}");
            }
        }
    }

    fn reference_step<F: Scalar>(
        model: &Mlp<F>,
        train: &Dataset,
        batch: &[u32],
        loss: Loss,
        weights: &[f64],
    ) -> (f64, Vec<F>) {
        let rows: Vec<[f32; 2]> = batch.iter().map(|&i| train.points[i as usize]).collect();
        let x = Array2::from_shape_fn((rows.len(), 2), |(r, c)| F::from(rows[r][c]).unwrap());
        let mut work = Workspace::default();
        model.forward(x.view(), &mut work);
        let (logits, out_grad) = work.logits_and_output_grad();
        let mut total = 0.0;
        for (r, &i) in batch.iter().enumerate() {
            let y = train.labels[i as usize];
            let z: Vec<F> = logits.row(r).to_vec();
            let mut g = vec![F::zero(); z.len()];
            let w = weights[y] / batch.len() as f64;
            total += w * loss.sample(&z, y, &mut g).to_f64().unwrap();
            for (c, gc) in g.into_iter().enumerate() {
                out_grad[[r, c]] = gc * F::from(w).unwrap();
            }
        }
        let mut grad = vec![F::zero(); model.params.len()];
        model.backward(x.view(), &mut work, &mut grad);
        (total, grad)
    }

    #[test]
    fn learns_a_separable_task() {
        let t = make_toy_task(
            &[300, 300, 300],
            &ToyConfig {
                noise: 0.2,
                ..ToyConfig::default()
            },
        )
        .unwrap();
        let mut trainer = CpuTrainer::new(
            &t.train,
            &t.counts,
            &TrainConfig {
                epochs: 30,
                ..TrainConfig::default()
            },
        )
        .unwrap();
        trainer.run_to_end();
        let m = trainer.evaluate(&t.test, &t.counts);
        assert!(m.accuracy > 0.95, "{}", m.accuracy);
        assert!(trainer.history().first() > trainer.history().last());
    }

    #[test]
    fn grid_is_row_major_from_the_top() {
        let b = Bounds {
            x_min: 0.0,
            x_max: 2.0,
            y_min: 0.0,
            y_max: 4.0,
        };
        let g = grid_points(&b, 2);
        assert_eq!(g, [[0.5, 3.0], [1.5, 3.0], [0.5, 1.0], [1.5, 1.0]]);
    }

    #[test]
    fn bad_configs_are_errors() {
        let t = task();
        let bad = |c: TrainConfig| CpuTrainer::new(&t.train, &t.counts, &c).unwrap_err();
        let d = TrainConfig::default();
        assert!(matches!(
            bad(TrainConfig { beta: 1.0, ..d }),
            TrainError::Beta(_)
        ));
        assert!(matches!(
            bad(TrainConfig { gamma: -1.0, ..d }),
            TrainError::Gamma(_)
        ));
        assert!(matches!(
            bad(TrainConfig {
                learning_rate: 0.0,
                ..d
            }),
            TrainError::LearningRate(_)
        ));
        assert_eq!(
            bad(TrainConfig {
                batch: Some(0),
                ..d
            }),
            TrainError::Batch
        );
        assert_eq!(bad(TrainConfig { epochs: 0, ..d }), TrainError::Shape);
        assert_eq!(
            CpuTrainer::new(&t.train, &[1, 2, 3], &d).unwrap_err(),
            TrainError::Counts
        );
    }

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
    }
}
