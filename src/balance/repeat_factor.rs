//! LVIS's repeat-factor sampling (Gupta, Dollár and Girshick, "LVIS",
//! CVPR 2019, section 5): a sampling factor, not a loss weight. With f_c the
//! fraction of the training images that hold class c and a threshold t,
//! r_c = max(1, sqrt(t / f_c)); an image is repeated r_i = max over its
//! classes of r_c times an epoch (stochastically rounded by Detectron2's
//! `RepeatFactorTrainingSampler`). It needs the images per class and the
//! number of images: counts alone (how many objects) cannot give it.

use std::fmt;

/// LVIS's default threshold t.
pub const DEFAULT_THRESHOLD: f64 = 0.001;

/// Why no repeat factors can be computed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum RepeatFactorError {
    /// The threshold is not in (0, 1].
    Threshold(f64),
    /// No image at all.
    NoImages,
    /// A class is in more images than there are.
    MoreThanImages {
        /// The class.
        class: usize,
        /// Its images.
        count: u64,
        /// The images there are.
        images: u64,
    },
}

impl fmt::Display for RepeatFactorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Threshold(t) => write!(f, "the threshold must be in (0, 1], not {t}"),
            Self::NoImages => write!(f, "repeat factors need at least one image"),
            Self::MoreThanImages {
                class,
                count,
                images,
            } => write!(
                f,
                "class {class} is in {count} images, more than the {images} there are: are these images per class?"
            ),
        }
    }
}

impl std::error::Error for RepeatFactorError {}

/// r_c for classes held by `images_per_class` of `images` images at
/// threshold `t`; an empty class gets 0 (it has no image to repeat).
pub fn repeat_factors(
    images_per_class: &[u64],
    images: u64,
    t: f64,
) -> Result<Vec<f64>, RepeatFactorError> {
    if !(t > 0.0 && t <= 1.0) {
        return Err(RepeatFactorError::Threshold(t));
    }
    if images == 0 {
        return Err(RepeatFactorError::NoImages);
    }
    if let Some((class, &count)) = images_per_class
        .iter()
        .enumerate()
        .find(|(_, n)| **n > images)
    {
        return Err(RepeatFactorError::MoreThanImages {
            class,
            count,
            images,
        });
    }
    Ok(images_per_class
        .iter()
        .map(|&n| match n {
            0 => 0.0,
            n => (t / (n as f64 / images as f64)).sqrt().max(1.0),
        })
        .collect())
}

/// Each image's repeat factor: the largest r_c over its classes (1 for an
/// image with no class, which no class asks to repeat).
pub fn image_repeat_factors<'a>(
    sets: impl IntoIterator<Item = &'a [usize]>,
    class_factors: &[f64],
) -> Vec<f64> {
    sets.into_iter()
        .map(|set| set.iter().map(|&c| class_factors[c]).fold(1.0, f64::max))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lvis_formula_by_hand() {
        // 100,000 images; a class in 10 images: f = 1e-4, sqrt(0.001 / 1e-4) = sqrt(10).
        let r = repeat_factors(&[50_000, 100, 10, 0], 100_000, DEFAULT_THRESHOLD).unwrap();
        assert_eq!(r[0], 1.0);
        assert_eq!(r[1], 1.0); // f = t exactly: sqrt(1)
        assert!((r[2] - 10f64.sqrt()).abs() < 1e-12);
        assert_eq!(r[3], 0.0);
        let images = image_repeat_factors([&[0, 2][..], &[0], &[]], &r);
        assert_eq!(images[0], r[2]);
        assert_eq!(images[1..], [1.0, 1.0]);
    }

    #[test]
    fn refuses_what_has_no_meaning() {
        assert_eq!(
            repeat_factors(&[1], 1, 0.0),
            Err(RepeatFactorError::Threshold(0.0))
        );
        assert_eq!(
            repeat_factors(&[1], 0, 0.001),
            Err(RepeatFactorError::NoImages)
        );
        assert_eq!(
            repeat_factors(&[3, 9], 5, 0.001),
            Err(RepeatFactorError::MoreThanImages {
                class: 1,
                count: 9,
                images: 5
            })
        );
        assert!(repeat_factors(&[1], 1, f64::NAN).is_err());
    }
}
