//! The paper's grid at toy scale (section 5.2's losses, betas and gammas),
//! trained in the page, its heatmap filling as runs finish.

use leptos::prelude::*;

use super::grid_table::GridTable;
use super::session::{Runs, Session, chosen_device, train_loop};
use crate::balance::losses::LossKind;
use crate::balance::weights::SchemeKind;
use crate::charts::figure::Figure;
use crate::charts::grid::GridChart;
use crate::data::export::decimal;
use crate::i18n::{Message, tr_with};
use crate::site::backend::use_gpu;
use crate::site::dom;
use crate::site::engine::Order;
use crate::site::figures::ChartCanvas;
use crate::site::i18n::{t, use_page};
use crate::site::state::use_explorer;
use crate::train::config::TrainConfig;
use crate::train::experiments::{PAPER_BETAS, PAPER_GAMMAS, paper_grid};

/// CPU time a frame's chunk of the grid may take: its frames draw little (a
/// heatmap cell when a run finishes), so more of each frame trains.
const GRID_FRAME_BUDGET_MS: f64 = 10.0;

/// The grid's label of an unweighted run.
fn unweighted(config: &TrainConfig) -> Message {
    Message::new("run.unweighted").with_message("label", config.label_message())
}
/// Fills the grid chart's cell of this run with its balanced accuracy.
fn fill_cell(chart: &mut GridChart, config: &TrainConfig, accuracy: Option<f64>) {
    let b = PAPER_BETAS.iter().position(|&b| b == config.beta);
    let g = PAPER_GAMMAS.iter().position(|&g| g == config.gamma);
    match (config.scheme, config.loss, b, g) {
        (SchemeKind::Cb, LossKind::Softmax, Some(b), _) => chart.softmax[b] = accuracy,
        (SchemeKind::Cb, LossKind::Sigmoid, Some(b), _) => chart.sigmoid[b] = accuracy,
        (SchemeKind::Cb, LossKind::Focal, Some(b), Some(g)) => chart.focal[b][g] = accuracy,
        _ => {
            let label = unweighted(config);
            if let Some(cell) = chart.baselines.iter_mut().find(|(l, _)| *l == label) {
                cell.1 = accuracy;
            }
        }
    }
}

/// The paper's grid at toy scale, trained in the page: every run together,
/// in one GPU trainer on WebGPU.
#[component]
pub fn GridPanel() -> impl IntoView {
    let ex = use_explorer();
    let gpu = use_gpu();
    let training = Session::new(gpu, GRID_FRAME_BUDGET_MS);
    let Session {
        slot: session,
        running,
        generation,
        notice,
        on_gpu,
        ..
    } = training;
    let (chart, set_chart) = signal(GridChart::default());
    let (done, set_done) = signal((0usize, 0usize));
    let (steps, set_steps) = signal((0usize, 0usize));
    let (message, set_message) = signal(None::<Message>);
    let lang = use_page().lang;
    // Steps per second of all runs together, measured over the whole run.
    let (speed, set_speed) = signal(None::<f64>);
    let run = move |_| {
        if running.get_untracked() {
            return;
        }
        generation.update_value(|g| *g += 1);
        let settings = ex.training.get_untracked();
        let configs = paper_grid(&settings.base(0.9999, 1.0));
        let device = chosen_device(&settings, &gpu);
        // On the CPU, one run after another, so the heatmap fills as runs finish.
        match Runs::new(
            &ex.counts.get_untracked(),
            settings.seed,
            &configs,
            device.as_ref(),
            Order::OneByOne,
        ) {
            Ok(runs) => {
                let baselines = configs
                    .iter()
                    .filter(|c| c.scheme == SchemeKind::None)
                    .map(|c| (unweighted(c), None))
                    .collect();
                set_chart.set(GridChart {
                    baselines,
                    ..GridChart::default()
                });
                set_done.set((0, configs.len()));
                set_steps.set(runs.engine.model_steps());
                on_gpu.set(Some(runs.engine.on_gpu()));
                session.set_value(Some(runs));
                set_message.set(None);
                notice.set(None);
                set_speed.set(None);
            }
            Err(e) => {
                set_message.set(Some(
                    Message::new("training.cannot_train").with_message("error", e),
                ));
                return;
            }
        }
        running.set(true);
        let start = dom::now_ms();
        let mut shown = vec![false; configs.len()];
        leptos::task::spawn_local(train_loop(training, move |runs, _| {
            let model_steps = runs.engine.model_steps();
            set_steps.set(model_steps);
            // Each run's cell is filled once, when it finishes.
            let newly: Vec<usize> = (0..runs.engine.len())
                .filter(|&i| !shown[i] && runs.engine.run_finished(i))
                .collect();
            if !newly.is_empty() {
                let mut filled = chart.get_untracked();
                for &i in &newly {
                    let accuracy = Some(runs.evaluate(i).balanced_accuracy);
                    fill_cell(&mut filled, &runs.engine.config(i), accuracy);
                    shown[i] = true;
                }
                set_chart.set(filled);
                set_done.set((shown.iter().filter(|&&s| s).count(), runs.engine.len()));
            }
            if runs.engine.finished() {
                let seconds = (dom::now_ms() - start) / 1000.0;
                set_speed.set(Some(model_steps.1 as f64 / seconds));
            }
            false
        }));
    };
    let figure = Memo::new(move |_| Figure::Grid(Box::new(chart.get())));
    view! {
        <section class="panel grid-panel" aria-labelledby="grid-title">
            <h3 id="grid-title">{t("training.grid_title")}</h3>
            <p class="hint">{t("training.grid_hint")}</p>
            <div class="tools">
                <button type="button" id="grid-run" on:click=run disabled=move || running.get()>{t("training.grid_run")}</button>
                <progress id="grid-steps" max=move || steps.get().1.max(1).to_string() value=move || steps.get().0.to_string()
                    aria-label=t("training.grid_progress_label")></progress>
                <span class="progress-text" id="grid-progress">{move || {
                    let (d, t) = done.get();
                    if t == 0 {
                        String::new()
                    } else {
                        tr_with(
                            lang.get(),
                            "training.grid_done",
                            &[("done", &d.to_string()), ("total", &t.to_string())],
                        )
                    }
                }}</span>
                <span class="progress-text" id="grid-speed"
                    data-steps-per-second=move || speed.get().map(decimal).unwrap_or_default()
                    data-backend=move || if on_gpu.get().unwrap_or(false) { "webgpu" } else { "cpu" }>
                    {move || speed.get().map(|s| tr_with(
                        lang.get(),
                        if on_gpu.get().unwrap_or(false) { "training.grid_speed_gpu" } else { "training.grid_speed_cpu" },
                        &[("speed", &format!("{s:.0}"))],
                    ))}
                </span>
            </div>
            {move || notice.get().map(|m| view! { <p class="notice" id="grid-notice" role="status">{move || m.in_lang(lang.get())}</p> })}
            {move || message.get().map(|m| view! { <p class="error" role="alert">{move || m.in_lang(lang.get())}</p> })}
            <ChartCanvas figure=figure name="paper-grid" caption=t("training.grid_caption") described_by="grid-table" />
            <GridTable chart=chart />
        </section>
    }
}
