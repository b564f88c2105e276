//! A text file the reader picks or drops, read in the page: the editor's
//! counts and the multi-label panel's label sets come this way.

use leptos::prelude::*;

use super::i18n::t;
use crate::i18n::Message;

/// Reads `file` as text: `on_text` gets its content, `on_error` a message
/// that names the file.
pub fn read_text(
    file: web_sys::File,
    on_text: impl Fn(String) + 'static,
    on_error: impl Fn(Message) + 'static,
) {
    leptos::task::spawn_local(async move {
        match wasm_bindgen_futures::JsFuture::from(file.text()).await {
            Ok(value) => on_text(value.as_string().unwrap_or_default()),
            Err(_) => on_error(Message::new("editor.cannot_read").with("file", file.name())),
        }
    });
}

/// "or load a file" with its file input (`id`) for text and CSV files;
/// `on_file` gets the chosen file.
pub fn file_input(id: &'static str, on_file: impl Fn(web_sys::File) + 'static) -> impl IntoView {
    view! {
        <label>
            {t("editor.load_file")}
            <input
                id=id
                type="file"
                accept=".txt,.csv,text/plain,text/csv"
                on:change=move |ev| {
                    let input: web_sys::HtmlInputElement = event_target(&ev);
                    if let Some(file) = input.files().and_then(|f| f.get(0)) {
                        on_file(file);
                    }
                }
            />
        </label>
    }
}
