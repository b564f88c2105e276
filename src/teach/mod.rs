//! What the lesson shows beyond the explorer: the coverage simulation behind
//! the effective number, the proof by induction step by step, the lesson's
//! sections and prepared states, its formulas as MathML, and the published
//! numbers of the methods that came after, and how to cite them.
//!
//! Pure Rust: no web, GPU or UI types (the site renders what this builds).
//! It may use [`crate::balance`], [`crate::data`] and [`crate::i18n`], never
//! [`crate::train`].

pub mod citations;
pub mod coverage;
pub mod cut;
pub mod induction;
pub mod lesson;
pub mod mathml;
pub mod multi_label_published;
pub mod predictions;
pub mod qr;
pub mod questions;
pub mod section;
pub mod successors;
