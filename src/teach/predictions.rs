//! Predict, then see: at the moments where intuition fails, the reader first
//! sets a guess on a slider, then the page reveals the core's value beside it
//! and says why (Kim, Reinecke and Hullman, CHI 2017: readers who predicted
//! first recalled and understood the data better).
//!
//! A prediction's words are in `locales/en.lesson.json` under
//! `predict.<id>.*`: `prompt`, and `why` with the truth's named values.

use crate::balance::effective_number::{Beta, effective_number};
use crate::balance::weights::{class_balanced_weights, head_and_tail};
use crate::data::profiles::preset_counts;
use crate::teach::coverage::expected_covered;
use crate::teach::section::Section;

/// A value the core computes, with the values its explanation names.
#[derive(Clone, Debug, PartialEq)]
pub struct Truth {
    /// What the reader guesses.
    pub value: f64,
    /// Placeholders of the `why` words, each a number from the core.
    pub named: Vec<(&'static str, f64)>,
}

/// A guess asked before a figure is shown.
#[derive(Clone, Copy, Debug)]
pub struct Prediction {
    /// Its name, in ids and keys.
    pub id: &'static str,
    /// The section it opens.
    pub section: Section,
    /// The slider's ends and step.
    pub min: f64,
    /// See `min`.
    pub max: f64,
    /// See `min`.
    pub step: f64,
    /// The value and why, from the core.
    pub truth: fn() -> Truth,
}

/// How far a guess is from the truth.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Closeness {
    /// Within [`CLOSE`] of the truth.
    Close,
    /// Above it.
    High,
    /// Below it.
    Low,
}

/// A guess within this fraction of the truth is close.
pub const CLOSE: f64 = 0.1;

/// The n-th sample's share of a new prototype: E_n - E_(n-1) = beta^(n-1).
fn last_share(n: u32, beta: Beta) -> f64 {
    effective_number(f64::from(n), beta) - effective_number(f64::from(n - 1), beta)
}

/// Ten draws from ten prototypes: how many distinct ones?
fn ten_draws() -> Truth {
    let (draws, prototypes) = (10, 10);
    let beta = Beta::from_prototypes(f64::from(prototypes)).expect("N >= 1");
    Truth {
        value: expected_covered(draws, prototypes),
        named: vec![("last", last_share(draws, beta)), ("beta", beta.value())],
    }
}

/// A hundred samples at beta = 0.99: what are they worth?
fn hundred_at_099() -> Truth {
    let beta = Beta::new(0.99).expect("valid");
    Truth {
        value: effective_number(100.0, beta),
        named: vec![
            ("last", last_share(100, beta)),
            ("big_n", beta.prototypes()),
        ],
    }
}

/// CIFAR-10-LT at imbalance 100 and beta = 0.999: how many times the head
/// class's weight does CB give the tail class? (Inverse frequency: 100.)
fn cb_ratio() -> Truth {
    let beta = Beta::new(0.999).expect("valid");
    let counts = preset_counts("cifar10-lt-100").expect("a preset");
    let weights = class_balanced_weights(&counts, beta)
        .expect("no empty class")
        .weights;
    let (head, tail) = head_and_tail(&counts);
    Truth {
        value: weights[tail] / weights[head],
        named: vec![
            ("head", weights[head]),
            ("tail", weights[tail]),
            ("e_head", effective_number(counts[head] as f64, beta)),
            ("big_n", beta.prototypes()),
        ],
    }
}

/// The lesson's predictions, in section order.
pub const PREDICTIONS: [Prediction; 3] = [
    Prediction {
        id: "overlap-ten",
        section: Section::Overlap,
        min: 1.0,
        max: 10.0,
        step: 0.1,
        truth: ten_draws,
    },
    Prediction {
        id: "definition-hundred",
        section: Section::Definition,
        min: 1.0,
        max: 100.0,
        step: 1.0,
        truth: hundred_at_099,
    },
    Prediction {
        id: "class-balanced-ratio",
        section: Section::ClassBalanced,
        min: 1.0,
        max: 100.0,
        step: 1.0,
        truth: cb_ratio,
    },
];

impl Prediction {
    /// The prediction named `id`.
    pub fn find(id: &str) -> Option<&'static Prediction> {
        PREDICTIONS.iter().find(|p| p.id == id)
    }

    /// Where the slider starts: halfway, so that it suggests no answer.
    pub fn start(&self) -> f64 {
        let half = (self.min + self.max) / 2.0;
        (half / self.step).round() * self.step
    }

    /// How `guess` stands against the truth.
    pub fn judge(&self, guess: f64) -> Closeness {
        let truth = (self.truth)().value;
        if (guess - truth).abs() <= CLOSE * truth {
            Closeness::Close
        } else if guess > truth {
            Closeness::High
        } else {
            Closeness::Low
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_truths_are_the_cores() {
        let ten = (Prediction::find("overlap-ten").unwrap().truth)();
        // 10 (1 - 0.9^10): the tenth draw is new with probability 0.9^9.
        assert!((ten.value - 10.0 * (1.0 - 0.9f64.powi(10))).abs() < 1e-12);
        assert!((ten.value - 6.513).abs() < 1e-3);
        assert!((ten.named[0].1 - 0.9f64.powi(9)).abs() < 1e-12);
        let hundred = (Prediction::find("definition-hundred").unwrap().truth)();
        assert!((hundred.value - (1.0 - 0.99f64.powi(100)) / 0.01).abs() < 1e-9);
        assert!((hundred.value - 63.40).abs() < 0.01);
        assert!((hundred.named[0].1 - 0.99f64.powi(99)).abs() < 1e-9);
        assert!((hundred.named[1].1 - 100.0).abs() < 1e-9);
        // The guide's worked example: 3.688 / 0.181 at beta = 0.999.
        let ratio = (Prediction::find("class-balanced-ratio").unwrap().truth)();
        assert!((ratio.named[0].1 - 0.181).abs() < 5e-4);
        assert!((ratio.named[1].1 - 3.688).abs() < 5e-4);
        assert!((ratio.value - 3.6883194128766266 / 0.18118700691918607).abs() < 1e-9);
    }

    #[test]
    fn guesses_are_judged_within_ten_percent() {
        let p = Prediction::find("definition-hundred").unwrap();
        assert_eq!(p.judge(63.0), Closeness::Close);
        assert_eq!(p.judge(69.0), Closeness::Close);
        assert_eq!(p.judge(100.0), Closeness::High);
        assert_eq!(p.judge(50.0), Closeness::Low);
    }

    #[test]
    fn every_prediction_fits_its_slider_and_has_words() {
        use crate::i18n::{Lang, tr};
        for p in &PREDICTIONS {
            let truth = (p.truth)().value;
            assert!(p.min <= truth && truth <= p.max, "{}", p.id);
            assert!(p.min <= p.start() && p.start() <= p.max, "{}", p.id);
            for part in ["prompt", "why", "unit"] {
                let key = format!("predict.{}.{part}", p.id);
                for lang in Lang::ALL {
                    assert_ne!(tr(lang, &key), key, "{key} is missing in {lang:?}");
                }
            }
            for (name, _) in (p.truth)().named {
                let why = tr(Lang::En, &format!("predict.{}.why", p.id));
                assert!(why.contains(&format!("{{{name}}}")), "{}: {name}", p.id);
            }
        }
    }
}
