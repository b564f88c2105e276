//! The web site (wasm32 only): Leptos components that show what the core
//! computes. Logic lives in [`crate::explorer`]; these files only show it.

mod backend;
mod canvas;
mod controls;
mod dom;
mod editor;
mod engine;
mod export;
mod figures;
mod state;
mod table;
mod training;

use leptos::prelude::*;

/// Mounts the site on the page's body.
pub fn mount() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}

#[component]
fn App() -> impl IntoView {
    let ex = state::provide_explorer();
    backend::provide_gpu();
    view! {
        <header class="site-header">
            <h1>"CB Lab"</h1>
            <p class="tagline">
                "Class-balanced loss based on the effective number of samples "
                <span class="cite">"(Cui, Jia, Lin, Song and Belongie, CVPR 2019)"</span>
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
            <p>
                "E_n = (1 - beta^n) / (1 - beta): the expected volume covered by n samples of a class \
                 whose feature space holds N = 1/(1 - beta) unique prototypes. Weights are proportional \
                 to 1/E_n."
            </p>
        </footer>
    }
}
