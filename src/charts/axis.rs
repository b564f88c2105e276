//! Axes, linear or logarithmic, drawn on one plotters coordinate type.
//!
//! A log axis plots log10(v) on a linear scale and labels its ticks as powers
//! of ten. Keeping a single coordinate type for both lets every chart switch
//! scale with a flag, and lets the charts (and the editor's pointer mapping)
//! know exactly where a value lands. Values a log axis cannot show (zero, an
//! empty class's count or weight) map to `None`, so they draw nothing instead
//! of -infinity.

use std::ops::Range;

use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};

/// One axis: its two ends in plot coordinates (log10 of the data on a log
/// axis), its scale, and whether ticks must be whole numbers.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Axis {
    start: f64,
    end: f64,
    log: bool,
    integer: bool,
    /// Drawn from its high end at the origin (see [`Axis::top_down`]).
    reversed: bool,
}

/// For the key of a chart's kept frame (src/charts/frame.rs): equal axes hash alike.
impl std::hash::Hash for Axis {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        (self.start.to_bits(), self.end.to_bits()).hash(state);
        (self.log, self.integer, self.reversed).hash(state);
    }
}

impl Axis {
    /// A linear axis from `lo` to `hi` (widened by one around a single value).
    pub fn linear(lo: f64, hi: f64) -> Self {
        let (start, end) = ordered(lo, hi);
        Self {
            start,
            end,
            log: false,
            integer: false,
            reversed: false,
        }
    }

    /// A logarithmic axis from `lo` to `hi`, both > 0 (anything else becomes 1
    /// and 10; a single value is widened by a decade each way).
    pub fn log(lo: f64, hi: f64) -> Self {
        let lo = if lo.is_finite() && lo > 0.0 { lo } else { 1.0 };
        let hi = if hi.is_finite() && hi > 0.0 { hi } else { 10.0 };
        Self::log_plot(lo.log10(), hi.log10())
    }

    /// A log axis from 10^`start` to 10^`end`.
    fn log_plot(start: f64, end: f64) -> Self {
        let (start, end) = ordered(start, end);
        Self {
            start,
            end,
            log: true,
            integer: false,
            reversed: false,
        }
    }

    /// A log axis from the power of ten at or below `min` to the one at or
    /// above `max`, at least one decade: the natural frame for values spanning
    /// orders of magnitude. Non-positive or missing values are ignored.
    pub fn log_decades(min: f64, max: f64) -> Self {
        let lo = if min.is_finite() && min > 0.0 {
            min.log10().floor()
        } else {
            0.0
        };
        let hi = if max.is_finite() && max > 0.0 {
            max.log10().ceil()
        } else {
            lo + 1.0
        };
        Self::log_plot(lo, hi.max(lo + 1.0))
    }

    /// The class axis of a per-class chart: class i sits at x = i, and the
    /// axis runs from -0.5 to `classes` - 0.5, so each class owns a unit slot.
    pub fn classes(classes: usize) -> Self {
        let classes = classes.max(1) as f64;
        Self {
            start: -0.5,
            end: classes - 0.5,
            log: false,
            integer: true,
            reversed: false,
        }
    }

    /// The same axis drawn the other way round: as a y axis, its low end at
    /// the top (a matrix's rows, class 0 first, as a table reads).
    pub fn top_down(self) -> Self {
        Self {
            reversed: true,
            ..self
        }
    }

    /// Whether the axis is logarithmic.
    pub fn is_log(&self) -> bool {
        self.log
    }

    /// The data value at the low end.
    pub fn lo(&self) -> f64 {
        self.from_plot(self.start)
    }

    /// The data value at the high end.
    pub fn hi(&self) -> f64 {
        self.from_plot(self.end)
    }

    /// Where `v` lands on the plot: `v` itself, or log10(v) on a log axis;
    /// `None` if the axis cannot show it (NaN, or v <= 0 on a log axis).
    pub fn to_plot(&self, v: f64) -> Option<f64> {
        if v.is_nan() || (self.log && v <= 0.0) {
            None
        } else if self.log {
            Some(v.log10())
        } else {
            Some(v)
        }
    }

    /// [`Axis::to_plot`] with NaN for a value the axis cannot show.
    pub fn to_plot_or_nan(&self, v: f64) -> f64 {
        self.to_plot(v).unwrap_or(f64::NAN)
    }

    /// [`Axis::to_plot`], with values below the axis (zero on a log axis
    /// included) put on its low end: for the bottom edge of filled shapes.
    pub fn to_plot_clamped(&self, v: f64) -> f64 {
        let floor = self.floor();
        self.to_plot(v).map_or(floor, |t| t.max(floor))
    }

    /// The data value at plot coordinate `t`.
    pub fn from_plot(&self, t: f64) -> f64 {
        if self.log { 10f64.powf(t) } else { t }
    }

    /// The plot coordinate of the low end.
    pub fn floor(&self) -> f64 {
        self.plot_range().start
    }

    /// The plot coordinates of the two ends.
    pub fn plot_range(&self) -> Range<f64> {
        self.start..self.end
    }

    /// Major ticks in plot coordinates, about `max_ticks` at most: round
    /// numbers (1, 2, 2.5 or 5 times a power of ten) on a linear axis, powers
    /// of ten (every decade, or every second, ...) on a log one.
    pub fn ticks(&self, max_ticks: usize) -> Vec<f64> {
        let max_ticks = max_ticks.max(2);
        let Range { start, end } = self.plot_range();
        if self.log {
            let first = start.ceil() as i64;
            let last = end.floor() as i64;
            // n ticks span n - 1 steps.
            let span = (last - first).max(0) as usize;
            let step = span.div_ceil(max_ticks - 1).max(1) as i64;
            return (first..=last)
                .filter(|e| (e - first) % step == 0)
                .map(|e| e as f64)
                .collect();
        }
        let mut step = nice_step((end - start) / (max_ticks - 1) as f64);
        if self.integer {
            step = step.max(1.0).round();
        }
        let first = (start / step).ceil() as i64;
        let last = (end / step).floor() as i64;
        (first..=last).map(|k| k as f64 * step).collect()
    }

    /// Minor grid positions: 2..9 times each power of ten on a log axis of up
    /// to six decades, none otherwise.
    pub fn minor_ticks(&self) -> Vec<f64> {
        let Range { start, end } = self.plot_range();
        if !self.log || end - start > 6.0 {
            return Vec::new();
        }
        let mut out = Vec::new();
        for e in start.floor() as i64..=end.ceil() as i64 {
            for m in 2..10 {
                let t = (m as f64 * 10f64.powi(e as i32)).log10();
                if t > start && t < end {
                    out.push(t);
                }
            }
        }
        out
    }

    /// The label of the tick at plot coordinate `t`.
    pub fn label(&self, t: f64) -> String {
        if self.log {
            power_of_ten_label(t)
        } else {
            super::short_number(t)
        }
    }

    /// The plotters coordinate for this axis, with its major ticks as key
    /// points (grid lines and labels) and its minor ticks as light lines.
    pub(crate) fn coord(&self, max_ticks: usize) -> PlotCoord {
        // plotters maps `start` to the origin (the bottom of a y axis).
        let (start, end) = if self.reversed {
            (self.end, self.start)
        } else {
            (self.start, self.end)
        };
        PlotCoord {
            start,
            end,
            ticks: self.ticks(max_ticks),
            minor: self.minor_ticks(),
        }
    }
}

/// The plotters coordinate of an [`Axis`]: plot coordinates mapped linearly
/// onto pixels (as plotters maps an f64 range), with the axis's own ticks.
#[derive(Clone, Debug)]
pub(crate) struct PlotCoord {
    start: f64,
    end: f64,
    ticks: Vec<f64>,
    minor: Vec<f64>,
}

impl Ranged for PlotCoord {
    // The labels come from Axis::label; this only satisfies the mesh's bounds.
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, v: &f64, limit: (i32, i32)) -> i32 {
        // plotters' own mapping of an f64 range (types/numeric.rs), so that
        // pixels land exactly where they would on a plain plotters chart.
        let pixels = limit.1 - limit.0;
        let f = (v - self.start) / (self.end - self.start);
        if pixels == 0 || !f.is_finite() {
            return if f < 0.0 { limit.0 } else { limit.1 };
        }
        if pixels > 0 {
            limit.0 + (pixels as f64 * f + 1e-3).floor() as i32
        } else {
            limit.0 + (pixels as f64 * f - 1e-3).ceil() as i32
        }
    }

    fn key_points<H: KeyPointHint>(&self, hint: H) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            self.minor.clone()
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> Range<f64> {
        self.start..self.end
    }
}

/// (lo, hi) in increasing order; a single value is widened by one each way.
fn ordered(lo: f64, hi: f64) -> (f64, f64) {
    let (lo, hi) = (lo.min(hi), lo.max(hi));
    if !(lo.is_finite() && hi.is_finite()) {
        (0.0, 1.0)
    } else if lo == hi {
        (lo - 1.0, hi + 1.0)
    } else {
        (lo, hi)
    }
}

/// The smallest of 1, 2, 2.5, 5 times a power of ten that is >= `raw`.
pub fn nice_step(raw: f64) -> f64 {
    if !(raw.is_finite() && raw > 0.0) {
        return 1.0;
    }
    let magnitude = 10f64.powf(raw.log10().floor());
    let m = raw / magnitude;
    let nice = [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .find(|&c| c >= m * (1.0 - 1e-9))
        .unwrap_or(10.0);
    nice * magnitude
}

/// A round number at or above `v`: 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times
/// a power of ten. An axis ending there ends on or near a tick.
pub fn nice_ceil(v: f64) -> f64 {
    if !(v.is_finite() && v > 0.0) {
        return 1.0;
    }
    let magnitude = 10f64.powf(v.log10().floor());
    let m = v / magnitude;
    let nice = [1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0]
        .into_iter()
        .find(|&c| c >= m * (1.0 - 1e-9))
        .unwrap_or(10.0);
    nice * magnitude
}

/// 10^e with the exponent in superscript (10⁰, 10³, 10⁻²), for every decade
/// of every log axis: one style on a whole axis and the whole site, as
/// matplotlib writes log axes (plain numbers up to 10000 and superscripts
/// beyond once mixed "10000" with "10⁵" on one axis).
fn power_of_ten_label(t: f64) -> String {
    let e = t.round() as i32;
    if (t - e as f64).abs() > 1e-9 {
        return super::short_number(10f64.powf(t));
    }
    let digits: String = e
        .to_string()
        .chars()
        .map(|c| match c {
            '-' => '⁻',
            d => "⁰¹²³⁴⁵⁶⁷⁸⁹"
                .chars()
                .nth(d.to_digit(10).expect("an exponent is digits") as usize)
                .expect("ten superscript digits"),
        })
        .collect();
    format!("10{digits}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linear_ticks_are_round() {
        let a = Axis::linear(0.0, 1000.0);
        assert_eq!(a.ticks(5), vec![0.0, 250.0, 500.0, 750.0, 1000.0]);
        assert_eq!(a.label(250.0), "250");
        let b = Axis::linear(0.0, 1.0);
        assert_eq!(
            b.ticks(6),
            vec![0.0, 0.2, 0.4, 0.6000000000000001, 0.8, 1.0]
        );
        assert_eq!(b.label(0.6000000000000001), "0.6");
        // A single value still gives an axis.
        let c = Axis::linear(3.0, 3.0);
        assert_eq!((c.lo(), c.hi()), (2.0, 4.0));
    }

    #[test]
    fn class_ticks_are_whole() {
        let a = Axis::classes(5);
        assert_eq!(a.plot_range(), -0.5..4.5);
        assert_eq!(a.ticks(20), vec![0.0, 1.0, 2.0, 3.0, 4.0]);
        let b = Axis::classes(10_000);
        let t = b.ticks(8);
        assert!(t.len() <= 9 && t.iter().all(|v| v.fract() == 0.0));
    }

    #[test]
    fn log_axis_maps_and_ticks_decades() {
        let a = Axis::log(1.0, 1e4);
        assert!(a.is_log());
        assert_eq!(a.to_plot(100.0), Some(2.0));
        assert_eq!(a.to_plot(0.0), None);
        assert!(a.to_plot_or_nan(-1.0).is_nan());
        assert_eq!(a.to_plot_clamped(0.0), 0.0);
        assert_eq!(a.from_plot(3.0), 1000.0);
        assert_eq!(a.ticks(10), vec![0.0, 1.0, 2.0, 3.0, 4.0]);
        assert_eq!(a.ticks(3), vec![0.0, 2.0, 4.0]);
        assert_eq!(a.ticks(2), vec![0.0, 4.0]);
        assert_eq!(a.minor_ticks().len(), 4 * 8);
        let labels: Vec<String> = a.ticks(10).iter().map(|&t| a.label(t)).collect();
        assert_eq!(labels, ["10⁰", "10¹", "10²", "10³", "10⁴"]);
        assert_eq!(a.label(6.0), "10⁶");
        assert_eq!(a.label(-4.0), "10⁻⁴");
        assert_eq!(a.label(-1.0), "10⁻¹");
        assert_eq!(a.label(10.0), "10¹⁰");
    }

    #[test]
    fn log_decades_cover_the_values() {
        let a = Axis::log_decades(0.18, 3.7);
        assert_eq!(a.plot_range(), -1.0..1.0);
        let b = Axis::log_decades(1.0, 1.0);
        assert_eq!(b.plot_range(), 0.0..1.0);
        let c = Axis::log_decades(0.0, f64::NAN);
        assert_eq!(c.plot_range(), 0.0..1.0);
    }

    #[test]
    fn nice_numbers() {
        assert_eq!(nice_step(0.3), 0.5);
        assert_eq!(nice_step(7.0), 10.0);
        assert_eq!(nice_step(2.2), 2.5);
        assert_eq!(nice_ceil(6000.0), 6000.0);
        assert_eq!(nice_ceil(6001.0), 8000.0);
        assert_eq!(nice_ceil(1.1), 1.2);
        assert_eq!(nice_ceil(0.0), 1.0);
    }
}
