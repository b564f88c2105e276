//! Chart 3: the effective number of samples against the number of samples
//! (Cui et al. 2019, section 3, Figure 2's idea as curves):
//!
//! `E_n = (1 - beta^n) / (1 - beta)  ->  N = 1 / (1 - beta)  as n grows`
//!
//! E_n starts like n (the diagonal, the beta -> 1 limit) and levels off at
//! its asymptote N, dashed: past a few N samples, more data adds almost no
//! new coverage of the class.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::ChartBackend;

use super::axis::{Axis, nice_ceil};
use super::family::{self, BetaCurve};
use super::frame::{self, Corner, Frame, Key};
use super::series::draw_dashed;
use super::{DrawResult, Theme, short_number};
use crate::balance::effective_number::{Beta, effective_number};

/// The chart's title (a translation key, as are the texts below).
pub const TITLE: &str = "chart.effective.title";
/// What the horizontal axis shows.
pub const X_DESC: &str = "chart.samples_n";
/// What the vertical axis shows.
pub const Y_DESC: &str = "chart.effective.y";
/// The vertical axis, where the plot is too short for [`Y_DESC`]: notation,
/// the same in every language.
pub const Y_DESC_SHORT: &str = "E_n";
/// The diagonal's legend entry (notation).
pub const DIAGONAL_LABEL: &str = "E = n (β → 1)";

/// Points along n per curve.
pub const SAMPLES: usize = 200;

/// E_n curves for several betas.
#[derive(Clone, Debug, PartialEq)]
pub struct EffectiveCurveChart {
    /// The betas drawn.
    pub betas: Vec<Beta>,
    /// The reader's beta, highlighted (added if not among `betas`).
    pub current: Beta,
    /// The largest n on the axis (at least 2 is drawn).
    pub n_max: u64,
    /// Whether n (and then E) is on log axes.
    pub log_x: bool,
}

/// One curve: its beta, whether it is the current one, and its points
/// (n, E_n) on [`SAMPLES`] values of n.
pub type EffectiveCurve = BetaCurve;

impl EffectiveCurveChart {
    /// The values of n sampled: 1 to n_max evenly in log n when `log_x`,
    /// 0 to n_max evenly otherwise.
    pub fn samples(&self) -> Vec<f64> {
        let n_max = self.n_max.max(2) as f64;
        (0..SAMPLES)
            .map(|k| {
                let f = k as f64 / (SAMPLES - 1) as f64;
                if self.log_x { n_max.powf(f) } else { f * n_max }
            })
            .collect()
    }

    /// The curves to draw, computed with the core: `betas`, then `current`
    /// when it is not one of them; the current one is flagged.
    pub fn curves(&self) -> Vec<EffectiveCurve> {
        family::beta_curves(&self.betas, self.current, &self.samples(), effective_number)
    }
}

/// The legend entry of a curve: beta and its asymptote N.
fn label(curve: &EffectiveCurve) -> String {
    format!(
        "β = {} (N = {})",
        curve.beta,
        short_number(curve.beta.prototypes())
    )
}

/// Draws the curves, each asymptote N = 1 / (1 - beta) within reach as a
/// dashed line in the curve's colour, and the diagonal E = n.
pub fn draw<DB: ChartBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &EffectiveCurveChart,
    theme: &Theme,
) -> DrawResult<(), DB> {
    let curves = data.curves();
    let n_max = data.n_max.max(2) as f64;
    let e_max = curves
        .iter()
        .flat_map(|c| c.points.iter().map(|p| p.1))
        .fold(1.0, f64::max);
    // Show an asymptote when it is near the curves (a decade on log axes,
    // three times on linear ones); further up it would squash them.
    let reach = if data.log_x { 10.0 } else { 3.0 };
    let top = curves
        .iter()
        .map(|c| c.beta.prototypes())
        .filter(|&big_n| big_n <= reach * e_max)
        .fold(e_max, f64::max);
    let (x, y) = if data.log_x {
        // E_1 = 1 for every beta; starting a bit lower keeps beta = 0 off the edge.
        (
            Axis::log(1.0, n_max),
            Axis::log(0.7, Axis::log_decades(1.0, top * 1.2).hi()),
        )
    } else {
        (
            Axis::linear(0.0, n_max),
            Axis::linear(0.0, nice_ceil(top * 1.08)),
        )
    };
    let frame = Frame {
        title: theme.text(TITLE),
        x,
        y,
        x_desc: &[theme.text(X_DESC)],
        y_desc: &[theme.text(Y_DESC), Y_DESC_SHORT],
    };
    let mut keys = vec![Key::line(DIAGONAL_LABEL, &theme.muted, 1.0)];
    keys.extend(family::keys(theme, &curves, label));
    // E <= n: the upper left is empty.
    let mut framed = frame::build(area, theme, &frame, keys, Corner::UpperLeft)?;
    let chart = &mut framed.chart;
    let plot = |(n, e): (f64, f64)| (x.to_plot_or_nan(n), y.to_plot_or_nan(e));

    // The diagonal, up to where it leaves the plot.
    let corner = n_max.min(y.hi());
    let start = if data.log_x { 1.0 } else { 0.0 };
    chart.draw_series(std::iter::once(PathElement::new(
        vec![plot((start, start)), plot((corner, corner))],
        theme.muted.stroke_width(theme.stroke(1.0)),
    )))?;

    let dash = theme.px(6.0);
    for (i, c) in curves.iter().enumerate() {
        let big_n = c.beta.prototypes();
        if big_n <= y.hi() {
            let at = y.to_plot_or_nan(big_n);
            let (colour, _) = theme.curve(i, c.current);
            draw_dashed(
                chart,
                [(x.floor(), at), (x.plot_range().end, at)],
                dash,
                colour.mix(0.8).stroke_width(theme.stroke(1.0)),
            )?;
        }
    }
    // The current curve last, on top.
    family::draw(chart, theme, &curves, |c| {
        c.points.iter().map(move |&p| plot(p))
    })?;
    framed.finish(theme)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::svg;
    use crate::i18n::Lang;

    fn betas() -> Vec<Beta> {
        [0.9, 0.99, 0.999, 0.9999]
            .map(|b| Beta::new(b).unwrap())
            .to_vec()
    }

    fn render(chart: &EffectiveCurveChart) -> String {
        svg::render((800, 500), |area| {
            draw(area, chart, &Theme::light(1.0)).unwrap();
        })
    }

    #[test]
    fn draws_its_words_in_the_themes_language() {
        let chart = EffectiveCurveChart {
            betas: betas(),
            current: Beta::new(0.995).unwrap(),
            n_max: 1000,
            log_x: true,
        };
        let s = svg::render((800, 500), |area| {
            draw(area, &chart, &Theme::dark(1.0).in_lang(Lang::ZhCn)).unwrap();
        });
        svg::assert_texts(
            &s,
            &[
                "有效样本数 E_n 随样本数 n 的变化",
                "β = 0.995 (N = 200)（你选的）",
            ],
        );
    }

    #[test]
    fn samples_span_the_axis() {
        let mut chart = EffectiveCurveChart {
            betas: betas(),
            current: Beta::new(0.99).unwrap(),
            n_max: 5000,
            log_x: true,
        };
        let s = chart.samples();
        assert_eq!(s.len(), SAMPLES);
        assert_eq!(s[0], 1.0);
        assert!((s[SAMPLES - 1] - 5000.0).abs() < 1e-9);
        // Evenly spaced in log n.
        assert!((s[1] / s[0] - s[101] / s[100]).abs() < 1e-9);
        chart.log_x = false;
        let s = chart.samples();
        assert_eq!((s[0], s[SAMPLES - 1]), (0.0, 5000.0));
    }

    #[test]
    fn curves_come_from_the_core_with_the_current_one_flagged() {
        let chart = EffectiveCurveChart {
            betas: betas(),
            current: Beta::new(0.995).unwrap(),
            n_max: 1000,
            log_x: true,
        };
        let curves = chart.curves();
        assert_eq!(curves.len(), 5);
        assert!(curves[4].current && !curves[0].current);
        for c in &curves {
            for &(n, e) in &c.points {
                assert_eq!(e, effective_number(n, c.beta));
            }
        }
        // Already among the betas: not added twice.
        let chart = EffectiveCurveChart {
            current: Beta::new(0.99).unwrap(),
            ..chart
        };
        let curves = chart.curves();
        assert_eq!(curves.len(), 4);
        assert_eq!(curves.iter().filter(|c| c.current).count(), 1);
        assert!(curves[1].current);
    }

    #[test]
    fn draws_curves_asymptotes_and_the_highlight() {
        for log_x in [true, false] {
            let chart = EffectiveCurveChart {
                betas: betas(),
                current: Beta::new(0.995).unwrap(),
                n_max: 5000,
                log_x,
            };
            let s = render(&chart);
            svg::assert_texts(
                &s,
                &[
                    svg::en(TITLE),
                    svg::en(X_DESC),
                    svg::en(Y_DESC),
                    DIAGONAL_LABEL,
                    "β = 0.9 (N = 10)",
                    "β = 0.995 (N = 200), yours",
                ],
            );
            let lines = svg::series(&s);
            assert_eq!(lines.len(), 5, "log {log_x}");
            assert!(lines.iter().all(|l| l.points.len() == SAMPLES));
            let theme = Theme::light(1.0);
            let hl = svg::hex(theme.highlight);
            assert_eq!(lines[4].stroke, hl);
            assert!(lines[4].width > lines[0].width);
            // Dashed asymptotes: many two-point pieces at one height per beta
            // shown, in the curves' colours.
            let dashes = |colour: String| {
                svg::polylines(&s)
                    .into_iter()
                    .filter(|p| p.points.len() == 2 && p.stroke == colour)
                    .collect::<Vec<_>>()
            };
            let hl_dashes = dashes(hl.clone());
            assert!(hl_dashes.len() > 10);
            let heights: Vec<f64> = hl_dashes.iter().map(|d| d.points[0].1).collect();
            assert!(heights.iter().all(|&h| (h - heights[0]).abs() < 1.0));
            // N = 10 and N = 100 levels are always within reach; N = 10,000
            // is near 5000 samples on linear axes and a decade off on log ones.
            for i in 0..4 {
                assert!(!dashes(svg::hex(theme.series(i))).is_empty(), "beta {i}");
            }
        }
    }

    #[test]
    fn far_asymptotes_are_left_out() {
        let chart = EffectiveCurveChart {
            betas: betas(),
            current: Beta::new(0.9).unwrap(),
            n_max: 20,
            log_x: false,
        };
        let s = render(&chart);
        let theme = Theme::light(1.0);
        let dashes_of = |colour: RGBColor| {
            svg::polylines(&s)
                .into_iter()
                .filter(|p| p.points.len() == 2 && p.stroke == svg::hex(colour))
                .count()
        };
        // beta = 0.9 (N = 10) is the current one; 0.9999 (N = 10,000) is far above 20.
        assert!(dashes_of(theme.highlight) > 0);
        assert_eq!(dashes_of(theme.series(2)), 0);
    }
}
