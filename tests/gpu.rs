//! The GPU trainers against the CPU trainers: the same models, data and
//! batches, after 1 step and after 100 steps, several models in the same
//! dispatches; one label a sample and several.
//!
//! Needs a GPU adapter: in CI that is lavapipe (Mesa's CPU Vulkan driver,
//! which `cargo xtask install` puts in place). Without an adapter these tests
//! fail, unless the run says outright that it has none with CBLAB_NO_GPU=1.

use cblab::balance::loss_kind::LossKind;
use cblab::balance::weights::SchemeKind;
use cblab::data::dataset::MultiLabelData;
use cblab::data::dataset::Task;
use cblab::data::fashion::{FashionAsset, counts_at};
use cblab::data::fashion_mosaics::{MosaicConfig, make_mosaics};
use cblab::data::multi_label_toy::{MultiLabelToyConfig, make_multi_label_toy};
use cblab::data::toy_data::{ToyConfig, ToyTask, make_toy_task};
use cblab::gpu::{GpuContext, GpuError, GpuMultiLabelTrainer, GpuTrainer, Mismatch};
use cblab::train::batches::Sampler;
use cblab::train::config::TrainConfig;
use cblab::train::mlp::{Activation, MlpConfig};
use cblab::train::multi_label_trainer::{MultiLabelConfig, MultiLabelMethod, MultiLabelTrainer};
use cblab::train::optimizer::OptimizerKind;
use cblab::train::trainer::CpuTrainer;

/// The device, or `None` when the run says it has no GPU.
fn context() -> Option<GpuContext> {
    match pollster::block_on(GpuContext::new()) {
        Ok(ctx) => {
            eprintln!("GPU adapter: {:?}", ctx.adapter);
            Some(ctx)
        }
        Err(e) if std::env::var_os("CBLAB_NO_GPU").is_some() => {
            eprintln!("CBLAB_NO_GPU is set: this run has no GPU ({e}); GPU parity NOT checked");
            None
        }
        Err(e) => panic!(
            "{e} (install mesa-vulkan-drivers, or set CBLAB_NO_GPU=1 to say there is no GPU)"
        ),
    }
}

fn task() -> ToyTask {
    make_toy_task(&[300, 120, 45, 17, 6], &ToyConfig::default()).unwrap()
}

/// One of each loss, both optimisers, different seeds and learning rates.
fn configs() -> Vec<TrainConfig> {
    let base = TrainConfig {
        batch: Some(64),
        epochs: 30,
        ..TrainConfig::default()
    };
    vec![
        base,
        TrainConfig {
            scheme: SchemeKind::Cb,
            beta: 0.999,
            seed: 3,
            ..base
        },
        TrainConfig {
            loss: LossKind::Sigmoid,
            scheme: SchemeKind::Cb,
            beta: 0.99,
            optimizer: OptimizerKind::SGD,
            learning_rate: 0.05,
            ..base
        },
        TrainConfig {
            loss: LossKind::Focal,
            scheme: SchemeKind::Cb,
            gamma: 2.0,
            seed: 7,
            ..base
        },
        TrainConfig {
            loss: LossKind::Focal,
            scheme: SchemeKind::Inverse,
            gamma: 0.5,
            learning_rate: 0.003,
            sampler: Sampler::Sqrt,
            ..base
        },
        TrainConfig {
            seed: 5,
            sampler: Sampler::ClassBalanced,
            ..base
        },
        TrainConfig {
            scheme: SchemeKind::Cb,
            sampler: Sampler::Progressive,
            ..base
        },
        TrainConfig {
            loss: LossKind::LogitAdjusted,
            tau: 1.5,
            seed: 11,
            ..base
        },
        TrainConfig {
            loss: LossKind::BalancedSoftmax,
            scheme: SchemeKind::Inverse,
            ..base
        },
        // LDAM's cosine logits, at a lower scale and at the default 30 with DRW.
        TrainConfig {
            loss: LossKind::Ldam,
            scale: 10.0,
            learning_rate: 0.003,
            ..base
        },
        TrainConfig {
            loss: LossKind::Ldam,
            scheme: SchemeKind::Cb,
            drw_from: Some(0.1),
            seed: 13,
            ..base
        },
        // Re-weighted from epoch 4 (step 15): inside the hundred steps the tests compare.
        TrainConfig {
            scheme: SchemeKind::Cb,
            beta: 0.9999,
            drw_from: Some(0.1),
            ..base
        },
    ]
}

/// Largest |a - b| / (1 + |b|) over two parameter vectors.
fn max_relative(a: &[f32], b: &[f32]) -> f32 {
    assert_eq!(a.len(), b.len());
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs() / (1.0 + y.abs()))
        .fold(0.0, f32::max)
}

/// Trains `steps` steps on both and compares parameters and losses.
fn compare(ctx: &GpuContext, steps: usize, param_tolerance: f32, loss_tolerance: f32) {
    compare_configs(ctx, &configs(), steps, param_tolerance, loss_tolerance);
}

/// The same for `configs`.
fn compare_configs(
    ctx: &GpuContext,
    configs: &[TrainConfig],
    steps: usize,
    param_tolerance: f32,
    loss_tolerance: f32,
) {
    let t = Task::from(task());
    compare_on(ctx, &t, configs, steps, param_tolerance, loss_tolerance);
}

/// The same on `t`.
fn compare_on(
    ctx: &GpuContext,
    t: &Task,
    configs: &[TrainConfig],
    steps: usize,
    param_tolerance: f32,
    loss_tolerance: f32,
) {
    // 32 steps per submission: 100 steps are four submissions, the last one short.
    let mut gpu = GpuTrainer::new(ctx, &t.train, &t.counts, configs, 32).unwrap();
    let report = pollster::block_on(gpu.step(steps, true)).unwrap();
    assert_eq!(report.steps, steps);
    for (i, config) in configs.iter().enumerate() {
        let mut cpu = CpuTrainer::new(&t.train, &t.counts, config).unwrap();
        let cpu_loss = cpu.step(steps).loss;
        let params = max_relative(&gpu.states()[i].params, &cpu.model().params);
        let loss = (report.loss[i] - cpu_loss).abs() / cpu_loss.abs();
        eprintln!(
            "{steps} steps, {}: params max rel diff {params:.2e}, mean loss {} vs {} (rel {loss:.2e})",
            config.label(),
            report.loss[i],
            cpu_loss
        );
        assert!(
            params <= param_tolerance,
            "{}: params differ by {params}",
            config.label()
        );
        assert!(
            loss <= loss_tolerance,
            "{}: loss differs by {loss}",
            config.label()
        );
        assert_eq!(
            gpu.states()[i].optimizer.steps(),
            cpu.state().optimizer.steps()
        );
    }
}

/// Fashion-MNIST-LT's 196 pixels (the input layer padded to 200): the
/// gather kernel copies whole rows and the first layer is a real product.
#[test]
fn images_match_the_cpu_trainer() {
    let Some(ctx) = context() else { return };
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/data/fashion-mnist-lt.bin"
    );
    let asset = FashionAsset::parse(&std::fs::read(path).unwrap()).unwrap();
    let t = Task {
        train: asset.train(100.0).unwrap().into_dataset(),
        test: asset.test().into_dataset(),
        counts: counts_at(100.0),
        bounds: None,
    };
    let base = TrainConfig {
        batch: Some(64),
        ..TrainConfig::default()
    }
    .for_images();
    let configs = [
        base,
        TrainConfig {
            scheme: SchemeKind::Cb,
            beta: 0.999,
            seed: 2,
            ..base
        },
        TrainConfig {
            loss: LossKind::Ldam,
            scheme: SchemeKind::Cb,
            drw_from: Some(0.1),
            ..base
        },
    ];
    compare_on(&ctx, &t, &configs, 1, 1e-6, 1e-6);
    compare_on(&ctx, &t, &configs, 100, 1e-4, 1e-5);
}

#[test]
fn one_step_matches_the_cpu_trainer() {
    if let Some(ctx) = context() {
        compare(&ctx, 1, 1e-6, 1e-6);
    }
}

/// Chunks of every length, across epochs and submissions (many steps in one
/// dispatch once went wrong on lavapipe from the 16th on).
#[test]
fn chunks_of_any_length_match_the_cpu_trainer() {
    if let Some(ctx) = context() {
        for steps in [2, 9, 16, 33] {
            compare(&ctx, steps, 1e-5, 1e-5);
        }
    }
}

#[test]
fn a_hundred_steps_match_the_cpu_trainer() {
    if let Some(ctx) = context() {
        compare(&ctx, 100, 1e-4, 1e-5);
    }
}

#[test]
fn widths_and_batches_the_kernels_pad_match_the_cpu_trainer() {
    // The kernels pad widths to 8 and batches to 8 rows: 13 hidden tanh
    // units in 3 layers, 5 classes and 37 samples a step all leave pads.
    if let Some(ctx) = context() {
        let configs: Vec<TrainConfig> = configs()
            .into_iter()
            .map(|c| TrainConfig {
                model: MlpConfig {
                    hidden: 13,
                    layers: 3,
                    activation: Activation::Tanh,
                },
                batch: Some(37),
                ..c
            })
            .collect();
        compare_configs(&ctx, &configs, 40, 1e-4, 1e-5);
    }
}

#[test]
fn a_run_carries_on_on_the_cpu_from_the_last_read_back() {
    let Some(ctx) = context() else { return };
    let t = task();
    let configs = configs();
    let mut gpu = GpuTrainer::new(&ctx, &t.train, &t.counts, &configs, 16).unwrap();
    pollster::block_on(gpu.step(40, true)).unwrap();
    // More steps without a read-back of the parameters: the CPU resumes from step 40.
    pollster::block_on(gpu.step(10, false)).unwrap();
    assert_eq!(gpu.steps(), 50);
    let mut resumed = gpu.to_cpu(&t.train, &t.counts).unwrap();
    for (cpu, config) in resumed.iter_mut().zip(&configs) {
        assert_eq!(cpu.steps(), 40);
        cpu.run_to_end();
        let mut reference = CpuTrainer::new(&t.train, &t.counts, config).unwrap();
        reference.run_to_end();
        assert_eq!(cpu.history().len(), reference.history().len());
        let last = |h: &[f32]| *h.last().unwrap();
        let (a, b) = (last(cpu.history()), last(reference.history()));
        eprintln!(
            "{}: final epoch loss {a} (GPU then CPU) vs {b} (CPU)",
            config.label()
        );
        assert!(
            (a - b).abs() <= 0.05 * b.abs() + 1e-3,
            "{}: {a} vs {b}",
            config.label()
        );
    }
}

/// The page's worker restarts a GPU job from a snapshot: a trainer resumed
/// from the states read back after 40 steps goes on exactly as the one that
/// never stopped (same parameters, moments, step count and batches).
#[test]
fn a_run_resumed_on_the_gpu_from_its_states_goes_on_unchanged() {
    let Some(ctx) = context() else { return };
    let t = task();
    let configs = configs();
    let mut gpu = GpuTrainer::new(&ctx, &t.train, &t.counts, &configs, 16).unwrap();
    pollster::block_on(gpu.step(40, true)).unwrap();
    let mut resumed = GpuTrainer::resume(
        &ctx,
        &t.train,
        &t.counts,
        &configs,
        16,
        gpu.states().to_vec(),
    )
    .unwrap();
    assert_eq!(resumed.steps(), 40);
    pollster::block_on(gpu.step(30, true)).unwrap();
    pollster::block_on(resumed.step(30, true)).unwrap();
    for (i, config) in configs.iter().enumerate() {
        let (a, b) = (&gpu.states()[i], &resumed.states()[i]);
        assert_eq!(a.progress, b.progress, "{}", config.label());
        assert_eq!(a.optimizer.steps(), b.optimizer.steps());
        let worst = max_relative(&a.params, &b.params);
        assert!(
            worst <= 1e-6,
            "{}: parameters differ by {worst}",
            config.label()
        );
    }
    // States of other runs are refused, not trained from.
    let mut wrong = gpu.states().to_vec();
    wrong.pop();
    assert!(GpuTrainer::resume(&ctx, &t.train, &t.counts, &configs, 16, wrong).is_err());
}

#[test]
fn a_lost_device_is_an_error_not_a_panic() {
    let Some(ctx) = context() else { return };
    let t = task();
    let mut gpu = GpuTrainer::new(&ctx, &t.train, &t.counts, &configs()[..2], 8).unwrap();
    pollster::block_on(gpu.step(5, true)).unwrap();
    ctx.lose();
    let error = pollster::block_on(gpu.step(5, true)).unwrap_err();
    eprintln!("after destroy: {error}");
    assert_eq!(gpu.states()[0].progress.steps(), 5);
}

#[test]
fn models_of_different_shapes_are_refused() {
    let Some(ctx) = context() else { return };
    let t = task();
    let mut configs = configs();
    configs[1].model.hidden = 16;
    let Err(error) = GpuTrainer::new(&ctx, &t.train, &t.counts, &configs, 8) else {
        panic!("models of different shapes trained together");
    };
    assert!(
        matches!(error, GpuError::Mismatch(Mismatch::Differ { .. })),
        "{error:?}"
    );
    // Said in words, naming both runs.
    let text = error.to_string();
    assert!(
        text.contains(&configs[1].label()) && text.contains(&configs[0].label()),
        "{text}"
    );
}

/// Every multi-label method of the page's comparison, and one drawn by
/// repeat factors, with SGD and other seeds among them.
fn multi_label_configs(base: MultiLabelConfig) -> Vec<MultiLabelConfig> {
    let mut configs: Vec<MultiLabelConfig> = MultiLabelMethod::STANDARD
        .iter()
        .enumerate()
        .map(|(i, &method)| MultiLabelConfig {
            method,
            seed: i as u64,
            ..base
        })
        .collect();
    configs.push(MultiLabelConfig {
        method: MultiLabelMethod::parse("cb-focal@repeat-factor:0.2+by-sample").unwrap(),
        gamma: 0.5,
        optimizer: OptimizerKind::SGD,
        learning_rate: 0.05,
        ..base
    });
    configs.push(MultiLabelConfig {
        method: MultiLabelMethod::parse("cb-sigmoid").unwrap(),
        beta: 0.99,
        ..base
    });
    configs
}

/// Trains `steps` steps of `configs` on `train` on both and compares.
fn compare_multi_label(
    ctx: &GpuContext,
    train: &MultiLabelData,
    configs: &[MultiLabelConfig],
    steps: usize,
    param_tolerance: f32,
    loss_tolerance: f32,
) {
    let mut gpu = GpuMultiLabelTrainer::new(ctx, train, configs, 32).unwrap();
    let report = pollster::block_on(gpu.step(steps, true)).unwrap();
    assert_eq!(report.steps, steps);
    for (i, config) in configs.iter().enumerate() {
        let mut cpu = MultiLabelTrainer::new(train, config).unwrap();
        let cpu_loss = cpu.step(steps);
        let params = max_relative(&gpu.states()[i].params, &cpu.model().params);
        let loss = (report.loss[i] - cpu_loss).abs() / cpu_loss.abs();
        let name = config.method.name();
        eprintln!(
            "{steps} steps, {name}: params max rel diff {params:.2e}, mean loss {} vs {cpu_loss} (rel {loss:.2e})",
            report.loss[i]
        );
        assert!(
            params <= param_tolerance,
            "{name}: params differ by {params}"
        );
        assert!(loss <= loss_tolerance, "{name}: loss differs by {loss}");
        assert_eq!(gpu.history(i).len(), cpu.history().len(), "{name}: epochs");
        for (g, c) in gpu.history(i).iter().zip(cpu.history()) {
            assert!(
                (g - c).abs() <= loss_tolerance * c.abs(),
                "{name}: epoch loss {g} vs {c}"
            );
        }
    }
}

fn multi_label_toy() -> MultiLabelData {
    make_multi_label_toy(&MultiLabelToyConfig {
        classes: 10,
        ..MultiLabelToyConfig::default()
    })
    .unwrap()
    .train
}

#[test]
fn multi_label_runs_match_the_cpu_trainer() {
    let Some(ctx) = context() else { return };
    let train = multi_label_toy();
    let configs = multi_label_configs(MultiLabelConfig {
        batch: 64,
        ..MultiLabelConfig::default()
    });
    compare_multi_label(&ctx, &train, &configs, 1, 1e-6, 1e-6);
    compare_multi_label(&ctx, &train, &configs, 100, 1e-4, 1e-5);
}

/// 39 classes (two words of target bits, and pad classes), pads everywhere:
/// 13 tanh units, 37 samples a step; and samples with no label at all.
#[test]
fn multi_label_runs_past_32_classes_and_pads_match_the_cpu_trainer() {
    let Some(ctx) = context() else { return };
    let mut train = multi_label_toy();
    // Class c + 10k (k = 1..3) on two thirds of class c's samples.
    for (i, set) in train.labels.sets.iter_mut().enumerate() {
        let copies: Vec<usize> = (1..4)
            .flat_map(|k| set.iter().map(move |&c| (c, k)))
            .filter(|&(c, k)| (i + c + k) % 3 != 0)
            .map(|(c, k)| c + 10 * k)
            .filter(|&c| c < 39)
            .collect();
        set.extend(copies);
    }
    train.labels.classes = 39;
    let empty = train.labels.sets.iter().filter(|s| s.is_empty()).count();
    assert!(empty > 0, "some samples carry no label");
    let counts = train.labels.counts();
    assert!(
        counts
            .positives
            .iter()
            .all(|&n| n > 0 && n < counts.samples)
    );
    let configs = multi_label_configs(MultiLabelConfig {
        batch: 37,
        model: MlpConfig {
            hidden: 13,
            layers: 3,
            activation: Activation::Tanh,
        },
        ..MultiLabelConfig::default()
    });
    // Adam's first step again (see the mosaics' test): measured 1.5e-6 here.
    compare_multi_label(&ctx, &train, &configs, 1, 5e-6, 1e-6);
    compare_multi_label(&ctx, &train, &configs, 40, 1e-4, 1e-5);
}

/// The Fashion-MNIST mosaics the page trains on: 3,136 pixels a sample.
#[test]
fn multi_label_mosaics_match_the_cpu_trainer() {
    let Some(ctx) = context() else { return };
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/data/fashion-mnist-lt.bin"
    );
    let asset = FashionAsset::parse(&std::fs::read(path).unwrap()).unwrap();
    let task = make_mosaics(&asset, &MosaicConfig::default()).unwrap();
    let images = TrainConfig::default().for_images();
    let base = MultiLabelConfig {
        model: images.model,
        learning_rate: images.learning_rate,
        batch: 64,
        ..MultiLabelConfig::default()
    };
    let configs: Vec<MultiLabelConfig> = MultiLabelMethod::STANDARD
        .iter()
        .map(|&method| MultiLabelConfig { method, ..base })
        .collect();
    // Adam's first step is about lr sign(g) for any |g| well above its
    // epsilon: a pixel's gradient near 1e-8, summed in another order, moves
    // it by a few 1e-6 (the single-label images see less of it).
    compare_multi_label(&ctx, &task.train, &configs, 1, 2e-5, 1e-6);
    compare_multi_label(&ctx, &task.train, &configs, 30, 1e-4, 1e-5);
}

#[test]
fn multi_label_runs_of_different_shapes_or_bad_settings_are_refused() {
    let Some(ctx) = context() else { return };
    let train = multi_label_toy();
    let mut configs = multi_label_configs(MultiLabelConfig::default());
    configs[2].batch = 16;
    let Err(error) = GpuMultiLabelTrainer::new(&ctx, &train, &configs, 8) else {
        panic!("runs of different batches trained together");
    };
    let text = error.to_string();
    assert!(
        text.contains(&configs[2].method.name()) && text.contains("differs"),
        "{text}"
    );
    configs[2].batch = configs[0].batch;
    configs[1].beta = 1.5;
    let Err(error) = GpuMultiLabelTrainer::new(&ctx, &train, &configs, 8) else {
        panic!("beta 1.5 trained");
    };
    assert!(
        error.to_string().contains("beta must be in [0, 1)"),
        "{error}"
    );
}
