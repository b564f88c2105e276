//! The paper's grid at toy scale (section 5.2's losses, betas and gammas),
//! trained in the page, its heatmap filling as runs finish.

use leptos::prelude::*;

use super::grid_table::GridTable;
use crate::balance::loss_kind::LossKind;
use crate::balance::weights::SchemeKind;
use crate::charts::figure::TrainingFigure;
use crate::charts::grid::GridChart;
use crate::data::export::decimal;
use crate::i18n::{Message, tr_with};
use crate::site::backend::use_gpu;
use crate::site::dom;
use crate::site::figures::ChartCanvas;
use crate::site::i18n::{t, use_page};
use crate::site::state::use_explorer;
use crate::site::worker;
use crate::train::config::TrainConfig;
use crate::train::experiments::{PAPER_BETAS, PAPER_GAMMAS, paper_grid};
use crate::worker::protocol::{Command, JobData, JobId, JobSpec, Order, Report, Stop, Watch};

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
    let job = StoredValue::new(None::<JobId>);
    let running = RwSignal::new(false);
    let notice = RwSignal::new(None::<Message>);
    let on_gpu = RwSignal::new(None::<bool>);
    let (chart, set_chart) = signal(GridChart::default());
    let (done, set_done) = signal((0usize, 0usize));
    let (steps, set_steps) = signal((0usize, 0usize));
    let (message, set_message) = signal(None::<Message>);
    let lang = use_page().lang;
    // Model-steps per second over the whole grid, once it is done.
    let (speed, set_speed) = signal(None::<f64>);
    let run = move |_| {
        if running.get_untracked() {
            return;
        }
        if let Some(old) = job.get_value() {
            worker::send(Command::Drop(old));
        }
        let settings = ex.training.get_untracked();
        let configs = paper_grid(&settings.base(0.9999, 1.0));
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
        set_steps.set((0, 0));
        set_message.set(None);
        notice.set(None);
        set_speed.set(None);
        on_gpu.set(None);
        // On the CPU, one run after another, so the heatmap fills as runs finish.
        let spec = JobSpec {
            data: JobData::Toy,
            counts: ex.counts.get_untracked(),
            seed: settings.seed,
            prototypes: None,
            configs: configs.clone(),
            device: gpu.device_for(settings.backend),
            order: Order::OneByOne,
            watch: Watch::Results,
            debug: gpu.debug(),
        };
        let start = dom::now_ms();
        let on_report = move |report: Report| match report {
            Report::Update(id, update) if job.get_value() == Some(id) => {
                set_steps.set(update.model_steps);
                on_gpu.set(Some(update.on_gpu));
                // Each run's cell is filled once, when it finishes.
                if !update.runs.is_empty() {
                    let mut filled = chart.get_untracked();
                    for run in &update.runs {
                        let accuracy = Some(run.metrics.balanced_accuracy);
                        fill_cell(&mut filled, &configs[run.index], accuracy);
                    }
                    set_chart.set(filled);
                    set_done.update(|(d, _)| *d += update.runs.len());
                }
                if update.stopped == Some(Stop::Finished) {
                    let seconds = (dom::now_ms() - start) / 1000.0;
                    set_speed.set(Some(update.model_steps.1 as f64 / seconds));
                }
                if update.stopped.is_some() {
                    running.set(false);
                }
            }
            Report::Notice(id, m) if job.get_value() == Some(id) => notice.set(Some(m)),
            Report::Failed(id, e) if job.get_value() == Some(id) => {
                running.set(false);
                set_message.set(Some(
                    Message::new("training.cannot_train").with_message("error", e),
                ));
            }
            _ => {}
        };
        let id = worker::start(gpu, spec, on_report);
        job.set_value(Some(id));
        running.set(true);
        worker::send(Command::Play(id));
    };
    let figure = Memo::new(move |_| TrainingFigure::Grid(Box::new(chart.get())));
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
