//! The leaderboard: the standard set of methods (softmax, CB softmax and
//! focal, inverse frequency, logit adjustment, balanced softmax, LDAM-DRW,
//! two samplers, post-hoc adjustment) trained on the toy task over a few
//! seeds in the worker, ranked as `cblab train --methods` ranks them.

use leptos::prelude::*;

use crate::balance::loss_kind::LossKind;
use crate::balance::weights::SchemeKind;
use crate::data::export::decimal;
use crate::explorer::training::TrainingSettings;
use crate::i18n::tr_with;
use crate::site::i18n::use_page;
use crate::site::state::use_explorer;
use crate::site::training::seeded::{
    Request, SeededPanel, SeededRuns, results_table, run_button, seeds_select,
};
use crate::train::experiments::{Ranked, rank_methods, standard_methods};
use crate::train::methods::Method;
use crate::worker::protocol::JobData;

/// The panel: seeds, a button, the ranked table.
#[component]
pub fn LeaderboardPanel() -> impl IntoView {
    let ex = use_explorer();
    let lang = use_page().lang;
    let b = SeededRuns::new();
    let board = Memo::new(move |_| rank_methods(&b.lists()));
    // Other classes or settings make the board another task's: it goes.
    b.clear_on_change(move || (ex.counts.get(), ex.training.get()));

    let request = move |settings: &TrainingSettings| Request {
        data: JobData::Toy,
        counts: ex.counts.get_untracked(),
        prototypes: None,
        configs: standard_methods(&settings.base(0.9999, 1.0)),
        seeds: ex.state.with_untracked(|s| s.board_seeds),
    };

    // Once every run is in: the board in one sentence, from its own numbers.
    let summary = move || {
        let p = b.finished()?;
        let board = board.get();
        let best = board.first()?;
        let mean_of = |m: Method| {
            board
                .iter()
                .find(|r| Method::of(&r.summary.config) == m)
                .map(|r| r.summary.balanced_accuracy.mean)
        };
        let cb = mean_of(Method::weighted(SchemeKind::Cb, LossKind::Softmax))?;
        let inverse = mean_of(Method::weighted(SchemeKind::Inverse, LossKind::Softmax))?;
        let seeds = p.seeds;
        let key = match (is_reference(best), seeds) {
            (true, _) => "training.board_summary_softmax",
            (false, 1) => "training.board_summary_one",
            (false, _) => "training.board_summary",
        };
        Some(tr_with(
            lang.get(),
            key,
            &[
                (
                    "best",
                    &best.summary.config.label_message().in_lang(lang.get()),
                ),
                (
                    "balanced",
                    &format!("{:.1}", 100.0 * best.summary.balanced_accuracy.mean),
                ),
                (
                    "diff",
                    &format!("{:.1}", 100.0 * best.vs_softmax.map_or(0.0, |d| d.mean)),
                ),
                ("seeds", &seeds.to_string()),
                ("gap", &format!("{:.1}", 100.0 * (cb - inverse).abs())),
            ],
        ))
    };

    let row = move |(rank, r): (usize, Ranked)| {
        let name = Method::of(&r.summary.config).name();
        let label = r.summary.config.label_message();
        // The reference is paired with itself: it says so instead of "+0.0".
        let diff =
            (!is_reference(&r)).then(|| r.vs_softmax.map_or("-".to_owned(), |d| d.percent(true)));
        view! {
            <tr data-name=name data-balanced=decimal(r.summary.balanced_accuracy.mean)
                data-diff=r.vs_softmax.map(|d| decimal(d.mean)).unwrap_or_default()>
                <td class="num">{rank + 1}</td>
                <th scope="row">{move || label.in_lang(lang.get())}</th>
                <td class="num">{r.summary.balanced_accuracy.percent(false)}</td>
                <td class="num">{r.summary.few_shot.map_or("-".to_owned(), |m| m.percent(false))}</td>
                <td class="num">{move || diff.clone().unwrap_or_else(|| tr_with(lang.get(), "training.board_reference", &[]))}</td>
            </tr>
        }
    };

    view! {
        <SeededPanel runs=b class="leaderboard" prefix="board" title="training.board_title" hint="training.board_hint"
            progress_label="training.board_progress_label" summary=Signal::derive(summary)
            tools=move || view! {
                {seeds_select("board-seeds", move || ex.state.with(|s| s.board_seeds), move |n| ex.state.update(|s| s.board_seeds = n))}
                {run_button(b, "board-run", "training.board_run", || true, request)}
            }>
            {results_table("leaderboard", "leaderboard-caption", "training.board_caption", &[
                ("training.board_rank", true),
                ("training.board_method", false),
                ("training.col_balanced", true),
                ("training.col_few", true),
                ("training.board_vs_softmax", true),
            ], move || board.get().into_iter().enumerate().map(row).collect_view())}
        </SeededPanel>
    }
}

/// Whether this line is the reference the others are paired with.
fn is_reference(r: &Ranked) -> bool {
    Method::of(&r.summary.config) == Method::plain(LossKind::Softmax)
}
