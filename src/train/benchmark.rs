//! The model every throughput benchmark trains (natively in
//! `benches/throughput.rs`, in wasm in `benches/wasm_throughput.rs`, in the
//! page's training worker for `benches/browser_training.mjs`), as
//! `benches/jax_throughput.py` and the TensorFlow.js peer build it too:
//! 2 -> 64 -> 64 -> 10 ReLU, CB softmax, Adam, on 10 classes of 2,000 points;
//! and with several labels a sample, the same network with 10 sigmoid outputs,
//! CB sigmoid by class on the multi-label toy task's multi-hot targets.

use crate::balance::weights::SchemeKind;
use crate::data::dataset::MultiLabelTask;
use crate::data::multi_label_toy::{MultiLabelToyConfig, make_multi_label_toy};
use crate::data::toy_data::{ToyConfig, ToyTask, make_toy_task};
use crate::train::config::TrainConfig;
use crate::train::mlp::{Activation, MlpConfig};
use crate::train::multi_label_trainer::MultiLabelConfig;

/// The batch sizes measured.
pub const BATCHES: [usize; 3] = [32, 256, 1024];

/// Steps a trainer takes before it is timed (caches and the allocator warm).
pub const WARM_UP_STEPS: usize = 200;

/// The network.
pub const MODEL: MlpConfig = MlpConfig {
    hidden: 64,
    layers: 2,
    activation: Activation::Relu,
};

/// The task: 10 balanced classes of 2,000 points.
pub fn task() -> ToyTask {
    make_toy_task(&[2000; 10], &ToyConfig::default()).expect("a valid toy task")
}

/// The run at `batch` samples a step, with steps enough for any measurement.
pub fn config(batch: usize) -> TrainConfig {
    TrainConfig {
        scheme: SchemeKind::Cb,
        model: MODEL,
        batch: Some(batch),
        epochs: 1_000_000,
        ..TrainConfig::default()
    }
}

/// The batch sizes measured with several labels a sample.
pub const MULTI_LABEL_BATCHES: [usize; 2] = [32, 256];

/// The multi-label task: the toy task's 10 classes, 20,000 training points.
pub fn multi_label_task() -> MultiLabelTask {
    make_multi_label_toy(&MultiLabelToyConfig {
        classes: 10,
        train_points: 20_000,
        ..MultiLabelToyConfig::default()
    })
    .expect("a valid multi-label toy task")
}

/// The multi-label run at `batch`: CB sigmoid by class, Adam.
pub fn multi_label_config(batch: usize) -> MultiLabelConfig {
    MultiLabelConfig {
        model: MODEL,
        batch,
        epochs: 100_000,
        ..MultiLabelConfig::default()
    }
}
