//! The page's one "Copy" button: the exports, the snippets, the BibTeX
//! entries and the teacher's links use it.

use leptos::prelude::*;

use crate::site::dom;
use crate::site::i18n::t;

/// A button that copies `text()` (read when pressed), saying in a live
/// region whether it worked, for a few seconds (so that "Copied." is not
/// left beside a text that has changed since).
pub(crate) fn copy_button(
    id: String,
    text: impl Fn() -> String + 'static,
    label: Signal<String>,
) -> impl IntoView {
    let (said, set_said) = signal(None::<&'static str>);
    // Which press the word belongs to: an earlier press's timer leaves a later word be.
    let presses = StoredValue::new(0_u32);
    let copy = move |_| {
        let text = text();
        presses.update_value(|n| *n += 1);
        let press = presses.get_value();
        leptos::task::spawn_local(async move {
            let ok = dom::copy_text(&text).await;
            set_said.set(Some(if ok {
                "export.copied"
            } else {
                "export.copy_refused"
            }));
            // The button may be gone by then (a closed panel): try, do not insist.
            leptos::leptos_dom::helpers::set_timeout(
                move || {
                    if presses.try_get_value() == Some(press) {
                        set_said.try_set(None);
                    }
                },
                std::time::Duration::from_secs(4),
            );
        });
    };
    view! {
        <button type="button" id=id on:click=copy>{label}</button>
        <span class="hint" role="status">{move || said.get().map(|key| t(key).get())}</span>
    }
}
