//! What the page and its training worker say to each other: one enum each
//! way, serialised with postcard and posted as bytes. Nothing else crosses.

use serde::{Deserialize, Serialize};

use crate::data::fashion;
use crate::data::multi_label_toy::MultiLabelToyConfig;
use crate::data::toy_data::{Redundancy, ToyConfig, ToyTask, make_toy_task, scale_counts};
use crate::gpu::AdapterSummary;
use crate::i18n::Message;
use crate::train::config::TrainConfig;
use crate::train::metrics::Metrics;
use crate::train::multi_label_trainer::{MultiLabelConfig, MultiLabelMethod};
use crate::train::progress::TrainState;
use crate::train::ranking::MultiLabelMetrics;

/// A job's number, chosen by the page: a reset starts a new job, so reports
/// of an older one are recognised and dropped.
pub type JobId = u32;

/// Where a job's runs train.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Device {
    /// One CPU trainer per run (WebAssembly, SIMD).
    Cpu,
    /// Every run in one GPU trainer (WebGPU), when the worker has a device.
    Gpu,
    /// The faster of the two for these runs, timed on a few steps of each.
    Auto,
}

/// What [`Device::Auto`] measured: model-steps per second of the job's runs
/// on each side (0 where one could not train).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Measured {
    /// On the CPU (WebAssembly).
    pub cpu: f64,
    /// On WebGPU.
    pub gpu: f64,
}

/// How runs on the CPU share the time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Order {
    /// Every run takes a step in turn: they move together (the panel's
    /// side-by-side curves).
    Together,
    /// Each run trains to its end before the next starts, so results come in
    /// one by one (the grid's heatmap fills as runs finish). The GPU trains
    /// all runs in the same dispatches, so there they still move together.
    OneByOne,
}

/// What the page wants to see of a job while it trains.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Watch {
    /// Every run's loss history and metrics, and one run's decision regions
    /// in turn, a few times a second (the live panel).
    Live {
        /// The decision-region grid's side, in cells.
        resolution: usize,
    },
    /// A run's metrics once, when it finishes (the grid of the paper's runs).
    Results,
}

/// What a job's runs train on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub enum JobData {
    /// The toy task made from the explorer's counts.
    #[default]
    Toy,
    /// Fashion-MNIST-LT at this imbalance (10 to 200), which the worker
    /// fetches ([`FASHION_ASSET_URL`]); the counts are then the images'.
    FashionMnistLt {
        /// The imbalance factor rho.
        imbalance: f64,
    },
}

/// Where the site serves the Fashion-MNIST-LT asset (index.html copies `assets/data`).
pub const FASHION_ASSET_URL: &str = "data/fashion-mnist-lt.bin";

/// A job: its data (the toy task made from the explorer's counts, or the
/// images), and the runs on it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JobSpec {
    /// What the runs train on.
    pub data: JobData,
    /// The explorer's class counts (scaled to the toy task's size there).
    pub counts: Vec<u64>,
    /// The toy task's seed.
    pub seed: u64,
    /// The toy task's redundancy dial (see [`ToyConfig::prototypes`]).
    pub prototypes: Option<Redundancy>,
    /// One configuration per run.
    pub configs: Vec<TrainConfig>,
    /// Where to train.
    pub device: Device,
    /// How CPU runs share the time.
    pub order: Order,
    /// What to report.
    pub watch: Watch,
    /// Debugging aids from the page's URL.
    pub debug: Debug,
}

/// The largest class of the toy task, after scaling the explorer's counts.
pub const TOY_MAX: u64 = 500;

impl JobSpec {
    /// Why the job cannot train, before any data is fetched: its toy task
    /// cannot be made, or its imbalance is out of range.
    pub fn check(&self) -> Result<(), Message> {
        match self.data {
            JobData::Toy => self.task().map(|_| ()),
            JobData::FashionMnistLt { imbalance } if fashion::IMBALANCES.contains(&imbalance) => {
                Ok(())
            }
            JobData::FashionMnistLt { imbalance } => Err(Message::new("error.fashion.imbalance")
                .with("got", imbalance)
                .with("min", fashion::IMBALANCES.start())
                .with("max", fashion::IMBALANCES.end())),
        }
    }

    /// The toy task the job trains on (the page makes the same one to draw it).
    pub fn task(&self) -> Result<ToyTask, Message> {
        let toy = ToyConfig {
            seed: self.seed,
            prototypes: self.prototypes,
            ..ToyConfig::default()
        };
        make_toy_task(&scale_counts(&self.counts, TOY_MAX), &toy).map_err(|e| e.message())
    }
}

/// The URL's debugging aids, passed on to the worker.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Debug {
    /// `gpu_lose_after=k`: destroy the GPU device once the runs have taken k steps.
    pub gpu_lose_after: Option<usize>,
    /// `worker_die_after=k`: the worker throws once a run has taken k steps.
    pub die_after: Option<usize>,
}

/// From the page to the worker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Command {
    /// Build a job's runs (from `resume`, a snapshot of the same runs, when
    /// given); it waits for [`Command::Play`] or [`Command::Step`].
    Start {
        /// The job.
        job: JobId,
        /// Its task and runs.
        spec: JobSpec,
        /// Where to carry on from.
        resume: Option<Snapshot>,
    },
    /// Train until the end or a pause.
    Play(JobId),
    /// Stop training after the current chunk (the runs stay).
    Pause(JobId),
    /// Train one chunk, then pause.
    Step(JobId),
    /// Forget the job.
    Drop(JobId),
    /// Compile the GPU kernels now, ahead of the first GPU run.
    PrepareGpu,
    /// Train the multi-label task with each method of the spec, on the CPU
    /// one after the other (reporting after each run) or on the GPU all at
    /// once (reporting when they end) ([`Report::MultiLabel`]); a newer
    /// request replaces an older one.
    TrainMultiLabel(MultiLabelSpec),
    /// Time the benchmark model ([`crate::train::benchmark`]) at `batch` on
    /// `device` for `millis`, without drawing (`benches/browser_training.mjs`).
    Bench {
        /// [`Device::Cpu`] or [`Device::Gpu`].
        device: Device,
        /// Samples a step.
        batch: usize,
        /// How long to time it.
        millis: f64,
        /// The multi-label model instead (CB sigmoid on multi-hot targets).
        multi_label: bool,
    },
}

/// A multi-label comparison: the toy task's shape and the runs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MultiLabelSpec {
    /// The request's number (a newer one makes older reports stale).
    pub request: u32,
    /// What it trains on.
    pub source: MultiLabelSource,
    /// Classes of the multi-label toy task.
    pub classes: usize,
    /// Its imbalance.
    pub imbalance: f64,
    /// Every run's settings but its method.
    pub settings: MultiLabelConfig,
    /// The methods, in order.
    pub methods: Vec<MultiLabelMethod>,
    /// Cells a side of each run's label grid (the regions drawn).
    pub resolution: usize,
    /// Where the runs train: the CPU one after the other, or WebGPU all at once.
    pub device: Device,
    /// The URL's debugging aids (`gpu_lose_after`).
    pub debug: Debug,
}

/// What a multi-label comparison trains on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum MultiLabelSource {
    /// The multi-label toy task (`cblab train --data multi-label-toy`).
    #[default]
    Toy,
    /// Fashion-MNIST mosaics from the asset (`--data fashion-mosaics`).
    Mosaics,
}

/// Test mosaics the page shows with their labels and each run's predictions.
pub const SHOWN_MOSAICS: usize = 8;

/// A test mosaic as the page draws it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShownMosaic {
    /// Its grey pixels, 0 to 255, row after row (56 x 56).
    pub pixels: serde_bytes::ByteBuf,
    /// Its classes.
    pub classes: Vec<usize>,
}

impl MultiLabelSpec {
    /// The toy task it trains on (the default task but its classes and imbalance).
    pub fn toy(&self) -> MultiLabelToyConfig {
        MultiLabelToyConfig {
            classes: self.classes,
            imbalance: self.imbalance,
            ..MultiLabelToyConfig::default()
        }
    }
}

/// What a multi-label comparison has so far.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MultiLabelReport {
    /// The request it answers.
    pub request: u32,
    /// The training set's positives per class.
    pub positives: Vec<u64>,
    /// The finished runs' test metrics, in the spec's order.
    pub runs: Vec<MultiLabelMetrics>,
    /// Each finished run's label grid over the toy task's square
    /// ([`crate::train::multi_label_trainer::label_grid`]); none for mosaics.
    pub regions: Vec<Vec<u32>>,
    /// For mosaics, the first test mosaics ([`SHOWN_MOSAICS`]).
    pub mosaics: Vec<ShownMosaic>,
    /// For mosaics, each finished run's predicted classes (probability at
    /// least 0.5) of each shown mosaic.
    pub predicted: Vec<Vec<Vec<usize>>>,
    /// How many runs the comparison has.
    pub total: usize,
    /// Milliseconds the finished runs took.
    pub millis: f64,
    /// Where they train (the CPU or the GPU, once chosen).
    pub device: Device,
    /// What [`Device::Auto`] measured, when it chose.
    pub measured: Option<Measured>,
    /// Why the runs left the GPU for the CPU, if they did.
    pub fallback: Option<Message>,
    /// While they train on the GPU: steps done, of all.
    pub gpu_steps: Option<(usize, usize)>,
}

/// What a [`Command::Bench`] measured.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct BenchResult {
    /// Training samples per second (steps x batch / seconds).
    pub samples_per_s: f64,
    /// Steps timed.
    pub steps: usize,
}

/// What the worker found for WebGPU.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum GpuProbe {
    /// An adapter and its device are ready.
    Ready(AdapterSummary),
    /// The browser gave none (the reason).
    Unavailable(String),
}

/// One run's news in an [`Update`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunUpdate {
    /// The run's index in the job's configurations.
    pub index: usize,
    /// Mean training loss of each finished epoch.
    pub history: Vec<f32>,
    /// Test metrics now.
    pub metrics: Metrics,
    /// The predicted class of each test sample, once the run has finished,
    /// for data without decision regions (the images).
    pub test_predictions: Option<Vec<u8>>,
    /// The predicted class of each decision-region cell, row by row, when
    /// this update redraws the run's regions.
    pub grid: Option<Vec<u8>>,
    /// Whether the run has taken all its steps.
    pub finished: bool,
    /// For a plain softmax run, once it stops: its balanced test accuracy
    /// re-scored with post-hoc adjustment at each of
    /// [`crate::train::prediction::POSTHOC_TAUS`] (the tau slider's curve).
    pub posthoc: Option<Vec<f64>>,
}

/// Why a job stopped training.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Stop {
    /// It took the one chunk of a [`Command::Step`].
    Stepped,
    /// The page paused it, or nothing can train it any more (a notice says why).
    Paused,
    /// Every run has taken all its steps.
    Finished,
}

/// Where a job is, and what changed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Update {
    /// (steps done, steps in all) of the run furthest behind.
    pub progress: (usize, usize),
    /// (steps done, steps in all), summed over the runs.
    pub model_steps: (usize, usize),
    /// Whether the runs are on the GPU.
    pub on_gpu: bool,
    /// Why the job stopped training with this update, if it did.
    pub stopped: Option<Stop>,
    /// What the automatic choice of device measured, if it chose.
    pub measured: Option<Measured>,
    /// Runs with news.
    pub runs: Vec<RunUpdate>,
}

/// From the worker to the page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Report {
    /// The worker's wasm is running; WebGPU was probed.
    Ready(GpuProbe),
    /// The GPU kernels are compiled.
    KernelsReady,
    /// A job's runs trained or were built.
    Update(JobId, Update),
    /// Every run's state, to restart from if the worker dies.
    Snapshot(JobId, Snapshot),
    /// Something the page should say about a job (a GPU fallback).
    Notice(JobId, Message),
    /// The GPU device is gone (why): later jobs train on the CPU.
    GpuLost(Message),
    /// The job cannot train (why).
    Failed(JobId, Message),
    /// A benchmark's figure, or why it could not run.
    Bench(Result<BenchResult, Message>),
    /// A multi-label comparison's progress, or why it cannot train.
    /// (The error is the core's, in English: the panel words it.)
    MultiLabel(Result<MultiLabelReport, String>),
}

/// Every run's state, encoded by the worker: the page keeps it and sends it
/// back after a restart, without decoding it (which keeps the states'
/// decoder out of the page's wasm).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// Steps the first run has taken (what the page tells the reader).
    pub steps: usize,
    bytes: serde_bytes::ByteBuf,
}

impl Snapshot {
    /// The snapshot of `states`, one per run.
    pub fn of(states: &[TrainState]) -> Self {
        Self {
            steps: states.first().map_or(0, |s| s.progress.steps()),
            bytes: serde_bytes::ByteBuf::from(encode(&states)),
        }
    }

    /// The runs' states.
    pub fn states(&self) -> Result<Vec<TrainState>, DecodeError> {
        decode(&self.bytes)
    }
}

/// Why bytes are not a message.
#[derive(Clone, Debug, PartialEq)]
pub struct DecodeError(pub String);

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "a message between the page and its worker is damaged: {}",
            self.0
        )
    }
}

/// The bytes of a message.
pub fn encode<T: Serialize>(message: &T) -> Vec<u8> {
    postcard::to_allocvec(message).expect("the protocol's types always serialise")
}

/// The message in `bytes`.
pub fn decode<T: for<'de> Deserialize<'de>>(bytes: &[u8]) -> Result<T, DecodeError> {
    postcard::from_bytes(bytes).map_err(|e| DecodeError(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::explorer::training::TrainingSettings;
    use crate::train::trainer::CpuTrainer;

    fn spec() -> JobSpec {
        let settings = TrainingSettings::default();
        JobSpec {
            data: JobData::FashionMnistLt { imbalance: 50.0 },
            counts: vec![500, 100, 20, 5],
            seed: 7,
            prototypes: Some(Redundancy::Copies(3)),
            configs: settings.configs(0.999, 0.5).to_vec(),
            device: Device::Gpu,
            order: Order::Together,
            watch: Watch::Live { resolution: 48 },
            debug: Debug {
                gpu_lose_after: Some(3),
                die_after: None,
            },
        }
    }

    #[test]
    fn commands_and_reports_come_back_as_they_went() {
        let start = Command::Start {
            job: 4,
            spec: spec(),
            resume: None,
        };
        assert_eq!(decode::<Command>(&encode(&start)), Ok(start));
        let notice = Report::Notice(
            4,
            Message::new("training.gpu_fallback")
                .with_message(
                    "error",
                    crate::gpu::GpuError::Lost("a test".into()).message(),
                )
                .with("from", 12),
        );
        assert_eq!(decode::<Report>(&encode(&notice)), Ok(notice));
    }

    #[test]
    fn multi_label_requests_and_reports_come_back_as_they_went() {
        let spec = MultiLabelSpec {
            request: 3,
            source: MultiLabelSource::Mosaics,
            classes: 10,
            imbalance: 100.0,
            settings: MultiLabelConfig::default(),
            methods: MultiLabelMethod::STANDARD.to_vec(),
            resolution: 72,
            device: Device::Auto,
            debug: Debug::default(),
        };
        let command = Command::TrainMultiLabel(spec);
        assert_eq!(decode::<Command>(&encode(&command)), Ok(command));
        let report = Report::MultiLabel(Ok(MultiLabelReport {
            request: 3,
            positives: vec![900, 9],
            runs: vec![MultiLabelMetrics {
                per_class_ap: vec![Some(0.9), None],
                map: Some(0.9),
                ..MultiLabelMetrics::default()
            }],
            regions: vec![vec![0b11, 0, 1 << 31]],
            mosaics: vec![ShownMosaic {
                pixels: serde_bytes::ByteBuf::from(vec![0, 255, 7]),
                classes: vec![1, 8],
            }],
            predicted: vec![vec![vec![8]]],
            total: 7,
            millis: 12.5,
            device: Device::Gpu,
            measured: Some(Measured {
                cpu: 10.0,
                gpu: 70.0,
            }),
            fallback: None,
            gpu_steps: Some((12, 1440)),
        }));
        assert_eq!(decode::<Report>(&encode(&report)), Ok(report));
    }

    #[test]
    fn a_snapshot_resumes_the_same_run() {
        let spec = spec();
        let task = spec.task().unwrap();
        let config = spec.configs[1];
        let mut trainer = CpuTrainer::new(&task.train, &task.counts, &config).unwrap();
        trainer.step(5);
        let bytes = encode(&Report::Snapshot(1, Snapshot::of(&[trainer.state()])));
        let Ok(Report::Snapshot(1, snapshot)) = decode::<Report>(&bytes) else {
            panic!("not a snapshot");
        };
        assert_eq!(snapshot.steps, 5);
        let states = snapshot.states().unwrap();
        let mut resumed =
            CpuTrainer::resume(&task.train, &task.counts, &config, states[0].clone()).unwrap();
        trainer.step(5);
        resumed.step(5);
        assert_eq!(resumed.state(), trainer.state());
    }

    #[test]
    fn damaged_bytes_are_an_error_not_a_panic() {
        let bytes = encode(&Command::Start {
            job: 1,
            spec: spec(),
            resume: None,
        });
        for cut in [0, 1, bytes.len() / 2, bytes.len() - 1] {
            assert!(decode::<Command>(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        assert!(decode::<Command>(&[250, 1, 2]).is_err());
        // A message key the catalogue does not know is refused, not leaked.
        let unknown = encode(&("no.such.key", Vec::<(String, u8)>::new()));
        assert!(decode::<Message>(&unknown).is_err());
    }
}
