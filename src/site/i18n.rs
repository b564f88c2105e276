//! The page's language and view (presentation mode, slide) as signals, and
//! reactive translated strings for the components: `t("key")` in a `view!`
//! follows the language switcher.

use leptos::prelude::*;

use super::dom;
use crate::i18n::{Lang, Message, tr, tr_with};
use crate::teach::lesson::{PageView, view_from_query};

/// The page's view, shared by every component.
#[derive(Clone, Copy)]
pub struct Page {
    /// Language, presentation mode and slide; every change lands in the URL.
    pub view: RwSignal<PageView>,
    /// The language alone, so that strings do not follow slide changes.
    pub lang: Memo<Lang>,
}

/// Reads the view from the URL and shares it; returns it and the notices for
/// values that were ignored, translated when shown.
pub fn provide_page() -> (Page, Vec<Message>) {
    let (view, ignored) = view_from_query(&dom::query());
    let notices = ignored.into_iter().map(|i| i.message()).collect();
    let view = RwSignal::new(view);
    let page = Page {
        view,
        lang: Memo::new(move |_| view.with(|v| v.lang)),
    };
    // <html lang> and the title follow the language: screen readers pick
    // their voice from it.
    Effect::new(move |_| {
        let lang = page.lang.get();
        if let Some(document) = dom::window().document() {
            if let Some(root) = document.document_element() {
                let _ = root.set_attribute("lang", lang.code());
            }
            document.set_title(tr(lang, "shell.page_title"));
        }
    });
    provide_context(page);
    (page, notices)
}

/// The page's shared view.
pub fn use_page() -> Page {
    expect_context::<Page>()
}

/// The string `key` in the page's language, following the switcher.
///
/// A signal rather than a closure: every call site then shares one rendering
/// type, where a closure per string would cost its own copy of Leptos's
/// rendering code in the WebAssembly.
pub fn t(key: &'static str) -> Signal<&'static str> {
    let lang = use_page().lang;
    Signal::derive(move || tr(lang.get(), key))
}

/// The string `key` in the page's language with its placeholders filled by
/// `args`, re-read whenever the language or what `args` reads changes.
pub fn tf<F>(key: &'static str, args: F) -> Signal<String>
where
    F: Fn() -> Vec<(&'static str, String)> + Send + Sync + 'static,
{
    let lang = use_page().lang;
    Signal::derive(move || {
        let args = args();
        let borrowed: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
        tr_with(lang.get(), key, &borrowed)
    })
}

/// Fetches `lang`'s strings if the page does not have them yet (the site's
/// wasm builds in English only: [`Lang::install`]).
pub async fn load(lang: Lang) -> Result<(), Message> {
    if lang.is_ready() {
        return Ok(());
    }
    let failed = |detail: String| {
        Message::new("error.lang_load")
            .with("lang", lang.native_name())
            .with("detail", detail)
    };
    let bytes = crate::worker::fetch::fetch_bytes(&lang.url())
        .await
        .map_err(failed)?;
    let text = String::from_utf8(bytes).map_err(|e| failed(e.to_string()))?;
    lang.install(&text).map_err(failed)
}

/// The language switcher: one button per language, the current one pressed.
#[component]
pub fn LangSwitch() -> impl IntoView {
    let page = use_page();
    view! {
        <nav class="lang-switch" aria-label=t("lang.switch_label")>
            {Lang::ALL
                .into_iter()
                .map(|lang| {
                    view! {
                        <button
                            type="button"
                            class="link"
                            lang=lang.code()
                            aria-pressed=move || (page.lang.get() == lang).to_string()
                            on:click=move |_| switch_to(page, lang)
                        >
                            {lang.native_name()}
                        </button>
                    }
                })
                .collect_view()}
        </nav>
    }
}

/// Shows the page in `lang`, once its strings are here; if they cannot be
/// fetched, the page stays as it is and says why.
fn switch_to(page: Page, lang: Lang) {
    if lang.is_ready() {
        page.view.update(|v| v.lang = lang);
        return;
    }
    let notices = super::state::use_explorer().notices;
    leptos::task::spawn_local(async move {
        match load(lang).await {
            Ok(()) => page.view.update(|v| v.lang = lang),
            Err(message) => notices.update(|n| n.push(message)),
        }
    });
}
