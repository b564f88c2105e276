//! The model behind the effective number (Cui et al. 2019, section 3.1),
//! simulated: a class has N unique prototypes and each new sample is one of
//! them, drawn uniformly at random; it lands on a prototype already covered
//! with probability (covered so far) / N. The number of distinct prototypes
//! after n draws has mean exactly
//!
//! `N (1 - beta^n) = (1 - beta^n) / (1 - beta) = E_n`,  `beta = (N - 1) / N`,
//!
//! the effective number, which [`crate::balance::effective_number`] computes. Many
//! seeded trials give the mean and its standard error for every n.
//!
//! The geometric version drops discs of area 1 uniformly into a square of
//! area N and measures the area covered on a raster. There a new disc rarely
//! lies wholly inside or wholly outside what is covered (the paper's
//! simplification): it overlaps partly. Each point far from the edges is still
//! covered with probability 1 - (1 - 1/N)^n, so the mean follows the same
//! curve there; near the edges part of every disc falls outside the square,
//! so the measured mean falls below N (1 - beta^n). [`GeometricStats`] reports
//! both effects as numbers.

use rand::{Rng, SeedableRng};
// PCG rather than the trainer's ChaCha: the simulation is on the page's first
// load, and statistics, not cryptographic quality, are what it needs.
use rand_pcg::Pcg32;

use crate::balance::effective_number::{Beta, effective_number};

/// The class sizes N the coverage simulation offers (a link's `coverage_n` is one of them).
pub const PROTOTYPE_CHOICES: [u32; 4] = [10, 20, 50, 100];

/// The class size the simulation starts with.
pub const DEFAULT_PROTOTYPES: u32 = 20;

/// The expected number of distinct prototypes after `n` draws from `prototypes`:
/// the effective number E_n at beta = (N - 1) / N.
pub fn expected_covered(n: u32, prototypes: u32) -> f64 {
    let beta =
        Beta::from_prototypes(prototypes.max(1) as f64).expect("N >= 1 gives a beta in [0, 1)");
    effective_number(n as f64, beta)
}

/// The variance of the number of distinct prototypes after `n` draws from `N`:
/// with U the number never drawn, Var = E[U] + N(N - 1)(1 - 2/N)^n - E[U]^2,
/// E[U] = N (1 - 1/N)^n. Its square root over sqrt(trials) is the Monte Carlo
/// error of a simulated mean, exact even where rare repeats make the sample's
/// own standard error unreliable.
pub fn covered_variance(n: u32, prototypes: u32) -> f64 {
    let big_n = prototypes.max(1) as f64;
    let n = n as f64;
    let uncovered = big_n * (n * (-1.0 / big_n).ln_1p()).exp();
    let pairs = if prototypes >= 2 {
        big_n * (big_n - 1.0) * (n * (-2.0 / big_n).ln_1p()).exp()
    } else {
        0.0
    };
    (uncovered + pairs - uncovered * uncovered).max(0.0)
}

/// One draw of the prototype model.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Draw {
    /// Which prototype the sample is, `0..N`.
    pub prototype: u32,
    /// Whether it was not covered before this draw.
    pub new: bool,
    /// Distinct prototypes covered after this draw.
    pub covered: u32,
}

/// `draws` seeded draws from `prototypes` prototypes, in order (for the animation).
pub fn draw_sequence(prototypes: u32, draws: u32, seed: u64) -> Vec<Draw> {
    let prototypes = prototypes.max(1);
    let mut rng = Pcg32::seed_from_u64(seed);
    let mut seen = vec![false; prototypes as usize];
    let mut covered = 0;
    (0..draws)
        .map(|_| {
            let prototype = rng.random_range(0..prototypes);
            let new = !seen[prototype as usize];
            if new {
                seen[prototype as usize] = true;
                covered += 1;
            }
            Draw {
                prototype,
                new,
                covered,
            }
        })
        .collect()
}

/// A simulation of many trials: how many, of what, and its seed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CoverageConfig {
    /// N: unique prototypes (prototype model) or the region's area (geometric).
    pub prototypes: u32,
    /// Draws per trial: n runs from 1 to this.
    pub draws: u32,
    /// Independent trials.
    pub trials: u32,
    /// Seed of the first trial; trial t uses `seed + t`.
    pub seed: u64,
}

impl Default for CoverageConfig {
    fn default() -> Self {
        Self {
            prototypes: 20,
            draws: 60,
            trials: 200,
            seed: 1,
        }
    }
}

/// Mean covered volume and its standard error for n = 1..=draws, beside the formula.
#[derive(Clone, Debug, PartialEq)]
pub struct CoverageStats {
    /// The simulation's settings.
    pub config: CoverageConfig,
    /// Mean covered volume after n draws, at index n - 1.
    pub mean: Vec<f64>,
    /// Standard error of that mean (sample standard deviation / sqrt(trials)).
    pub std_error: Vec<f64>,
    /// E_n = N (1 - beta^n), the formula, at index n - 1.
    pub expected: Vec<f64>,
    /// The exact Monte Carlo error of the mean under the prototype model,
    /// sqrt([`covered_variance`] / trials), at index n - 1.
    pub model_std_error: Vec<f64>,
}

impl CoverageStats {
    /// The largest |mean - E_n| in units of the model's standard error, over
    /// n where that error is not zero (0 when there is none).
    pub fn max_z(&self) -> f64 {
        self.mean
            .iter()
            .zip(&self.model_std_error)
            .zip(&self.expected)
            .filter(|((_, se), _)| **se > 0.0)
            .map(|((m, se), e)| (m - e).abs() / se)
            .fold(0.0, f64::max)
    }

    /// The largest |mean - E_n| over n.
    pub fn max_gap(&self) -> f64 {
        self.mean
            .iter()
            .zip(&self.expected)
            .map(|(m, e)| (m - e).abs())
            .fold(0.0, f64::max)
    }
}

/// Running mean and variance per n (Welford), one value per trial.
struct Accumulator {
    count: f64,
    mean: Vec<f64>,
    m2: Vec<f64>,
}

impl Accumulator {
    fn new(len: usize) -> Self {
        Self {
            count: 0.0,
            mean: vec![0.0; len],
            m2: vec![0.0; len],
        }
    }

    fn add(&mut self, values: &[f64]) {
        self.count += 1.0;
        for ((m, m2), &x) in self.mean.iter_mut().zip(&mut self.m2).zip(values) {
            let delta = x - *m;
            *m += delta / self.count;
            *m2 += delta * (x - *m);
        }
    }

    /// Means and standard errors of the means.
    fn finish(self) -> (Vec<f64>, Vec<f64>) {
        let n = self.count;
        let se = self
            .m2
            .iter()
            .map(|&m2| {
                if n > 1.0 {
                    (m2 / (n - 1.0) / n).sqrt()
                } else {
                    0.0
                }
            })
            .collect();
        (self.mean, se)
    }
}

fn expected_curve(config: &CoverageConfig) -> Vec<f64> {
    (1..=config.draws)
        .map(|n| expected_covered(n, config.prototypes))
        .collect()
}

fn model_errors(config: &CoverageConfig) -> Vec<f64> {
    let trials = config.trials.max(1) as f64;
    (1..=config.draws)
        .map(|n| (covered_variance(n, config.prototypes) / trials).sqrt())
        .collect()
}

/// Many trials of the prototype model: the mean number of distinct prototypes
/// after each draw, with its standard error, beside E_n.
pub fn simulate_prototypes(config: &CoverageConfig) -> CoverageStats {
    let mut acc = Accumulator::new(config.draws as usize);
    for t in 0..config.trials {
        let counts: Vec<f64> = draw_sequence(
            config.prototypes,
            config.draws,
            config.seed.wrapping_add(t as u64),
        )
        .iter()
        .map(|d| d.covered as f64)
        .collect();
        acc.add(&counts);
    }
    let (mean, std_error) = acc.finish();
    CoverageStats {
        config: *config,
        mean,
        std_error,
        expected: expected_curve(config),
        model_std_error: model_errors(config),
    }
}

/// Raster points per unit of length in the geometric version: a disc of area 1
/// covers about 400 of them, so its measured area is within about 2% of 1.
pub const RASTER_PER_UNIT: u32 = 20;

/// The radius of a disc of area 1.
pub fn unit_disc_radius() -> f64 {
    1.0 / std::f64::consts::PI.sqrt()
}

/// One trial of the geometric version: where the discs fell and what they covered.
#[derive(Clone, Debug, PartialEq)]
pub struct GeometricTrial {
    /// The side of the square region, sqrt(N).
    pub side: f64,
    /// Disc centres, in drop order.
    pub centres: Vec<(f64, f64)>,
    /// Area covered inside the region after each drop.
    pub covered: Vec<f64>,
    /// Area each drop added.
    pub added: Vec<f64>,
}

/// Drops `draws` discs of area 1 with centres uniform in a square of area
/// `area`, measuring the covered area on a raster of [`RASTER_PER_UNIT`]
/// points per unit length.
pub fn geometric_trial(area: u32, draws: u32, seed: u64) -> GeometricTrial {
    let side = (area.max(1) as f64).sqrt();
    let cells = (side * RASTER_PER_UNIT as f64).ceil() as usize;
    let cell = side / cells as f64;
    let cell_area = cell * cell;
    let r = unit_disc_radius();
    let mut grid = vec![false; cells * cells];
    let mut rng = Pcg32::seed_from_u64(seed);
    let mut covered_cells = 0usize;
    let mut trial = GeometricTrial {
        side,
        centres: Vec::with_capacity(draws as usize),
        covered: Vec::with_capacity(draws as usize),
        added: Vec::with_capacity(draws as usize),
    };
    for _ in 0..draws {
        let (cx, cy) = (rng.random::<f64>() * side, rng.random::<f64>() * side);
        // Only the raster points within the disc's bounding box can be in it.
        let lo = |c: f64| (((c - r) / cell - 0.5).floor().max(0.0)) as usize;
        let hi = |c: f64| ((((c + r) / cell - 0.5).ceil()) as usize).min(cells - 1);
        let before = covered_cells;
        for j in lo(cy)..=hi(cy) {
            let y = (j as f64 + 0.5) * cell;
            for i in lo(cx)..=hi(cx) {
                let x = (i as f64 + 0.5) * cell;
                let k = j * cells + i;
                if !grid[k] && (x - cx).powi(2) + (y - cy).powi(2) <= r * r {
                    grid[k] = true;
                    covered_cells += 1;
                }
            }
        }
        trial.centres.push((cx, cy));
        trial
            .added
            .push((covered_cells - before) as f64 * cell_area);
        trial.covered.push(covered_cells as f64 * cell_area);
    }
    trial
}

/// Many trials of the geometric version, with what the paper's simplification leaves out.
#[derive(Clone, Debug, PartialEq)]
pub struct GeometricStats {
    /// Mean covered area and its standard error, beside E_n.
    pub coverage: CoverageStats,
    /// Share of drops that added more than 5% and less than 95% of a disc: a
    /// partial overlap, which the model (all new or all old) does not have.
    pub partial_share: f64,
    /// Share of drops that added less than 5% of a disc ("fully inside").
    pub inside_share: f64,
}

/// Many trials of [`geometric_trial`].
pub fn simulate_geometric(config: &CoverageConfig) -> GeometricStats {
    let mut acc = Accumulator::new(config.draws as usize);
    let (mut partial, mut inside, mut drops) = (0usize, 0usize, 0usize);
    for t in 0..config.trials {
        let trial = geometric_trial(
            config.prototypes,
            config.draws,
            config.seed.wrapping_add(t as u64),
        );
        acc.add(&trial.covered);
        for &a in &trial.added {
            drops += 1;
            if a < 0.05 {
                inside += 1;
            } else if a < 0.95 {
                partial += 1;
            }
        }
    }
    let (mean, std_error) = acc.finish();
    let share = |k: usize| {
        if drops == 0 {
            0.0
        } else {
            k as f64 / drops as f64
        }
    };
    GeometricStats {
        coverage: CoverageStats {
            config: *config,
            mean,
            std_error,
            expected: expected_curve(config),
            model_std_error: model_errors(config),
        },
        partial_share: share(partial),
        inside_share: share(inside),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_simulated_mean_agrees_with_the_effective_number() {
        for (prototypes, draws) in [(1, 5), (5, 30), (20, 60), (200, 400)] {
            let config = CoverageConfig {
                prototypes,
                draws,
                trials: 2000,
                seed: 7,
            };
            let stats = simulate_prototypes(&config);
            assert_eq!(stats.mean.len(), draws as usize);
            assert!(
                stats.max_z() < 4.0,
                "N = {prototypes}: max z {}",
                stats.max_z()
            );
            // The first draw always covers exactly one prototype.
            assert_eq!(stats.mean[0], 1.0);
            assert_eq!(stats.std_error[0], 0.0);
            assert_eq!(stats.expected[0], 1.0);
        }
    }

    #[test]
    fn the_exact_variance_matches_the_sample_variance() {
        // Small cases by hand: one draw never varies; two draws from 2 are 1 or 2.
        assert_eq!(covered_variance(1, 5), 0.0);
        assert!((covered_variance(2, 2) - 0.25).abs() < 1e-12);
        assert_eq!(covered_variance(7, 1), 0.0);
        let config = CoverageConfig {
            prototypes: 20,
            draws: 60,
            trials: 4000,
            seed: 5,
        };
        let stats = simulate_prototypes(&config);
        for k in [9, 19, 39, 59] {
            let ratio = stats.std_error[k] / stats.model_std_error[k];
            assert!((0.9..1.1).contains(&ratio), "n = {}: {ratio}", k + 1);
        }
    }

    #[test]
    fn the_simulation_can_tell_a_wrong_formula() {
        // The check has power: the mean is far (in standard errors) from n and from N.
        let config = CoverageConfig {
            prototypes: 20,
            draws: 60,
            trials: 500,
            seed: 3,
        };
        let stats = simulate_prototypes(&config);
        let k = 29; // n = 30
        assert!((stats.mean[k] - 30.0).abs() / stats.std_error[k] > 20.0);
        assert!((stats.mean[k] - 20.0).abs() / stats.std_error[k] > 20.0);
    }

    #[test]
    fn draws_are_seeded_and_count_distinct_prototypes() {
        let a = draw_sequence(10, 50, 42);
        assert_eq!(a, draw_sequence(10, 50, 42));
        assert_ne!(a, draw_sequence(10, 50, 43));
        let mut seen = std::collections::HashSet::new();
        for d in &a {
            assert!(d.prototype < 10);
            assert_eq!(d.new, seen.insert(d.prototype));
            assert_eq!(d.covered as usize, seen.len());
        }
        assert!(draw_sequence(1, 4, 0).iter().all(|d| d.covered == 1));
    }

    #[test]
    fn expected_covered_is_n_times_one_minus_beta_to_the_n() {
        for (n, proto) in [(1u32, 1u32), (3, 4), (10, 20), (100, 37)] {
            let beta = (proto as f64 - 1.0) / proto as f64;
            let direct = proto as f64 * (1.0 - beta.powi(n as i32));
            assert!((expected_covered(n, proto) - direct).abs() < 1e-12 * direct.max(1.0));
        }
    }

    #[test]
    fn a_disc_measures_about_one_and_coverage_never_exceeds_the_region() {
        // A disc well inside a big region covers area 1 on the raster.
        let trial = geometric_trial(400, 200, 5);
        let inner: Vec<f64> = trial
            .centres
            .iter()
            .zip(&trial.added)
            .enumerate()
            .filter(|(k, ((x, y), _))| {
                *k == 0 && *x > 1.0 && *y > 1.0 && *x < trial.side - 1.0 && *y < trial.side - 1.0
            })
            .map(|(_, (_, a))| *a)
            .collect();
        for a in inner {
            assert!((a - 1.0).abs() < 0.03, "first disc measured {a}");
        }
        assert!(trial.covered.windows(2).all(|w| w[1] >= w[0]));
        assert!(*trial.covered.last().unwrap() <= 400.0 + 1e-9);
        assert_eq!(trial, geometric_trial(400, 200, 5));
    }

    #[test]
    fn the_geometric_version_shows_partial_overlaps_and_edge_losses() {
        let config = CoverageConfig {
            prototypes: 20,
            draws: 60,
            trials: 100,
            seed: 11,
        };
        let geo = simulate_geometric(&config);
        // Partial overlaps are common: the all-or-nothing model has none.
        assert!(geo.partial_share > 0.3, "{}", geo.partial_share);
        // Discs spill over the edges, so the mean lies below the formula for large n.
        let last = config.draws as usize - 1;
        let c = &geo.coverage;
        assert!(c.mean[last] < c.expected[last] - 4.0 * c.std_error[last]);
        // Early on (few overlaps), it is close: within a third of a disc.
        assert!(
            (c.mean[1] - c.expected[1]).abs() < 0.35,
            "{} {}",
            c.mean[1],
            c.expected[1]
        );
    }

    /// The figures quoted in the README:
    /// `cargo test --release --lib coverage::tests::report -- --ignored --nocapture`.
    #[test]
    #[ignore = "prints a report; run by hand"]
    fn report() {
        println!(
            "N     trials  max|z|  E_N      mean at n=N  | discs: partial  inside  mean at 3N  E_3N"
        );
        for prototypes in [10, 20, 50, 100] {
            let config = CoverageConfig {
                prototypes,
                draws: 3 * prototypes,
                trials: 500,
                seed: 2019,
            };
            let sim = simulate_prototypes(&config);
            let geo = simulate_geometric(&CoverageConfig {
                trials: 100,
                ..config
            });
            let k = prototypes as usize - 1;
            let last = config.draws as usize - 1;
            println!(
                "{prototypes:<5} {:<7} {:<7.2} {:<8.3} {:<12.3} | {:>13.0}% {:>6.0}%  {:<11.2} {:.2}",
                config.trials,
                sim.max_z(),
                sim.expected[k],
                sim.mean[k],
                100.0 * geo.partial_share,
                100.0 * geo.inside_share,
                geo.coverage.mean[last],
                geo.coverage.expected[last],
            );
        }
    }
}
