//! The paper's math: the effective number of samples, the class-balanced
//! weights and the weighted losses with their gradients (Cui et al. 2019,
//! sections 3 and 4). Every formula of the paper is written here once.
//!
//! Pure Rust: no web, GPU or UI types. It may use [`crate::i18n`] for its
//! messages and nothing else of the crate; everything else may use it.

pub mod adjusted_softmax;
pub mod beta_range;
pub mod effective_number;
pub mod loss_kind;
pub mod losses;
pub mod multi_label;
pub mod repeat_factor;
pub mod weights;
