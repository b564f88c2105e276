//! The distribution editor's bar chart, which the reader paints with the
//! pointer, and the geometry that maps a pointer position back to a
//! (class, count) pair.
//!
//! Class i owns the slot [i, i + 1) of C equal slots across the plot. The
//! count axis runs from 0 to y_max (linear) or from 1 to y_max (log, where
//! anything at or below the bottom edge means 0: an empty class).

use plotters::coord::Shift;
use plotters::prelude::*;

use super::ChartBackend;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::axis::{Axis, nice_ceil};
use super::frame::{self, Corner, Frame};
use super::series::{class_bars, class_profile};
use super::{DrawResult, LABEL_PX, MAX_BARS, Theme};

/// The chart's title (a translation key, as are the texts below).
pub const TITLE: &str = "chart.editor.title";
/// What the horizontal axis shows.
pub const X_DESC: &str = "chart.class";
/// What the vertical axis shows.
pub const Y_DESC: &str = "chart.editor.y";
/// The vertical axis, where the plot is too short for [`Y_DESC`].
pub const Y_DESC_SHORT: &str = "chart.samples";
/// The selected class's note; `{class}` and `{n}` are its index and count.
pub const SELECTED_NOTE: &str = "chart.editor.selected";

/// What the editor shows.
#[derive(Clone, Debug, PartialEq)]
pub struct EditorChart {
    /// Training samples of each class.
    pub counts: Vec<u64>,
    /// Whether the count axis is logarithmic.
    pub log_y: bool,
    /// The top of the count axis; held still during a drag so that the
    /// pointer keeps meaning the same count (see [`nice_y_max`]).
    pub y_max: u64,
    /// The class under the pointer or keyboard focus, highlighted.
    pub selected: Option<usize>,
}

/// Where the plot landed, in the backend's pixels, and the pure mapping
/// between pixels and (class, count) that the pointer handlers need.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EditorGeometry {
    /// The plotting area (x0, y0, x1, y1): left, top, right, bottom pixel
    /// centres, the first and last pixels the axes map to.
    pub plot: (f64, f64, f64, f64),
    /// The number of classes (at least 1).
    pub classes: usize,
    /// Whether the count axis is logarithmic.
    pub log_y: bool,
    /// The count at the top edge, as drawn (at least 10 on a log axis, 1 on a
    /// linear one).
    pub y_max: u64,
}

impl EditorGeometry {
    /// The class under horizontal pixel `px`, clamped to the first and last class.
    pub fn class_at(&self, px: f64) -> usize {
        let (x0, _, x1, _) = self.plot;
        let f = (px - x0) / (x1 - x0);
        let i = (f * self.classes as f64).floor();
        if i.is_nan() || i < 0.0 {
            0
        } else {
            (i as usize).min(self.classes.saturating_sub(1))
        }
    }

    /// The horizontal pixel of the centre of class `class`'s bar.
    pub fn x_of(&self, class: usize) -> f64 {
        let (x0, _, x1, _) = self.plot;
        x0 + (class as f64 + 0.5) / self.classes.max(1) as f64 * (x1 - x0)
    }

    /// The count at vertical pixel `py`, clamped to 0..=y_max. On a log axis
    /// the bottom edge is 1 and anything at or below it is 0.
    pub fn count_at(&self, py: f64) -> u64 {
        let (_, y0, _, y1) = self.plot;
        let f = (y1 - py) / (y1 - y0);
        if f.is_nan() || f <= 0.0 {
            return 0;
        }
        if f >= 1.0 {
            return self.y_max;
        }
        let top = self.y_max as f64;
        let count = if self.log_y {
            top.powf(f).round()
        } else {
            (f * top).round()
        };
        (count as u64).min(self.y_max)
    }

    /// The vertical pixel of `count` (the top of its bar); counts above
    /// y_max are at the top edge, 0 at the bottom.
    pub fn y_of(&self, count: u64) -> f64 {
        let (_, y0, _, y1) = self.plot;
        let c = count.min(self.y_max) as f64;
        let f = if self.y_max == 0 {
            0.0
        } else if self.log_y {
            if count == 0 || self.y_max == 1 {
                0.0
            } else {
                c.log10() / (self.y_max as f64).log10()
            }
        } else {
            c / self.y_max as f64
        };
        y1 - f * (y1 - y0)
    }
}

/// A top for the count axis above `max_count`: the next power of ten (at
/// least 10) on a log axis, a round number about 1.2 x `max_count` (at least
/// 10) on a linear one, leaving room to paint a class above the rest.
pub fn nice_y_max(max_count: u64, log_y: bool) -> u64 {
    if log_y {
        let mut p: u64 = 10;
        while p < max_count {
            match p.checked_mul(10) {
                Some(next) => p = next,
                None => return u64::MAX,
            }
        }
        p
    } else {
        let top = nice_ceil((max_count as f64 * 1.2).max(10.0));
        // Saturating: a float beyond u64::MAX converts to u64::MAX.
        top as u64
    }
}

/// Draws the editor and returns where its plot landed. Bars up to
/// [`MAX_BARS`] classes, a filled profile beyond; the selected class in the
/// highlight colour, with its count written in the corner.
pub fn draw<DB: ChartBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &EditorChart,
    theme: &Theme,
) -> DrawResult<EditorGeometry, DB> {
    let classes = data.counts.len().max(1);
    let y_max = if data.log_y {
        data.y_max.max(10)
    } else {
        data.y_max.max(1)
    };
    let y = if data.log_y {
        Axis::log(1.0, y_max as f64)
    } else {
        Axis::linear(0.0, y_max as f64)
    };
    let frame = Frame {
        title: theme.text(TITLE),
        x: Axis::classes(classes),
        y,
        x_desc: &[theme.text(X_DESC)],
        y_desc: &[theme.text(Y_DESC), theme.text(Y_DESC_SHORT)],
    };
    let mut framed = frame::build(area, theme, &frame, Vec::new(), Corner::UpperRight)?;
    let chart = &mut framed.chart;
    let (xs, ys) = chart.plotting_area().get_pixel_range();
    // plotters maps the axis ends to the first and last pixel of the area.
    let geometry = EditorGeometry {
        plot: (
            xs.start as f64,
            ys.start as f64,
            (xs.end - 1) as f64,
            (ys.end - 1) as f64,
        ),
        classes,
        log_y: data.log_y,
        y_max,
    };
    let (columns, rows) = chart.plotting_area().dim_in_pixel();

    // Painted counts above the axis would be clamped by the pointer anyway.
    let counts: Vec<f64> = data.counts.iter().map(|&n| n.min(y_max) as f64).collect();
    let range = y.plot_range();
    // Two pixels in plot units: a class of 1 on a log axis starting at 1 is not empty.
    let stub = theme.px(2.0) / rows.max(1) as f64 * (range.end - range.start);
    let fill = theme.series(0).filled();
    if counts.len() <= MAX_BARS {
        chart.draw_series(
            class_bars(&counts, &y, stub)
                .into_iter()
                .map(|corners| Rectangle::new(corners, fill)),
        )?;
    } else {
        chart.draw_series(std::iter::once(Polygon::new(
            class_profile(&counts, &y, columns as usize),
            theme.series(0).mix(0.8).filled(),
        )))?;
    }

    if let Some(class) = data.selected.filter(|&c| c < data.counts.len()) {
        let x = class as f64;
        let top = y
            .to_plot(counts[class])
            .unwrap_or(y.floor())
            .max(y.floor() + stub);
        // At least 3 px wide, so a class in a 10,000-class profile shows.
        let half = (theme.px(1.5) / columns.max(1) as f64 * classes as f64).max(0.4);
        chart.draw_series(std::iter::once(Rectangle::new(
            [(x - half, y.floor()), (x + half, top)],
            theme.highlight.filled(),
        )))?;
        let note = theme.text_with(
            SELECTED_NOTE,
            &[
                ("class", &class.to_string()),
                ("n", &data.counts[class].to_string()),
            ],
        );
        let (xs, ys) = chart.plotting_area().get_pixel_range();
        let pad = theme.px(6.0) as i32;
        let style = theme.font(LABEL_PX).pos(Pos::new(HPos::Right, VPos::Top));
        area.draw(&Text::new(note, (xs.end - pad, ys.start + pad), style))?;
    }
    Ok(geometry)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::svg;
    use crate::i18n::Lang;

    fn render(chart: &EditorChart) -> (String, EditorGeometry) {
        let mut geometry = None;
        let s = svg::render((800, 500), |area| {
            geometry = Some(draw(area, chart, &Theme::light(1.0)).unwrap());
        });
        (s, geometry.unwrap())
    }

    fn chart(counts: Vec<u64>, log_y: bool) -> EditorChart {
        let top = counts.iter().copied().max().unwrap_or(1);
        EditorChart {
            counts,
            log_y,
            y_max: nice_y_max(top, log_y),
            selected: Some(3),
        }
    }

    #[test]
    fn nice_y_maxima() {
        assert_eq!(nice_y_max(5000, true), 10_000);
        assert_eq!(nice_y_max(10_000, true), 10_000);
        assert_eq!(nice_y_max(10_001, true), 100_000);
        assert_eq!(nice_y_max(0, true), 10);
        assert_eq!(nice_y_max(3, true), 10);
        assert_eq!(nice_y_max(u64::MAX, true), u64::MAX);
        assert_eq!(nice_y_max(5000, false), 6000);
        assert_eq!(nice_y_max(1000, false), 1200);
        assert_eq!(nice_y_max(1001, false), 1500);
        assert_eq!(nice_y_max(0, false), 10);
        assert_eq!(nice_y_max(37, false), 50);
        assert_eq!(nice_y_max(u64::MAX, false), u64::MAX);
        for n in [1, 7, 99, 12_345, 1_000_000] {
            assert!(nice_y_max(n, false) as f64 >= 1.2 * n as f64);
            assert!(nice_y_max(n, false) as f64 <= 1.6 * n as f64 + 10.0);
        }
    }

    #[test]
    fn geometry_round_trips_in_both_scales() {
        let counts = vec![5000, 2997, 1796, 1077, 645, 387, 232, 139, 83, 0];
        for log_y in [false, true] {
            let (_, g) = render(&chart(counts.clone(), log_y));
            let (x0, y0, x1, y1) = g.plot;
            assert!(0.0 < x0 && x0 < x1 && x1 < 800.0);
            assert!(0.0 < y0 && y0 < y1 && y1 < 500.0);
            assert_eq!((g.classes, g.log_y), (10, log_y));
            assert_eq!(g.y_max, if log_y { 10_000 } else { 6000 });
            // On a log axis 1 is the bottom edge, which paints 0: the one count
            // that does not come back.
            let counts = (0..=g.y_max).step_by(7).chain([1, 2, 10, 999, g.y_max]);
            for c in counts.filter(|&c| !(log_y && c == 1)) {
                let back = g.count_at(g.y_of(c));
                assert_eq!(back, c, "log {log_y}: {c} -> {} -> {back}", g.y_of(c));
            }
            for class in 0..10 {
                assert_eq!(g.class_at(g.x_of(class)), class);
            }
            // Clamping at the edges and beyond.
            assert_eq!(g.class_at(x0 - 50.0), 0);
            assert_eq!(g.class_at(x1 + 50.0), 9);
            assert_eq!(g.class_at(f64::NAN), 0);
            assert_eq!(g.count_at(y1 + 10.0), 0);
            assert_eq!(g.count_at(y1), 0);
            assert_eq!(g.count_at(y0), g.y_max);
            assert_eq!(g.count_at(y0 - 10.0), g.y_max);
            assert_eq!(g.y_of(0), y1);
            assert_eq!(g.y_of(u64::MAX), y0);
        }
    }

    #[test]
    fn log_bottom_edge_is_one_and_below_it_zero() {
        let (_, g) = render(&chart(vec![10, 100, 1000, 1], true));
        let (_, _, _, y1) = g.plot;
        assert_eq!(g.y_of(1), y1);
        assert_eq!(g.count_at(y1 - 0.5), 1);
        assert_eq!(g.count_at(y1), 0);
        // Half way up a 1..1000 axis is about sqrt(1000).
        let (_, y0, _, _) = g.plot;
        assert_eq!(g.count_at((y0 + y1) / 2.0), 32);
    }

    #[test]
    fn bars_sit_where_the_geometry_says() {
        let counts = vec![5000, 2997, 1796, 1077, 645, 387, 232, 139, 83, 50];
        for log_y in [false, true] {
            let (s, g) = render(&chart(counts.clone(), log_y));
            svg::assert_texts(
                &s,
                &[
                    svg::en(TITLE),
                    svg::en(X_DESC),
                    svg::en(Y_DESC),
                    "class 3: 1077",
                ],
            );
            let bar = svg::hex(Theme::light(1.0).series(0));
            let bars: Vec<svg::Rect> = svg::filled_rects(&s)
                .into_iter()
                .filter(|r| r.fill == bar)
                .collect();
            assert_eq!(bars.len(), 10);
            for (class, r) in bars.iter().enumerate() {
                let centre = r.x + r.w / 2.0;
                assert_eq!(g.class_at(centre), class);
                assert!((centre - g.x_of(class)).abs() <= 1.5);
                assert!(
                    (r.y - g.y_of(counts[class])).abs() <= 1.5,
                    "{log_y} {class}"
                );
                assert!((r.y + r.h - g.plot.3).abs() <= 1.5);
            }
            // The selected class, in the highlight colour, over its bar.
            let hl = svg::hex(Theme::light(1.0).highlight);
            let sel: Vec<svg::Rect> = svg::filled_rects(&s)
                .into_iter()
                .filter(|r| r.fill == hl)
                .collect();
            assert_eq!(sel.len(), 1);
            assert_eq!(g.class_at(sel[0].x + sel[0].w / 2.0), 3);
        }
    }

    #[test]
    fn many_classes_draw_a_profile() {
        let counts: Vec<u64> = (0..10_000u64).map(|i| 10_000 / (i + 1)).collect();
        let mut c = chart(counts, true);
        c.selected = Some(9_999);
        let (s, g) = render(&c);
        assert!(s.len() < 300_000, "{}", s.len());
        assert_eq!(svg::polygons(&s).len(), 1);
        assert_eq!(g.classes, 10_000);
        assert_eq!(g.class_at(g.x_of(9_999)), 9_999);
        assert_eq!(g.class_at(g.x_of(4_321)), 4_321);
        let hl = svg::hex(Theme::light(1.0).highlight);
        let sel: Vec<svg::Rect> = svg::filled_rects(&s)
            .into_iter()
            .filter(|r| r.fill == hl)
            .collect();
        assert_eq!(sel.len(), 1);
        assert!(sel[0].w >= 2.0, "the selection shows: {:?}", sel[0]);
    }

    #[test]
    fn no_classes_still_draws() {
        let (s, g) = render(&EditorChart {
            counts: vec![],
            log_y: false,
            y_max: 0,
            selected: Some(0),
        });
        assert_eq!(g.classes, 1);
        assert_eq!(g.y_max, 1);
        assert_eq!(g.class_at(400.0), 0);
        svg::assert_texts(&s, &[svg::en(TITLE)]);
    }

    #[test]
    fn draws_its_words_in_the_themes_language() {
        let chart = EditorChart {
            selected: Some(3),
            ..chart(vec![5000, 2997, 1796, 1077, 645], false)
        };
        let s = svg::render((800, 400), |area| {
            draw(area, &chart, &Theme::light(1.0).in_lang(Lang::ZhCn)).unwrap();
        });
        svg::assert_texts(
            &s,
            &[
                "每个类别的样本数（拖动来绘制）",
                "类别",
                "训练样本数",
                "第 3 类：1077",
            ],
        );
    }
}
