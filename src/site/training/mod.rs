//! The training panel: the explorer's class counts, scaled to toy size, train
//! a small MLP with softmax, class-balanced softmax and a chosen loss side by
//! side, on WebGPU when the browser has it and on the CPU otherwise, in the
//! training worker ([`crate::site::worker`]) so the page keeps answering.
//! Decision regions, test metrics and loss curves update live. Also the
//! paper's grid, trained together.
//!
//! One file a part: [`panel`] with its [`controls`] and [`regions`], and
//! [`grid`] with its [`grid_table`], and the [`leaderboard`] of the methods
//! that came after and the [`sweep`] of beta, which train over [`seeded`]
//! runs, the [`real_data`] panel's Fashion-MNIST-LT, the [`multi_label`]
//! panel's label sets, and the explorer's [`data_set`] counted from the
//! reader's own files in a worker of its own ([`data_set_reader`]).

mod controls;
mod data_set;
mod data_set_reader;
mod data_set_sampler;
mod grid;
mod grid_table;
mod leaderboard;
mod multi_label;
mod multi_label_export;
mod multi_label_mosaics;
mod multi_label_regions;
mod multi_label_runs;
mod panel;
mod real_data;
mod regions;
mod seeded;
mod snippet_tools;
mod sweep;

pub use data_set::DataSetPanel;
pub use grid::GridPanel;
pub use leaderboard::LeaderboardPanel;
pub use multi_label::MultiLabelPanel;
pub use panel::TrainingPanel;
pub use real_data::RealDataPanel;
pub use sweep::SweepPanel;
