//! Multi-label images from the committed Fashion-MNIST asset: 2 x 2 mosaics
//! of 14 x 14 item images (28 x 28 pixels), a mosaic's label set the items
//! it shows. Each tile holds an item with probability `fill` (else it stays
//! blank); a training tile's class is drawn long-tailed, p_c proportional to
//! imbalance^(-c / 9), its image from that class's training images (the
//! asset's, at imbalance 10). Test tiles draw their class uniformly and their
//! image from the asset's test images, so every class is expected in as many
//! test mosaics as any other: balanced as far as mosaics allow (a mosaic
//! shows several classes, so exact counts cannot all be equal). Seeded.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::data::dataset::{MultiLabelData, MultiLabelTask};
use crate::data::fashion::{ASSET_IMBALANCE, CLASSES, FashionAsset, Images, PIXELS, SIDE};
use crate::data::label_sets::LabelSets;

/// A mosaic's side in pixels.
pub const MOSAIC_SIDE: usize = 2 * SIDE;
/// A mosaic's pixels.
pub const MOSAIC_PIXELS: usize = MOSAIC_SIDE * MOSAIC_SIDE;
/// The most mosaics a split has.
pub const MAX_MOSAICS: usize = 100_000;

/// The shape of the mosaics.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MosaicConfig {
    /// Training mosaics.
    pub train: usize,
    /// Test mosaics.
    pub test: usize,
    /// The head class's tile probability over the tail's.
    pub imbalance: f64,
    /// The probability that a tile holds an item.
    pub fill: f64,
    /// Seed of both splits.
    pub seed: u64,
}

impl Default for MosaicConfig {
    fn default() -> Self {
        Self {
            train: 1500,
            test: 1000,
            imbalance: 100.0,
            fill: 0.75,
            seed: 0,
        }
    }
}

/// Why the mosaics cannot be made.
#[derive(Clone, Debug, PartialEq)]
pub enum MosaicError {
    /// A split's size is 0 or above [`MAX_MOSAICS`].
    Mosaics(usize),
    /// The imbalance is below 1 or not finite.
    Imbalance(f64),
    /// The fill is not in (0, 1].
    Fill(f64),
}

impl std::fmt::Display for MosaicError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Mosaics(n) => write!(f, "a split has 1 to {MAX_MOSAICS} mosaics, not {n}"),
            Self::Imbalance(r) => write!(f, "the imbalance must be a number >= 1, got {r}"),
            Self::Fill(p) => write!(f, "the fill must be in (0, 1], got {p}"),
        }
    }
}

impl std::error::Error for MosaicError {}

/// Each class's image indices in `images`.
fn by_class(images: &Images) -> Vec<Vec<usize>> {
    let mut out = vec![Vec::new(); CLASSES];
    for (i, &c) in images.labels.iter().enumerate() {
        out[c].push(i);
    }
    out
}

/// `count` mosaics from `images`, tile classes drawn by `cumulative` (the
/// running sum of the class probabilities).
fn split(
    images: &Images,
    cumulative: &[f64],
    count: usize,
    fill: f64,
    rng: &mut ChaCha8Rng,
) -> MultiLabelData {
    let members = by_class(images);
    let mut features = vec![0.0f32; count * MOSAIC_PIXELS];
    let mut sets = Vec::with_capacity(count);
    for m in 0..count {
        let mosaic = &mut features[m * MOSAIC_PIXELS..(m + 1) * MOSAIC_PIXELS];
        let mut set = Vec::new();
        for tile in 0..4 {
            if rng.random::<f64>() >= fill {
                continue;
            }
            let u = rng.random::<f64>() * cumulative[CLASSES - 1];
            let c = cumulative
                .iter()
                .position(|&s| u < s)
                .unwrap_or(CLASSES - 1);
            let pool = &members[c];
            let image = images.image(pool[rng.random_range(0..pool.len() as u32) as usize]);
            let (top, left) = ((tile / 2) * SIDE, (tile % 2) * SIDE);
            for row in 0..SIDE {
                let at = (top + row) * MOSAIC_SIDE + left;
                mosaic[at..at + SIDE].copy_from_slice(&image[row * SIDE..(row + 1) * SIDE]);
            }
            set.push(c);
        }
        set.sort_unstable();
        set.dedup();
        sets.push(set);
    }
    MultiLabelData {
        features,
        dim: MOSAIC_PIXELS,
        labels: LabelSets {
            sets,
            classes: CLASSES,
            names: None,
        },
    }
}

/// The mosaics for this configuration from `asset`.
pub fn make_mosaics(
    asset: &FashionAsset,
    config: &MosaicConfig,
) -> Result<MultiLabelTask, MosaicError> {
    for n in [config.train, config.test] {
        if !(1..=MAX_MOSAICS).contains(&n) {
            return Err(MosaicError::Mosaics(n));
        }
    }
    if !(config.imbalance.is_finite() && config.imbalance >= 1.0) {
        return Err(MosaicError::Imbalance(config.imbalance));
    }
    if !(config.fill > 0.0 && config.fill <= 1.0) {
        return Err(MosaicError::Fill(config.fill));
    }
    let running = |p: &dyn Fn(usize) -> f64| {
        (0..CLASSES)
            .scan(0.0, |sum, c| {
                *sum += p(c);
                Some(*sum)
            })
            .collect::<Vec<f64>>()
    };
    let long_tailed = running(&|c| libm::pow(config.imbalance, -(c as f64) / (CLASSES - 1) as f64));
    let uniform = running(&|_| 1.0);
    let pool = asset
        .train(ASSET_IMBALANCE)
        .expect("the asset's own imbalance is in range");
    let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
    rng.set_stream(21);
    let train = split(&pool, &long_tailed, config.train, config.fill, &mut rng);
    rng.set_stream(22);
    let test = split(&asset.test(), &uniform, config.test, config.fill, &mut rng);
    debug_assert_eq!(PIXELS * 4, MOSAIC_PIXELS);
    Ok(MultiLabelTask {
        counts: train.labels.counts(),
        train,
        test,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asset() -> FashionAsset {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/assets/data/fashion-mnist-lt.bin"
        );
        FashionAsset::parse(&std::fs::read(path).unwrap()).unwrap()
    }

    #[test]
    fn long_tailed_train_balanced_test() {
        let task = make_mosaics(&asset(), &MosaicConfig::default()).unwrap();
        let n = &task.counts.positives;
        assert_eq!(task.counts.samples, 1500);
        assert!(n[0] > 20 * n[9], "{n:?}");
        assert!(n[9] > 0, "{n:?}");
        assert!(task.counts.cardinality > 1.5, "{}", task.counts.cardinality);
        let test = task.test.labels.counts().positives;
        let (lo, hi) = (test.iter().min().unwrap(), test.iter().max().unwrap());
        assert!((*hi as f64 / *lo as f64) < 1.35, "test positives {test:?}");
        assert_eq!(task.train.dim, 784);
        // A tile shows the item of its class: the labels match what is drawn.
        let blank = task.train.labels.sets.iter().position(|s| s.is_empty());
        if let Some(i) = blank {
            assert!(task.train.sample(i).iter().all(|&p| p == 0.0));
        }
    }

    #[test]
    fn seeded_and_checked() {
        let a = make_mosaics(
            &asset(),
            &MosaicConfig {
                train: 50,
                test: 20,
                ..MosaicConfig::default()
            },
        )
        .unwrap();
        let b = make_mosaics(
            &asset(),
            &MosaicConfig {
                train: 50,
                test: 20,
                ..MosaicConfig::default()
            },
        )
        .unwrap();
        assert_eq!(a, b);
        let e = make_mosaics(
            &asset(),
            &MosaicConfig {
                fill: 0.0,
                ..MosaicConfig::default()
            },
        )
        .unwrap_err();
        assert_eq!(e.to_string(), "the fill must be in (0, 1], got 0");
    }
}
