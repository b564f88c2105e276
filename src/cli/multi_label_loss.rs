//! `cblab loss` on multi-hot targets: a case with `"targets"` (rows of 0/1)
//! instead of `"labels"`, for the sigmoid, focal, distribution-balanced and
//! asymmetric losses.

use anyhow::{Result, bail};
use serde::Deserialize;
use serde_json::json;

use crate::balance::effective_number::Beta;
use crate::balance::multi_label::{
    AslParams, CbMode, DbParams, MultiLabelKind, MultiLabelLoss, MultiLabelObjective, Weighting,
    multi_label_batch_loss,
};
use crate::balance::weights::{SchemeKind, class_weights};

/// The batch to evaluate, as the JSON file gives it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MultiLabelCase {
    loss: MultiLabelKind,
    scheme: Option<SchemeKind>,
    beta: Option<f64>,
    one_minus_beta: Option<f64>,
    cb_mode: Option<String>,
    gamma: Option<f64>,
    samples: Option<u64>,
    db_alpha: Option<f64>,
    db_beta: Option<f64>,
    db_mu: Option<f64>,
    neg_scale: Option<f64>,
    init_bias: Option<f64>,
    balance: Option<f64>,
    gamma_pos: Option<f64>,
    gamma_neg: Option<f64>,
    clip: Option<f64>,
    counts: Vec<u64>,
    logits: Vec<Vec<f64>>,
    targets: Vec<Vec<u8>>,
}

impl MultiLabelCase {
    fn refuse_unused(&self) -> Result<()> {
        let db = self.loss == MultiLabelKind::DistributionBalanced;
        let asl = self.loss == MultiLabelKind::Asymmetric;
        let given = [
            (
                "gamma",
                self.gamma.is_some() && !matches!(self.loss, MultiLabelKind::Focal) && !db,
            ),
            ("db_alpha", self.db_alpha.is_some() && !db),
            ("db_beta", self.db_beta.is_some() && !db),
            ("db_mu", self.db_mu.is_some() && !db),
            ("neg_scale", self.neg_scale.is_some() && !db),
            ("init_bias", self.init_bias.is_some() && !db),
            ("balance", self.balance.is_some() && !db),
            ("gamma_pos", self.gamma_pos.is_some() && !asl),
            ("gamma_neg", self.gamma_neg.is_some() && !asl),
            ("clip", self.clip.is_some() && !asl),
        ];
        if let Some((name, _)) = given.iter().find(|(_, unused)| *unused) {
            bail!(
                "\"{name}\" is not a parameter of the {} loss",
                self.loss.name()
            );
        }
        Ok(())
    }

    fn loss(&self) -> Result<MultiLabelLoss> {
        Ok(match self.loss {
            MultiLabelKind::Sigmoid => MultiLabelLoss::Sigmoid,
            MultiLabelKind::Focal => match self.gamma {
                Some(gamma) => MultiLabelLoss::Focal { gamma },
                None => bail!("the focal loss needs \"gamma\""),
            },
            MultiLabelKind::DistributionBalanced => {
                let d = DbParams::default();
                MultiLabelLoss::DistributionBalanced(DbParams {
                    alpha: self.db_alpha.unwrap_or(d.alpha),
                    beta: self.db_beta.unwrap_or(d.beta),
                    mu: self.db_mu.unwrap_or(d.mu),
                    neg_scale: self.neg_scale.unwrap_or(d.neg_scale),
                    init_bias: self.init_bias.unwrap_or(d.init_bias),
                    gamma: self.gamma.unwrap_or(d.gamma),
                    balance: self.balance.unwrap_or(d.balance),
                })
            }
            MultiLabelKind::Asymmetric => {
                let d = AslParams::default();
                MultiLabelLoss::Asymmetric(AslParams {
                    gamma_pos: self.gamma_pos.unwrap_or(d.gamma_pos),
                    gamma_neg: self.gamma_neg.unwrap_or(d.gamma_neg),
                    clip: self.clip.unwrap_or(d.clip),
                })
            }
        })
    }

    /// The scheme's class weights placed by the mode (cb and by-class unless
    /// given, for sigmoid and focal; none for DB and ASL).
    fn weighting(&self) -> Result<Weighting> {
        let default = if self.loss.class_weighted_by_default() {
            SchemeKind::Cb
        } else {
            SchemeKind::None
        };
        let scheme = self.scheme.unwrap_or(default);
        let beta = match (self.beta, self.one_minus_beta) {
            (Some(b), None) => Some(Beta::new(b)?),
            (None, Some(e)) => Some(Beta::from_one_minus(e)?),
            (None, None) => None,
            (Some(_), Some(_)) => bail!("give one of \"beta\" and \"one_minus_beta\", not both"),
        };
        let mode = match self.cb_mode.as_deref() {
            None => None,
            Some(name) => Some(CbMode::from_name(name).ok_or_else(|| {
                anyhow::anyhow!("\"cb_mode\" is by-class or by-sample, not \"{name}\"")
            })?),
        };
        let rule = match (scheme, beta) {
            (SchemeKind::None, None) => {
                if mode.is_some() {
                    bail!(
                        "\"cb_mode\" places class weights: with no scheme there are none to place"
                    );
                }
                return Ok(Weighting::None);
            }
            (SchemeKind::Cb, Some(beta)) => scheme.with_beta(beta),
            (SchemeKind::Cb, None) => bail!("the cb scheme needs \"beta\" or \"one_minus_beta\""),
            (other, None) => other.without_beta().expect("only cb needs a beta"),
            (other, Some(_)) => bail!(
                "the {} scheme does not use beta: leave out \"beta\" and \"one_minus_beta\"",
                other.name()
            ),
        };
        Ok(Weighting::Classes {
            weights: class_weights(&self.counts, rule)?.weights,
            mode: mode.unwrap_or_default(),
        })
    }

    fn targets(&self) -> Result<Vec<Vec<bool>>> {
        self.targets
            .iter()
            .enumerate()
            .map(|(i, row)| {
                row.iter()
                    .enumerate()
                    .map(|(c, &t)| match t {
                        0 => Ok(false),
                        1 => Ok(true),
                        other => bail!("targets[{i}][{c}] is {other}; targets are 0 or 1"),
                    })
                    .collect()
            })
            .collect()
    }
}

/// `{"loss": L, "grad": [[...]]}` for the case.
pub fn run(case: &MultiLabelCase) -> Result<String> {
    case.refuse_unused()?;
    let samples = match (case.loss, case.samples) {
        (_, Some(n)) => n,
        (MultiLabelKind::DistributionBalanced, None) => {
            bail!(
                "the distribution-balanced loss needs \"samples\" (N, the training samples), for its bias -log(N / n_c - 1)"
            )
        }
        (_, None) => case.counts.iter().copied().max().unwrap_or(0),
    };
    let objective =
        MultiLabelObjective::new(case.loss()?, case.weighting()?, &case.counts, samples)?;
    let out = multi_label_batch_loss(&objective, &case.logits, &case.targets()?)?;
    Ok(json!({ "loss": out.loss, "grad": out.grad }).to_string())
}
