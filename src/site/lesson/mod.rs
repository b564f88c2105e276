//! The lesson: nine sections that follow the paper's argument, each with its
//! interactive figure inline, the teacher's material (src/site/lesson/teacher.rs:
//! the lesson links, the handout, the cut), and presentation mode (one kept
//! section per screen, arrow keys to move on). All of it is the lesson's chunk (src/site/deferred.rs);
//! the first load holds the sections' frames (src/site/lesson_frame.rs).
//!
//! The sections share the explorer's state (beta, gamma, the class counts),
//! so a lesson link sets up every figure at once.

mod after;
mod beta;
mod coverage;
mod handout;
mod induction;
mod math;
mod predict;
mod questions;
mod sections;
mod several_labels;
mod share;
mod teacher;
mod weightings;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::i18n::{Page, t, tf, use_page};
use super::lesson_frame::{focus_slide, scroll_to_fragment};
use crate::teach::cut::Panel;
use crate::teach::section::Section;

/// The sections the cut keeps, presentation mode's controls, the teacher's
/// material and what only the printed handout shows.
#[component]
pub fn Lesson() -> impl IntoView {
    let page = use_page();
    let present = Memo::new(move |_| page.view.with(|v| v.present));
    let current = Memo::new(move |_| page.view.with(|v| v.section()));
    let cut = Memo::new(move |_| page.view.with(|v| v.cut));
    questions::provide_answers();
    use_slide_keys();
    // The sections are their full height now: a link to one lands on it again.
    scroll_to_fragment(true);

    let shown = move |s: Section| cut.get().keeps(s) && (!present.get() || current.get() == s);
    let questions = move || cut.get().keeps_panel(Panel::Questions);
    let codes = handout::Codes::new();
    view! {
        <div class="lesson">
            <SlideBar />
            <sections::LongTail hidden=Signal::derive(move || !shown(Section::LongTail)) />
            <sections::Overlap hidden=Signal::derive(move || !shown(Section::Overlap)) />
            <sections::Definition hidden=Signal::derive(move || !shown(Section::Definition)) />
            <sections::Induction hidden=Signal::derive(move || !shown(Section::Induction)) />
            <sections::ClassBalanced hidden=Signal::derive(move || !shown(Section::ClassBalanced)) />
            <sections::Losses hidden=Signal::derive(move || !shown(Section::Losses)) />
            <sections::Results hidden=Signal::derive(move || !shown(Section::Results)) />
            <after::After hidden=Signal::derive(move || !shown(Section::After)) />
            <several_labels::SeveralLabels hidden=Signal::derive(move || !shown(Section::SeveralLabels)) />
        </div>
        <div hidden=move || present.get() || !questions()>
            <questions::AnswersSummary />
        </div>
        <teacher::TeacherMaterial codes />
        <handout::HandoutLinks codes />
        <Show when=move || page.view.with(|v| v.teacher) && questions()>
            <questions::AnswerKey />
        </Show>
    }
}

/// Presentation mode's bar: previous, where we are, next, and the way out.
#[component]
fn SlideBar() -> impl IntoView {
    let page = use_page();
    let present = Memo::new(move |_| page.view.with(|v| v.present));
    let slide = Memo::new(move |_| page.view.with(|v| v.slide));
    let total = Memo::new(move |_| page.view.with(|v| v.cut.slide_count()));
    view! {
        <nav class="slide-bar" aria-label=t("present.bar_label") hidden=move || !present.get()>
            <button type="button" id="slide-previous" on:click=move |_| go(page, -1) disabled=move || { slide.get() <= 1 }>
                {t("present.previous")}
            </button>
            <span class="slide-count" aria-live="polite" data-slide=move || slide.get().to_string()>
                {tf("present.count", move || vec![("k", slide.get().to_string()), ("total", total.get().to_string())])}
            </span>
            <button type="button" id="slide-next" on:click=move |_| go(page, 1) disabled=move || { slide.get() >= total.get() }>
                {t("present.next")}
            </button>
            <button type="button" id="slide-exit" class="link" on:click=move |_| exit_presentation(page)>
                {t("present.exit")}
            </button>
        </nav>
    }
}

/// Moves `by` slides (within the lesson) and puts the focus on the new slide's title.
fn go(page: Page, by: i32) {
    let mut moved = None;
    page.view.update(|v| {
        let mut next = *v;
        for _ in 0..by.unsigned_abs() {
            next = if by > 0 { next.next() } else { next.previous() };
        }
        if next != *v {
            *v = next;
            moved = Some(v.section());
        }
    });
    if let Some(section) = moved {
        focus_slide(section);
    }
}

/// Starts presenting, on the first kept section.
fn start_presentation(page: Page) {
    page.view.update(|v| {
        v.present = true;
        v.slide = 1;
    });
    focus_slide(page.view.with_untracked(|v| v.section()));
}

/// Leaves presentation mode, keeping the reader at the section they were on.
fn exit_presentation(page: Page) {
    let section = page.view.with_untracked(|v| v.section());
    page.view.update(|v| v.present = false);
    focus_slide(section);
}

/// In presentation mode, ArrowRight/PageDown and ArrowLeft/PageUp move between
/// slides, Home/End jump to the ends and Escape leaves; keys typed into a
/// field or slider are left to it.
fn use_slide_keys() {
    let page = use_page();
    let handle = window_event_listener(leptos::ev::keydown, move |ev: web_sys::KeyboardEvent| {
        if !page.view.with_untracked(|v| v.present)
            || ev.alt_key()
            || ev.ctrl_key()
            || ev.meta_key()
        {
            return;
        }
        let in_field = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|e| matches!(e.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA"));
        if in_field {
            return;
        }
        let total = page.view.with_untracked(|v| v.cut.slide_count()) as i32;
        match ev.key().as_str() {
            "ArrowRight" | "PageDown" => go(page, 1),
            "ArrowLeft" | "PageUp" => go(page, -1),
            "Home" => go(page, -total),
            "End" => go(page, total),
            "Escape" => exit_presentation(page),
            _ => return,
        }
        ev.prevent_default();
    });
    // The listener lives as long as the page.
    std::mem::forget(handle);
}

/// A number for the reader: at most 4 decimals, without trailing zeros; large
/// ones in scientific notation.
pub(crate) fn short(x: f64) -> String {
    if !x.is_finite() {
        return x.to_string();
    }
    if x.abs() >= 1e6 {
        return format!("{x:.3e}");
    }
    let s = format!("{x:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}
