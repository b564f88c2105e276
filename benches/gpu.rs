//! The GPU trainer against the CPU trainer, natively: model-steps per second
//! for one model (CB focal) and for the paper's whole grid (25 models in the same
//! dispatches), on the default toy task (2 -> 32 -> 32 -> 10, batch 128,
//! Adam). Both trainers take the same steps; the CPU trains the grid's models
//! one after the other, as the page does. Then several labels a sample: the
//! page's seven multi-label methods on the multi-label toy task (10
//! classes), one after the other on the CPU, all at once on the GPU. Prints
//! one JSON line per case.
//!
//! `cargo bench --bench gpu [-- --steps N]` (in CI's kind of machine the GPU
//! is lavapipe, Mesa's Vulkan on the CPU: the figures say how the kernels do
//! there, not what a real GPU does).

#![allow(clippy::disallowed_methods)] // Instant::now: native-only benchmark.

use std::time::Instant;

use cblab::balance::loss_kind::LossKind;
use cblab::balance::weights::SchemeKind;
use cblab::data::multi_label_toy::{MultiLabelToyConfig, make_multi_label_toy};
use cblab::data::toy_data::{ToyConfig, make_toy_task, scale_counts};
use cblab::gpu::{GpuContext, GpuMultiLabelTrainer, GpuTrainer};
use cblab::train::config::TrainConfig;
use cblab::train::experiments::paper_grid;
use cblab::train::multi_label_trainer::{MultiLabelConfig, MultiLabelMethod, MultiLabelTrainer};
use cblab::train::trainer::CpuTrainer;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let steps: usize = args
        .iter()
        .position(|a| a == "--steps")
        .and_then(|i| args.get(i + 1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(300);
    let ctx = match pollster::block_on(GpuContext::new()) {
        Ok(ctx) => ctx,
        Err(e) => {
            eprintln!("no GPU adapter ({e}): install mesa-vulkan-drivers for lavapipe");
            std::process::exit(1);
        }
    };
    let counts = scale_counts(&[5000, 2997, 1796, 1077, 645, 387, 232, 139, 83, 50], 500);
    let task = make_toy_task(&counts, &ToyConfig::default()).expect("a valid toy task");
    let base = TrainConfig {
        epochs: 1000,
        ..TrainConfig::default()
    };
    let one = vec![TrainConfig {
        loss: LossKind::Focal,
        scheme: SchemeKind::Cb,
        ..base
    }];
    let grid = paper_grid(&base);
    for (case, configs) in [("one model", one), ("grid", grid)] {
        let models = configs.len();
        // CPU: every model, one after the other.
        let mut cpu: Vec<CpuTrainer> = configs
            .iter()
            .map(|c| CpuTrainer::new(&task.train, &task.counts, c).expect("valid"))
            .collect();
        let start = Instant::now();
        for t in &mut cpu {
            t.step(steps);
        }
        let cpu_rate = (steps * models) as f64 / start.elapsed().as_secs_f64();
        // GPU: every model in each dispatch, 64 steps per submission, losses read back after each.
        let mut gpu =
            GpuTrainer::new(&ctx, &task.train, &task.counts, &configs, 64).expect("valid");
        pollster::block_on(gpu.step(8, true)).expect("the GPU runs"); // pipelines warm
        let start = Instant::now();
        pollster::block_on(gpu.step(steps, true)).expect("the GPU runs");
        let gpu_rate = (steps * models) as f64 / start.elapsed().as_secs_f64();
        println!(
            "{{\"case\":\"{case}\",\"models\":{models},\"steps\":{steps},\"adapter\":\"{}\",\"cpu_model_steps_per_s\":{cpu_rate:.0},\"gpu_model_steps_per_s\":{gpu_rate:.0},\"gpu_over_cpu\":{:.2}}}",
            ctx.adapter.name,
            gpu_rate / cpu_rate
        );
    }
    let multi = make_multi_label_toy(&MultiLabelToyConfig {
        classes: 10,
        ..MultiLabelToyConfig::default()
    })
    .expect("a valid multi-label toy task");
    let configs: Vec<MultiLabelConfig> = MultiLabelMethod::STANDARD
        .iter()
        .map(|&method| MultiLabelConfig {
            method,
            epochs: 1000,
            ..MultiLabelConfig::default()
        })
        .collect();
    let models = configs.len();
    let mut cpu: Vec<MultiLabelTrainer> = configs
        .iter()
        .map(|c| MultiLabelTrainer::new(&multi.train, c).expect("valid"))
        .collect();
    let start = Instant::now();
    for t in &mut cpu {
        t.step(steps);
    }
    let cpu_rate = (steps * models) as f64 / start.elapsed().as_secs_f64();
    let mut gpu = GpuMultiLabelTrainer::new(&ctx, &multi.train, &configs, 64).expect("valid");
    pollster::block_on(gpu.step(8, true)).expect("the GPU runs");
    let start = Instant::now();
    pollster::block_on(gpu.step(steps, true)).expect("the GPU runs");
    let gpu_rate = (steps * models) as f64 / start.elapsed().as_secs_f64();
    println!(
        "{{\"case\":\"multi-label, seven methods\",\"models\":{models},\"steps\":{steps},\"adapter\":\"{}\",\"cpu_model_steps_per_s\":{cpu_rate:.0},\"gpu_model_steps_per_s\":{gpu_rate:.0},\"gpu_over_cpu\":{:.2}}}",
        ctx.adapter.name,
        gpu_rate / cpu_rate
    );
}
