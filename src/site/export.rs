//! Taking the weights away: any weighting the explorer compares (class-
//! balanced at your beta by default), as the core's snippet in any format, in
//! a box to copy from, with a copy button and a download.

use leptos::prelude::*;

use super::copy::copy_button;
use super::dom;
use super::i18n::{t, tf, use_page};
use super::state::{tracked_when, use_explorer};
use crate::data::export::{ExportFormat, export_weights};
use crate::explorer::results::scheme_weights;
use crate::explorer::state::ComparedScheme;

/// The export box.
#[component]
pub fn ExportPanel() -> impl IntoView {
    let ex = use_explorer();
    let page = use_page();
    let (format, set_format) = signal(ExportFormat::Python);
    let (scheme, set_scheme) = signal(ComparedScheme::Cb);
    let (open, set_open) = signal(false);
    // Only formatted while the box is open: 10,000 weights are worth not printing on every drag.
    let snippet = Memo::new(move |_| {
        if !open.get() {
            return String::new();
        }
        let f = format.get();
        let snippet = |weights: &[f64]| {
            ex.state
                .with(|s| export_weights(weights, s.distribution.names.as_deref(), f))
        };
        match scheme.get() {
            // The explorer's own class-balanced weights, already computed.
            ComparedScheme::Cb => ex.cb.with(|cb| match cb {
                Ok(cb) => snippet(&cb.weights),
                Err(e) => format!("# no weights: {e}"),
            }),
            other => {
                let beta = tracked_when(other.follows_beta(), || ex.beta.get());
                let weights = ex
                    .counts
                    .with(|counts| scheme_weights(counts, other, beta).weights);
                match weights {
                    Ok(w) => snippet(&w.weights),
                    Err(e) => format!("# no weights: {e}"),
                }
            }
        }
    });

    view! {
        <details class="panel export" id="export" on:toggle=move |ev| {
            let el: web_sys::HtmlElement = event_target(&ev);
            set_open.set(el.has_attribute("open"));
        }>
            <summary><h2>{t("export.title")}</h2></summary>
            <div class="tools">
                <label>
                    {t("export.scheme")}
                    <select
                        id="export-scheme"
                        aria-label=t("export.scheme_label")
                        on:change=move |ev| {
                            if let Some(s) = ComparedScheme::from_name(&event_target_value(&ev)) {
                                set_scheme.set(s);
                            }
                        }
                    >
                        {ComparedScheme::ALL
                            .map(|s| {
                                // Only CB at your beta names a beta that moves; read while the box is open.
                                let label = move || {
                                    let beta = if s == ComparedScheme::Cb && open.get() {
                                        ex.beta.get()
                                    } else {
                                        ex.beta.get_untracked()
                                    };
                                    s.label(beta).in_lang(page.lang.get())
                                };
                                view! { <option value=s.name() selected=s == ComparedScheme::Cb>{label}</option> }
                            })
                            .collect_view()}
                    </select>
                </label>
                <label>
                    {t("export.format")}
                    <select
                        id="export-format"
                        aria-label=t("export.format_label")
                        on:change=move |ev| {
                            if let Some(f) = ExportFormat::from_name(&event_target_value(&ev)) {
                                set_format.set(f);
                            }
                        }
                    >
                        {ExportFormat::ALL
                            .map(|f| view! { <option value=f.name() selected=f == ExportFormat::Python>{f.name()}</option> })
                            .collect_view()}
                    </select>
                </label>
                {copy_button("copy-export".to_owned(), move || snippet.get_untracked(), tf("export.copy", Vec::new))}
                <button
                    type="button"
                    on:click=move |_| {
                        let f = format.get_untracked();
                        dom::download(&format!("class_weights.{}", f.extension()), &snippet.get_untracked(), "text/plain");
                    }
                >
                    {t("export.download")}
                </button>
            </div>
            <textarea id="export-text" readonly=true rows="6" aria-label=t("export.text_label") prop:value=snippet></textarea>
        </details>
    }
}
