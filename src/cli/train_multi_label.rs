//! `cblab train --data multi-label-toy` and `--data fashion-mosaics`: several labels a sample. The methods
//! of `--compare` (`[scheme-]loss[+by-sample]`) or the standard multi-label
//! set, over seeds, scored by mAP, mAP over the many, medium and few classes
//! and F1. `--sampler repeat-factor[:t]` draws images by LVIS's repeat factor
//! for every method that names no sampler of its own. The single-label
//! experiments (--grid, --sweep), the other samplers, post-hoc adjustment and
//! deferred re-weighting are refused by name: none of them has one meaning
//! with several labels a sample.

use anyhow::{Result, bail};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use serde_json::json;

use crate::data::dataset::MultiLabelTask;
use crate::data::fashion::FashionAsset;
use crate::data::fashion_mosaics::{MosaicConfig, make_mosaics};
use crate::data::multi_label_toy::{MultiLabelToyConfig, make_multi_label_toy};
use crate::data::profiles::FASHION_MNIST_CLASSES;
use crate::train::batches::Threshold;
use crate::train::experiments::MeanSd;
use crate::train::multi_label_trainer::{MultiLabelConfig, MultiLabelMethod, MultiLabelTrainer};
use crate::train::ranking::MultiLabelMetrics;

/// What a multi-label run trains on.
pub enum MultiLabelSource {
    /// The multi-label toy task.
    Toy,
    /// Fashion-MNIST mosaics, from the asset's bytes.
    Mosaics(&'static [u8]),
}

/// What a multi-label run takes from `cblab train`'s flags.
pub struct MultiLabelRequest {
    /// The data.
    pub data: MultiLabelSource,
    /// --classes.
    pub classes: usize,
    /// --imbalance.
    pub imbalance: f64,
    /// --compare, if given.
    pub compare: Option<String>,
    /// `--sampler repeat-factor[:t]`: the sampler of every method that names none.
    pub repeat: Option<Threshold>,
    /// Flags given that mean nothing here, by name.
    pub refused: Vec<&'static str>,
    /// The first seed.
    pub seed: u64,
    /// How many seeds.
    pub seeds: u64,
    /// Every run's settings but its method and seed.
    pub settings: MultiLabelConfig,
    /// A Markdown table instead of JSON.
    pub table: bool,
}

fn mean(
    metrics: &[MultiLabelMetrics],
    pick: &dyn Fn(&MultiLabelMetrics) -> Option<f64>,
) -> Option<MeanSd> {
    let values: Vec<f64> = metrics.iter().filter_map(pick).collect();
    MeanSd::of(&values)
}

fn cell(v: Option<MeanSd>) -> String {
    v.map_or("–".to_owned(), |m| m.percent(false))
}

#[allow(clippy::disallowed_methods)] // Native only: the CLI never runs in wasm.
pub fn run(request: &MultiLabelRequest) -> Result<String> {
    if !request.refused.is_empty() {
        bail!(
            "{} not on multi-label data: they have no single meaning with several labels a sample (see docs/methods.md)",
            request.refused.join(", ")
        );
    }
    if request.seeds == 0 {
        bail!("--seeds must be at least 1");
    }
    let methods: Vec<MultiLabelMethod> = match &request.compare {
        Some(list) => list
            .split(',')
            .filter(|s| !s.trim().is_empty())
            .map(MultiLabelMethod::parse)
            .collect::<Result<_, String>>()
            .map_err(anyhow::Error::msg)?,
        None => MultiLabelMethod::STANDARD.to_vec(),
    };
    let methods: Vec<MultiLabelMethod> = methods
        .into_iter()
        .map(|m| MultiLabelMethod {
            repeat: m.repeat.or(request.repeat),
            ..m
        })
        .collect();
    if methods.is_empty() {
        bail!("--compare lists no method");
    }
    let seeds: Vec<u64> = (request.seed..request.seed + request.seeds).collect();
    let asset = match request.data {
        MultiLabelSource::Mosaics(bytes) => {
            Some(FashionAsset::parse(bytes).map_err(|e| anyhow::anyhow!("{e}"))?)
        }
        MultiLabelSource::Toy => None,
    };
    let tasks: Vec<MultiLabelTask> = seeds
        .iter()
        .map(|&seed| -> Result<MultiLabelTask> {
            Ok(match &asset {
                Some(asset) => make_mosaics(
                    asset,
                    &MosaicConfig {
                        imbalance: request.imbalance,
                        seed,
                        ..MosaicConfig::default()
                    },
                )?,
                None => make_multi_label_toy(&MultiLabelToyConfig {
                    classes: request.classes,
                    imbalance: request.imbalance,
                    seed,
                    ..MultiLabelToyConfig::default()
                })?,
            })
        })
        .collect::<Result<_>>()?;
    let config = |method, seed| MultiLabelConfig {
        method,
        seed,
        ..request.settings
    };
    // Every configuration checked before any trains.
    for &m in &methods {
        MultiLabelTrainer::new(&tasks[0].train, &config(m, seeds[0]))?;
    }
    let jobs: Vec<(usize, MultiLabelMethod)> = (0..seeds.len())
        .flat_map(|s| methods.iter().map(move |&m| (s, m)))
        .collect();
    let start = std::time::Instant::now();
    let progress = ProgressBar::new(jobs.len() as u64).with_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} runs {elapsed_precise} {msg}")
            .expect("a valid template"),
    );
    let results = jobs
        .par_iter()
        .map(|&(s, method)| {
            let task = &tasks[s];
            let mut trainer = MultiLabelTrainer::new(&task.train, &config(method, seeds[s]))?;
            trainer.run_to_end();
            progress.set_message(method.name());
            progress.inc(1);
            Ok(trainer.evaluate(&task.test, &task.counts.positives))
        })
        .collect::<Result<Vec<MultiLabelMetrics>>>()?;
    progress.finish_and_clear();
    let seconds = start.elapsed().as_secs_f64();
    let of_method = |i: usize| -> Vec<MultiLabelMetrics> {
        (0..seeds.len())
            .map(|s| results[s * methods.len() + i].clone())
            .collect()
    };
    if request.table {
        let mut out = String::from(
            "| method | mAP | many | medium | few | micro F1 |\n|---|---|---|---|---|---|\n",
        );
        for (i, m) in methods.iter().enumerate() {
            let runs = of_method(i);
            out += &format!(
                "| {} | {} | {} | {} | {} | {} |\n",
                m.name(),
                cell(mean(&runs, &|r| r.map)),
                cell(mean(&runs, &|r| r.many_map)),
                cell(mean(&runs, &|r| r.medium_map)),
                cell(mean(&runs, &|r| r.few_map)),
                cell(mean(&runs, &|r| Some(r.micro_f1))),
            );
        }
        return Ok(out.trim_end().to_owned());
    }
    let runs: Vec<serde_json::Value> = methods
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let runs = of_method(i);
            json!({
                "method": m.name(),
                "map": mean(&runs, &|r| r.map),
                "many_map": mean(&runs, &|r| r.many_map),
                "medium_map": mean(&runs, &|r| r.medium_map),
                "few_map": mean(&runs, &|r| r.few_map),
                "micro_f1": mean(&runs, &|r| Some(r.micro_f1)),
                "macro_f1": mean(&runs, &|r| r.macro_f1),
                "seeds": runs,
            })
        })
        .collect();
    let counts = &tasks[0].counts;
    Ok(json!({
        "task": {
            "data": if asset.is_some() { "fashion-mosaics" } else { "multi-label-toy" },
            "names": asset.is_some().then_some(FASHION_MNIST_CLASSES),
            "imbalance": request.imbalance,
            "counts": counts.positives,
            "unit": "samples carrying the class",
            "samples": counts.samples,
            "cardinality": counts.cardinality,
            "test_points": tasks[0].test.len(),
            "seeds": seeds,
        },
        "seconds": seconds,
        "runs": runs,
    })
    .to_string())
}
