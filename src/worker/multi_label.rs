//! The page's multi-label comparison in the worker: the spec's runs on the
//! CPU one after the other (reporting after each), or on WebGPU all in the
//! same dispatches (reporting when they end); [`Device::Auto`] times a few
//! steps of each first. A GPU that fails mid-run sends the comparison back
//! to the CPU, from the start, and the report says why.

use super::clock;
use super::protocol::{
    BenchResult, Device, Measured, MultiLabelReport, MultiLabelSource, MultiLabelSpec, Report,
    SHOWN_MOSAICS, ShownMosaic,
};
use crate::data::dataset::{MultiLabelData, MultiLabelTask};
use crate::data::fashion_mosaics::{MosaicConfig, make_mosaics};
use crate::data::label_sets::LabelSets;
use crate::data::multi_label_toy::{BOUNDS, make_multi_label_toy};
use crate::gpu::{GpuContext, GpuError, GpuMultiLabelTrainer};
use crate::i18n::Message;
use crate::train::benchmark;
use crate::train::mlp::Mlp;
use crate::train::multi_label_trainer::{
    MultiLabelConfig, MultiLabelTrainer, evaluate, label_grid, probabilities,
};
use crate::train::progress::Progress;

/// Most steps in one GPU submission.
const GPU_CAPACITY: usize = 256;
/// A GPU chunk shorter than this doubles the next one's steps.
const GPU_FAST_MS: f64 = 60.0;
/// How often the page hears the GPU's steps.
const REPORT_MS: f64 = 250.0;
/// How long the automatic choice times each side.
const MEASURE_MS: f64 = 80.0;

/// The spec's task: the toy, or mosaics from the fetched images.
async fn load(spec: &MultiLabelSpec) -> Result<MultiLabelTask, String> {
    match spec.source {
        MultiLabelSource::Toy => make_multi_label_toy(&spec.toy()).map_err(|e| e.to_string()),
        MultiLabelSource::Mosaics => match super::fetch::fashion_asset().await {
            // The CLI's mosaics: its defaults at the spec's imbalance and seed.
            Ok(asset) => make_mosaics(
                &asset,
                &MosaicConfig {
                    imbalance: spec.imbalance,
                    seed: spec.settings.seed,
                    ..MosaicConfig::default()
                },
            )
            .map_err(|e| e.to_string()),
            Err(why) => Err(why.in_lang(crate::i18n::Lang::En)),
        },
    }
}

/// The test mosaics the page shows, and the samples to predict them from.
fn shown_mosaics(task: &MultiLabelTask) -> (Vec<ShownMosaic>, MultiLabelData) {
    let n = SHOWN_MOSAICS.min(task.test.len());
    let dim = task.test.dim;
    let mosaics = (0..n)
        .map(|i| ShownMosaic {
            pixels: serde_bytes::ByteBuf::from(
                task.test.features[i * dim..(i + 1) * dim]
                    .iter()
                    .map(|&x| (x.clamp(0.0, 1.0) * 255.0).round() as u8)
                    .collect::<Vec<u8>>(),
            ),
            classes: task.test.labels.sets[i].clone(),
        })
        .collect();
    let data = MultiLabelData {
        features: task.test.features[..n * dim].to_vec(),
        dim,
        labels: LabelSets {
            sets: task.test.labels.sets[..n].to_vec(),
            ..task.test.labels.clone()
        },
    };
    (mosaics, data)
}

/// What the page sees of a finished run: its metrics, and its regions (toy)
/// or its labels of the shown mosaics.
fn record(
    report: &mut MultiLabelReport,
    model: &Mlp<f32>,
    task: &MultiLabelTask,
    shown: Option<&MultiLabelData>,
    resolution: usize,
) {
    report
        .runs
        .push(evaluate(model, &task.test, &task.counts.positives));
    match shown {
        Some(data) => report.predicted.push(
            probabilities(model, data)
                .iter()
                .map(|p| (0..p.len()).filter(|&c| p[c] >= 0.5).collect())
                .collect(),
        ),
        None => report.regions.push(label_grid(model, &BOUNDS, resolution)),
    }
}

/// Trains the spec's runs where its device says, posting what they give;
/// the GPU's error if it failed them (the device is then gone for every job).
pub async fn train(
    spec: MultiLabelSpec,
    gpu: Option<&GpuContext>,
    post: impl Fn(Report),
) -> Option<GpuError> {
    let task = match load(&spec).await {
        Ok(task) => task,
        Err(why) => {
            post(Report::MultiLabel(Err(why)));
            return None;
        }
    };
    let shown = (spec.source == MultiLabelSource::Mosaics).then(|| shown_mosaics(&task));
    let configs: Vec<MultiLabelConfig> = spec
        .methods
        .iter()
        .map(|&method| MultiLabelConfig {
            method,
            ..spec.settings
        })
        .collect();
    // Every run's settings checked before any trains.
    if let Some(e) = configs
        .iter()
        .find_map(|c| MultiLabelTrainer::new(&task.train, c).err())
    {
        post(Report::MultiLabel(Err(e.to_string())));
        return None;
    }
    let start = clock::now_ms();
    let mut report = MultiLabelReport {
        request: spec.request,
        positives: task.counts.positives.clone(),
        runs: Vec::new(),
        regions: Vec::new(),
        mosaics: shown.as_ref().map(|s| s.0.clone()).unwrap_or_default(),
        predicted: Vec::new(),
        total: configs.len(),
        millis: 0.0,
        device: Device::Cpu,
        measured: None,
        fallback: None,
        gpu_steps: None,
    };
    let mut lost = None;
    let ctx = match (spec.device, gpu) {
        (Device::Gpu, Some(ctx)) => Some(ctx),
        (Device::Auto, Some(ctx)) => match measure(&task.train, &configs, ctx).await {
            Ok(measured) => {
                report.measured = Some(measured);
                (measured.gpu > measured.cpu).then_some(ctx)
            }
            // The device failed while timed: the CPU trains, and everyone hears why.
            Err(e) => {
                post(Report::GpuLost(e.message()));
                report.fallback = Some(e.message());
                lost = Some(e);
                None
            }
        },
        _ => None,
    };
    let shown_data = shown.as_ref().map(|s| &s.1);
    if let Some(ctx) = ctx {
        report.device = Device::Gpu;
        // The page hears the device, and the steps to come, before the runs end.
        let s = &spec.settings;
        let n = task.train.len();
        let total = Progress::new(s.epochs, n, s.batch.min(n)).total_steps();
        post(Report::MultiLabel(Ok(MultiLabelReport {
            gpu_steps: Some((0, total)),
            ..report.clone()
        })));
        let heard = |done, total| {
            let mut now = report.clone();
            now.gpu_steps = Some((done, total));
            now.millis = clock::now_ms() - start;
            post(Report::MultiLabel(Ok(now)));
        };
        match on_gpu(ctx, &task.train, &configs, spec.debug.gpu_lose_after, heard).await {
            Ok(models) => {
                for model in &models {
                    record(&mut report, model, &task, shown_data, spec.resolution);
                }
                report.millis = clock::now_ms() - start;
                post(Report::MultiLabel(Ok(report)));
                return None;
            }
            Err(e) => {
                post(Report::GpuLost(e.message()));
                report.device = Device::Cpu;
                report.fallback = Some(e.message());
                lost = Some(e);
                // The page stops showing the GPU's steps at once.
                post(Report::MultiLabel(Ok(report.clone())));
            }
        }
    }
    for config in &configs {
        let mut trainer =
            MultiLabelTrainer::new(&task.train, config).expect("checked before training");
        while !trainer.finished() {
            trainer.step(50);
            clock::yield_now().await;
        }
        record(
            &mut report,
            trainer.model(),
            &task,
            shown_data,
            spec.resolution,
        );
        report.millis = clock::now_ms() - start;
        post(Report::MultiLabel(Ok(report.clone())));
    }
    lost
}

/// Every run to its end in one GPU trainer, in chunks that double while
/// they are quick, yielding between them and telling `heard` the steps done
/// of all (at most every [`REPORT_MS`]); the networks at the end. With
/// `lose_after` (the URL's `gpu_lose_after`), the device is destroyed once
/// the runs have taken that many steps.
async fn on_gpu(
    ctx: &GpuContext,
    train: &MultiLabelData,
    configs: &[MultiLabelConfig],
    lose_after: Option<usize>,
    heard: impl Fn(usize, usize),
) -> Result<Vec<Mlp<f32>>, GpuError> {
    let mut trainer = GpuMultiLabelTrainer::new(ctx, train, configs, GPU_CAPACITY)?;
    let mut steps = 8;
    let mut told = clock::now_ms();
    while !trainer.finished() {
        if clock::now_ms() - told > REPORT_MS {
            heard(trainer.steps(), trainer.total_steps());
            told = clock::now_ms();
        }
        if lose_after.is_some_and(|k| trainer.steps() >= k) {
            ctx.lose();
        }
        let last = trainer.total_steps() - trainer.steps() <= steps;
        let begun = clock::now_ms();
        trainer.step(steps, last).await?;
        if clock::now_ms() - begun < GPU_FAST_MS {
            steps = (2 * steps).min(GPU_CAPACITY);
        }
        clock::yield_now().await;
    }
    Ok((0..configs.len()).map(|i| trainer.model(i)).collect())
}

/// Model-steps per second of these runs on the CPU (every method in turn,
/// as some cost more than others) and on `ctx` (all at once), from a few
/// steps of throwaway copies; the device's error if it failed meanwhile.
async fn measure(
    train: &MultiLabelData,
    configs: &[MultiLabelConfig],
    ctx: &GpuContext,
) -> Result<Measured, GpuError> {
    let rate = |steps: usize, ms: f64| steps as f64 * 1000.0 / ms.max(1e-3);
    let mut trainers: Vec<MultiLabelTrainer> = configs
        .iter()
        .filter_map(|c| MultiLabelTrainer::new(train, c).ok())
        .collect();
    let start = clock::now_ms();
    let mut steps = 0;
    'timed: while clock::now_ms() - start < MEASURE_MS {
        for trainer in &mut trainers {
            if trainer.finished() {
                break 'timed;
            }
            trainer.step(2);
            steps += 2;
        }
    }
    let cpu = rate(steps, clock::now_ms() - start);
    let mut trainer = GpuMultiLabelTrainer::new(ctx, train, configs, GPU_CAPACITY)?;
    // The first submission carries the uploads and warms up: time the next ones.
    trainer.step(4, false).await?;
    let start = clock::now_ms();
    let mut steps = 0;
    while clock::now_ms() - start < MEASURE_MS && !trainer.finished() {
        trainer.step(8, false).await?;
        steps += 8 * configs.len();
    }
    Ok(Measured {
        cpu,
        gpu: rate(steps, clock::now_ms() - start),
    })
}

/// Times the multi-label benchmark model ([`benchmark::multi_label_config`])
/// on one device, after its warm-up steps.
pub async fn bench(
    device: Device,
    batch: usize,
    millis: f64,
    gpu: Option<&GpuContext>,
) -> Result<BenchResult, Message> {
    let task = benchmark::multi_label_task();
    let config = benchmark::multi_label_config(batch);
    match (device, gpu) {
        (Device::Gpu, Some(ctx)) => {
            // One model, 32 steps a submission, read back at the end only.
            let mut trainer = GpuMultiLabelTrainer::new(ctx, &task.train, &[config], 32)
                .map_err(|e| e.message())?;
            trainer
                .step(benchmark::WARM_UP_STEPS, false)
                .await
                .map_err(|e| e.message())?;
            let start = clock::now_ms();
            let mut steps = 0;
            while clock::now_ms() - start < millis {
                trainer.step(32, false).await.map_err(|e| e.message())?;
                steps += 32;
            }
            let seconds = (clock::now_ms() - start) / 1000.0;
            Ok(BenchResult {
                samples_per_s: (steps * batch) as f64 / seconds,
                steps,
            })
        }
        (Device::Gpu, None) => Err(GpuError::NoAdapter("none in this worker".into()).message()),
        _ => {
            let mut trainer = MultiLabelTrainer::new(&task.train, &config)
                .expect("the benchmark configuration is valid");
            trainer.step(benchmark::WARM_UP_STEPS);
            Ok(clock::time_cpu(batch, millis, |k| {
                trainer.step(k);
            }))
        }
    }
}
