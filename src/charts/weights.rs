//! Chart 2: the weight of each class under each compared scheme, the
//! class-balanced one (Cui et al. 2019, section 4,
//! w_i proportional to (1 - beta) / (1 - beta^{n_i}) = 1 / E_{n_i}) drawn thick
//! and on top.
//!
//! The weights come computed (the explorer calls `crate::balance::weights`); most
//! schemes are normalised as the official code does, to mean 1 over the
//! non-empty classes, which the dashed line at 1 marks (scikit-learn's
//! "balanced" is normalised differently). Empty classes weigh 0 and draw
//! nothing on a log axis.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::ChartBackend;

use super::axis::{Axis, nice_ceil};
use super::family::on_top_last;
use super::frame::{self, Frame, Key};
use super::series::{
    class_series, draw_class_series, draw_dashed, half_width_in_plot, legend_corner,
};
use super::{DrawResult, Theme};
use crate::i18n::Message;

/// The chart's title (a translation key, as are the texts below).
pub const TITLE: &str = "chart.weights.title";
/// What the horizontal axis shows.
pub const X_DESC: &str = "chart.class";
/// What the vertical axis shows.
pub const Y_DESC: &str = "chart.weights.y";
/// The vertical axis, where the plot is too short for [`Y_DESC`].
pub const Y_DESC_SHORT: &str = "chart.weights.y_short";

/// One scheme's weights.
#[derive(Clone, Debug, PartialEq)]
pub struct WeightCurve {
    /// The legend entry.
    pub label: Message,
    /// One weight per class.
    pub weights: Vec<f64>,
    /// Drawn thick, in the highlight colour, on top (class-balanced at the current beta).
    pub highlighted: bool,
}

/// Weights per class for each compared scheme.
#[derive(Clone, Debug, PartialEq)]
pub struct WeightsChart {
    /// The schemes, in legend order (the highlighted ones are drawn last).
    pub curves: Vec<WeightCurve>,
    /// Whether the weight axis is logarithmic.
    pub log_y: bool,
}

/// Draws one line per scheme (min-max envelopes when there are more classes
/// than pixel columns) and the legend.
pub fn draw<DB: ChartBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &WeightsChart,
    theme: &Theme,
) -> DrawResult<(), DB> {
    let classes = data
        .curves
        .iter()
        .map(|c| c.weights.len())
        .max()
        .unwrap_or(0);
    let shown = || {
        data.curves
            .iter()
            .flat_map(|c| &c.weights)
            .copied()
            .filter(|w| w.is_finite() && *w > 0.0)
    };
    let max = shown().fold(1.0, f64::max);
    let y = if data.log_y {
        Axis::log_decades(shown().fold(1.0, f64::min), max)
    } else {
        Axis::linear(0.0, nice_ceil(max * 1.05))
    };
    let frame = Frame {
        title: theme.text(TITLE),
        x: Axis::classes(classes),
        y,
        x_desc: &[theme.text(X_DESC)],
        y_desc: &[theme.text(Y_DESC), theme.text(Y_DESC_SHORT)],
    };
    // Ordinary curves take the palette in turn; highlighted ones the highlight.
    let mut next = 0;
    let styles: Vec<(RGBColor, f64)> = data
        .curves
        .iter()
        .map(|c| {
            let i = next;
            next += usize::from(!c.highlighted);
            theme.curve(i, c.highlighted)
        })
        .collect();
    // The legend in the order given, off the highest weights.
    let keys = data
        .curves
        .iter()
        .zip(&styles)
        .map(|(c, (colour, width))| Key::line(theme.message(&c.label), colour, *width))
        .collect();
    // Each class's lowest and highest plotted weight: the legend keeps clear of both.
    let envelope: Vec<(f64, f64)> = (0..classes)
        .map(|i| {
            let plotted = || {
                data.curves
                    .iter()
                    .filter_map(|c| c.weights.get(i))
                    .map(|&w| y.to_plot_or_nan(w))
            };
            (
                plotted().fold(f64::NAN, f64::min),
                plotted().fold(f64::NAN, f64::max),
            )
        })
        .collect();
    let top: Vec<f64> = envelope.iter().map(|&(_, hi)| hi).collect();
    let mut framed = frame::build(area, theme, &frame, keys, legend_corner(&top))?;
    let chart = &mut framed.chart;
    let columns = chart.plotting_area().dim_in_pixel().0 as usize;

    // Weight 1, the mean under the official normalisation (not under
    // scikit-learn's "balanced"): above it a class is up-weighted.
    if let Some(one) = y.to_plot(1.0) {
        let dash = theme.px(5.0);
        draw_dashed(
            chart,
            [(-0.5, one), (classes.max(1) as f64 - 0.5, one)],
            dash,
            theme.muted.stroke_width(theme.stroke(1.0)),
        )?;
    }

    // The highlighted curves last, on top.
    for (i, curve) in on_top_last(&data.curves, |c| c.highlighted) {
        let (colour, width) = styles[i];
        let half = half_width_in_plot(chart, theme, &y, width);
        let series = class_series(&curve.weights, &y, columns, half);
        draw_class_series(chart, theme, series, colour, width)?;
    }
    framed.finish_clear_of(theme, &envelope)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::balance::effective_number::Beta;
    use crate::balance::weights::{Scheme, class_weights};
    use crate::charts::svg;
    use crate::data::profiles::preset_counts;
    use crate::i18n::Lang;

    fn curves(counts: &[u64]) -> Vec<WeightCurve> {
        let beta = Beta::new(0.999).unwrap();
        [
            (
                "class-balanced, β = 0.999",
                Scheme::ClassBalanced(beta),
                true,
            ),
            ("none", Scheme::None, false),
            ("inverse frequency", Scheme::Inverse, false),
            ("inverse square root", Scheme::SqrtInverse, false),
        ]
        .into_iter()
        .map(|(label, scheme, highlighted)| WeightCurve {
            label: svg::label(label),
            weights: class_weights(counts, scheme).unwrap().weights,
            highlighted,
        })
        .collect()
    }

    fn render(chart: &WeightsChart) -> String {
        svg::render((800, 500), |area| {
            draw(area, chart, &Theme::light(1.0)).unwrap();
        })
    }

    #[test]
    fn one_line_per_scheme_the_highlighted_one_thick_and_last() {
        let counts = preset_counts("cifar10-lt-100").unwrap();
        for log_y in [false, true] {
            let chart = WeightsChart {
                curves: curves(&counts),
                log_y,
            };
            let s = render(&chart);
            svg::assert_texts(
                &s,
                &[
                    svg::en(TITLE),
                    svg::en(X_DESC),
                    svg::en(Y_DESC),
                    "class-balanced, β = 0.999",
                    "inverse frequency",
                ],
            );
            let lines = svg::series(&s);
            assert_eq!(lines.len(), 4);
            let hl = svg::hex(Theme::light(1.0).highlight);
            let last = lines.last().unwrap();
            assert_eq!(last.stroke, hl, "the highlighted curve is drawn on top");
            assert_eq!(last.width, 4.0);
            assert!(lines[..3].iter().all(|l| l.width == 2.0 && l.stroke != hl));
            // Its legend swatch is thicker too.
            let swatch = svg::filled_rects(&s)
                .into_iter()
                .find(|r| r.fill == hl)
                .unwrap();
            assert_eq!(swatch.h, 4.0);
        }
    }

    #[test]
    fn empty_classes_draw_nothing_on_a_log_axis() {
        let counts = [500, 0, 20, 5];
        let chart = WeightsChart {
            curves: curves(&counts),
            log_y: true,
        };
        let s = render(&chart);
        assert!(!s.contains("NaN") && !s.contains("inf"));
        // Every line breaks at class 1: a dot for class 0, a segment for 2..3.
        assert_eq!(s.matches("<circle").count(), 4);
    }

    #[test]
    fn ten_thousand_classes_stay_small() {
        let counts: Vec<u64> = (0..10_000u64)
            .map(|i| 1 + 5000 * 1000 / (1000 + i * 10) + (i * 7919) % 13)
            .collect();
        for log_y in [false, true] {
            let chart = WeightsChart {
                curves: curves(&counts),
                log_y,
            };
            let s = render(&chart);
            assert!(s.len() < 300_000, "{} bytes", s.len());
            // Four min-max bands, the highlighted one last.
            let bands = svg::polygons(&s);
            assert_eq!(bands.len(), 4);
            assert_eq!(bands[3].fill, svg::hex(Theme::light(1.0).highlight));
            assert!(bands.iter().all(|b| b.points.len() <= 2 * 800 + 4));
        }
    }

    #[test]
    fn bands_are_as_thick_as_the_lines() {
        // Flat weights: each band is a line of its width.
        let curve = |label: &str, w: f64, highlighted| WeightCurve {
            label: svg::label(label),
            weights: vec![w; 10_000],
            highlighted,
        };
        let chart = WeightsChart {
            curves: vec![curve("cb", 2.0, true), curve("none", 1.0, false)],
            log_y: false,
        };
        let s = render(&chart);
        let bands = svg::polygons(&s);
        assert_eq!(bands.len(), 2);
        let x = bands[0].points[5].0;
        let (thin, thick) = (bands[0].height_at(x), bands[1].height_at(x));
        assert!((thin - 2.0).abs() <= 1.0, "{thin}");
        assert!((thick - 4.0).abs() <= 1.0, "{thick}");
    }

    /// The legend's box: the one rectangle in the background's colour
    /// smaller than the chart.
    fn legend_box(s: &str, theme: &Theme, chart_width: f64) -> svg::Rect {
        let boxes: Vec<svg::Rect> = svg::filled_rects(s)
            .into_iter()
            .filter(|r| r.fill == svg::hex(theme.background) && r.w < chart_width)
            .collect();
        assert_eq!(boxes.len(), 1, "{boxes:?}");
        boxes[0].clone()
    }

    /// Whether a line from `a` to `b` passes through `r`.
    fn crosses(r: &svg::Rect, a: (f64, f64), b: (f64, f64)) -> bool {
        (0..=100).map(|k| f64::from(k) / 100.0).any(|t| {
            let (x, y) = (a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1));
            x > r.x && x < r.x + r.w && y > r.y && y < r.y + r.h
        })
    }

    #[test]
    fn the_legend_keeps_clear_of_the_curves() {
        // The first screen's figure: CIFAR-10-LT's weights under inverse
        // frequency and under CB while beta is dragged, on a desktop and a phone.
        let counts = preset_counts("cifar10-lt-100").unwrap();
        for beta in [0.9, 0.95, 0.97, 0.9721, 0.98, 0.99, 0.995, 0.999, 0.9999] {
            let cb = Scheme::ClassBalanced(Beta::new(beta).unwrap());
            let chart = |log_y| WeightsChart {
                curves: [
                    ("inverse frequency", Scheme::Inverse, false),
                    ("cb", cb, true),
                ]
                .into_iter()
                .map(|(label, scheme, highlighted)| WeightCurve {
                    label: svg::label(label),
                    weights: class_weights(&counts, scheme).unwrap().weights,
                    highlighted,
                })
                .collect(),
                log_y,
            };
            for log_y in [true, false] {
                for ((w, h), scale) in [((720, 320), 1.0), ((1074, 720), 3.0)] {
                    let theme = Theme::light(scale);
                    let s = svg::render((w, h), |area| draw(area, &chart(log_y), &theme).unwrap());
                    let legend = legend_box(&s, &theme, f64::from(w));
                    for line in svg::series(&s) {
                        assert!(
                            !line.points.windows(2).any(|p| crosses(&legend, p[0], p[1])),
                            "beta {beta}, log {log_y}, {w}x{h}: the legend {legend:?} covers a curve"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn draws_its_words_in_the_themes_language() {
        let s = svg::render((800, 500), |area| {
            let chart = WeightsChart {
                curves: vec![],
                log_y: false,
            };
            draw(area, &chart, &Theme::light(1.0).in_lang(Lang::ZhCn)).unwrap();
        });
        svg::assert_texts(&s, &["每个类别的权重", "类别", "类别权重"]);
    }

    #[test]
    fn no_curves_draw_an_empty_frame() {
        let s = render(&WeightsChart {
            curves: vec![],
            log_y: true,
        });
        svg::assert_texts(&s, &[svg::en(TITLE), svg::en(X_DESC), svg::en(Y_DESC)]);
        assert!(svg::series(&s).is_empty());
    }
}
