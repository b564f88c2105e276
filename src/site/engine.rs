//! Where a panel's runs train: every run in one GPU trainer (WebGPU), or a
//! CPU trainer per run. The panels see one interface and can switch from the
//! GPU to the CPU mid-run without losing what was read back.

use super::dom;
use crate::gpu::{GpuContext, GpuError, GpuTrainer};
use crate::i18n::Message;
use crate::mlp::Mlp;
use crate::toy_data::ToyTask;
use crate::trainer::{CpuTrainer, TrainConfig};

/// Most steps in one GPU submission.
const GPU_CAPACITY: usize = 256;
/// A GPU chunk shorter than this doubles the next one's steps.
const GPU_FAST_MS: f64 = 12.0;
/// A GPU chunk longer than this halves the next one's steps.
const GPU_SLOW_MS: f64 = 40.0;

/// The runs of a panel and where they train.
pub enum Engine {
    /// One CPU trainer per run.
    Cpu(Vec<CpuTrainer>),
    /// All runs in one GPU trainer; `steps` is the next chunk's size.
    Gpu {
        /// The trainer.
        trainer: Box<GpuTrainer>,
        /// Steps in the next chunk, adapted to keep chunks near a frame long.
        steps: usize,
    },
}

impl Engine {
    /// The runs of `configs` on `task`, on the GPU when `gpu` is given; or
    /// why they cannot train, in words for any language.
    pub fn new(
        task: &ToyTask,
        configs: &[TrainConfig],
        gpu: Option<&GpuContext>,
    ) -> Result<Self, Message> {
        if let Some(ctx) = gpu {
            let trainer = GpuTrainer::new(ctx, &task.train, &task.counts, configs, GPU_CAPACITY)
                .map_err(|e| e.message())?;
            return Ok(Self::Gpu {
                trainer: Box::new(trainer),
                steps: 8,
            });
        }
        configs
            .iter()
            .map(|c| CpuTrainer::new(&task.train, &task.counts, c).map_err(|e| e.message()))
            .collect::<Result<_, _>>()
            .map(Self::Cpu)
    }

    /// Whether the runs are on the GPU.
    pub fn on_gpu(&self) -> bool {
        matches!(self, Self::Gpu { .. })
    }

    /// How many runs.
    pub fn len(&self) -> usize {
        match self {
            Self::Cpu(t) => t.len(),
            Self::Gpu { trainer, .. } => trainer.configs().len(),
        }
    }

    /// (steps done, steps in all) of each run (they move together).
    pub fn progress(&self) -> (usize, usize) {
        match self {
            Self::Cpu(t) => (t[0].steps(), t[0].total_steps()),
            Self::Gpu { trainer, .. } => (trainer.steps(), trainer.total_steps()),
        }
    }

    /// Whether every step has run.
    pub fn finished(&self) -> bool {
        let (done, total) = self.progress();
        done >= total
    }

    /// Run `i`'s configuration.
    pub fn config(&self, i: usize) -> TrainConfig {
        match self {
            Self::Cpu(t) => *t[i].config(),
            Self::Gpu { trainer, .. } => trainer.configs()[i],
        }
    }

    /// Run `i`'s network (on the GPU: as last read back).
    pub fn model(&self, i: usize) -> Mlp<f32> {
        match self {
            Self::Cpu(t) => t[i].model().clone(),
            Self::Gpu { trainer, .. } => trainer.model(i),
        }
    }

    /// Run `i`'s mean loss per finished epoch.
    pub fn history(&self, i: usize) -> Vec<f32> {
        match self {
            Self::Cpu(t) => t[i].history().to_vec(),
            Self::Gpu { trainer, .. } => trainer.history(i).to_vec(),
        }
    }

    /// One chunk of every run. On the CPU, steps until `budget_ms` have
    /// passed (at least one); on the GPU, one submission, then the losses
    /// and parameters come back. Gives the steps each run took.
    pub async fn chunk(&mut self, budget_ms: f64) -> Result<usize, GpuError> {
        let start = dom::now_ms();
        match self {
            Self::Cpu(trainers) => {
                let mut steps = 0;
                while !trainers[0].finished() {
                    trainers.iter_mut().for_each(|t| {
                        t.step(1);
                    });
                    steps += 1;
                    if dom::now_ms() - start >= budget_ms {
                        break;
                    }
                }
                Ok(steps)
            }
            Self::Gpu { trainer, steps } => {
                let before = trainer.steps();
                trainer.step(*steps, true).await?;
                let took = dom::now_ms() - start;
                if took < GPU_FAST_MS {
                    *steps = (*steps * 2).min(GPU_CAPACITY);
                } else if took > GPU_SLOW_MS {
                    *steps = (*steps / 2).max(1);
                }
                Ok(trainer.steps() - before)
            }
        }
    }

    /// Carries the runs on on the CPU from the GPU's last read-back; gives
    /// the step they resume from.
    pub fn fall_back(&mut self, task: &ToyTask) -> Result<usize, Message> {
        let Self::Gpu { trainer, .. } = self else {
            return Ok(self.progress().0);
        };
        let trainers = trainer
            .to_cpu(&task.train, &task.counts)
            .map_err(|e| e.message())?;
        let from = trainers[0].steps();
        *self = Self::Cpu(trainers);
        Ok(from)
    }

    /// Destroys the GPU device (the debug URL parameter `gpu_lose_after`).
    pub fn lose_device(&self) {
        if let Self::Gpu { trainer, .. } = self {
            trainer.context().lose();
        }
    }
}
