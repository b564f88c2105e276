//! The page's shareable address: what the teacher's links and the handout's
//! first QR code hold.

use leptos::prelude::*;

use crate::explorer::url::to_query;
use crate::site::dom;
use crate::site::state::Explorer;
use crate::teach::lesson::{PageView, join_queries, view_to_query};

/// The page's address as it is now, for sharing or printing: reading mode,
/// the cut kept, the teacher's flag as `teacher` says.
pub(super) fn share_url(ex: Explorer, view: &PageView, teacher: bool) -> String {
    let view = PageView {
        present: false,
        slide: 1,
        teacher,
        ..*view
    };
    dom::page_url(&join_queries(
        &ex.state.with_untracked(to_query),
        &view_to_query(&view),
    ))
}
