//! Chart 1, as in the official notebook: training samples per class, with the
//! effective number of each class overlaid for several betas (Cui et al.
//! 2019, section 3):
//!
//! `E_n = (1 - beta^n) / (1 - beta)`
//!
//! E_n <= n and E_n saturates at N = 1 / (1 - beta), so the bigger a class,
//! the more of its samples are redundant; the gap between the bars and a line
//! is what class-balancing discounts.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::ChartBackend;

use super::axis::{Axis, nice_ceil};
use super::frame::{self, Corner, Frame, Key};
use super::series::{
    class_bars, class_profile, class_series, draw_class_series, half_width_in_plot, legend_corner,
};
use super::{CURVE_WIDTH, DrawResult, MAX_BARS, Theme};
use crate::balance::effective_number::{Beta, effective_numbers};

/// The chart's title (a translation key, as are the texts below).
pub const TITLE: &str = "chart.counts.title";
/// What the horizontal axis shows.
pub const X_DESC: &str = "chart.class";
/// What the vertical axis shows.
pub const Y_DESC: &str = "chart.counts.y";
/// The vertical axis, where the plot is too short for [`Y_DESC`].
pub const Y_DESC_SHORT: &str = "chart.samples";
/// The bars' legend entry.
pub const SAMPLES_LABEL: &str = "chart.samples_n";
/// A line's legend entry; `{beta}` is its beta.
pub const EFFECTIVE_LABEL: &str = "chart.counts.effective";

/// Samples per class and effective numbers per class.
#[derive(Clone, Debug, PartialEq)]
pub struct CountsChart {
    /// Training samples of each class.
    pub counts: Vec<u64>,
    /// (beta, E of each class) for each beta shown.
    pub effective: Vec<(Beta, Vec<f64>)>,
    /// Whether the vertical axis is logarithmic.
    pub log_y: bool,
}

impl CountsChart {
    /// The chart for these counts, with the effective numbers at each of
    /// `betas` computed by the core.
    pub fn new(counts: &[u64], betas: &[Beta], log_y: bool) -> Self {
        let effective = betas
            .iter()
            .map(|&b| (b, effective_numbers(counts, b)))
            .collect();
        Self {
            counts: counts.to_vec(),
            effective,
            log_y,
        }
    }
}

/// Draws the chart: bars (a filled profile beyond [`MAX_BARS`] classes) for
/// the samples and one line per beta for the effective numbers. Empty classes
/// draw nothing on a log axis.
pub fn draw<DB: ChartBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &CountsChart,
    theme: &Theme,
) -> DrawResult<(), DB> {
    let counts: Vec<f64> = data.counts.iter().map(|&n| n as f64).collect();
    // E_n <= n, so the counts bound everything; the lines are checked anyway.
    let max = counts
        .iter()
        .chain(data.effective.iter().flat_map(|(_, e)| e))
        .copied()
        .filter(|v| v.is_finite())
        .fold(1.0, f64::max);
    let y = if data.log_y {
        // From 0.5, so that a class of one sample (and E = 1) stands off the edge.
        Axis::log(0.5, Axis::log_decades(1.0, max).hi())
    } else {
        Axis::linear(0.0, nice_ceil(max * 1.05))
    };
    let frame = Frame {
        title: theme.text(TITLE),
        x: Axis::classes(counts.len()),
        y,
        x_desc: &[theme.text(X_DESC)],
        y_desc: &[theme.text(Y_DESC), theme.text(Y_DESC_SHORT)],
    };
    let fill = theme.muted.mix(0.35).filled();
    let mut keys = vec![Key {
        label: theme.text(SAMPLES_LABEL).to_owned(),
        style: fill,
        thickness: 10.0,
    }];
    keys.extend(data.effective.iter().enumerate().map(|(i, (beta, _))| {
        let label = theme.text_with(EFFECTIVE_LABEL, &[("beta", &beta.to_string())]);
        Key::line(label, &theme.series(i), CURVE_WIDTH)
    }));
    let plotted: Vec<f64> = counts.iter().map(|&n| y.to_plot_or_nan(n)).collect();
    // On a phone-sized chart the five-entry legend would hide the curves: it goes under the title.
    let narrow = (area.dim_in_pixel().0 as f64) < theme.px(500.0);
    let corner = if narrow {
        Corner::Outside
    } else {
        legend_corner(&plotted)
    };
    let mut framed = frame::build(area, theme, &frame, keys, corner)?;
    let chart = &mut framed.chart;
    let columns = chart.plotting_area().dim_in_pixel().0 as usize;

    if counts.len() <= MAX_BARS {
        chart.draw_series(
            class_bars(&counts, &y, 0.0)
                .into_iter()
                .map(|corners| Rectangle::new(corners, fill)),
        )?;
    } else {
        chart.draw_series(std::iter::once(Polygon::new(
            class_profile(&counts, &y, columns),
            fill,
        )))?;
    }
    let half = half_width_in_plot(chart, theme, &y, CURVE_WIDTH);
    for (i, (_, effective)) in data.effective.iter().enumerate() {
        let series = class_series(effective, &y, columns, half);
        draw_class_series(chart, theme, series, theme.series(i), CURVE_WIDTH)?;
    }
    // The bars fill each class from the axis up; the lines lie below the bars' tops.
    let floor = y.floor();
    let envelope: Vec<(f64, f64)> = plotted.iter().map(|&top| (floor, top)).collect();
    framed.finish_clear_of(theme, &envelope)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::svg;
    use crate::data::profiles::preset_counts;
    use crate::i18n::Lang;

    fn betas() -> Vec<Beta> {
        [0.9, 0.99, 0.999, 0.9999]
            .map(|b| Beta::new(b).unwrap())
            .to_vec()
    }

    fn render(chart: &CountsChart) -> String {
        svg::render((800, 500), |area| {
            draw(area, chart, &Theme::light(1.0)).unwrap();
        })
    }

    #[test]
    fn computes_effective_numbers_with_the_core() {
        let counts = [5000, 100, 0, 1];
        let chart = CountsChart::new(&counts, &betas(), true);
        assert_eq!(chart.effective.len(), 4);
        let (beta, e) = &chart.effective[2];
        assert_eq!(beta.value(), 0.999);
        assert_eq!(e, &effective_numbers(&counts, Beta::new(0.999).unwrap()));
        assert_eq!(e[2], 0.0);
        assert_eq!(e[3], 1.0);
    }

    #[test]
    fn draws_bars_lines_title_and_axes() {
        let counts = preset_counts("cifar10-lt-100").unwrap();
        let chart = CountsChart::new(&counts, &betas(), false);
        let s = render(&chart);
        svg::assert_texts(
            &s,
            &[
                "Samples and effective number per class",
                "class",
                "samples n, effective number E",
                "samples n",
                "E at β = 0.9999",
            ],
        );
        // One line per beta, through the ten classes.
        let lines = svg::series(&s);
        assert_eq!(lines.len(), 4);
        assert!(lines.iter().all(|l| l.points.len() == 10));
        // One bar per class, in the muted colour.
        let muted = svg::hex(Theme::light(1.0).muted);
        let bars = svg::filled_rects(&s)
            .into_iter()
            .filter(|r| r.fill == muted && r.h > 0.0)
            .count();
        // Ten bars and the legend swatch.
        assert_eq!(bars, 11);
    }

    #[test]
    fn empty_classes_draw_nothing_on_a_log_axis() {
        let counts = [1000, 300, 0, 50, 0, 0, 7, 1];
        let chart = CountsChart::new(&counts, &betas()[..1], true);
        let s = render(&chart);
        // The line breaks at every empty class: 0..1, 3, 6..7.
        let polylines = svg::polylines(&s);
        let stroke = svg::hex(Theme::light(1.0).series(0));
        let parts: Vec<usize> = polylines
            .iter()
            .filter(|p| p.stroke == stroke)
            .map(|p| p.points.len())
            .collect();
        assert_eq!(parts, vec![2, 2]);
        // The lone class 3 is a dot.
        assert_eq!(s.matches("<circle").count(), 1);
        // Five non-empty classes, five bars (and the legend swatch).
        let muted = svg::hex(Theme::light(1.0).muted);
        let bars = svg::filled_rects(&s)
            .into_iter()
            .filter(|r| r.fill == muted)
            .count();
        assert_eq!(bars, 6);
        assert!(!s.contains("NaN") && !s.contains("inf"));
    }

    #[test]
    fn ten_thousand_classes_stay_small() {
        // A long tail with noise, so that every column has a real min and max.
        let counts: Vec<u64> = (0..10_000u64)
            .map(|i| 5000 * 1000 / (1000 + i * 10) + (i * 7919) % 13)
            .collect();
        for log_y in [false, true] {
            let chart = CountsChart::new(&counts, &betas(), log_y);
            let s = render(&chart);
            assert!(s.len() < 300_000, "{} bytes", s.len());
            // A profile instead of 10,000 bars, and four min-max bands
            // instead of lines, each at most two points per pixel column.
            let theme = Theme::light(1.0);
            let fills: Vec<String> = svg::polygons(&s).into_iter().map(|p| p.fill).collect();
            let mut want = vec![svg::hex(theme.muted)];
            want.extend((0..4).map(|i| svg::hex(theme.series(i))));
            assert_eq!(fills, want);
            assert!(svg::series(&s).is_empty());
            assert!(
                svg::polygons(&s)
                    .iter()
                    .all(|p| p.points.len() <= 2 * 800 + 4)
            );
        }
    }

    #[test]
    fn the_legend_moves_out_of_a_small_plot() {
        let counts = preset_counts("cifar10-lt-100").unwrap();
        let chart = CountsChart::new(&counts, &betas(), false);
        let legend_y = |s: &str| {
            svg::text_positions(s)
                .into_iter()
                .find(|(t, _, _)| t == "samples n")
                .map(|(_, _, y)| y)
                .unwrap()
        };
        // The top of the plot: the top end of the y axis, the longest
        // vertical two-point line.
        let plot_top = |s: &str| {
            svg::polylines(s)
                .into_iter()
                .filter(|p| p.points.len() == 2 && p.points[0].0 == p.points[1].0)
                .max_by_key(|p| (p.points[0].1 - p.points[1].1).abs() as i64)
                .map(|p| p.points[0].1.min(p.points[1].1))
                .unwrap()
        };
        // On a desktop the legend sits inside the plot.
        let s = render(&chart);
        assert!(legend_y(&s) > plot_top(&s));
        let desktop = svg::text_positions(&s);
        assert!(desktop.iter().any(|(t, _, _)| t == svg::en(Y_DESC)));
        // On a phone (360 x 223 CSS px at devicePixelRatio 3) it goes in rows
        // under the title, above the plot, and the axis label gets short.
        let s = svg::render((1080, 670), |area| {
            draw(area, &chart, &Theme::light(3.0)).unwrap();
        });
        assert!(legend_y(&s) < plot_top(&s));
        let phone = svg::texts(&s);
        assert!(phone.iter().any(|t| t == svg::en(Y_DESC_SHORT)));
        assert!(!phone.iter().any(|t| t == svg::en(Y_DESC)));
        svg::assert_texts(&s, &[svg::en(TITLE), "E at β = 0.9999"]);
    }

    #[test]
    fn draws_its_words_in_the_themes_language() {
        let counts = preset_counts("cifar10-lt-100").unwrap();
        let chart = CountsChart::new(&counts, &betas(), false);
        let s = svg::render((800, 500), |area| {
            draw(area, &chart, &Theme::light(1.0).in_lang(Lang::ZhCn)).unwrap();
        });
        svg::assert_texts(
            &s,
            &[
                "每个类别的样本数与有效样本数",
                "样本数 n",
                "β = 0.9999 时的 E",
            ],
        );
        assert!(!s.contains("samples"), "no English left");
    }

    #[test]
    fn scales_with_the_device_pixel_ratio() {
        let counts = preset_counts("cifar10-lt-100").unwrap();
        let chart = CountsChart::new(&counts, &betas(), true);
        let s = svg::render((1600, 1000), |area| {
            draw(area, &chart, &Theme::dark(2.0)).unwrap();
        });
        let lines = svg::series(&s);
        assert!(lines.iter().all(|l| l.width == 4.0));
        // 13 px labels at scale 2 (the SVG backend writes size / 1.24).
        let sizes = svg::font_sizes(&s);
        assert!(sizes.iter().any(|&f| (f - 26.0 / 1.24).abs() < 1e-9));
        assert!(sizes.iter().all(|&f| f >= 22.0 / 1.24));
    }
}
