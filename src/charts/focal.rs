//! Chart 5: the focal loss (Lin et al. 2017, used by Cui et al. 2019,
//! section 4) against the probability p_t of the true class, in two panels:
//!
//! `modulator  (1 - p_t)^gamma`
//! `loss       -(1 - p_t)^gamma log p_t`
//!
//! gamma = 0 is plain cross-entropy; a larger gamma silences the easy
//! examples (p_t near 1) and leaves the hard ones. Both are computed through
//! `crate::balance::losses::focal_term` at z_t = logit(p_t), so the curves are the
//! stable formula the trainer uses, (1 - p_t)^gamma = exp(-gamma softplus(z_t)).

use plotters::coord::Shift;
use plotters::prelude::*;

use super::ChartBackend;

use super::axis::{Axis, nice_ceil};
use super::family::{self, Member};
use super::frame::{self, Corner, Frame};
use super::{DrawResult, Theme, short_number};
use crate::balance::losses::focal_term;

/// The figure's title (a translation key, as are the texts below but the notation).
pub const TITLE: &str = "chart.focal.title";
/// The left panel's title.
pub const MODULATOR_TITLE: &str = "chart.focal.modulator_title";
/// The right panel's title.
pub const LOSS_TITLE: &str = "chart.focal.loss_title";
/// What both horizontal axes show.
pub const X_DESC: &str = "chart.focal.x";
/// Both horizontal axes, where the panel is too narrow for [`X_DESC`] (notation).
pub const X_DESC_SHORT: &str = "p_t";
/// What the left vertical axis shows (notation).
pub const MODULATOR_DESC: &str = "(1 - p_t)^γ";
/// What the right vertical axis shows.
pub const LOSS_DESC: &str = "chart.focal.loss";

/// Points along p_t per curve.
pub const SAMPLES: usize = 200;

/// Focal curves for several gammas.
#[derive(Clone, Debug, PartialEq)]
pub struct FocalChart {
    /// The gammas drawn (0 is cross-entropy).
    pub gammas: Vec<f64>,
    /// The reader's gamma, highlighted (added if not among `gammas`).
    pub current: f64,
}

/// One gamma's two curves.
#[derive(Clone, Debug, PartialEq)]
pub struct FocalCurve {
    /// gamma of the curve.
    pub gamma: f64,
    /// Whether it is the reader's gamma.
    pub current: bool,
    /// (p_t, (1 - p_t)^gamma).
    pub modulator: Vec<(f64, f64)>,
    /// (p_t, -(1 - p_t)^gamma log p_t).
    pub loss: Vec<(f64, f64)>,
}

impl Member for FocalCurve {
    fn is_current(&self) -> bool {
        self.current
    }
}

/// logit(p) = ln(p / (1 - p)), the logit whose sigmoid is p.
fn logit(p: f64) -> f64 {
    p.ln() - (-p).ln_1p()
}

impl FocalChart {
    /// The values of p_t: the midpoints of [`SAMPLES`] equal slices of (0, 1),
    /// so that every point has a finite logit.
    pub fn samples() -> Vec<f64> {
        (0..SAMPLES)
            .map(|k| (k as f64 + 0.5) / SAMPLES as f64)
            .collect()
    }

    /// The curves: `gammas`, then `current` when it is not one of them; the
    /// current one flagged.
    pub fn curves(&self) -> Vec<FocalCurve> {
        let same = |a: f64, b: f64| (a - b).abs() <= 1e-12;
        let samples = Self::samples();
        family::with_current(&self.gammas, self.current, same)
            .into_iter()
            .map(|(gamma, current)| {
                let (modulator, loss) = samples
                    .iter()
                    .map(|&p| {
                        let z_t = logit(p);
                        let (loss, _) = focal_term(z_t, gamma);
                        // The loss over its gamma = 0 value (cross-entropy, > 0
                        // for a finite logit) is the modulator, computed the
                        // stable way focal_term computes it.
                        let (cross_entropy, _) = focal_term(z_t, 0.0);
                        ((p, loss / cross_entropy), (p, loss))
                    })
                    .unzip();
                FocalCurve {
                    gamma,
                    current,
                    modulator,
                    loss,
                }
            })
            .collect()
    }
}

fn label(curve: &FocalCurve, theme: &Theme) -> String {
    let key = if curve.gamma == 0.0 {
        "chart.gamma_cross_entropy"
    } else {
        "chart.gamma"
    };
    theme.text_with(key, &[("gamma", &short_number(curve.gamma))])
}

/// Draws the two panels side by side under one title and one legend.
pub fn draw<DB: ChartBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &FocalChart,
    theme: &Theme,
) -> DrawResult<(), DB> {
    area.fill(&theme.background)?;
    let curves = data.curves();
    // One legend for both panels, in rows under the title: inside either
    // panel it would cover curves on a phone.
    let keys = family::keys(theme, &curves, |c| label(c, theme));
    let under = frame::header(area, theme, theme.text(TITLE), &keys)?;
    let panels = under.split_evenly((1, 2));

    let loss_max = curves
        .iter()
        .flat_map(|c| c.loss.iter().map(|p| p.1))
        .filter(|v| v.is_finite())
        .fold(1.0, f64::max);
    let x = Axis::linear(0.0, 1.0);
    let x_desc = [theme.text(X_DESC), X_DESC_SHORT];
    // Just above 1, so that cross-entropy's flat modulator is off the frame.
    let modulator = Frame {
        title: theme.text(MODULATOR_TITLE),
        x,
        y: Axis::linear(0.0, 1.05),
        x_desc: &x_desc,
        y_desc: &[MODULATOR_DESC],
    };
    let loss = Frame {
        title: theme.text(LOSS_TITLE),
        x,
        y: Axis::linear(0.0, nice_ceil(loss_max)),
        x_desc: &x_desc,
        y_desc: &[theme.text(LOSS_DESC)],
    };

    for (area, frame, is_loss) in [(&panels[0], modulator, false), (&panels[1], loss, true)] {
        let mut framed = frame::build(area, theme, &frame, Vec::new(), Corner::UpperRight)?;
        // The current curve last, on top.
        family::draw(&mut framed.chart, theme, &curves, |c| {
            let points = if is_loss { &c.loss } else { &c.modulator };
            points.iter().copied()
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::svg;
    use crate::i18n::Lang;

    fn chart(current: f64) -> FocalChart {
        FocalChart {
            gammas: vec![0.0, 0.5, 1.0, 2.0, 5.0],
            current,
        }
    }

    #[test]
    fn curves_match_the_closed_forms() {
        let curves = chart(2.0).curves();
        assert_eq!(curves.len(), 5);
        assert!(curves[3].current);
        for c in &curves {
            for (&(p, m), &(_, l)) in c.modulator.iter().zip(&c.loss) {
                let want_m = (1.0 - p).powf(c.gamma);
                let want_l = -want_m * p.ln();
                assert!(
                    (m - want_m).abs() <= 1e-12 * (1.0 + want_m),
                    "{p} {m} {want_m}"
                );
                assert!(
                    (l - want_l).abs() <= 1e-12 * (1.0 + want_l),
                    "{p} {l} {want_l}"
                );
            }
        }
        // gamma = 0: the modulator is 1, the loss cross-entropy.
        assert!(
            curves[0]
                .modulator
                .iter()
                .all(|p| (p.1 - 1.0).abs() < 1e-15)
        );
        let samples = FocalChart::samples();
        assert_eq!(samples.len(), SAMPLES);
        assert!(samples[0] > 0.0 && samples[SAMPLES - 1] < 1.0);
    }

    #[test]
    fn current_gamma_is_added_once() {
        assert_eq!(chart(2.0).curves().len(), 5);
        let curves = chart(0.25).curves();
        assert_eq!(curves.len(), 6);
        assert!(curves[5].current);
        assert_eq!(curves.iter().filter(|c| c.current).count(), 1);
    }

    #[test]
    fn draws_its_words_in_the_themes_language() {
        let s = svg::render((800, 500), |area| {
            draw(area, &chart(0.25), &Theme::light(1.0).in_lang(Lang::ZhCn)).unwrap();
        });
        svg::assert_texts(
            &s,
            &[
                "focal 损失：容易的样本计入得更少",
                "γ = 0（交叉熵）",
                "γ = 0.25（你选的）",
            ],
        );
    }

    #[test]
    fn draws_two_panels_with_the_current_gamma_thick_and_on_top() {
        let s = svg::render((800, 500), |area| {
            draw(area, &chart(0.25), &Theme::light(1.0)).unwrap();
        });
        svg::assert_texts(
            &s,
            &[
                svg::en(TITLE),
                svg::en(MODULATOR_TITLE),
                svg::en(LOSS_TITLE),
                svg::en(X_DESC),
                MODULATOR_DESC,
                svg::en(LOSS_DESC),
                "γ = 0 (cross-entropy)",
                "γ = 5",
                "γ = 0.25, yours",
            ],
        );
        // Six gammas in each of the two panels.
        let lines = svg::series(&s);
        assert_eq!(lines.len(), 12);
        assert!(lines.iter().all(|l| l.points.len() == SAMPLES));
        let hl = svg::hex(Theme::light(1.0).highlight);
        for panel in [&lines[..6], &lines[6..]] {
            assert_eq!(panel[5].stroke, hl);
            assert_eq!(panel[5].width, 4.0);
            assert!(panel[..5].iter().all(|l| l.width == 2.0 && l.stroke != hl));
        }
        // The right panel is to the right of the left one.
        assert!(lines[6].points[0].0 > lines[0].points[SAMPLES - 1].0);
        // One legend: each label once.
        let texts = svg::texts(&s);
        assert_eq!(texts.iter().filter(|t| *t == "γ = 5").count(), 1);
    }
}
