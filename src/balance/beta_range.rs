//! Where beta matters for a given set of counts. The class-balanced weights
//! go from all ones (beta = 0) to inverse frequency (beta -> 1), and for most
//! counts only a narrow band of beta lies between: with classes of thousands
//! of samples, beta = 0.9 (N = 10 prototypes) saturates every class and
//! changes nothing (a common question on the official repository).
//!
//! The band is read off the tail-to-head weight ratio
//! r(beta) = w_tail / w_head = E_{n_head} / E_{n_tail}, which rises from 1 to
//! n_head / n_tail as beta grows: below [`BetaRange::low`] the weights are
//! within 5 % of all ones (r <= 1.05), above [`BetaRange::high`] within 5 % of
//! inverse frequency (r >= 0.95 n_head / n_tail). Both are found by bisection
//! on log(1 - beta).

use crate::balance::effective_number::{Beta, effective_number};

/// How close to either end counts as "at" it: 5 %.
pub const TOLERANCE: f64 = 0.05;

/// The smallest 1 - beta the search looks at (far below any slider's).
const MIN_LOG10_ONE_MINUS: f64 = -16.0;

/// Where the class-balanced weights of some counts move.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BetaRange {
    /// n_head / n_tail over the non-empty classes: the ratio inverse frequency gives.
    pub imbalance: f64,
    /// Below this beta the weights are within 5 % of all ones; `None` when
    /// they are at every beta (the counts are within 5 % of each other).
    pub low: Option<Beta>,
    /// Above this beta the weights are within 5 % of inverse frequency.
    pub high: Option<Beta>,
}

/// w_tail / w_head at beta for classes of `head` and `tail` samples.
pub fn tail_to_head(head: u64, tail: u64, beta: Beta) -> f64 {
    effective_number(head as f64, beta) / effective_number(tail as f64, beta)
}

/// The range of beta in which the class-balanced weights of `counts` move
/// (empty classes have weight 0 at every beta and are left out).
pub fn beta_range(counts: &[u64]) -> BetaRange {
    let present = counts.iter().copied().filter(|&n| n > 0);
    let (head, tail) = present.fold((0, u64::MAX), |(h, t), n| (h.max(n), t.min(n)));
    if head == 0 {
        return BetaRange {
            imbalance: 1.0,
            low: None,
            high: None,
        };
    }
    let imbalance = head as f64 / tail as f64;
    if imbalance <= 1.0 + TOLERANCE {
        return BetaRange {
            imbalance,
            low: None,
            high: None,
        };
    }
    let ratio_at = |log_e: f64| {
        let beta = Beta::from_one_minus(10f64.powf(log_e)).expect("1 - beta in (0, 1]");
        tail_to_head(head, tail, beta)
    };
    // r falls as 1 - beta grows: the 1 - beta where r crosses `target`.
    let crossing = |target: f64| {
        let (mut small, mut large) = (MIN_LOG10_ONE_MINUS, 0.0);
        for _ in 0..100 {
            let mid = 0.5 * (small + large);
            if ratio_at(mid) >= target {
                small = mid;
            } else {
                large = mid;
            }
        }
        Beta::from_one_minus(10f64.powf(0.5 * (small + large))).expect("1 - beta in (0, 1]")
    };
    BetaRange {
        imbalance,
        low: Some(crossing(1.0 + TOLERANCE)),
        high: Some(crossing((1.0 - TOLERANCE) * imbalance)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_close(a: f64, b: f64, what: &str) {
        assert!((a - b).abs() <= 1e-6 * b.abs(), "{what}: {a} vs {b}");
    }

    #[test]
    fn the_bounds_are_where_the_ratio_crosses_five_percent() {
        for counts in [
            vec![1000, 10],
            vec![5000, 2997, 1796, 50],
            vec![3, 1],
            vec![1_000_000_000, 7],
        ] {
            let range = beta_range(&counts);
            let head = *counts.iter().max().unwrap();
            let tail = *counts.iter().min().unwrap();
            assert_close(range.imbalance, head as f64 / tail as f64, "imbalance");
            let (low, high) = (range.low.unwrap(), range.high.unwrap());
            assert_close(tail_to_head(head, tail, low), 1.05, "ratio at low");
            assert_close(
                tail_to_head(head, tail, high),
                0.95 * range.imbalance,
                "ratio at high",
            );
            assert!(
                low.one_minus() > high.one_minus(),
                "{counts:?}: low below high"
            );
        }
    }

    /// Classes of thousands of samples: beta = 0.9 is far below the range.
    #[test]
    fn large_classes_need_beta_near_one() {
        let range = beta_range(&[5000, 2000, 1000]);
        let low = range.low.unwrap();
        // E_n saturates at N = 1 / (1 - beta): the weights move once N nears the tail's 1,000.
        assert!(low.value() > 0.99 && low.value() < 0.9999, "{low}");
        assert!(tail_to_head(5000, 1000, Beta::new(0.9).unwrap()) < 1.0 + 1e-12);
        // Smaller classes start to move at a smaller beta.
        let small = beta_range(&[100, 10]);
        assert!(small.low.unwrap().value() < 0.99 && small.low.unwrap().value() < low.value());
    }

    #[test]
    fn balanced_or_single_classes_have_no_range() {
        for counts in [
            vec![100, 100, 100],
            vec![100, 104],
            vec![0, 5, 0],
            vec![0, 0],
        ] {
            let range = beta_range(&counts);
            assert_eq!((range.low, range.high), (None, None), "{counts:?}");
        }
        // Empty classes are left out.
        assert_eq!(beta_range(&[0, 100, 10]), beta_range(&[100, 10]));
    }
}
