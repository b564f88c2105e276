//! The printed handout. The print stylesheet (style/main.css, `@media print`)
//! makes the lesson a handout: each kept section on a new page, figures as
//! drawn now, questions with room to answer, no controls. This adds what
//! only paper shows: the page's links, each as its URL and a QR code, so
//! that a student opens the same state on a phone. The QR encoder comes in a
//! chunk of its own (`qr`), which "Print handout" fetches before it prints:
//! `beforeprint` cannot wait for a chunk. The browser's own Print (Ctrl+P)
//! gets the figures (drawn in `beforeprint`'s microtasks) and the codes only
//! if the chunk is already here.

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos::wasm_split::{SplitLoaderError, wasm_split};

use super::share::share_url;
use crate::site::dom;
use crate::site::i18n::{Page, t, tf, use_page};
use crate::site::state::{Explorer, tracked_when, use_explorer};
use crate::teach::lesson::{PageView, STEPS, step_href};
use crate::teach::qr::{QrPath, TooLong};

/// A link's QR code, or why it has none.
type Code = Result<QrPath, TooLong>;

/// The QR codes made so far, by URL.
#[derive(Clone, Copy)]
pub(super) struct Codes(RwSignal<BTreeMap<String, Code>>);

impl Codes {
    /// None yet: the chunk makes them when the handout is printed.
    pub(super) fn new() -> Codes {
        Codes(RwSignal::new(BTreeMap::new()))
    }
}

/// The links the handout prints, each with its title's key: the page as it
/// is, then the lesson links of the kept sections (for students: no
/// teacher's flag).
fn links(ex: Explorer, view: &PageView) -> Vec<(&'static str, String)> {
    let student = PageView {
        present: false,
        teacher: false,
        ..*view
    };
    let origin = dom::page_url("");
    std::iter::once(("handout.this_page", share_url(ex, view, false)))
        .chain(STEPS.iter().filter_map(|step| {
            let href = step_href(step, &student)?;
            Some((step.key, format!("{origin}{href}")))
        }))
        .collect()
}

/// Makes every link's QR code (the `qr` chunk), forces every section and
/// chart current, then opens the browser's print dialog. A chunk that
/// cannot come leaves the links without codes; the handout still prints.
pub(super) async fn print_handout(
    codes: Codes,
    ex: Explorer,
    page: Page,
) -> Result<(), SplitLoaderError> {
    let printing = dom::printing();
    printing.set(true);
    let made = make_codes(codes, ex, page).await;
    // Two frames: one for the effects (sections, charts, codes), one for layout.
    dom::next_frame().await;
    dom::next_frame().await;
    let _ = dom::window().print();
    printing.set(false);
    made
}

/// Makes the QR codes of the handout's links (fetching the `qr` chunk if it
/// is not here yet).
async fn make_codes(codes: Codes, ex: Explorer, page: Page) -> Result<(), SplitLoaderError> {
    let urls: Vec<String> = page
        .view
        .with_untracked(|v| links(ex, v))
        .into_iter()
        .map(|(_, url)| url)
        .collect();
    let missing: Vec<String> = codes.0.with_untracked(|c| {
        urls.iter()
            .filter(|u| !c.contains_key(*u))
            .cloned()
            .collect()
    });
    let made = if missing.is_empty() {
        Vec::new()
    } else {
        qr_codes(missing).await?
    };
    // Only the current links' codes are kept.
    codes.0.update(|c| {
        c.retain(|url, _| urls.contains(url));
        c.extend(made);
    });
    Ok(())
}

/// The browser's own Print: the figures of every kept section are drawn
/// while it prints, and the codes are made if the chunk is here (an
/// `await` on a chunk already loaded ends in the same microtasks).
fn use_browser_print(codes: Codes) {
    let ex = use_explorer();
    let page = use_page();
    let printing = dom::printing();
    let before = window_event_listener_untyped("beforeprint", move |_| {
        printing.set(true);
        leptos::task::spawn_local(async move {
            let _ = make_codes(codes, ex, page).await;
        });
    });
    let after = window_event_listener_untyped("afterprint", move |_| printing.set(false));
    on_cleanup(move || {
        before.remove();
        after.remove();
    });
}

/// The QR code of each URL: the only way into the encoder, so that it is in
/// the `qr` chunk.
#[wasm_split(qr, wasm_split_path = ::leptos::wasm_split, fallible)]
fn qr_codes(urls: Vec<String>) -> Result<Vec<(String, Code)>, SplitLoaderError> {
    Ok(urls
        .into_iter()
        .map(|url| {
            let code = crate::teach::qr::qr_path(&url);
            (url, code)
        })
        .collect())
}

/// The handout's links, on paper only: each its title, URL and QR code (or
/// why it has none).
#[component]
pub(super) fn HandoutLinks(codes: Codes) -> impl IntoView {
    use_browser_print(codes);
    let ex = use_explorer();
    let page = use_page();
    // The links follow the explorer's state while the page prints, not on every drag.
    let printing = dom::printing();
    let links = Memo::new(move |_| {
        tracked_when(printing.get(), || ex.state.track());
        page.view.with(|v| links(ex, v))
    });
    view! {
        <section class="handout-links print-only" aria-labelledby="handout-links-title">
            <h2 id="handout-links-title">{t("handout.links_title")}</h2>
            <p>{t("handout.links_intro")}</p>
            <ul>
                {move || {
                    links
                        .get()
                        .into_iter()
                        .map(|(key, url)| {
                            let code = codes.0.with(|c| c.get(&url).cloned());
                            view! {
                                <li class="handout-link">
                                    {code.map(code_or_reason)}
                                    <div>
                                        <strong>{t(key)}</strong>
                                        <code class="url">{url}</code>
                                    </div>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
        </section>
    }
}

/// A link's QR code, or why a phone gets none.
fn code_or_reason(code: Code) -> AnyView {
    match code {
        Ok(qr) => view! {
            <svg class="qr" viewBox=format!("0 0 {0} {0}", qr.size) role="img" aria-hidden="true">
                <rect width="100%" height="100%" fill="#fff" />
                <path d=qr.path fill="#000" />
            </svg>
        }
        .into_any(),
        Err(TooLong { bytes, max }) => view! {
            <p class="qr-missing">
                {tf("handout.too_long", move || vec![("bytes", bytes.to_string()), ("max", max.to_string())])}
            </p>
        }
        .into_any(),
    }
}
