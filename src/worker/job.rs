//! One job in the worker: its toy task, its runs' engine, and what it has
//! told the page (reports a few times a second, snapshots to restart from).

use super::clock;
use super::engine::Engine;
use super::protocol::{
    Device, JobData, JobId, JobSpec, Measured, Report, RunUpdate, Snapshot, Stop, Update, Watch,
};
use crate::data::dataset::Task;
use crate::data::fashion::{self, FashionAsset};
use crate::gpu::GpuContext;
use crate::i18n::Message;
use crate::train::metrics::{Metrics, metrics};
use crate::train::prediction::{POSTHOC_TAUS, decision_grid, posthoc_curve, predict_run};
use crate::train::progress::TrainState;

/// CPU time one chunk of CPU steps may take: short enough that a pause or
/// a new job is seen at once.
const CHUNK_MS: f64 = 20.0;
/// The live panel hears from its job at most this often.
const REPORT_EVERY_MS: f64 = 50.0;
/// A snapshot goes to the page at least this often while a job trains...
const SNAPSHOT_EVERY_MS: f64 = 250.0;
/// ...and whenever its runs have taken this many steps since the last one
/// (a fast run would otherwise finish between two).
const SNAPSHOT_EVERY_STEPS: usize = 100;

/// Whether a job trains.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Waiting for the page.
    Paused,
    /// Until the end or a pause.
    Playing,
    /// One chunk, then paused.
    Stepping,
}

/// How long the automatic choice times each side.
const MEASURE_MS: f64 = 80.0;

/// Model-steps per second of the job's runs on the CPU and on `ctx`, from a
/// few steps of throwaway copies (about 200 ms in all): the real runs then
/// start fresh, so the choice changes no result.
async fn measure(task: &Task, spec: &JobSpec, ctx: &GpuContext) -> Measured {
    let rate = |steps: usize, ms: f64| steps as f64 * 1000.0 / ms.max(1e-3);
    let cpu = match Engine::new(task, &spec.configs, None, spec.order, None) {
        Ok(mut engine) => {
            let start = clock::now_ms();
            let steps = engine.chunk(MEASURE_MS).await.unwrap_or(0);
            rate(steps, clock::now_ms() - start)
        }
        Err(_) => 0.0,
    };
    let gpu = match Engine::new(task, &spec.configs, Some(ctx), spec.order, None) {
        Ok(mut engine) => {
            // The first submission carries the uploads and warms up: time the next ones.
            let warm = engine.chunk(0.0).await.is_ok();
            let start = clock::now_ms();
            let mut steps = 0;
            while warm && clock::now_ms() - start < MEASURE_MS && !engine.finished() {
                match engine.chunk(0.0).await {
                    Ok(s) => steps += s,
                    Err(_) => {
                        steps = 0;
                        break;
                    }
                }
            }
            rate(steps, clock::now_ms() - start)
        }
        Err(_) => 0.0,
    };
    Measured { cpu, gpu }
}

thread_local! {
    /// The images, fetched once for every job that trains on them.
    static FASHION: std::cell::RefCell<Option<std::rc::Rc<FashionAsset>>> =
        const { std::cell::RefCell::new(None) };
}

/// What `spec`'s runs train on: its toy task, or the images at its
/// imbalance (fetched the first time).
async fn load_task(spec: &JobSpec) -> Result<Task, Message> {
    let imbalance = match spec.data {
        JobData::Toy => return spec.task().map(Task::from),
        JobData::FashionMnistLt { imbalance } => imbalance,
    };
    spec.check()?;
    let asset = match FASHION.with_borrow(Clone::clone) {
        Some(asset) => asset,
        None => {
            let asset = std::rc::Rc::new(super::fetch::fashion_asset().await?);
            FASHION.set(Some(asset.clone()));
            asset
        }
    };
    Ok(Task {
        train: asset
            .train(imbalance)
            .expect("check() tested the imbalance")
            .into_dataset(),
        test: asset.test().into_dataset(),
        counts: fashion::counts_at(imbalance),
        bounds: None,
    })
}

/// A job and its runs.
pub struct Job {
    pub id: JobId,
    spec: JobSpec,
    task: Task,
    engine: Engine,
    pub mode: Mode,
    /// Which run's decision regions the next live report redraws.
    turn: usize,
    /// Which runs' final results were sent ([`Watch::Results`]).
    sent: Vec<bool>,
    reported_at: f64,
    snapshot_at: f64,
    /// Steps done at the last snapshot.
    snapshot_steps: usize,
    measured: Option<Measured>,
}

impl Job {
    /// The job's runs, on `gpu` when the spec asks for it (or, for
    /// [`Device::Auto`], when it measured faster) and there is one, carrying
    /// on from `resume` when given.
    pub async fn start(
        id: JobId,
        spec: JobSpec,
        gpu: Option<&GpuContext>,
        resume: Option<Vec<TrainState>>,
    ) -> Result<Self, Message> {
        let task = load_task(&spec).await?;
        let (gpu, measured) = match (spec.device, gpu) {
            (Device::Gpu, Some(ctx)) => (Some(ctx), None),
            (Device::Auto, Some(ctx)) => {
                let measured = measure(&task, &spec, ctx).await;
                ((measured.gpu > measured.cpu).then_some(ctx), Some(measured))
            }
            _ => (None, None),
        };
        let engine = Engine::new(&task, &spec.configs, gpu, spec.order, resume)?;
        let sent = vec![false; engine.len()];
        Ok(Self {
            id,
            spec,
            task,
            engine,
            mode: Mode::Paused,
            turn: 0,
            sent,
            reported_at: f64::NEG_INFINITY,
            snapshot_at: clock::now_ms(),
            snapshot_steps: 0,
            measured,
        })
    }

    /// Whether the job wants to train.
    pub fn active(&self) -> bool {
        self.mode != Mode::Paused && !self.finished()
    }

    /// Whether every run has taken all its steps.
    pub fn finished(&self) -> bool {
        self.engine.finished()
    }

    /// One chunk of training, then what the page should hear. On a GPU
    /// failure the runs carry on on the CPU, and `lost` is the error.
    pub async fn advance(&mut self, post: &impl Fn(Report)) -> Option<Message> {
        let (done, _) = self.engine.progress();
        if let Some(k) = self.spec.debug.die_after
            && done >= k
        {
            // The page's test of a worker's death (`worker_die_after`).
            wasm_bindgen::throw_str(&format!(
                "the training worker was told to stop after {k} steps (worker_die_after)"
            ));
        }
        if let Some(k) = self.spec.debug.gpu_lose_after
            && self.engine.on_gpu()
            && done >= k
        {
            self.engine.lose_device();
        }
        let mut lost = None;
        if let Err(error) = self.engine.chunk(CHUNK_MS).await {
            let error = error.message();
            post(Report::GpuLost(error.clone()));
            let notice = match self.engine.fall_back(&self.task) {
                Ok(from) => Message::new("training.gpu_fallback")
                    .with_message("error", error.clone())
                    .with("from", from),
                Err(why) => {
                    // Still on the GPU: nothing can train these runs now.
                    self.mode = Mode::Paused;
                    Message::new("training.gpu_failed")
                        .with_message("error", error.clone())
                        .with_message("why", why)
                }
            };
            post(Report::Notice(self.id, notice));
            lost = Some(error);
        }
        let stopped = if self.engine.finished() {
            Some(Stop::Finished)
        } else if self.mode == Mode::Stepping {
            Some(Stop::Stepped)
        } else if self.mode == Mode::Paused {
            Some(Stop::Paused)
        } else {
            None
        };
        if stopped.is_some() {
            self.mode = Mode::Paused;
        }
        let now = clock::now_ms();
        if stopped.is_some() || now - self.reported_at >= REPORT_EVERY_MS {
            self.reported_at = now;
            post(Report::Update(self.id, self.update(stopped)));
        }
        let steps = self.engine.progress().0;
        if stopped.is_some()
            || now - self.snapshot_at >= SNAPSHOT_EVERY_MS
            || steps >= self.snapshot_steps + SNAPSHOT_EVERY_STEPS
        {
            self.snapshot_at = now;
            self.snapshot_steps = steps;
            post(Report::Snapshot(
                self.id,
                Snapshot::of(&self.engine.states()),
            ));
        }
        lost
    }

    /// Run `i`'s predicted class of each test sample, and its metrics.
    fn evaluate(&self, i: usize) -> (Vec<usize>, Metrics) {
        let model = self.engine.model(i);
        let config = self.engine.config(i);
        let predicted = predict_run(&config, &model, self.task.test.matrix(), &self.task.counts);
        let m = metrics(&predicted, &self.task.test.labels, &self.task.counts);
        (predicted, m)
    }

    fn run_update(&self, i: usize, grid: bool) -> RunUpdate {
        let resolution = match self.spec.watch {
            Watch::Live { resolution } => resolution,
            Watch::Results => 0,
        };
        let (predicted, metrics) = self.evaluate(i);
        let finished = self.engine.run_finished(i);
        RunUpdate {
            index: i,
            history: self.engine.history(i),
            metrics,
            // The images' page shows the misclassified ones: their predictions, once.
            test_predictions: (finished && self.task.bounds.is_none())
                .then(|| predicted.iter().map(|&c| c as u8).collect()),
            grid: self
                .task
                .bounds
                .filter(|_| grid && resolution > 0)
                .map(|b| decision_grid(&self.engine.model(i), &b, resolution)),
            finished,
            posthoc: None,
        }
    }

    /// Where the job is: live, every run, with one run's regions in turn
    /// (all of them when it stops or starts); for results, the runs newly
    /// finished.
    pub fn update(&mut self, stopped: Option<Stop>) -> Update {
        let all_grids = stopped.is_some() || self.engine.progress().0 == 0;
        let n = self.engine.len();
        let runs = match self.spec.watch {
            Watch::Live { .. } => {
                self.turn = (self.turn + 1) % n;
                let turn = self.turn;
                (0..n)
                    .map(|i| {
                        let mut run = self.run_update(i, all_grids || i == turn);
                        if stopped.is_some() && self.engine.config(i).is_plain_softmax() {
                            run.posthoc = Some(posthoc_curve(
                                &self.engine.model(i),
                                &self.task.test,
                                &self.task.counts,
                                &POSTHOC_TAUS,
                            ));
                        }
                        run
                    })
                    .collect()
            }
            Watch::Results => {
                let newly: Vec<usize> = (0..n)
                    .filter(|&i| !self.sent[i] && self.engine.run_finished(i))
                    .collect();
                newly
                    .into_iter()
                    .map(|i| {
                        self.sent[i] = true;
                        self.run_update(i, false)
                    })
                    .collect()
            }
        };
        Update {
            progress: self.engine.progress(),
            model_steps: self.engine.model_steps(),
            on_gpu: self.engine.on_gpu(),
            stopped,
            measured: self.measured,
            runs,
        }
    }

    /// The runs' states now.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot::of(&self.engine.states())
    }
}
