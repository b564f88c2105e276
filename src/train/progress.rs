//! Where a run is ([`Progress`]: steps done, the loss of each finished
//! epoch), what it carries to go on elsewhere ([`TrainState`]) and what a
//! chunk of steps reports ([`StepReport`]).

use serde::{Deserialize, Serialize};

use crate::train::optimizer::Optimizer;

/// Where a run is: steps done, and the mean loss of each finished epoch.
/// Both trainers count with it, so their histories mean the same thing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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
/// run continues on the CPU from it when the device is lost; the page's
/// training worker sends it as a snapshot to restart from).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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
