//! The paper's grid as a table: the heatmap's numbers for a screen reader,
//! and to copy.

use leptos::prelude::*;

use crate::charts::grid::GridChart;
use crate::i18n::tr;
use crate::site::i18n::{t, use_page};
use crate::train::experiments::{PAPER_BETAS, PAPER_GAMMAS};

/// One cell: the balanced accuracy in %, "pending" before its run ends; the
/// best is strong and says so.
fn cell(value: Option<f64>, best: Option<f64>, pending: &'static str) -> impl IntoView {
    let text = value.map_or(pending.to_owned(), |v| format!("{:.1}", 100.0 * v));
    let is_best = value.is_some() && value == best;
    view! {
        <td data-best=is_best.then_some("true")>
            {if is_best { view! { <strong>{text}</strong> }.into_any() } else { text.into_any() }}
        </td>
    }
}

/// The grid's cells by beta (rows) and loss (columns), then the unweighted
/// runs, which come in the columns' order (`experiments::paper_grid`).
#[component]
pub fn GridTable(
    /// What the heatmap shows.
    chart: ReadSignal<GridChart>,
) -> impl IntoView {
    let lang = use_page().lang;
    let focal = move |g: f64| format!("{} {g}", tr(lang.get(), "chart.grid.cb_focal"));
    view! {
        <details class="grid-table">
            <summary>{t("training.grid_table")}</summary>
            <div class="table-scroll">
                <table id="grid-table">
                    <caption>{t("training.grid_table_caption")}</caption>
                    <thead>
                        <tr>
                            <th scope="col">"β"</th>
                            <th scope="col">{t("chart.grid.cb_softmax")}</th>
                            <th scope="col">{t("chart.grid.cb_sigmoid")}</th>
                            {PAPER_GAMMAS.map(|g| view! { <th scope="col">{move || focal(g)}</th> }).collect_view()}
                        </tr>
                    </thead>
                    <tbody>
                        {move || {
                            let chart = chart.get();
                            let best = chart.best();
                            let pending = tr(lang.get(), "chart.grid.pending");
                            let rows = PAPER_BETAS.iter().enumerate().map(|(r, beta)| {
                                let cells = [chart.softmax[r], chart.sigmoid[r]]
                                    .into_iter()
                                    .chain(chart.focal[r])
                                    .map(|v| cell(v, best, pending))
                                    .collect_view();
                                view! { <tr><th scope="row">{beta.to_string()}</th>{cells}</tr> }
                            });
                            let unweighted = chart.baselines.iter()
                                .map(|(_, v)| cell(*v, None, pending))
                                .collect_view();
                            view! {
                                {rows.collect_view()}
                                <tr class="unweighted">
                                    <th scope="row">{tr(lang.get(), "training.grid_unweighted")}</th>
                                    {unweighted}
                                </tr>
                            }
                        }}
                    </tbody>
                </table>
            </div>
        </details>
    }
}
