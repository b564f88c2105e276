//! CB Lab: class-balanced loss (Cui et al., "Class-Balanced Loss Based on
//! Effective Number of Samples", CVPR 2019), from the effective number of
//! samples to trained classifiers.
//!
//! The pure core has no web or GPU code and is what every other part calls.
//! It lives in four folders: [`balance`] (the paper's math: effective numbers,
//! weights, losses), [`data`] (count profiles, input parsing, the toy task,
//! export), [`train`] (the MLP, optimisers, the CPU trainer, metrics and
//! experiments) and [`teach`] (the lesson's simulation, proof and formulas),
//! with [`i18n`] beside them for every text. Around it: [`charts`] (the
//! figures, over any plotters backend), [`explorer`] (the page's logic), the
//! `cblab` command-line tool ([`cli`], native only), the GPU trainer
//! ([`gpu`]: wgpu, Vulkan natively and WebGPU in the browser) and the site
//! ([`site`], wasm32 only).

pub mod balance;
pub mod charts;
pub mod data;
pub mod explorer;
pub mod gpu;
pub mod i18n;
pub mod teach;
pub mod train;

#[cfg(not(target_arch = "wasm32"))]
pub mod cli;

#[cfg(target_arch = "wasm32")]
pub mod site;
