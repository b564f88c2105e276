//! Taking the weights away: the core's snippet in any format, in a box to
//! copy from, with a copy button and a download.

use leptos::prelude::*;

use super::dom;
use super::i18n::t;
use super::state::use_explorer;
use crate::data::export::{ExportFormat, export_weights};

/// The export box.
#[component]
pub fn ExportPanel() -> impl IntoView {
    let ex = use_explorer();
    let (format, set_format) = signal(ExportFormat::Python);
    let (open, set_open) = signal(false);
    let (copied, set_copied) = signal(None::<&'static str>);
    // Only formatted while the box is open: 10,000 weights are worth not printing on every drag.
    let snippet = Memo::new(move |_| {
        if !open.get() {
            return String::new();
        }
        let f = format.get();
        ex.cb.with(|cb| match cb {
            Ok(cb) => ex
                .state
                .with(|s| export_weights(&cb.weights, s.distribution.names.as_deref(), f)),
            Err(e) => format!("# no weights: {e}"),
        })
    });
    let copy = move |_| {
        let text = snippet.get_untracked();
        leptos::task::spawn_local(async move {
            let ok = dom::copy_text(&text).await;
            set_copied.set(Some(if ok {
                "export.copied"
            } else {
                "export.copy_refused"
            }));
        });
    };

    view! {
        <details class="panel export" id="export" on:toggle=move |ev| {
            let el: web_sys::HtmlElement = event_target(&ev);
            set_open.set(el.has_attribute("open"));
        }>
            <summary><h2>{t("export.title")}</h2></summary>
            <div class="tools">
                <label>
                    {t("export.format")}
                    <select
                        id="export-format"
                        aria-label=t("export.format_label")
                        on:change=move |ev| {
                            if let Some(f) = ExportFormat::from_name(&event_target_value(&ev)) {
                                set_format.set(f);
                                set_copied.set(None);
                            }
                        }
                    >
                        {ExportFormat::ALL
                            .map(|f| view! { <option value=f.name() selected=f == ExportFormat::Python>{f.name()}</option> })
                            .collect_view()}
                    </select>
                </label>
                <button type="button" id="copy-export" on:click=copy>{t("export.copy")}</button>
                <button
                    type="button"
                    on:click=move |_| {
                        let f = format.get_untracked();
                        dom::download(&format!("class_weights.{}", f.extension()), &snippet.get_untracked(), "text/plain");
                    }
                >
                    {t("export.download")}
                </button>
                {move || copied.get().map(|c| view! { <span role="status">{t(c)}</span> })}
            </div>
            <textarea id="export-text" readonly=true rows="6" aria-label=t("export.text_label") prop:value=snippet></textarea>
        </details>
    }
}
