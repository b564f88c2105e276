//! The web site (wasm32 only): Leptos components that show what the core
//! computes. Logic lives in [`crate::explorer`] and [`crate::lesson`]; these
//! files only show it. Every string comes from `locales/` through [`i18n`].

mod canvas;
mod controls;
mod dom;
mod editor;
mod export;
mod figures;
mod i18n;
mod state;
mod table;
mod training;

use leptos::prelude::*;

use i18n::t;

/// Mounts the site on the page's body.
pub fn mount() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}

#[component]
fn App() -> impl IntoView {
    let (page, view_notices) = i18n::provide_page();
    let ex = state::provide_explorer(page.view);
    ex.notices.update(|n| n.extend(view_notices));
    view! {
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
            {move || ex.notices.get().into_iter().map(|n| view! { <p class="notice">{n}</p> }).collect_view()}
        </div>
        <main class="explorer">
            <editor::DistributionEditor />
            <controls::Controls />
            <figures::Figures />
            <table::WeightsTable />
            <export::ExportPanel />
            <training::TrainingPanel />
            <training::GridPanel />
        </main>
        <footer class="site-footer">
            <p>{t("shell.footer")}</p>
        </footer>
    }
}
