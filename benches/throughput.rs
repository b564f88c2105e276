//! Training throughput of the CPU trainer: samples per second for forward,
//! backward and Adam update of a 2 -> 64 -> 64 -> 10 MLP with CB softmax, at
//! several batch sizes, and the GFLOP/s of its matrix products. Prints one
//! JSON line per batch size (benches/compare_jax.sh runs it beside JAX), and
//! how long the default configuration takes to train to the end, on the toy
//! task and on Fashion-MNIST-LT at imbalance 100 (196 -> 64 -> 10, the
//! issue's goal: 60 epochs in at most 1 s). Also the multi-label trainer's
//! samples per second (CB sigmoid by class on multi-hot targets).
//!
//! `cargo bench --bench throughput [-- --seconds S]`

#![allow(clippy::disallowed_methods)] // Instant::now: native-only benchmark.

use std::time::Instant;

mod throughput_model;

use cblab::balance::weights::SchemeKind;
use cblab::data::fashion::{FashionAsset, counts_at};
use cblab::data::profiles::Profile;
use cblab::data::toy_data::{ToyConfig, make_toy_task};
use cblab::train::benchmark::{MULTI_LABEL_BATCHES, multi_label_config, multi_label_task};
use cblab::train::config::TrainConfig;
use cblab::train::experiments::train_and_evaluate;
use cblab::train::mlp::{Activation, MlpConfig, layer_shapes};
use cblab::train::multi_label_trainer::MultiLabelTrainer;

/// Multiply-adds x 2 of one training step's matrix products: forward, weight
/// gradients, and input gradients of every layer but the first.
fn flops_per_step(config: &MlpConfig, classes: usize, batch: usize) -> f64 {
    let shapes = layer_shapes(config, 2, classes);
    let macs: usize = shapes.iter().map(|s| s.inputs * s.outputs).sum();
    let first = shapes[0].inputs * shapes[0].outputs;
    2.0 * batch as f64 * (3 * macs - first) as f64
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let seconds: f64 = args
        .iter()
        .position(|a| a == "--seconds")
        .and_then(|i| args.get(i + 1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(2.0);

    let task = throughput_model::task();
    let model = throughput_model::MODEL;
    for batch in throughput_model::BATCHES {
        let mut trainer = throughput_model::warm_trainer(&task, batch);
        let chunk = 100;
        let start = Instant::now();
        let mut steps = 0;
        while start.elapsed().as_secs_f64() < seconds {
            trainer.step(chunk);
            steps += chunk;
        }
        let elapsed = start.elapsed().as_secs_f64();
        let steps_per_s = steps as f64 / elapsed;
        let gflops = flops_per_step(&model, 10, batch) * steps_per_s / 1e9;
        println!(
            "{{\"impl\": \"cblab-cpu\", \"batch\": {batch}, \"steps_per_s\": {steps_per_s:.1}, \"samples_per_s\": {:.0}, \"gflops\": {gflops:.2}}}",
            steps_per_s * batch as f64
        );
    }

    // Several labels a sample: C sigmoid outputs, CB sigmoid by class on multi-hot
    // targets (the multi-label toy task's 10 classes), the same MLP and Adam, as the
    // page's worker trains it for benches/browser_training.mjs.
    let multi = multi_label_task();
    for batch in MULTI_LABEL_BATCHES {
        let config = multi_label_config(batch);
        let mut trainer = MultiLabelTrainer::new(&multi.train, &config).expect("valid");
        trainer.step(50);
        let chunk = 100;
        let start = Instant::now();
        let mut steps = 0;
        while start.elapsed().as_secs_f64() < seconds {
            trainer.step(chunk);
            steps += chunk;
        }
        let steps_per_s = steps as f64 / start.elapsed().as_secs_f64();
        println!(
            "{{\"impl\": \"cblab-cpu\", \"multi_label_batch\": {batch}, \"steps_per_s\": {steps_per_s:.1}, \"samples_per_s\": {:.0}}}",
            steps_per_s * batch as f64
        );
    }

    // The default configuration (10 classes, exponential, imbalance 100) from start to end.
    let counts = Profile::Exponential {
        classes: 10,
        max: 500,
        imbalance: 100.0,
    }
    .counts()
    .expect("a valid profile");
    let task = make_toy_task(&counts, &ToyConfig::default()).expect("a valid toy task");
    let config = TrainConfig {
        scheme: SchemeKind::Cb,
        ..TrainConfig::default()
    };
    let start = Instant::now();
    let report = train_and_evaluate(&task.train, &task.test, &task.counts, &config).expect("valid");
    println!(
        "{{\"impl\": \"cblab-cpu\", \"default_run_seconds\": {:.4}, \"epochs\": {}, \"balanced_accuracy\": {:.4}}}",
        start.elapsed().as_secs_f64(),
        config.epochs,
        report.metrics.balanced_accuracy
    );

    // Fashion-MNIST-LT at imbalance 100 with `cblab train --data fashion-mnist-lt`'s defaults.
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/data/fashion-mnist-lt.bin"
    );
    let asset = FashionAsset::parse(&std::fs::read(path).expect("the committed asset"))
        .expect("a valid asset");
    let train = asset.train(100.0).expect("in range").into_dataset();
    let test = asset.test().into_dataset();
    let config = TrainConfig {
        scheme: SchemeKind::Cb,
        model: MlpConfig {
            hidden: 64,
            layers: 1,
            activation: Activation::Relu,
        },
        learning_rate: 1e-3,
        ..TrainConfig::default()
    };
    let start = Instant::now();
    let report = train_and_evaluate(&train, &test, &counts_at(100.0), &config).expect("valid");
    println!(
        "{{\"impl\": \"cblab-cpu\", \"fashion_run_seconds\": {:.4}, \"images\": {}, \"epochs\": {}, \"balanced_accuracy\": {:.4}}}",
        start.elapsed().as_secs_f64(),
        train.len(),
        config.epochs,
        report.metrics.balanced_accuracy
    );
}
