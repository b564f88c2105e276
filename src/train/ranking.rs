//! Test-set metrics for several labels a sample: per-class average precision
//! as scikit-learn's `average_precision_score` computes it, mAP, mAP over the
//! many, medium and few classes (the distribution-balanced paper's split) and
//! F1 at a threshold.

use serde::{Deserialize, Serialize};

use crate::order::sorted_indices;

/// Classes with at least this many training positives are many (DB's split;
/// the single-label trainer's many-shot is above 100, see [`super::metrics`]).
pub const MANY_FROM: u64 = 100;
/// Classes with fewer than this many training positives are few.
pub const FEW_BELOW: u64 = 20;

/// Non-interpolated average precision of one class: the sum over score
/// thresholds, high to low, of (R_n - R_{n-1}) P_n, tied scores one threshold.
/// `None` when the class has no positive (scikit-learn warns and gives 0).
pub fn average_precision(scores: &[f64], truth: &[bool]) -> Option<f64> {
    debug_assert_eq!(scores.len(), truth.len());
    let positives = truth.iter().filter(|&&t| t).count();
    if positives == 0 {
        return None;
    }
    let order = sorted_indices(scores.len(), &|a, b| scores[b].total_cmp(&scores[a]));
    let (mut tp, mut fp, mut ap, mut recall) = (0usize, 0usize, 0.0, 0.0);
    let mut i = 0;
    while i < order.len() {
        let threshold = scores[order[i]];
        while i < order.len() && scores[order[i]] == threshold {
            if truth[order[i]] {
                tp += 1;
            } else {
                fp += 1;
            }
            i += 1;
        }
        let now = tp as f64 / positives as f64;
        ap += (now - recall) * (tp as f64 / (tp + fp) as f64);
        recall = now;
    }
    Some(ap)
}

/// How a multi-label classifier does on a test set.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MultiLabelMetrics {
    /// Each class's AP; `None` (null) for a class with no test positive.
    pub per_class_ap: Vec<Option<f64>>,
    /// The mean AP over the classes that have one.
    pub map: Option<f64>,
    /// mAP over the classes with at least 100 training positives.
    pub many_map: Option<f64>,
    /// mAP over the classes with 20 to 99 training positives.
    pub medium_map: Option<f64>,
    /// mAP over the classes with fewer than 20 training positives.
    pub few_map: Option<f64>,
    /// F1 over all terms at the threshold.
    pub micro_f1: f64,
    /// The mean of the per-class F1 at the threshold over the classes with a
    /// test positive (the classes that have an AP).
    pub macro_f1: Option<f64>,
    /// The threshold on probabilities.
    pub threshold: f64,
}

/// The metrics of probabilities `scores` (one row a sample) against
/// `targets`, with the training positives that define the split.
pub fn multi_label_metrics(
    scores: &[Vec<f64>],
    targets: &[Vec<bool>],
    train_positives: &[u64],
    threshold: f64,
) -> MultiLabelMetrics {
    let classes = train_positives.len();
    let column = |rows: &[Vec<f64>], c: usize| -> Vec<f64> { rows.iter().map(|r| r[c]).collect() };
    let truth = |c: usize| -> Vec<bool> { targets.iter().map(|r| r[c]).collect() };
    let per_class_ap: Vec<Option<f64>> = (0..classes)
        .map(|c| average_precision(&column(scores, c), &truth(c)))
        .collect();
    let mean_over = |keep: &dyn Fn(u64) -> bool| {
        let chosen: Vec<f64> = (0..classes)
            .filter(|&c| keep(train_positives[c]))
            .filter_map(|c| per_class_ap[c])
            .collect();
        (!chosen.is_empty()).then(|| chosen.iter().sum::<f64>() / chosen.len() as f64)
    };
    let mut counts = vec![[0u64; 3]; classes]; // tp, fp, fn
    for (row, target) in scores.iter().zip(targets) {
        for c in 0..classes {
            match (row[c] >= threshold, target[c]) {
                (true, true) => counts[c][0] += 1,
                (true, false) => counts[c][1] += 1,
                (false, true) => counts[c][2] += 1,
                (false, false) => {}
            }
        }
    }
    let f1 = |[tp, fp, fn_]: [u64; 3]| {
        let denominator = 2 * tp + fp + fn_;
        if denominator == 0 {
            0.0
        } else {
            2.0 * tp as f64 / denominator as f64
        }
    };
    let total = counts
        .iter()
        .fold([0u64; 3], |a, b| [a[0] + b[0], a[1] + b[1], a[2] + b[2]]);
    let per_class_f1: Vec<f64> = (0..classes)
        .filter(|&c| per_class_ap[c].is_some())
        .map(|c| f1(counts[c]))
        .collect();
    MultiLabelMetrics {
        map: mean_over(&|_| true),
        many_map: mean_over(&|n| n >= MANY_FROM),
        medium_map: mean_over(&|n| (FEW_BELOW..MANY_FROM).contains(&n)),
        few_map: mean_over(&|n| n < FEW_BELOW),
        micro_f1: f1(total),
        macro_f1: (!per_class_f1.is_empty())
            .then(|| per_class_f1.iter().sum::<f64>() / per_class_f1.len() as f64),
        per_class_ap,
        threshold,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize)]
    struct Case {
        scores: Vec<Vec<f64>>,
        targets: Vec<Vec<u8>>,
        ap: Vec<Option<f64>>,
        micro_f1: f64,
        macro_f1: Option<f64>,
    }

    #[derive(Deserialize)]
    struct Fixture {
        threshold: f64,
        cases: Vec<Case>,
    }

    /// Against scikit-learn 1.9.1: tests/fixtures/average_precision.py wrote
    /// the fixture once (random cases, ties, a class with no positive).
    #[test]
    fn agrees_with_scikit_learn() {
        let text = include_str!("../../tests/fixtures/average_precision.json");
        let fixture: Fixture = serde_json::from_str(text).unwrap();
        assert_eq!(fixture.cases.len(), 12);
        for (i, case) in fixture.cases.iter().enumerate() {
            let targets: Vec<Vec<bool>> = case
                .targets
                .iter()
                .map(|r| r.iter().map(|&t| t == 1).collect())
                .collect();
            let classes = case.ap.len();
            let m = multi_label_metrics(
                &case.scores,
                &targets,
                &vec![50; classes],
                fixture.threshold,
            );
            for (c, (got, want)) in m.per_class_ap.iter().zip(&case.ap).enumerate() {
                match (got, want) {
                    (Some(g), Some(w)) => {
                        assert!((g - w).abs() < 1e-12, "case {i} class {c}: {g} vs {w}")
                    }
                    (None, None) => {}
                    _ => panic!("case {i} class {c}: {got:?} vs {want:?}"),
                }
            }
            assert!((m.micro_f1 - case.micro_f1).abs() < 1e-12, "case {i}");
            match (m.macro_f1, case.macro_f1) {
                (Some(g), Some(w)) => assert!((g - w).abs() < 1e-12, "case {i}"),
                (g, w) => assert_eq!(g, w, "case {i}"),
            }
        }
    }

    #[test]
    fn by_hand() {
        // Ranked: +, -, +: P = 1 at R 1/2, then 2/3 at R 1.
        let ap = average_precision(&[0.9, 0.8, 0.7], &[true, false, true]).unwrap();
        assert!((ap - (0.5 + 0.5 * 2.0 / 3.0)).abs() < 1e-15);
        // All tied: one threshold, precision the positives' share.
        assert_eq!(
            average_precision(&[0.5; 4], &[true, false, false, false]),
            Some(0.25)
        );
        assert_eq!(average_precision(&[0.5, 0.1], &[false, false]), None);
    }

    #[test]
    fn the_split_and_classes_without_positives() {
        let scores = vec![vec![0.9, 0.2, 0.7, 0.1], vec![0.1, 0.8, 0.6, 0.3]];
        let targets = vec![
            vec![true, false, true, false],
            vec![false, true, false, false],
        ];
        let m = multi_label_metrics(&scores, &targets, &[100, 99, 19, 5], 0.5);
        assert_eq!(m.per_class_ap, [Some(1.0), Some(1.0), Some(1.0), None]);
        assert_eq!(
            (m.many_map, m.medium_map, m.few_map),
            (Some(1.0), Some(1.0), Some(1.0))
        );
        assert_eq!(m.map, Some(1.0));
        // tp 3, fp 1 (class 2 on sample 1), fn 0.
        assert!((m.micro_f1 - 6.0 / 7.0).abs() < 1e-15);
    }
}
