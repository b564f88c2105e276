//! A "Copy" button: the BibTeX entries and the teacher's links use it.

use leptos::prelude::*;

use crate::site::dom;
use crate::site::i18n::t;

/// A button that copies `text()` (read when pressed), saying in a live
/// region whether it worked.
pub(super) fn copy_button(
    id: String,
    text: impl Fn() -> String + 'static,
    label: Signal<String>,
) -> impl IntoView {
    let (said, set_said) = signal(None::<&'static str>);
    let copy = move |_| {
        let text = text();
        leptos::task::spawn_local(async move {
            let ok = dom::copy_text(&text).await;
            set_said.set(Some(if ok {
                "export.copied"
            } else {
                "export.copy_refused"
            }));
        });
    };
    view! {
        <button type="button" id=id on:click=copy>{label}</button>
        <span class="hint" role="status">{move || said.get().map(|key| t(key).get())}</span>
    }
}
