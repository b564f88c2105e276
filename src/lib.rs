//! CB Lab: class-balanced loss (Cui et al., "Class-Balanced Loss Based on
//! Effective Number of Samples", CVPR 2019), from the effective number of
//! samples to trained classifiers.
//!
//! The pure core (effective numbers, weights, losses, profiles, input parsing,
//! export) has no web or GPU code and is what every other part calls: the
//! `cblab` command-line tool ([`cli`], native only) and the site ([`site`],
//! wasm32 only).

pub mod counts_input;
pub mod effective_number;
pub mod export;
pub mod losses;
pub mod profiles;
pub mod weights;

#[cfg(not(target_arch = "wasm32"))]
pub mod cli;

#[cfg(target_arch = "wasm32")]
pub mod site;
