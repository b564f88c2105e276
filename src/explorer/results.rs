//! What the explorer computes from its state: weights per compared scheme,
//! effective numbers, the summary and pages of the per-class table.

use crate::balance::beta_range::BetaRange;
use crate::balance::effective_number::{Beta, effective_numbers};
use crate::balance::weights::{ClassWeights, WeightsError, class_weights, head_and_tail};
use crate::i18n::Message;

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
    let (head, tail) = head_and_tail(counts);
    Summary {
        classes: counts.len(),
        total: counts.iter().sum(),
        sum_of_weights: cb.weights.iter().sum(),
        head_to_tail: cb.weights[tail] / cb.weights[head],
        empty_classes: cb.empty_classes.clone(),
        prototypes: beta.prototypes(),
    }
}

/// A bound of the range of beta as a reader takes it in: 1 - beta to two
/// significant digits ("0.941", "0.999979"), and N = 1 / (1 - beta) to two
/// ("17", "48000").
pub fn rounded_beta(beta: Beta) -> (String, String) {
    let e = beta.one_minus();
    let round = |x: f64| {
        let scale = 10f64.powf(x.log10().floor() - 1.0);
        (x / scale).round() * scale
    };
    let e2 = round(e);
    let digits = (-e2.log10()).ceil().max(0.0) as usize + 1;
    let beta = format!("{:.*}", digits, 1.0 - e2);
    let n = round(1.0 / e);
    let n = if n >= 10.0 {
        format!("{n:.0}")
    } else {
        format!("{n}")
    };
    (beta, n)
}

/// What the range of beta means for these counts and this beta, in words.
pub fn beta_advice(range: &BetaRange, beta: Beta) -> Message {
    let (Some(low), Some(high)) = (range.low, range.high) else {
        return Message::new("advice.balanced").with("ratio", format!("{:.3}", range.imbalance));
    };
    let e = beta.one_minus();
    let here = if e > low.one_minus() {
        "advice.below"
    } else if e < high.one_minus() {
        "advice.above"
    } else {
        "advice.inside"
    };
    let ((low_beta, low_n), (high_beta, high_n)) = (rounded_beta(low), rounded_beta(high));
    Message::new("advice.range")
        .with("low", low_beta)
        .with("low_n", low_n)
        .with("high", high_beta)
        .with("high_n", high_n)
        .with_message("here", Message::new(here).with("beta", beta.to_string()))
}

/// Where the range lies on a slider of log10(1 - beta) from 0 to -`decades`:
/// (start, end) as fractions of its length; `None` without a range.
pub fn beta_band(range: &BetaRange, decades: f64) -> Option<(f64, f64)> {
    let at = |b: Beta| (-b.one_minus().log10() / decades).clamp(0.0, 1.0);
    Some((at(range.low?), at(range.high?)))
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
    use crate::balance::beta_range::beta_range;

    #[test]
    fn the_range_of_beta_in_words() {
        assert_eq!(
            rounded_beta(Beta::from_one_minus(0.059073686).unwrap()),
            ("0.941".into(), "17".into())
        );
        assert_eq!(
            rounded_beta(Beta::from_one_minus(2.0908e-5).unwrap()),
            ("0.999979".into(), "48000".into())
        );
        assert_eq!(
            rounded_beta(Beta::from_one_minus(0.5).unwrap()),
            ("0.50".into(), "2".into())
        );
        let range = beta_range(&[5000, 2000, 1000]);
        let text = |b: f64| beta_advice(&range, Beta::new(b).unwrap()).to_string();
        assert!(
            text(0.9).contains("0.9970") || text(0.9).contains("0.997"),
            "{}",
            text(0.9)
        );
        assert!(text(0.9).contains("below"), "{}", text(0.9));
        assert!(text(0.9999).contains("inside"), "{}", text(0.9999));
        assert!(text(0.999999).contains("above"), "{}", text(0.999999));
        let balanced = beta_advice(&beta_range(&[10, 10]), Beta::ZERO).to_string();
        assert!(balanced.contains("every beta"), "{balanced}");
        let zh = beta_advice(&range, Beta::new(0.9).unwrap()).in_lang(crate::i18n::Lang::ZhCn);
        assert!(
            zh.contains("0.997") && zh.chars().any(|c| c > '\u{2E80}'),
            "{zh}"
        );
        let (start, end) = beta_band(&range, 8.0).unwrap();
        assert!(0.0 < start && start < end && end < 1.0, "{start} {end}");
        assert_eq!(beta_band(&beta_range(&[3, 3]), 8.0), None);
    }
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
    fn head_and_tail_take_the_first_of_equals_and_skip_empty_classes() {
        assert_eq!(head_and_tail(&[5, 9, 9, 0, 2, 2]), (1, 4));
        assert_eq!(head_and_tail(&[0, 0]), (0, 0));
        assert_eq!(head_and_tail(&[]), (0, 0));
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
