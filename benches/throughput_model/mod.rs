//! The model both throughput benchmarks train: the lib's
//! [`cblab::train::benchmark`] (the page's worker trains it too), warmed up.

use cblab::data::toy_data::ToyTask;
pub use cblab::train::benchmark::{BATCHES, MODEL, task};
use cblab::train::benchmark::{WARM_UP_STEPS, config};
use cblab::train::trainer::CpuTrainer;

/// A trainer at `batch` samples a step, past its first steps (caches and the
/// allocator warm), with steps enough for any measurement.
pub fn warm_trainer(task: &ToyTask, batch: usize) -> CpuTrainer {
    let mut trainer = CpuTrainer::new(&task.train, &task.counts, &config(batch)).expect("valid");
    trainer.step(WARM_UP_STEPS);
    trainer
}
