//! The frame every chart shares: title, axes with their labels, grid and
//! legend, all sized in CSS pixels times the theme's scale.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::axis::{Axis, PlotCoord};
use plotters::element::{Drawable, PointCollection};
use plotters_backend::{BackendCoord, DrawingErrorKind};

use super::{ChartBackend, DrawResult, LABEL_PX, Region, Theme, text_ems};

/// The coordinates of every chart: plot coordinates on both axes (log10 of
/// the data on a log axis, see [`Axis`]).
pub(crate) type Plane = Cartesian2d<PlotCoord, PlotCoord>;

/// What a chart's frame shows.
pub(crate) struct Frame<'t> {
    /// The title above the plot.
    pub title: &'t str,
    /// The horizontal axis.
    pub x: Axis,
    /// The vertical axis.
    pub y: Axis,
    /// What the horizontal axis measures, in words from longest to
    /// shortest: the first that fits the plot's width is drawn.
    pub x_desc: &'t [&'t str],
    /// What the vertical axis measures, longest first: the first that fits
    /// the plot's height is drawn.
    pub y_desc: &'t [&'t str],
}

/// Roughly how wide `text` is as a label, in device pixels.
fn label_width(theme: &Theme, text: &str) -> f64 {
    theme.px(LABEL_PX * text_ems(text))
}

/// One legend entry: a swatch in the series' style and its label.
#[derive(Clone, Debug)]
pub(crate) struct Key {
    /// The label.
    pub label: String,
    /// The series' colour.
    pub style: ShapeStyle,
    /// The swatch's height in CSS pixels: the line width, so that a thick
    /// highlighted line reads as such (about 10 for a filled series).
    pub thickness: f64,
}

impl Key {
    /// An entry for a line of `width_css` CSS pixels in `colour`.
    pub fn line<C: Color>(label: impl Into<String>, colour: &C, width_css: f64) -> Self {
        Self {
            label: label.into(),
            style: colour.filled(),
            thickness: width_css,
        }
    }
}

/// Which corner of the plot an inside legend takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Corner {
    /// Top left.
    UpperLeft,
    /// Top right.
    UpperRight,
    /// Bottom left.
    LowerLeft,
    /// Bottom right.
    LowerRight,
    /// Never inside: in rows under the title (for plots with no free corner).
    Outside,
}

impl Corner {
    /// This corner, then the one at the same height on the other side, then
    /// the two at the other height (this side first).
    fn and_alternatives(self) -> [Corner; 4] {
        use Corner::*;
        match self {
            UpperLeft | Outside => [UpperLeft, UpperRight, LowerLeft, LowerRight],
            UpperRight => [UpperRight, UpperLeft, LowerRight, LowerLeft],
            LowerLeft => [LowerLeft, LowerRight, UpperLeft, UpperRight],
            LowerRight => [LowerRight, LowerLeft, UpperRight, UpperLeft],
        }
    }
}

/// Sizes of a legend, in device pixels.
struct KeyLayout {
    /// Height of one row.
    row: f64,
    /// Swatch length.
    swatch: f64,
    /// Between swatch and label, and around the box.
    gap: f64,
    /// Each label's width.
    widths: Vec<f64>,
}

impl KeyLayout {
    fn new<DB: ChartBackend>(
        area: &DrawingArea<DB, Shift>,
        theme: &Theme,
        keys: &[Key],
    ) -> DrawResult<Self, DB> {
        let font = theme.label_font();
        let widths = keys
            .iter()
            .map(|k| Ok(area.estimate_text_size(&k.label, &font)?.0 as f64))
            .collect::<DrawResult<Vec<f64>, DB>>()?;
        Ok(Self {
            row: theme.px(LABEL_PX * 1.45),
            swatch: theme.px(18.0),
            gap: theme.px(6.0),
            widths,
        })
    }

    /// Width and height of the legend as a box of one entry per row.
    fn boxed(&self) -> (f64, f64) {
        let widest = self.widths.iter().copied().fold(0.0, f64::max);
        (
            widest + self.swatch + 3.0 * self.gap,
            self.widths.len() as f64 * self.row + 2.0 * self.gap,
        )
    }

    /// Width of one entry in a strip: swatch, label and the space after it.
    fn entry(&self, i: usize) -> f64 {
        self.swatch + self.gap + self.widths[i] + 2.5 * self.gap
    }

    /// The entries of each row of a strip `width` wide.
    fn rows(&self, width: f64) -> Vec<Vec<usize>> {
        let mut rows: Vec<Vec<usize>> = Vec::new();
        let mut used = f64::INFINITY;
        for i in 0..self.widths.len() {
            let w = self.entry(i);
            if used + w > width {
                rows.push(Vec::new());
                used = 0.0;
            }
            rows.last_mut().expect("a row was just pushed").push(i);
            used += w;
        }
        rows
    }
}

/// Draws one entry with its swatch starting at `x`, centred on row `y`.
fn draw_entry<DB: ChartBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    layout: &KeyLayout,
    key: &Key,
    (x, y): (f64, f64),
) -> DrawResult<(), DB> {
    let half = (theme.px(key.thickness) / 2.0).round().max(1.0) as i32;
    let (xi, yi) = (x.round() as i32, y.round() as i32);
    area.draw(&Rectangle::new(
        [
            (xi, yi - half),
            (xi + layout.swatch.round() as i32, yi + half),
        ],
        ShapeStyle {
            filled: true,
            ..key.style
        },
    ))?;
    let font = theme.label_font().pos(Pos::new(HPos::Left, VPos::Center));
    let at = ((x + layout.swatch + layout.gap).round() as i32, yi);
    area.draw(&Text::new(key.label.clone(), at, font))
}

/// Draws `keys` as centred rows across `area`'s width from `top` (only sizes
/// them when not `drawn`); returns the height taken.
fn draw_strip<DB: ChartBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    keys: &[Key],
    top: f64,
    drawn: bool,
) -> DrawResult<f64, DB> {
    if keys.is_empty() {
        return Ok(0.0);
    }
    let layout = KeyLayout::new(area, theme, keys)?;
    let width = area.dim_in_pixel().0 as f64;
    let rows = layout.rows(width - 2.0 * layout.gap);
    for (r, row) in rows.iter().enumerate().filter(|_| drawn) {
        let used: f64 = row.iter().map(|&i| layout.entry(i)).sum::<f64>() - 2.5 * layout.gap;
        let mut x = ((width - used) / 2.0).max(0.0);
        let y = top + (r as f64 + 0.5) * layout.row;
        for &i in row {
            draw_entry(area, theme, &layout, &keys[i], (x, y))?;
            x += layout.entry(i);
        }
    }
    Ok(rows.len() as f64 * layout.row + layout.gap)
}

/// Draws a title centred at the top of `area`, shrunk to fit its width
/// (only sized when not `drawn`); returns the height taken.
fn draw_title<DB: ChartBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    title: &str,
    top: f64,
    drawn: bool,
) -> DrawResult<f64, DB> {
    let w = area.dim_in_pixel().0 as f64;
    let font = theme
        .title_font_fitting(title, w - theme.px(16.0))
        .pos(Pos::new(HPos::Center, VPos::Top));
    let size = font.font.get_size();
    if drawn {
        area.draw(&Text::new(
            title.to_string(),
            ((w / 2.0).round() as i32, top.round() as i32),
            font,
        ))?;
    }
    Ok(size * 1.3)
}

/// Draws a figure title with `keys` as a legend strip under it, and returns
/// the area left below: for figures of several panels sharing one legend.
pub(crate) fn header<DB: ChartBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    title: &str,
    keys: &[Key],
) -> DrawResult<DrawingArea<DB, Shift>, DB> {
    let top = theme.px(8.0);
    let title_h = draw_title(area, theme, title, top, true)?;
    let strip_h = draw_strip(area, theme, keys, top + title_h, true)?;
    let used = (top + title_h + strip_h + theme.px(4.0)).round() as u32;
    let (w, h) = area.dim_in_pixel();
    Ok(area.clone().shrink((0, used), (w, h.saturating_sub(used))))
}

/// A chart with its frame drawn, ready for series.
pub(crate) struct Framed<'a, DB: ChartBackend> {
    /// Draw the series here.
    pub chart: ChartContext<'a, DB, Plane>,
    /// The legend still to draw over the series, when it goes inside the
    /// plot, with its sizes (measured once: its labels can change each step of a drag).
    inside: Option<(Vec<Key>, Corner, KeyLayout)>,
}

impl<DB: ChartBackend> Framed<'_, DB> {
    /// A short note in the middle of the plot, for a chart that has nothing
    /// to show yet (its frame and axes are already drawn).
    pub fn note(&self, theme: &Theme, text: &str) -> DrawResult<(), DB> {
        let plot = self.chart.plotting_area().strip_coord_spec();
        let (pw, ph) = plot.dim_in_pixel();
        let style = theme
            .label_font()
            .color(&theme.muted)
            .pos(Pos::new(HPos::Center, VPos::Center));
        plot.draw(&Text::new(
            text.to_owned(),
            ((pw / 2) as i32, (ph / 2) as i32),
            style,
        ))
    }

    /// Draws the legend over the series, when it goes inside the plot: call
    /// it after the series.
    pub fn finish(self, theme: &Theme) -> DrawResult<(), DB> {
        self.finish_clear_of(theme, &[])
    }

    /// [`Framed::finish`] for a class-by-class chart whose curves can run
    /// through any corner: `envelope[i]` is the lowest and the highest value
    /// plotted for class i (at x = i, plot coordinates, NaN where nothing is
    /// drawn). The legend takes the corner given to [`build`] if its box
    /// covers none of the envelope, else the first corner that does (the
    /// other side, then the other height), else the one that covers least.
    /// Only the corner changes, never the plot's size: a drag that moves
    /// the curves moves the legend, not the axes.
    pub fn finish_clear_of(self, theme: &Theme, envelope: &[(f64, f64)]) -> DrawResult<(), DB> {
        let Some((keys, corner, layout)) = &self.inside else {
            return Ok(());
        };
        let plot = self.chart.plotting_area().strip_coord_spec();
        let (bw, bh) = layout.boxed();
        let (pw, ph) = plot.dim_in_pixel();
        let inset = theme.px(6.0);
        let origin = |corner: Corner| {
            let x = match corner {
                Corner::UpperLeft | Corner::LowerLeft => inset,
                // An `Outside` legend is never drawn inside; this arm only makes the match whole.
                Corner::UpperRight | Corner::LowerRight | Corner::Outside => pw as f64 - inset - bw,
            };
            let y = match corner {
                Corner::UpperLeft | Corner::UpperRight | Corner::Outside => inset,
                Corner::LowerLeft | Corner::LowerRight => ph as f64 - inset - bh,
            };
            (x, y)
        };
        let lines = self.envelope_in_pixels(envelope);
        let (x, y) = corner
            .and_alternatives()
            .into_iter()
            .map(origin)
            .enumerate()
            .min_by_key(|&(order, (x, y))| {
                let covered = lines.iter().filter(|line| line.crosses(x, y, bw, bh));
                (covered.count(), order)
            })
            .map(|(_, at)| at)
            .expect("four corners");
        let corners = [
            (x.round() as i32, y.round() as i32),
            ((x + bw).round() as i32, (y + bh).round() as i32),
        ];
        plot.draw(&Rectangle::new(
            corners,
            theme.background.mix(0.88).filled(),
        ))?;
        plot.draw(&Rectangle::new(
            corners,
            theme.grid.stroke_width(theme.stroke(1.0)),
        ))?;
        for (i, key) in keys.iter().enumerate() {
            let row_y = y + layout.gap + (i as f64 + 0.5) * layout.row;
            draw_entry(&plot, theme, layout, key, (x + layout.gap, row_y))?;
        }
        Ok(())
    }

    /// `envelope` (see [`Framed::finish_clear_of`]) as pieces between
    /// neighbouring classes, in pixels from the plot's top left corner.
    fn envelope_in_pixels(&self, envelope: &[(f64, f64)]) -> Vec<Band> {
        let (left, top) = self.chart.plotting_area().get_base_pixel();
        let pixel = |x: f64, v: f64| {
            let (px, py) = self.chart.backend_coord(&(x, v));
            (f64::from(px - left), f64::from(py - top))
        };
        let at: Vec<Option<Band>> = envelope
            .iter()
            .enumerate()
            .map(|(i, &(lo, hi))| {
                (lo.is_finite() && hi.is_finite()).then(|| {
                    let (x, low) = pixel(i as f64, lo);
                    let (_, high) = pixel(i as f64, hi);
                    // Pixel rows grow downwards: the highest value is the smallest row.
                    Band::point(x, high.min(low), high.max(low))
                })
            })
            .collect();
        let mut bands: Vec<Band> = at
            .windows(2)
            .filter_map(|pair| match pair {
                [Some(a), Some(b)] => Some(a.to(b)),
                _ => None,
            })
            .collect();
        // A class drawn alone (no drawn neighbour) is a point of its own.
        bands.extend(at.iter().enumerate().filter_map(|(i, band)| {
            let drawn = |j: Option<usize>| j.and_then(|j| at.get(j)).is_some_and(Option::is_some);
            (!drawn(i.checked_sub(1)) && !drawn(Some(i + 1)))
                .then_some(*band)
                .flatten()
        }));
        bands
    }
}

/// A piece of a chart's envelope in pixels: from column `x0` to `x1`, rows
/// `top0..=bottom0` at `x0` changing linearly to `top1..=bottom1` at `x1`.
#[derive(Clone, Copy, Debug)]
struct Band {
    x0: f64,
    x1: f64,
    top0: f64,
    bottom0: f64,
    top1: f64,
    bottom1: f64,
}

impl Band {
    /// One column.
    fn point(x: f64, top: f64, bottom: f64) -> Self {
        Self {
            x0: x,
            x1: x,
            top0: top,
            bottom0: bottom,
            top1: top,
            bottom1: bottom,
        }
    }

    /// From this column to `next`'s.
    fn to(&self, next: &Band) -> Self {
        Self {
            x1: next.x0,
            top1: next.top0,
            bottom1: next.bottom0,
            ..*self
        }
    }

    /// Whether the box `w` by `h` pixels from (`x`, `y`) covers part of it.
    fn crosses(&self, x: f64, y: f64, w: f64, h: f64) -> bool {
        let (from, to) = (self.x0.max(x), self.x1.min(x + w));
        if from > to {
            return false;
        }
        // Linear between the ends: its extremes over [from, to] are at the ends.
        let at = |c: f64| {
            let t = if self.x1 > self.x0 {
                (c - self.x0) / (self.x1 - self.x0)
            } else {
                0.0
            };
            (
                self.top0 + t * (self.top1 - self.top0),
                self.bottom0 + t * (self.bottom1 - self.bottom0),
            )
        };
        let ((top_a, bottom_a), (top_b, bottom_b)) = (at(from), at(to));
        top_a.min(top_b) <= y + h && bottom_a.max(bottom_b) >= y
    }
}

/// Draws the frame (background, title, legend strip if the legend does not fit inside,
/// grid, ticks, axis labels) on `area` and returns the chart to draw series
/// into. The legend goes in `corner` of the plot when it takes at most about
/// half the plot's width and height, else in rows under the title.
pub(crate) fn build<'a, 't, DB: ChartBackend>(
    area: &'a DrawingArea<DB, Shift>,
    theme: &Theme,
    frame: &Frame<'t>,
    keys: Vec<Key>,
    corner: Corner,
) -> DrawResult<Framed<'a, DB>, DB> {
    build_named(area, theme, frame, keys, corner, &[])
}

/// [`build`] for a class-by-class chart: `names[i]` labels class i at every
/// tick of the vertical axis, and of the horizontal one when all of them fit
/// side by side (else it keeps its numbers); empty: numbers on both.
pub(crate) fn build_named<'a, 't, DB: ChartBackend>(
    area: &'a DrawingArea<DB, Shift>,
    theme: &Theme,
    frame: &Frame<'t>,
    keys: Vec<Key>,
    corner: Corner,
    names: &[String],
) -> DrawResult<Framed<'a, DB>, DB> {
    // A tick's label: its class's name where there is one (and `named`).
    let label = |axis: &Axis, t: f64, named: bool| {
        let i = t.round();
        (named && i >= 0.0 && (t - i).abs() < 1e-9)
            .then(|| names.get(i as usize).cloned())
            .flatten()
            .unwrap_or_else(|| axis.label(t))
    };
    let longest = |axis: &Axis, ticks: &[f64], named: bool| {
        ticks
            .iter()
            .map(|&t| label(axis, t, named))
            .max_by(|a, b| text_ems(a).total_cmp(&text_ems(b)))
            .unwrap_or_else(|| "0".to_owned())
    };
    let (w, h) = area.dim_in_pixel();
    let (w, h) = (w as f64, h as f64);
    let margin = theme.px(8.0);
    // Tick labels, then the axis description under them.
    let x_area = theme.px(LABEL_PX * 2.6 + 12.0);
    let y_area_least = theme.px(LABEL_PX * 4.0);
    let title_h = draw_title(area, theme, frame.title, margin, false)?;

    // Inside the plot if the legend box leaves it mostly free.
    let layout = KeyLayout::new(area, theme, &keys)?;
    let (bw, bh) = layout.boxed();
    let plot_w = w - y_area_least - 3.0 * margin;
    let plot_h = h - title_h - x_area - 2.0 * margin;
    let inside = keys.is_empty()
        || (corner != Corner::Outside && bw <= 0.55 * plot_w && bh <= 0.55 * plot_h);
    // The frame as it was last drawn here, if nothing it shows has changed.
    let base = area.get_base_pixel();
    let region = (base.0, base.1, w as u32, h as u32);
    let key = frame_key(area, theme, frame, (!inside).then_some(&keys[..]), names);
    let restore = FrameOp::new(key, region, false);
    area.draw(&restore)?;
    let drawn = !restore.done.get();
    if drawn {
        // The background is part of the frame: a kept frame, opaque, covers
        // the last draw without a fill or a clear before it.
        area.fill(&theme.background)?;
        draw_title(area, theme, frame.title, margin, true)?;
    }
    let strip_h = if inside {
        0.0
    } else {
        draw_strip(area, theme, &keys, margin + title_h, drawn)?
    };
    let top = margin + title_h + strip_h;

    // The vertical ticks depend on the plot's height only; their labels then
    // set the width of the left label area, which sets the plot's width.
    let plot_h = (h - top - x_area - margin).max(theme.px(40.0));
    // A class axis of n classes spans n: n + 1 ticks at most make its step 1.
    let every_class = names.len() + 1;
    let y_count = if names.is_empty() {
        (plot_h / theme.px(40.0)).floor().clamp(3.0, 10.0) as usize
    } else {
        every_class
    };
    let y_ticks = frame.y.ticks(y_count);
    let y_area =
        label_width(theme, &longest(&frame.y, &y_ticks, true)) + theme.px(LABEL_PX * 1.3 + 18.0);
    let plot_w = (w - y_area - 3.0 * margin).max(theme.px(40.0));
    // Every name under its column, if they fit.
    let fits = |ticks: &[f64], named: bool| {
        ticks.len() as f64 * (label_width(theme, &longest(&frame.x, ticks, named)) + theme.px(16.0))
            <= plot_w
    };
    let x_named = !names.is_empty() && fits(&frame.x.ticks(every_class), true);
    // Fewer x ticks until their labels fit side by side with some air.
    // (Classes that keep their numbers show at least two of them: 0 and 5 of ten.)
    let least = if names.is_empty() { 2.0 } else { 3.0 };
    let mut x_count = if x_named {
        every_class
    } else {
        (plot_w / theme.px(60.0)).floor().clamp(least, 12.0) as usize
    };
    while x_count > 2 && !fits(&frame.x.ticks(x_count), x_named) {
        x_count -= 1;
    }

    // The longest description that fits along its axis, else the shortest.
    let fitting = |alternatives: &[&'t str], room: f64| -> &'t str {
        alternatives
            .iter()
            .find(|d| label_width(theme, d) <= room)
            .or(alternatives.last())
            .copied()
            .unwrap_or("")
    };
    let x_desc = fitting(frame.x_desc, plot_w);
    let y_desc = fitting(frame.y_desc, plot_h);

    // Room for the last x label, which may be centred on the right edge.
    let last_x_label = frame
        .x
        .ticks(x_count)
        .last()
        .map_or(0.0, |&t| label_width(theme, &label(&frame.x, t, x_named)));
    let right = (2.0 * margin).max(last_x_label / 2.0 + theme.px(2.0));
    let mut chart = ChartBuilder::on(area)
        .margin(margin)
        .margin_top(top + theme.px(4.0))
        .margin_right(right)
        .x_label_area_size(x_area)
        .y_label_area_size(y_area)
        .build_cartesian_2d(frame.x.coord(x_count), frame.y.coord(y_count))?;

    if drawn {
        draw_mesh(
            &mut chart,
            theme,
            (x_desc, y_desc),
            &|t| label(&frame.x, *t, x_named),
            &|t| label(&frame.y, *t, true),
        )?;
        area.draw(&FrameOp::new(key, region, true))?;
    }
    Ok(Framed {
        chart,
        inside: (inside && !keys.is_empty()).then_some((keys, corner, layout)),
    })
}

/// The grid, ticks, tick labels and axis descriptions.
fn draw_mesh<DB: ChartBackend>(
    chart: &mut ChartContext<'_, DB, Plane>,
    theme: &Theme,
    (x_desc, y_desc): (&str, &str),
    x_label: &dyn Fn(&f64) -> String,
    y_label: &dyn Fn(&f64) -> String,
) -> DrawResult<(), DB> {
    chart
        .configure_mesh()
        .x_desc(x_desc)
        .y_desc(y_desc)
        .label_style(theme.label_font())
        .axis_desc_style(theme.label_font())
        .x_label_formatter(x_label)
        .y_label_formatter(y_label)
        .bold_line_style(theme.grid.stroke_width(theme.stroke(1.0)))
        .light_line_style(theme.grid.mix(0.4).stroke_width(theme.stroke(1.0)))
        .axis_style(theme.muted.stroke_width(theme.stroke(1.0)))
        .set_all_tick_mark_size(theme.px(4.0))
        .draw()
}

/// What a frame's pixels depend on, hashed: where it is, the theme, the
/// title, axes and their words, the legend when it is drawn in the frame
/// (under the title, not inside the plot), and the classes' names.
fn frame_key<DB: ChartBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    frame: &Frame<'_>,
    strip: Option<&[Key]>,
    names: &[String],
) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::hash::DefaultHasher::new();
    (area.get_base_pixel(), area.dim_in_pixel(), theme).hash(&mut hasher);
    (frame.title, frame.x, frame.y, frame.x_desc, frame.y_desc).hash(&mut hasher);
    for key in strip.into_iter().flatten() {
        let colour = key.style.color;
        let (r, g, b) = colour.rgb();
        (&key.label, r, g, b, colour.alpha().to_bits()).hash(&mut hasher);
        (
            key.style.filled,
            key.style.stroke_width,
            key.thickness.to_bits(),
        )
            .hash(&mut hasher);
    }
    names.hash(&mut hasher);
    hasher.finish()
}

/// Asks the backend to put back (or keep) the frame `key` over `region`:
/// an element drawn on the area, the one way to reach its backend.
struct FrameOp {
    key: u64,
    region: Region,
    keep: bool,
    /// Whether the backend did it.
    done: std::cell::Cell<bool>,
}

impl FrameOp {
    fn new(key: u64, region: Region, keep: bool) -> Self {
        Self {
            key,
            region,
            keep,
            done: std::cell::Cell::new(false),
        }
    }
}

impl<'a> PointCollection<'a, BackendCoord> for &'a FrameOp {
    type Point = BackendCoord;
    type IntoIter = std::iter::Empty<BackendCoord>;

    fn point_iter(self) -> Self::IntoIter {
        std::iter::empty()
    }
}

impl<DB: ChartBackend> Drawable<DB> for FrameOp {
    fn draw<I: Iterator<Item = BackendCoord>>(
        &self,
        _points: I,
        backend: &mut DB,
        _parent: (u32, u32),
    ) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
        if self.keep {
            backend.keep_frame(self.key, self.region);
            self.done.set(true);
        } else {
            self.done.set(backend.restore_frame(self.key, self.region));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;

    use plotters::prelude::*;
    use plotters_backend::{
        BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind,
    };

    use crate::balance::effective_number::Beta;
    use crate::balance::weights::{Scheme, class_weights};
    use crate::charts::svg;
    use crate::charts::weights::{WeightCurve, WeightsChart, draw};
    use crate::charts::{ChartBackend, Region, Theme, overlap};
    use crate::data::profiles::preset_counts;

    /// What a canvas keeps between draws: the frame each region holds.
    #[derive(Default)]
    struct Kept {
        frames: RefCell<Vec<(Region, u64)>>,
        restored: RefCell<usize>,
    }

    /// An SVG backend that keeps frames as the page's canvas does.
    struct Keeping<'a> {
        svg: SVGBackend<'a>,
        kept: &'a Kept,
    }

    impl ChartBackend for Keeping<'_> {
        fn restore_frame(&mut self, key: u64, region: Region) -> bool {
            let hit = self.kept.frames.borrow().contains(&(region, key));
            *self.kept.restored.borrow_mut() += usize::from(hit);
            hit
        }

        fn keep_frame(&mut self, key: u64, region: Region) {
            let mut frames = self.kept.frames.borrow_mut();
            frames.retain(|(r, _)| !overlap(*r, region));
            frames.push((region, key));
        }
    }

    impl DrawingBackend for Keeping<'_> {
        type ErrorType = <SVGBackend<'static> as DrawingBackend>::ErrorType;

        fn get_size(&self) -> (u32, u32) {
            self.svg.get_size()
        }

        fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
            self.svg.ensure_prepared()
        }

        fn present(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
            self.svg.present()
        }

        fn draw_pixel(
            &mut self,
            point: BackendCoord,
            color: BackendColor,
        ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
            self.svg.draw_pixel(point, color)
        }

        fn draw_line<S: BackendStyle>(
            &mut self,
            from: BackendCoord,
            to: BackendCoord,
            style: &S,
        ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
            self.svg.draw_line(from, to, style)
        }

        fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
            &mut self,
            path: I,
            style: &S,
        ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
            self.svg.draw_path(path, style)
        }

        fn draw_rect<S: BackendStyle>(
            &mut self,
            upper_left: BackendCoord,
            bottom_right: BackendCoord,
            style: &S,
            fill: bool,
        ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
            self.svg.draw_rect(upper_left, bottom_right, style, fill)
        }

        fn draw_text<S: BackendTextStyle>(
            &mut self,
            text: &str,
            style: &S,
            pos: BackendCoord,
        ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
            self.svg.draw_text(text, style, pos)
        }
    }

    /// Inverse frequency and CB at `beta` on CIFAR-10-LT, as the first screen shows them.
    fn chart(beta: f64, log_y: bool) -> WeightsChart {
        let counts = preset_counts("cifar10-lt-100").unwrap();
        let beta = Beta::new(beta).unwrap();
        let curve = |label: &str, scheme, highlighted| WeightCurve {
            label: svg::label(label),
            weights: class_weights(&counts, scheme).unwrap().weights,
            highlighted,
        };
        WeightsChart {
            curves: vec![
                curve("inverse frequency", Scheme::Inverse, false),
                curve(
                    &format!("CB, β = {beta}"),
                    Scheme::ClassBalanced(beta),
                    true,
                ),
            ],
            log_y,
        }
    }

    /// The SVG of `chart` drawn over what `kept` holds, `size` large.
    fn drawn(kept: &Kept, chart: &WeightsChart, size: (u32, u32)) -> String {
        let mut out = String::new();
        {
            let backend = Keeping {
                svg: SVGBackend::with_string(&mut out, size),
                kept,
            };
            let area = backend.into_drawing_area();
            area.fill(&WHITE).unwrap();
            draw(&area, chart, &Theme::light(1.0)).unwrap();
            area.present().unwrap();
        }
        out
    }

    #[test]
    fn a_frame_kept_over_part_of_another_spoils_it() {
        // A focal chart's legend strip growing a row moves both panels down.
        assert!(overlap((0, 40, 300, 200), (0, 60, 300, 200)));
        assert!(overlap((0, 0, 10, 10), (9, 9, 1, 1)));
        // Side by side, or one above the other: no pixel shared.
        assert!(!overlap((0, 40, 300, 200), (300, 40, 300, 200)));
        assert!(!overlap((0, 0, 10, 10), (0, 10, 10, 10)));
        let kept = Kept::default();
        let mut out = String::new();
        let mut backend = Keeping {
            svg: SVGBackend::with_string(&mut out, (600, 300)),
            kept: &kept,
        };
        backend.keep_frame(1, (0, 40, 300, 200));
        backend.keep_frame(2, (300, 40, 300, 200));
        backend.keep_frame(3, (0, 60, 300, 200));
        assert_eq!(
            *kept.frames.borrow(),
            [((300, 40, 300, 200), 2), ((0, 60, 300, 200), 3)]
        );
        assert!(!backend.restore_frame(1, (0, 40, 300, 200)));
    }

    #[test]
    fn a_frame_that_did_not_change_is_put_back_not_drawn() {
        let kept = Kept::default();
        let first = drawn(&kept, &chart(0.999, false), (800, 500));
        assert_eq!(*kept.restored.borrow(), 0);
        assert_eq!(kept.frames.borrow().len(), 1, "the frame is kept");
        svg::assert_texts(&first, &[svg::en(super::super::weights::TITLE)]);

        // Another beta moves the CB curve and its legend, not the axes (the
        // inverse-frequency curve sets the height): the frame comes back.
        let second = drawn(&kept, &chart(0.99, false), (800, 500));
        assert_eq!(*kept.restored.borrow(), 1);
        let texts = svg::texts(&second);
        assert!(
            !texts
                .iter()
                .any(|t| t == svg::en(super::super::weights::TITLE)),
            "{texts:?}"
        );
        assert!(
            texts.iter().any(|t| t.contains("0.99")),
            "the legend is drawn: {texts:?}"
        );
        // What it left out is the frame's words: a whole draw has them and the same legend.
        let whole = svg::texts(&drawn(&Kept::default(), &chart(0.99, false), (800, 500)));
        assert!(
            texts.iter().all(|t| whole.contains(t)),
            "{texts:?} {whole:?}"
        );
        assert!(whole.len() >= texts.len() + 8, "{texts:?} {whole:?}");
        assert!(second.contains("<polyline"), "the series are drawn");

        // A new size, or a log axis: drawn again, then kept for the next beta.
        drawn(&kept, &chart(0.99, false), (640, 500));
        assert_eq!(*kept.restored.borrow(), 1);
        let log = drawn(&kept, &chart(0.999, true), (800, 500));
        assert_eq!(*kept.restored.borrow(), 1, "the vertical axis changed");
        svg::assert_texts(&log, &[svg::en(super::super::weights::TITLE)]);
        drawn(&kept, &chart(0.9, true), (800, 500));
        assert_eq!(*kept.restored.borrow(), 2);
    }
}
