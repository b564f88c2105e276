//! The training panel: the explorer's class counts, scaled to toy size, train
//! a small MLP with softmax, class-balanced softmax and a chosen loss side by
//! side, on WebGPU when the browser has it and on the CPU otherwise, a chunk
//! per animation frame so the page keeps answering. Decision regions, test
//! metrics and loss curves update live. Also the paper's grid, trained together.

use leptos::prelude::*;
use wasm_bindgen::{Clamped, JsCast};

use super::backend::{Gpu, GpuStatus, badge_text, use_gpu};
use super::dom;
use super::editor::CanvasFit;
use super::engine::{Engine, Order};
use super::figures::ChartCanvas;
use super::grid_table::GridTable;
use super::i18n::{t, tf, use_page};
use super::state::use_explorer;
use crate::balance::losses::LossKind;
use crate::balance::weights::SchemeKind;
use crate::charts::Theme;
use crate::charts::figure::Figure;
use crate::charts::grid::GridChart;
use crate::charts::training::{
    CONFUSION_TITLE, ClassAccuracyChart, ConfusionChart, LossCurvesChart, class_colour,
};
use crate::data::export::decimal;
use crate::data::toy_data::{ToyConfig, ToyTask, make_toy_task, scale_counts};
use crate::explorer::training::{
    Backend, HIDDEN_SIZES, LEARNING_RATES, MAX_EPOCHS, TrainingSettings,
};
use crate::i18n::{Message, tr_with};
use crate::train::experiments::{PAPER_BETAS, PAPER_GAMMAS, paper_grid};
use crate::train::metrics::{Metrics, metrics};
use crate::train::optimizer::OptimizerKind;
use crate::train::trainer::{TrainConfig, decision_grid, predict};

/// The largest class of the toy task, after scaling the explorer's counts.
const TOY_MAX: u64 = 500;
/// Download names of the three runs' confusion matrices.
const CONFUSION_NAMES: [&str; 3] = [
    "confusion-softmax",
    "confusion-cb-softmax",
    "confusion-chosen",
];
/// CPU time a frame's chunk of training may take: with the frame's share of
/// the drawing, input is still answered within 50 ms.
const FRAME_BUDGET_MS: f64 = 5.0;
/// The same for the grid, whose frames draw little (a heatmap cell when a run
/// finishes): more of each frame trains.
const GRID_FRAME_BUDGET_MS: f64 = 10.0;
/// Cells per side of the decision-region grid.
const RESOLUTION: usize = 72;

/// The toy task and the runs of `configs` on it, on the GPU when one is given.
struct Runs {
    task: ToyTask,
    engine: Engine,
}

impl Runs {
    fn new(
        counts: &[u64],
        seed: u64,
        configs: &[TrainConfig],
        gpu: Option<&crate::gpu::GpuContext>,
        order: Order,
    ) -> Result<Self, Message> {
        let toy = ToyConfig {
            seed,
            ..ToyConfig::default()
        };
        let task = make_toy_task(&scale_counts(counts, TOY_MAX), &toy).map_err(|e| e.message())?;
        let engine = Engine::new(&task, configs, gpu, order)?;
        Ok(Self { task, engine })
    }

    /// One chunk; on a GPU failure, the runs carry on on the CPU and the
    /// notice says so.
    async fn advance(&mut self, gpu: Gpu, budget_ms: f64) -> Option<Message> {
        if let Some(k) = gpu.lose_after
            && self.engine.on_gpu()
            && self.engine.progress().0 >= k
        {
            self.engine.lose_device();
        }
        let error = self.engine.chunk(budget_ms).await.err()?;
        let error = error.message();
        gpu.lost(error.clone());
        Some(match self.engine.fall_back(&self.task) {
            Ok(from) => Message::new("training.gpu_fallback")
                .with_message("error", error)
                .with("from", from),
            Err(why) => Message::new("training.gpu_failed")
                .with_message("error", error)
                .with_message("why", why),
        })
    }

    fn evaluate(&self, i: usize) -> Metrics {
        let model = self.engine.model(i);
        metrics(
            &predict(&model, &self.task.test.points),
            &self.task.test.labels,
            &self.task.counts,
        )
    }
}

/// A panel's training session: its runs and the handles its training loop
/// reports through.
#[derive(Clone, Copy)]
struct Session {
    gpu: Gpu,
    /// The runs, when there are some and no chunk has them out.
    slot: StoredValue<Option<Runs>, LocalStorage>,
    /// The generation whose chunk has the runs out of the slot (on the GPU
    /// for as long as the GPU works, even after a pause): the slot is empty
    /// then, but the runs are not gone.
    busy: StoredValue<Option<u64>>,
    /// Whether training goes on; the loop clears it when the runs finish.
    running: RwSignal<bool>,
    /// Bumped by a reset: a loop of an older generation stops.
    generation: StoredValue<u64>,
    /// What happened to the GPU, for the page.
    notice: RwSignal<Option<Message>>,
    /// Whether the runs are on the GPU (they may fall back to the CPU).
    on_gpu: RwSignal<Option<bool>>,
    /// CPU time a frame's chunk may take.
    budget_ms: f64,
}

impl Session {
    fn new(gpu: Gpu, budget_ms: f64) -> Self {
        Self {
            gpu,
            slot: StoredValue::new_local(None),
            busy: StoredValue::new(None),
            running: RwSignal::new(false),
            generation: StoredValue::new(0),
            notice: RwSignal::new(None),
            on_gpu: RwSignal::new(None),
            budget_ms,
        }
    }
}

/// Trains the session's runs chunk by chunk between animation frames while
/// `running` holds and the generation is unchanged (a reset starts a new
/// one); `each` sees the runs after every chunk and says whether to stop.
async fn train_loop(session: Session, mut each: impl FnMut(&Runs, usize) -> bool) {
    let Session {
        gpu,
        slot,
        busy,
        running,
        generation,
        notice,
        on_gpu,
        budget_ms,
    } = session;
    let mine = generation.get_value();
    let mut frame = 0usize;
    while running.get_untracked() {
        // The runs leave the slot while the GPU works, and come back after.
        let Some(mut runs) = slot.try_update_value(Option::take).flatten() else {
            break;
        };
        busy.set_value(Some(mine));
        let failed = runs.advance(gpu, budget_ms).await;
        busy.update_value(|b| {
            if *b == Some(mine) {
                *b = None;
            }
        });
        if generation.get_value() != mine {
            break;
        }
        let gpu_busy = runs.engine.on_gpu();
        on_gpu.set(Some(gpu_busy));
        frame += 1;
        // Still on the GPU after a failure: the CPU could not take over.
        let stuck = failed.is_some() && gpu_busy;
        if let Some(n) = failed {
            notice.set(Some(n));
        }
        let stop = each(&runs, frame) || runs.engine.finished() || stuck;
        slot.set_value(Some(runs));
        if stop {
            running.set(false);
            break;
        }
        // A GPU chunk waits for the GPU without holding the page (frames are
        // drawn meanwhile): the next one goes at once, keeping the GPU busy.
        if !gpu_busy {
            dom::next_frame().await;
        }
    }
}

/// One run as the page shows it.
#[derive(Clone, Debug, PartialEq)]
struct RunView {
    label: Message,
    metrics: Metrics,
    history: Vec<f32>,
    grid: Vec<u8>,
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

/// The device to train on: the GPU's when there is one and the settings
/// want it (automatic choice: not a software adapter).
fn chosen_device(settings: &TrainingSettings, gpu: &Gpu) -> Option<crate::gpu::GpuContext> {
    gpu.context()
        .filter(|ctx| settings.backend.uses_gpu(ctx.adapter.software))
}

/// The badge: where the panel trains and what the browser offers.
#[component]
fn BackendBadge(
    /// Whether the current runs are on the GPU (`None` before any run).
    on_gpu: RwSignal<Option<bool>>,
) -> impl IntoView {
    let ex = use_explorer();
    let gpu = use_gpu();
    let lang = use_page().lang;
    let text = move || {
        let status = gpu.status.get();
        let backend = ex.training.with(|s| s.backend);
        let would = matches!(&status, GpuStatus::Ready(a) if backend.uses_gpu(a.software));
        badge_text(lang.get(), on_gpu.get().unwrap_or(would), backend, &status)
    };
    view! {
        <p class="badge" id="backend-badge" role="status"
            data-backend=move || if on_gpu.get().unwrap_or(false) { "webgpu" } else { "cpu" }
            data-kernels=move || gpu.kernels_ready.get().then_some("ready")>
            {text}
        </p>
    }
}

/// A labelled select over `options`; `pick` turns the chosen value into a
/// change of the settings.
#[component]
fn SettingSelect(
    /// The label.
    label: Signal<&'static str>,
    /// The element's id.
    id: &'static str,
    /// (value, text) of each option.
    options: Vec<(String, Signal<String>)>,
    /// The current value.
    #[prop(into)]
    value: Signal<String>,
    /// Applies a chosen value.
    pick: fn(&mut TrainingSettings, &str),
) -> impl IntoView {
    let ex = use_explorer();
    view! {
        <label>
            {label}
            <select id=id prop:value=value
                on:change=move |ev| {
                    let v = event_target_value(&ev);
                    ex.state.update(|s| pick(&mut s.training, &v));
                }>
                {options.into_iter().map(|(v, t)| view! { <option value=v.clone()>{t}</option> }).collect_view()}
            </select>
        </label>
    }
}

/// The panel's settings: the chosen run's loss and weighting, and how every run trains.
#[component]
fn TrainingControls() -> impl IntoView {
    let ex = use_explorer();
    let setting =
        move |f: fn(&TrainingSettings) -> String| Signal::derive(move || ex.training.with(f));
    // Names (loss, weighting, numbers) are the same in every language.
    let same = |v: String| (v.clone(), Signal::stored(v));
    let text = |v: &str, key: &'static str| (v.to_owned(), Signal::from(t(key)));
    let losses = LossKind::ALL.map(|k| same(k.name().to_owned())).to_vec();
    let schemes = SchemeKind::ALL.map(|k| same(k.name().to_owned())).to_vec();
    let optimizers = vec![
        text("adam", "training.optimizer_adam"),
        text("sgd", "training.optimizer_sgd"),
    ];
    let rates = LEARNING_RATES.map(|r| same(r.to_string())).to_vec();
    let hidden = HIDDEN_SIZES
        .map(|h| {
            (
                h.to_string(),
                tf("training.hidden_option", move || {
                    vec![("size", h.to_string())]
                }),
            )
        })
        .to_vec();
    let backends = vec![
        text("auto", "training.backend_auto"),
        text("gpu", "training.backend_gpu"),
        text("cpu", "training.backend_cpu"),
    ];
    view! {
        <div class="tools training-settings">
            <SettingSelect label=t("training.label_loss") id="train-loss" options=losses
                value=setting(|s| s.loss.name().to_owned())
                pick=|s, v| if let Some(k) = LossKind::from_name(v) { s.loss = k } />
            <SettingSelect label=t("training.label_scheme") id="train-scheme" options=schemes
                value=setting(|s| s.scheme.name().to_owned())
                pick=|s, v| if let Some(k) = SchemeKind::ALL.into_iter().find(|k| k.name() == v) { s.scheme = k } />
            <SettingSelect label=t("training.label_optimizer") id="train-optimizer" options=optimizers
                value=setting(|s| s.optimizer.name().to_owned())
                pick=|s, v| s.optimizer = if v == "sgd" { OptimizerKind::SGD } else { OptimizerKind::ADAM } />
            <SettingSelect label=t("training.label_lr") id="train-lr" options=rates
                value=setting(|s| s.learning_rate.to_string())
                pick=|s, v| if let Ok(r) = v.parse() { s.learning_rate = r } />
            <SettingSelect label=t("training.label_hidden") id="train-hidden" options=hidden
                value=setting(|s| s.hidden.to_string())
                pick=|s, v| if let Ok(h) = v.parse() { s.hidden = h } />
            <SettingSelect label=t("training.label_backend") id="train-backend" options=backends
                value=setting(|s| s.backend.name().to_owned())
                pick=|s, v| if let Some(b) = Backend::from_name(v) { s.backend = b } />
            <label>
                {t("training.label_epochs")}
                <input id="train-epochs" type="number" min="1" max=MAX_EPOCHS.to_string()
                    prop:value=move || ex.training.with(|s| s.epochs.to_string())
                    on:change=move |ev| {
                        if let Ok(e) = event_target_value(&ev).trim().parse::<usize>() {
                            ex.state.update(|s| s.training.epochs = e.clamp(1, MAX_EPOCHS));
                        }
                    } />
            </label>
            <label>
                {t("training.label_seed")}
                <input id="train-seed" type="number" min="0"
                    prop:value=move || ex.training.with(|s| s.seed.to_string())
                    on:change=move |ev| {
                        if let Ok(seed) = event_target_value(&ev).trim().parse::<u64>() {
                            ex.state.update(|s| s.training.seed = seed);
                        }
                    } />
            </label>
        </div>
    }
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

/// The decision regions of run `index` with the training points over them;
/// the rare classes' points are drawn larger so they can be seen.
#[component]
fn Regions(
    index: usize,
    views: ReadSignal<Vec<RunView>>,
    task: ReadSignal<Option<ToyTask>>,
) -> impl IntoView {
    let ex = use_explorer();
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    let fit = StoredValue::new_local(CanvasFit::default());
    // Redrawn only when this run's regions change, not on every metrics update.
    let grid = Memo::new(move |_| {
        views
            .with(|v| v.get(index).map(|v| v.grid.clone()))
            .unwrap_or_default()
    });
    // The points do not move while a model trains: they are drawn once (for
    // this task, size and theme) on a transparent canvas laid over the
    // regions, so a refresh of the regions repaints only the regions.
    let points = NodeRef::<leptos::html::Canvas>::new();
    // Sizing a canvas clears it: the regions are drawn again after each sizing.
    let (sized, set_sized) = signal(0u64);
    Effect::new(move |_| {
        let (Some(canvas), Some(points)) = (canvas.get(), points.get()) else {
            return;
        };
        let theme = ex.theme.get();
        let mut sizing = fit.get_value();
        sizing.fit(&canvas, ex.width.get(), (1.0, 1.0), 200.0, 420.0);
        fit.set_value(sizing);
        points.set_width(canvas.width());
        points.set_height(canvas.height());
        task.with(|t| {
            if let Some(t) = t {
                draw_points(&points, t, &theme);
            }
        });
        set_sized.update(|n| *n += 1);
    });
    Effect::new(move |_| {
        sized.track();
        let Some(canvas) = canvas.get() else { return };
        let theme = ex.theme.get();
        let classes = task.with(|t| t.as_ref().map_or(0, |t| t.counts.len()));
        grid.with(|grid| draw_regions(&canvas, grid, classes, theme.background));
    });
    view! {
        <div class="canvas-wrap regions">
            <canvas node_ref=canvas role="img" aria-label=t("training.regions_label") aria-describedby="training-metrics"></canvas>
            <canvas node_ref=points class="points-layer" aria-hidden="true"></canvas>
        </div>
    }
}

/// A canvas's 2D context.
fn context_2d(canvas: &web_sys::HtmlCanvasElement) -> Option<web_sys::CanvasRenderingContext2d> {
    canvas.get_context("2d").ok()??.dyn_into().ok()
}

/// A detached canvas of `width` x `height` device pixels.
fn offscreen_canvas(width: u32, height: u32) -> Option<web_sys::HtmlCanvasElement> {
    let canvas: web_sys::HtmlCanvasElement = dom::window()
        .document()?
        .create_element("canvas")
        .ok()?
        .dyn_into()
        .ok()?;
    canvas.set_width(width);
    canvas.set_height(height);
    Some(canvas)
}

fn css_rgb(c: plotters::style::RGBColor) -> String {
    format!("rgb({},{},{})", c.0, c.1, c.2)
}

/// The training points on the transparent canvas `layer` (cleared first),
/// one path per class, frequent classes first so the rare ones lie on top.
fn draw_points(layer: &web_sys::HtmlCanvasElement, task: &ToyTask, theme: &Theme) {
    let Some(ctx) = context_2d(layer) else {
        return;
    };
    let (points, labels, counts, b) = (
        &task.train.points,
        &task.train.labels,
        &task.counts,
        &task.bounds,
    );
    let (w, h) = (layer.width() as f64, layer.height() as f64);
    ctx.clear_rect(0.0, 0.0, w, h);
    let to_px = |p: &[f32; 2]| {
        (
            (p[0] - b.x_min) as f64 / (b.x_max - b.x_min) as f64 * w,
            (b.y_max - p[1]) as f64 / (b.y_max - b.y_min) as f64 * h,
        )
    };
    let classes = counts.len();
    let mut order: Vec<usize> = (0..classes).collect();
    order.sort_by_key(|&c| std::cmp::Reverse(counts[c]));
    ctx.set_stroke_style_str(&css_rgb(theme.foreground));
    ctx.set_line_width(1.2 * theme.scale);
    for c in order {
        let rare = counts[c] < 20;
        let radius = if rare { 4.5 } else { 2.0 } * theme.scale;
        ctx.set_fill_style_str(&css_rgb(class_colour(c, classes)));
        ctx.begin_path();
        for (p, _) in points.iter().zip(labels).filter(|(_, l)| **l == c) {
            let (x, y) = to_px(p);
            ctx.move_to(x + radius, y);
            let _ = ctx.arc(x, y, radius, 0.0, std::f64::consts::TAU);
        }
        ctx.fill();
        if rare {
            ctx.stroke();
        }
    }
}

/// The decision regions: `grid`, a class per cell, faded towards the background.
fn draw_regions(
    canvas: &web_sys::HtmlCanvasElement,
    grid: &[u8],
    classes: usize,
    bg: plotters::style::RGBColor,
) {
    let Some(ctx) = context_2d(canvas) else {
        return;
    };
    let (w, h) = (canvas.width() as f64, canvas.height() as f64);
    ctx.set_fill_style_str(&css_rgb(bg));
    ctx.fill_rect(0.0, 0.0, w, h);
    if grid.len() == RESOLUTION * RESOLUTION {
        let mut rgba = Vec::with_capacity(grid.len() * 4);
        for &c in grid {
            let col = class_colour(c as usize, classes);
            let mix = |a: u8, b: u8| (0.35 * a as f64 + 0.65 * b as f64) as u8;
            rgba.extend([mix(col.0, bg.0), mix(col.1, bg.1), mix(col.2, bg.2), 255]);
        }
        let image = web_sys::ImageData::new_with_u8_clamped_array_and_sh(
            Clamped(&rgba),
            RESOLUTION as u32,
            RESOLUTION as u32,
        );
        let small = offscreen_canvas(RESOLUTION as u32, RESOLUTION as u32);
        if let (Ok(image), Some(small)) = (image, small)
            && let Some(sctx) = context_2d(&small)
        {
            let _ = sctx.put_image_data(&image, 0.0, 0.0);
            ctx.set_image_smoothing_enabled(false);
            let _ = ctx.draw_image_with_html_canvas_element_and_dw_and_dh(&small, 0.0, 0.0, w, h);
        }
    }
}

/// Fills the grid chart's cell of run `i` with its balanced accuracy.
/// The grid's label of an unweighted run.
fn unweighted(config: &TrainConfig) -> Message {
    Message::new("run.unweighted").with_message("label", config.label_message())
}

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
