//! The beta sweep: class-balanced softmax at each of the sweep's betas,
//! inverse frequency and the logit-adjusted loss on the toy task over a few
//! seeds, optionally on training points made of K prototypes a class (the
//! redundancy the effective number models) or of R copies of each prototype
//! (K growing with the class), or on Fashion-MNIST-LT's images, as `cblab
//! train --sweep [--prototypes K | --copies R | --data fashion-mnist-lt]`
//! trains them. The paper's claim, put to a test.

use leptos::prelude::*;

use crate::balance::weights::SchemeKind;
use crate::charts::figure::TrainingFigure;
use crate::charts::sweep::SweepChart;
use crate::data::export::decimal;
use crate::data::fashion;
use crate::explorer::state::{SWEEP_COPIES, SWEEP_IMBALANCE, SWEEP_PROTOTYPES, SweepData};
use crate::explorer::training::TrainingSettings;
use crate::i18n::{tr, tr_with};
use crate::site::figures::ChartCanvas;
use crate::site::i18n::{t, use_page};
use crate::site::state::use_explorer;
use crate::site::training::seeded::{
    Request, SeededPanel, SeededRuns, results_table, run_button, seeds_select,
};
use crate::train::experiments::{MeanSd, SWEEP_BETAS, SeedSummary, beta_sweep};
use crate::worker::protocol::JobData;

/// The sweep's runs summarised: CB at each beta, then inverse, then logit
/// adjustment, each over its finished seeds (none yet: left out).
#[derive(Clone, Debug, Default, PartialEq)]
struct Sweep {
    cb: Vec<(f64, SeedSummary)>,
    inverse: Option<SeedSummary>,
    logit_adjusted: Option<SeedSummary>,
}

impl Sweep {
    /// From `summaries[i]`, the runs of [`beta_sweep`]'s configuration i
    /// summarised (see [`SeededRuns::summaries`]).
    fn of(summaries: &[Option<SeedSummary>]) -> Self {
        let summary = |i: usize| summaries.get(i).cloned().flatten();
        Self {
            cb: SWEEP_BETAS
                .iter()
                .enumerate()
                .filter_map(|(i, &beta)| Some((beta, summary(i)?)))
                .collect(),
            inverse: summary(SWEEP_BETAS.len()),
            logit_adjusted: summary(SWEEP_BETAS.len() + 1),
        }
    }

    fn chart(&self, prototypes: Option<u32>) -> SweepChart {
        SweepChart {
            cb: self
                .cb
                .iter()
                .map(|(beta, s)| (*beta, s.balanced_accuracy))
                .collect(),
            inverse: self.inverse.as_ref().map(|s| s.balanced_accuracy),
            logit_adjusted: self.logit_adjusted.as_ref().map(|s| s.balanced_accuracy),
            prototypes,
        }
    }

    /// Every row of the table, in the sweep's order.
    fn rows(&self) -> Vec<SeedSummary> {
        let cb = self.cb.iter().map(|(_, s)| s.clone());
        cb.chain(self.inverse.clone())
            .chain(self.logit_adjusted.clone())
            .collect()
    }
}

/// `mean` as a percentage with one decimal.
fn percent(m: &MeanSd) -> String {
    format!("{:.1}", 100.0 * m.mean)
}

/// The panel: the redundancy dial, seeds, a button, the chart and the table.
#[component]
pub fn SweepPanel() -> impl IntoView {
    let ex = use_explorer();
    let lang = use_page().lang;
    let b = SeededRuns::new();
    let data = Memo::new(move |_| ex.state.with(|s| s.sweep_data));
    let prototypes = Memo::new(move |_| data.get().prototypes());
    let sweep = Memo::new(move |_| Sweep::of(&b.summaries()));
    // Other classes, settings or data make the sweep another task's: it goes.
    b.clear_on_change(move || (ex.counts.get(), ex.training.get(), data.get()));

    let request = move |settings: &TrainingSettings| {
        let base = settings.base(0.9999, 1.0);
        // The images with their network and counts; the toy task with the explorer's.
        let (job_data, counts, base) = match data.get_untracked() {
            SweepData::Images => (
                JobData::FashionMnistLt {
                    imbalance: SWEEP_IMBALANCE,
                },
                fashion::counts_at(SWEEP_IMBALANCE),
                base.for_images(),
            ),
            _ => (JobData::Toy, ex.counts.get_untracked(), base),
        };
        Request {
            data: job_data,
            counts,
            prototypes: data.get_untracked().redundancy(),
            configs: beta_sweep(&base),
            seeds: ex.state.with_untracked(|s| s.sweep_seeds),
        }
    };

    // Once every run is in: what the sweep shows, in one sentence of its own numbers.
    let summary = move || {
        let p = b.finished()?;
        let sweep = sweep.get();
        let (best_beta, best) = sweep.cb.iter().max_by(|a, b| {
            a.1.balanced_accuracy
                .mean
                .total_cmp(&b.1.balanced_accuracy.mean)
        })?;
        let inverse = sweep.inverse.as_ref()?;
        let adjusted = sweep.logit_adjusted.as_ref()?;
        let mut args = vec![
            ("best_beta", best_beta.to_string()),
            ("best", percent(&best.balanced_accuracy)),
            ("inverse", percent(&inverse.balanced_accuracy)),
            ("adjusted", percent(&adjusted.balanced_accuracy)),
            (
                "over",
                match p.seeds {
                    1 => tr_with(lang.get(), "training.sweep_one_seed", &[]),
                    n => tr_with(
                        lang.get(),
                        "training.sweep_over_seeds",
                        &[("seeds", &n.to_string())],
                    ),
                },
            ),
        ];
        let key = match data.get() {
            SweepData::Prototypes(k) => {
                // The model's beta, 1 - 1/K, is one of the sweep's for every K offered.
                let predicted = 1.0 - 1.0 / f64::from(k);
                let (_, at) = sweep
                    .cb
                    .iter()
                    .find(|(beta, _)| (beta - predicted).abs() < 1e-9)?;
                args.push(("k", k.to_string()));
                args.push(("beta", predicted.to_string()));
                args.push(("predicted", percent(&at.balanced_accuracy)));
                "training.sweep_summary_k"
            }
            SweepData::Copies(r) => {
                args.push(("r", r.to_string()));
                "training.sweep_summary_copies"
            }
            SweepData::Images => "training.sweep_summary_images",
            SweepData::Fresh => "training.sweep_summary",
        };
        let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
        Some(tr_with(lang.get(), key, &args))
    };
    let figure = Memo::new(move |_| TrainingFigure::Sweep(sweep.get().chart(prototypes.get())));
    // The grey line at N = K is drawn only on K prototypes a class, and only then named.
    let caption = Signal::derive(move || {
        let key = if prototypes.get().is_some() {
            "training.sweep_figure_caption_k"
        } else {
            "training.sweep_figure_caption"
        };
        tr(lang.get(), key).to_owned()
    });

    let row = move |s: SeedSummary| {
        let label = s.config.label_message();
        // Written as the sweep lists it: 0, 0.9, ... (f64 Display is the shortest form).
        let beta = (s.config.scheme == SchemeKind::Cb).then(|| s.config.beta.to_string());
        view! {
            <tr data-label=s.label.clone() data-beta=beta
                data-balanced=decimal(s.balanced_accuracy.mean)>
                <th scope="row">{move || label.in_lang(lang.get())}</th>
                <td class="num">{s.balanced_accuracy.percent(false)}</td>
                <td class="num">{s.few_shot.map_or("-".to_owned(), |m| m.percent(false))}</td>
            </tr>
        }
    };

    view! {
        <SeededPanel runs=b class="sweep" prefix="sweep" title="training.sweep_title" hint="training.sweep_hint"
            progress_label="training.sweep_progress_label" summary=Signal::derive(summary)
            tools=move || view! {
                <label>
                    {t("training.sweep_data")}
                    <select id="sweep-prototypes"
                        prop:value=move || data.get().name()
                        on:change=move |ev| {
                            if let Some(d) = SweepData::from_name(&event_target_value(&ev)) {
                                ex.state.update(|s| s.sweep_data = d);
                            }
                        }>
                        <option value="fresh">{t("training.sweep_fresh")}</option>
                        {SWEEP_PROTOTYPES.map(|k| view! {
                            <option value=k.to_string()>{move || tr_with(lang.get(), "training.sweep_copies", &[("k", &k.to_string())])}</option>
                        }).collect_view()}
                        {SWEEP_COPIES.map(|r| view! {
                            <option value=SweepData::Copies(r).name()>{move || tr_with(lang.get(), "training.sweep_copies_of", &[("r", &r.to_string())])}</option>
                        }).collect_view()}
                        <option value="images">{t("training.sweep_images")}</option>
                    </select>
                </label>
                {seeds_select("sweep-seeds", move || ex.state.with(|s| s.sweep_seeds), move |n| ex.state.update(|s| s.sweep_seeds = n))}
                {run_button(b, "sweep-run", "training.sweep_run", || true, request)}
            }>
            <ChartCanvas figure=figure name="beta-sweep" caption=caption described_by="sweep-summary" />
            {results_table("sweep-table", "sweep-caption", "training.sweep_caption", &[
                ("training.board_method", false),
                ("training.col_balanced", true),
                ("training.col_few", true),
            ], move || sweep.get().rows().into_iter().map(row).collect_view())}
        </SeededPanel>
    }
}
