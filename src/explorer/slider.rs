//! The beta slider's scale, shared by the first screen's slider and the
//! explorer's: positions 0..=1600 span eight decades of 1 - beta, log-spaced,
//! since the interesting betas (0.9 to 0.9999) differ in their nines.

use crate::balance::effective_number::Beta;
use crate::explorer::state::MIN_ONE_MINUS_BETA;

/// Slider positions: 0 is beta = 0, the last is 1 - beta = 1e-8.
pub const SLIDER_STEPS: f64 = 1600.0;
/// Decades of 1 - beta the slider spans.
pub const DECADES: f64 = 8.0;

/// The slider position of a beta.
pub fn position(beta: Beta) -> f64 {
    (-beta.one_minus().log10() / DECADES * SLIDER_STEPS).clamp(0.0, SLIDER_STEPS)
}

/// The beta of a slider position: 1 - beta = 10^(-8 p / steps) to three
/// significant digits, so that a dragged beta reads as a decimal (0.9721, not
/// 1 - 2.786e-2); 0 and below is beta = 0.
pub fn beta_at(position: f64) -> Beta {
    if position <= 0.0 {
        return Beta::ZERO;
    }
    let e = 10f64
        .powf(-DECADES * position / SLIDER_STEPS)
        .max(MIN_ONE_MINUS_BETA);
    // Three significant digits of 1 - beta are 2 - floor(log10 e) decimals of beta.
    let decimals = 2 - e.log10().floor() as i32;
    let scale = 10f64.powi(decimals);
    // An integer over a power of ten is the double nearest the decimal.
    let beta = ((1.0 - e) * scale).round() / scale;
    Beta::new(beta)
        .ok()
        .filter(|b| b.one_minus() >= MIN_ONE_MINUS_BETA)
        .unwrap_or_else(|| Beta::from_one_minus(e).expect("the slider stays in range"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ends_are_zero_and_the_smallest_one_minus_beta() {
        assert_eq!(beta_at(0.0), Beta::ZERO);
        assert_eq!(beta_at(-3.0), Beta::ZERO);
        assert!((beta_at(SLIDER_STEPS).one_minus() / MIN_ONE_MINUS_BETA - 1.0).abs() < 1e-8);
        assert_eq!(beta_at(SLIDER_STEPS).to_string(), "0.99999999");
        assert_eq!(position(Beta::ZERO), 0.0);
    }

    #[test]
    fn every_position_reads_as_a_short_decimal() {
        for p in 1..=SLIDER_STEPS as u32 {
            let beta = beta_at(f64::from(p));
            let shown = beta.to_string();
            assert!(
                shown.starts_with("0.") && shown.len() <= 12,
                "position {p} shows {shown}"
            );
            // Three significant digits of 1 - beta at most.
            let digits = shown.trim_start_matches("0.").trim_start_matches('9');
            assert!(digits.len() <= 3, "position {p} shows {shown}");
        }
    }

    #[test]
    fn positions_and_betas_round_trip_and_stay_in_order() {
        let mut last = Beta::ZERO;
        for p in 1..=SLIDER_STEPS as u32 {
            let beta = beta_at(f64::from(p));
            assert!(beta.one_minus() < last.one_minus(), "position {p}");
            // The slider shows the rounded beta on the position it came from.
            assert_eq!(position(beta).round(), f64::from(p), "position {p}");
            last = beta;
        }
        for b in [0.9, 0.99, 0.999, 0.9999] {
            let beta = Beta::new(b).unwrap();
            assert_eq!(beta_at(position(beta).round()), beta, "the paper's {b}");
        }
    }
}
