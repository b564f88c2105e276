//! `cblab loss`: a class-balanced loss and its gradient for one batch.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::Args;
use serde::Deserialize;
use serde_json::json;

use crate::balance::effective_number::Beta;
use crate::balance::losses::{LossKind, batch_loss};
use crate::balance::weights::class_balanced_weights;

#[derive(Debug, Args)]
pub struct LossArgs {
    /// A JSON file: {"loss": "softmax"|"sigmoid"|"focal", "beta": B, "gamma": G,
    /// "counts": [...], "logits": [[...], ...], "labels": [...]}.
    #[arg(long, value_name = "FILE")]
    input: PathBuf,
}

/// The batch to evaluate, as the JSON file gives it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    loss: LossKind,
    beta: Option<f64>,
    one_minus_beta: Option<f64>,
    gamma: Option<f64>,
    counts: Vec<u64>,
    logits: Vec<Vec<f64>>,
    labels: Vec<usize>,
}

pub fn run(args: &LossArgs) -> Result<String> {
    let text = std::fs::read_to_string(&args.input)
        .with_context(|| format!("cannot read {}", args.input.display()))?;
    let case: Case = serde_json::from_str(&text)
        .with_context(|| format!("{} is not a loss case", args.input.display()))?;
    let beta = match (case.beta, case.one_minus_beta) {
        (Some(b), None) => Beta::new(b)?,
        (None, Some(e)) => Beta::from_one_minus(e)?,
        _ => bail!("give exactly one of \"beta\" and \"one_minus_beta\""),
    };
    let gamma = match (case.loss, case.gamma) {
        (LossKind::Focal, None) => bail!("the focal loss needs \"gamma\""),
        (_, gamma) => gamma.unwrap_or(0.0),
    };
    let weights = class_balanced_weights(&case.counts, beta)?;
    let out = batch_loss(
        case.loss.with_gamma(gamma),
        &case.logits,
        &case.labels,
        &weights.weights,
    )?;
    Ok(json!({ "loss": out.loss, "grad": out.grad }).to_string())
}
