//! Training on the CPU: the MLP with its backward pass, the optimisers, the
//! trainer (batches, sharded steps, decision grids), the long-tail metrics
//! and the experiments built on them (comparisons, the paper's grid, seeds).
//!
//! Pure Rust: no web, GPU or UI types (the GPU trainer in [`crate::gpu`]
//! mirrors this math). It may use [`crate::balance`], [`crate::data`] and
//! [`crate::i18n`], never [`crate::teach`].

pub mod batches;
pub mod benchmark;
pub mod config;
pub mod experiments;
pub mod flush;
pub mod methods;
pub mod metrics;
pub mod mlp;
pub mod multi_label_trainer;
pub mod optimizer;
pub mod prediction;
pub mod progress;
pub mod ranking;
pub mod shards;
pub mod trainer;
