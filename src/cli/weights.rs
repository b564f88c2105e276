//! `cblab weights`: per-class weights as JSON or as a snippet for another tool.

use anyhow::{Result, bail};
use clap::{Args, ValueEnum};
use serde_json::json;

use super::counts::CountsSource;
use crate::balance::beta_range::beta_range;
use crate::balance::effective_number::{Beta, effective_numbers};
use crate::balance::weights::{SchemeKind, class_weights};
use crate::data::export::{ExportFormat, export_weights};

#[derive(Clone, Copy, Debug, ValueEnum)]
enum SchemeArg {
    /// Class-balanced: proportional to 1 / E_n.
    Cb,
    /// Every class weighs 1.
    None,
    /// Proportional to 1 / n.
    Inverse,
    /// Proportional to 1 / sqrt(n).
    SqrtInverse,
    /// scikit-learn's n_total / (C * n).
    Balanced,
}

impl From<SchemeArg> for SchemeKind {
    fn from(s: SchemeArg) -> Self {
        match s {
            SchemeArg::Cb => SchemeKind::Cb,
            SchemeArg::None => SchemeKind::None,
            SchemeArg::Inverse => SchemeKind::Inverse,
            SchemeArg::SqrtInverse => SchemeKind::SqrtInverse,
            SchemeArg::Balanced => SchemeKind::Balanced,
        }
    }
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum FormatArg {
    Json,
    Csv,
    Python,
    Numpy,
    Torch,
    Keras,
}

impl From<FormatArg> for ExportFormat {
    fn from(f: FormatArg) -> Self {
        match f {
            FormatArg::Json => ExportFormat::Json,
            FormatArg::Csv => ExportFormat::Csv,
            FormatArg::Python => ExportFormat::Python,
            FormatArg::Numpy => ExportFormat::Numpy,
            FormatArg::Torch => ExportFormat::Torch,
            FormatArg::Keras => ExportFormat::Keras,
        }
    }
}

/// beta, given directly or as 1 - beta (at most one; only `--scheme cb` uses it).
#[derive(Debug, Args)]
#[group(required = false, multiple = false)]
pub struct BetaArg {
    /// beta in [0, 1).
    #[arg(long, allow_negative_numbers = true)]
    beta: Option<f64>,
    /// 1 - beta in (0, 1], for beta very close to 1 (e.g. 1e-8).
    #[arg(long, allow_negative_numbers = true)]
    one_minus_beta: Option<f64>,
}

impl BetaArg {
    /// The beta given, if any.
    pub fn beta(&self) -> Result<Option<Beta>> {
        Ok(match (self.beta, self.one_minus_beta) {
            (Some(b), _) => Some(Beta::new(b)?),
            (None, Some(e)) => Some(Beta::from_one_minus(e)?),
            (None, None) => None,
        })
    }

    /// How the flag was spelled, for messages.
    fn flag(&self) -> &'static str {
        if self.beta.is_some() {
            "--beta"
        } else {
            "--one-minus-beta"
        }
    }
}

#[derive(Debug, Args)]
pub struct WeightsArgs {
    #[command(flatten)]
    beta: BetaArg,
    #[command(flatten)]
    source: CountsSource,
    /// The weighting scheme.
    #[arg(long, value_enum, default_value = "cb")]
    scheme: SchemeArg,
    /// json prints everything; the others print only the snippet.
    #[arg(long, value_enum, default_value = "json")]
    format: FormatArg,
    /// Add `beta_range` to the JSON: the betas between which the class-balanced
    /// weights move (below: within 5 % of all ones; above: within 5 % of inverse frequency).
    #[arg(long)]
    advise: bool,
}

/// Weights for the counts; for `--scheme cb` the JSON also has `beta`,
/// `one_minus_beta` and `effective_numbers`, which the other schemes do not
/// use and leave out. A beta given to another scheme is refused, not ignored.
pub fn run(args: &WeightsArgs) -> Result<String> {
    let scheme = SchemeKind::from(args.scheme);
    let beta = match (scheme, args.beta.beta()?) {
        (SchemeKind::Cb, Some(beta)) => Some(beta),
        (SchemeKind::Cb, None) => {
            bail!("--scheme cb needs beta: give --beta B (0 <= B < 1) or --one-minus-beta E")
        }
        (_, None) => None,
        (other, Some(_)) => bail!(
            "--scheme {} does not use beta: leave out {} (only --scheme cb uses it)",
            other.name(),
            args.beta.flag()
        ),
    };
    let parsed = args.source.load()?;
    let rule = match beta {
        Some(beta) => scheme.with_beta(beta),
        None => scheme
            .without_beta()
            .expect("only cb needs a beta, and it has one here"),
    };
    let weights = class_weights(&parsed.counts, rule)?;
    let format = ExportFormat::from(args.format);
    if args.advise && format != ExportFormat::Json {
        bail!("--advise adds beta_range to the JSON: use it with --format json");
    }
    if format != ExportFormat::Json {
        let snippet = export_weights(&weights.weights, parsed.names.as_deref(), format);
        return Ok(snippet.trim_end().to_owned());
    }
    // In this order: scheme, beta and 1 - beta, counts, effective numbers, weights.
    let mut out = json!({ "scheme": scheme.name() });
    if let Some(beta) = beta {
        out["beta"] = json!(beta.value());
        out["one_minus_beta"] = json!(beta.one_minus());
    }
    out["counts"] = json!(parsed.counts);
    if let Some(beta) = beta {
        out["effective_numbers"] = json!(effective_numbers(&parsed.counts, beta));
    }
    out["weights"] = json!(weights.weights);
    out["empty_classes"] = json!(weights.empty_classes);
    if let Some(names) = parsed.names {
        out["names"] = json!(names);
    }
    if args.advise {
        let range = beta_range(&parsed.counts);
        let (low, high) = (range.low, range.high);
        out["beta_range"] = json!({
            "imbalance": range.imbalance,
            "low": low.map(Beta::value),
            "one_minus_low": low.map(Beta::one_minus),
            "high": high.map(Beta::value),
            "one_minus_high": high.map(Beta::one_minus),
        });
    }
    Ok(out.to_string())
}
