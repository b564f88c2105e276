//! Samples of any dimension and their labels: the toy task's 2-D points and
//! the Fashion-MNIST-LT images alike, stored as one row-major matrix.

use ndarray::ArrayView2;

use crate::data::label_sets::{LabelSetCounts, LabelSets};

/// Samples and their labels.
#[derive(Clone, Debug, PartialEq)]
pub struct Dataset {
    /// `dim` features per sample, sample after sample.
    pub features: Vec<f32>,
    /// Features per sample.
    pub dim: usize,
    /// The class of each sample.
    pub labels: Vec<usize>,
    /// The number of classes.
    pub classes: usize,
}

impl Dataset {
    /// How many samples.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// Sample `i`'s features.
    pub fn sample(&self, i: usize) -> &[f32] {
        &self.features[i * self.dim..(i + 1) * self.dim]
    }

    /// The samples as an n x dim matrix.
    pub fn matrix(&self) -> ArrayView2<'_, f32> {
        ArrayView2::from_shape((self.len(), self.dim), &self.features)
            .expect("dim features per sample")
    }

    /// The samples as (x, y) points: the toy task's; `None` for other data.
    pub fn points(&self) -> Option<&[[f32; 2]]> {
        (self.dim == 2).then(|| self.features.as_chunks::<2>().0)
    }
}

/// What runs train and are tested on: the toy task or the images.
#[derive(Clone, Debug, PartialEq)]
pub struct Task {
    /// The training samples, `counts[c]` of class c.
    pub train: Dataset,
    /// The test samples.
    pub test: Dataset,
    /// Training samples per class.
    pub counts: Vec<u64>,
    /// The toy task's box, where decision regions can be drawn; `None` for images.
    pub bounds: Option<Bounds>,
}

/// Samples with several labels each: the multi-label toy task and mosaics.
#[derive(Clone, Debug, PartialEq)]
pub struct MultiLabelData {
    /// `dim` features a sample, sample after sample.
    pub features: Vec<f32>,
    /// Features a sample.
    pub dim: usize,
    /// Each sample's classes.
    pub labels: LabelSets,
}

impl MultiLabelData {
    /// How many samples.
    pub fn len(&self) -> usize {
        self.labels.sets.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.labels.sets.is_empty()
    }

    /// Sample `i`'s features.
    pub fn sample(&self, i: usize) -> &[f32] {
        &self.features[i * self.dim..(i + 1) * self.dim]
    }
}

/// A multi-label task: training and test data and the training counts.
#[derive(Clone, Debug, PartialEq)]
pub struct MultiLabelTask {
    /// Training data.
    pub train: MultiLabelData,
    /// Test data.
    pub test: MultiLabelData,
    /// The training set's counts (positives per class, N, cardinality).
    pub counts: LabelSetCounts,
}

/// The rectangle that holds the data, for drawing decision regions.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct Bounds {
    /// Smallest x.
    pub x_min: f32,
    /// Largest x.
    pub x_max: f32,
    /// Smallest y.
    pub y_min: f32,
    /// Largest y.
    pub y_max: f32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_points_and_matrix_agree() {
        let d = Dataset {
            features: vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
            dim: 2,
            labels: vec![0, 1, 1],
            classes: 2,
        };
        assert_eq!(d.len(), 3);
        assert_eq!(d.sample(1), [3.0, 4.0]);
        assert_eq!(d.points().unwrap()[2], [5.0, 6.0]);
        assert_eq!(d.matrix()[[2, 0]], 5.0);
        let wide = Dataset {
            dim: 3,
            labels: vec![0, 1],
            ..d
        };
        assert_eq!(wide.points(), None);
        assert_eq!(wide.matrix().dim(), (2, 3));
    }
}
