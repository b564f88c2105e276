//! The model both throughput benchmarks train (natively in `throughput.rs`,
//! in wasm in `wasm_throughput.rs`), as `benches/jax_throughput.py` builds
//! it too: 2 -> 64 -> 64 -> 10 ReLU, CB softmax, Adam, on 10 classes of
//! 2,000 points, warmed up by 200 steps.

use cblab::balance::weights::SchemeKind;
use cblab::data::toy_data::{ToyConfig, ToyTask, make_toy_task};
use cblab::train::config::TrainConfig;
use cblab::train::mlp::MlpConfig;
use cblab::train::trainer::CpuTrainer;

/// The batch sizes measured.
pub const BATCHES: [usize; 3] = [32, 256, 1024];

/// The network.
pub const MODEL: MlpConfig = MlpConfig {
    hidden: 64,
    layers: 2,
    activation: cblab::train::mlp::Activation::Relu,
};

/// The task: 10 balanced classes of 2,000 points.
pub fn task() -> ToyTask {
    make_toy_task(&[2000; 10], &ToyConfig::default()).expect("a valid toy task")
}

/// A trainer at `batch` samples a step, past its first 200 steps (caches and
/// the allocator warm), with steps enough for any measurement.
pub fn warm_trainer(task: &ToyTask, batch: usize) -> CpuTrainer {
    let config = TrainConfig {
        scheme: SchemeKind::Cb,
        model: MODEL,
        batch: Some(batch),
        epochs: 1_000_000,
        ..TrainConfig::default()
    };
    let mut trainer = CpuTrainer::new(&task.train, &task.counts, &config).expect("valid");
    trainer.step(200);
    trainer
}
