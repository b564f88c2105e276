//! `cblab train`: train the MLP on the long-tailed toy task or on
//! Fashion-MNIST-LT (`--data`), alone, side by side (`--compare`), over the
//! paper's grid (`--grid`), the standard methods (`--methods`) or the beta
//! sweep (`--sweep`), over one or more seeds, and print the metrics as JSON.

use anyhow::{Result, bail};
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use serde_json::json;

use super::annotations::Unit;
use super::counts::{CountsSource, ProfileArgs};
use super::scheme::scheme_parser;
use super::train_multi_label::{MultiLabelRequest, MultiLabelSource};
use crate::balance::loss_kind::LossKind;
use crate::balance::weights::SchemeKind;
use crate::data::dataset::Task;
use crate::data::fashion::{self, FashionAsset};
use crate::data::profiles::FASHION_MNIST_CLASSES;
use crate::data::toy_data::{Redundancy, ToyConfig, make_toy_task};
use crate::train::batches::Sampler;
use crate::train::config::{TrainConfig, validate};
use crate::train::experiments::{
    MeanSd, Ranked, RunReport, SeedSummary, beta_sweep, paper_grid, parse_compare_list,
    rank_methods, standard_methods, summarise, train_and_evaluate,
};
use crate::train::mlp::{Activation, MlpConfig};
use crate::train::multi_label_trainer::MultiLabelConfig;
use crate::train::optimizer::OptimizerKind;
use crate::train::prediction::{grid_points, points_array, predict_run};
use crate::train::trainer::CpuTrainer;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum LossArg {
    Softmax,
    Sigmoid,
    Focal,
    /// CE(z + tau log pi) (Menon et al., ICLR 2021).
    LogitAdjusted,
    /// CE(z + log n) (Ren et al., NeurIPS 2020).
    BalancedSoftmax,
    /// CE(s (z - Delta_y e_y)), margins from n^(-1/4) (Cao et al., NeurIPS 2019).
    Ldam,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum OptimizerArg {
    /// SGD with momentum 0.9.
    Sgd,
    /// Adam (0.9, 0.999, 1e-8).
    Adam,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum ActivationArg {
    Relu,
    Tanh,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum DataArg {
    /// Gaussian blobs on a ring, with the counts of a profile or a source.
    Toy,
    /// Fashion-MNIST made long-tailed at --imbalance (10 to 200), 14 x 14 pixels.
    FashionMnistLt,
    /// Several labels a point: --classes discs long-tailed in area by --imbalance, a point's
    /// labels the discs that hold it; --compare takes [scheme-]loss[+by-sample] of sigmoid,
    /// focal, distribution-balanced and asymmetric (default: the standard multi-label set).
    MultiLabelToy,
    /// Several labels an image: 2 x 2 mosaics of Fashion-MNIST items (28 x 28 pixels), tile
    /// classes long-tailed by --imbalance in training and uniform in the test set.
    FashionMosaics,
}

#[derive(Debug, Args)]
pub struct TrainArgs {
    /// What to train on. Fashion-MNIST-LT's images are fixed (the first n_c of each class),
    /// so there --seeds varies the initialisation and the batches only.
    #[arg(long, value_enum, default_value = "toy")]
    data: DataArg,
    #[command(flatten)]
    source: CountsSource,
    #[command(flatten)]
    profile: ProfileArgs,
    /// Blob spread, as a fraction of the distance between neighbouring class centres.
    #[arg(long, default_value_t = ToyConfig::default().noise, allow_negative_numbers = true)]
    noise: f64,
    /// Test points per class (the test set is balanced).
    #[arg(long, default_value_t = ToyConfig::default().test_per_class)]
    test_per_class: usize,
    /// Redundancy: each class's training points are jittered copies of its first K draws
    /// (the effective number's model says beta = 1 - 1/K fits); the test set stays fresh.
    #[arg(long, value_name = "K", value_parser = clap::value_parser!(u32).range(1..))]
    prototypes: Option<u32>,
    /// Redundancy growing with the class: each training point is one of R jittered copies of
    /// a prototype, so a class of n points has ceil(n / R) prototypes.
    #[arg(long, value_name = "R", value_parser = clap::value_parser!(u32).range(1..), conflicts_with = "prototypes")]
    copies: Option<u32>,
    /// The loss.
    #[arg(long, value_enum, default_value = "softmax")]
    loss: LossArg,
    /// The class weighting [default: cb for softmax, sigmoid and focal, none for the adjusted
    /// losses; cb with --drw-from, whose deferred phase weights].
    #[arg(long, value_parser = scheme_parser())]
    scheme: Option<SchemeKind>,
    /// beta of the class-balanced weights.
    #[arg(long, default_value_t = TrainConfig::default().beta, allow_negative_numbers = true)]
    beta: f64,
    /// gamma of the focal loss.
    #[arg(long, default_value_t = TrainConfig::default().gamma, allow_negative_numbers = true)]
    gamma: f64,
    /// tau of the logit-adjusted loss.
    #[arg(long, default_value_t = TrainConfig::default().tau, allow_negative_numbers = true)]
    tau: f64,
    /// LDAM's largest margin.
    #[arg(long, default_value_t = TrainConfig::default().max_margin, allow_negative_numbers = true)]
    max_margin: f64,
    /// LDAM's logit scale.
    #[arg(long, default_value_t = TrainConfig::default().scale, allow_negative_numbers = true)]
    scale: f64,
    /// Hidden units per layer [default: 32 on the toy task, 64 on fashion-mnist-lt].
    #[arg(long)]
    hidden: Option<usize>,
    /// Hidden layers [default: 2 on the toy task, 1 on fashion-mnist-lt].
    #[arg(long)]
    layers: Option<usize>,
    /// Hidden non-linearity.
    #[arg(long, value_enum, default_value = "relu")]
    activation: ActivationArg,
    /// The optimiser.
    #[arg(long, value_enum, default_value = "adam")]
    optimizer: OptimizerArg,
    /// Learning rate [default: 0.01 on the toy task, 0.001 on fashion-mnist-lt].
    #[arg(long, allow_negative_numbers = true)]
    lr: Option<f64>,
    /// Samples per step, or `full` for the whole training set.
    #[arg(long, default_value = "128")]
    batch: String,
    /// Passes over the training set.
    #[arg(long, default_value_t = TrainConfig::default().epochs)]
    epochs: usize,
    /// Seed of the data, the initialisation and the batch order.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// How batches are drawn: every sample equally likely (instance), every class
    /// (class-balanced), classes by sqrt(n) (sqrt), from instance to class-balanced over
    /// training (progressive), or LVIS's repeat factor r = max(1, sqrt(t / f)) at t = 0.001
    /// (repeat-factor) or another t (repeat-factor:0.05).
    #[arg(long, value_parser = parse_sampler, default_value = "instance")]
    sampler: Sampler,
    /// Post-hoc logit adjustment: predict argmax_j (z_j - T log pi_j) from the trained model.
    #[arg(long, value_name = "T", allow_negative_numbers = true)]
    posthoc_tau: Option<f64>,
    /// Deferred re-weighting: train unweighted for this fraction of the epochs (LDAM-DRW: 0.8),
    /// then weighted by --scheme.
    #[arg(long, value_name = "F", allow_negative_numbers = true)]
    drw_from: Option<f64>,
    /// Repeat everything for seeds seed, seed+1, ..., and report mean and standard deviation.
    #[arg(long, default_value_t = 1)]
    seeds: u64,
    /// Train these side by side, e.g. softmax,cb-softmax,cb-ldam+drw,softmax@sqrt: [scheme-]loss,
    /// then @sampler, +drw (re-weight from 80 % of the epochs), +posthoc; numbers from the flags.
    #[arg(long, value_name = "LIST", conflicts_with = "grid")]
    compare: Option<String>,
    /// Train the paper's grid: unweighted baselines, CB softmax and sigmoid at 4 betas, CB focal at 4 betas x 3 gammas.
    #[arg(long, conflicts_with = "methods")]
    grid: bool,
    /// Train the standard set of methods (softmax, CB softmax and focal, inverse frequency,
    /// logit-adjusted, balanced softmax, LDAM-DRW, class-balanced and square-root sampling,
    /// post-hoc adjusted softmax) on the same data and start, ranked by balanced accuracy, with
    /// each one's paired difference to softmax over the seeds.
    #[arg(long, conflicts_with = "compare")]
    methods: bool,
    /// Train the beta sweep: CB softmax at beta 0, 0.9, 0.99, 0.999, 0.9999, inverse frequency
    /// and the logit-adjusted loss, on the same data and start.
    #[arg(long, conflicts_with_all = ["compare", "grid", "methods"])]
    sweep: bool,
    /// Also print the predicted class on an R x R grid over the data (single run only).
    #[arg(long, value_name = "R")]
    decision_grid: Option<usize>,
    /// `json`, or `table` for a Markdown table of test accuracies in percent (the test set is
    /// balanced, so overall accuracy equals balanced accuracy).
    #[arg(long, value_enum, default_value = "json")]
    format: OutputFormat,
}

/// A sampler by the name methods give it.
fn parse_sampler(name: &str) -> Result<Sampler, String> {
    Sampler::from_name(name).ok_or_else(|| {
        format!(
            "\"{name}\" is not a sampler: instance, class-balanced, sqrt, progressive, repeat-factor or repeat-factor:t with t in (0, 1]"
        )
    })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum OutputFormat {
    Json,
    Table,
}

/// A Markdown table of the summaries in percent: mean ± sd over seeds, or
/// the value alone for one seed (whose spread is unknown).
fn table(summaries: &[SeedSummary]) -> String {
    let cell = |m: Option<MeanSd>| match m {
        Some(MeanSd { mean, sd: Some(sd) }) => format!("{:.1} ± {:.1}", 100.0 * mean, 100.0 * sd),
        Some(MeanSd { mean, sd: None }) => format!("{:.1}", 100.0 * mean),
        None => "-".to_owned(),
    };
    let mut out = String::from(
        "| configuration | balanced | many-shot | medium-shot | few-shot |\n|---|---|---|---|---|\n",
    );
    for s in summaries {
        out += &format!(
            "| {} | {} | {} | {} | {} |\n",
            s.label,
            cell(Some(s.balanced_accuracy)),
            cell(s.many_shot),
            cell(s.medium_shot),
            cell(s.few_shot),
        );
    }
    out.trim_end().to_owned()
}

/// The methods ranked, in percent: balanced and few-shot accuracy, and the
/// paired difference of balanced accuracy to softmax on the same seeds.
fn methods_table(ranked: &[Ranked]) -> String {
    let mut out = String::from(
        "| method | balanced | few-shot | balanced, paired difference to softmax |\n|---|---|---|---|\n",
    );
    for Ranked {
        summary: s,
        vs_softmax: diff,
    } in ranked
    {
        let diff = match diff {
            _ if s.label == "softmax" => "(the reference)".to_owned(),
            Some(d) => d.percent(true),
            None => "-".to_owned(),
        };
        out += &format!(
            "| {} | {} | {} | {} |\n",
            s.label,
            s.balanced_accuracy.percent(false),
            s.few_shot.map_or("-".to_owned(), |m| m.percent(false)),
            diff
        );
    }
    out.trim_end().to_owned()
}

impl TrainArgs {
    /// The toy task's redundancy, from --prototypes or --copies.
    fn redundancy(&self) -> Option<Redundancy> {
        self.prototypes
            .map(Redundancy::Prototypes)
            .or(self.copies.map(Redundancy::Copies))
    }

    fn base_config(&self) -> Result<TrainConfig> {
        let defaults = TrainConfig::default();
        let (hidden, layers, lr) = match self.data {
            DataArg::Toy | DataArg::MultiLabelToy => (
                defaults.model.hidden,
                defaults.model.layers,
                defaults.learning_rate,
            ),
            DataArg::FashionMnistLt | DataArg::FashionMosaics => {
                let images = defaults.for_images();
                (
                    images.model.hidden,
                    images.model.layers,
                    images.learning_rate,
                )
            }
        };
        let batch = match self.batch.as_str() {
            "full" => None,
            n => match n.parse::<usize>() {
                Ok(b) if b > 0 => Some(b),
                _ => bail!("--batch must be a number >= 1 or `full`, got \"{n}\""),
            },
        };
        let loss = match self.loss {
            LossArg::Softmax => LossKind::Softmax,
            LossArg::Sigmoid => LossKind::Sigmoid,
            LossArg::Focal => LossKind::Focal,
            LossArg::LogitAdjusted => LossKind::LogitAdjusted,
            LossArg::BalancedSoftmax => LossKind::BalancedSoftmax,
            LossArg::Ldam => LossKind::Ldam,
        };
        Ok(TrainConfig {
            loss,
            tau: self.tau,
            max_margin: self.max_margin,
            scale: self.scale,
            scheme: self
                .scheme
                .unwrap_or_else(|| loss.default_scheme(self.drw_from.is_some())),
            beta: self.beta,
            gamma: self.gamma,
            model: MlpConfig {
                hidden: self.hidden.unwrap_or(hidden),
                layers: self.layers.unwrap_or(layers),
                activation: match self.activation {
                    ActivationArg::Relu => Activation::Relu,
                    ActivationArg::Tanh => Activation::Tanh,
                },
            },
            optimizer: match self.optimizer {
                OptimizerArg::Sgd => OptimizerKind::SGD,
                OptimizerArg::Adam => OptimizerKind::ADAM,
            },
            learning_rate: self.lr.unwrap_or(lr),
            batch,
            epochs: self.epochs,
            seed: self.seed,
            sampler: self.sampler,
            posthoc_tau: self.posthoc_tau,
            drw_from: self.drw_from,
        })
    }
}

/// The Fashion-MNIST-LT asset, built into the tool.
const FASHION_ASSET: &[u8] = include_bytes!("../../assets/data/fashion-mnist-lt.bin");

/// Fashion-MNIST-LT at imbalance `rho`: the first n_c(rho) training images
/// of each class, and the 200 test images of each.
fn fashion_task(rho: f64) -> Result<Task> {
    if !fashion::IMBALANCES.contains(&rho) {
        bail!(
            "--imbalance must be from {} to {} on fashion-mnist-lt, got {rho}",
            fashion::IMBALANCES.start(),
            fashion::IMBALANCES.end()
        );
    }
    let asset = FashionAsset::parse(FASHION_ASSET)?;
    let train = asset
        .train(rho)
        .expect("the imbalance is in range")
        .into_dataset();
    Ok(Task {
        train,
        test: asset.test().into_dataset(),
        counts: fashion::counts_at(rho),
        bounds: None,
    })
}

/// The toy-task options that mean nothing on Fashion-MNIST-LT, when given.
fn toy_only_flags(args: &TrainArgs) -> Vec<&'static str> {
    [
        (
            args.source.given(),
            "a counts source (--counts, --preset, ...)",
        ),
        (args.profile.max_given(), "--max"),
        (args.prototypes.is_some(), "--prototypes"),
        (args.copies.is_some(), "--copies"),
        (args.decision_grid.is_some(), "--decision-grid"),
    ]
    .into_iter()
    .filter_map(|(given, flag)| given.then_some(flag))
    .collect()
}

/// The flags of a multi-label run, and those that mean nothing there.
fn multi_label_request(args: &TrainArgs) -> Result<MultiLabelRequest> {
    let base = args.base_config()?;
    let mut refused = toy_only_flags(args);
    refused.extend(
        [
            (args.grid, "--grid"),
            (args.sweep, "--sweep"),
            (
                args.methods,
                "--methods (the standard multi-label set runs without --compare)",
            ),
            (
                !matches!(args.sampler, Sampler::Instance | Sampler::RepeatFactor(_)),
                "--sampler (with several labels a sample only repeat-factor[:t])",
            ),
            (args.posthoc_tau.is_some(), "--posthoc-tau"),
            (args.drw_from.is_some(), "--drw-from"),
            (
                args.loss != LossArg::Softmax,
                "--loss (name the methods in --compare)",
            ),
            (
                args.scheme.is_some(),
                "--scheme (name the methods in --compare)",
            ),
            (base.batch.is_none(), "--batch full"),
            (args.noise != ToyConfig::default().noise, "--noise"),
            (
                args.test_per_class != ToyConfig::default().test_per_class,
                "--test-per-class",
            ),
            (!args.profile.is_exponential(), "--profile"),
        ]
        .into_iter()
        .filter_map(|(given, flag)| given.then_some(flag)),
    );
    let mosaics = args.data == DataArg::FashionMosaics;
    if mosaics && args.profile.classes() != 10 {
        refused.push("--classes (the mosaics have Fashion-MNIST's 10)");
    }
    Ok(MultiLabelRequest {
        data: if mosaics {
            MultiLabelSource::Mosaics(FASHION_ASSET)
        } else {
            MultiLabelSource::Toy
        },
        classes: args.profile.classes(),
        imbalance: args.profile.imbalance(),
        compare: args.compare.clone(),
        repeat: match args.sampler {
            Sampler::RepeatFactor(t) => Some(t),
            _ => None,
        },
        refused,
        seed: args.seed,
        seeds: args.seeds,
        settings: MultiLabelConfig {
            beta: args.beta,
            gamma: args.gamma,
            model: base.model,
            optimizer: base.optimizer,
            learning_rate: base.learning_rate,
            batch: base.batch.unwrap_or(1),
            epochs: args.epochs,
            ..MultiLabelConfig::default()
        },
        table: args.format == OutputFormat::Table,
    })
}

pub fn run(args: &TrainArgs) -> Result<String> {
    if matches!(args.data, DataArg::MultiLabelToy | DataArg::FashionMosaics) {
        return super::train_multi_label::run(&multi_label_request(args)?);
    }
    let counts = match args.data {
        DataArg::FashionMnistLt => {
            let toy_only = toy_only_flags(args);
            if !toy_only.is_empty() {
                bail!(
                    "{} only for the toy task, not with --data fashion-mnist-lt",
                    toy_only.join(", ")
                );
            }
            fashion::counts_at(args.profile.imbalance())
        }
        DataArg::Toy if args.source.given() => args.source.load(Unit::Instances)?.counts,
        DataArg::Toy => args.profile.counts(500)?,
        DataArg::MultiLabelToy | DataArg::FashionMosaics => {
            unreachable!("multi-label runs return above")
        }
    };
    let base = args.base_config()?;
    let configs = if args.grid {
        paper_grid(&base)
    } else if args.methods {
        standard_methods(&base)
    } else if args.sweep {
        beta_sweep(&base)
    } else if let Some(list) = &args.compare {
        parse_compare_list(list, &base).map_err(anyhow::Error::msg)?
    } else {
        vec![base]
    };
    if configs.is_empty() {
        bail!("--compare lists no configuration");
    }
    for config in &configs {
        validate(config, &counts)?;
    }
    if args.seeds == 0 {
        bail!("--seeds must be at least 1");
    }
    let seeds: Vec<u64> = (args.seed..args.seed + args.seeds).collect();
    let fashion = args.data == DataArg::FashionMnistLt;
    let tasks = if fashion {
        // The images are the same for every seed: one task serves all.
        vec![fashion_task(args.profile.imbalance())?]
    } else {
        seeds
            .iter()
            .map(|&seed| {
                let toy = ToyConfig {
                    noise: args.noise,
                    test_per_class: args.test_per_class,
                    seed,
                    prototypes: args.redundancy(),
                };
                Ok(Task::from(make_toy_task(&counts, &toy)?))
            })
            .collect::<Result<Vec<Task>>>()?
    };
    let task_of = |s: usize| s.min(tasks.len() - 1);

    let jobs: Vec<(usize, TrainConfig)> = (0..seeds.len())
        .flat_map(|s| {
            let seed = seeds[s];
            let task = task_of(s);
            configs
                .iter()
                .map(move |c| (task, TrainConfig { seed, ..*c }))
        })
        .collect();
    let (reports, seconds) = run_jobs(&tasks, &jobs)?;

    let task = if !fashion {
        json!({
            "data": "toy",
            "counts": counts,
            "train_points": tasks[0].train.len(),
            "test_points": tasks[0].test.len(),
            "noise": args.noise,
            "prototypes": args.prototypes,
            "copies": args.copies,
            "seeds": seeds,
        })
    } else {
        json!({
            "data": "fashion-mnist-lt",
            "imbalance": args.profile.imbalance(),
            "counts": counts,
            "names": FASHION_MNIST_CLASSES,
            "train_points": tasks[0].train.len(),
            "test_points": tasks[0].test.len(),
            "features": tasks[0].train.dim,
            "seeds": seeds,
        })
    };
    let mut out = json!({ "task": task, "seconds": seconds });
    let mut summaries: Vec<SeedSummary> = (0..configs.len())
        .map(|c| {
            let runs: Vec<RunReport> = (0..seeds.len())
                .map(|s| reports[s * configs.len() + c].clone())
                .collect();
            summarise(&runs)
        })
        .collect();
    if args.methods {
        let runs: Vec<Vec<RunReport>> = (0..configs.len())
            .map(|c| {
                (0..seeds.len())
                    .map(|s| reports[s * configs.len() + c].clone())
                    .collect()
            })
            .collect();
        let ranked = rank_methods(&runs);
        if args.format == OutputFormat::Table {
            return Ok(methods_table(&ranked));
        }
        out["methods"] = json!(ranked);
        return Ok(out.to_string());
    }
    if args.grid {
        summaries.sort_by(|a, b| {
            b.balanced_accuracy
                .mean
                .total_cmp(&a.balanced_accuracy.mean)
        });
    }
    if args.format == OutputFormat::Table {
        return Ok(table(&summaries));
    }
    if args.seeds > 1 {
        out["summary"] = json!(summaries);
    } else {
        let mut reports = reports;
        if args.grid {
            reports.sort_by(|a, b| {
                b.metrics
                    .balanced_accuracy
                    .total_cmp(&a.metrics.balanced_accuracy)
            });
        }
        out["runs"] = json!(reports);
        if let (Some(resolution), [config], Some(bounds)) =
            (args.decision_grid, configs.as_slice(), tasks[0].bounds)
        {
            let task = &tasks[0];
            let mut trainer = CpuTrainer::new(&task.train, &task.counts, config)?;
            trainer.run_to_end();
            out["decision_grid"] = json!({
                "resolution": resolution,
                "bounds": bounds,
                // (With the run's post-hoc adjustment, as its metrics.)
                "classes": predict_run(
                    config,
                    trainer.model(),
                    points_array(&grid_points(&bounds, resolution)).view(),
                    &task.counts,
                ),
            });
        }
    }
    Ok(out.to_string())
}

/// Trains every (task, configuration) job on all cores, with a progress bar on
/// stderr when it is a terminal; the reports come back in job order, with the
/// wall-clock seconds of the whole batch.
#[allow(clippy::disallowed_methods)] // Native only: the CLI never runs in wasm.
fn run_jobs(tasks: &[Task], jobs: &[(usize, TrainConfig)]) -> Result<(Vec<RunReport>, f64)> {
    let start = std::time::Instant::now();
    let progress = ProgressBar::new(jobs.len() as u64).with_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} runs {elapsed_precise} {msg}")
            .expect("a valid template"),
    );
    let reports = jobs
        .par_iter()
        .map(|(task, config)| {
            let t = &tasks[*task];
            let report = train_and_evaluate(&t.train, &t.test, &t.counts, config)?;
            progress.set_message(report.label.clone());
            progress.inc(1);
            Ok(report)
        })
        .collect::<Result<Vec<_>>>()?;
    progress.finish_and_clear();
    Ok((reports, start.elapsed().as_secs_f64()))
}
