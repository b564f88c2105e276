//! The page's training worker: every run the page trains (the panel's, the
//! grid's) trains here, in a dedicated Web Worker with its own WebAssembly
//! (`src/bin/cblab-worker.rs`), so that the page's thread only draws and
//! answers. The page sends [`protocol::Command`]s and receives
//! [`protocol::Report`]s; the CPU trainers and the GPU trainer (WebGPU is
//! there in dedicated workers) live on this side only, which also keeps
//! them, ndarray and wgpu out of the page's first download.

pub mod data_set;
pub mod protocol;

#[cfg(target_arch = "wasm32")]
mod clock;
#[cfg(target_arch = "wasm32")]
mod engine;
#[cfg(target_arch = "wasm32")]
pub mod fetch;
#[cfg(target_arch = "wasm32")]
mod file_reader;
#[cfg(target_arch = "wasm32")]
mod host;
#[cfg(target_arch = "wasm32")]
mod job;
#[cfg(target_arch = "wasm32")]
mod multi_label;

#[cfg(target_arch = "wasm32")]
pub use host::run;
