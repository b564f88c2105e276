//! The lesson's formulas on the page: MathML markup from [`crate::teach::mathml`]
//! (built from constants and the site's own translation strings, escaped)
//! set as a container's HTML. Never user text.

use leptos::prelude::*;

use crate::i18n::tr;
use crate::site::i18n::{t, use_page};
use crate::teach::mathml;

/// A displayed formula: `markup` is a `<math>` element from [`crate::teach::mathml`].
#[component]
pub fn Formula(
    /// The formula's markup.
    #[prop(into)]
    markup: Signal<String>,
) -> impl IntoView {
    // Focusable, so that a formula wider than a phone can be scrolled with the keyboard.
    view! { <div class="formula-wrap" tabindex="0" role="region" aria-label=t("math.label") inner_html=markup></div> }
}

/// `E_n = (1 − β^n)/(1 − β)`.
pub fn effective_number() -> impl IntoView {
    view! { <Formula markup=mathml::effective_number() /> }
}

/// `N = 1/(1 − β)`, `β = (N − 1)/N`.
pub fn prototypes() -> impl IntoView {
    view! { <Formula markup=mathml::prototypes() /> }
}

/// `p = E_{n−1}/N`.
pub fn overlap() -> impl IntoView {
    view! { <Formula markup=mathml::overlap() /> }
}

/// The induction step.
pub fn recursion() -> impl IntoView {
    view! { <Formula markup=mathml::recursion() /> }
}

/// The class-balanced term.
pub fn cb_term() -> impl IntoView {
    view! { <Formula markup=mathml::cb_term_formula() /> }
}

/// CB softmax.
pub fn cb_softmax() -> impl IntoView {
    view! { <Formula markup=mathml::cb_softmax() /> }
}

/// CB sigmoid, its side condition in the page's language.
pub fn cb_sigmoid() -> impl IntoView {
    let lang = use_page().lang;
    let markup = Signal::derive(move || {
        let lang = lang.get();
        mathml::cb_sigmoid(tr(lang, "math.if"), tr(lang, "math.otherwise"))
    });
    view! { <Formula markup /> }
}

/// CB focal.
pub fn cb_focal() -> impl IntoView {
    view! { <Formula markup=mathml::cb_focal() /> }
}

/// The logit-adjusted loss.
pub fn logit_adjusted() -> impl IntoView {
    view! { <Formula markup=mathml::logit_adjusted() /> }
}

/// Balanced softmax.
pub fn balanced_softmax() -> impl IntoView {
    view! { <Formula markup=mathml::balanced_softmax() /> }
}

/// Post-hoc logit adjustment.
pub fn posthoc() -> impl IntoView {
    view! { <Formula markup=mathml::posthoc() /> }
}

/// LDAM.
pub fn ldam() -> impl IntoView {
    view! { <Formula markup=mathml::ldam() /> }
}

/// Re-sampling.
pub fn resampling() -> impl IntoView {
    view! { <Formula markup=mathml::resampling() /> }
}
