//! `cblab evaluate`: a practitioner's own predictions scored the long-tail
//! way. Several labels a sample: per-class AP, mAP and mAP over the many,
//! medium and few classes, F1 at a threshold. One label a sample
//! (`--true-labels`): accuracy, balanced accuracy and the shot groups.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::Args;
use serde_json::json;

use super::annotations::Unit;
use super::counts::CountsSource;
use crate::balance::losses::sigmoid;
use crate::train::metrics::{argmax, metrics};
use crate::train::ranking::multi_label_metrics;

#[derive(Debug, Args)]
pub struct EvaluateArgs {
    /// A CSV of scores, one row a sample, one column a class: probabilities
    /// (or logits with --logits).
    #[arg(long, value_name = "FILE")]
    scores: PathBuf,
    /// A CSV of 0/1 targets, one row a sample (several labels a sample).
    #[arg(
        long,
        value_name = "FILE",
        required_unless_present = "true_labels",
        conflicts_with = "true_labels"
    )]
    targets: Option<PathBuf>,
    /// A file of true class indices, one a line (one label a sample), instead of --targets.
    #[arg(long, value_name = "FILE")]
    true_labels: Option<PathBuf>,
    /// The training counts (positives per class for --targets), which split
    /// the classes into many, medium and few.
    #[command(flatten)]
    counts: CountsSource,
    /// The probability at or above which a class is predicted, for F1.
    #[arg(long, default_value_t = 0.5)]
    threshold: f64,
    /// The scores are logits: their sigmoid is the probability.
    #[arg(long)]
    logits: bool,
}

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
}

/// Rows of numbers, each `classes` long, finite; errors name the line.
fn number_rows(path: &Path, classes: usize) -> Result<Vec<Vec<f64>>> {
    let text = read(path)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.with_context(|| format!("in {}", path.display()))?;
        let line = record.position().map_or(0, |p| p.line());
        if record.len() != classes {
            bail!(
                "{} line {line}: {} values, but the counts have {classes} classes",
                path.display(),
                record.len()
            );
        }
        let row = record
            .iter()
            .map(|field| match field.parse::<f64>() {
                Ok(v) if v.is_finite() => Ok(v),
                _ => bail!(
                    "{} line {line}: \"{field}\" is not a finite number",
                    path.display()
                ),
            })
            .collect::<Result<Vec<f64>>>()?;
        rows.push(row);
    }
    if rows.is_empty() {
        bail!("{} has no rows", path.display());
    }
    Ok(rows)
}

fn same_rows(scores: usize, other: usize, what: &str) -> Result<()> {
    if scores != other {
        bail!("{scores} rows of scores but {other} {what}");
    }
    Ok(())
}

pub fn run(args: &EvaluateArgs) -> Result<String> {
    let counts = args.counts.load(Unit::Instances)?.counts;
    let classes = counts.len();
    if !(0.0..=1.0).contains(&args.threshold) {
        bail!(
            "--threshold is a probability in [0, 1], got {}",
            args.threshold
        );
    }
    let mut scores = number_rows(&args.scores, classes)?;
    if args.logits {
        scores.iter_mut().flatten().for_each(|s| *s = sigmoid(*s));
    } else if let Some((i, _)) = scores
        .iter()
        .enumerate()
        .find(|(_, row)| row.iter().any(|s| !(0.0..=1.0).contains(s)))
    {
        bail!(
            "{} line {}: a score outside [0, 1]; give --logits if the scores are logits",
            args.scores.display(),
            i + 1
        );
    }
    if let Some(path) = &args.true_labels {
        let text = read(path)?;
        let mut labels = Vec::new();
        for (i, line) in text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
        {
            match line.trim().parse::<usize>() {
                Ok(y) if y < classes => labels.push(y),
                _ => bail!(
                    "{} line {}: \"{}\" is not a class index below {classes}",
                    path.display(),
                    i + 1,
                    line.trim()
                ),
            }
        }
        same_rows(scores.len(), labels.len(), "true labels")?;
        let predicted: Vec<usize> = scores.iter().map(|row| argmax(row)).collect();
        let m = metrics(&predicted, &labels, &counts);
        return Ok(json!({
            "accuracy": m.accuracy,
            "balanced_accuracy": m.balanced_accuracy,
            "per_class": m.per_class,
            "many_shot": m.many_shot,
            "medium_shot": m.medium_shot,
            "few_shot": m.few_shot,
        })
        .to_string());
    }
    let path = args
        .targets
        .as_ref()
        .expect("clap requires --targets or --true-labels");
    let rows = number_rows(path, classes)?;
    same_rows(scores.len(), rows.len(), "rows of targets")?;
    let mut targets = Vec::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        if row.iter().any(|&t| t != 0.0 && t != 1.0) {
            bail!("{} line {}: targets are 0 or 1", path.display(), i + 1);
        }
        targets.push(row.iter().map(|&t| t == 1.0).collect());
    }
    let m = multi_label_metrics(&scores, &targets, &counts, args.threshold);
    let without_ap: Vec<usize> = (0..classes)
        .filter(|&c| m.per_class_ap[c].is_none())
        .collect();
    let mut out = serde_json::to_value(&m)?;
    out["classes_without_test_positive"] = json!(without_ap);
    Ok(out.to_string())
}
