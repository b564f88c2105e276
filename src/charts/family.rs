//! A family of curves, one per value of a parameter (beta in [`effective`]
//! and [`cb_term`], gamma in [`focal`]), with the reader's value highlighted:
//! added when it is not among the family's values, labelled ", yours" in the
//! legend and drawn last, on top of the others.
//!
//! [`effective`]: super::effective
//! [`cb_term`]: super::cb_term
//! [`focal`]: super::focal

use plotters::prelude::*;

use super::ChartBackend;

use super::frame::{Key, Plane};
use super::series::{draw_lines, split_gaps};
use super::{DrawResult, Theme};
use crate::balance::effective_number::Beta;

/// One curve of a family over beta: its beta, whether it is the reader's,
/// and its points (n, value at n).
#[derive(Clone, Debug, PartialEq)]
pub struct BetaCurve {
    /// beta of the curve.
    pub beta: Beta,
    /// Whether it is the reader's beta.
    pub current: bool,
    /// (n, value) on the chart's samples of n.
    pub points: Vec<(f64, f64)>,
}

/// A curve of a family: it knows whether it is the reader's.
pub(crate) trait Member {
    /// Whether it is the reader's value, highlighted and drawn on top.
    fn is_current(&self) -> bool;
}

impl Member for BetaCurve {
    fn is_current(&self) -> bool {
        self.current
    }
}

/// The family's `values`, then `current` when none of them is `same` as
/// it; each paired with whether it is `same` as `current`.
pub(crate) fn with_current<P: Copy>(
    values: &[P],
    current: P,
    same: impl Fn(P, P) -> bool,
) -> Vec<(P, bool)> {
    let mut values = values.to_vec();
    if !values.iter().any(|&v| same(v, current)) {
        values.push(current);
    }
    values.into_iter().map(|v| (v, same(v, current))).collect()
}

/// One [`BetaCurve`] per beta of [`with_current`]`(betas, current)`, with
/// the points (n, `value(n, beta)`) for each n of `samples`.
pub(crate) fn beta_curves(
    betas: &[Beta],
    current: Beta,
    samples: &[f64],
    value: impl Fn(f64, Beta) -> f64,
) -> Vec<BetaCurve> {
    with_current(betas, current, |a, b| a == b)
        .into_iter()
        .map(|(beta, current)| BetaCurve {
            beta,
            current,
            points: samples.iter().map(|&n| (n, value(n, beta))).collect(),
        })
        .collect()
}

/// `label`, marked as the reader's (theme key `chart.yours`) when `current`.
pub(crate) fn yours(theme: &Theme, label: String, current: bool) -> String {
    if current {
        theme.text_with("chart.yours", &[("label", &label)])
    } else {
        label
    }
}

/// The legend entries of `curves`, in order: each `label`led (marked as the
/// reader's on the current one) in the style [`Theme::curve`] gives it.
pub(crate) fn keys<C: Member>(
    theme: &Theme,
    curves: &[C],
    label: impl Fn(&C) -> String,
) -> Vec<Key> {
    curves
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let (colour, width) = theme.curve(i, c.is_current());
            Key::line(yours(theme, label(c), c.is_current()), &colour, width)
        })
        .collect()
}

/// `items` with their indices, those `on_top` last (each part in the given
/// order): the drawing order that puts the highlighted series on top.
pub(crate) fn on_top_last<T>(
    items: &[T],
    on_top: impl Fn(&T) -> bool,
) -> impl Iterator<Item = (usize, &T)> {
    let (top, rest): (Vec<_>, Vec<_>) = items.iter().enumerate().partition(|(_, t)| on_top(t));
    rest.into_iter().chain(top)
}

/// Draws each curve through its `points` (in plot coordinates; NaN makes a
/// gap) in the style [`Theme::curve`] gives it, the current one last, on top.
pub(crate) fn draw<'a, DB: ChartBackend, C: Member, I>(
    chart: &mut ChartContext<'_, DB, Plane>,
    theme: &Theme,
    curves: &'a [C],
    points: impl Fn(&'a C) -> I,
) -> DrawResult<(), DB>
where
    I: IntoIterator<Item = (f64, f64)>,
{
    for (i, c) in on_top_last(curves, C::is_current) {
        let (colour, width) = theme.curve(i, c.is_current());
        let lines = split_gaps(points(c));
        draw_lines(
            chart,
            theme,
            lines,
            colour.stroke_width(theme.stroke(width)),
            width,
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_current_value_is_added_once_and_flagged() {
        let same = |a: i32, b: i32| a == b;
        assert_eq!(
            with_current(&[1, 2, 3], 5, same),
            [(1, false), (2, false), (3, false), (5, true)]
        );
        assert_eq!(
            with_current(&[1, 2, 3], 2, same),
            [(1, false), (2, true), (3, false)]
        );
        assert_eq!(with_current(&[], 2, same), [(2, true)]);
        // Near enough counts as the same.
        let near = |a: f64, b: f64| (a - b).abs() <= 1e-12;
        assert_eq!(
            with_current(&[0.0, 1.0], 1.0 + 1e-13, near),
            [(0.0, false), (1.0, true)]
        );
    }

    #[test]
    fn beta_curves_sample_their_value() {
        let beta = |b| Beta::new(b).unwrap();
        let curves = beta_curves(&[beta(0.0), beta(0.9)], beta(0.5), &[1.0, 2.0], |n, b| {
            n * b.value()
        });
        assert_eq!(curves.len(), 3);
        assert_eq!(curves[2].beta, beta(0.5));
        assert!(curves[2].current && !curves[0].current && !curves[1].current);
        assert_eq!(curves[1].points, [(1.0, 0.9), (2.0, 1.8)]);
    }

    #[test]
    fn the_current_one_is_marked_yours_and_drawn_last() {
        let theme = Theme::light(1.0);
        assert_eq!(yours(&theme, "β = 0.9".into(), true), "β = 0.9, yours");
        assert_eq!(yours(&theme, "β = 0.9".into(), false), "β = 0.9");
        let order: Vec<usize> = on_top_last(&[false, true, false, true], |&t| t)
            .map(|(i, _)| i)
            .collect();
        assert_eq!(order, [0, 2, 1, 3]);
    }
}
