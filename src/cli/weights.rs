//! `cblab weights`: per-class weights as JSON or as a snippet for another tool.

use anyhow::Result;
use clap::{Args, ValueEnum};
use serde_json::json;

use super::counts::CountsSource;
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

/// beta, given directly or as 1 - beta (exactly one).
#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub struct BetaArg {
    /// beta in [0, 1).
    #[arg(long, allow_negative_numbers = true)]
    beta: Option<f64>,
    /// 1 - beta in (0, 1], for beta very close to 1 (e.g. 1e-8).
    #[arg(long, allow_negative_numbers = true)]
    one_minus_beta: Option<f64>,
}

impl BetaArg {
    pub fn beta(&self) -> Result<Beta> {
        Ok(match (self.beta, self.one_minus_beta) {
            (Some(b), _) => Beta::new(b)?,
            (None, Some(e)) => Beta::from_one_minus(e)?,
            (None, None) => unreachable!("clap requires one of --beta and --one-minus-beta"),
        })
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
}

pub fn run(args: &WeightsArgs) -> Result<String> {
    let beta = args.beta.beta()?;
    let parsed = args.source.load()?;
    let scheme = SchemeKind::from(args.scheme);
    let weights = class_weights(&parsed.counts, scheme.with_beta(beta))?;
    let format = ExportFormat::from(args.format);
    if format != ExportFormat::Json {
        let snippet = export_weights(&weights.weights, parsed.names.as_deref(), format);
        return Ok(snippet.trim_end().to_owned());
    }
    let mut out = json!({
        "scheme": scheme.name(),
        "beta": beta.value(),
        "one_minus_beta": beta.one_minus(),
        "counts": parsed.counts,
        "effective_numbers": effective_numbers(&parsed.counts, beta),
        "weights": weights.weights,
        "empty_classes": weights.empty_classes,
    });
    if let Some(names) = parsed.names {
        out["names"] = json!(names);
    }
    Ok(out.to_string())
}
