//! The teacher's material at the end of the lesson: the lesson links
//! (prepared states) the cut keeps, presentation mode, the printed handout,
//! and "customise this lesson", which writes the teacher's cut
//! ([`crate::teach::cut`]) into the page and its links.

use leptos::prelude::*;

use super::handout::{Codes, print_handout};
use super::share::share_url;
use super::start_presentation;
use crate::site::copy::copy_button;
use crate::site::i18n::{Page, t, tf, use_page};
use crate::site::state::{tracked_when, use_explorer};
use crate::teach::cut::Panel;
use crate::teach::lesson::{PageView, STEPS, step_href};
use crate::teach::section::Section;

/// The lesson links, presentation, the handout and the cut.
#[component]
pub(super) fn TeacherMaterial(
    /// The handout's QR codes, which printing makes.
    codes: Codes,
) -> impl IntoView {
    let page = use_page();
    let present = Memo::new(move |_| page.view.with(|v| v.present));
    let ex = use_explorer();
    let (print_note, set_print_note) = signal(None::<&'static str>);
    let print = move |_| {
        leptos::task::spawn_local(async move {
            set_print_note.set(None);
            if print_handout(codes, ex, page).await.is_err() {
                set_print_note.set(Some("handout.no_codes"));
            }
        });
    };
    view! {
        <nav class="panel lesson-links" id="teacher" aria-labelledby="lesson-links-title" hidden=move || present.get()>
            <h2 id="lesson-links-title">{t("lesson.links.title")}</h2>
            <p class="hint">{t("lesson.links.intro")}</p>
            <ol>
                {STEPS
                    .iter()
                    .map(|step| {
                        // Reading mode, in the page's language and cut.
                        let href = Memo::new(move |_| {
                            page.view.with(|v| step_href(step, &PageView { present: false, ..*v }))
                        });
                        view! {
                            <li hidden=move || href.with(Option::is_none)>
                                <a href=move || href.get().unwrap_or_default() data-step=step.id>{t(step.key)}</a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
            <div class="tools">
                <button type="button" class="primary" id="start-presentation" on:click=move |_| start_presentation(page)>
                    {t("present.start")}
                </button>
                <button type="button" id="print-handout" on:click=print>
                    {t("handout.print")}
                </button>
            </div>
            <p class="hint">{t("present.keys_hint")}" "{t("handout.hint")}</p>
            <p class="handout-note" role="status" hidden=move || print_note.with(Option::is_none)>
                {move || print_note.get().map(|key| t(key).get())}
            </p>
            <Customise page />
        </nav>
    }
}

/// "Customise this lesson": a box a section or panel, ticked if the cut keeps
/// it; a change applies at once (the address follows), and the links for
/// the students and for the teacher (whose handout has the answer key) are
/// there to copy.
#[component]
fn Customise(page: Page) -> impl IntoView {
    let ex = use_explorer();
    let cut = Memo::new(move |_| page.view.with(|v| v.cut));
    let set_section = move |section: Section, keep: bool| {
        page.view.update(|v| {
            v.cut = v.cut.with_section(section, keep);
            v.slide = v.slide.min(v.cut.slide_count());
        })
    };
    let sections = Section::ALL
        .into_iter()
        .map(|section| {
            let id = format!("cut-{}", section.id());
            let kept = move || cut.get().keeps(section);
            // The last kept section stays: a lesson of nothing has no slides.
            let last = move || kept() && cut.get().slide_count() == 1;
            view! {
                <label class="check">
                    <input type="checkbox" id=id prop:checked=kept disabled=last
                        on:change=move |ev| set_section(section, event_target_checked(&ev)) />
                    {format!("{}. ", section.slide())}{t(section.title_key())}
                </label>
            }
        })
        .collect_view();
    let panels = Panel::ALL
        .into_iter()
        .map(|panel| {
            let id = format!("cut-{}", panel.id());
            view! {
                <label class="check">
                    <input type="checkbox" id=id prop:checked=move || cut.get().keeps_panel(panel)
                        on:change=move |ev| {
                            let keep = event_target_checked(&ev);
                            page.view.update(|v| v.cut = v.cut.with_panel(panel, keep));
                        } />
                    {t(panel_key(panel))}
                </label>
            }
        })
        .collect_view();
    // Shown as the state changes while the box is open; copied as it is when pressed.
    let open = RwSignal::new(false);
    let link = move |teacher: bool| {
        tracked_when(open.get(), || ex.state.track());
        page.view.with(|v| share_url(ex, v, teacher))
    };
    let link_now = move |teacher: bool| page.view.with_untracked(|v| share_url(ex, v, teacher));
    view! {
        <details class="customise" id="customise" on:toggle=move |ev| {
            let el: web_sys::HtmlElement = event_target(&ev);
            open.set(el.has_attribute("open"));
        }>
            <summary><h3>{t("cut.title")}</h3></summary>
            <p class="hint">{t("cut.intro")}</p>
            <fieldset>
                <legend>{t("cut.sections")}</legend>
                {sections}
            </fieldset>
            <fieldset>
                <legend>{t("cut.panels")}</legend>
                {panels}
            </fieldset>
            <div class="tools">
                <button type="button" id="cut-all" on:click=move |_| page.view.update(|v| v.cut = Default::default())
                    disabled=move || cut.get() == Default::default()>
                    {t("cut.all")}
                </button>
            </div>
            <p>
                <label for="cut-student-link">{t("cut.student_link")}</label>
                <input type="text" readonly id="cut-student-link" class="link-field" prop:value=move || link(false) />
                {copy_button("copy-student-link".to_owned(), move || link_now(false), tf("cut.copy", Vec::new))}
            </p>
            <p>
                <label for="cut-teacher-link">{t("cut.teacher_link")}</label>
                <input type="text" readonly id="cut-teacher-link" class="link-field" prop:value=move || link(true) />
                {copy_button("copy-teacher-link".to_owned(), move || link_now(true), tf("cut.copy", Vec::new))}
            </p>
        </details>
    }
}

/// The translation key of a panel's name in the control.
fn panel_key(panel: Panel) -> &'static str {
    match panel {
        Panel::Intro => "cut.panel.intro",
        Panel::Questions => "cut.panel.questions",
        Panel::Explorer => "cut.panel.explorer",
    }
}
