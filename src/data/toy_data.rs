//! The synthetic long-tailed task: C Gaussian blobs on a ring in the plane,
//! training counts from any count vector, and a balanced test set.
//!
//! Classes are placed around the ring head, tail, head, tail (0, C-1, 1, C-2,
//! ...), so every rare class sits between frequent ones and an unweighted
//! classifier gives its region away to its neighbours. Each (class, split) has
//! its own random stream, so adding samples to one class leaves every other
//! point where it was; arithmetic uses `libm`, so the same seed gives the same
//! bits natively and in wasm.

use std::fmt;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::data::dataset::{Bounds, Dataset, Task};
use crate::i18n::Message;

/// The most classes the toy task has.
pub const MAX_TOY_CLASSES: usize = 50;
/// The most training points the toy task accepts.
pub const MAX_TOY_POINTS: u64 = 200_000;

/// The shape of the toy task.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ToyConfig {
    /// Blob standard deviation as a fraction of the distance between neighbouring centres.
    pub noise: f64,
    /// Test points per class (the test set is balanced).
    pub test_per_class: usize,
    /// Seed of every random stream.
    pub seed: u64,
    /// Redundancy: each class's training points are copies of its first K
    /// draws (the prototypes), each with a small jitter, like augmentations
    /// of K distinct images; `None`: every point a fresh draw. The test set
    /// is always fresh draws.
    pub prototypes: Option<Redundancy>,
}

/// How many prototypes a class's training points are copies of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Redundancy {
    /// K for every class, whatever its count (the effective number's model
    /// with N = K: beta = 1 - 1/K).
    Prototypes(u32),
    /// Each prototype copied R times: a class of n points has ceil(n / R)
    /// (K grows with n; the model then predicts inverse frequency).
    Copies(u32),
}

impl Redundancy {
    /// The prototypes of a class of `n` points.
    pub fn prototypes_for(self, n: u64) -> u64 {
        match self {
            Self::Prototypes(k) => u64::from(k),
            Self::Copies(r) => n.div_ceil(u64::from(r.max(1))),
        }
    }
}

/// A copy's jitter, as a fraction of the blob's standard deviation.
pub const PROTOTYPE_JITTER: f64 = 0.05;

impl Default for ToyConfig {
    fn default() -> Self {
        Self {
            noise: 0.4,
            test_per_class: 200,
            seed: 0,
            prototypes: None,
        }
    }
}

/// A toy task: training set, balanced test set and their bounds.
#[derive(Clone, Debug, PartialEq)]
pub struct ToyTask {
    /// Training points, `counts[c]` of class c.
    pub train: Dataset,
    /// Test points, `test_per_class` of each class.
    pub test: Dataset,
    /// Training counts per class.
    pub counts: Vec<u64>,
    /// A box around all points with a margin.
    pub bounds: Bounds,
}

impl From<ToyTask> for Task {
    fn from(t: ToyTask) -> Self {
        Self {
            train: t.train,
            test: t.test,
            counts: t.counts,
            bounds: Some(t.bounds),
        }
    }
}

/// Why a toy task cannot be made.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ToyError {
    /// The toy task has between 2 and [`MAX_TOY_CLASSES`] classes.
    Classes(usize),
    /// The training set has at most [`MAX_TOY_POINTS`] points.
    TooManyPoints(u64),
    /// The training set is empty.
    NoPoints,
    /// Noise must be a finite number > 0.
    Noise(f64),
    /// A class has at least one prototype.
    Prototypes,
}

impl ToyError {
    /// What went wrong, for people in any language.
    pub fn message(&self) -> Message {
        match self {
            Self::Classes(c) => Message::new("error.toy.classes")
                .with("max", MAX_TOY_CLASSES)
                .with("got", c),
            Self::TooManyPoints(n) => Message::new("error.toy.too_many_points")
                .with("max", MAX_TOY_POINTS)
                .with("got", n),
            Self::NoPoints => Message::new("error.toy.no_points"),
            Self::Noise(n) => Message::new("error.toy.noise").with("got", n),
            Self::Prototypes => Message::new("error.toy.prototypes"),
        }
    }
}

/// In English, from the translation files.
impl fmt::Display for ToyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.message().fmt(f)
    }
}

impl std::error::Error for ToyError {}

/// Counts scaled down so the largest is at most `n_max`, keeping their ratios
/// (floored) and every non-empty class at least 1, so a data set's shape can
/// be trained on at toy size: CIFAR-10-LT's 5000 ... 50 becomes 500 ... 5.
pub fn scale_counts(counts: &[u64], n_max: u64) -> Vec<u64> {
    let max = counts.iter().copied().max().unwrap_or(0);
    if max <= n_max {
        return counts.to_vec();
    }
    counts
        .iter()
        .map(|&c| {
            if c == 0 {
                0
            } else {
                ((c as u128 * n_max as u128 / max as u128) as u64).max(1)
            }
        })
        .collect()
}

/// Where class `c` of `classes` sits on the ring: head, tail, head, tail, ...
fn slot(c: usize, classes: usize) -> usize {
    let front = classes.div_ceil(2);
    if c < front {
        2 * c
    } else {
        2 * (classes - 1 - c) + 1
    }
}

/// The centre of class `c`, on the unit circle.
pub fn centre(c: usize, classes: usize) -> [f64; 2] {
    let angle = std::f64::consts::TAU * slot(c, classes) as f64 / classes as f64;
    [libm::cos(angle), libm::sin(angle)]
}

/// A draw from N(0, sigma^2) in each coordinate (Box-Muller: both from one
/// pair of uniforms; u1 in (0, 1]).
fn gaussian(rng: &mut ChaCha8Rng, sigma: f64) -> [f64; 2] {
    let u1 = 1.0 - rng.random::<f64>();
    let u2 = rng.random::<f64>();
    let r = sigma * libm::sqrt(-2.0 * libm::log(u1));
    let t = std::f64::consts::TAU * u2;
    [r * libm::cos(t), r * libm::sin(t)]
}

/// `n` points of class `c` from its own stream for `split` (0 train, 1
/// test); with `redundancy` giving K prototypes below `n`, point i is the
/// (i mod K)-th of K fresh draws plus a jitter from a stream of its own.
fn blob(
    c: usize,
    classes: usize,
    n: u64,
    sigma: f64,
    seed: u64,
    split: u64,
    redundancy: Option<Redundancy>,
) -> Vec<[f32; 2]> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(2 * c as u64 + split);
    let [cx, cy] = centre(c, classes);
    let prototypes = redundancy.map(|r| r.prototypes_for(n));
    let distinct = prototypes.map_or(n, |k| n.min(k));
    let drawn: Vec<[f64; 2]> = (0..distinct)
        .map(|_| {
            let [dx, dy] = gaussian(&mut rng, sigma);
            [cx + dx, cy + dy]
        })
        .collect();
    // K at least the count: every point is its own prototype, as with no dial.
    let Some(k) = prototypes.filter(|&k| k < n) else {
        return drawn.iter().map(|&[x, y]| [x as f32, y as f32]).collect();
    };
    let mut jitter = ChaCha8Rng::seed_from_u64(seed);
    jitter.set_stream(2 * (MAX_TOY_CLASSES + c) as u64 + split);
    (0..n)
        .map(|i| {
            let [x, y] = drawn[(i % k) as usize];
            let [dx, dy] = gaussian(&mut jitter, PROTOTYPE_JITTER * sigma);
            [(x + dx) as f32, (y + dy) as f32]
        })
        .collect()
}

fn dataset(
    per_class: &[u64],
    sigma: f64,
    seed: u64,
    split: u64,
    prototypes: Option<Redundancy>,
) -> Dataset {
    let classes = per_class.len();
    let mut features = Vec::new();
    let mut labels = Vec::new();
    for (c, &n) in per_class.iter().enumerate() {
        features.extend(blob(c, classes, n, sigma, seed, split, prototypes).into_flattened());
        labels.extend(std::iter::repeat_n(c, n as usize));
    }
    Dataset {
        features,
        dim: 2,
        labels,
        classes,
    }
}

/// Makes the toy task with these training counts.
pub fn make_toy_task(counts: &[u64], config: &ToyConfig) -> Result<ToyTask, ToyError> {
    let classes = counts.len();
    if !(2..=MAX_TOY_CLASSES).contains(&classes) {
        return Err(ToyError::Classes(classes));
    }
    if !(config.noise.is_finite() && config.noise > 0.0) {
        return Err(ToyError::Noise(config.noise));
    }
    if matches!(
        config.prototypes,
        Some(Redundancy::Prototypes(0) | Redundancy::Copies(0))
    ) {
        return Err(ToyError::Prototypes);
    }
    let total = counts.iter().try_fold(0u64, |a, &n| a.checked_add(n));
    match total {
        Some(0) => return Err(ToyError::NoPoints),
        Some(t) if t <= MAX_TOY_POINTS => {}
        _ => return Err(ToyError::TooManyPoints(total.unwrap_or(u64::MAX))),
    }
    let spacing = 2.0 * libm::sin(std::f64::consts::PI / classes as f64);
    let sigma = config.noise * spacing;
    let train = dataset(counts, sigma, config.seed, 0, config.prototypes);
    let test = dataset(
        &vec![config.test_per_class as u64; classes],
        sigma,
        config.seed,
        1,
        None,
    );
    fn points(d: &Dataset) -> &[[f32; 2]] {
        d.points().expect("the toy task is 2-D")
    }
    let bounds = bounds(points(&train).iter().chain(points(&test)));
    Ok(ToyTask {
        train,
        test,
        counts: counts.to_vec(),
        bounds,
    })
}

fn bounds<'a>(points: impl Iterator<Item = &'a [f32; 2]>) -> Bounds {
    let mut b = Bounds {
        x_min: f32::INFINITY,
        x_max: f32::NEG_INFINITY,
        y_min: f32::INFINITY,
        y_max: f32::NEG_INFINITY,
    };
    for &[x, y] in points {
        b.x_min = b.x_min.min(x);
        b.x_max = b.x_max.max(x);
        b.y_min = b.y_min.min(y);
        b.y_max = b.y_max.max(y);
    }
    let margin = 0.05 * (b.x_max - b.x_min).max(b.y_max - b.y_min);
    Bounds {
        x_min: b.x_min - margin,
        x_max: b.x_max + margin,
        y_min: b.y_min - margin,
        y_max: b.y_max + margin,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_and_balance() {
        let counts = [50, 5, 20];
        let task = make_toy_task(&counts, &ToyConfig::default()).unwrap();
        assert_eq!(task.train.len(), 75);
        assert_eq!(task.train.labels.iter().filter(|&&l| l == 1).count(), 5);
        assert_eq!(task.test.len(), 600);
        for c in 0..3 {
            assert_eq!(task.test.labels.iter().filter(|&&l| l == c).count(), 200);
        }
        let b = task.bounds;
        for &[x, y] in task
            .train
            .points()
            .unwrap()
            .iter()
            .chain(task.test.points().unwrap())
        {
            assert!(x > b.x_min && x < b.x_max && y > b.y_min && y < b.y_max);
        }
    }

    #[test]
    fn same_seed_same_bits_other_seed_other_points() {
        let counts = [100, 10];
        let a = make_toy_task(&counts, &ToyConfig::default()).unwrap();
        let b = make_toy_task(&counts, &ToyConfig::default()).unwrap();
        assert_eq!(a, b);
        let c = make_toy_task(
            &counts,
            &ToyConfig {
                seed: 1,
                ..ToyConfig::default()
            },
        )
        .unwrap();
        assert_ne!(a.train.points().unwrap(), c.train.points().unwrap());
    }

    #[test]
    fn growing_one_class_moves_no_other_point() {
        let config = ToyConfig::default();
        let a = make_toy_task(&[30, 5, 10], &config).unwrap();
        let b = make_toy_task(&[30, 9, 10], &config).unwrap();
        assert_eq!(
            a.train.points().unwrap()[..35],
            b.train.points().unwrap()[..35]
        );
        assert_eq!(
            a.train.points().unwrap()[35..],
            b.train.points().unwrap()[39..]
        );
        assert_eq!(a.test, b.test);
    }

    #[test]
    fn points_gather_around_their_centres() {
        let task = make_toy_task(&[4000, 4000, 4000, 4000], &ToyConfig::default()).unwrap();
        for c in 0..4 {
            let pts: Vec<_> = task
                .train
                .points()
                .unwrap()
                .iter()
                .zip(&task.train.labels)
                .filter(|(_, l)| **l == c)
                .map(|(p, _)| p)
                .collect();
            let mean_x = pts.iter().map(|p| p[0] as f64).sum::<f64>() / pts.len() as f64;
            let mean_y = pts.iter().map(|p| p[1] as f64).sum::<f64>() / pts.len() as f64;
            let [cx, cy] = centre(c, 4);
            assert!(
                (mean_x - cx).abs() < 0.05 && (mean_y - cy).abs() < 0.05,
                "class {c}"
            );
        }
    }

    #[test]
    fn heads_and_tails_alternate_on_the_ring() {
        let slots: Vec<usize> = (0..10).map(|c| slot(c, 10)).collect();
        assert_eq!(slots, [0, 2, 4, 6, 8, 9, 7, 5, 3, 1]);
        let mut sorted = slots.clone();
        sorted.sort();
        assert_eq!(sorted, (0..10).collect::<Vec<_>>());
        let odd: Vec<usize> = (0..5).map(|c| slot(c, 5)).collect();
        assert_eq!(odd, [0, 2, 4, 3, 1]);
    }

    #[test]
    fn scaling_keeps_the_shape() {
        let cifar = crate::data::profiles::preset_counts("cifar10-lt-100").unwrap();
        assert_eq!(
            scale_counts(&cifar, 500),
            [500, 299, 179, 107, 64, 38, 23, 13, 8, 5]
        );
        assert_eq!(scale_counts(&[3, 0, 1], 500), [3, 0, 1]);
        assert_eq!(scale_counts(&[1_000_000_000, 1, 0], 500), [500, 1, 0]);
    }

    /// The points of class `c` in `task`'s training set.
    fn class_points(task: &ToyTask, c: usize) -> Vec<[f32; 2]> {
        let labels = &task.train.labels;
        task.train
            .points()
            .unwrap()
            .iter()
            .zip(labels)
            .filter(|(_, l)| **l == c)
            .map(|(p, _)| *p)
            .collect()
    }

    #[test]
    fn prototypes_make_jittered_copies_of_k_draws() {
        let counts = [300, 40];
        let fresh = make_toy_task(&counts, &ToyConfig::default()).unwrap();
        let k = 10;
        let copied = make_toy_task(
            &counts,
            &ToyConfig {
                prototypes: Some(Redundancy::Prototypes(k)),
                ..ToyConfig::default()
            },
        )
        .unwrap();
        assert_eq!(copied.train.labels, fresh.train.labels);
        assert_eq!(copied.test, fresh.test, "the test set stays fresh");
        let sigma = 0.4 * 2.0 * libm::sin(std::f64::consts::PI / 2.0);
        for c in 0..2 {
            let prototypes = &class_points(&fresh, c)[..k as usize];
            for (i, p) in class_points(&copied, c).iter().enumerate() {
                // Point i sits within a few jitters of prototype i mod K, and
                // farther from the others (K draws of the blob are far apart
                // next to a jitter of 5% of sigma).
                let q = prototypes[i % k as usize];
                let d = f64::from(p[0] - q[0]).hypot(f64::from(p[1] - q[1]));
                assert!(
                    d < 5.0 * PROTOTYPE_JITTER * sigma,
                    "class {c} point {i}: {d}"
                );
                assert_ne!(*p, q, "a copy is jittered");
            }
        }
        // K at least a class's count: its points are fresh draws, no jitter.
        let plenty = make_toy_task(
            &counts,
            &ToyConfig {
                prototypes: Some(Redundancy::Prototypes(300)),
                ..ToyConfig::default()
            },
        )
        .unwrap();
        assert_eq!(plenty, fresh);
    }

    #[test]
    fn copies_give_each_class_n_over_r_prototypes() {
        assert_eq!(Redundancy::Copies(10).prototypes_for(95), 10);
        assert_eq!(Redundancy::Copies(10).prototypes_for(5), 1);
        assert_eq!(Redundancy::Prototypes(7).prototypes_for(5), 7);
        let task = make_toy_task(
            &[300, 40],
            &ToyConfig {
                prototypes: Some(Redundancy::Copies(10)),
                ..ToyConfig::default()
            },
        )
        .unwrap();
        for (c, k) in [(0, 30), (1, 4)] {
            let mut centres: Vec<[f32; 2]> = class_points(&task, c);
            // Point i is a copy of prototype i mod K: K distinct groups.
            centres.truncate(k);
            let points = class_points(&task, c);
            for (i, p) in points.iter().enumerate() {
                let q = centres[i % k];
                let d = f64::from(p[0] - q[0]).hypot(f64::from(p[1] - q[1]));
                assert!(d < 0.2, "class {c} point {i}: {d}");
            }
        }
    }

    #[test]
    fn errors() {
        assert_eq!(
            make_toy_task(
                &[3, 3],
                &ToyConfig {
                    prototypes: Some(Redundancy::Copies(0)),
                    ..ToyConfig::default()
                }
            ),
            Err(ToyError::Prototypes)
        );
        let config = ToyConfig::default();
        assert_eq!(make_toy_task(&[5], &config), Err(ToyError::Classes(1)));
        assert_eq!(make_toy_task(&[0, 0], &config), Err(ToyError::NoPoints));
        assert_eq!(
            make_toy_task(&[MAX_TOY_POINTS, 1], &config),
            Err(ToyError::TooManyPoints(MAX_TOY_POINTS + 1))
        );
        assert!(
            make_toy_task(
                &[1, 1],
                &ToyConfig {
                    noise: 0.0,
                    ..config
                }
            )
            .is_err()
        );
    }
}
