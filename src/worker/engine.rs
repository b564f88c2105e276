//! Where a job's runs train: every run in one GPU trainer (WebGPU), or a
//! CPU trainer per run. The panels see one interface and can switch from the
//! GPU to the CPU mid-run without losing what was read back.

use super::clock;
use super::protocol::Order;
use crate::data::dataset::Task;
use crate::gpu::{GpuContext, GpuError, GpuTrainer};
use crate::i18n::Message;
use crate::train::config::{TrainConfig, TrainError};
use crate::train::mlp::Mlp;
use crate::train::progress::TrainState;
use crate::train::trainer::CpuTrainer;

/// Most steps in one GPU submission.
const GPU_CAPACITY: usize = 256;
/// A GPU chunk shorter than this doubles the next one's steps.
const GPU_FAST_MS: f64 = 60.0;
/// A GPU chunk longer than this halves the next one's steps.
const GPU_SLOW_MS: f64 = 150.0;
/// How often runs in [`Order::OneByOne`] read their parameters back from
/// the GPU while training (a lost device resumes from at most this far back).
const GPU_READ_EVERY_MS: f64 = 1000.0;

/// The runs of a job and where they train.
pub enum Engine {
    /// One CPU trainer per run.
    Cpu(Vec<CpuTrainer>, Order),
    /// All runs in one GPU trainer; `steps` is the next chunk's size.
    Gpu {
        /// The trainer.
        trainer: Box<GpuTrainer>,
        /// Steps in the next chunk, adapted to keep each chunk between
        /// [`GPU_FAST_MS`] and [`GPU_SLOW_MS`] long (the page draws
        /// meanwhile; each chunk is a read-back to wait for).
        steps: usize,
        /// How the runs go on if they fall back to the CPU, and how often
        /// their parameters come back.
        order: Order,
        /// When the parameters last came back ([`clock::now_ms`]).
        read_at: f64,
    },
}

impl Engine {
    /// The runs of `configs` on `task`, on the GPU when `gpu` is given, else
    /// on the CPU in `order`; or why they cannot train, in words for any
    /// language.
    ///
    /// With `resume`, the runs carry on from those states (a snapshot).
    pub fn new(
        task: &Task,
        configs: &[TrainConfig],
        gpu: Option<&GpuContext>,
        order: Order,
        resume: Option<Vec<TrainState>>,
    ) -> Result<Self, Message> {
        let (train, counts) = (&task.train, &task.counts);
        if let Some(ctx) = gpu {
            let trainer = match resume {
                None => GpuTrainer::new(ctx, train, counts, configs, GPU_CAPACITY),
                Some(states) => {
                    GpuTrainer::resume(ctx, train, counts, configs, GPU_CAPACITY, states)
                }
            }
            .map_err(|e| e.message())?;
            return Ok(Self::Gpu {
                trainer: Box::new(trainer),
                steps: 8,
                order,
                read_at: clock::now_ms(),
            });
        }
        let trainers = match resume {
            None => configs
                .iter()
                .map(|c| CpuTrainer::new(train, counts, c))
                .collect::<Result<_, _>>(),
            Some(states) if states.len() == configs.len() => configs
                .iter()
                .zip(states)
                .map(|(c, s)| CpuTrainer::resume(train, counts, c, s))
                .collect(),
            Some(_) => Err(TrainError::State),
        };
        trainers
            .map(|t| Self::Cpu(t, order))
            .map_err(|e| e.message())
    }

    /// Every run's state (on the GPU: as last read back), to resume from.
    pub fn states(&self) -> Vec<TrainState> {
        match self {
            Self::Cpu(t, _) => t.iter().map(CpuTrainer::state).collect(),
            Self::Gpu { trainer, .. } => trainer.states().to_vec(),
        }
    }

    /// Whether the runs are on the GPU.
    pub fn on_gpu(&self) -> bool {
        matches!(self, Self::Gpu { .. })
    }

    /// How many runs.
    pub fn len(&self) -> usize {
        match self {
            Self::Cpu(t, _) => t.len(),
            Self::Gpu { trainer, .. } => trainer.configs().len(),
        }
    }

    /// (steps done, steps in all) of the run furthest behind: of every run
    /// when they move together.
    pub fn progress(&self) -> (usize, usize) {
        match self {
            Self::Cpu(t, _) => t
                .iter()
                .map(|t| (t.steps(), t.total_steps()))
                .min()
                .expect("an engine has runs"),
            Self::Gpu { trainer, .. } => (trainer.steps(), trainer.total_steps()),
        }
    }

    /// (steps done, steps in all), summed over the runs.
    pub fn model_steps(&self) -> (usize, usize) {
        match self {
            Self::Cpu(t, _) => t
                .iter()
                .fold((0, 0), |(d, n), t| (d + t.steps(), n + t.total_steps())),
            Self::Gpu { trainer, .. } => {
                let runs = trainer.configs().len();
                (trainer.steps() * runs, trainer.total_steps() * runs)
            }
        }
    }

    /// Whether run `i` has taken all its steps.
    pub fn run_finished(&self, i: usize) -> bool {
        match self {
            Self::Cpu(t, _) => t[i].finished(),
            Self::Gpu { trainer, .. } => trainer.steps() >= trainer.total_steps(),
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
            Self::Cpu(t, _) => *t[i].config(),
            Self::Gpu { trainer, .. } => trainer.configs()[i],
        }
    }

    /// Run `i`'s network (on the GPU: as last read back).
    pub fn model(&self, i: usize) -> Mlp<f32> {
        match self {
            Self::Cpu(t, _) => t[i].model().clone(),
            Self::Gpu { trainer, .. } => trainer.model(i),
        }
    }

    /// Run `i`'s mean loss per finished epoch.
    pub fn history(&self, i: usize) -> Vec<f32> {
        match self {
            Self::Cpu(t, _) => t[i].history().to_vec(),
            Self::Gpu { trainer, .. } => trainer.history(i).to_vec(),
        }
    }

    /// One chunk. On the CPU, steps until `budget_ms` have passed (at least
    /// one), every run in turn or the first unfinished one; on the GPU, one
    /// submission of every run, then the losses and parameters come back.
    /// Gives the model-steps taken.
    pub async fn chunk(&mut self, budget_ms: f64) -> Result<usize, GpuError> {
        let start = clock::now_ms();
        match self {
            Self::Cpu(trainers, order) => {
                let mut steps = 0;
                loop {
                    let stepped = match order {
                        Order::Together => trainers
                            .iter_mut()
                            .filter(|t| !t.finished())
                            .map(|t| t.step(1))
                            .count(),
                        Order::OneByOne => {
                            trainers.iter_mut().find(|t| !t.finished()).map_or(0, |t| {
                                t.step(1);
                                1
                            })
                        }
                    };
                    steps += stepped;
                    if stepped == 0 || clock::now_ms() - start >= budget_ms {
                        break;
                    }
                }
                Ok(steps)
            }
            Self::Gpu {
                trainer,
                steps,
                order,
                read_at,
            } => {
                let before = trainer.steps();
                let read = *order == Order::Together
                    || before + *steps >= trainer.total_steps()
                    || start - *read_at >= GPU_READ_EVERY_MS;
                trainer.step(*steps, read).await?;
                if read {
                    *read_at = start;
                }
                let took = clock::now_ms() - start;
                if took < GPU_FAST_MS {
                    *steps = (*steps * 2).min(GPU_CAPACITY);
                } else if took > GPU_SLOW_MS {
                    *steps = (*steps / 2).max(1);
                }
                Ok((trainer.steps() - before) * trainer.configs().len())
            }
        }
    }

    /// Carries the runs on on the CPU from the GPU's last read-back; gives
    /// the step they resume from.
    pub fn fall_back(&mut self, task: &Task) -> Result<usize, Message> {
        let Self::Gpu { trainer, order, .. } = self else {
            return Ok(self.progress().0);
        };
        let trainers = trainer
            .to_cpu(&task.train, &task.counts)
            .map_err(|e| e.message())?;
        let from = trainers[0].steps();
        *self = Self::Cpu(trainers, *order);
        Ok(from)
    }

    /// Destroys the GPU device (the page's debug URL parameter `gpu_lose_after`).
    pub fn lose_device(&self) {
        if let Self::Gpu { trainer, .. } = self {
            trainer.context().lose();
        }
    }
}
