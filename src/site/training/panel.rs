//! The training panel: softmax, class-balanced softmax and a chosen run side
//! by side on the explorer's classes, with their decision regions, test
//! metrics, confusion matrices, per-class accuracy and loss curves, live.

use leptos::prelude::*;

use super::controls::{BackendBadge, TrainingControls};
use super::regions::{RESOLUTION, Regions};
use super::session::{Runs, Session, chosen_device, train_loop};
use crate::charts::figure::Figure;
use crate::charts::training::{
    CONFUSION_TITLE, ClassAccuracyChart, ConfusionChart, LossCurvesChart,
};
use crate::data::export::decimal;
use crate::data::toy_data::ToyTask;
use crate::explorer::training::TrainingSettings;
use crate::i18n::{Message, tr_with};
use crate::site::backend::{GpuStatus, use_gpu};
use crate::site::dom;
use crate::site::engine::Order;
use crate::site::figures::ChartCanvas;
use crate::site::i18n::{t, use_page};
use crate::site::state::use_explorer;
use crate::train::metrics::Metrics;
use crate::train::prediction::decision_grid;

/// Download names of the three runs' confusion matrices.
const CONFUSION_NAMES: [&str; 3] = [
    "confusion-softmax",
    "confusion-cb-softmax",
    "confusion-chosen",
];
/// CPU time a frame's chunk of training may take: with the frame's share of
/// the drawing, input is still answered within 50 ms.
const FRAME_BUDGET_MS: f64 = 5.0;

/// One run as the page shows it.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct RunView {
    label: Message,
    metrics: Metrics,
    history: Vec<f32>,
    pub(super) grid: Vec<u8>,
}

/// What a refresh of the page's runs recomputes: each takes a while on the
/// CPU, so a frame during training does one run's share at most.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Refresh {
    /// Every run's test metrics.
    AllMetrics,
    /// One run's test metrics (the others keep theirs).
    Metrics(usize),
    /// One run's decision regions.
    Grid(usize),
}

/// The runs as the page shows them, with what `refresh` says recomputed;
/// loss histories are always current.
fn run_views(runs: &Runs, refresh: Refresh, previous: &[RunView]) -> Vec<RunView> {
    (0..runs.engine.len())
        .map(|i| {
            let before = previous.get(i);
            let grid = || before.map(|v| v.grid.clone()).unwrap_or_default();
            match (refresh, before) {
                (Refresh::Grid(g), Some(v)) => RunView {
                    grid: if g == i {
                        decision_grid(&runs.engine.model(i), &runs.task, RESOLUTION)
                    } else {
                        grid()
                    },
                    ..v.clone()
                },
                (Refresh::Metrics(m), Some(v)) if m != i => RunView {
                    history: runs.engine.history(i),
                    ..v.clone()
                },
                _ => RunView {
                    label: runs.engine.config(i).label_message(),
                    metrics: runs.evaluate(i),
                    history: runs.engine.history(i),
                    grid: grid(),
                },
            }
        })
        .collect()
}

fn percent(x: Option<f64>) -> String {
    x.map_or("-".to_owned(), |v| format!("{:.1} %", 100.0 * v))
}

/// The training panel.
#[component]
pub fn TrainingPanel() -> impl IntoView {
    let ex = use_explorer();
    let gpu = use_gpu();
    let training = Session::new(gpu, FRAME_BUDGET_MS);
    let Session {
        slot: session,
        busy,
        running,
        generation,
        notice,
        on_gpu,
        ..
    } = training;
    // The GPU's kernels compile as soon as the page knows it will train there.
    Effect::new(move |_| {
        let backend = ex.training.with(|s| s.backend);
        if matches!(gpu.status.get(), GpuStatus::Ready(_)) {
            gpu.prepare_for(backend);
        }
    });
    let (views, set_views) = signal(Vec::<RunView>::new());
    let (progress, set_progress) = signal((0usize, 0usize));
    let (message, set_message) = signal(None::<Message>);
    let lang = use_page().lang;
    let (task_view, set_task_view) = signal(None::<ToyTask>);

    let show = move |runs: &Runs, refresh: Refresh| {
        set_progress.set(runs.engine.progress());
        let previous = views.get_untracked();
        set_views.set(run_views(runs, refresh, &previous));
    };
    // Every run's decision regions, one run per frame.
    let draw_all_regions = move || {
        leptos::task::spawn_local(async move {
            let runs = session.with_value(|s| s.as_ref().map_or(0, |r| r.engine.len()));
            for i in 0..runs {
                dom::next_frame().await;
                session.with_value(|s| {
                    if let Some(r) = s {
                        if i == 0 {
                            show(r, Refresh::AllMetrics);
                        }
                        show(r, Refresh::Grid(i));
                    }
                });
            }
        });
    };
    let reset = move || {
        running.set(false);
        generation.update_value(|g| *g += 1);
        let settings = ex.training.get_untracked();
        let configs = settings.configs(ex.beta.get_untracked().value(), ex.gamma.get_untracked());
        let device = chosen_device(&settings, &gpu);
        match Runs::new(
            &ex.counts.get_untracked(),
            settings.seed,
            &configs,
            device.as_ref(),
            Order::Together,
        ) {
            Ok(runs) => {
                set_task_view.set(Some(runs.task.clone()));
                on_gpu.set(Some(runs.engine.on_gpu()));
                show(&runs, Refresh::AllMetrics);
                session.set_value(Some(runs));
                set_message.set(None);
                notice.set(None);
                draw_all_regions();
            }
            Err(e) => {
                session.set_value(None);
                set_views.set(Vec::new());
                set_message.set(Some(
                    Message::new("training.cannot_train").with_message("error", e),
                ));
            }
        }
    };
    // A changed setting starts the runs over (beta, gamma and the counts do
    // not: the explorer stays free to move while a run goes on).
    Effect::new(move |previous: Option<TrainingSettings>| {
        let now = ex.training.get();
        if previous.is_some_and(|p| p != now) {
            running.set(false);
            generation.update_value(|g| *g += 1);
            session.set_value(None);
            set_views.set(Vec::new());
            set_progress.set((0, 0));
            on_gpu.set(None);
        }
        now
    });
    // Whether this generation's runs are out of the slot for a chunk.
    let chunk_out = move || busy.get_value() == Some(generation.get_value());
    let play = move |_| {
        // A chunk still out (the GPU finishing after a pause): wait for it.
        if chunk_out() {
            return;
        }
        if session.with_value(|s| s.as_ref().is_none_or(|r| r.engine.finished())) {
            reset();
        }
        if session.with_value(Option::is_none) || running.get_untracked() {
            return;
        }
        running.set(true);
        leptos::task::spawn_local(async move {
            train_loop(training, move |runs, frame| {
                // One run's metrics every fourth frame; between them, one run's regions.
                let run = frame / 4 % runs.engine.len();
                match frame % 4 {
                    0 => show(runs, Refresh::Metrics(run)),
                    2 => show(runs, Refresh::Grid(run)),
                    _ => set_progress.set(runs.engine.progress()),
                }
                false
            })
            .await;
            draw_all_regions();
        });
    };
    let step = move |_| {
        // While the runs play, Step pauses them.
        if running.get_untracked() {
            running.set(false);
            return;
        }
        if chunk_out() {
            return;
        }
        if session.with_value(Option::is_none) {
            reset();
        }
        running.set(true);
        leptos::task::spawn_local(async move {
            train_loop(training, move |runs, _| {
                show(runs, Refresh::AllMetrics);
                true
            })
            .await;
            draw_all_regions();
        });
    };
    let accuracy_figure = Memo::new(move |_| {
        Figure::ClassAccuracy(ClassAccuracyChart {
            classes: ex.counts.with(Vec::len),
            runs: views
                .get()
                .into_iter()
                .map(|v| (v.label, v.metrics.per_class))
                .collect(),
        })
    });
    let labels =
        Memo::new(move |_| views.with(|v| v.iter().map(|v| v.label.clone()).collect::<Vec<_>>()));
    let loss_figure = Memo::new(move |_| {
        Figure::LossCurves(LossCurvesChart {
            runs: views
                .get()
                .into_iter()
                .map(|v| (v.label, v.history))
                .collect(),
            epochs: ex.training.with(|s| s.epochs),
        })
    });

    view! {
        <section class="panel training" aria-labelledby="training-title">
            <h3 id="training-title">{t("training.title")}</h3>
            <p class="hint">{t("training.hint")}</p>
            <BackendBadge on_gpu=on_gpu />
            <TrainingControls />
            <div class="tools">
                <button type="button" id="train-play" on:click=play disabled=move || running.get()>{t("training.play")}</button>
                <button type="button" id="train-pause" on:click=move |_| running.set(false) disabled=move || !running.get()>{t("training.pause")}</button>
                <button type="button" id="train-step" on:click=step>{t("training.step")}</button>
                <button type="button" id="train-reset" on:click=move |_| reset()>{t("training.reset")}</button>
            </div>
            <progress id="train-progress" max=move || progress.get().1.max(1).to_string() value=move || progress.get().0.to_string()
                aria-label=t("training.progress_label")></progress>
            <span class="progress-text">{move || {
                let (done, total) = progress.get();
                if total == 0 {
                    tr_with(lang.get(), "training.press_train", &[])
                } else {
                    tr_with(
                        lang.get(),
                        "training.steps",
                        &[("done", &done.to_string()), ("total", &total.to_string())],
                    )
                }
            }}</span>
            {move || notice.get().map(|m| view! { <p class="notice" id="train-notice" role="status">{move || m.in_lang(lang.get())}</p> })}
            {move || message.get().map(|m| view! { <p class="error" role="alert">{move || m.in_lang(lang.get())}</p> })}
            <div class="runs">
                // Built again only when the runs change, not as they train.
                {move || labels.get().into_iter().enumerate().map(|(i, label)| view! {
                    <figure class="run">
                        <Regions index=i views=views task=task_view />
                        <figcaption>{move || label.in_lang(lang.get())}</figcaption>
                    </figure>
                }).collect_view()}
            </div>
            <div class="table-scroll">
            <table id="training-metrics">
                <caption>{t("training.metrics_caption")}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t("training.col_loss")}</th>
                        <th scope="col">{t("training.col_balanced")}</th>
                        <th scope="col">{t("training.col_many")}</th>
                        <th scope="col">{t("training.col_medium")}</th>
                        <th scope="col">{t("training.col_few")}</th>
                    </tr>
                </thead>
                <tbody>
                    {move || views.get().into_iter().map(|v| view! {
                        <tr
                            data-label=v.label.to_string()
                            data-balanced=decimal(v.metrics.balanced_accuracy)
                            data-first-loss=v.history.first().map(|l| decimal(*l as f64)).unwrap_or_default()
                        >
                            <td>{v.label.in_lang(lang.get())}</td>
                            <td>{percent(Some(v.metrics.balanced_accuracy))}</td>
                            <td>{percent(v.metrics.many_shot)}</td>
                            <td>{percent(v.metrics.medium_shot)}</td>
                            <td>{percent(v.metrics.few_shot)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            </div>
            <div class="runs">
                {CONFUSION_NAMES
                    .iter()
                    .enumerate()
                    .map(|(i, &name)| {
                        let figure = Memo::new(move |_| {
                            views.with(|v| {
                                Figure::Confusion(ConfusionChart {
                                    label: v.get(i).map_or(Message::new(CONFUSION_TITLE), |v| v.label.clone()),
                                    classes: ex.counts.with(Vec::len),
                                    counts: v.get(i).map_or(Vec::new(), |v| v.metrics.confusion.clone()),
                                })
                            })
                        });
                        view! {
                            <ChartCanvas figure=figure name=name
                                caption=t("training.confusion_caption") />
                        }
                    })
                    .collect_view()}
            </div>
            <div class="figure-grid">
                <ChartCanvas figure=accuracy_figure name="per-class-accuracy"
                    caption=t("training.accuracy_caption") />
                <ChartCanvas figure=loss_figure name="training-loss" caption=t("training.loss_caption") />
            </div>
        </section>
    }
}
