//! The lesson's frame, in the first load: each section's place, number and
//! title. The sections' words, figures and questions come in the lesson's
//! chunk (src/site/deferred.rs) right after the page is up; until then each
//! section is its frame at about its final height, so that a link to a
//! section lands on it and nothing below jumps when the chunk arrives.

use leptos::context::Provider;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::dom;
use super::i18n::{t, use_page};
use super::state::use_explorer;
use crate::teach::section::Section;

/// A section's frame: its number and title (focusable, for presentation
/// mode) and its body, the lesson's or, until the chunk is here, nothing.
#[component]
pub fn SectionFrame(
    /// Which section.
    section: Section,
    /// Hidden in presentation mode when another slide is shown.
    #[prop(into)]
    hidden: Signal<bool>,
    /// The body; none in the placeholder, which is then marked `pending`.
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let id = section.id();
    let title_id = format!("{id}-title");
    let labelled_by = title_id.clone();
    let pending = children.is_none();
    // The section's words and figures follow a drag elsewhere only while on
    // screen: its body sees the explorer through a provider of its own (a
    // component has no owner of its own to hold a context).
    let frame = NodeRef::<leptos::html::Section>::new();
    let shown_here = use_explorer().while_shown(dom::on_screen(frame));
    // The handout starts every kept section on a page but the first.
    let page = use_page();
    let first = move || page.view.with(|v| v.cut.sections().next() == Some(section));
    view! {
        <section
            node_ref=frame
            class="panel lesson-section"
            class:pending=pending
            class:first-kept=first
            id=id
            data-section=id
            aria-labelledby=labelled_by
            aria-busy=pending.then_some("true")
            hidden=move || hidden.get()
        >
            <h2 id=title_id tabindex="-1">
                <span class="section-number">{format!("{}. ", section.slide())}</span>
                {t(section.title_key())}
            </h2>
            {children.map(|c| view! { <Provider value=shown_here>{c()}</Provider> })}
        </section>
    }
}

/// Every section's frame, empty: what the page shows of the lesson until
/// its chunk is here (or, with `failed`, when it could not come).
pub fn placeholder() -> impl IntoView {
    let page = use_page();
    view! {
        <div class="lesson">
            {Section::ALL
                .into_iter()
                .map(|section| {
                    let hidden = Signal::derive(move || !page.view.with(|v| v.cut.keeps(section)));
                    view! { <SectionFrame section hidden /> }
                })
                .collect_view()}
        </div>
    }
}

/// After the DOM has caught up, moves the focus to `section`'s title and
/// scrolls it into view, so keyboard and screen-reader users land on the new slide.
pub fn focus_slide(section: Section) {
    request_animation_frame(move || {
        let document = dom::window().document().expect("a window has a document");
        if let Some(title) = document.get_element_by_id(&format!("{}-title", section.id())) {
            title.scroll_into_view();
            if let Ok(title) = title.dyn_into::<web_sys::HtmlElement>() {
                let _ = title.focus();
            }
        }
    });
}

/// The page is drawn after the browser looked for the URL's `#fragment`: look
/// again. The page calls it when it is mounted, the lesson (`lesson_here`)
/// when it arrives: the lesson replaces the frames, and the node the browser
/// kept in place goes with them, so it waits, a frame at a time, until the
/// frames are gone.
pub fn scroll_to_fragment(lesson_here: bool) {
    land(use_page(), lesson_here, 0);
}

/// Frames [`scroll_to_fragment`] waits at most for the lesson to replace its frames.
const MAX_FRAMES: u32 = 60;

fn land(page: super::i18n::Page, lesson_here: bool, waited: u32) {
    request_animation_frame(move || {
        let document = dom::window().document().expect("a window has a document");
        let framed = document
            .query_selector(".lesson-section.pending")
            .ok()
            .flatten()
            .is_some();
        if lesson_here && framed && waited < MAX_FRAMES {
            land(page, lesson_here, waited + 1);
            return;
        }
        let location = dom::window().location();
        let hash = location.hash().unwrap_or_default();
        let id = hash.trim_start_matches('#');
        if id.is_empty() {
            return;
        }
        if page.view.with_untracked(|v| v.present) {
            if let Some(section) = Section::ALL.iter().find(|s| s.id() == id) {
                focus_slide(*section);
            }
        } else if let Some(section) = Section::ALL.iter().find(|s| s.id() == id) {
            // A section's title keeps a margin above it (the CSS's scroll-margin).
            if let Some(title) = document.get_element_by_id(&format!("{}-title", section.id())) {
                title.scroll_into_view();
            }
        } else if let Some(element) = document.get_element_by_id(id) {
            // The export panel is closed until asked for: a link to it opens it.
            if element.tag_name() == "DETAILS" {
                let _ = element.set_attribute("open", "");
            }
            element.scroll_into_view();
        }
    });
}
