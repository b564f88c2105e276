//! What a trained network predicts: classes of samples, and the class at
//! every cell of a grid over the toy task (the decision regions a page draws).

use ndarray::{Array2, ArrayView2, Axis};

use crate::balance::adjusted_softmax::{log_prior_offsets, posthoc_predict};
use crate::data::dataset::Bounds;
use crate::data::dataset::Dataset;
use crate::train::config::TrainConfig;
use crate::train::metrics::{argmax, metrics};
use crate::train::mlp::{Mlp, Workspace};

/// Points as an n x 2 array.
pub fn points_array(points: &[[f32; 2]]) -> Array2<f32> {
    Array2::from_shape_vec(
        (points.len(), 2),
        points.iter().flatten().copied().collect(),
    )
    .expect("two coordinates per point")
}

/// Predicted classes (argmax of the logits) of these samples (one a row), in chunks.
pub fn predict(model: &Mlp<f32>, samples: ArrayView2<'_, f32>) -> Vec<usize> {
    predict_by(model, samples, argmax)
}

/// Predicted classes with post-hoc logit adjustment: argmax_j (z_j - o_j)
/// for `offsets` o = tau log pi.
pub fn predict_posthoc(
    model: &Mlp<f32>,
    samples: ArrayView2<'_, f32>,
    offsets: &[f64],
) -> Vec<usize> {
    predict_by(model, samples, |z| {
        let z: Vec<f64> = z.iter().map(|&v| v as f64).collect();
        posthoc_predict(&z, offsets)
    })
}

/// What run `config` predicts for these samples: argmax, or with its post-hoc
/// adjustment by the training counts (a configuration already checked by
/// [`crate::train::config::validate`]).
pub fn predict_run(
    config: &TrainConfig,
    model: &Mlp<f32>,
    samples: ArrayView2<'_, f32>,
    train_counts: &[u64],
) -> Vec<usize> {
    match config.posthoc_tau {
        Some(tau) => {
            let offsets = log_prior_offsets(train_counts, tau)
                .expect("validate checks the post-hoc tau and the counts");
            predict_posthoc(model, samples, &offsets)
        }
        None => predict(model, samples),
    }
}

/// Each sample's class by `pick` over its logits, in chunks.
fn predict_by(
    model: &Mlp<f32>,
    samples: ArrayView2<'_, f32>,
    pick: impl Fn(&[f32]) -> usize,
) -> Vec<usize> {
    let mut work = Workspace::default();
    let mut out = Vec::with_capacity(samples.nrows());
    for chunk in samples.axis_chunks_iter(Axis(0), 4096) {
        model.forward(chunk, &mut work);
        out.extend(
            work.logits()
                .rows()
                .into_iter()
                .map(|r| pick(r.as_slice().expect("workspace rows are contiguous"))),
        );
    }
    out
}

/// The centres of a `resolution` x `resolution` grid over `bounds`, row by row
/// from the top (largest y) down, as an image is drawn.
pub fn grid_points(bounds: &Bounds, resolution: usize) -> Vec<[f32; 2]> {
    let dx = (bounds.x_max - bounds.x_min) / resolution as f32;
    let dy = (bounds.y_max - bounds.y_min) / resolution as f32;
    (0..resolution)
        .flat_map(|r| {
            (0..resolution).map(move |c| {
                [
                    bounds.x_min + (c as f32 + 0.5) * dx,
                    bounds.y_max - (r as f32 + 0.5) * dy,
                ]
            })
        })
        .collect()
}

/// The predicted class at every cell of a grid over `bounds` (see [`grid_points`]).
pub fn decision_grid(model: &Mlp<f32>, bounds: &Bounds, resolution: usize) -> Vec<u8> {
    predict(model, points_array(&grid_points(bounds, resolution)).view())
        .into_iter()
        .map(|c| c as u8)
        .collect()
}

/// The taus the page's slider offers for post-hoc adjustment: 0 (plain
/// argmax) to 2 in steps of 0.1.
pub const POSTHOC_TAUS: [f64; 21] = {
    let mut taus = [0.0; 21];
    let mut i = 0;
    while i < 21 {
        taus[i] = i as f64 / 10.0;
        i += 1;
    }
    taus
};

/// Balanced test accuracy of `model` re-scored with post-hoc adjustment at
/// each of `taus` by the training counts (tau 0: plain argmax): the tau
/// slider's curve. Empty when a class has no training sample, which log pi
/// cannot adjust.
pub fn posthoc_curve(
    model: &Mlp<f32>,
    test: &Dataset,
    train_counts: &[u64],
    taus: &[f64],
) -> Vec<f64> {
    taus.iter()
        .map_while(|&tau| {
            let offsets = log_prior_offsets(train_counts, tau).ok()?;
            let predicted = predict_posthoc(model, test.matrix(), &offsets);
            Some(metrics(&predicted, &test.labels, train_counts).balanced_accuracy)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::toy_data::{ToyConfig, make_toy_task};
    use crate::train::mlp::MlpConfig;
    use crate::train::trainer::CpuTrainer;

    #[test]
    fn the_posthoc_curve_starts_at_plain_argmax_and_lifts_a_softmax_run() {
        assert_eq!(POSTHOC_TAUS[0], 0.0);
        assert_eq!(POSTHOC_TAUS[10], 1.0);
        assert!((POSTHOC_TAUS[20] - 2.0).abs() < 1e-12);
        let task = make_toy_task(&[500, 100, 20, 5], &ToyConfig::default()).unwrap();
        let config = TrainConfig {
            epochs: 20,
            ..TrainConfig::default()
        };
        let mut trainer = CpuTrainer::new(&task.train, &task.counts, &config).unwrap();
        trainer.run_to_end();
        let curve = posthoc_curve(trainer.model(), &task.test, &task.counts, &POSTHOC_TAUS);
        assert_eq!(curve.len(), POSTHOC_TAUS.len());
        let plain = metrics(
            &predict(trainer.model(), task.test.matrix()),
            &task.test.labels,
            &task.counts,
        );
        assert_eq!(curve[0], plain.balanced_accuracy);
        // Plain softmax under-predicts the tail; tau = 1 moves it back.
        assert!(curve[10] > curve[0] + 0.05, "{curve:?}");
        // A class without samples cannot be adjusted: no curve, no NaN.
        assert!(
            posthoc_curve(
                trainer.model(),
                &task.test,
                &[500, 100, 20, 0],
                &POSTHOC_TAUS
            )
            .is_empty()
        );
    }

    #[test]
    fn posthoc_adjustment_shifts_predictions_to_rare_classes() {
        let model = Mlp::<f32>::new(&MlpConfig::default(), 2, 3, false, 1);
        let points: Vec<[f32; 2]> = (0..200)
            .map(|i| [(i % 20) as f32 / 5.0 - 2.0, (i / 20) as f32 / 2.5 - 2.0])
            .collect();
        let points = points_array(&points);
        let plain = predict(&model, points.view());
        assert_eq!(predict_posthoc(&model, points.view(), &[0.0; 3]), plain);
        // A huge prior on class 0 (tau log pi_0 >> the others) moves every prediction off it.
        let adjusted = predict_posthoc(&model, points.view(), &[1e3, 0.0, 0.0]);
        assert!(adjusted.iter().all(|&c| c != 0));
    }

    #[test]
    fn grid_is_row_major_from_the_top() {
        let b = Bounds {
            x_min: 0.0,
            x_max: 2.0,
            y_min: 0.0,
            y_max: 4.0,
        };
        let g = grid_points(&b, 2);
        assert_eq!(g, [[0.5, 3.0], [1.5, 3.0], [0.5, 1.0], [1.5, 1.0]]);
    }
}
