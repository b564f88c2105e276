//! What a trained network predicts: classes of points, and the class at
//! every cell of a grid over the task (the decision regions a page draws).

use ndarray::Array2;

use crate::data::toy_data::{Bounds, ToyTask};
use crate::train::metrics::argmax;
use crate::train::mlp::{Mlp, Workspace};

/// Points as an n x 2 array.
pub fn points_array(points: &[[f32; 2]]) -> Array2<f32> {
    Array2::from_shape_vec(
        (points.len(), 2),
        points.iter().flatten().copied().collect(),
    )
    .expect("two coordinates per point")
}

/// Predicted classes (argmax of the logits) of these points, in chunks.
pub fn predict(model: &Mlp<f32>, points: &[[f32; 2]]) -> Vec<usize> {
    let mut work = Workspace::default();
    let mut out = Vec::with_capacity(points.len());
    for chunk in points.chunks(4096) {
        let x = points_array(chunk);
        model.forward(x.view(), &mut work);
        out.extend(
            work.logits()
                .rows()
                .into_iter()
                .map(|r| argmax(r.as_slice().expect("workspace rows are contiguous"))),
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

/// The predicted class at every cell of a grid over the task's bounds (see [`grid_points`]).
pub fn decision_grid(model: &Mlp<f32>, task: &ToyTask, resolution: usize) -> Vec<u8> {
    predict(model, &grid_points(&task.bounds, resolution))
        .into_iter()
        .map(|c| c as u8)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

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
