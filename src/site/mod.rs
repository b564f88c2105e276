//! The web site (wasm32 only): Leptos components that show what the core
//! computes. Logic lives in [`crate::explorer`] and [`crate::teach::lesson`]; these
//! files only show it. Every string comes from `locales/` through [`i18n`].

mod backend;
mod canvas;
mod controls;
mod copy;
mod deferred;
mod dom;
mod editor;
mod export;
mod figures;
mod first_screen;
mod i18n;
mod lesson;
mod lesson_frame;
mod state;
mod table;
mod text_file;
mod training;
mod worker;

use leptos::prelude::*;

use i18n::t;

/// `benches/browser_training.mjs`'s way in (start.js puts the exports on
/// `window.wasmBindings`): times the benchmark model in the training worker
/// on `backend` ("cpu" or "webgpu") and gives `{"samples_per_s": N, "steps": S}`;
/// with `multi_label`, the multi-label model (CB sigmoid on multi-hot targets).
/// The worker's side of the page is in the training chunk, fetched here if
/// it is not yet.
#[wasm_bindgen::prelude::wasm_bindgen]
pub async fn bench_trainer(
    backend: String,
    batch: usize,
    millis: f64,
    multi_label: bool,
) -> Result<String, wasm_bindgen::JsValue> {
    use crate::worker::protocol::Device;
    let device = if backend == "webgpu" {
        Device::Gpu
    } else {
        Device::Cpu
    };
    let fail = |e: String| wasm_bindgen::JsValue::from_str(&e);
    let result = deferred::bench(device, batch, millis, multi_label)
        .await
        .map_err(|e| fail(e.to_string()))?
        .await
        .map_err(|e| fail(e.to_string()))?;
    Ok(format!(
        "{{\"samples_per_s\": {}, \"steps\": {}}}",
        result.samples_per_s, result.steps
    ))
}

/// Mounts the site on the page's body, once the strings of the URL's
/// language are here (English is built in; another is fetched first).
pub fn mount() {
    console_error_panic_hook::set_once();
    // Outside any owner: the signal lives as long as the page.
    let _ = dom::printing();
    let lang = crate::teach::lesson::view_from_query(&dom::query()).0.lang;
    if lang.is_ready() {
        leptos::mount::mount_to_body(|| view! { <App failure=None /> });
        return;
    }
    // Leptos's executor starts with the mount: before it, wasm-bindgen's.
    wasm_bindgen_futures::spawn_local(async move {
        let failure = i18n::load(lang).await.err();
        leptos::mount::mount_to_body(move || view! { <App failure /> });
    });
}

/// The site. `failure`: why the URL's language could not be loaded (the page
/// is then in English and says so).
#[component]
fn App(failure: Option<crate::i18n::Message>) -> impl IntoView {
    let (page, view_notices) = i18n::provide_page();
    if failure.is_some() {
        // Shown in English, so said to be English (screen readers choose their voice by it).
        page.view.update(|v| v.lang = crate::i18n::Lang::En);
    }
    let ex = state::provide_explorer(page.view);
    ex.notices
        .update(|n| n.extend(view_notices.into_iter().chain(failure)));
    backend::provide_gpu();
    deferred::provide();
    let present = Memo::new(move |_| page.view.with(|v| v.present));
    // The teacher's cut may drop the first screen and the explorer.
    let kept = move |panel| page.view.with(|v| v.cut.keeps_panel(panel));
    let intro = move || kept(crate::teach::cut::Panel::Intro);
    let explorer = move || kept(crate::teach::cut::Panel::Explorer);
    // The lesson's chunk lands a link to a section again when it arrives.
    lesson_frame::scroll_to_fragment(false);
    view! {
        <div class="page" class:presenting=move || present.get()>
        <header class="site-header">
            <div class="header-row">
                <h1>{t("shell.title")}</h1>
                <i18n::LangSwitch />
            </div>
            <p class="tagline">
                {t("shell.tagline")}
                " "
                <span class="cite">{t("shell.cite")}</span>
            </p>
        </header>
        <div class="notices" role="status">
            {move || {
                let lang = page.lang.get();
                ex.notices.get().iter().map(|n| view! { <p class="notice">{n.in_lang(lang)}</p> }).collect_view()
            }}
        </div>
        <main>
            <div hidden=move || !intro()>
                <first_screen::FirstScreen />
            </div>
            <deferred::Deferred part=deferred::Part::Lesson />
            <div class="explorer-intro" hidden=move || present.get() || !explorer()>
                <h2 id="explorer-title">{t("shell.explorer_title")}</h2>
                <p class="hint">{t("shell.explorer_intro")}</p>
            </div>
            // The training panel and the paper's grid are in the lesson's sections 6 and 7.
            <div class="explorer" hidden=move || present.get() || !explorer()>
                <editor::DistributionEditor />
                <controls::Controls />
                <figures::Figures />
                <table::WeightsTable />
                <export::ExportPanel />
            </div>
        </main>
        <footer class="site-footer" hidden=move || present.get()>
            <p>{t("shell.footer")}</p>
            <p class="credit">{t("shell.credit")}</p>
        </footer>
        </div>
    }
}
