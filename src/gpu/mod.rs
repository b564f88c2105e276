//! The GPU trainers: the CPU trainers' model, losses and optimisers as WGSL
//! compute kernels (wgpu: WebGPU in the browser, Vulkan natively), training
//! many models at once, one dispatch per kernel covering all of them; one
//! label a sample ([`GpuTrainer`]) or several ([`GpuMultiLabelTrainer`]),
//! both on one [`engine`].
//!
//! The math is the core's ([`crate::balance::losses`],
//! [`crate::balance::multi_label`], [`crate::train::mlp`],
//! [`crate::train::optimizer`]); `tests/gpu.rs` checks the kernels against it.

mod context;
mod engine;
mod host_data;
mod layout;
mod multi_label;
mod pipelines;
mod trainer;

use std::fmt;

use crate::i18n::Message;
use crate::train::config::TrainError;
use crate::train::multi_label_trainer::MultiLabelTrainError;

pub use context::{AdapterSummary, GpuContext};
pub use engine::GpuReport;
pub use layout::{KernelLayer, Layout};
pub use multi_label::GpuMultiLabelTrainer;
pub use trainer::GpuTrainer;

/// Why the GPU trainer cannot start or go on.
#[derive(Clone, Debug, PartialEq)]
pub enum GpuError {
    /// The platform offers no GPU adapter (the browser has no WebGPU, or no driver).
    NoAdapter(String),
    /// The adapter refused to give a device.
    NoDevice(String),
    /// The device was lost or destroyed (a driver reset, a tab in the background, a test).
    Lost(String),
    /// The GPU reported an error (a bug, or a limit passed).
    Device(String),
    /// The models cannot train together.
    Mismatch(Mismatch),
    /// A configuration is invalid.
    Config(TrainError),
    /// A multi-label run's configuration is invalid (in English, as the core says it).
    MultiLabel(MultiLabelTrainError),
}

impl GpuError {
    /// What went wrong, for people in any language; the browser's or the
    /// driver's own words (`detail`) are shown as they are.
    pub fn message(&self) -> Message {
        match self {
            Self::NoAdapter(e) => Message::new("error.gpu.no_adapter").with("detail", e),
            Self::NoDevice(e) => Message::new("error.gpu.no_device").with("detail", e),
            Self::Lost(e) => Message::new("error.gpu.lost").with("detail", e),
            Self::Device(e) => Message::new("error.gpu.device").with("detail", e),
            Self::Mismatch(why) => {
                Message::new("error.gpu.mismatch").with_message("detail", why.message())
            }
            Self::Config(e) => e.message(),
            Self::MultiLabel(e) => {
                Message::new("error.gpu.multi_label").with("detail", e.to_string())
            }
        }
    }
}

/// Why models cannot train together in one GPU trainer.
#[derive(Clone, Debug, PartialEq)]
pub enum Mismatch {
    /// There are none.
    NoModels,
    /// Run `run` differs from the first run `first` in network, batch or epochs.
    Differ {
        /// The run that differs.
        run: Message,
        /// The first run.
        first: Message,
    },
    /// The network has more dense layers than the kernel takes.
    TooManyLayers {
        /// Its dense layers.
        layers: usize,
        /// The most the kernel takes.
        most: usize,
    },
}

impl Mismatch {
    /// The reason, for people in any language.
    pub fn message(&self) -> Message {
        match self {
            Self::NoModels => Message::new("error.gpu.no_models"),
            Self::Differ { run, first } => Message::new("error.gpu.differ")
                .with_message("run", run.clone())
                .with_message("first", first.clone()),
            Self::TooManyLayers { layers, most } => Message::new("error.gpu.too_many_layers")
                .with("layers", layers)
                .with("most", most),
        }
    }
}

/// In English, from the translation files.
impl fmt::Display for GpuError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.message().fmt(f)
    }
}

impl std::error::Error for GpuError {}
