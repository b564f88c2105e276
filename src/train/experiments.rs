//! Side-by-side comparisons on identical data and initialisation, and the
//! paper's search grid (section 5.2) at toy scale.

use serde::Serialize;

use crate::balance::loss_kind::LossKind;
use crate::balance::weights::SchemeKind;
use crate::data::dataset::Dataset;
use crate::train::config::{TrainConfig, TrainError};
use crate::train::methods::Method;
use crate::train::metrics::Metrics;
use crate::train::trainer::CpuTrainer;

/// The paper's betas.
pub const PAPER_BETAS: [f64; 4] = [0.9, 0.99, 0.999, 0.9999];
/// The paper's gammas for the focal loss.
pub const PAPER_GAMMAS: [f64; 3] = [0.5, 1.0, 2.0];

/// One finished run.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RunReport {
    /// The configuration's short name.
    pub label: String,
    /// The configuration.
    pub config: TrainConfig,
    /// Test-set metrics at the end.
    pub metrics: Metrics,
    /// Mean training loss of each epoch.
    pub loss_history: Vec<f32>,
}

/// Trains one configuration on `train` (with these class counts) to the end
/// and evaluates it on `test`.
pub fn train_and_evaluate(
    train: &Dataset,
    test: &Dataset,
    counts: &[u64],
    config: &TrainConfig,
) -> Result<RunReport, TrainError> {
    let mut trainer = CpuTrainer::new(train, counts, config)?;
    trainer.run_to_end();
    Ok(RunReport {
        label: config.label(),
        config: *config,
        metrics: trainer.evaluate(test, counts),
        loss_history: trainer.history().to_vec(),
    })
}

/// The paper's grid around `base`: the unweighted softmax, sigmoid and focal
/// (each gamma) baselines, then class-balanced softmax and sigmoid at each
/// beta and class-balanced focal at each beta and gamma: 5 + 20 runs.
pub fn paper_grid(base: &TrainConfig) -> Vec<TrainConfig> {
    let with = |loss, scheme, beta, gamma| TrainConfig {
        loss,
        scheme,
        beta,
        gamma,
        ..*base
    };
    let mut grid = vec![
        with(LossKind::Softmax, SchemeKind::None, base.beta, base.gamma),
        with(LossKind::Sigmoid, SchemeKind::None, base.beta, base.gamma),
    ];
    grid.extend(PAPER_GAMMAS.map(|g| with(LossKind::Focal, SchemeKind::None, base.beta, g)));
    for loss in LossKind::PAPER {
        for beta in PAPER_BETAS {
            match loss {
                LossKind::Focal => {
                    grid.extend(PAPER_GAMMAS.map(|g| with(loss, SchemeKind::Cb, beta, g)))
                }
                _ => grid.push(with(loss, SchemeKind::Cb, beta, base.gamma)),
            }
        }
    }
    grid
}

/// The betas of the sweep: 0 (no re-weighting) to 0.9999 (N = 10,000).
pub const SWEEP_BETAS: [f64; 5] = [0.0, 0.9, 0.99, 0.999, 0.9999];

/// The beta sweep on `base`'s network and training: class-balanced softmax
/// at each of [`SWEEP_BETAS`], then inverse frequency (the limit beta -> 1)
/// and the logit-adjusted loss (tau 1) beside them.
pub fn beta_sweep(base: &TrainConfig) -> Vec<TrainConfig> {
    let plain = TrainConfig {
        loss: LossKind::Softmax,
        sampler: crate::train::batches::Sampler::Instance,
        posthoc_tau: None,
        drw_from: None,
        ..*base
    };
    let mut sweep: Vec<TrainConfig> = SWEEP_BETAS
        .iter()
        .map(|&beta| TrainConfig {
            scheme: SchemeKind::Cb,
            beta,
            ..plain
        })
        .collect();
    sweep.push(TrainConfig {
        scheme: SchemeKind::Inverse,
        ..plain
    });
    sweep.push(TrainConfig {
        loss: LossKind::LogitAdjusted,
        scheme: SchemeKind::None,
        tau: 1.0,
        ..plain
    });
    sweep
}

/// The standard set of methods for long-tailed classification, on `base`'s
/// network, optimiser, epochs and seed: softmax first, then class-balanced
/// softmax (beta 0.9999, the paper's best on CIFAR-10) and focal (beta 0.999,
/// gamma 0.5, its best on iNaturalist and ImageNet), inverse frequency, the
/// logit-adjusted loss (tau 1), balanced softmax, LDAM-DRW (LDAM, then CB at
/// beta 0.9999 from 80 % of the epochs), class-balanced and square-root
/// sampling, and softmax with post-hoc logit adjustment (tau 1).
pub fn standard_methods(base: &TrainConfig) -> Vec<TrainConfig> {
    let plain = TrainConfig {
        loss: LossKind::Softmax,
        scheme: SchemeKind::None,
        sampler: crate::train::batches::Sampler::Instance,
        posthoc_tau: None,
        drw_from: None,
        tau: 1.0,
        ..*base
    };
    let cb = |loss, beta| TrainConfig {
        loss,
        scheme: SchemeKind::Cb,
        beta,
        ..plain
    };
    vec![
        plain,
        cb(LossKind::Softmax, 0.9999),
        TrainConfig {
            gamma: 0.5,
            ..cb(LossKind::Focal, 0.999)
        },
        TrainConfig {
            scheme: SchemeKind::Inverse,
            ..plain
        },
        TrainConfig {
            loss: LossKind::LogitAdjusted,
            ..plain
        },
        TrainConfig {
            loss: LossKind::BalancedSoftmax,
            ..plain
        },
        TrainConfig {
            drw_from: Some(0.8),
            ..cb(LossKind::Ldam, 0.9999)
        },
        TrainConfig {
            sampler: crate::train::batches::Sampler::ClassBalanced,
            ..plain
        },
        TrainConfig {
            sampler: crate::train::batches::Sampler::Sqrt,
            ..plain
        },
        TrainConfig {
            posthoc_tau: Some(1.0),
            ..plain
        },
    ]
}

/// Per-seed differences of `runs`' balanced accuracy from `reference`'s (the
/// same seeds in the same order): mean and sd of the paired differences.
pub fn paired_difference(runs: &[RunReport], reference: &[RunReport]) -> Option<MeanSd> {
    let diffs: Vec<f64> = runs
        .iter()
        .zip(reference)
        .map(|(r, s)| r.metrics.balanced_accuracy - s.metrics.balanced_accuracy)
        .collect();
    MeanSd::of(&diffs)
}

/// Parses a comparison list of method names (see [`Method`]) such as
/// `softmax,cb-softmax,cb-ldam+drw,softmax@sqrt`; beta, gamma and the rest
/// come from `base`.
pub fn parse_compare_list(list: &str, base: &TrainConfig) -> Result<Vec<TrainConfig>, String> {
    list.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|entry| Ok(Method::parse(entry)?.config(base)))
        .collect()
}

/// One method's line of a leaderboard.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Ranked {
    /// Its metrics over the seeds.
    pub summary: SeedSummary,
    /// The paired difference of its balanced accuracy to the reference's
    /// (the first method: softmax in the standard set).
    pub vs_softmax: Option<MeanSd>,
}

/// A leaderboard: `runs[m][s]` is method m on seed s (every method on the
/// same seeds, in the same order; method 0 the reference), ranked by mean
/// balanced accuracy, best first. Methods without runs are left out.
pub fn rank_methods(runs: &[Vec<RunReport>]) -> Vec<Ranked> {
    let Some(reference) = runs.first() else {
        return Vec::new();
    };
    let mut ranked: Vec<Ranked> = runs
        .iter()
        .filter(|r| !r.is_empty())
        .map(|r| Ranked {
            summary: summarise(r),
            vs_softmax: paired_difference(r, reference),
        })
        .collect();
    ranked.sort_by(|a, b| {
        b.summary
            .balanced_accuracy
            .mean
            .total_cmp(&a.summary.balanced_accuracy.mean)
    });
    ranked
}

/// Mean and sample standard deviation.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct MeanSd {
    /// The mean.
    pub mean: f64,
    /// The sample standard deviation; `None` (null in JSON) for one value,
    /// whose spread is unknown, not zero.
    pub sd: Option<f64>,
}

impl MeanSd {
    /// In percent with one decimal, `mean ± sd` when the spread is known;
    /// `signed` writes the sign (for differences).
    pub fn percent(&self, signed: bool) -> String {
        let mean = if signed {
            format!("{:+.1}", 100.0 * self.mean)
        } else {
            format!("{:.1}", 100.0 * self.mean)
        };
        match self.sd {
            Some(sd) => format!("{mean} ± {:.1}", 100.0 * sd),
            None => mean,
        }
    }

    /// Of these values; `None` when there are none.
    pub fn of(values: &[f64]) -> Option<MeanSd> {
        if values.is_empty() {
            return None;
        }
        let n = values.len() as f64;
        let mean = values.iter().sum::<f64>() / n;
        let sd = (values.len() > 1).then(|| {
            let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0);
            var.sqrt()
        });
        Some(MeanSd { mean, sd })
    }
}

/// One configuration's metrics over several seeds.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SeedSummary {
    /// The configuration's short name.
    pub label: String,
    /// The configuration (with the first seed).
    pub config: TrainConfig,
    /// Balanced accuracy.
    pub balanced_accuracy: MeanSd,
    /// Overall accuracy.
    pub accuracy: MeanSd,
    /// Many-shot accuracy, when there are many-shot classes.
    pub many_shot: Option<MeanSd>,
    /// Medium-shot accuracy, when there are medium-shot classes.
    pub medium_shot: Option<MeanSd>,
    /// Few-shot accuracy, when there are few-shot classes.
    pub few_shot: Option<MeanSd>,
}

/// Summarises runs of one configuration over seeds.
pub fn summarise(runs: &[RunReport]) -> SeedSummary {
    let pick = |f: &dyn Fn(&Metrics) -> Option<f64>| {
        let v: Vec<f64> = runs.iter().filter_map(|r| f(&r.metrics)).collect();
        MeanSd::of(&v)
    };
    SeedSummary {
        label: runs[0].label.clone(),
        config: runs[0].config,
        balanced_accuracy: pick(&|m| Some(m.balanced_accuracy)).expect("at least one run"),
        accuracy: pick(&|m| Some(m.accuracy)).expect("at least one run"),
        many_shot: pick(&|m| m.many_shot),
        medium_shot: pick(&|m| m.medium_shot),
        few_shot: pick(&|m| m.few_shot),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_standard_methods_are_distinct_and_start_with_softmax() {
        let methods = standard_methods(&TrainConfig::default());
        assert_eq!(methods.len(), 10);
        assert_eq!(methods[0].label(), "softmax");
        let labels: std::collections::HashSet<String> =
            methods.iter().map(TrainConfig::label).collect();
        assert_eq!(labels.len(), 10, "{labels:?}");
        assert!(labels.contains("CB LDAM (beta 0.9999), re-weighted from epoch 49"));
        assert!(labels.contains("softmax, post-hoc tau 1"));
    }

    #[test]
    fn the_sweep_runs_each_beta_then_inverse_and_logit_adjusted() {
        let base = TrainConfig {
            loss: LossKind::Focal,
            drw_from: Some(0.5),
            ..TrainConfig::default()
        };
        let labels: Vec<String> = beta_sweep(&base).iter().map(TrainConfig::label).collect();
        assert_eq!(
            labels,
            [
                "CB softmax (beta 0)",
                "CB softmax (beta 0.9)",
                "CB softmax (beta 0.99)",
                "CB softmax (beta 0.999)",
                "CB softmax (beta 0.9999)",
                "inverse softmax",
                "logit-adjusted (tau 1)",
            ]
        );
    }

    #[test]
    fn the_grid_has_every_paper_configuration_once() {
        let grid = paper_grid(&TrainConfig::default());
        assert_eq!(grid.len(), 5 + 4 + 4 + 12);
        let labels: std::collections::HashSet<String> =
            grid.iter().map(TrainConfig::label).collect();
        assert_eq!(labels.len(), grid.len());
        assert!(labels.contains("CB focal (beta 0.9999, gamma 2)"));
        assert!(labels.contains("focal (gamma 0.5)"));
    }

    #[test]
    fn compare_lists() {
        let base = TrainConfig::default();
        let list =
            parse_compare_list("softmax, cb-softmax,cb-focal,sqrt-inverse-sigmoid", &base).unwrap();
        assert_eq!(list.len(), 4);
        assert_eq!(list[1].scheme, SchemeKind::Cb);
        assert_eq!(list[3].scheme, SchemeKind::SqrtInverse);
        assert_eq!(list[3].loss, LossKind::Sigmoid);
        assert!(
            parse_compare_list("cb-hinge", &base)
                .unwrap_err()
                .contains("hinge")
        );
        let ldam = parse_compare_list("cb-ldam+drw", &base).unwrap()[0];
        assert_eq!(ldam.drw_from, Some(0.8));
    }

    #[test]
    fn the_standard_methods_have_names_that_give_them_back() {
        let base = TrainConfig::default();
        for config in standard_methods(&base) {
            let name = Method::of(&config).name();
            // Against the plain base, so the name alone must carry the sampler and schedule.
            let again = parse_compare_list(&name, &base).unwrap()[0];
            assert_eq!(Method::of(&again), Method::of(&config), "{name}");
            assert_eq!(
                (again.sampler, again.drw_from, again.posthoc_tau),
                (config.sampler, config.drw_from, config.posthoc_tau),
                "{name}"
            );
        }
    }

    #[test]
    fn the_leaderboard_ranks_by_mean_and_pairs_with_the_first_method() {
        let run = |label: &str, balanced: f64| RunReport {
            label: label.into(),
            config: TrainConfig::default(),
            metrics: Metrics {
                balanced_accuracy: balanced,
                ..Metrics::default()
            },
            loss_history: Vec::new(),
        };
        let runs = vec![
            vec![run("a", 0.5), run("a", 0.7)],
            vec![run("b", 0.8), run("b", 0.8)],
            vec![],
            vec![run("c", 0.4), run("c", 0.6)],
        ];
        let board = rank_methods(&runs);
        let labels: Vec<&str> = board.iter().map(|r| r.summary.label.as_str()).collect();
        assert_eq!(labels, ["b", "a", "c"]);
        let b = board[0].vs_softmax.unwrap();
        // Differences 0.3 and 0.1: mean 0.2, sample sd sqrt(2 x 0.1^2 / 1).
        assert!((b.mean - 0.2).abs() < 1e-12 && (b.sd.unwrap() - 0.02_f64.sqrt()).abs() < 1e-12);
        assert_eq!(board[1].vs_softmax.unwrap().mean, 0.0);
        assert!((board[2].vs_softmax.unwrap().mean + 0.1).abs() < 1e-12);
        assert!(rank_methods(&[]).is_empty());
    }

    #[test]
    fn mean_and_sd() {
        let s = MeanSd::of(&[1.0, 2.0, 3.0]).unwrap();
        assert_eq!(s.mean, 2.0);
        assert_eq!(s.sd, Some(1.0));
        assert_eq!(MeanSd::of(&[]), None);
        assert_eq!(MeanSd::of(&[5.0]).unwrap().sd, None);
        assert_eq!(s.percent(false), "200.0 ± 100.0");
        let d = MeanSd {
            mean: -0.0123,
            sd: None,
        };
        assert_eq!(d.percent(true), "-1.2");
    }
}
