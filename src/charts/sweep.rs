//! The beta sweep's chart: balanced test accuracy of class-balanced softmax
//! against N = 1/(1 - beta), the number of prototypes beta assumes (mean over
//! seeds, bars of one standard deviation), with inverse frequency (the limit
//! beta -> 1) and the logit-adjusted loss as dashed levels, and, on data made
//! of K prototypes a class, the effective number's prediction N = K marked.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::ChartBackend;

use super::axis::Axis;
use super::frame::{self, Corner, Frame, Key};
use super::series::{draw_dashed, draw_lines, split_gaps};
use super::training::TRAIN_TO_FILL;
use super::{DrawResult, Theme};
use crate::train::experiments::MeanSd;

/// The chart's title (a translation key, as are the texts below).
pub const TITLE: &str = "chart.sweep.title";
/// The class-balanced curve's legend entry.
pub const CB_LABEL: &str = "chart.sweep.cb";
/// The inverse-frequency level's legend entry.
pub const INVERSE_LABEL: &str = "chart.sweep.inverse";
/// The logit-adjusted level's legend entry.
pub const LOGIT_ADJUSTED_LABEL: &str = "chart.sweep.logit_adjusted";
/// The prediction's legend entry, with `{k}`.
pub const PREDICTION_LABEL: &str = "chart.sweep.prediction";

/// The largest N on the axis (beta = 0.9999).
const N_MAX: f64 = 1e4;

/// What the chart shows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SweepChart {
    /// (beta, balanced accuracy over the seeds) of CB softmax, beta ascending.
    pub cb: Vec<(f64, MeanSd)>,
    /// Inverse frequency's balanced accuracy.
    pub inverse: Option<MeanSd>,
    /// The logit-adjusted loss's balanced accuracy.
    pub logit_adjusted: Option<MeanSd>,
    /// K, when each class's training points are copies of K prototypes.
    pub prototypes: Option<u32>,
}

/// N = 1/(1 - beta): 1 at beta = 0.
pub fn prototypes_of(beta: f64) -> f64 {
    1.0 / (1.0 - beta)
}

/// The lowest and highest value a bar reaches, of every value shown.
fn extent(data: &SweepChart) -> Option<(f64, f64)> {
    let all = data
        .cb
        .iter()
        .map(|(_, m)| m)
        .chain(&data.inverse)
        .chain(&data.logit_adjusted);
    all.map(|m| {
        let sd = m.sd.unwrap_or(0.0);
        (m.mean - sd, m.mean + sd)
    })
    .reduce(|(lo, hi), (l, h)| (lo.min(l), hi.max(h)))
}

/// Draws the chart on any backend.
pub fn draw<DB: ChartBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &SweepChart,
    theme: &Theme,
) -> DrawResult<(), DB> {
    // The accuracies differ by points, not tens of points: the y axis spans
    // them, to the next 5 % each way, within 0 to 100 %.
    let (lo, hi) = extent(data).map_or((0.0, 1.0), |(lo, hi)| {
        (
            ((lo - 0.01) * 20.0).floor().max(0.0) / 20.0,
            ((hi + 0.01) * 20.0).ceil().min(20.0) / 20.0,
        )
    });
    let (x, y) = (Axis::log_decades(1.0, N_MAX), Axis::linear(lo, hi));
    let frame = Frame {
        title: theme.text(TITLE),
        x,
        y,
        x_desc: &[
            theme.text("chart.sweep.x"),
            theme.text("chart.sweep.x_short"),
        ],
        y_desc: &[
            theme.text("chart.posthoc.y"),
            theme.text("chart.posthoc.y_short"),
        ],
    };
    let (cb_colour, cb_width) = theme.curve(0, true);
    let inverse_colour = theme.series(1);
    let adjusted_colour = theme.series(2);
    let mut keys = vec![Key::line(theme.text(CB_LABEL), &cb_colour, cb_width)];
    if data.inverse.is_some() {
        keys.push(Key::line(theme.text(INVERSE_LABEL), &inverse_colour, 2.0));
    }
    if data.logit_adjusted.is_some() {
        keys.push(Key::line(
            theme.text(LOGIT_ADJUSTED_LABEL),
            &adjusted_colour,
            2.0,
        ));
    }
    if let Some(k) = data.prototypes {
        let label = theme.text_with(PREDICTION_LABEL, &[("k", &k.to_string())]);
        keys.push(Key::line(label, &theme.muted, 1.5));
    }
    // The curve rises from beta = 0 and the levels lie near its top: the
    // lower right is free.
    let mut framed = frame::build(area, theme, &frame, keys, Corner::LowerRight)?;
    if data.cb.is_empty() {
        framed.note(theme, theme.text(TRAIN_TO_FILL))?;
        return framed.finish(theme);
    }
    let chart = &mut framed.chart;
    let plot = |(n, a): (f64, f64)| (x.to_plot_or_nan(n), y.to_plot_or_nan(a));
    let (left, right) = (x.floor(), x.plot_range().end);

    if let Some(k) = data.prototypes {
        let at = x.to_plot_clamped(f64::from(k));
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(at, y.floor()), (at, y.plot_range().end)],
            theme.muted.stroke_width(theme.stroke(1.5)),
        )))?;
    }
    let dash = theme.px(6.0);
    for (level, colour) in [
        (data.inverse, inverse_colour),
        (data.logit_adjusted, adjusted_colour),
    ] {
        let Some(m) = level else { continue };
        let at = y.to_plot_or_nan(m.mean);
        draw_dashed(
            chart,
            [(left, at), (right, at)],
            dash,
            colour.stroke_width(theme.stroke(2.0)),
        )?;
    }

    let points = data
        .cb
        .iter()
        .map(|&(beta, m)| plot((prototypes_of(beta), m.mean)));
    let style = cb_colour.stroke_width(theme.stroke(cb_width));
    draw_lines(chart, theme, split_gaps(points), style, cb_width)?;
    let bar = cb_colour.stroke_width(theme.stroke(1.5));
    for &(beta, m) in &data.cb {
        let n = prototypes_of(beta);
        if let Some(sd) = m.sd {
            chart.draw_series(std::iter::once(PathElement::new(
                vec![plot((n, m.mean - sd)), plot((n, m.mean + sd))],
                bar,
            )))?;
        }
        chart.draw_series(std::iter::once(Circle::new(
            plot((n, m.mean)),
            theme.px(4.0),
            cb_colour.filled(),
        )))?;
    }
    framed.finish(theme)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::svg;
    use crate::i18n::Lang;

    fn chart() -> SweepChart {
        let m = |mean, sd| MeanSd { mean, sd };
        SweepChart {
            cb: vec![
                (0.0, m(0.62, Some(0.005))),
                (0.9, m(0.64, Some(0.012))),
                (0.99, m(0.735, Some(0.018))),
                (0.999, m(0.747, Some(0.019))),
                (0.9999, m(0.749, None)),
            ],
            inverse: Some(m(0.75, Some(0.022))),
            logit_adjusted: Some(m(0.762, Some(0.009))),
            prototypes: Some(10),
        }
    }

    #[test]
    fn n_is_one_over_one_minus_beta() {
        assert_eq!(prototypes_of(0.0), 1.0);
        assert!((prototypes_of(0.9999) - 1e4).abs() < 1e-6);
    }

    #[test]
    fn the_axis_spans_the_bars_to_the_next_five_percent() {
        assert_eq!(extent(&chart()), Some((0.615, 0.772)));
        assert_eq!(extent(&SweepChart::default()), None);
    }

    #[test]
    fn draws_every_part_in_both_languages() {
        for (lang, texts) in [
            (
                Lang::En,
                ["inverse frequency (β → 1)", "β = 1 − 1/K, K = 10"],
            ),
            (Lang::ZhCn, ["逆频率（β → 1）", "β = 1 − 1/K，K = 10"]),
        ] {
            let s = svg::render((800, 500), |area| {
                draw(area, &chart(), &Theme::light(1.0).in_lang(lang)).unwrap();
            });
            svg::assert_texts(&s, &texts);
            // Four error bars (the last point has one seed), five dots.
            assert_eq!(s.matches("<circle").count(), 5, "{s}");
        }
        let empty = svg::render((640, 400), |area| {
            draw(area, &SweepChart::default(), &Theme::dark(1.0)).unwrap();
        });
        svg::assert_texts(&empty, &[Theme::dark(1.0).text(TRAIN_TO_FILL)]);
    }
}
