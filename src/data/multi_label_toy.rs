//! The multi-label toy task: each class a disc in the square [-1, 1]^2, a
//! point's labels the discs that hold it. Disc areas fall off exponentially
//! from head to tail (long-tailed in positives), and each rarer disc is
//! centred inside an earlier, commoner one, so rare labels co-occur with
//! common ones, as "person" comes with most of COCO's rarer objects. Points
//! are uniform in the square, train and test alike (a point may carry no
//! label; near a disc's edge the label is uncertain); each split has its own seeded stream, and arithmetic uses `libm`
//! so the bits are the same natively and in wasm.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::data::dataset::{Bounds, MultiLabelData, MultiLabelTask};
use crate::data::label_sets::LabelSets;

/// The most classes the multi-label toy task has.
pub const MAX_CLASSES: usize = 20;
/// The most points a split has.
pub const MAX_POINTS: usize = 200_000;

/// The square every point lies in.
pub const BOUNDS: Bounds = Bounds {
    x_min: -1.0,
    x_max: 1.0,
    y_min: -1.0,
    y_max: 1.0,
};

/// The shape of the multi-label toy task.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MultiLabelToyConfig {
    /// The number of classes (discs).
    pub classes: usize,
    /// The head disc's area over the tail disc's (positives fall off alike).
    pub imbalance: f64,
    /// The head disc's share of the square's area.
    pub head_area: f64,
    /// Training points.
    pub train_points: usize,
    /// Test points.
    pub test_points: usize,
    /// How soft a disc's edge is, as a fraction of its radius: a point at
    /// distance d carries the class with probability sigmoid((r - d) / (softness r)),
    /// so labels near an edge are uncertain and no classifier is perfect.
    pub softness: f64,
    /// Seed of the layout and of both splits.
    pub seed: u64,
}

impl Default for MultiLabelToyConfig {
    fn default() -> Self {
        Self {
            classes: 8,
            imbalance: 100.0,
            head_area: 0.3,
            train_points: 3000,
            test_points: 6000,
            softness: 0.1,
            seed: 0,
        }
    }
}

/// A disc: one class's region.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Disc {
    /// Its centre.
    pub centre: [f64; 2],
    /// Its radius.
    pub radius: f64,
}

impl Disc {
    /// Whether the point lies in the disc.
    pub fn holds(&self, p: [f64; 2]) -> bool {
        let (dx, dy) = (p[0] - self.centre[0], p[1] - self.centre[1]);
        dx * dx + dy * dy <= self.radius * self.radius
    }

    /// The probability that a point carries the class: 1/2 on the edge.
    pub fn probability(&self, p: [f64; 2], softness: f64) -> f64 {
        if softness == 0.0 {
            return if self.holds(p) { 1.0 } else { 0.0 };
        }
        let d = libm::hypot(p[0] - self.centre[0], p[1] - self.centre[1]);
        1.0 / (1.0 + libm::exp(-(self.radius - d) / (softness * self.radius)))
    }
}

/// Why the toy task cannot be made.
#[derive(Clone, Debug, PartialEq)]
pub enum MultiLabelToyError {
    /// Classes outside 2 ..= [`MAX_CLASSES`].
    Classes(usize),
    /// The imbalance is below 1 or not finite.
    Imbalance(f64),
    /// The head's area share is not in (0, 0.8].
    HeadArea(f64),
    /// A split's size is 0 or above [`MAX_POINTS`].
    Points(usize),
    /// The softness is not in [0, 1].
    Softness(f64),
}

impl std::fmt::Display for MultiLabelToyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Classes(c) => write!(
                f,
                "the multi-label toy task has 2 to {MAX_CLASSES} classes, not {c}"
            ),
            Self::Imbalance(r) => write!(f, "the imbalance must be a number >= 1, got {r}"),
            Self::HeadArea(a) => {
                write!(f, "the head disc's area share must be in (0, 0.8], got {a}")
            }
            Self::Points(n) => write!(f, "a split has 1 to {MAX_POINTS} points, not {n}"),
            Self::Softness(s) => write!(f, "the edges' softness must be in [0, 1], got {s}"),
        }
    }
}

impl std::error::Error for MultiLabelToyError {}

/// The discs of the layout: areas head_area * imbalance^(-c / (C - 1)) of the
/// square's 4; class c >= 1 centred inside class (c - 1) / 2's disc, at 60 %
/// of its radius in a seeded direction, clamped into the square.
pub fn discs(config: &MultiLabelToyConfig) -> Vec<Disc> {
    let classes = config.classes;
    let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
    rng.set_stream(10);
    let mut out: Vec<Disc> = Vec::with_capacity(classes);
    for c in 0..classes {
        let share =
            config.head_area * libm::pow(config.imbalance, -(c as f64) / (classes - 1) as f64);
        let radius = libm::sqrt(share * 4.0 / std::f64::consts::PI);
        let centre = if c == 0 {
            [-0.25, -0.2]
        } else {
            let parent = out[(c - 1) / 2];
            let angle = rng.random_range(0.0..std::f64::consts::TAU);
            let reach = 0.6 * parent.radius;
            let clamp = |v: f64| v.clamp(-1.0 + radius * 0.5, 1.0 - radius * 0.5);
            [
                clamp(parent.centre[0] + reach * libm::cos(angle)),
                clamp(parent.centre[1] + reach * libm::sin(angle)),
            ]
        };
        out.push(Disc { centre, radius });
    }
    out
}

fn split(discs: &[Disc], points: usize, softness: f64, seed: u64, stream: u64) -> MultiLabelData {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(stream);
    let mut features = Vec::with_capacity(points * 2);
    let mut sets = Vec::with_capacity(points);
    for _ in 0..points {
        let p = [rng.random_range(-1.0..1.0), rng.random_range(-1.0..1.0)];
        features.extend([p[0] as f32, p[1] as f32]);
        let set = discs
            .iter()
            .enumerate()
            .filter(|(_, disc)| rng.random::<f64>() < disc.probability(p, softness))
            .map(|(c, _)| c)
            .collect();
        sets.push(set);
    }
    MultiLabelData {
        features,
        dim: 2,
        labels: LabelSets {
            sets,
            classes: discs.len(),
            names: None,
        },
    }
}

/// The task for this configuration.
pub fn make_multi_label_toy(
    config: &MultiLabelToyConfig,
) -> Result<MultiLabelTask, MultiLabelToyError> {
    if !(2..=MAX_CLASSES).contains(&config.classes) {
        return Err(MultiLabelToyError::Classes(config.classes));
    }
    if !(config.imbalance.is_finite() && config.imbalance >= 1.0) {
        return Err(MultiLabelToyError::Imbalance(config.imbalance));
    }
    if !(config.head_area > 0.0 && config.head_area <= 0.8) {
        return Err(MultiLabelToyError::HeadArea(config.head_area));
    }
    if !(0.0..=1.0).contains(&config.softness) {
        return Err(MultiLabelToyError::Softness(config.softness));
    }
    for n in [config.train_points, config.test_points] {
        if !(1..=MAX_POINTS).contains(&n) {
            return Err(MultiLabelToyError::Points(n));
        }
    }
    let discs = discs(config);
    let train = split(
        &discs,
        config.train_points,
        config.softness,
        config.seed,
        11,
    );
    let test = split(&discs, config.test_points, config.softness, config.seed, 12);
    Ok(MultiLabelTask {
        counts: train.labels.counts(),
        train,
        test,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_tailed_in_positives_with_co_occurrence() {
        let task = make_multi_label_toy(&MultiLabelToyConfig::default()).unwrap();
        let n = &task.counts.positives;
        assert_eq!(task.counts.samples, 3000);
        // About 900 points in the head disc, about 9 in the tail's.
        assert!(n[0] > 700 && n[0] < 1100, "{n:?}");
        assert!(n[7] >= 3 && n[7] <= 20, "{n:?}");
        assert!(n[0] > 20 * n[7]);
        assert!(task.counts.cardinality > 0.4, "{}", task.counts.cardinality);
        // Each rarer class shares points with its parent.
        for c in 1..8 {
            let parent = (c - 1) / 2;
            let both = task
                .train
                .labels
                .sets
                .iter()
                .filter(|s| s.contains(&c) && s.contains(&parent))
                .count();
            assert!(both > 0, "class {c} never with {parent}");
        }
        // Without softness, labels are what the discs say.
        let hard = MultiLabelToyConfig {
            softness: 0.0,
            ..Default::default()
        };
        let (task, discs) = (make_multi_label_toy(&hard).unwrap(), discs(&hard));
        for i in 0..50 {
            let p = task.test.sample(i);
            let want: Vec<usize> = (0..8)
                .filter(|&c| discs[c].holds([p[0] as f64, p[1] as f64]))
                .collect();
            assert_eq!(task.test.labels.sets[i], want);
        }
    }

    #[test]
    fn seeded() {
        let a = make_multi_label_toy(&MultiLabelToyConfig::default()).unwrap();
        let b = make_multi_label_toy(&MultiLabelToyConfig::default()).unwrap();
        assert_eq!(a, b);
        let c = make_multi_label_toy(&MultiLabelToyConfig {
            seed: 1,
            ..Default::default()
        })
        .unwrap();
        assert_ne!(a.train.features, c.train.features);
    }

    #[test]
    fn bad_configurations_are_refused() {
        let bad = |c: MultiLabelToyConfig| make_multi_label_toy(&c).unwrap_err().to_string();
        let d = MultiLabelToyConfig::default();
        assert!(bad(MultiLabelToyConfig { classes: 1, ..d }).contains("2 to 20 classes"));
        assert!(
            bad(MultiLabelToyConfig {
                imbalance: f64::NAN,
                ..d
            })
            .contains("imbalance")
        );
        assert!(
            bad(MultiLabelToyConfig {
                train_points: 0,
                ..d
            })
            .contains("1 to 200000")
        );
    }
}
