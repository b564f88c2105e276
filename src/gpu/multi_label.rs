//! Training C sigmoid outputs on multi-hot targets on the GPU, many models
//! at once: the runs of [`MultiLabelTrainer`], planned for the [`Engine`].
//!
//! The loss kernel evaluates each term (sigmoid, focal, DB, ASL; the
//! multi-hot branch of kernels/train.wgsl); what a term weighs comes from
//! the core on the host: [`MultiLabelObjective::term_weights`] of every
//! training sample, times 1/batch as the CPU scales them, and DB's logit
//! shifts. So the weighting modes, DB's re-balanced weights and the
//! no-label sample's rule live once, in [`crate::balance::multi_label`].

use super::engine::{Engine, GpuReport, Plan, PlannedModel};
use super::host_data::{ModelInfo, multi_hot_targets};
use super::{GpuContext, GpuError, Mismatch};
use crate::data::dataset::MultiLabelData;
use crate::i18n::Message;
use crate::train::mlp::{Mlp, layer_shapes};
use crate::train::multi_label_trainer::{MultiLabelConfig, MultiLabelTrainer};
use crate::train::progress::TrainState;

/// Many multi-label models of one shape, trained together on one device.
pub struct GpuMultiLabelTrainer {
    engine: Engine,
    configs: Vec<MultiLabelConfig>,
    dim: usize,
    classes: usize,
}

impl GpuMultiLabelTrainer {
    /// Trainers for `configs` on `train`, at most `capacity` steps per
    /// submission. The configurations may differ in method, beta, gamma,
    /// optimiser, learning rate and seed, not in network, batch or epochs;
    /// each is checked as the CPU trainer checks it.
    pub fn new(
        ctx: &GpuContext,
        train: &MultiLabelData,
        configs: &[MultiLabelConfig],
        capacity: usize,
    ) -> Result<Self, GpuError> {
        let first = configs
            .first()
            .ok_or(GpuError::Mismatch(Mismatch::NoModels))?;
        let name =
            |c: &MultiLabelConfig| Message::new("run.multi_label").with("method", c.method.name());
        if let Some(c) = configs
            .iter()
            .find(|c| c.model != first.model || c.batch != first.batch || c.epochs != first.epochs)
        {
            return Err(GpuError::Mismatch(Mismatch::Differ {
                run: name(c),
                first: name(first),
            }));
        }
        let classes = train.labels.classes;
        let n = train.len();
        let batch = first.batch.min(n);
        let scale = 1.0 / batch as f64;
        let targets = train.labels.multi_hot();
        let mut shifts = Vec::with_capacity(configs.len() * classes);
        let mut models = Vec::with_capacity(configs.len());
        for c in configs {
            // The CPU trainer's checks, starting state and batch stream.
            let cpu = MultiLabelTrainer::new(train, c).map_err(GpuError::MultiLabel)?;
            let objective = cpu.objective();
            let mut weights = vec![0.0f32; n * classes];
            let mut w = vec![0.0; classes];
            for (row, y) in weights.chunks_exact_mut(classes).zip(&targets) {
                objective.term_weights(y, &mut w);
                for (to, &from) in row.iter_mut().zip(&w) {
                    *to = (from * scale) as f32;
                }
            }
            shifts.extend(objective.logit_shifts().iter().map(|&s| s as f32));
            models.push(PlannedModel {
                start: cpu.state(),
                sampler: cpu.sampler().clone(),
                info: ModelInfo::multi_label(objective.loss(), c.optimizer, c.learning_rate),
                weights,
                reweight_from: 0,
                cosine: false,
            });
        }
        let (labels, words) = multi_hot_targets(&train.labels.sets, classes);
        let plan = Plan {
            shapes: layer_shapes(&first.model, train.dim, classes),
            activation: first.model.activation,
            batch,
            features: &train.features,
            dim: train.dim,
            classes,
            labels,
            words,
            weights: n * classes,
            extra: shifts,
            models,
        };
        Ok(Self {
            engine: Engine::new(ctx, plan, capacity)?,
            configs: configs.to_vec(),
            dim: train.dim,
            classes,
        })
    }

    /// The models' configurations.
    pub fn configs(&self) -> &[MultiLabelConfig] {
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

    /// Model `i`'s loss history (mean loss of each finished epoch).
    pub fn history(&self, i: usize) -> &[f32] {
        self.engine.history(i)
    }

    /// Every model's state at the last read-back of parameters.
    pub fn states(&self) -> &[TrainState] {
        self.engine.states()
    }

    /// Model `i`'s network at the last read-back.
    pub fn model(&self, i: usize) -> Mlp<f32> {
        let config = &self.configs[i];
        Mlp {
            shapes: layer_shapes(&config.model, self.dim, self.classes),
            activation: config.model.activation,
            params: self.states()[i].params.clone(),
            cosine_logits: false,
        }
    }

    /// Runs up to `k` more steps (fewer at the end); with `read_state`, reads
    /// every model's parameters back at the end.
    pub async fn step(&mut self, k: usize, read_state: bool) -> Result<GpuReport, GpuError> {
        self.engine.step(k, read_state).await
    }
}
