//! The tools of a snippet to take away, shared by the chunk's export boxes
//! (the label sets' weights, the repeat factor's sampler): the format's
//! select and a copy button that says whether the copy worked.

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

/// A copy button for `text`, and what became of the last copy (cleared when `text` changes).
#[component]
pub fn CopyButton(id: &'static str, #[prop(into)] text: Signal<String>) -> impl IntoView {
    let (copied, set_copied) = signal(None::<&'static str>);
    Effect::new(move |_| {
        text.track();
        set_copied.set(None);
    });
    let copy = move |_| {
        let text = text.get_untracked();
        leptos::task::spawn_local(async move {
            let ok = crate::site::dom::copy_text(&text).await;
            set_copied.set(Some(if ok {
                "export.copied"
            } else {
                "export.copy_refused"
            }));
        });
    };
    view! {
        <button type="button" id=id on:click=copy>{t("export.copy")}</button>
        {move || copied.get().map(|c| view! { <span role="status">{t(c)}</span> })}
    }
}
