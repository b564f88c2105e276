//! Training many models of one shape on the GPU at once, one label a
//! sample: the single-label runs of [`crate::train::trainer::CpuTrainer`],
//! planned for the [`Engine`].

use super::engine::{Engine, GpuReport, Plan, PlannedModel};
use super::host_data::{ModelInfo, adjustments};
use super::{GpuContext, GpuError, Mismatch};
use crate::data::dataset::Dataset;
use crate::train::config::{TrainConfig, TrainError, TrainLoss, validate};
use crate::train::mlp::{Mlp, layer_shapes};
use crate::train::progress::TrainState;
use crate::train::trainer::CpuTrainer;

/// Many single-label models of one shape, trained together on one device.
pub struct GpuTrainer {
    engine: Engine,
    configs: Vec<TrainConfig>,
    dim: usize,
    classes: usize,
}

impl GpuTrainer {
    /// Trainers for `configs` on `train` (whose class counts are `counts`),
    /// taking at most `capacity` steps per submission. The configurations may
    /// differ in loss, weights, beta, gamma, optimiser, learning rate and
    /// seed, not in network shape, batch size or epochs.
    pub fn new(
        ctx: &GpuContext,
        train: &Dataset,
        counts: &[u64],
        configs: &[TrainConfig],
        capacity: usize,
    ) -> Result<Self, GpuError> {
        Self::build(ctx, train, counts, configs, capacity, None)
    }

    /// Trainers that carry on from `states`, one per configuration, taken
    /// after the same number of steps of the same runs (a snapshot of the
    /// page's training worker, from either trainer).
    pub fn resume(
        ctx: &GpuContext,
        train: &Dataset,
        counts: &[u64],
        configs: &[TrainConfig],
        capacity: usize,
        states: Vec<TrainState>,
    ) -> Result<Self, GpuError> {
        Self::build(ctx, train, counts, configs, capacity, Some(states))
    }

    fn build(
        ctx: &GpuContext,
        train: &Dataset,
        counts: &[u64],
        configs: &[TrainConfig],
        capacity: usize,
        resume: Option<Vec<TrainState>>,
    ) -> Result<Self, GpuError> {
        let first = configs
            .first()
            .ok_or(GpuError::Mismatch(Mismatch::NoModels))?;
        if let Some(c) = configs
            .iter()
            .find(|c| c.model != first.model || c.batch != first.batch || c.epochs != first.epochs)
        {
            return Err(GpuError::Mismatch(Mismatch::Differ {
                run: c.label_message(),
                first: first.label_message(),
            }));
        }
        // The CPU trainer's checks and starting state, one per model.
        let starts = configs
            .iter()
            .map(|c| CpuTrainer::new(train, counts, c).map(|t| t.state()))
            .collect::<Result<Vec<_>, _>>()
            .map_err(GpuError::Config)?;
        let starts = match resume {
            None => starts,
            Some(states) => {
                let fits = states.len() == starts.len()
                    && states.iter().zip(&starts).all(|(s, fresh)| {
                        s.params.len() == fresh.params.len()
                            && s.progress.total_steps() == fresh.progress.total_steps()
                            && s.progress.steps() == states[0].progress.steps()
                            && s.optimizer.steps() == states[0].optimizer.steps()
                    });
                if !fits {
                    return Err(GpuError::Config(TrainError::State));
                }
                states
            }
        };
        let (run_losses, weights): (Vec<TrainLoss>, Vec<Vec<f64>>) = configs
            .iter()
            .map(|c| validate(c, counts))
            .collect::<Result<Vec<_>, _>>()
            .map_err(GpuError::Config)?
            .into_iter()
            .unzip();
        let n = train.len();
        let batch = first.batch.unwrap_or(n).min(n);
        let steps_per_epoch = starts[0].progress.steps_per_epoch();
        let done = starts[0].progress.steps();
        let models = configs
            .iter()
            .zip(&run_losses)
            .zip(weights)
            .zip(starts)
            .map(|(((c, loss), w), start)| {
                let mut sampler = c.batch_stream(train, batch);
                sampler.skip(done * batch);
                PlannedModel {
                    start,
                    sampler,
                    info: ModelInfo::new(c, loss),
                    weights: w.iter().map(|&w| w as f32).collect(),
                    reweight_from: c.reweight_from(steps_per_epoch),
                    cosine: c.cosine_logits(),
                }
            })
            .collect();
        let plan = Plan {
            shapes: layer_shapes(&first.model, train.dim, train.classes),
            activation: first.model.activation,
            batch,
            features: &train.features,
            dim: train.dim,
            classes: train.classes,
            labels: train.labels.iter().map(|&y| y as u32).collect(),
            words: 0,
            weights: train.classes,
            extra: adjustments(&run_losses, train.classes),
            models,
        };
        Ok(Self {
            engine: Engine::new(ctx, plan, capacity)?,
            configs: configs.to_vec(),
            dim: train.dim,
            classes: train.classes,
        })
    }

    /// The models' configurations.
    pub fn configs(&self) -> &[TrainConfig] {
        &self.configs
    }

    /// Steps done.
    pub fn steps(&self) -> usize {
        self.engine.steps()
    }

    /// Steps the whole run takes.
    pub fn total_steps(&self) -> usize {
        self.engine.total_steps()
    }

    /// Whether every step has run.
    pub fn finished(&self) -> bool {
        self.engine.finished()
    }

    /// Each model's loss history (mean loss of each finished epoch).
    pub fn history(&self, model: usize) -> &[f32] {
        self.engine.history(model)
    }

    /// Every model's state at the last read-back of parameters.
    pub fn states(&self) -> &[TrainState] {
        self.engine.states()
    }

    /// Model `i`'s network at the last read-back.
    pub fn model(&self, i: usize) -> Mlp<f32> {
        let config = &self.configs[i];
        let shapes = layer_shapes(&config.model, self.dim, self.classes);
        Mlp {
            shapes,
            activation: config.model.activation,
            params: self.states()[i].params.clone(),
            cosine_logits: config.cosine_logits(),
        }
    }

    /// The device this trainer runs on.
    pub fn context(&self) -> &GpuContext {
        self.engine.context()
    }

    /// CPU trainers that carry on from the last read-back (after a lost device).
    pub fn to_cpu(&self, train: &Dataset, counts: &[u64]) -> Result<Vec<CpuTrainer>, GpuError> {
        self.configs
            .iter()
            .zip(self.states())
            .map(|(c, s)| CpuTrainer::resume(train, counts, c, s.clone()))
            .collect::<Result<_, _>>()
            .map_err(GpuError::Config)
    }

    /// Runs up to `k` more steps (fewer at the end), `capacity` per
    /// submission, reading back each submission's losses; with `read_state`,
    /// also reads back every model's parameters and optimiser state at the end.
    pub async fn step(&mut self, k: usize, read_state: bool) -> Result<GpuReport, GpuError> {
        self.engine.step(k, read_state).await
    }
}
