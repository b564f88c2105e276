//! Per-class loss weights: the class-balanced term (Cui et al. 2019, section 4,
//! w_i = (1 - beta) / (1 - beta^{n_i}) = 1 / E_{n_i}) and the schemes people
//! compare it with.
//!
//! Normalisation follows the official code: weights are rescaled so that their
//! mean over the classes is 1 (sum = C). Empty classes (n_i = 0) get weight 0,
//! and the mean is taken over the non-empty classes only, so an empty class
//! neither gets an infinite weight nor shrinks the others. The schemes of
//! other authors keep their authors' normalisation: scikit-learn's balanced,
//! median-frequency balancing and ENet's weights are used as their formulas
//! give them.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::balance::effective_number::{Beta, effective_number, effective_number_at};
use crate::i18n::Message;

/// A way to weight classes by their training counts.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Scheme {
    /// Every class weighs 1.
    None,
    /// w_i proportional to 1 / n_i (the beta -> 1 limit of class-balanced).
    Inverse,
    /// w_i proportional to 1 / sqrt(n_i).
    SqrtInverse,
    /// scikit-learn's "balanced": w_i = n_total / (C * n_i), so sum_i n_i w_i = n_total.
    Balanced,
    /// Class-balanced: w_i proportional to 1 / E_{n_i} at this beta.
    ClassBalanced(Beta),
    /// Median-frequency balancing (Eigen & Fergus, ICCV 2015; SegNet):
    /// w_i = median(f) / f_i with f_i = n_i / sum n, the median over the
    /// non-empty classes (numpy's: the mean of the middle two for an even
    /// number). On class counts alone this is median(n) / n_i. Eigen & Fergus
    /// count pixels over the images that hold the class, which counts alone
    /// cannot give.
    MedianFrequency,
    /// ENet's weighting (Paszke et al., 2016): w_i = 1 / ln(c + p_i) with
    /// p_i = n_i / sum n and c = 1.02, bounded above by 1 / ln 1.02 = 50.5.
    Enet,
}

/// ENet's c - 1 in 1 / ln(c + p), c = 1.02: the weights' ceiling is 1 / ln c.
/// Kept as c - 1 so that ln(c + p) = ln_1p(0.02 + p) keeps every digit.
pub const ENET_C_MINUS_ONE: f64 = 0.02;

/// The names of the schemes, as the CLI and the URL spell them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SchemeKind {
    /// See [`Scheme::ClassBalanced`].
    Cb,
    /// See [`Scheme::None`].
    None,
    /// See [`Scheme::Inverse`].
    Inverse,
    /// See [`Scheme::SqrtInverse`].
    SqrtInverse,
    /// See [`Scheme::Balanced`].
    Balanced,
    /// See [`Scheme::MedianFrequency`].
    MedianFrequency,
    /// See [`Scheme::Enet`].
    Enet,
}

impl SchemeKind {
    /// Every scheme, class-balanced first.
    pub const ALL: [SchemeKind; 7] = [
        SchemeKind::Cb,
        SchemeKind::None,
        SchemeKind::Inverse,
        SchemeKind::SqrtInverse,
        SchemeKind::Balanced,
        SchemeKind::MedianFrequency,
        SchemeKind::Enet,
    ];

    /// The scheme's name: `cb`, `none`, `inverse`, `sqrt-inverse`,
    /// `balanced`, `median-frequency` or `enet`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Cb => "cb",
            Self::None => "none",
            Self::Inverse => "inverse",
            Self::SqrtInverse => "sqrt-inverse",
            Self::Balanced => "balanced",
            Self::MedianFrequency => "median-frequency",
            Self::Enet => "enet",
        }
    }

    /// The scheme with this name, if any.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.name() == name)
    }

    /// Whether its weights keep their authors' scale rather than mean 1
    /// over the non-empty classes.
    pub fn keeps_authors_scale(self) -> bool {
        matches!(self, Self::Balanced | Self::MedianFrequency | Self::Enet)
    }

    /// The scheme, with beta for the class-balanced one.
    pub fn with_beta(self, beta: Beta) -> Scheme {
        self.without_beta().unwrap_or(Scheme::ClassBalanced(beta))
    }

    /// The scheme of a kind without a parameter; `None` for `Cb`, which needs a beta.
    pub fn without_beta(self) -> Option<Scheme> {
        match self {
            Self::Cb => None,
            Self::None => Some(Scheme::None),
            Self::Inverse => Some(Scheme::Inverse),
            Self::SqrtInverse => Some(Scheme::SqrtInverse),
            Self::Balanced => Some(Scheme::Balanced),
            Self::MedianFrequency => Some(Scheme::MedianFrequency),
            Self::Enet => Some(Scheme::Enet),
        }
    }
}

impl Scheme {
    /// The scheme's name without its parameter.
    pub fn kind(self) -> SchemeKind {
        match self {
            Self::None => SchemeKind::None,
            Self::Inverse => SchemeKind::Inverse,
            Self::SqrtInverse => SchemeKind::SqrtInverse,
            Self::Balanced => SchemeKind::Balanced,
            Self::ClassBalanced(_) => SchemeKind::Cb,
            Self::MedianFrequency => SchemeKind::MedianFrequency,
            Self::Enet => SchemeKind::Enet,
        }
    }

    /// The unnormalised weight of a non-empty class with `n` samples.
    fn raw_weight(self, n: f64, totals: &Totals) -> f64 {
        match self {
            Self::None => 1.0,
            Self::Inverse | Self::Balanced => 1.0 / n,
            Self::SqrtInverse => 1.0 / n.sqrt(),
            Self::ClassBalanced(beta) => 1.0 / effective_number(n, beta),
            Self::MedianFrequency => totals.median / n,
            Self::Enet => 1.0 / (ENET_C_MINUS_ONE + n / totals.sum).ln_1p(),
        }
    }
}

/// What the schemes that look past one class need of all of them.
struct Totals {
    /// Samples over all classes.
    sum: f64,
    /// The median count over the non-empty classes (numpy's).
    median: f64,
}

impl Totals {
    /// What `scheme` needs: the median, a sort, only for median frequency.
    fn of(counts: &[u64], scheme: Scheme) -> Self {
        let sum = counts.iter().map(|&n| n as f64).sum();
        if scheme != Scheme::MedianFrequency {
            return Self {
                sum,
                median: f64::NAN,
            };
        }
        // The page's one sort (see crate::order), not another copy of it.
        let order = crate::order::largest_first(counts);
        let present = &order[..order.iter().take_while(|&&c| counts[c] > 0).count()];
        let k = present.len();
        let at = |i: usize| counts[present[i]] as f64;
        let median = match k {
            0 => 0.0,
            _ if k % 2 == 1 => at(k / 2),
            _ => (at(k / 2 - 1) + at(k / 2)) / 2.0,
        };
        Self { sum, median }
    }
}

/// Class weights and what a user needs to trust them.
#[derive(Clone, Debug, PartialEq)]
pub struct ClassWeights {
    /// One weight per class, 0 for empty classes.
    pub weights: Vec<f64>,
    /// Indices of the classes with no sample.
    pub empty_classes: Vec<usize>,
}

/// Why no weights can be computed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WeightsError {
    /// There are no classes at all.
    NoClasses,
    /// Every class has zero samples, so there is nothing to weight.
    AllClassesEmpty,
}

impl WeightsError {
    /// What went wrong, for people in any language.
    pub fn message(&self) -> Message {
        Message::new(match self {
            Self::NoClasses => "error.weights.no_classes",
            Self::AllClassesEmpty => "error.weights.all_empty",
        })
    }
}

/// In English, from the translation files.
impl fmt::Display for WeightsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.message().fmt(f)
    }
}

impl std::error::Error for WeightsError {}

/// Weights for classes with these training counts (counts of the whole training set).
pub fn class_weights(counts: &[u64], scheme: Scheme) -> Result<ClassWeights, WeightsError> {
    if counts.is_empty() {
        return Err(WeightsError::NoClasses);
    }
    let empty_classes: Vec<usize> = (0..counts.len()).filter(|&i| counts[i] == 0).collect();
    let present = counts.len() - empty_classes.len();
    if present == 0 {
        return Err(WeightsError::AllClassesEmpty);
    }
    let totals = Totals::of(counts, scheme);
    // E_n at one beta takes beta's logarithm once, not once a class: a drag
    // over 8,142 classes recomputes them all at every step.
    let effective = match scheme {
        Scheme::ClassBalanced(beta) => Some(effective_number_at(beta)),
        _ => None,
    };
    let mut weights: Vec<f64> = counts
        .iter()
        .map(|&n| match (n, &effective) {
            (0, _) => 0.0,
            (n, Some(effective)) => 1.0 / effective(n as f64),
            (n, None) => scheme.raw_weight(n as f64, &totals),
        })
        .collect();
    let scale = match scheme {
        // n_total / (C * n_i), over the classes present.
        Scheme::Balanced => totals.sum / present as f64,
        // Their authors' formulas, as they are.
        Scheme::MedianFrequency | Scheme::Enet => 1.0,
        // Mean 1 over the classes present. Scale first: 1 / E_i may overflow a plain sum
        // only for absurd inputs, but tiny weights must not underflow to a zero sum.
        _ => {
            let max = weights.iter().copied().fold(0.0, f64::max);
            let sum: f64 = weights.iter().map(|w| w / max).sum();
            present as f64 / (sum * max)
        }
    };
    for w in &mut weights {
        *w *= scale;
    }
    Ok(ClassWeights {
        weights,
        empty_classes,
    })
}

/// Class-balanced weights at `beta`, normalised to mean 1 over the non-empty classes.
pub fn class_balanced_weights(counts: &[u64], beta: Beta) -> Result<ClassWeights, WeightsError> {
    class_weights(counts, Scheme::ClassBalanced(beta))
}

/// The most frequent class and the rarest non-empty one (the first of
/// equals; the head for both when every class is empty).
pub fn head_and_tail(counts: &[u64]) -> (usize, usize) {
    let head = (0..counts.len())
        .rev()
        .max_by_key(|&i| counts[i])
        .unwrap_or(0);
    let tail = (0..counts.len())
        .filter(|&i| counts[i] > 0)
        .min_by_key(|&i| counts[i])
        .unwrap_or(head);
    (head, tail)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::profiles::preset_counts;

    fn cifar10_lt_100() -> Vec<u64> {
        preset_counts("cifar10-lt-100").unwrap()
    }

    #[test]
    fn paper_weights_for_cifar10_lt_100_at_0_999() {
        let w = class_balanced_weights(&cifar10_lt_100(), Beta::new(0.999).unwrap()).unwrap();
        let paper = [
            0.181, 0.189, 0.216, 0.273, 0.378, 0.561, 0.869, 1.386, 2.258, 3.688,
        ];
        for (got, want) in w.weights.iter().zip(paper) {
            assert!((got - want).abs() < 5e-4, "{got} vs {want}");
        }
        assert!((w.weights.iter().sum::<f64>() - 10.0).abs() < 1e-12);
        assert!(w.empty_classes.is_empty());
    }

    #[test]
    fn beta_zero_gives_all_ones() {
        let w = class_balanced_weights(&cifar10_lt_100(), Beta::ZERO).unwrap();
        assert!(w.weights.iter().all(|&x| (x - 1.0).abs() < 1e-15));
    }

    #[test]
    fn beta_near_one_is_inverse_frequency() {
        let counts = cifar10_lt_100();
        let cb = class_balanced_weights(&counts, Beta::from_one_minus(1e-12).unwrap()).unwrap();
        let inv = class_weights(&counts, Scheme::Inverse).unwrap();
        for (a, b) in cb.weights.iter().zip(&inv.weights) {
            assert!((a - b).abs() / b < 1e-6, "{a} vs {b}");
        }
    }

    #[test]
    fn balanced_keeps_sklearn_normalisation() {
        let counts = [10, 30, 60];
        let w = class_weights(&counts, Scheme::Balanced).unwrap();
        assert!((w.weights[0] - 100.0 / 30.0).abs() < 1e-12);
        let total: f64 = counts
            .iter()
            .zip(&w.weights)
            .map(|(&n, w)| n as f64 * w)
            .sum();
        assert!((total - 100.0).abs() < 1e-9);
    }

    #[test]
    fn median_frequency_as_numpy_computes_it() {
        // np.median([10, 30, 60]) = 30; f = n / 100, so median(f) / f = 30 / n.
        let w = class_weights(&[10, 30, 60], Scheme::MedianFrequency).unwrap();
        for (got, want) in w.weights.iter().zip([3.0, 1.0, 0.5]) {
            assert!((got - want).abs() < 1e-15, "{got} vs {want}");
        }
        // Even: the mean of the middle two, over the non-empty classes only.
        let w = class_weights(&[10, 0, 20, 40, 80], Scheme::MedianFrequency).unwrap();
        assert_eq!(w.weights, vec![3.0, 0.0, 1.5, 0.75, 0.375]);
        assert_eq!(w.empty_classes, vec![1]);
    }

    #[test]
    fn enet_as_its_formula_gives_it() {
        // CIFAR-10-LT (imbalance 100): p_0 = 5000 / 12406.
        let counts = cifar10_lt_100();
        let total: u64 = counts.iter().sum();
        assert_eq!(total, 12406);
        let w = class_weights(&counts, Scheme::Enet).unwrap();
        for (&n, got) in counts.iter().zip(&w.weights) {
            let want = 1.0 / (1.02 + n as f64 / total as f64).ln();
            assert!((got - want).abs() < 1e-12 * want, "{got} vs {want}");
        }
        assert!((w.weights[0] - 2.834_556).abs() < 1e-6, "{}", w.weights[0]);
        // One sample in a billion: just under the ceiling 1 / ln 1.02.
        let w = class_weights(&[1, 999_999_999, 0], Scheme::Enet).unwrap();
        assert!(w.weights[0] < 1.0 / 1.02f64.ln() && w.weights[0] > 50.49);
        assert_eq!(w.weights[2], 0.0);
    }

    #[test]
    fn sqrt_inverse_ratio() {
        let w = class_weights(&[100, 25], Scheme::SqrtInverse).unwrap();
        assert!((w.weights[1] / w.weights[0] - 2.0).abs() < 1e-12);
        assert!((w.weights.iter().sum::<f64>() - 2.0).abs() < 1e-12);
    }

    #[test]
    fn empty_classes_get_zero_and_are_reported() {
        let w = class_weights(&[100, 0, 10, 0], Scheme::Inverse).unwrap();
        assert_eq!(w.empty_classes, vec![1, 3]);
        assert_eq!(w.weights[1], 0.0);
        assert!((w.weights.iter().sum::<f64>() - 2.0).abs() < 1e-12);
        assert!((w.weights[2] / w.weights[0] - 10.0).abs() < 1e-12);
    }

    #[test]
    fn errors() {
        assert_eq!(
            class_weights(&[], Scheme::None),
            Err(WeightsError::NoClasses)
        );
        assert_eq!(
            class_weights(&[0, 0], Scheme::Inverse),
            Err(WeightsError::AllClassesEmpty)
        );
    }

    #[test]
    fn scheme_names_round_trip() {
        for k in SchemeKind::ALL {
            assert_eq!(SchemeKind::from_name(k.name()), Some(k));
        }
        assert_eq!(SchemeKind::from_name("cb2"), None);
    }

    proptest::proptest! {
        #[test]
        fn normalised_finite_and_ordered(
            counts in proptest::collection::vec(0u64..=1_000_000_000, 1..200),
            log_one_minus in -8.0f64..0.0,
        ) {
            let beta = Beta::from_one_minus(10f64.powf(log_one_minus)).unwrap();
            for kind in SchemeKind::ALL {
                let Ok(w) = class_weights(&counts, kind.with_beta(beta)) else {
                    proptest::prop_assert!(counts.iter().all(|&n| n == 0));
                    continue;
                };
                let present = counts.iter().filter(|&&n| n > 0).count() as f64;
                proptest::prop_assert!(w.weights.iter().all(|x| x.is_finite() && *x >= 0.0));
                if !kind.keeps_authors_scale() {
                    let sum: f64 = w.weights.iter().sum();
                    proptest::prop_assert!((sum - present).abs() <= 1e-9 * present);
                }
                // Fewer samples never means a smaller weight.
                for i in 0..counts.len() {
                    for j in 0..counts.len() {
                        if counts[i] > 0 && counts[i] < counts[j] {
                            proptest::prop_assert!(w.weights[i] >= w.weights[j] * (1.0 - 1e-12));
                        }
                    }
                }
            }
        }
    }
}
