//! A list of configurations trained over a few seeds in the worker, one job
//! a seed so that every configuration's runs line up seed by seed: what the
//! leaderboard, the beta sweep and the real-data panel share, with the parts
//! of their views that are alike.

use leptos::either::Either;
use leptos::prelude::*;

use crate::data::toy_data::Redundancy;
use crate::explorer::state::MAX_BOARD_SEEDS;
use crate::explorer::training::TrainingSettings;
use crate::i18n::{Lang, Message, tr_with};
use crate::site::backend::{Gpu, use_gpu};
use crate::site::i18n::{t, use_page};
use crate::site::state::use_explorer;
use crate::site::worker;
use crate::train::config::TrainConfig;
use crate::train::experiments::{RunReport, SeedSummary, summarise};
use crate::worker::protocol::{Command, JobData, JobId, JobSpec, Order, Report, Stop, Watch};

/// Which seed trains, how many runs are done.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Progress {
    pub seed: u64,
    pub seeds: u64,
    pub done: usize,
    pub total: usize,
}

impl Progress {
    /// Whether every run of a press is in.
    pub fn complete(&self) -> bool {
        self.total > 0 && self.done == self.total
    }

    /// "3 of 20 runs finished (seed 1 of 2)", or nothing before a press.
    pub fn text(&self, lang: Lang) -> Option<String> {
        (self.total > 0).then(|| {
            tr_with(
                lang,
                "training.board_done",
                &[
                    ("done", &self.done.to_string()),
                    ("total", &self.total.to_string()),
                    ("seed", &self.seed.to_string()),
                    ("seeds", &self.seeds.to_string()),
                ],
            )
        })
    }
}

/// What a seeded panel trains: its data and runs, over `seeds` seeds.
pub struct Request {
    pub data: JobData,
    /// The training counts (the explorer's, or the images').
    pub counts: Vec<u64>,
    /// The toy task's redundancy dial.
    pub prototypes: Option<Redundancy>,
    pub configs: Vec<TrainConfig>,
    pub seeds: u64,
}

/// What a press of a button trains, fixed then: later edits of the page's
/// settings do not reach the seeds still to come.
#[derive(Clone, Debug)]
struct Plan {
    /// The first seed's job.
    first: JobSpec,
    seeds: u64,
}

impl Plan {
    /// The job of seed `k`: the first seed + k, for the data and every run.
    fn spec(&self, k: u64) -> JobSpec {
        let seed = self.first.seed.wrapping_add(k);
        JobSpec {
            seed,
            configs: self
                .first
                .configs
                .iter()
                .map(|c| TrainConfig { seed, ..*c })
                .collect(),
            ..self.first.clone()
        }
    }
}

/// The state a seeded panel's jobs update.
#[derive(Clone, Copy)]
pub struct SeededRuns {
    gpu: Gpu,
    /// The training panel's settings, which a press trains with.
    settings: Memo<TrainingSettings>,
    job: StoredValue<Option<JobId>>,
    pub running: RwSignal<bool>,
    pub message: RwSignal<Option<Message>>,
    pub notice: RwSignal<Option<Message>>,
    pub progress: RwSignal<Progress>,
    /// Whether the runs train on the GPU (`None` before any report).
    pub on_gpu: RwSignal<Option<bool>>,
    /// `runs[m][k]`: configuration m's finished run on seed k. A slot, not a
    /// list: a worker that restarts reports its finished runs again.
    runs: RwSignal<Vec<Vec<Option<RunReport>>>>,
    /// The predicted class of each test sample of configuration m's run on
    /// the first seed, where the worker sends them (the images).
    predictions: RwSignal<Vec<Option<Vec<u8>>>>,
}

impl SeededRuns {
    /// A panel's runs, on the page's GPU with the training panel's settings.
    pub fn new() -> Self {
        Self {
            gpu: use_gpu(),
            settings: use_explorer().training,
            job: StoredValue::new(None),
            running: RwSignal::new(false),
            message: RwSignal::new(None),
            notice: RwSignal::new(None),
            progress: RwSignal::new(Progress::default()),
            on_gpu: RwSignal::new(None),
            runs: RwSignal::new(Vec::new()),
            predictions: RwSignal::new(Vec::new()),
        }
    }

    /// Configuration `m`'s test predictions on the first seed (tracked).
    pub fn predictions(self, m: usize) -> Option<Vec<u8>> {
        self.predictions.with(|p| p.get(m).cloned().flatten())
    }

    /// Each configuration's finished runs in seed order (tracked). The
    /// first configuration finishes first in every seed, so the lists pair
    /// seed by seed.
    pub fn lists(self) -> Vec<Vec<RunReport>> {
        self.runs.with(|r| {
            r.iter()
                .map(|m| m.iter().flatten().cloned().collect())
                .collect()
        })
    }

    /// Each configuration's finished runs summarised over their seeds, in
    /// the order they were trained; `None` before any (tracked).
    pub fn summaries(self) -> Vec<Option<SeedSummary>> {
        self.lists()
            .iter()
            .map(|r| (!r.is_empty()).then(|| summarise(r)))
            .collect()
    }

    /// The progress of a press once every run of it is in and nothing
    /// trains, or nothing (tracked).
    pub fn finished(self) -> Option<Progress> {
        let p = self.progress.get();
        (!self.running.get() && p.complete()).then_some(p)
    }

    /// Forgets the runs whenever what `task` reads changes: on another task
    /// (other classes, settings or data) they are another task's.
    pub fn clear_on_change<T: PartialEq + 'static>(self, task: impl Fn() -> T + 'static) {
        Effect::new(move |previous: Option<T>| {
            let now = task();
            if previous.is_some_and(|p| p != now) {
                self.clear();
            }
            now
        });
    }

    /// Drops the current job, if any, and stops.
    pub fn stop(self) {
        if let Some(old) = self.job.get_value() {
            worker::send(Command::Drop(old));
        }
        self.job.set_value(None);
        self.running.set(false);
    }

    /// Stops and forgets every run (the page's task changed under them).
    pub fn clear(self) {
        self.stop();
        self.runs.set(Vec::new());
        self.predictions.set(Vec::new());
        self.notice.set(None);
        self.progress.set(Progress::default());
    }

    /// A press of the panel's button: unless runs are training, trains the
    /// request that `request` makes of the training panel's settings.
    pub fn press(self, request: impl FnOnce(&TrainingSettings) -> Request) {
        if self.running.get_untracked() {
            return;
        }
        let settings = self.settings.get_untracked();
        let request = request(&settings);
        self.train(&settings, request);
    }

    /// Trains `request` with the training panel's seed and backend, run
    /// after run (results only), unless its task cannot be made (then the
    /// panel says why and nothing else changes).
    fn train(self, settings: &TrainingSettings, request: Request) {
        self.start(Plan {
            first: JobSpec {
                data: request.data,
                counts: request.counts,
                seed: settings.seed,
                prototypes: request.prototypes,
                configs: request.configs,
                device: self.gpu.device_for(settings.backend),
                order: Order::OneByOne,
                watch: Watch::Results,
                debug: self.gpu.debug(),
            },
            seeds: request.seeds,
        });
    }

    /// Trains `plan` from its first seed (see [`Self::train`]).
    fn start(self, plan: Plan) {
        self.stop();
        if let Err(e) = plan.first.check() {
            self.message.set(Some(
                Message::new("training.cannot_train").with_message("error", e),
            ));
            return;
        }
        let configs = plan.first.configs.len();
        self.message.set(None);
        self.notice.set(None);
        self.runs
            .set(vec![vec![None; plan.seeds as usize]; configs]);
        self.predictions.set(vec![None; configs]);
        self.progress.set(Progress {
            seed: 1,
            seeds: plan.seeds,
            done: 0,
            total: configs * plan.seeds as usize,
        });
        self.running.set(true);
        self.train_seed(plan, 0);
    }

    /// Trains seed `k` of the plan, then the next.
    fn train_seed(self, plan: Plan, k: u64) {
        let spec = plan.spec(k);
        let trained = spec.configs.clone();
        let on_report = move |report: Report| match report {
            Report::Update(id, update) if self.job.get_value() == Some(id) => {
                self.on_gpu.set(Some(update.on_gpu));
                if k == 0 {
                    self.predictions.update(|p| {
                        for run in &update.runs {
                            if let (Some(slot), Some(predicted)) =
                                (p.get_mut(run.index), &run.test_predictions)
                            {
                                *slot = Some(predicted.clone());
                            }
                        }
                    });
                }
                self.runs.update(|r| {
                    for run in update.runs.into_iter().filter(|r| r.finished) {
                        let config = trained[run.index];
                        r[run.index][k as usize] = Some(RunReport {
                            label: config.label(),
                            config,
                            metrics: run.metrics,
                            loss_history: run.history,
                        });
                    }
                });
                let done = self
                    .runs
                    .with_untracked(|r| r.iter().flatten().flatten().count());
                self.progress.update(|p| {
                    p.seed = k + 1;
                    p.done = done;
                });
                match update.stopped {
                    Some(Stop::Finished) => {
                        self.stop();
                        if k + 1 < plan.seeds {
                            self.running.set(true);
                            self.train_seed(plan.clone(), k + 1);
                        }
                    }
                    // Stopped short (a lost GPU with nowhere to go): the notice says why.
                    Some(_) => self.stop(),
                    None => {}
                }
            }
            Report::Notice(id, m) if self.job.get_value() == Some(id) => self.notice.set(Some(m)),
            Report::Failed(id, e) if self.job.get_value() == Some(id) => {
                self.stop();
                self.message.set(Some(
                    Message::new("training.cannot_train").with_message("error", e),
                ));
            }
            _ => {}
        };
        let id = worker::start(self.gpu, spec, on_report);
        self.job.set_value(Some(id));
        worker::send(Command::Play(id));
    }
}

/// The seeds select of a seeded panel (`id`), 1 to [`MAX_BOARD_SEEDS`].
pub fn seeds_select(
    id: &'static str,
    value: impl Fn() -> u64 + Send + Sync + 'static,
    set: impl Fn(u64) + 'static,
) -> impl IntoView {
    // Set only when it changes: setting a select, even to its own value, makes
    // the browser's autofill walk every control of the page (see docs/speed.md).
    let value = Memo::new(move |_| value());
    view! {
        <label>
            {t("training.board_seeds")}
            <select id=id prop:value=move || value.get().to_string()
                on:change=move |ev| {
                    if let Ok(n) = event_target_value(&ev).parse::<u64>() {
                        set(n.clamp(1, MAX_BOARD_SEEDS));
                    }
                }>
                {(1..=MAX_BOARD_SEEDS).map(|n| view! { <option value=n.to_string()>{n}</option> }).collect_view()}
            </select>
        </label>
    }
}

/// A seeded panel's button (`id`, the text of `key`): a press trains the
/// request `request` makes of the training settings (see
/// [`SeededRuns::press`]); disabled while runs train or until `ready`.
pub fn run_button(
    b: SeededRuns,
    id: &'static str,
    key: &'static str,
    ready: impl Fn() -> bool + Send + Sync + 'static,
    request: impl Fn(&TrainingSettings) -> Request + 'static,
) -> impl IntoView {
    let running = b.running;
    view! {
        <button type="button" id=id on:click=move |_| b.press(&request)
            disabled=move || running.get() || !ready()>
            {t(key)}
        </button>
    }
}

/// A seeded panel's progress: a bar (`{prefix}-steps`, labelled by the
/// text of `label_key`) and its words (`{prefix}-progress`, with the runs
/// done, in all and where they train as data attributes).
pub fn progress_view(
    b: SeededRuns,
    prefix: &'static str,
    label_key: &'static str,
) -> impl IntoView {
    let lang = use_page().lang;
    let progress = b.progress;
    view! {
        <progress id=format!("{prefix}-steps") max=move || progress.get().total.max(1).to_string()
            value=move || progress.get().done.to_string() aria-label=t(label_key)></progress>
        <span class="progress-text" id=format!("{prefix}-progress") data-done=move || progress.get().done.to_string()
            data-total=move || progress.get().total.to_string()
            data-backend=move || b.on_gpu.get().map(|g| if g { "webgpu" } else { "cpu" })>
            {move || progress.get().text(lang.get())}
        </span>
    }
}

/// The frame of a panel trained over the seeds the visitor picks (the
/// leaderboard, the sweep): a section of class `class` with its title and
/// hint, its tools (the panel's own, then its progress), its notice and
/// error, its summary and its results (the children). Its ids start with
/// `prefix`; `title`, `hint` and `progress_label` are translation keys.
#[component]
pub fn SeededPanel(
    runs: SeededRuns,
    class: &'static str,
    prefix: &'static str,
    title: &'static str,
    hint: &'static str,
    progress_label: &'static str,
    /// The panel's own tools: the seeds select, the button and what comes before.
    #[prop(into)]
    tools: ViewFn,
    /// What the runs found, in a sentence (`{prefix}-summary`).
    summary: Signal<Option<String>>,
    children: Children,
) -> impl IntoView {
    view! {
        <section class=format!("panel {class}") aria-labelledby=format!("{prefix}-title")>
            <h3 id=format!("{prefix}-title")>{t(title)}</h3>
            <p class="hint">{t(hint)}</p>
            <div class="tools">
                {tools.run()}
                {progress_view(runs, prefix, progress_label)}
            </div>
            {messages_view(runs, prefix)}
            <p id=format!("{prefix}-summary") role="status">{summary}</p>
            {children()}
        </section>
    }
}

/// A seeded panel's notice (`{prefix}-notice`) and error, when there are.
pub fn messages_view(b: SeededRuns, prefix: &'static str) -> impl IntoView {
    let lang = use_page().lang;
    view! {
        {move || b.notice.get().map(|m| view! { <p class="notice" id=format!("{prefix}-notice") role="status">{move || m.in_lang(lang.get())}</p> })}
        {move || b.message.get().map(|m| view! { <p class="error" role="alert">{move || m.in_lang(lang.get())}</p> })}
    }
}

/// A column of [`results_table`]: the translation key of its heading, and
/// whether it holds numbers (class `num`).
pub type Column = (&'static str, bool);

/// A seeded panel's table of results (`id`) in a region that scrolls, its
/// caption (`caption_id`) the text of `caption_key`, a heading a column and
/// the rows that `rows` makes (tracked).
pub fn results_table<V: IntoView + 'static>(
    id: &'static str,
    caption_id: &'static str,
    caption_key: &'static str,
    columns: &[Column],
    rows: impl Fn() -> V + Send + Sync + 'static,
) -> impl IntoView {
    let headings = columns
        .iter()
        .map(|&(key, num)| {
            if num {
                Either::Left(view! { <th scope="col" class="num">{t(key)}</th> })
            } else {
                Either::Right(view! { <th scope="col">{t(key)}</th> })
            }
        })
        .collect_view();
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-labelledby=caption_id>
        <table id=id>
            <caption id=caption_id>{t(caption_key)}</caption>
            <thead>
                <tr>{headings}</tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
        </div>
    }
}
