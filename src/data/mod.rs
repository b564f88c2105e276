//! The data a person brings or the lab makes: class-count profiles and
//! presets, parsing pasted or uploaded counts, samples of any dimension, the
//! seeded toy task, the Fashion-MNIST-LT images, and the weights written out for other tools.
//!
//! Pure Rust: no web, GPU or UI types. It may use [`crate::balance`] and
//! [`crate::i18n`], never [`crate::train`] or [`crate::teach`].

pub mod coco;
pub mod counts_input;
pub mod dataset;
pub mod decimal;
pub mod export;
pub mod fashion;
pub mod fashion_mosaics;
pub mod image_folder;
pub mod label_sets;
pub mod label_table;
pub mod multi_label_toy;
pub mod open_images;
pub mod profiles;
pub mod text_stream;
pub mod toy_data;
