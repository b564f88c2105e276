//! The weightings practitioners use beside CB, each with its formula, scale
//! and source, and what it gives the reader's counts: the rarest class's
//! weight over the most frequent's, from the core (the explorer's schemes).

use leptos::prelude::*;

use super::short;
use crate::balance::weights::head_and_tail;
use crate::explorer::results::scheme_weights;
use crate::explorer::state::ComparedScheme;
use crate::i18n::tr;
use crate::site::i18n::{t, use_page};
use crate::site::state::{tracked_when, use_explorer};

/// The weightings listed, CB at your beta first.
const LISTED: [ComparedScheme; 7] = [
    ComparedScheme::Cb,
    ComparedScheme::None,
    ComparedScheme::Inverse,
    ComparedScheme::SqrtInverse,
    ComparedScheme::Balanced,
    ComparedScheme::MedianFrequency,
    ComparedScheme::Enet,
];

/// The table of weightings.
#[component]
pub(super) fn Weightings() -> impl IntoView {
    let ex = use_explorer();
    let page = use_page();
    let rows = LISTED
        .into_iter()
        .map(|scheme| {
            let name = scheme.name();
            let words = |part: &'static str| {
                let key = format!("lesson.weightings.{name}.{part}");
                move || tr(page.lang.get(), &key)
            };
            // Only CB follows a beta drag; the others' rows stay as they are.
            let beta = move || tracked_when(scheme.follows_beta(), || ex.beta.get());
            let label = move || scheme.label(beta()).in_lang(page.lang.get());
            // The rarest non-empty class's weight over the most frequent's, for the explorer's counts.
            let ratio = move || {
                let beta = beta();
                ex.counts.with(|counts| {
                    let (head, tail) = head_and_tail(counts);
                    match scheme_weights(counts, scheme, beta).weights {
                        Ok(w) if w.weights[head] > 0.0 => short(w.weights[tail] / w.weights[head]),
                        _ => "–".to_owned(),
                    }
                })
            };
            view! {
                <tr data-scheme=name>
                    <th scope="row">
                        <strong>{label}</strong>
                        <span class="weighting-formula">"w_c = "{words("formula")}" · "{words("scale")}</span>
                    </th>
                    <td class="text">{words("source")}</td>
                    <td class="num">{ratio}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-labelledby="weightings-caption">
            <table id="weightings" class="weightings">
                <caption id="weightings-caption">{t("lesson.weightings.caption")}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t("lesson.weightings.scheme")}</th>
                        <th scope="col" class="text">{t("lesson.weightings.source")}</th>
                        <th scope="col" class="num">{t("lesson.weightings.ratio")}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}
