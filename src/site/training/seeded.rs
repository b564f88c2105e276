//! A list of configurations trained over a few seeds in the worker, one job
//! a seed so that every configuration's runs line up seed by seed: what the
//! leaderboard and the beta sweep share.

use leptos::prelude::*;

use crate::data::toy_data::Redundancy;
use crate::explorer::state::MAX_BOARD_SEEDS;
use crate::explorer::training::TrainingSettings;
use crate::i18n::{Lang, Message, tr_with};
use crate::site::backend::Gpu;
use crate::site::i18n::{t, use_page};
use crate::site::worker;
use crate::train::config::TrainConfig;
use crate::train::experiments::RunReport;
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
    pub fn new(gpu: Gpu) -> Self {
        Self {
            gpu,
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

    /// Trains `request` with the training panel's seed and backend, run
    /// after run (results only), unless its task cannot be made (then the
    /// panel says why and nothing else changes).
    pub fn train(self, settings: &TrainingSettings, request: Request) {
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
    view! {
        <label>
            {t("training.board_seeds")}
            <select id=id prop:value=move || value().to_string()
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

/// A seeded panel's notice (`{prefix}-notice`) and error, when there are.
pub fn messages_view(b: SeededRuns, prefix: &'static str) -> impl IntoView {
    let lang = use_page().lang;
    view! {
        {move || b.notice.get().map(|m| view! { <p class="notice" id=format!("{prefix}-notice") role="status">{move || m.in_lang(lang.get())}</p> })}
        {move || b.message.get().map(|m| view! { <p class="error" role="alert">{move || m.in_lang(lang.get())}</p> })}
    }
}
