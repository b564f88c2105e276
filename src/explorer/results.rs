//! What the explorer computes from its state: weights per compared scheme,
//! effective numbers, the summary and pages of the per-class table.

use crate::balance::effective_number::{Beta, effective_numbers};
use crate::balance::weights::{ClassWeights, WeightsError, class_weights};

use super::state::ComparedScheme;

/// One compared scheme's weights.
#[derive(Clone, Debug, PartialEq)]
pub struct SchemeWeights {
    /// Which scheme.
    pub scheme: ComparedScheme,
    /// Its weights, or why there are none.
    pub weights: Result<ClassWeights, WeightsError>,
}

/// The weights of `scheme` for these counts.
pub fn scheme_weights(counts: &[u64], scheme: ComparedScheme, beta: Beta) -> SchemeWeights {
    SchemeWeights {
        scheme,
        weights: class_weights(counts, scheme.scheme(beta)),
    }
}

/// The numbers under the table.
#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
    /// Number of classes.
    pub classes: usize,
    /// Total training samples.
    pub total: u64,
    /// Sum of the class-balanced weights (the number of non-empty classes).
    pub sum_of_weights: f64,
    /// Weight of the rarest non-empty class over the weight of the most frequent one.
    pub head_to_tail: f64,
    /// Classes with no sample (weight 0).
    pub empty_classes: Vec<usize>,
    /// N = 1 / (1 - beta).
    pub prototypes: f64,
}

/// The summary of class-balanced weights `cb` for `counts`.
pub fn summary(counts: &[u64], cb: &ClassWeights, beta: Beta) -> Summary {
    let head = (0..counts.len()).max_by_key(|&i| counts[i]).unwrap_or(0);
    let tail = (0..counts.len())
        .filter(|&i| counts[i] > 0)
        .min_by_key(|&i| counts[i])
        .unwrap_or(head);
    Summary {
        classes: counts.len(),
        total: counts.iter().sum(),
        sum_of_weights: cb.weights.iter().sum(),
        head_to_tail: cb.weights[tail] / cb.weights[head],
        empty_classes: cb.empty_classes.clone(),
        prototypes: beta.prototypes(),
    }
}

/// One row of the per-class table.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// Class index.
    pub class: usize,
    /// Training samples.
    pub count: u64,
    /// Effective number at the current beta.
    pub effective_number: f64,
    /// Class-balanced weight at the current beta.
    pub weight: f64,
}

/// Rows per table page.
pub const PAGE_SIZE: usize = 50;

/// The number of pages for `classes` rows.
pub fn pages(classes: usize) -> usize {
    classes.div_ceil(PAGE_SIZE).max(1)
}

/// Page `page` (from 0, clamped) of the table.
pub fn table_page(counts: &[u64], cb: &ClassWeights, beta: Beta, page: usize) -> Vec<Row> {
    let page = page.min(pages(counts.len()) - 1);
    let range = page * PAGE_SIZE..((page + 1) * PAGE_SIZE).min(counts.len());
    let effective = effective_numbers(&counts[range.clone()], beta);
    range
        .clone()
        .zip(effective)
        .map(|(class, effective_number)| Row {
            class,
            count: counts[class],
            effective_number,
            weight: cb.weights[class],
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::balance::weights::class_balanced_weights;

    #[test]
    fn summary_of_the_paper_example() {
        let counts = crate::data::profiles::preset_counts("cifar10-lt-100").unwrap();
        let beta = Beta::new(0.999).unwrap();
        let cb = class_balanced_weights(&counts, beta).unwrap();
        let s = summary(&counts, &cb, beta);
        assert!((s.sum_of_weights - 10.0).abs() < 1e-12);
        assert!((s.head_to_tail - 3.688 / 0.181).abs() < 0.1);
        assert_eq!(s.total, 12406);
        assert!((s.prototypes - 1000.0).abs() < 1e-9);
    }

    #[test]
    fn empty_classes_are_skipped_for_the_tail() {
        let counts = [100, 0, 10];
        let beta = Beta::new(0.9).unwrap();
        let cb = class_balanced_weights(&counts, beta).unwrap();
        let s = summary(&counts, &cb, beta);
        assert_eq!(s.empty_classes, [1]);
        assert!(s.head_to_tail.is_finite() && s.head_to_tail > 1.0);
    }

    #[test]
    fn pages_of_ten_thousand_classes() {
        let counts: Vec<u64> = (1..=10_000).collect();
        let beta = Beta::new(0.99).unwrap();
        let cb = class_balanced_weights(&counts, beta).unwrap();
        assert_eq!(pages(counts.len()), 200);
        let last = table_page(&counts, &cb, beta, 199);
        assert_eq!(last.len(), 50);
        assert_eq!(last[49].class, 9999);
        assert_eq!(table_page(&counts, &cb, beta, 500), last);
        let w = scheme_weights(&counts, ComparedScheme::CbPaper(0), beta);
        assert_eq!(w.weights.unwrap().weights.len(), 10_000);
    }
}
