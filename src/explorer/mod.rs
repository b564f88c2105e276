//! The weight explorer's logic, apart from its page: the state, its URL,
//! hand editing and the derived numbers. The site's components only show these.

pub mod edit;
pub mod label_sets;
pub mod results;
pub mod slider;
pub mod state;
pub mod training;
pub mod url;
