//! The teaching figures as two types: [`Figure`], the lesson's and the
//! explorer's, and [`TrainingFigure`], the training panels'. They are two so
//! that nothing of the page's first load dispatches to a training figure's
//! drawing code: the panels are a wasm chunk of their own
//! (src/site/deferred.rs), and only they name `TrainingFigure`.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::ChartBackend;

use super::cb_term::{self, CbTermChart};
use super::counts::{self, CountsChart};
use super::coverage::{self, CoverageChart};
use super::effective::{self, EffectiveCurveChart};
use super::focal::{self, FocalChart};
use super::grid::{self, GridChart};
use super::sweep::{self, SweepChart};
use super::training::{self, ClassAccuracyChart, ConfusionChart, LossCurvesChart, PosthocChart};
use super::weights::{self, WeightsChart};
use super::{DrawResult, Theme};
use crate::i18n::{Lang, tr};

/// What the site, the downloads and the tests ask of any figure.
pub trait Chart {
    /// The translation key of the figure's title.
    fn title_key(&self) -> &'static str;

    /// Draws the figure on `area`, any plotters backend.
    fn draw<DB: ChartBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        theme: &Theme,
    ) -> DrawResult<(), DB>;

    /// Height over width on a narrow screen (a phone).
    fn narrow_aspect(&self) -> f64 {
        0.9
    }

    /// The figure's title in `lang`.
    fn title(&self, lang: Lang) -> &'static str {
        tr(lang, self.title_key())
    }
}

/// One of the lesson's and the explorer's figures, with its data.
#[derive(Clone, Debug, PartialEq)]
pub enum Figure {
    /// Chart 1: samples and effective numbers per class.
    Counts(CountsChart),
    /// Chart 2: weights per class for each scheme.
    Weights(WeightsChart),
    /// Chart 3: E_n against n.
    Effective(EffectiveCurveChart),
    /// Chart 4: the class-balanced term against n (the paper's Figure 3).
    CbTerm(CbTermChart),
    /// Chart 5: the focal modulator and loss against p_t.
    Focal(FocalChart),
    /// The lesson's coverage simulation against the formula.
    Coverage(CoverageChart),
}

impl Chart for Figure {
    fn title_key(&self) -> &'static str {
        match self {
            Self::Counts(_) => counts::TITLE,
            Self::Weights(_) => weights::TITLE,
            Self::Effective(_) => effective::TITLE,
            Self::CbTerm(_) => cb_term::TITLE,
            Self::Focal(_) => focal::TITLE,
            Self::Coverage(_) => coverage::TITLE,
        }
    }

    fn draw<DB: ChartBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        theme: &Theme,
    ) -> DrawResult<(), DB> {
        match self {
            Self::Counts(c) => counts::draw(area, c, theme),
            Self::Weights(c) => weights::draw(area, c, theme),
            Self::Effective(c) => effective::draw(area, c, theme),
            Self::CbTerm(c) => cb_term::draw(area, c, theme),
            Self::Focal(c) => focal::draw(area, c, theme),
            Self::Coverage(c) => coverage::draw(area, c, theme),
        }
    }
}

/// One of the training panels' figures, with its data.
#[derive(Clone, Debug, PartialEq)]
pub enum TrainingFigure {
    /// The training panel's loss curves.
    LossCurves(LossCurvesChart),
    /// The training panel's per-class test accuracy.
    ClassAccuracy(ClassAccuracyChart),
    /// The paper's grid as heatmaps of balanced accuracy.
    Grid(Box<GridChart>),
    /// A run's confusion matrix.
    Confusion(ConfusionChart),
    /// The softmax run re-scored by post-hoc adjustment, against tau.
    Posthoc(PosthocChart),
    /// Balanced accuracy of CB softmax against beta, over seeds.
    Sweep(SweepChart),
}

impl Chart for TrainingFigure {
    fn title_key(&self) -> &'static str {
        match self {
            Self::LossCurves(_) => training::TITLE,
            Self::ClassAccuracy(_) => training::CLASS_ACCURACY_TITLE,
            Self::Grid(_) => grid::TITLE,
            Self::Confusion(_) => training::CONFUSION_TITLE,
            Self::Posthoc(_) => training::POSTHOC_TITLE,
            Self::Sweep(_) => sweep::TITLE,
        }
    }

    fn draw<DB: ChartBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        theme: &Theme,
    ) -> DrawResult<(), DB> {
        match self {
            Self::LossCurves(c) => training::draw(area, c, theme),
            Self::ClassAccuracy(c) => training::draw_class_accuracy(area, c, theme),
            Self::Grid(c) => grid::draw(area, c, theme),
            Self::Confusion(c) => training::draw_confusion(area, c, theme),
            Self::Posthoc(c) => training::draw_posthoc(area, c, theme),
            Self::Sweep(c) => sweep::draw(area, c, theme),
        }
    }

    /// The grid's baselines stack one to a line under its cells on a phone,
    /// which need the room.
    fn narrow_aspect(&self) -> f64 {
        match self {
            Self::Grid(_) => 1.15,
            _ => 0.9,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::balance::effective_number::Beta;
    use crate::charts::svg;

    #[test]
    fn every_figure_draws_with_its_title_in_both_themes() {
        let beta = Beta::new(0.999).unwrap();
        let figures = [
            Figure::Counts(CountsChart::new(&[100, 10, 1], &[beta], true)),
            Figure::Weights(WeightsChart {
                curves: vec![],
                log_y: false,
            }),
            Figure::Effective(EffectiveCurveChart {
                betas: vec![beta],
                current: beta,
                n_max: 100,
                log_x: true,
            }),
            Figure::CbTerm(CbTermChart {
                betas: CbTermChart::paper_betas(),
                current: beta,
                n_max: 1000,
            }),
            Figure::Focal(FocalChart {
                gammas: vec![0.0, 2.0],
                current: 2.0,
            }),
            Figure::Coverage(CoverageChart {
                prototypes: 20,
                draws: 60,
                simulated: None,
                geometric: None,
            }),
        ];
        let training = [
            TrainingFigure::LossCurves(LossCurvesChart {
                runs: vec![(svg::label("softmax"), vec![1.0, 0.5])],
                epochs: 4,
            }),
            TrainingFigure::ClassAccuracy(ClassAccuracyChart {
                classes: 3,
                runs: vec![(svg::label("softmax"), vec![0.9, 0.5, 0.1])],
            }),
            TrainingFigure::Grid(Box::default()),
            TrainingFigure::Posthoc(PosthocChart {
                points: vec![(0.0, 0.6), (1.0, 0.75), (2.0, 0.7)],
                current: 1.0,
            }),
            TrainingFigure::Posthoc(PosthocChart {
                points: vec![],
                current: 1.0,
            }),
            TrainingFigure::Sweep(SweepChart::default()),
        ];
        figures.iter().for_each(draws_with_its_title);
        training.iter().for_each(draws_with_its_title);
    }

    fn draws_with_its_title(figure: &impl Chart) {
        // Every title has its own Chinese, drawn when the theme says so.
        assert_ne!(figure.title(Lang::ZhCn), figure.title(Lang::En));
        assert!(figure.title(Lang::ZhCn).chars().any(|c| c > '\u{2E80}'));
        for theme in [
            Theme::light(1.0),
            Theme::dark(1.5),
            Theme::light(1.0).in_lang(Lang::ZhCn),
        ] {
            let s = svg::render((640, 400), |area| figure.draw(area, &theme).unwrap());
            svg::assert_texts(&s, &[figure.title(theme.lang)]);
            assert!(s.contains(&svg::hex(theme.background)));
        }
        // A phone-sized canvas at a HiDPI ratio still draws.
        svg::render((680, 420), |area| {
            figure.draw(area, &Theme::light(2.0)).unwrap()
        });
    }
}

#[cfg(test)]
mod gallery {
    use super::*;
    use crate::balance::effective_number::Beta;
    use crate::balance::weights::{Scheme, class_weights};
    use crate::charts::editor::{self, EditorChart, nice_y_max};
    use crate::charts::svg;
    use crate::charts::weights::WeightCurve;
    use crate::data::profiles::preset_counts;

    /// Writes every figure, light and dark, to target/chart-gallery/ for a
    /// person to look at: `cargo test -p cblab --lib gallery -- --ignored`.
    #[test]
    #[ignore = "writes files for a person to look at"]
    fn write_gallery() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/chart-gallery");
        std::fs::create_dir_all(&dir).unwrap();
        let betas: Vec<Beta> = [0.9, 0.99, 0.999, 0.9999]
            .map(|b| Beta::new(b).unwrap())
            .to_vec();
        let current = Beta::new(0.999).unwrap();
        let cifar = preset_counts("cifar10-lt-100").unwrap();
        let long: Vec<u64> = (0..8142u64)
            .map(|i| (1000.0 * 500f64.powf(-(i as f64) / 8141.0)) as u64 + (i * 7919) % 5)
            .collect();
        let weights = |counts: &[u64]| WeightsChart {
            curves: [
                (
                    "class-balanced, β = 0.999",
                    Scheme::ClassBalanced(current),
                    true,
                ),
                ("none", Scheme::None, false),
                ("inverse", Scheme::Inverse, false),
                ("inverse sqrt", Scheme::SqrtInverse, false),
            ]
            .into_iter()
            .map(|(l, s, h)| WeightCurve {
                label: svg::label(l),
                weights: class_weights(counts, s).unwrap().weights,
                highlighted: h,
            })
            .collect(),
            log_y: true,
        };
        let figures = [
            (
                "counts",
                Figure::Counts(CountsChart::new(&cifar, &betas, false)),
            ),
            (
                "counts-log",
                Figure::Counts(CountsChart::new(&cifar, &betas, true)),
            ),
            (
                "counts-inat",
                Figure::Counts(CountsChart::new(&long, &betas, true)),
            ),
            ("weights", Figure::Weights(weights(&cifar))),
            ("weights-inat", Figure::Weights(weights(&long))),
            (
                "effective",
                Figure::Effective(EffectiveCurveChart {
                    betas: betas.clone(),
                    current: Beta::new(0.995).unwrap(),
                    n_max: 5000,
                    log_x: true,
                }),
            ),
            (
                "effective-linear",
                Figure::Effective(EffectiveCurveChart {
                    betas: betas.clone(),
                    current,
                    n_max: 5000,
                    log_x: false,
                }),
            ),
            (
                "cb-term",
                Figure::CbTerm(CbTermChart {
                    betas: CbTermChart::paper_betas(),
                    current: Beta::new(0.995).unwrap(),
                    n_max: 10_000,
                }),
            ),
            (
                "focal",
                Figure::Focal(FocalChart {
                    gammas: vec![0.0, 0.5, 1.0, 2.0, 5.0],
                    current: 0.25,
                }),
            ),
        ];
        for (name, figure) in &figures {
            for (theme, suffix) in [(Theme::light(1.0), ""), (Theme::dark(1.0), "-dark")] {
                let s = svg::render((800, 500), |area| figure.draw(area, &theme).unwrap());
                std::fs::write(dir.join(format!("{name}{suffix}.svg")), s).unwrap();
            }
            // A phone: 360 CSS px wide at devicePixelRatio 3.
            let s = svg::render((1080, 670), |area| {
                figure.draw(area, &Theme::light(3.0)).unwrap()
            });
            std::fs::write(dir.join(format!("{name}-phone.svg")), s).unwrap();
        }
        for (name, counts, log_y) in [
            ("editor", cifar.clone(), false),
            ("editor-log", cifar.clone(), true),
            ("editor-inat", long.clone(), true),
        ] {
            let top = counts.iter().copied().max().unwrap();
            let chart = EditorChart {
                y_max: nice_y_max(top, log_y),
                counts,
                log_y,
                selected: Some(3),
            };
            let s = svg::render((800, 400), |area| {
                editor::draw(area, &chart, &Theme::light(1.0)).unwrap();
            });
            std::fs::write(dir.join(format!("{name}.svg")), s).unwrap();
        }
    }
}
