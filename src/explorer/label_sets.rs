//! What the multi-label panel shows for the reader's label sets: positives
//! per class, N and cardinality, each class's CB weight at the explorer's
//! beta, and, for a few samples whose labels mix head and tail classes, what
//! each way of weighting gives their positive terms: by class, by sample and
//! the distribution-balanced loss's smoothed re-balancing.

use crate::balance::effective_number::Beta;
use crate::balance::multi_label::{
    CbMode, DbParams, MultiLabelLoss, MultiLabelObjective, Weighting,
};
use crate::balance::weights::class_balanced_weights;
use crate::data::label_sets::{LabelSetCounts, LabelSets};

/// One sample's weights, term by term over its positive classes.
#[derive(Clone, Debug, PartialEq)]
pub struct SampleWeights {
    /// Its positive classes, commonest first.
    pub labels: Vec<usize>,
    /// By class: w_c on each positive's term.
    pub by_class: Vec<f64>,
    /// By sample: one weight on all its terms.
    pub by_sample: f64,
    /// DB's smoothed re-balanced weight on each positive's term; `None` when
    /// the counts cannot take DB's bias (a class in every sample).
    pub db: Option<Vec<f64>>,
}

/// Everything the panel shows.
#[derive(Clone, Debug, PartialEq)]
pub struct LabelSetView {
    /// Positives, N and cardinality.
    pub counts: LabelSetCounts,
    /// Class names (indices written out when the labels were numbers).
    pub names: Vec<String>,
    /// CB weight of each class (mean 1 over the classes with a positive).
    pub weights: Vec<f64>,
    /// The example samples.
    pub examples: Vec<SampleWeights>,
}

/// The view of `sets` at `beta`, with up to `examples` samples: distinct
/// label sets of two or more classes, those whose commonest and rarest
/// classes differ most in positives first.
pub fn label_set_view(sets: &LabelSets, beta: Beta, examples: usize) -> LabelSetView {
    let counts = sets.counts();
    let names = sets
        .names
        .clone()
        .unwrap_or_else(|| (0..sets.classes).map(|c| c.to_string()).collect());
    let weights = class_balanced_weights(&counts.positives, beta)
        .map(|w| w.weights)
        .unwrap_or_else(|_| vec![0.0; sets.classes]);
    let objective = |loss, weighting| {
        MultiLabelObjective::new(loss, weighting, &counts.positives, counts.samples).ok()
    };
    let by_sample = objective(
        MultiLabelLoss::Sigmoid,
        Weighting::Classes {
            weights: weights.clone(),
            mode: CbMode::BySample,
        },
    );
    // DB's weights are defined over every class, so only the classes with
    // positives are kept (an empty class would refuse the bias).
    let db = objective(
        MultiLabelLoss::DistributionBalanced(DbParams::default()),
        Weighting::None,
    );
    let mut candidates: Vec<&Vec<usize>> = sets.sets.iter().filter(|s| s.len() >= 2).collect();
    let spread = |s: &Vec<usize>| {
        let n = s.iter().map(|&c| counts.positives[c] as f64);
        n.clone().fold(0.0, f64::max) / n.fold(f64::INFINITY, f64::min)
    };
    candidates.sort_by(|a, b| spread(b).total_cmp(&spread(a)).then(a.cmp(b)));
    candidates.dedup();
    let mut term = vec![0.0; sets.classes];
    let examples = candidates
        .into_iter()
        .take(examples)
        .map(|set| {
            let mut labels = set.clone();
            labels.sort_by_key(|&c| std::cmp::Reverse(counts.positives[c]));
            let mut y = vec![false; sets.classes];
            labels.iter().for_each(|&c| y[c] = true);
            let mut weight_of = |o: &MultiLabelObjective| {
                o.term_weights(&y, &mut term);
                labels.iter().map(|&c| term[c]).collect::<Vec<f64>>()
            };
            SampleWeights {
                by_class: labels.iter().map(|&c| weights[c]).collect(),
                by_sample: by_sample.as_ref().map_or(1.0, |o| weight_of(o)[0]),
                db: db.as_ref().map(&mut weight_of),
                labels,
            }
        })
        .collect();
    LabelSetView {
        counts,
        names,
        weights,
        examples,
    }
}

/// A small COCO-like example: "person" in most samples, rare objects with it.
pub const EXAMPLE: &str = "person,dog\nperson\nperson,car\nperson\nperson,bicycle,car\ndog\n\
person,dog,frisbee\nperson\ncar\nperson,car\nperson,surfboard\nperson,dog\nperson\ncar,person\nperson\n";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::label_sets::parse_label_sets;

    #[test]
    fn the_example() {
        let sets = parse_label_sets(EXAMPLE).unwrap();
        let view = label_set_view(&sets, Beta::new(0.9).unwrap(), 3);
        assert_eq!(
            view.names,
            ["bicycle", "car", "dog", "frisbee", "person", "surfboard"]
        );
        assert_eq!(view.counts.positives, [1, 5, 4, 1, 13, 1]);
        assert_eq!(view.counts.samples, 15);
        // Head and tail mixed first: person (13) with a class of 1.
        let first = &view.examples[0];
        assert_eq!(first.labels[0], 4);
        assert_eq!(view.counts.positives[*first.labels.last().unwrap()], 1);
        let mean = first.by_class.iter().sum::<f64>() / first.by_class.len() as f64;
        assert!((first.by_sample - mean).abs() < 1e-12);
        // DB gives the rare class's term more than the common one's.
        let db = first.db.as_ref().unwrap();
        assert!(db.last().unwrap() > &db[0], "{db:?}");
        assert_eq!(view.examples.len(), 3);
    }

    #[test]
    fn db_is_left_out_where_its_bias_cannot_be() {
        let sets = parse_label_sets("a,b\na\na,c\n").unwrap();
        let view = label_set_view(&sets, Beta::new(0.9).unwrap(), 5);
        assert!(
            view.examples.iter().all(|e| e.db.is_none()),
            "a is in every sample"
        );
        assert_eq!(view.examples.len(), 2);
    }
}
