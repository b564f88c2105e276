//! A small beta chooser for the lesson's sections: the paper's betas as radio
//! buttons (arrow keys move between them), bound to the explorer's beta.

use leptos::prelude::*;

use crate::balance::effective_number::Beta;
use crate::site::dom::on_screen;
use crate::site::i18n::{t, tf};
use crate::site::state::use_explorer;

/// The choices: no re-weighting and the paper's betas.
const CHOICES: [f64; 5] = [0.0, 0.9, 0.99, 0.999, 0.9999];

/// Radio buttons for beta; `group` names the group (unique on the page).
#[component]
pub fn BetaChoice(
    /// The radio group's name and the prefix of its ids.
    group: &'static str,
) -> impl IntoView {
    // Its hint follows a drag elsewhere only on screen.
    let root = NodeRef::<leptos::html::Fieldset>::new();
    let ex = use_explorer().while_shown(on_screen(root));
    let legend_id = format!("{group}-legend");
    let labelled_by = legend_id.clone();
    view! {
        <fieldset class="beta-choice" aria-labelledby=labelled_by node_ref=root>
            <legend id=legend_id>{t("lesson.beta_choice")}</legend>
            {CHOICES
                .into_iter()
                .map(|b| {
                    let beta = Beta::new(b).expect("valid betas");
                    let id = format!("{group}-{b}");
                    let label_for = id.clone();
                    view! {
                        <label for=label_for class="choice">
                            <input
                                type="radio"
                                id=id
                                name=group
                                prop:checked=move || ex.beta.get() == beta
                                on:change=move |_| ex.state.update(|s| s.beta = beta)
                            />
                            {format!("β = {b}")}
                        </label>
                    }
                })
                .collect_view()}
            <span class="hint">
                {tf("lesson.beta_now", move || {
                    let beta = ex.beta.get();
                    vec![
                        ("beta", beta.to_string()),
                        ("n", super::short(beta.prototypes())),
                    ]
                })}
            </span>
        </fieldset>
    }
}
