//! Per-class series in plot coordinates: lines, bars and filled profiles,
//! reduced with [`envelope`] when there are more classes than pixel columns.

use plotters::element::{Drawable, PointCollection};
use plotters::prelude::*;
use plotters_backend::{BackendCoord, DrawingErrorKind};

use super::ChartBackend;

use super::axis::Axis;
use super::frame::{Corner, Plane};
use super::{DrawResult, Theme, envelope};

/// A polyline in plot coordinates.
pub(crate) type Line = Vec<(f64, f64)>;

/// Splits points at those with a NaN coordinate (a value the axis cannot
/// show), so a gap breaks the line instead of dragging it to -infinity.
pub(crate) fn split_gaps(points: impl IntoIterator<Item = (f64, f64)>) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut current = Vec::new();
    for (x, y) in points {
        if x.is_nan() || y.is_nan() {
            if !current.is_empty() {
                lines.push(std::mem::take(&mut current));
            }
        } else {
            current.push((x, y));
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

/// Draws a dashed line from `from` to `to` (plot coordinates), in dashes
/// `dash` pixels long with gaps as long: the rules at a reference value.
pub(crate) fn draw_dashed<DB: ChartBackend>(
    chart: &ChartContext<'_, DB, Plane>,
    [from, to]: [(f64, f64); 2],
    dash: f64,
    style: ShapeStyle,
) -> DrawResult<(), DB> {
    chart.plotting_area().draw(&Dashed {
        ends: [from, to],
        dash: dash.max(1.0) as u32,
        style,
    })
}

/// A dashed line, drawn by its backend ([`ChartBackend::draw_dashed_line`]).
struct Dashed {
    ends: [(f64, f64); 2],
    dash: u32,
    style: ShapeStyle,
}

impl<'a> PointCollection<'a, (f64, f64)> for &'a Dashed {
    type Point = &'a (f64, f64);
    type IntoIter = &'a [(f64, f64)];

    fn point_iter(self) -> Self::IntoIter {
        &self.ends
    }
}

impl<DB: ChartBackend> Drawable<DB> for Dashed {
    fn draw<I: Iterator<Item = BackendCoord>>(
        &self,
        mut points: I,
        backend: &mut DB,
        _parent: (u32, u32),
    ) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
        match (points.next(), points.next()) {
            (Some(from), Some(to)) => backend.draw_dashed_line(from, to, self.dash, &self.style),
            _ => Ok(()),
        }
    }
}

/// A per-class series, ready to draw.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum ClassSeries {
    /// Polylines through (class index, value), one point per class.
    Lines(Vec<Line>),
    /// Filled outlines, when there are more classes than pixel columns: for
    /// each column the band from the min to the max of its classes, widened
    /// by half the line width each way, so a flat stretch reads as a line of
    /// that width and a spread as a filled band. A zigzag polyline through
    /// the same extremes would turn 180 degrees in every column and sprout
    /// miter spikes on thick lines.
    Bands(Vec<Line>),
}

/// A per-class series: lines through one point per class, or, when there
/// are more classes than `columns`, min-max bands over `columns` buckets (two
/// points per pixel column). `half_width` is half the line width in plot
/// units of the vertical axis. Values the axis cannot show make gaps.
pub(crate) fn class_series(
    values: &[f64],
    y: &Axis,
    columns: usize,
    half_width: f64,
) -> ClassSeries {
    // log10 is increasing, so the extremes of the plotted values are the
    // plotted extremes: reduce after mapping, with NaN for what cannot show.
    let plotted: Vec<f64> = values.iter().map(|&v| y.to_plot_or_nan(v)).collect();
    if plotted.len() <= columns {
        return ClassSeries::Lines(split_gaps(
            plotted.iter().enumerate().map(|(i, &t)| (i as f64, t)),
        ));
    }
    // Half a bucket, in classes: the band's ends reach the edges of their buckets.
    let half_bucket = plotted.len() as f64 / columns.max(1) as f64 / 2.0;
    let buckets = envelope(&plotted, columns);
    let mut bands = Vec::new();
    for run in buckets.split(|b| b.1.is_nan()).filter(|r| !r.is_empty()) {
        let (first, last) = (run[0].0 - half_bucket, run[run.len() - 1].0 + half_bucket);
        let mut outline = Vec::with_capacity(2 * run.len() + 4);
        outline.push((first, run[0].2 + half_width));
        outline.extend(run.iter().map(|&(x, _, hi)| (x, hi + half_width)));
        outline.push((last, run[run.len() - 1].2 + half_width));
        outline.push((last, run[run.len() - 1].1 - half_width));
        outline.extend(run.iter().rev().map(|&(x, lo, _)| (x, lo - half_width)));
        outline.push((first, run[0].1 - half_width));
        bands.push(outline);
    }
    ClassSeries::Bands(bands)
}

/// Draws a [`ClassSeries`] in `colour`, lines `width_css` CSS pixels wide.
pub(crate) fn draw_class_series<DB: ChartBackend>(
    chart: &mut ChartContext<'_, DB, Plane>,
    theme: &Theme,
    series: ClassSeries,
    colour: RGBColor,
    width_css: f64,
) -> DrawResult<(), DB> {
    match series {
        ClassSeries::Lines(lines) => {
            let style = colour.stroke_width(theme.stroke(width_css));
            draw_lines(chart, theme, lines, style, width_css)
        }
        ClassSeries::Bands(bands) => {
            chart.draw_series(bands.into_iter().map(|b| Polygon::new(b, colour.filled())))?;
            Ok(())
        }
    }
}

/// Half of `width_css` CSS pixels in plot units of `chart`'s vertical axis.
pub(crate) fn half_width_in_plot<DB: ChartBackend>(
    chart: &ChartContext<'_, DB, Plane>,
    theme: &Theme,
    y: &Axis,
    width_css: f64,
) -> f64 {
    let rows = chart.plotting_area().dim_in_pixel().1.max(1) as f64;
    let range = y.plot_range();
    theme.px(width_css) / 2.0 * (range.end - range.start) / rows
}

/// The outline of a filled per-class profile: the top of each of at most
/// `columns` buckets (the max, so no peak is lost), closed along the axis's
/// low end. Classes the axis cannot show sit on the low end.
pub(crate) fn class_profile(values: &[f64], y: &Axis, columns: usize) -> Line {
    let floor = y.floor();
    let plotted: Vec<f64> = values.iter().map(|&v| y.to_plot_clamped(v)).collect();
    let tops = envelope(&plotted, columns);
    let last = values.len().max(1) as f64 - 0.5;
    let mut outline = Vec::with_capacity(tops.len() + 4);
    outline.push((-0.5, floor));
    if let Some(&(_, _, first)) = tops.first() {
        outline.push((-0.5, first));
    }
    outline.extend(tops.iter().map(|&(x, _, hi)| (x, hi)));
    if let Some(&(_, _, end)) = tops.last() {
        outline.push((last, end));
    }
    outline.push((last, floor));
    outline
}

/// One bar per class, as (left, bottom) and (right, top) corners in plot
/// coordinates; classes the axis cannot show (and zero counts) get none.
/// `stub` is the least height of a shown bar, so that a count of 1 on a log
/// axis starting at 1 is still visible.
pub(crate) fn class_bars(values: &[f64], y: &Axis, stub: f64) -> Vec<[(f64, f64); 2]> {
    let floor = y.floor();
    values
        .iter()
        .enumerate()
        .filter(|&(_, &v)| v > 0.0)
        .filter_map(|(i, &v)| {
            let top = y.to_plot(v)?.max(floor + stub);
            let x = i as f64;
            Some([(x - 0.4, floor), (x + 0.4, top)])
        })
        .collect()
}

/// Draws `lines` in `style` (`width_css` CSS pixels wide), a lone point as a dot.
pub(crate) fn draw_lines<DB: ChartBackend>(
    chart: &mut ChartContext<'_, DB, Plane>,
    theme: &Theme,
    lines: Vec<Line>,
    style: ShapeStyle,
    width_css: f64,
) -> DrawResult<(), DB> {
    let (dots, lines): (Vec<Line>, Vec<Line>) = lines.into_iter().partition(|l| l.len() == 1);
    chart.draw_series(lines.into_iter().map(|l| PathElement::new(l, style)))?;
    let radius = theme.px(width_css).max(1.0);
    chart.draw_series(
        dots.into_iter()
            .map(|l| Circle::new(l[0], radius, style.filled())),
    )?;
    Ok(())
}

/// Where a legend is least in the way of a per-class series: on the side
/// (left or right) where the highest series is lower.
pub(crate) fn legend_corner(plotted: &[f64]) -> Corner {
    let quarter = (plotted.len() / 4).max(1);
    let mean = |s: &[f64]| {
        let shown: Vec<f64> = s.iter().copied().filter(|v| !v.is_nan()).collect();
        if shown.is_empty() {
            f64::NEG_INFINITY
        } else {
            shown.iter().sum::<f64>() / shown.len() as f64
        }
    };
    let n = plotted.len();
    let left = mean(&plotted[..quarter.min(n)]);
    let right = mean(&plotted[n.saturating_sub(quarter)..]);
    if left < right {
        Corner::UpperLeft
    } else {
        Corner::UpperRight
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_split_lines() {
        let pts = [(0.0, 1.0), (1.0, f64::NAN), (2.0, 2.0), (3.0, 3.0)];
        assert_eq!(
            split_gaps(pts),
            vec![vec![(0.0, 1.0)], vec![(2.0, 2.0), (3.0, 3.0)]]
        );
        assert!(split_gaps([(0.0, f64::NAN)]).is_empty());
    }

    #[test]
    fn lines_skip_what_a_log_axis_cannot_show() {
        let y = Axis::log(1.0, 1000.0);
        let series = class_series(&[10.0, 0.0, 100.0, 1000.0], &y, 100, 0.1);
        assert_eq!(
            series,
            ClassSeries::Lines(vec![vec![(0.0, 1.0)], vec![(2.0, 2.0), (3.0, 3.0)]])
        );
    }

    #[test]
    fn long_series_become_bands_with_two_points_per_column() {
        let values: Vec<f64> = (0..10_000).map(|i| (i % 97) as f64 + 1.0).collect();
        let y = Axis::linear(0.0, 100.0);
        let ClassSeries::Bands(bands) = class_series(&values, &y, 500, 0.5) else {
            panic!("10,000 classes in 500 columns are banded");
        };
        assert_eq!(bands.len(), 1);
        assert_eq!(bands[0].len(), 2 * 500 + 4);
        // The band reaches the true extremes, widened by half the line width.
        let top = bands[0].iter().map(|p| p.1).fold(f64::MIN, f64::max);
        let bottom = bands[0].iter().map(|p| p.1).fold(f64::MAX, f64::min);
        assert_eq!((top, bottom), (97.5, 0.5));
        // And spans every class.
        let left = bands[0].iter().map(|p| p.0).fold(f64::MAX, f64::min);
        let right = bands[0].iter().map(|p| p.0).fold(f64::MIN, f64::max);
        assert_eq!((left, right), (-0.5, 9999.5));
    }

    #[test]
    fn bands_break_where_the_axis_cannot_show() {
        let mut values = vec![10.0; 1000];
        values[400..600].fill(0.0);
        let y = Axis::log(1.0, 100.0);
        let ClassSeries::Bands(bands) = class_series(&values, &y, 100, 0.01) else {
            panic!("banded");
        };
        assert_eq!(bands.len(), 2);
        assert!(
            bands
                .iter()
                .flatten()
                .all(|p| (p.1 - 1.0).abs() <= 0.01 + 1e-12)
        );
    }

    #[test]
    fn bars_and_profiles() {
        let y = Axis::log(1.0, 100.0);
        let bars = class_bars(&[10.0, 0.0, 1.0], &y, 0.05);
        assert_eq!(bars.len(), 2);
        assert_eq!(bars[0], [(-0.4, 0.0), (0.4, 1.0)]);
        assert_eq!(bars[1][1].1, 0.05, "a count of 1 is still visible");
        let profile = class_profile(&[10.0, 0.0, 100.0], &y, 2);
        assert_eq!(profile.first(), Some(&(-0.5, 0.0)));
        assert_eq!(profile.last(), Some(&(2.5, 0.0)));
        assert!(profile.iter().all(|p| p.1 >= 0.0 && p.1 <= 2.0));
    }

    #[test]
    fn legend_goes_where_the_data_is_low() {
        let falling = [5.0, 4.0, 3.0, 2.0, 1.0, 0.5, 0.2, 0.1];
        assert_eq!(legend_corner(&falling), Corner::UpperRight);
        let rising: Vec<f64> = falling.iter().rev().copied().collect();
        assert_eq!(legend_corner(&rising), Corner::UpperLeft);
        assert_eq!(legend_corner(&[]), Corner::UpperRight);
    }
}
