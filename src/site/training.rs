//! The training panel: the explorer's class counts, scaled to toy size, train
//! a small MLP with softmax, class-balanced softmax and class-balanced focal
//! loss side by side, on the CPU, a few steps per animation frame so the page
//! keeps answering. Decision regions, test metrics and loss curves update live.

use leptos::prelude::*;
use wasm_bindgen::{Clamped, JsCast};

use super::dom;
use super::editor::CanvasFit;
use super::figures::ChartCanvas;
use super::state::use_explorer;
use crate::charts::Theme;
use crate::charts::figure::Figure;
use crate::charts::grid::GridChart;
use crate::charts::training::{ClassAccuracyChart, ConfusionChart, LossCurvesChart, class_colour};
use crate::experiments::{PAPER_BETAS, PAPER_GAMMAS, paper_grid};
use crate::export::decimal;
use crate::losses::LossKind;
use crate::metrics::Metrics;
use crate::toy_data::{ToyConfig, ToyTask, make_toy_task, scale_counts};
use crate::trainer::{CpuTrainer, TrainConfig, decision_grid};
use crate::weights::SchemeKind;

/// The largest class of the toy task, after scaling the explorer's counts.
const TOY_MAX: u64 = 500;
/// Download names of the three runs' confusion matrices.
const CONFUSION_NAMES: [&str; 3] = [
    "confusion-softmax",
    "confusion-cb-softmax",
    "confusion-cb-focal",
];
/// Steps each run takes per animation frame.
const STEPS_PER_FRAME: usize = 8;
/// Cells per side of the decision-region grid.
const RESOLUTION: usize = 96;

/// The toy task from the explorer's counts (scaled to [`TOY_MAX`]) and a
/// trainer for each configuration, all on the same data and start.
fn toy_runs(
    counts: &[u64],
    seed: u64,
    configs: &[TrainConfig],
) -> Result<(ToyTask, Vec<CpuTrainer>), String> {
    let toy = ToyConfig {
        seed,
        ..ToyConfig::default()
    };
    let task = make_toy_task(&scale_counts(counts, TOY_MAX), &toy).map_err(|e| e.to_string())?;
    let trainers = configs
        .iter()
        .map(|c| CpuTrainer::new(&task.train, &task.counts, c).map_err(|e| e.to_string()))
        .collect::<Result<_, _>>()?;
    Ok((task, trainers))
}

/// What is being trained.
struct Session {
    task: ToyTask,
    trainers: Vec<CpuTrainer>,
}

impl Session {
    fn new(
        counts: &[u64],
        beta: f64,
        gamma: f64,
        epochs: usize,
        seed: u64,
    ) -> Result<Self, String> {
        let base = TrainConfig {
            beta,
            gamma,
            epochs,
            seed,
            ..TrainConfig::default()
        };
        let configs = [
            TrainConfig {
                loss: LossKind::Softmax,
                scheme: SchemeKind::None,
                ..base
            },
            TrainConfig {
                loss: LossKind::Softmax,
                scheme: SchemeKind::Cb,
                ..base
            },
            TrainConfig {
                loss: LossKind::Focal,
                scheme: SchemeKind::Cb,
                ..base
            },
        ];
        let (task, trainers) = toy_runs(counts, seed, &configs)?;
        Ok(Self { task, trainers })
    }

    fn finished(&self) -> bool {
        self.trainers.iter().all(CpuTrainer::finished)
    }

    fn progress(&self) -> (usize, usize) {
        let t = &self.trainers[0];
        (t.steps(), t.total_steps())
    }

    /// One frame's work; whether the runs are done.
    fn chunk(&mut self) -> bool {
        for t in &mut self.trainers {
            t.step(STEPS_PER_FRAME);
        }
        self.finished()
    }

    fn views(&self, with_grid: bool, previous: &[RunView]) -> Vec<RunView> {
        self.trainers
            .iter()
            .enumerate()
            .map(|(i, t)| RunView {
                label: t.config().label(),
                metrics: t.evaluate(&self.task.test, &self.task.counts),
                history: t.history().to_vec(),
                grid: if with_grid {
                    decision_grid(t.model(), &self.task, RESOLUTION)
                } else {
                    previous.get(i).map(|v| v.grid.clone()).unwrap_or_default()
                },
            })
            .collect()
    }
}

/// One run as the page shows it.
#[derive(Clone, Debug, PartialEq)]
struct RunView {
    label: String,
    metrics: Metrics,
    history: Vec<f32>,
    grid: Vec<u8>,
}

fn percent(x: Option<f64>) -> String {
    x.map_or("-".to_owned(), |v| format!("{:.1} %", 100.0 * v))
}

/// The training panel.
#[component]
pub fn TrainingPanel() -> impl IntoView {
    let ex = use_explorer();
    let session = StoredValue::new_local(None::<Session>);
    let (views, set_views) = signal(Vec::<RunView>::new());
    let (progress, set_progress) = signal((0usize, 0usize));
    let (running, set_running) = signal(false);
    let (message, set_message) = signal(None::<String>);
    let (epochs, set_epochs) = signal(60usize);
    let (seed, set_seed) = signal(0u64);
    let (task_view, set_task_view) = signal(None::<ToyTask>);

    let refresh = move |with_grid: bool| {
        session.with_value(|s| {
            if let Some(s) = s {
                set_progress.set(s.progress());
                let previous = views.get_untracked();
                set_views.set(s.views(with_grid, &previous));
            }
        });
    };
    let reset = move || {
        set_running.set(false);
        let built = Session::new(
            &ex.counts.get_untracked(),
            ex.beta.get_untracked().value(),
            ex.gamma.get_untracked(),
            epochs.get_untracked(),
            seed.get_untracked(),
        );
        match built {
            Ok(s) => {
                set_task_view.set(Some(s.task.clone()));
                session.set_value(Some(s));
                set_message.set(None);
                refresh(true);
            }
            Err(e) => {
                session.set_value(None);
                set_views.set(Vec::new());
                set_message.set(Some(format!("Cannot train on these classes: {e}.")));
            }
        }
    };
    let play = move |_| {
        if session.with_value(|s| s.as_ref().is_none_or(Session::finished)) {
            reset();
        }
        if session.with_value(Option::is_none) || running.get_untracked() {
            return;
        }
        set_running.set(true);
        leptos::task::spawn_local(async move {
            let mut frame = 0usize;
            while running.get_untracked() {
                let done = session
                    .try_update_value(|s| s.as_mut().is_none_or(Session::chunk))
                    .unwrap_or(true);
                frame += 1;
                refresh(done || frame.is_multiple_of(6));
                if done {
                    set_running.set(false);
                    break;
                }
                dom::next_frame().await;
            }
        });
    };
    let step = move |_| {
        if session.with_value(Option::is_none) {
            reset();
        }
        set_running.set(false);
        session.update_value(|s| {
            if let Some(s) = s {
                s.chunk();
            }
        });
        refresh(true);
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
    let loss_figure = Memo::new(move |_| {
        Figure::LossCurves(LossCurvesChart {
            runs: views
                .get()
                .into_iter()
                .map(|v| (v.label, v.history))
                .collect(),
            epochs: epochs.get(),
        })
    });

    view! {
        <section class="panel training" aria-labelledby="training-title">
            <h2 id="training-title">"6. Watch it train"</h2>
            <p class="hint">
                "Your classes, scaled so the largest has 500 samples, become a toy task: Gaussian blobs \
                 on a ring, rare classes between frequent ones, tested on 200 points per class. Three \
                 small networks (2 hidden layers of 32) learn it with the same data and start: softmax, \
                 class-balanced softmax and class-balanced focal loss at your beta and gamma."
            </p>
            <p class="badge" id="backend-badge">"Runs on the CPU (WebAssembly). A WebGPU trainer is planned."</p>
            <div class="tools">
                <button type="button" id="train-play" on:click=play disabled=move || running.get()>"Train"</button>
                <button type="button" id="train-pause" on:click=move |_| set_running.set(false) disabled=move || !running.get()>"Pause"</button>
                <button type="button" id="train-step" on:click=step>"Step"</button>
                <button type="button" id="train-reset" on:click=move |_| reset()>"Reset"</button>
                <label>
                    "epochs"
                    <input type="number" min="1" max="1000" prop:value=move || epochs.get().to_string()
                        on:change=move |ev| {
                            if let Ok(e) = event_target_value(&ev).parse::<usize>() {
                                set_epochs.set(e.clamp(1, 1000));
                            }
                        } />
                </label>
                <label>
                    "seed"
                    <input type="number" min="0" prop:value=move || seed.get().to_string()
                        on:change=move |ev| {
                            if let Ok(s) = event_target_value(&ev).parse::<u64>() {
                                set_seed.set(s);
                            }
                        } />
                </label>
            </div>
            <progress id="train-progress" max=move || progress.get().1.max(1).to_string() value=move || progress.get().0.to_string()
                aria-label="training progress"></progress>
            <span class="progress-text">{move || {
                let (done, total) = progress.get();
                if total == 0 {
                    "Press Train to start.".to_owned()
                } else {
                    format!("{done} of {total} steps")
                }
            }}</span>
            {move || message.get().map(|m| view! { <p class="error" role="alert">{m}</p> })}
            <div class="runs">
                {move || views.get().into_iter().enumerate().map(|(i, v)| view! {
                    <figure class="run">
                        <Regions index=i views=views task=task_view />
                        <figcaption>{v.label.clone()}</figcaption>
                    </figure>
                }).collect_view()}
            </div>
            <div class="table-scroll">
            <table id="training-metrics">
                <caption>"Accuracy on the balanced test set (many-shot: more than 100 training samples, medium: 20 to 100, few: fewer than 20)"</caption>
                <thead>
                    <tr>
                        <th scope="col">"loss"</th>
                        <th scope="col">"balanced"</th>
                        <th scope="col">"many-shot"</th>
                        <th scope="col">"medium-shot"</th>
                        <th scope="col">"few-shot"</th>
                    </tr>
                </thead>
                <tbody>
                    {move || views.get().into_iter().map(|v| view! {
                        <tr
                            data-label=v.label.clone()
                            data-balanced=decimal(v.metrics.balanced_accuracy)
                            data-first-loss=v.history.first().map(|l| decimal(*l as f64)).unwrap_or_default()
                        >
                            <td>{v.label.clone()}</td>
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
                                    label: v.get(i).map_or(String::new(), |v| v.label.clone()),
                                    counts: v.get(i).map_or(Vec::new(), |v| v.metrics.confusion.clone()),
                                })
                            })
                        });
                        view! {
                            <ChartCanvas figure=figure name=name
                                caption="Confusion matrix on the test set, rows normalised: row = true class, column = predicted; the diagonal is what is right." />
                        }
                    })
                    .collect_view()}
            </div>
            <div class="figure-grid">
                <ChartCanvas figure=accuracy_figure name="per-class-accuracy"
                    caption="Test accuracy of each class, from the most to the least frequent: the tail is where the weighting shows." />
                <ChartCanvas figure=loss_figure name="training-loss" caption="Mean training loss per epoch of each run." />
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
    Effect::new(move |_| {
        let Some(canvas) = canvas.get() else { return };
        let theme = ex.theme.get();
        let grid = views
            .with(|v| v.get(index).map(|v| v.grid.clone()))
            .unwrap_or_default();
        task.with(|t| {
            let Some(t) = t else {
                return;
            };
            let mut sizing = fit.get_value();
            sizing.fit(&canvas, ex.width.get(), 1.0, 200.0, 420.0);
            fit.set_value(sizing);
            draw_regions(&canvas, &grid, t, &theme);
        });
    });
    view! {
        <div class="canvas-wrap">
            <canvas node_ref=canvas role="img" aria-label="decision regions and training points" aria-describedby="training-metrics"></canvas>
        </div>
    }
}

fn draw_regions(canvas: &web_sys::HtmlCanvasElement, grid: &[u8], task: &ToyTask, theme: &Theme) {
    let (points, labels, counts, b) = (
        &task.train.points,
        &task.train.labels,
        &task.counts,
        &task.bounds,
    );
    let Ok(Some(ctx)) = canvas.get_context("2d") else {
        return;
    };
    let Ok(ctx) = ctx.dyn_into::<web_sys::CanvasRenderingContext2d>() else {
        return;
    };
    let (w, h) = (canvas.width() as f64, canvas.height() as f64);
    let bg = theme.background;
    ctx.set_fill_style_str(&format!("rgb({},{},{})", bg.0, bg.1, bg.2));
    ctx.fill_rect(0.0, 0.0, w, h);
    let classes = counts.len();
    if grid.len() == RESOLUTION * RESOLUTION {
        // Each cell: its class colour, faded towards the background.
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
        let small = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.create_element("canvas").ok())
            .and_then(|c| c.dyn_into::<web_sys::HtmlCanvasElement>().ok());
        if let (Ok(image), Some(small)) = (image, small) {
            small.set_width(RESOLUTION as u32);
            small.set_height(RESOLUTION as u32);
            if let Ok(Some(sctx)) = small.get_context("2d")
                && let Ok(sctx) = sctx.dyn_into::<web_sys::CanvasRenderingContext2d>()
            {
                let _ = sctx.put_image_data(&image, 0.0, 0.0);
                ctx.set_image_smoothing_enabled(false);
                let _ =
                    ctx.draw_image_with_html_canvas_element_and_dw_and_dh(&small, 0.0, 0.0, w, h);
            }
        }
    }
    let scale = theme.scale;
    let to_px = |p: &[f32; 2]| {
        (
            (p[0] - b.x_min) as f64 / (b.x_max - b.x_min) as f64 * w,
            (b.y_max - p[1]) as f64 / (b.y_max - b.y_min) as f64 * h,
        )
    };
    let fg = theme.foreground;
    ctx.set_stroke_style_str(&format!("rgb({},{},{})", fg.0, fg.1, fg.2));
    // Frequent classes first, so the rare ones are drawn on top.
    let mut order: Vec<usize> = (0..points.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(counts[labels[i]]));
    for i in order {
        let (x, y) = to_px(&points[i]);
        let c = labels[i];
        let col = class_colour(c, classes);
        let rare = counts[c] < 20;
        let radius = if rare { 4.5 } else { 2.0 } * scale;
        ctx.set_fill_style_str(&format!("rgb({},{},{})", col.0, col.1, col.2));
        ctx.begin_path();
        let _ = ctx.arc(x, y, radius, 0.0, std::f64::consts::TAU);
        ctx.fill();
        if rare {
            ctx.set_line_width(1.2 * scale);
            ctx.stroke();
        }
    }
}

/// Steps each grid run takes per animation frame (25 runs share a frame).
const GRID_STEPS_PER_FRAME: usize = 4;

/// The paper's grid, training together.
struct GridSession {
    task: ToyTask,
    trainers: Vec<CpuTrainer>,
    chart: GridChart,
}

impl GridSession {
    fn new(counts: &[u64], epochs: usize, seed: u64) -> Result<Self, String> {
        let base = TrainConfig {
            epochs,
            seed,
            ..TrainConfig::default()
        };
        let (task, trainers) = toy_runs(counts, seed, &paper_grid(&base))?;
        let baselines = trainers
            .iter()
            .filter(|t| t.config().scheme == SchemeKind::None)
            .map(|t| (format!("unweighted {}", t.config().label()), None))
            .collect();
        Ok(Self {
            task,
            trainers,
            chart: GridChart {
                baselines,
                ..GridChart::default()
            },
        })
    }

    /// One frame's work; whether every run is done. Finished runs fill their cell.
    fn chunk(&mut self) -> bool {
        for t in self.trainers.iter_mut().filter(|t| !t.finished()) {
            t.step(GRID_STEPS_PER_FRAME);
            if t.finished() {
                let accuracy = Some(
                    t.evaluate(&self.task.test, &self.task.counts)
                        .balanced_accuracy,
                );
                let c = t.config();
                let b = PAPER_BETAS.iter().position(|&b| b == c.beta);
                let g = PAPER_GAMMAS.iter().position(|&g| g == c.gamma);
                match (c.scheme, c.loss, b, g) {
                    (SchemeKind::Cb, LossKind::Softmax, Some(b), _) => {
                        self.chart.softmax[b] = accuracy
                    }
                    (SchemeKind::Cb, LossKind::Sigmoid, Some(b), _) => {
                        self.chart.sigmoid[b] = accuracy
                    }
                    (SchemeKind::Cb, LossKind::Focal, Some(b), Some(g)) => {
                        self.chart.focal[b][g] = accuracy
                    }
                    _ => {
                        let label = format!("unweighted {}", c.label());
                        if let Some(cell) =
                            self.chart.baselines.iter_mut().find(|(l, _)| *l == label)
                        {
                            cell.1 = accuracy;
                        }
                    }
                }
            }
        }
        self.trainers.iter().all(CpuTrainer::finished)
    }

    fn done(&self) -> usize {
        self.trainers.iter().filter(|t| t.finished()).count()
    }
}

/// The paper's grid at toy scale, trained in the page.
#[component]
pub fn GridPanel() -> impl IntoView {
    let ex = use_explorer();
    let session = StoredValue::new_local(None::<GridSession>);
    let (chart, set_chart) = signal(GridChart::default());
    let (done, set_done) = signal((0usize, 0usize));
    let (running, set_running) = signal(false);
    let (message, set_message) = signal(None::<String>);
    let run = move |_| {
        if running.get_untracked() {
            return;
        }
        match GridSession::new(&ex.counts.get_untracked(), 60, 0) {
            Ok(s) => {
                set_chart.set(s.chart.clone());
                set_done.set((0, s.trainers.len()));
                session.set_value(Some(s));
                set_message.set(None);
            }
            Err(e) => {
                set_message.set(Some(format!("Cannot train on these classes: {e}.")));
                return;
            }
        }
        set_running.set(true);
        leptos::task::spawn_local(async move {
            loop {
                let finished = session
                    .try_update_value(|s| s.as_mut().is_none_or(GridSession::chunk))
                    .unwrap_or(true);
                session.with_value(|s| {
                    if let Some(s) = s {
                        set_done.set((s.done(), s.trainers.len()));
                        if chart.with_untracked(|c| *c != s.chart) {
                            set_chart.set(s.chart.clone());
                        }
                    }
                });
                if finished {
                    set_running.set(false);
                    break;
                }
                dom::next_frame().await;
            }
        });
    };
    let figure = Memo::new(move |_| Figure::Grid(Box::new(chart.get())));
    view! {
        <section class="panel grid-panel" aria-labelledby="grid-title">
            <h2 id="grid-title">"7. The paper's grid"</h2>
            <p class="hint">
                "The paper searched loss x beta x gamma. Here the same grid (class-balanced softmax and \
                 sigmoid at beta 0.9, 0.99, 0.999, 0.9999; focal also at gamma 0.5, 1, 2) and the five \
                 unweighted runs train on the toy task from your classes, 60 epochs each, seed 0; cells \
                 fill in as runs finish and the best is marked."
            </p>
            <div class="tools">
                <button type="button" id="grid-run" on:click=run disabled=move || running.get()>"Train the grid (25 runs)"</button>
                <span class="progress-text" id="grid-progress">{move || {
                    let (d, t) = done.get();
                    if t == 0 { String::new() } else { format!("{d} of {t} runs finished") }
                }}</span>
            </div>
            {move || message.get().map(|m| view! { <p class="error" role="alert">{m}</p> })}
            <ChartCanvas figure=figure name="paper-grid" caption="Balanced test accuracy (%) of every run of the grid; darker is better." />
        </section>
    }
}
