//! The proof by induction of E_n = (1 - beta^n) / (1 - beta) (Cui et al.
//! 2019, section 3.1, Proposition 1), step by step for one beta:
//!
//! `E_1 = 1`, and the n-th sample is new with probability 1 - E_{n-1}/N, so
//! `E_n = E_{n-1} + (1 - E_{n-1}/N) = 1 + beta E_{n-1}`, with N = 1/(1 - beta).
//!
//! Each [`InductionRow`] holds one step of that recursion beside the closed
//! form from [`crate::balance::effective_number`]: the two agree to rounding.

use crate::balance::effective_number::{Beta, effective_number};

/// The most steps the lesson's stepper walks (a link's `induction_step` is 1 to this).
pub const MAX_STEPS: u32 = 12;

/// One step of the induction.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct InductionRow {
    /// The sample added, n >= 1.
    pub n: u32,
    /// E_{n-1}, the volume covered before it (0 for n = 1).
    pub previous: f64,
    /// E_{n-1} / N, the probability that the new sample lies in what is covered.
    pub overlap: f64,
    /// 1 - E_{n-1} / N, the new sample's expected new volume.
    pub added: f64,
    /// E_n = E_{n-1} + added, by the recursion.
    pub recursive: f64,
    /// (1 - beta^n) / (1 - beta), the closed form.
    pub closed: f64,
}

/// The first `steps` rows of the induction at `beta` (n = 1..=steps).
pub fn induction_rows(beta: Beta, steps: u32) -> Vec<InductionRow> {
    let one_minus = beta.one_minus();
    let mut previous = 0.0;
    (1..=steps)
        .map(|n| {
            // E_{n-1}/N = E_{n-1} (1 - beta), carried without forming N.
            let overlap = previous * one_minus;
            let added = 1.0 - overlap;
            let recursive = previous + added;
            let row = InductionRow {
                n,
                previous,
                overlap,
                added,
                recursive,
                closed: effective_number(n as f64, beta),
            };
            previous = recursive;
            row
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_recursion_equals_the_closed_form() {
        for b in [0.0, 0.5, 0.9, 0.99, 0.999, 0.9999] {
            let beta = Beta::new(b).unwrap();
            for row in induction_rows(beta, 200) {
                let scale = row.closed.max(1.0);
                assert!(
                    (row.recursive - row.closed).abs() <= 1e-12 * scale,
                    "beta {b}, n {}: {} vs {}",
                    row.n,
                    row.recursive,
                    row.closed
                );
            }
        }
    }

    #[test]
    fn the_base_case_and_the_pieces() {
        let beta = Beta::new(0.9).unwrap();
        let rows = induction_rows(beta, 3);
        // E_1 = 1: the first sample is all new.
        assert_eq!(rows[0].previous, 0.0);
        assert_eq!(rows[0].added, 1.0);
        assert_eq!(rows[0].recursive, 1.0);
        // n = 2: overlaps with probability 1/N = 0.1, so adds 0.9.
        assert!((rows[1].overlap - 0.1).abs() < 1e-15);
        assert!((rows[1].recursive - 1.9).abs() < 1e-15);
        for w in rows.windows(2) {
            assert_eq!(w[1].previous, w[0].recursive);
            assert!((w[1].recursive - (1.0 + 0.9 * w[0].recursive)).abs() < 1e-15);
        }
        // beta = 0 (N = 1): every later sample lies in the one prototype.
        let rows = induction_rows(Beta::ZERO, 5);
        assert!(rows.iter().all(|r| r.recursive == 1.0));
        assert!(rows[1..].iter().all(|r| r.added == 0.0));
    }
}
