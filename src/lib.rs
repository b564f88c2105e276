//! CB Lab: class-balanced loss (Cui et al., "Class-Balanced Loss Based on
//! Effective Number of Samples", CVPR 2019), from the effective number of
//! samples to trained classifiers.
//!
//! The pure core (effective numbers, weights, losses, profiles, input parsing,
//! export, the toy task, the MLP, the CPU trainer and its metrics) has no web
//! or GPU code and is what every other part calls: the
//! `cblab` command-line tool ([`cli`], native only), the GPU trainer
//! ([`gpu`]: wgpu, Vulkan natively and WebGPU in the browser) and the site
//! ([`site`], wasm32 only).

pub mod charts;
pub mod counts_input;
pub mod coverage;
pub mod effective_number;
pub mod experiments;
pub mod explorer;
pub mod export;
pub mod gpu;
pub mod i18n;
pub mod induction;
pub mod lesson;
pub mod losses;
pub mod mathml;
pub mod metrics;
pub mod mlp;
pub mod optimizer;
pub mod profiles;
pub mod toy_data;
pub mod trainer;
pub mod weights;

#[cfg(not(target_arch = "wasm32"))]
pub mod cli;

#[cfg(target_arch = "wasm32")]
pub mod site;
