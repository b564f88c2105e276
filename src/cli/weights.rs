//! `cblab weights`: per-class weights as JSON or as a snippet for another tool.

use anyhow::{Result, bail};
use clap::{Args, ValueEnum};
use serde_json::json;

use super::annotations::Unit;
use super::counts::{CountsSource, MultiLabelArg};
use super::scheme::{REPEAT_FACTOR, WeightRule, weight_rule_parser};
use crate::balance::beta_range::beta_range;
use crate::balance::effective_number::{Beta, effective_numbers};
use crate::balance::multi_label::{CbMode, MultiLabelLoss, MultiLabelObjective, Weighting};
use crate::balance::repeat_factor::{DEFAULT_THRESHOLD, image_repeat_factors, repeat_factors};
use crate::balance::weights::{SchemeKind, class_weights};
use crate::data::counts_input::ParsedCounts;
use crate::data::export::{
    ExportFormat, export_multi_label_weights, export_repeat_factors, export_weights,
};
use crate::data::label_sets::LabelSets;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
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
    /// The weighting scheme: cb (1 / E_n, mean 1), none, inverse (1 / n, mean
    /// 1), sqrt-inverse (1 / sqrt(n), mean 1), balanced (scikit-learn's
    /// n_total / (C n)), median-frequency (median(n) / n, Eigen & Fergus),
    /// enet (1 / ln(1.02 + n / n_total), ENet); or repeat-factor, LVIS's
    /// sampling factor max(1, sqrt(t / f)), f the fraction of images holding the class.
    #[arg(long, value_parser = weight_rule_parser(), default_value = "cb")]
    scheme: WeightRule,
    /// With --scheme repeat-factor: the threshold t.
    #[arg(long)]
    threshold: Option<f64>,
    /// With --scheme repeat-factor and counts given as images per class: the
    /// number of images.
    #[arg(long)]
    samples: Option<u64>,
    /// json prints everything; the others print only the snippet.
    #[arg(long, value_enum, default_value = "json")]
    format: FormatArg,
    /// Add `beta_range` to the JSON: the betas between which the class-balanced
    /// weights move (below: within 5 % of all ones; above: within 5 % of inverse frequency).
    #[arg(long)]
    advise: bool,
    #[command(flatten)]
    multi_label: MultiLabelArg,
    /// With --multi-label: where a class's weight goes. by-class puts w_c on every
    /// term of class c; by-sample gives a sample the mean of w_c over its positive
    /// classes, on all its terms, and prints `sample_weights`.
    #[arg(long, value_enum, requires = "multi_label")]
    cb_mode: Option<CbModeArg>,
    /// With --from: weigh by instances (annotations) or by the images that
    /// hold each class.
    #[arg(long, value_enum)]
    unit: Option<Unit>,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum CbModeArg {
    /// w_c on every term of class c, positive and negative.
    ByClass,
    /// The mean of w_c over a sample's positive classes, on all its terms.
    BySample,
}

impl From<CbModeArg> for CbMode {
    fn from(m: CbModeArg) -> Self {
        match m {
            CbModeArg::ByClass => CbMode::ByClass,
            CbModeArg::BySample => CbMode::BySample,
        }
    }
}

/// Weights for the counts; for `--scheme cb` the JSON also has `beta`,
/// `one_minus_beta` and `effective_numbers`, which the other schemes do not
/// use and leave out. A beta given to another scheme is refused, not ignored.
pub fn run(args: &WeightsArgs) -> Result<String> {
    let scheme = match args.scheme {
        WeightRule::Scheme(scheme) => scheme,
        WeightRule::RepeatFactor => return repeat_factor(args),
    };
    if args.threshold.is_some() || args.samples.is_some() {
        bail!(
            "--threshold and --samples are the repeat factor's: use them with --scheme {REPEAT_FACTOR}"
        );
    }
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
    let multi_label = args.multi_label.load(&args.source)?;
    let parsed = match &multi_label {
        Some(m) => ParsedCounts {
            counts: m.counts.positives.clone(),
            names: m.names.clone(),
        },
        None => args.source.load(args.unit.unwrap_or_default())?,
    };
    if args.unit.is_some() && !args.source.reads_annotations() {
        bail!(
            "--unit chooses between the instances and the images of an annotation file: give it with --from"
        );
    }
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
    let mode = args.cb_mode.map_or(CbMode::ByClass, CbMode::from);
    if format != ExportFormat::Json {
        let names = parsed.names.as_deref();
        let snippet = match multi_label {
            Some(_) => export_multi_label_weights(&weights.weights, names, mode, format),
            None => export_weights(&weights.weights, names, format),
        };
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
    if let Some(unit) = args.source.annotation_unit(args.unit.unwrap_or_default()) {
        out["unit"] = json!(unit.name());
    }
    if let Some(m) = &multi_label {
        for key in ["unit", "samples", "cardinality"] {
            out[key] = m.json()[key].clone();
        }
        out["cb_mode"] = json!(mode.name());
        if mode == CbMode::BySample {
            out["sample_weights"] = json!(sample_weights(&m.sets, &weights.weights));
        }
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

/// Each sample's weight by sample, from the core's term weights.
fn sample_weights(sets: &LabelSets, weights: &[f64]) -> Vec<f64> {
    let weighting = Weighting::Classes {
        weights: weights.to_vec(),
        mode: CbMode::BySample,
    };
    let counts = sets.counts();
    let objective = MultiLabelObjective::new(
        MultiLabelLoss::Sigmoid,
        weighting,
        &counts.positives,
        counts.samples,
    )
    .expect("the weights are the counts' own");
    let mut w = vec![0.0; sets.classes];
    sets.multi_hot()
        .iter()
        .map(|y| {
            objective.term_weights(y, &mut w);
            w[0]
        })
        .collect()
}

/// `--scheme repeat-factor`: LVIS's per-class repeat factors, from the images
/// per class and the number of images (an annotation file's, label sets', or
/// counts read as images per class with --samples), and for label sets each
/// image's factor summed: the images an epoch draws.
fn repeat_factor(args: &WeightsArgs) -> Result<String> {
    if args.beta.beta()?.is_some() {
        bail!(
            "--scheme {REPEAT_FACTOR} does not use beta: leave out {}",
            args.beta.flag()
        );
    }
    if args.unit == Some(Unit::Instances) {
        bail!("repeat factors count the images that hold each class: leave out --unit instances");
    }
    let threshold = args.threshold.unwrap_or(DEFAULT_THRESHOLD);
    let multi_label = args.multi_label.load(&args.source)?;
    let (counts, images, names, sets) = if let Some(m) = multi_label {
        (m.counts.positives, m.counts.samples, m.names, Some(m.sets))
    } else if let Some(a) = args.source.annotations()? {
        let (parsed, _) = a.counts(Unit::Images);
        (parsed.counts, a.images(), parsed.names, None)
    } else {
        let Some(images) = args.samples else {
            bail!(
                "--scheme {REPEAT_FACTOR} needs the number of images: give --samples N with counts of images per class, or --from FILE, or --labels-file FILE --multi-label"
            );
        };
        let parsed = args.source.load(Unit::Images)?;
        (parsed.counts, images, parsed.names, None)
    };
    if args.samples.is_some_and(|n| n != images) {
        bail!("--samples is for counts without their images: this source says {images}");
    }
    let factors = repeat_factors(&counts, images, threshold)?;
    if args.format != FormatArg::Json {
        let format = ExportFormat::from(args.format);
        let snippet = export_repeat_factors(&factors, names.as_deref(), threshold, format);
        return Ok(snippet.trim_end().to_owned());
    }
    let empty: Vec<usize> = (0..counts.len()).filter(|&c| counts[c] == 0).collect();
    let mut out = json!({
        "scheme": REPEAT_FACTOR,
        "kind": "sampling",
        "threshold": threshold,
        "counts": counts,
        "unit": "images",
        "samples": images,
        "repeat_factors": factors,
        "empty_classes": empty,
    });
    if let Some(names) = names {
        out["names"] = json!(names);
    }
    if let Some(sets) = sets {
        let per_image = image_repeat_factors(sets.sets.iter().map(Vec::as_slice), &factors);
        out["epoch_images"] = json!(per_image.iter().sum::<f64>());
    }
    Ok(out.to_string())
}
