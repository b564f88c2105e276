//! The effective number of samples (Cui et al. 2019, section 3):
//! E_n = (1 - beta^n) / (1 - beta), with beta = (N - 1) / N for a class whose
//! feature space holds N unique prototypes.
//!
//! Computed as E_n = -expm1(n * ln1p(-(1 - beta))) / (1 - beta), carrying
//! 1 - beta itself, so that beta = 0.99999999 and n = 10^12 keep full precision.

use std::fmt;

use crate::i18n::Message;

/// The hyper-parameter beta in [0, 1), stored as 1 - beta so that values close
/// to 1 lose nothing.
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd)]
pub struct Beta {
    one_minus: f64,
}

/// Why a value cannot be a beta.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum BetaError {
    /// beta must be a finite number with 0 <= beta < 1.
    OutOfRange(f64),
    /// 1 - beta must be a finite number with 0 < 1 - beta <= 1.
    OneMinusOutOfRange(f64),
}

impl BetaError {
    /// What went wrong, for people in any language.
    pub fn message(&self) -> Message {
        match self {
            Self::OutOfRange(b) => Message::new("error.beta.out_of_range").with("got", b),
            Self::OneMinusOutOfRange(e) => {
                Message::new("error.beta.one_minus_out_of_range").with("got", e)
            }
        }
    }
}

/// In English, from the translation files.
impl fmt::Display for BetaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.message().fmt(f)
    }
}

impl std::error::Error for BetaError {}

impl Beta {
    /// beta = 0: every class counts as one prototype, so no re-weighting.
    pub const ZERO: Beta = Beta { one_minus: 1.0 };

    /// beta from its value; 1 - beta is then computed exactly (Sterbenz) for beta >= 0.5.
    pub fn new(beta: f64) -> Result<Self, BetaError> {
        if beta.is_finite() && (0.0..1.0).contains(&beta) {
            Ok(Self {
                one_minus: 1.0 - beta,
            })
        } else {
            Err(BetaError::OutOfRange(beta))
        }
    }

    /// beta from 1 - beta, the precise way to ask for beta = 0.99999999.
    pub fn from_one_minus(one_minus: f64) -> Result<Self, BetaError> {
        if one_minus.is_finite() && one_minus > 0.0 && one_minus <= 1.0 {
            Ok(Self { one_minus })
        } else {
            Err(BetaError::OneMinusOutOfRange(one_minus))
        }
    }

    /// beta = (N - 1) / N from the number of unique prototypes N >= 1.
    pub fn from_prototypes(n: f64) -> Result<Self, BetaError> {
        Self::from_one_minus(1.0 / n)
    }

    /// The value of beta (rounded to f64; use [`Beta::one_minus`] for precision).
    pub fn value(self) -> f64 {
        1.0 - self.one_minus
    }

    /// 1 - beta, exactly as given.
    pub fn one_minus(self) -> f64 {
        self.one_minus
    }

    /// N = 1 / (1 - beta), the number of unique prototypes, which E_n approaches.
    pub fn prototypes(self) -> f64 {
        1.0 / self.one_minus
    }
}

/// beta as people write it: 0.999 when that decimal is short and exact, else
/// 1 - 1e-12 (carrying 1 - beta, which is the precise part).
impl fmt::Display for Beta {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The fewest decimals that give back 1 - beta: below beta = 0.5 the
        // value itself (1 - one_minus) carries rounding noise, 0.011 as
        // 0.011000000000000009.
        // (Rounded by arithmetic, not `{:.N}`: exact float formatting would
        // add its own code to the page's first load.)
        let value = self.value();
        for decimals in 0..=10 {
            let scale = 10f64.powi(decimals);
            // An integer over a power of ten is the double nearest the decimal,
            // which `{}` then writes with those digits.
            let rounded = (value * scale).round() / scale;
            if 1.0 - rounded == self.one_minus {
                return write!(f, "{rounded}");
            }
        }
        write!(f, "1 - {:e}", self.one_minus)
    }
}

/// E_n = (1 - beta^n) / (1 - beta) for a class with `n` samples.
///
/// E_0 = 0, E_1 = 1, E_n = 1 for beta = 0, and E_n -> n as beta -> 1.
/// Finite for every n >= 0 (it never exceeds 1 / (1 - beta) or n).
pub fn effective_number(n: f64, beta: Beta) -> f64 {
    effective_number_at(beta)(n)
}

/// [`effective_number`] as a function of n at one beta, for many classes:
/// ln(beta) is taken once.
pub fn effective_number_at(beta: Beta) -> impl Fn(f64) -> f64 {
    let e = beta.one_minus;
    let log_beta = (-e).ln_1p();
    move |n| {
        debug_assert!(n >= 0.0, "sample counts are never negative");
        if n == 0.0 {
            return 0.0;
        }
        if e == 1.0 {
            return 1.0;
        }
        // ln(beta^n) = n ln(1 - e); 1 - beta^n = -expm1(that).
        -(n * log_beta).exp_m1() / e
    }
}

/// Effective numbers of every class from its count.
pub fn effective_numbers(counts: &[u64], beta: Beta) -> Vec<f64> {
    let effective = effective_number_at(beta);
    counts.iter().map(|&n| effective(n as f64)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use astro_float::{BigFloat, Consts, RoundingMode};

    const RM: RoundingMode = RoundingMode::ToEven;
    const PREC: usize = 256;

    /// E_n = (1 - (1 - e)^n) / e in 256-bit arithmetic, the high-precision reference.
    fn effective_number_reference(n: f64, one_minus: f64) -> f64 {
        let mut cc = Consts::new().expect("constants cache");
        let e = BigFloat::from_f64(one_minus, PREC);
        let one = BigFloat::from_f64(1.0, PREC);
        let beta = one.sub(&e, PREC, RM);
        let log_beta = beta.ln(PREC, RM, &mut cc);
        let beta_n = log_beta
            .mul(&BigFloat::from_f64(n, PREC), PREC, RM)
            .exp(PREC, RM, &mut cc);
        let value = one.sub(&beta_n, PREC, RM).div(&e, PREC, RM);
        value
            .to_string()
            .parse()
            .expect("astro-float prints a decimal number")
    }

    fn rel_err(a: f64, b: f64) -> f64 {
        if b == 0.0 {
            a.abs()
        } else {
            ((a - b) / b).abs()
        }
    }

    #[test]
    fn closed_forms() {
        let b = Beta::new(0.9).unwrap();
        assert_eq!(effective_number(0.0, b), 0.0);
        assert!((effective_number(1.0, b) - 1.0).abs() < 1e-15);
        assert!((effective_number(2.0, b) - 1.9).abs() < 1e-14);
        for n in [1.0, 2.0, 1e3, 1e12] {
            assert_eq!(effective_number(n, Beta::ZERO), 1.0);
        }
        // Saturation at N = 1 / (1 - beta).
        let e = effective_number(1e6, b);
        assert!((e - b.prototypes()).abs() < 1e-12);
    }

    #[test]
    fn display() {
        assert_eq!(Beta::new(0.999).unwrap().to_string(), "0.999");
        assert_eq!(Beta::ZERO.to_string(), "0");
        // Below 0.5, 1 - (1 - beta) is not beta's own double.
        assert_eq!(Beta::new(0.011).unwrap().to_string(), "0.011");
        assert_eq!(Beta::new(0.3).unwrap().to_string(), "0.3");
        assert_eq!(Beta::new(0.99999999).unwrap().to_string(), "0.99999999");
        assert_eq!(
            Beta::from_one_minus(1e-12).unwrap().to_string(),
            "1 - 1e-12"
        );
    }

    #[test]
    fn beta_near_one_approaches_n() {
        let b = Beta::from_one_minus(1e-12).unwrap();
        let e = effective_number(1000.0, b);
        assert!(rel_err(e, 1000.0) < 1e-8);
    }

    #[test]
    fn rejects_out_of_range_beta() {
        for bad in [-0.1, 1.0, 1.5, f64::NAN, f64::INFINITY] {
            assert!(Beta::new(bad).is_err(), "{bad}");
        }
        for bad in [0.0, -1e-9, 1.5, f64::NAN] {
            assert!(Beta::from_one_minus(bad).is_err(), "{bad}");
        }
        assert!(Beta::from_prototypes(0.5).is_err());
        assert_eq!(Beta::from_prototypes(1.0).unwrap(), Beta::ZERO);
    }

    #[test]
    fn matches_high_precision_reference_on_a_grid() {
        for &one_minus in &[1.0, 0.5, 0.1, 1e-2, 1e-3, 1e-4, 1e-6, 1e-8, 1e-10, 1e-12] {
            for &n in &[1.0, 2.0, 3.0, 10.0, 1e3, 1e6, 1e9, 1e12] {
                let b = Beta::from_one_minus(one_minus).unwrap();
                let got = effective_number(n, b);
                let want = effective_number_reference(n, one_minus);
                assert!(
                    rel_err(got, want) <= 1e-12,
                    "1-beta {one_minus} n {n}: {got} vs {want}"
                );
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn relative_error_below_1e12(
            log_one_minus in -12.0f64..0.0,
            log_n in 0.0f64..12.0,
        ) {
            let one_minus = 10f64.powf(log_one_minus);
            let n = 10f64.powf(log_n).round();
            let got = effective_number(n, Beta::from_one_minus(one_minus).unwrap());
            let want = effective_number_reference(n, one_minus);
            proptest::prop_assert!(got.is_finite());
            proptest::prop_assert!(rel_err(got, want) <= 1e-12, "{} vs {}", got, want);
        }

        #[test]
        fn bounded_by_n_and_prototypes(beta in 0.0f64..1.0, n in 0u64..1_000_000_000_000) {
            let b = Beta::new(beta).unwrap();
            let e = effective_number(n as f64, b);
            proptest::prop_assert!(e.is_finite() && e >= 0.0);
            proptest::prop_assert!(e <= (n as f64) * (1.0 + 1e-12));
            proptest::prop_assert!(e <= b.prototypes() * (1.0 + 1e-12));
        }

        #[test]
        fn increases_with_n(beta in 0.0f64..0.999_999, n in 1u64..1_000_000) {
            let b = Beta::new(beta).unwrap();
            let a = effective_number(n as f64, b);
            let c = effective_number((n + 1) as f64, b);
            proptest::prop_assert!(c >= a);
        }
    }
}
