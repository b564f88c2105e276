//! The GPU trainer: the CPU trainer's model, losses and optimisers as WGSL
//! compute kernels (wgpu: WebGPU in the browser, Vulkan natively), training
//! many models at once, one dispatch per kernel covering all of them.
//!
//! The math is the core's ([`crate::losses`], [`crate::mlp`],
//! [`crate::optimizer`]); `tests/gpu.rs` checks the kernels against it.

mod context;
mod layout;
mod trainer;

use std::fmt;

pub use context::{AdapterSummary, GpuContext};
pub use layout::{KernelLayer, Layout};
pub use trainer::{GpuReport, GpuTrainer};

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
    /// The models cannot train together: they differ in shape, batch, epochs or data.
    Mismatch(String),
    /// A configuration is invalid (see [`crate::trainer::TrainError`]).
    Config(String),
}

impl fmt::Display for GpuError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoAdapter(e) => write!(f, "no GPU adapter: {e}"),
            Self::NoDevice(e) => write!(f, "the GPU adapter gave no device: {e}"),
            Self::Lost(e) => write!(f, "the GPU device was lost: {e}"),
            Self::Device(e) => write!(f, "GPU error: {e}"),
            Self::Mismatch(e) => write!(f, "these models cannot train together on the GPU: {e}"),
            Self::Config(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for GpuError {}
