//! `cblab loss`: a loss and its gradient with respect to the logits for one
//! batch: the paper's class-balanced softmax, sigmoid and focal, or one of
//! the adjusted softmaxes that came after (logit-adjusted, balanced softmax,
//! LDAM), each optionally weighted by a scheme.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::Args;
use serde::Deserialize;
use serde_json::json;

use super::multi_label_loss::MultiLabelCase;
use crate::balance::adjusted_softmax::{
    AdjustedSoftmax, DEFAULT_MAX_MARGIN, DEFAULT_SCALE, DEFAULT_TAU,
};
use crate::balance::effective_number::Beta;
use crate::balance::loss_kind::LossKind;
use crate::balance::losses::batch_loss;
use crate::balance::weights::{SchemeKind, class_weights};

#[derive(Debug, Args)]
pub struct LossArgs {
    /// A JSON file: {"loss": "softmax"|"sigmoid"|"focal"|"logit-adjusted"|"balanced-softmax"|"ldam",
    /// "counts": [...], "logits": [[...], ...], "labels": [...]}, with "gamma" for focal,
    /// "tau" (default 1) for logit-adjusted, "max_margin" (0.5) and "scale" (30) for ldam,
    /// and a weighting: "scheme" (cb for the paper's three unless given, none for the others)
    /// with "beta" or "one_minus_beta" for cb. Several labels a sample: "targets" (rows of 0/1)
    /// instead of "labels", "loss" sigmoid|focal|distribution-balanced|asymmetric, "cb_mode"
    /// (by-class|by-sample), "samples" (N; DB needs it), DB's "db_alpha", "db_beta", "db_mu",
    /// "neg_scale", "init_bias", "gamma", "balance" and ASL's "gamma_pos", "gamma_neg", "clip".
    #[arg(long, value_name = "FILE")]
    input: PathBuf,
}

/// The batch to evaluate, as the JSON file gives it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    loss: LossKind,
    scheme: Option<SchemeKind>,
    beta: Option<f64>,
    one_minus_beta: Option<f64>,
    gamma: Option<f64>,
    tau: Option<f64>,
    max_margin: Option<f64>,
    scale: Option<f64>,
    counts: Vec<u64>,
    logits: Vec<Vec<f64>>,
    labels: Vec<usize>,
}

impl Case {
    /// Refuses a parameter the loss does not use, rather than ignore it.
    fn unused(&self, name: &str, given: bool) -> Result<()> {
        if given {
            bail!(
                "\"{name}\" is not a parameter of the {} loss",
                self.loss.name()
            );
        }
        Ok(())
    }

    /// The class weights: the scheme (cb by default for the paper's losses,
    /// none for the adjusted softmaxes), with beta for cb only.
    fn weights(&self) -> Result<Vec<f64>> {
        let scheme = self.scheme.unwrap_or(self.loss.default_scheme(false));
        let beta = match (self.beta, self.one_minus_beta) {
            (Some(b), None) => Some(Beta::new(b)?),
            (None, Some(e)) => Some(Beta::from_one_minus(e)?),
            (None, None) => None,
            (Some(_), Some(_)) => bail!("give one of \"beta\" and \"one_minus_beta\", not both"),
        };
        let rule = match (scheme, beta) {
            (SchemeKind::Cb, Some(beta)) => scheme.with_beta(beta),
            (SchemeKind::Cb, None) => {
                bail!("the cb scheme needs \"beta\" or \"one_minus_beta\"")
            }
            (other, None) => other.without_beta().expect("only cb needs a beta"),
            (other, Some(_)) => bail!(
                "the {} scheme does not use beta: leave out \"beta\" and \"one_minus_beta\"",
                other.name()
            ),
        };
        Ok(class_weights(&self.counts, rule)?.weights)
    }
}

pub fn run(args: &LossArgs) -> Result<String> {
    let text = std::fs::read_to_string(&args.input)
        .with_context(|| format!("cannot read {}", args.input.display()))?;
    let not_a_case = || format!("{} is not a loss case", args.input.display());
    let value: serde_json::Value = serde_json::from_str(&text).with_context(not_a_case)?;
    if value.get("targets").is_some() {
        let case: MultiLabelCase = serde_json::from_value(value).with_context(not_a_case)?;
        return super::multi_label_loss::run(&case);
    }
    let case: Case = serde_json::from_value(value).with_context(not_a_case)?;
    let adjusted = case.loss.paper(0.0).is_none();
    // gamma is accepted and unused by softmax and sigmoid, as it always was.
    case.unused("gamma", case.gamma.is_some() && adjusted)?;
    case.unused(
        "tau",
        case.tau.is_some() && case.loss != LossKind::LogitAdjusted,
    )?;
    let ldam = case.loss == LossKind::Ldam;
    case.unused("max_margin", case.max_margin.is_some() && !ldam)?;
    case.unused("scale", case.scale.is_some() && !ldam)?;
    let weights = case.weights()?;
    let adjusted_loss = AdjustedSoftmax::for_kind(
        case.loss,
        &case.counts,
        case.tau.unwrap_or(DEFAULT_TAU),
        case.max_margin.unwrap_or(DEFAULT_MAX_MARGIN),
        case.scale.unwrap_or(DEFAULT_SCALE),
    );
    let out = if let Some(loss) = adjusted_loss {
        batch_loss(&loss?, &case.logits, &case.labels, &weights)?
    } else {
        let gamma = match (case.loss, case.gamma) {
            (LossKind::Focal, None) => bail!("the focal loss needs \"gamma\""),
            (_, gamma) => gamma.unwrap_or(0.0),
        };
        let loss = case
            .loss
            .paper(gamma)
            .expect("a loss not adjusted is the paper's");
        batch_loss(loss, &case.logits, &case.labels, &weights)?
    };
    Ok(json!({ "loss": out.loss, "grad": out.grad }).to_string())
}
