//! The training panel: the explorer's class counts, scaled to toy size, train
//! a small MLP with softmax, class-balanced softmax and a chosen loss side by
//! side, on WebGPU when the browser has it and on the CPU otherwise, a chunk
//! per animation frame so the page keeps answering. Decision regions, test
//! metrics and loss curves update live. Also the paper's grid, trained together.
//!
//! One file a part: [`session`] (the runs and their training loop),
//! [`panel`] with its [`controls`] and [`regions`], and [`grid`] with its
//! [`grid_table`].

mod controls;
mod grid;
mod grid_table;
mod panel;
mod regions;
mod session;

pub use grid::GridPanel;
pub use panel::TrainingPanel;
