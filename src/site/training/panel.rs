//! The training panel: softmax, class-balanced softmax and a chosen run side
//! by side on the explorer's classes, with their decision regions, test
//! metrics, confusion matrices, per-class accuracy and loss curves, live.

use leptos::prelude::*;

use super::controls::{BackendBadge, ExtraRuns, TrainingControls};
use super::regions::{RESOLUTION, Regions};
use crate::charts::figure::TrainingFigure;
use crate::charts::training::{
    CONFUSION_TITLE, ClassAccuracyChart, ConfusionChart, LossCurvesChart, PosthocChart,
};
use crate::data::decimal::parse_f64;
use crate::data::export::decimal;
use crate::data::toy_data::ToyTask;
use crate::explorer::training::{MAX_RUNS, TrainingSettings};
use crate::i18n::{Message, tr_with};
use crate::site::backend::{GpuStatus, use_gpu};
use crate::site::figures::ChartCanvas;
use crate::site::i18n::{t, use_page};
use crate::site::state::use_explorer;
use crate::site::worker;
use crate::train::metrics::Metrics;
use crate::train::prediction::POSTHOC_TAUS;
use crate::worker::protocol::{
    Command, JobData, JobId, JobSpec, Measured, Order, Report, RunUpdate, Stop, Watch,
};

/// The confusion matrices' canvas names, one per run.
const CONFUSION_NAMES: [&str; MAX_RUNS] = [
    "confusion-softmax",
    "confusion-cb-softmax",
    "confusion-chosen",
    "confusion-run-4",
    "confusion-run-5",
    "confusion-run-6",
];

/// What the panel shows of one run.
#[derive(Clone, Debug, PartialEq)]
struct RunView {
    label: Message,
    metrics: Metrics,
    history: Vec<f32>,
    grid: Vec<u8>,
    /// A stopped plain softmax run's balanced accuracy at each of
    /// [`POSTHOC_TAUS`], for the tau slider.
    posthoc: Option<Vec<f64>>,
}

/// The views after the worker's news `runs`: a run keeps its regions until
/// an update redraws them.
fn merge(views: &mut Vec<RunView>, labels: &[Message], runs: Vec<RunUpdate>) {
    for run in runs {
        let Some(label) = labels.get(run.index) else {
            continue;
        };
        let view = RunView {
            label: label.clone(),
            metrics: run.metrics,
            history: run.history,
            grid: run.grid.unwrap_or_default(),
            posthoc: run.posthoc,
        };
        let len = views.len();
        match views.get_mut(run.index) {
            Some(old) => {
                let grid = std::mem::take(&mut old.grid);
                *old = RunView {
                    grid: if view.grid.is_empty() {
                        grid
                    } else {
                        view.grid
                    },
                    ..view
                };
            }
            None if len == run.index => views.push(view),
            None => {}
        }
    }
}

/// Run `index`'s decision regions: redrawn only when they change, not on
/// every metrics update.
fn run_grid(views: ReadSignal<Vec<RunView>>, index: usize) -> Memo<Vec<u8>> {
    Memo::new(move |_| {
        views
            .with(|v| v.get(index).map(|v| v.grid.clone()))
            .unwrap_or_default()
    })
}

fn percent(x: Option<f64>) -> String {
    x.map_or("-".to_owned(), |v| format!("{:.1} %", 100.0 * v))
}

/// The panel: settings, play / pause / step / reset, and the three runs.
#[component]
pub fn TrainingPanel() -> impl IntoView {
    let ex = use_explorer();
    let gpu = use_gpu();
    // Compile the GPU kernels ahead of the first run when it will use them.
    Effect::new(move |_| {
        let backend = ex.training.with(|s| s.backend);
        if matches!(gpu.status.get(), GpuStatus::Ready(_)) {
            worker::prepare_gpu(gpu, backend);
        }
    });
    let job = StoredValue::new(None::<JobId>);
    // Whether every run has taken all its steps.
    let finished = StoredValue::new(false);
    let running = RwSignal::new(false);
    let notice = RwSignal::new(None::<Message>);
    let on_gpu = RwSignal::new(None::<bool>);
    let measured = RwSignal::new(None::<Measured>);
    let (views, set_views) = signal(Vec::<RunView>::new());
    let (progress, set_progress) = signal((0usize, 0usize));
    let (message, set_message) = signal(None::<Message>);
    let lang = use_page().lang;
    let (task_view, set_task_view) = signal(None::<ToyTask>);

    let forget = move || {
        if let Some(old) = job.get_value() {
            worker::send(Command::Drop(old));
        }
        job.set_value(None);
        running.set(false);
        finished.set_value(false);
    };
    let reset = move || {
        forget();
        let settings = ex.training.get_untracked();
        let configs = settings.configs(
            ex.state.with_untracked(|s| s.beta.value()),
            ex.state.with_untracked(|s| s.gamma),
        );
        let labels: Vec<Message> = configs.iter().map(|c| c.label_message()).collect();
        let spec = JobSpec {
            data: JobData::Toy,
            counts: ex.counts.get_untracked(),
            seed: settings.seed,
            prototypes: None,
            configs,
            device: gpu.device_for(settings.backend),
            order: Order::Together,
            watch: Watch::Live {
                resolution: RESOLUTION,
            },
            debug: gpu.debug(),
        };
        set_views.set(Vec::new());
        set_progress.set((0, 0));
        notice.set(None);
        match spec.task() {
            Ok(task) => {
                set_task_view.set(Some(task));
                set_message.set(None);
            }
            Err(e) => {
                set_task_view.set(None);
                set_message.set(Some(
                    Message::new("training.cannot_train").with_message("error", e),
                ));
                return;
            }
        }
        let on_report = move |report: Report| match report {
            Report::Update(id, update) if job.get_value() == Some(id) => {
                set_progress.set(update.progress);
                on_gpu.set(Some(update.on_gpu));
                measured.set(update.measured);
                finished.set_value(update.stopped == Some(Stop::Finished));
                // The page paused it itself; a step or the end stop it here.
                if matches!(update.stopped, Some(Stop::Stepped | Stop::Finished)) {
                    running.set(false);
                }
                set_views.update(|v| merge(v, &labels, update.runs));
            }
            Report::Notice(id, m) if job.get_value() == Some(id) => notice.set(Some(m)),
            Report::Failed(id, e) if job.get_value() == Some(id) => {
                running.set(false);
                set_views.set(Vec::new());
                set_message.set(Some(
                    Message::new("training.cannot_train").with_message("error", e),
                ));
            }
            _ => {}
        };
        job.set_value(Some(worker::start(gpu, spec, on_report)));
    };
    // New settings make the old runs meaningless: they go, and the panel
    // waits for a press of play.
    Effect::new(move |previous: Option<TrainingSettings>| {
        let now = ex.training.get();
        if previous.is_some_and(|p| p != now) {
            forget();
            set_views.set(Vec::new());
            set_progress.set((0, 0));
            on_gpu.set(None);
            measured.set(None);
        }
        now
    });
    let play = move |_| {
        if job.get_value().is_none() || finished.get_value() {
            reset();
        }
        let Some(id) = job.get_value() else { return };
        running.set(true);
        worker::send(Command::Play(id));
    };
    let pause = move |_| {
        running.set(false);
        if let Some(id) = job.get_value() {
            worker::send(Command::Pause(id));
        }
    };
    let step = move |_| {
        if running.get_untracked() {
            pause(());
            return;
        }
        if job.get_value().is_none() || finished.get_value() {
            reset();
        }
        let Some(id) = job.get_value() else { return };
        running.set(true);
        worker::send(Command::Step(id));
    };
    // The tau slider: the softmax run re-scored post hoc, from the curve the
    // worker sends when the runs stop (no round trip as it moves).
    let tau = ex.posthoc_tau;
    let posthoc = Memo::new(move |_| views.with(|v| v.iter().find_map(|v| v.posthoc.clone())));
    let posthoc_at = move |tau: f64| {
        posthoc.with(|c| {
            let c = c.as_ref()?;
            let i = (tau * 10.0).round().clamp(0.0, (c.len().max(1) - 1) as f64) as usize;
            Some((c.first().copied()?, c.get(i).copied()?))
        })
    };
    let posthoc_figure = Memo::new(move |_| {
        TrainingFigure::Posthoc(PosthocChart {
            points: posthoc.with(|c| {
                c.iter()
                    .flatten()
                    .zip(POSTHOC_TAUS)
                    .map(|(&a, t)| (t, a))
                    .collect()
            }),
            current: tau.get(),
        })
    });
    let accuracy_figure = Memo::new(move |_| {
        TrainingFigure::ClassAccuracy(ClassAccuracyChart {
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
    // How many runs the settings ask for: a confusion matrix each.
    let runs = Memo::new(move |_| ex.training.with(|s| s.methods().len()));
    let loss_figure = Memo::new(move |_| {
        TrainingFigure::LossCurves(LossCurvesChart {
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
            <BackendBadge on_gpu=on_gpu measured=measured />
            <TrainingControls />
            <ExtraRuns />
            <div class="tools">
                <button type="button" id="train-play" on:click=play disabled=move || running.get()>{t("training.play")}</button>
                <button type="button" id="train-pause" on:click=move |_| pause(()) disabled=move || !running.get()>{t("training.pause")}</button>
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
                        <Regions grid=run_grid(views, i) task=task_view />
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
            // Mounted when there is a curve, so that its canvas takes its size from the layout.
            <Show when=move || posthoc.with(Option::is_some)>
            <div class="posthoc">
                <label>
                    {t("training.posthoc_label")} " "
                    <input type="range" id="posthoc-tau" min="0" max="2" step="0.1"
                        prop:value=move || format!("{:.1}", tau.get())
                        on:input=move |ev| {
                            if let Some(v) = parse_f64(&event_target_value(&ev)) {
                                ex.state.update(|s| s.posthoc_tau = (v * 10.0).round() / 10.0);
                            }
                        } />
                    " " <output for="posthoc-tau">{move || format!("{:.1}", tau.get())}</output>
                </label>
                <p id="posthoc-result"
                    data-tau=move || format!("{:.1}", tau.get())
                    data-balanced=move || posthoc_at(tau.get()).map(|(_, a)| decimal(a)).unwrap_or_default()>
                    {move || posthoc_at(tau.get()).map(|(plain, adjusted)| tr_with(
                        lang.get(),
                        "training.posthoc_result",
                        &[
                            ("tau", &format!("{:.1}", tau.get())),
                            ("adjusted", &percent(Some(adjusted))),
                            ("plain", &percent(Some(plain))),
                        ],
                    ))}
                </p>
                <ChartCanvas figure=posthoc_figure name="posthoc-curve" caption=t("training.posthoc_caption") described_by="posthoc-result" />
            </div>
            </Show>
            <div class="runs">
                {move || CONFUSION_NAMES
                    .iter()
                    .take(runs.get())
                    .enumerate()
                    .map(|(i, &name)| {
                        let figure = Memo::new(move |_| {
                            views.with(|v| {
                                TrainingFigure::Confusion(ConfusionChart {
                                    label: v.get(i).map_or(Message::new(CONFUSION_TITLE), |v| v.label.clone()),
                                    names: Vec::new(),
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
