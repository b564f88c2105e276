//! The names of the losses, as the CLI, JSON and the URL spell them: the
//! paper's three ([`Loss`]) and the adjusted softmaxes that came after. Its own
//! file so that both kinds of loss can name each other's kind without their
//! files importing each other.

use serde::{Deserialize, Serialize};

use crate::balance::losses::Loss;
use crate::balance::weights::SchemeKind;

/// The name of a loss, as the CLI, JSON and the URL spell it: the paper's
/// three, and the adjusted softmaxes that came after
/// ([`crate::balance::adjusted_softmax`], built from the class counts).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LossKind {
    /// See [`Loss::Softmax`].
    Softmax,
    /// See [`Loss::Sigmoid`].
    Sigmoid,
    /// See [`Loss::Focal`].
    Focal,
    /// CE(z + tau log pi).
    LogitAdjusted,
    /// CE(z + log n).
    BalancedSoftmax,
    /// CE(s (z - Delta_y e_y)).
    Ldam,
}

impl LossKind {
    /// The paper's three losses.
    pub const PAPER: [LossKind; 3] = [LossKind::Softmax, LossKind::Sigmoid, LossKind::Focal];

    /// Every loss.
    pub const ALL: [LossKind; 6] = [
        LossKind::Softmax,
        LossKind::Sigmoid,
        LossKind::Focal,
        LossKind::LogitAdjusted,
        LossKind::BalancedSoftmax,
        LossKind::Ldam,
    ];

    /// `softmax`, `sigmoid`, `focal`, `logit-adjusted`, `balanced-softmax` or `ldam`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Softmax => "softmax",
            Self::Sigmoid => "sigmoid",
            Self::Focal => "focal",
            Self::LogitAdjusted => "logit-adjusted",
            Self::BalancedSoftmax => "balanced-softmax",
            Self::Ldam => "ldam",
        }
    }

    /// How a run's label writes it.
    pub fn label(self) -> &'static str {
        match self {
            Self::BalancedSoftmax => "balanced softmax",
            Self::Ldam => "LDAM",
            other => other.name(),
        }
    }

    /// The loss with this name.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.name() == name)
    }

    /// Whether this is one of the paper's three losses, not an adjusted softmax.
    pub fn is_paper(self) -> bool {
        Self::PAPER.contains(&self)
    }

    /// The weighting this loss trains with when none is named: class-balanced
    /// for the paper's three; none for the adjusted softmaxes, which carry the
    /// class prior in their logits already, except in the deferred phase of
    /// deferred re-weighting (`deferred`), which exists to weight (LDAM-DRW's
    /// recipe: class-balanced at beta 0.9999).
    pub fn default_scheme(self, deferred: bool) -> SchemeKind {
        if self.is_paper() || deferred {
            SchemeKind::Cb
        } else {
            SchemeKind::None
        }
    }

    /// One of the paper's losses, with gamma for focal; `None` for the
    /// adjusted softmaxes, which need the counts.
    pub fn paper(self, gamma: f64) -> Option<Loss> {
        match self {
            Self::Softmax => Some(Loss::Softmax),
            Self::Sigmoid => Some(Loss::Sigmoid),
            Self::Focal => Some(Loss::Focal { gamma }),
            Self::LogitAdjusted | Self::BalancedSoftmax | Self::Ldam => None,
        }
    }
}

impl Loss {
    /// The loss's name without its parameter.
    pub fn kind(self) -> LossKind {
        match self {
            Self::Softmax => LossKind::Softmax,
            Self::Sigmoid => LossKind::Sigmoid,
            Self::Focal { .. } => LossKind::Focal,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adjusted_losses_train_unweighted_unless_deferred() {
        for kind in LossKind::ALL {
            let want = if kind.is_paper() {
                SchemeKind::Cb
            } else {
                SchemeKind::None
            };
            assert_eq!(kind.default_scheme(false), want, "{}", kind.name());
            assert_eq!(kind.default_scheme(true), SchemeKind::Cb, "{}", kind.name());
        }
        assert_eq!(LossKind::PAPER.map(LossKind::is_paper), [true; 3]);
    }
}
