//! Editing counts by hand: painting with a pointer drag and stepping with keys.

use crate::data::profiles::MAX_CLASS_SIZE;

/// Sets every class from `from.0` to `to.0` (inclusive, either order) to a
/// count on the straight line between the two points, drawn in the editor's
/// scale (log(1 + n) or n), so a fast drag across many classes paints them all.
pub fn paint(counts: &mut [u64], from: (usize, u64), to: (usize, u64), log_scale: bool) {
    let last = counts.len().saturating_sub(1);
    let (a, b) = ((from.0.min(last), from.1), (to.0.min(last), to.1));
    let (lo, hi) = if a.0 <= b.0 { (a, b) } else { (b, a) };
    let fwd = |n: u64| {
        if log_scale {
            (n as f64).ln_1p()
        } else {
            n as f64
        }
    };
    let inv = |v: f64| if log_scale { v.exp_m1() } else { v };
    let (y0, y1) = (fwd(lo.1), fwd(hi.1));
    for (i, count) in counts.iter_mut().enumerate().take(hi.0 + 1).skip(lo.0) {
        let t = if hi.0 == lo.0 {
            1.0
        } else {
            (i - lo.0) as f64 / (hi.0 - lo.0) as f64
        };
        let v = inv(y0 + t * (y1 - y0)).round();
        *count = (v.max(0.0) as u64).min(MAX_CLASS_SIZE);
    }
}

/// A key press on a focused bar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Nudge {
    /// Arrow up: a little more.
    Up,
    /// Arrow down: a little less.
    Down,
    /// Page up: ten times as many.
    PageUp,
    /// Page down: a tenth.
    PageDown,
}

/// The count after a key press: arrows move by 5 % (at least 1), pages by a factor of 10.
pub fn nudge(count: u64, key: Nudge) -> u64 {
    let step = (count / 20).max(1);
    let next = match key {
        Nudge::Up => count.saturating_add(step),
        Nudge::Down => count.saturating_sub(step),
        Nudge::PageUp => count.saturating_mul(10).max(1),
        Nudge::PageDown => count / 10,
    };
    next.min(MAX_CLASS_SIZE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn painting_a_range_in_either_direction() {
        let mut c = vec![0u64; 5];
        paint(&mut c, (0, 0), (4, 400), false);
        assert_eq!(c, [0, 100, 200, 300, 400]);
        let mut d = vec![0u64; 5];
        paint(&mut d, (4, 400), (0, 0), false);
        assert_eq!(c, d);
        let mut e = vec![7u64; 5];
        paint(&mut e, (2, 50), (2, 50), true);
        assert_eq!(e, [7, 7, 50, 7, 7]);
    }

    #[test]
    fn painting_in_log_scale_is_geometric() {
        let mut c = vec![0u64; 3];
        paint(&mut c, (0, 9), (2, 99_999), true);
        // log(1 + n) halfway between log 10 and log 100000 is log 1000.
        assert_eq!(c, [9, 999, 99_999]);
    }

    #[test]
    fn painting_clamps() {
        let mut c = vec![1u64; 3];
        paint(&mut c, (1, u64::MAX), (9, u64::MAX), false);
        assert_eq!(c, [1, MAX_CLASS_SIZE, MAX_CLASS_SIZE]);
    }

    #[test]
    fn nudges() {
        assert_eq!(nudge(100, Nudge::Up), 105);
        assert_eq!(nudge(10, Nudge::Up), 11);
        assert_eq!(nudge(0, Nudge::Down), 0);
        assert_eq!(nudge(0, Nudge::PageUp), 1);
        assert_eq!(nudge(5, Nudge::PageDown), 0);
        assert_eq!(nudge(MAX_CLASS_SIZE, Nudge::PageUp), MAX_CLASS_SIZE);
    }
}
