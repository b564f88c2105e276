//! Test-set metrics of the long-tail literature: overall and balanced accuracy,
//! per-class accuracy, many/medium/few-shot accuracy and the confusion matrix.

use serde::{Deserialize, Serialize};

/// Classes with more than this many training samples are many-shot.
pub const MANY_SHOT_ABOVE: u64 = 100;
/// Classes with fewer than this many training samples are few-shot.
pub const FEW_SHOT_BELOW: u64 = 20;

/// The long-tail literature's split of classes by training count.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Shot {
    /// More than 100 training samples.
    Many,
    /// 20 to 100 training samples.
    Medium,
    /// Fewer than 20 training samples.
    Few,
}

impl Shot {
    /// The group of a class with `n` training samples.
    pub fn of(n: u64) -> Shot {
        if n > MANY_SHOT_ABOVE {
            Shot::Many
        } else if n >= FEW_SHOT_BELOW {
            Shot::Medium
        } else {
            Shot::Few
        }
    }
}

/// How a classifier does on a test set.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    /// Fraction of test points classified correctly.
    pub accuracy: f64,
    /// Mean of the per-class accuracies (over classes with test points).
    pub balanced_accuracy: f64,
    /// Accuracy on each class's test points (0 when a class has none).
    pub per_class: Vec<f64>,
    /// Mean per-class accuracy of the many-shot classes, if there are any.
    pub many_shot: Option<f64>,
    /// Mean per-class accuracy of the medium-shot classes, if there are any.
    pub medium_shot: Option<f64>,
    /// Mean per-class accuracy of the few-shot classes, if there are any.
    pub few_shot: Option<f64>,
    /// `confusion[true][predicted]` counts.
    pub confusion: Vec<Vec<u32>>,
}

/// Metrics from predictions, true labels, and the training counts that define the shot groups.
pub fn metrics(predicted: &[usize], labels: &[usize], train_counts: &[u64]) -> Metrics {
    assert_eq!(predicted.len(), labels.len(), "one prediction per label");
    let classes = train_counts.len();
    let mut confusion = vec![vec![0u32; classes]; classes];
    for (&p, &y) in predicted.iter().zip(labels) {
        confusion[y][p] += 1;
    }
    let per_class: Vec<f64> = confusion
        .iter()
        .enumerate()
        .map(|(c, row)| {
            let n: u32 = row.iter().sum();
            if n == 0 {
                0.0
            } else {
                row[c] as f64 / n as f64
            }
        })
        .collect();
    let tested: Vec<usize> = (0..classes)
        .filter(|&c| confusion[c].iter().any(|&n| n > 0))
        .collect();
    let mean_over = |keep: &dyn Fn(usize) -> bool| {
        let chosen: Vec<f64> = tested
            .iter()
            .filter(|&&c| keep(c))
            .map(|&c| per_class[c])
            .collect();
        (!chosen.is_empty()).then(|| chosen.iter().sum::<f64>() / chosen.len() as f64)
    };
    let correct = predicted.iter().zip(labels).filter(|(p, y)| p == y).count();
    Metrics {
        accuracy: if labels.is_empty() {
            0.0
        } else {
            correct as f64 / labels.len() as f64
        },
        balanced_accuracy: mean_over(&|_| true).unwrap_or(0.0),
        many_shot: mean_over(&|c| Shot::of(train_counts[c]) == Shot::Many),
        medium_shot: mean_over(&|c| Shot::of(train_counts[c]) == Shot::Medium),
        few_shot: mean_over(&|c| Shot::of(train_counts[c]) == Shot::Few),
        per_class,
        confusion,
    }
}

/// The index of the largest value (the first one on ties).
pub fn argmax<F: PartialOrd + Copy>(row: &[F]) -> usize {
    let mut best = 0;
    for (i, &v) in row.iter().enumerate() {
        if v > row[best] {
            best = i;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shot_boundaries() {
        assert_eq!(Shot::of(101), Shot::Many);
        assert_eq!(Shot::of(100), Shot::Medium);
        assert_eq!(Shot::of(20), Shot::Medium);
        assert_eq!(Shot::of(19), Shot::Few);
        assert_eq!(Shot::of(0), Shot::Few);
    }

    #[test]
    fn hand_made_case() {
        // Class 0 (500 train): 3 of 4 right; class 1 (50): 1 of 2; class 2 (5): 0 of 2.
        let labels = [0, 0, 0, 0, 1, 1, 2, 2];
        let predicted = [0, 0, 0, 1, 1, 0, 0, 1];
        let m = metrics(&predicted, &labels, &[500, 50, 5]);
        assert_eq!(m.accuracy, 4.0 / 8.0);
        assert_eq!(m.per_class, [0.75, 0.5, 0.0]);
        assert!((m.balanced_accuracy - 1.25 / 3.0).abs() < 1e-15);
        assert_eq!(
            (m.many_shot, m.medium_shot, m.few_shot),
            (Some(0.75), Some(0.5), Some(0.0))
        );
        assert_eq!(m.confusion, [vec![3, 1, 0], vec![1, 1, 0], vec![1, 1, 0]]);
    }

    #[test]
    fn missing_groups_are_none() {
        let m = metrics(&[0, 1], &[0, 1], &[1000, 500]);
        assert_eq!(m.balanced_accuracy, 1.0);
        assert_eq!((m.medium_shot, m.few_shot), (None, None));
    }

    #[test]
    fn argmax_takes_the_first_of_ties() {
        assert_eq!(argmax(&[1.0, 3.0, 3.0, -1.0]), 1);
        assert_eq!(argmax(&[f32::NEG_INFINITY, -1e30]), 1);
    }
}
