//! The leaderboard: the standard set of methods (softmax, CB softmax and
//! focal, inverse frequency, logit adjustment, balanced softmax, LDAM-DRW,
//! two samplers, post-hoc adjustment) trained on the toy task over a few
//! seeds in the worker, ranked as `cblab train --methods` ranks them.

use leptos::prelude::*;

use crate::balance::losses::LossKind;
use crate::balance::weights::SchemeKind;
use crate::data::export::decimal;
use crate::explorer::training::TrainingSettings;
use crate::i18n::tr_with;
use crate::site::backend::use_gpu;
use crate::site::i18n::{t, use_page};
use crate::site::state::use_explorer;
use crate::site::training::seeded::{
    Request, SeededRuns, messages_view, progress_view, seeds_select,
};
use crate::train::experiments::{Ranked, rank_methods, standard_methods};
use crate::train::methods::Method;
use crate::worker::protocol::JobData;

/// The panel: seeds, a button, the ranked table.
#[component]
pub fn LeaderboardPanel() -> impl IntoView {
    let ex = use_explorer();
    let gpu = use_gpu();
    let lang = use_page().lang;
    let b = SeededRuns::new(gpu);
    let (running, progress) = (b.running, b.progress);
    let board = Memo::new(move |_| rank_methods(&b.lists()));
    // Other classes or settings make the board another task's: it goes.
    Effect::new(move |previous: Option<(Vec<u64>, TrainingSettings)>| {
        let now = (ex.counts.get(), ex.training.get());
        if previous.is_some_and(|p| p != now) {
            b.clear();
        }
        now
    });

    let run = move |_| {
        if running.get_untracked() {
            return;
        }
        let settings = ex.training.get_untracked();
        b.train(
            &settings,
            Request {
                data: JobData::Toy,
                counts: ex.counts.get_untracked(),
                prototypes: None,
                configs: standard_methods(&settings.base(0.9999, 1.0)),
                seeds: ex.state.with_untracked(|s| s.board_seeds),
            },
        );
    };

    // Once every run is in: the board in one sentence, from its own numbers.
    let summary = move || {
        let p = progress.get();
        if running.get() || !p.complete() {
            return None;
        }
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
        <section class="panel leaderboard" aria-labelledby="board-title">
            <h3 id="board-title">{t("training.board_title")}</h3>
            <p class="hint">{t("training.board_hint")}</p>
            <div class="tools">
                {seeds_select("board-seeds", move || ex.state.with(|s| s.board_seeds), move |n| ex.state.update(|s| s.board_seeds = n))}
                <button type="button" id="board-run" on:click=run disabled=move || running.get()>{t("training.board_run")}</button>
                {progress_view(b, "board", "training.board_progress_label")}
            </div>
            {messages_view(b, "board")}
            <p id="board-summary" role="status">{summary}</p>
            <div class="table-scroll" tabindex="0" role="region" aria-labelledby="leaderboard-caption">
            <table id="leaderboard">
                <caption id="leaderboard-caption">{t("training.board_caption")}</caption>
                <thead>
                    <tr>
                        <th scope="col" class="num">{t("training.board_rank")}</th>
                        <th scope="col">{t("training.board_method")}</th>
                        <th scope="col" class="num">{t("training.col_balanced")}</th>
                        <th scope="col" class="num">{t("training.col_few")}</th>
                        <th scope="col" class="num">{t("training.board_vs_softmax")}</th>
                    </tr>
                </thead>
                <tbody>
                    {move || board.get().into_iter().enumerate().map(row).collect_view()}
                </tbody>
            </table>
            </div>
        </section>
    }
}

/// Whether this line is the reference the others are paired with.
fn is_reference(r: &Ranked) -> bool {
    Method::of(&r.summary.config) == Method::plain(LossKind::Softmax)
}
