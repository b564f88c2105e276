//! The format's select of a snippet to take away, shared by the chunk's
//! export boxes (the label sets' weights, the repeat factor's sampler); their
//! copy button is the page's (`crate::site::copy`).

use leptos::prelude::*;

use crate::data::export::ExportFormat;
use crate::site::i18n::t;

/// "format" and its select (PyTorch first chosen); `on_pick` hears a new format.
pub fn format_select(id: &'static str, on_pick: impl Fn(ExportFormat) + 'static) -> impl IntoView {
    view! {
        <label>
            {t("export.format")}
            <select id=id on:change=move |ev| {
                if let Some(f) = ExportFormat::from_name(&event_target_value(&ev)) {
                    on_pick(f);
                }
            }>
                {ExportFormat::ALL
                    .map(|f| view! { <option value=f.name() selected=f == ExportFormat::Torch>{f.name()}</option> })
                    .collect_view()}
            </select>
        </label>
    }
}
