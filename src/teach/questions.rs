//! The lesson's questions: one to three at the end of every section,
//! multiple choice with a reason for every wrong answer, or a number that
//! the core computes for the page's current state, with a tolerance.
//!
//! A question's words are in `locales/en.lesson.json` under
//! `question.<id>.*`: `prompt`, `answer` (said by "show the answer"), and
//! per option `<option>` (its text) and `<option>.why` (why it is right or
//! wrong); a number's `hint` is said when an answer is off. Answers are kept
//! with the state they were given under ([`Question::state_key`]), so an
//! answer given under another beta or other counts is said to be so, not
//! judged against the new state.

use crate::balance::effective_number::{Beta, effective_number};
use crate::balance::weights::{class_balanced_weights, head_and_tail};
use crate::teach::coverage::expected_covered;
use crate::teach::section::Section;

/// What a numeric question's answer depends on: the explorer's counts and beta.
#[derive(Clone, Copy, Debug)]
pub struct Inputs<'a> {
    /// Samples per class.
    pub counts: &'a [u64],
    /// The explorer's beta.
    pub beta: Beta,
}

/// An option of a multiple-choice question.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Choice {
    /// Its name, in the keys and in the saved answer.
    pub id: &'static str,
    /// Whether it is the right answer (exactly one is).
    pub correct: bool,
}

/// How close a number must be.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Tolerance {
    /// Within this fraction of the answer.
    Relative(f64),
    /// Within this distance of the answer.
    Absolute(f64),
}

/// A question's kind.
#[derive(Clone, Copy, Debug)]
pub enum Kind {
    /// Pick one of these.
    Choice(&'static [Choice]),
    /// A number, computed by the core for the page's state.
    Number {
        /// The answer for these inputs; `None` where there is none (every
        /// class empty).
        answer: fn(&Inputs) -> Option<f64>,
        /// How close is right.
        tolerance: Tolerance,
        /// What of the explorer's state the answer follows (its prompt then
        /// names the values it uses).
        follows: Follows,
    },
}

/// What of the explorer's state a numeric answer depends on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Follows {
    /// Nothing: the question sets its own numbers.
    Nothing,
    /// The class counts.
    Counts,
    /// The class counts and beta.
    CountsAndBeta,
}

/// A question at the end of a section.
#[derive(Clone, Copy, Debug)]
pub struct Question {
    /// Its name: keys, saved answers and the page's ids use it.
    pub id: &'static str,
    /// The section it ends.
    pub section: Section,
    /// Choice or number.
    pub kind: Kind,
}

/// How an answer fares.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Verdict {
    /// Right; for a choice, the option (its `why` says why).
    Right,
    /// Wrong: for a choice, the option picked (its `why` says why); for a
    /// number, whether it is above the answer.
    Wrong { too_high: Option<bool> },
    /// Not a number, or not an option.
    Unreadable,
    /// No answer exists for this state (every class empty).
    NoAnswer,
}

const fn choice(id: &'static str, correct: bool) -> Choice {
    Choice { id, correct }
}

/// Inverse frequency's weight of the rarest class over the most frequent's.
fn inverse_ratio(inputs: &Inputs) -> Option<f64> {
    let (head, tail) = head_and_tail(inputs.counts);
    let (h, t) = (*inputs.counts.get(head)?, *inputs.counts.get(tail)?);
    (t > 0).then(|| h as f64 / t as f64)
}

/// The class-balanced weight of the rarest class, normalised as the official code does.
fn cb_tail_weight(inputs: &Inputs) -> Option<f64> {
    let (_, tail) = head_and_tail(inputs.counts);
    let weights = class_balanced_weights(inputs.counts, inputs.beta).ok()?;
    weights.weights.get(tail).copied()
}

/// Questions renamed since readers began keeping answers, (old id, new id):
/// a kept answer under the old id is the new one's.
pub const RENAMED: [(&str, &str); 1] = [("after-multi-label", "several-labels-mode")];

/// Every question, in the lesson's order.
pub const QUESTIONS: [Question; 12] = [
    Question {
        id: "long-tail-inverse",
        section: Section::LongTail,
        kind: Kind::Number {
            answer: inverse_ratio,
            tolerance: Tolerance::Relative(0.01),
            follows: Follows::Counts,
        },
    },
    Question {
        id: "long-tail-why",
        section: Section::LongTail,
        kind: Kind::Choice(&[
            choice("label-noise", false),
            choice("overlap", true),
            choice("harder", false),
        ]),
    },
    Question {
        id: "overlap-cover",
        section: Section::Overlap,
        kind: Kind::Number {
            answer: |_| Some(expected_covered(20, 20)),
            tolerance: Tolerance::Absolute(0.5),
            follows: Follows::Nothing,
        },
    },
    Question {
        id: "definition-value",
        section: Section::Definition,
        kind: Kind::Number {
            answer: |_| Some(effective_number(1000.0, Beta::new(0.99).expect("valid"))),
            tolerance: Tolerance::Relative(0.01),
            follows: Follows::Nothing,
        },
    },
    Question {
        id: "definition-limit",
        section: Section::Definition,
        kind: Kind::Choice(&[
            choice("one", false),
            choice("n", true),
            choice("big-n", false),
        ]),
    },
    Question {
        id: "induction-overlap",
        section: Section::Induction,
        kind: Kind::Choice(&[
            choice("one-over-n", false),
            choice("covered-share", true),
            choice("samples-share", false),
        ]),
    },
    Question {
        id: "class-balanced-tail",
        section: Section::ClassBalanced,
        kind: Kind::Number {
            answer: cb_tail_weight,
            tolerance: Tolerance::Relative(0.01),
            follows: Follows::CountsAndBeta,
        },
    },
    Question {
        id: "losses-gamma",
        section: Section::Losses,
        kind: Kind::Choice(&[
            choice("softmax", false),
            choice("sigmoid", true),
            choice("nothing", false),
        ]),
    },
    Question {
        id: "results-beta",
        section: Section::Results,
        kind: Kind::Choice(&[
            choice("same", false),
            choice("smaller", true),
            choice("larger", false),
        ]),
    },
    Question {
        id: "after-what",
        section: Section::After,
        kind: Kind::Choice(&[
            choice("sampler", false),
            choice("logits", true),
            choice("network", false),
        ]),
    },
    Question {
        id: "several-labels-counts",
        section: Section::SeveralLabels,
        kind: Kind::Choice(&[
            choice("samples", false),
            choice("labels", true),
            choice("classes", false),
        ]),
    },
    Question {
        id: "several-labels-mode",
        section: Section::SeveralLabels,
        kind: Kind::Choice(&[
            choice("per-class", false),
            choice("mean", true),
            choice("max", false),
        ]),
    },
];

impl Question {
    /// The questions that end `section`.
    pub fn of(section: Section) -> impl Iterator<Item = &'static Question> {
        QUESTIONS.iter().filter(move |q| q.section == section)
    }

    /// The question named `id`.
    pub fn find(id: &str) -> Option<&'static Question> {
        QUESTIONS.iter().find(|q| q.id == id)
    }

    /// The right answer for `inputs`: a number, or the right option's id.
    pub fn answer(&self, inputs: &Inputs) -> Option<Answer> {
        match self.kind {
            Kind::Choice(options) => options
                .iter()
                .find(|o| o.correct)
                .map(|o| Answer::Choice(o.id)),
            Kind::Number { answer, .. } => answer(inputs).map(Answer::Number),
        }
    }

    /// What of the explorer's state the question's words and answer follow
    /// (a choice follows nothing).
    pub fn follows(&self) -> Follows {
        match self.kind {
            Kind::Choice(_) => Follows::Nothing,
            Kind::Number { follows, .. } => follows,
        }
    }

    /// What the answer depends on, as text kept with a saved answer: empty
    /// for a question whose answer never changes; beta and the counts for
    /// one that follows the explorer (the counts as a hash: a reader's
    /// 10,000 classes are not copied into storage).
    pub fn state_key(&self, inputs: &Inputs) -> String {
        let counts = || format!("counts={:016x}", counts_hash(inputs.counts));
        match self.kind {
            Kind::Number { follows, .. } => match follows {
                Follows::Nothing => String::new(),
                Follows::Counts => counts(),
                Follows::CountsAndBeta => format!("beta={};{}", inputs.beta, counts()),
            },
            Kind::Choice(_) => String::new(),
        }
    }

    /// Grades `given` (an option's id, or a number as typed) for `inputs`.
    pub fn grade(&self, given: &str, inputs: &Inputs) -> Verdict {
        match self.kind {
            Kind::Choice(options) => match options.iter().find(|o| o.id == given) {
                Some(o) if o.correct => Verdict::Right,
                Some(_) => Verdict::Wrong { too_high: None },
                None => Verdict::Unreadable,
            },
            Kind::Number {
                answer, tolerance, ..
            } => {
                let Some(value) = read_number(given) else {
                    return Verdict::Unreadable;
                };
                let Some(want) = answer(inputs) else {
                    return Verdict::NoAnswer;
                };
                let slack = match tolerance {
                    Tolerance::Relative(r) => r * want.abs(),
                    Tolerance::Absolute(a) => a,
                };
                if (value - want).abs() <= slack {
                    Verdict::Right
                } else {
                    Verdict::Wrong {
                        too_high: Some(value > want),
                    }
                }
            }
        }
    }
}

/// A right answer, as "show the answer" says it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Answer {
    /// The right option's id.
    Choice(&'static str),
    /// The number.
    Number(f64),
}

/// A number as a reader types it: "12.8", "12,8" (a decimal comma), "1e2",
/// with spaces around; nothing else.
pub fn read_number(text: &str) -> Option<f64> {
    let t = text.trim().replace(',', ".");
    crate::data::decimal::parse_f64(&t).filter(|v| v.is_finite())
}

/// FNV-1a of the counts, so that a saved answer knows the counts it was given for.
fn counts_hash(counts: &[u64]) -> u64 {
    counts.iter().fold(0xcbf2_9ce4_8422_2325, |h, &c| {
        c.to_le_bytes()
            .iter()
            .fold(h, |h, &b| (h ^ b as u64).wrapping_mul(0x0100_0000_01b3))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Lang, tr};

    #[test]
    fn renamed_questions_lead_to_questions_there_are() {
        for (old, new) in RENAMED {
            assert!(QUESTIONS.iter().any(|q| q.id == new), "{new}");
            assert!(QUESTIONS.iter().all(|q| q.id != old), "{old} is back");
        }
    }

    fn cifar10_lt() -> Vec<u64> {
        crate::explorer::state::Distribution::preset("cifar10-lt-100")
            .unwrap()
            .counts
    }

    #[test]
    fn every_section_ends_with_one_to_three_questions_and_every_choice_has_one_right_option() {
        for section in Section::ALL {
            let n = Question::of(section).count();
            assert!((1..=3).contains(&n), "{section:?} has {n} questions");
        }
        for q in QUESTIONS {
            if let Kind::Choice(options) = q.kind {
                assert_eq!(options.iter().filter(|o| o.correct).count(), 1, "{}", q.id);
                assert!(options.len() >= 3, "{}", q.id);
            }
            assert_eq!(Question::find(q.id).unwrap().id, q.id, "ids are unique");
        }
    }

    #[test]
    fn every_question_has_its_words_in_both_languages() {
        for q in QUESTIONS {
            let mut keys = vec![format!("question.{}.prompt", q.id)];
            match q.kind {
                Kind::Choice(options) => {
                    for o in options {
                        keys.push(format!("question.{}.{}", q.id, o.id));
                        keys.push(format!("question.{}.{}.why", q.id, o.id));
                    }
                }
                Kind::Number { .. } => {
                    keys.push(format!("question.{}.hint", q.id));
                    keys.push(format!("question.{}.answer", q.id));
                }
            }
            for key in keys {
                for lang in Lang::ALL {
                    let words = tr(lang, &key);
                    assert_ne!(words, key, "{key} is missing in {lang:?}");
                    // The page redraws a question's words only when what it
                    // follows changes: words naming beta or a count must follow it.
                    if words.contains("{beta}") {
                        assert_eq!(q.follows(), Follows::CountsAndBeta, "{key}");
                    } else if words.contains("{head}") || words.contains("{tail}") {
                        assert_ne!(q.follows(), Follows::Nothing, "{key}");
                    }
                }
            }
        }
    }

    #[test]
    fn numbers_come_from_the_core_for_the_current_state() {
        let counts = cifar10_lt();
        let inputs = Inputs {
            counts: &counts,
            beta: Beta::new(0.999).unwrap(),
        };
        let q = |id| Question::find(id).unwrap();
        // 5000 / 50 on CIFAR-10-LT at imbalance 100.
        assert_eq!(
            q("long-tail-inverse").answer(&inputs),
            Some(Answer::Number(100.0))
        );
        // The lesson's own figure for the 50-image class at beta = 0.999: 3.688.
        let Some(Answer::Number(w)) = q("class-balanced-tail").answer(&inputs) else {
            panic!()
        };
        assert!((w - 3.688).abs() < 5e-4, "{w}");
        // 20 draws from 20 prototypes cover 20 (1 - 0.95^20) = 12.83.
        let Some(Answer::Number(c)) = q("overlap-cover").answer(&inputs) else {
            panic!()
        };
        assert!((c - 20.0 * (1.0 - 0.95f64.powi(20))).abs() < 1e-9);
        assert_eq!(q("overlap-cover").grade("12.8", &inputs), Verdict::Right);
        assert_eq!(q("overlap-cover").grade("12,5", &inputs), Verdict::Right);
        assert_eq!(
            q("overlap-cover").grade("20", &inputs),
            Verdict::Wrong {
                too_high: Some(true)
            }
        );
        // (1 - 0.99^1000) / 0.01 = 99.996.
        assert_eq!(q("definition-value").grade("100", &inputs), Verdict::Right);
        assert_eq!(
            q("definition-value").grade("1000", &inputs),
            Verdict::Wrong {
                too_high: Some(true)
            }
        );
        assert_eq!(
            q("definition-value").grade("ten", &inputs),
            Verdict::Unreadable
        );
    }

    #[test]
    fn an_answer_follows_the_state_it_was_given_under() {
        let counts = cifar10_lt();
        let at = |beta| Inputs {
            counts: &counts,
            beta: Beta::new(beta).unwrap(),
        };
        let q = Question::find("class-balanced-tail").unwrap();
        assert_ne!(q.state_key(&at(0.999)), q.state_key(&at(0.99)));
        assert_eq!(q.grade("3.69", &at(0.999)), Verdict::Right);
        assert!(matches!(q.grade("3.69", &at(0.99)), Verdict::Wrong { .. }));
        let other = [5000, 49];
        assert_ne!(
            q.state_key(&at(0.999)),
            q.state_key(&Inputs {
                counts: &other,
                beta: Beta::new(0.999).unwrap()
            })
        );
        // The inverse ratio follows the counts only: another beta leaves it be.
        let inverse = Question::find("long-tail-inverse").unwrap();
        assert_eq!(inverse.state_key(&at(0.999)), inverse.state_key(&at(0.9)));
        // A question whose answer is fixed has no state to keep.
        let fixed = Question::find("overlap-cover").unwrap();
        assert_eq!(fixed.state_key(&at(0.9)), "");
        // Every class empty: no answer, said as such rather than judged.
        let empty = [0, 0];
        let none = Inputs {
            counts: &empty,
            beta: Beta::new(0.9).unwrap(),
        };
        assert_eq!(
            Question::find("long-tail-inverse")
                .unwrap()
                .grade("1", &none),
            Verdict::NoAnswer
        );
        assert_eq!(q.grade("1", &none), Verdict::NoAnswer);
    }

    #[test]
    fn choices_are_graded_by_option() {
        let counts = [10];
        let inputs = Inputs {
            counts: &counts,
            beta: Beta::ZERO,
        };
        let q = Question::find("losses-gamma").unwrap();
        assert_eq!(q.grade("sigmoid", &inputs), Verdict::Right);
        assert_eq!(
            q.grade("softmax", &inputs),
            Verdict::Wrong { too_high: None }
        );
        assert_eq!(q.grade("", &inputs), Verdict::Unreadable);
        assert_eq!(q.answer(&inputs), Some(Answer::Choice("sigmoid")));
    }
}
