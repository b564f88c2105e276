//! The web site (wasm32 only): Leptos components that show what the core computes.

mod weights_table;

use leptos::prelude::*;

/// Mounts the site on the page's body.
pub fn mount() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}

#[component]
fn App() -> impl IntoView {
    view! {
        <header>
            <h1>"CB Lab"</h1>
            <p class="tagline">
                "Class-balanced loss based on the effective number of samples (Cui et al., CVPR 2019)"
            </p>
        </header>
        <main>
            <weights_table::WeightsTable />
        </main>
    }
}
