//! The coverage simulation's chart: the mean number of distinct prototypes
//! covered after n draws, from many trials (dots, with bars of two standard
//! errors), over the formula's curve E_n = N (1 - beta^n) and its asymptote
//! N (dashed); optionally the geometric version's mean covered area (discs
//! dropped into a square of area N). The numbers come from
//! [`crate::teach::coverage`]; this file only draws them.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::ChartBackend;

use super::axis::{Axis, nice_ceil};
use super::frame::{self, Corner, Frame, Key};
use super::series::{draw_dashed, draw_lines, split_gaps};
use super::{DrawResult, Theme};
use crate::teach::coverage::expected_covered;

/// The chart's title (a translation key, as are the texts below but the notation).
pub const TITLE: &str = "chart.coverage.title";
/// What the horizontal axis shows.
pub const X_DESC: &str = "chart.samples_n";
/// What the vertical axis shows.
pub const Y_DESC: &str = "chart.coverage.y";
/// The formula's legend entry (notation).
pub const FORMULA_LABEL: &str = "E_n = N(1 − βⁿ)";
/// The prototype simulation's legend entry.
pub const SIMULATED_LABEL: &str = "chart.coverage.simulated";
/// The geometric version's legend entry.
pub const GEOMETRIC_LABEL: &str = "chart.coverage.geometric";
/// The asymptote's legend entry (notation).
pub const ASYMPTOTE_LABEL: &str = "N";

/// What the chart shows.
#[derive(Clone, Debug, PartialEq)]
pub struct CoverageChart {
    /// N, the number of prototypes (the region's area).
    pub prototypes: u32,
    /// The largest n.
    pub draws: u32,
    /// The prototype simulation: mean and standard error at index n - 1.
    pub simulated: Option<(Vec<f64>, Vec<f64>)>,
    /// The geometric version: mean covered area at index n - 1.
    pub geometric: Option<Vec<f64>>,
}

/// Error bars wider than this many values of n are thinned to every k-th one.
const MAX_BARS: usize = 80;

/// Draws the chart on any backend.
pub fn draw<DB: ChartBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &CoverageChart,
    theme: &Theme,
) -> DrawResult<(), DB> {
    let draws = data.draws.max(1);
    let big_n = data.prototypes.max(1) as f64;
    let top = data
        .simulated
        .iter()
        .flat_map(|(m, s)| m.iter().zip(s).map(|(m, s)| m + 2.0 * s))
        .fold(big_n, f64::max);
    let (x, y) = (
        Axis::linear(0.0, draws as f64),
        Axis::linear(0.0, nice_ceil(top * 1.08)),
    );
    let frame = Frame {
        title: theme.text(TITLE),
        x,
        y,
        x_desc: &[theme.text(X_DESC)],
        y_desc: &[theme.text(Y_DESC)],
    };
    let (formula_colour, formula_width) = theme.curve(0, true);
    let sim_colour = theme.series(0);
    let geo_colour = theme.series(1);
    let mut keys = vec![Key::line(FORMULA_LABEL, &formula_colour, formula_width)];
    if data.simulated.is_some() {
        keys.push(Key::line(theme.text(SIMULATED_LABEL), &sim_colour, 6.0));
    }
    if data.geometric.is_some() {
        keys.push(Key::line(theme.text(GEOMETRIC_LABEL), &geo_colour, 2.0));
    }
    keys.push(Key::line(ASYMPTOTE_LABEL, &theme.muted, 1.0));
    // The curves start at the origin and rise: the upper left stays empty.
    // Every curve rises from the origin towards N: the lower right is free.
    let mut framed = frame::build(area, theme, &frame, keys, Corner::LowerRight)?;
    let chart = &mut framed.chart;
    let plot = |(n, e): (f64, f64)| (x.to_plot_or_nan(n), y.to_plot_or_nan(e));

    let dash = theme.px(6.0);
    let at = y.to_plot_or_nan(big_n);
    draw_dashed(
        chart,
        [(x.floor(), at), (x.plot_range().end, at)],
        dash,
        theme.muted.stroke_width(theme.stroke(1.0)),
    )?;

    if let Some(mean) = &data.geometric {
        let points = mean
            .iter()
            .enumerate()
            .map(|(k, &m)| plot((k as f64 + 1.0, m)));
        let style = geo_colour.stroke_width(theme.stroke(2.0));
        draw_lines(chart, theme, split_gaps(points), style, 2.0)?;
    }

    let formula = (0..=draws).map(|n| plot((n as f64, expected_covered(n, data.prototypes))));
    let style = formula_colour.stroke_width(theme.stroke(formula_width));
    draw_lines(chart, theme, split_gaps(formula), style, formula_width)?;

    if let Some((mean, se)) = &data.simulated {
        let every = mean.len().div_ceil(MAX_BARS).max(1);
        let bar = sim_colour.stroke_width(theme.stroke(1.5));
        for (k, (&m, &s)) in mean
            .iter()
            .zip(se)
            .enumerate()
            .filter(|(k, _)| k % every == 0)
        {
            let n = k as f64 + 1.0;
            chart.draw_series(std::iter::once(PathElement::new(
                vec![plot((n, m - 2.0 * s)), plot((n, m + 2.0 * s))],
                bar,
            )))?;
            chart.draw_series(std::iter::once(Circle::new(
                plot((n, m)),
                theme.px(3.0),
                sim_colour.filled(),
            )))?;
        }
    }
    framed.finish(theme)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::svg;
    use crate::i18n::Lang;
    use crate::teach::coverage::{CoverageConfig, simulate_geometric, simulate_prototypes};

    #[test]
    fn draws_its_words_in_the_themes_language() {
        let chart = CoverageChart {
            prototypes: 20,
            draws: 60,
            simulated: Some((vec![1.0; 60], vec![0.1; 60])),
            geometric: Some(vec![1.0; 60]),
        };
        let s = svg::render((800, 500), |area| {
            draw(area, &chart, &Theme::light(1.0).in_lang(Lang::ZhCn)).unwrap();
        });
        svg::assert_texts(
            &s,
            &[
                "n 个样本后的覆盖体积：模拟与公式",
                "原型：均值 ± 2 倍标准误",
                "圆盘：平均面积",
            ],
        );
    }

    #[test]
    fn draws_the_formula_the_simulation_and_the_discs() {
        let config = CoverageConfig::default();
        let sim = simulate_prototypes(&config);
        let geo = simulate_geometric(&CoverageConfig {
            trials: 10,
            ..config
        });
        let chart = CoverageChart {
            prototypes: config.prototypes,
            draws: config.draws,
            simulated: Some((sim.mean.clone(), sim.std_error.clone())),
            geometric: Some(geo.coverage.mean.clone()),
        };
        for theme in [Theme::light(1.0), Theme::dark(2.0)] {
            let s = svg::render((800, 500), |area| draw(area, &chart, &theme).unwrap());
            svg::assert_texts(
                &s,
                &[
                    svg::en(TITLE),
                    svg::en(X_DESC),
                    svg::en(Y_DESC),
                    FORMULA_LABEL,
                    svg::en(SIMULATED_LABEL),
                    svg::en(GEOMETRIC_LABEL),
                ],
            );
            // One dot per n (60 draws: no thinning).
            assert_eq!(s.matches("<circle").count(), config.draws as usize);
            // The formula in the highlight colour, one point per n from 0.
            let hl = svg::hex(theme.highlight);
            let formula: Vec<_> = svg::series(&s)
                .into_iter()
                .filter(|l| l.stroke == hl)
                .collect();
            assert_eq!(formula.len(), 1);
            assert_eq!(formula[0].points.len(), config.draws as usize + 1);
        }
        // Without results: only the formula, and no dots.
        let bare = CoverageChart {
            simulated: None,
            geometric: None,
            ..chart
        };
        let s = svg::render((400, 300), |area| {
            draw(area, &bare, &Theme::light(1.0)).unwrap()
        });
        assert_eq!(s.matches("<circle").count(), 0);
        assert!(!s.contains(svg::en(SIMULATED_LABEL)));
    }
}
