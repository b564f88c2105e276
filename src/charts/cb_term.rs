//! Chart 4, the paper's Figure 3 (Cui et al. 2019, section 4): the
//! class-balanced term against the number of samples, log-log,
//!
//! `(1 - beta) / (1 - beta^n) = 1 / E_n`
//!
//! for beta in {0, 0.9, 0.99, 0.999, 0.9999}. beta = 0 weighs every class the
//! same (a flat line at 1); as beta -> 1 the term follows 1/n, inverse
//! frequency (the thin grey reference); in between it follows 1/n for small
//! classes and levels off at 1 - beta for classes much larger than
//! N = 1 / (1 - beta).

use plotters::coord::Shift;
use plotters::prelude::*;

use super::ChartBackend;

use super::axis::Axis;
use super::family::{self, BetaCurve};
use super::frame::{self, Corner, Frame, Key};
use super::{DrawResult, Theme};
use crate::balance::effective_number::{Beta, effective_number};

/// The chart's title (a translation key, as are the texts below).
pub const TITLE: &str = "chart.cb_term.title";
/// What the horizontal axis shows.
pub const X_DESC: &str = "chart.samples_n";
/// What the vertical axis shows.
pub const Y_DESC: &str = "chart.cb_term.y";
/// The vertical axis, where the plot is too short for [`Y_DESC`]: notation,
/// the same in every language.
pub const Y_DESC_SHORT: &str = "1/E_n";
/// The inverse-frequency reference's legend entry (notation).
pub const INVERSE_LABEL: &str = "1/n (β → 1)";

/// Points along n per curve.
pub const SAMPLES: usize = 200;

/// The class-balanced term for several betas.
#[derive(Clone, Debug, PartialEq)]
pub struct CbTermChart {
    /// The betas drawn (the paper's: 0, 0.9, 0.99, 0.999, 0.9999).
    pub betas: Vec<Beta>,
    /// The reader's beta, highlighted (added if not among `betas`).
    pub current: Beta,
    /// The largest n on the axis (at least 10 is drawn).
    pub n_max: u64,
}

/// One curve: its beta, whether it is the current one, and (n, 1/E_n) for
/// n from 1 to n_max, evenly in log n.
pub type CbTermCurve = BetaCurve;

impl CbTermChart {
    /// The paper's betas of Figure 3.
    pub fn paper_betas() -> Vec<Beta> {
        [0.0, 0.9, 0.99, 0.999, 0.9999]
            .map(|b| Beta::new(b).expect("the paper's betas are in [0, 1)"))
            .to_vec()
    }

    fn n_max(&self) -> f64 {
        self.n_max.max(10) as f64
    }

    /// The curves, computed with the core: `betas`, then `current` when it is
    /// not one of them; the current one flagged.
    pub fn curves(&self) -> Vec<CbTermCurve> {
        let n_max = self.n_max();
        let samples: Vec<f64> = (0..SAMPLES)
            .map(|k| n_max.powf(k as f64 / (SAMPLES - 1) as f64))
            .collect();
        family::beta_curves(&self.betas, self.current, &samples, |n, beta| {
            1.0 / effective_number(n, beta)
        })
    }
}

fn label(curve: &CbTermCurve, theme: &Theme) -> String {
    let key = if curve.beta == Beta::ZERO {
        "chart.beta_no_reweighting"
    } else {
        "chart.beta"
    };
    theme.text_with(key, &[("beta", &curve.beta.to_string())])
}

/// Draws the curves on log-log axes, with 1/n for reference.
pub fn draw<DB: ChartBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &CbTermChart,
    theme: &Theme,
) -> DrawResult<(), DB> {
    let curves = data.curves();
    let n_max = data.n_max();
    // Every term is at most 1 (at n = 1) and at least 1/n.
    let x = Axis::log(1.0, n_max);
    let y = Axis::log(Axis::log_decades(1.0 / n_max, 1.0).lo(), 10f64.powf(0.15));
    let frame = Frame {
        title: theme.text(TITLE),
        x,
        y,
        x_desc: &[theme.text(X_DESC)],
        y_desc: &[theme.text(Y_DESC), Y_DESC_SHORT],
    };
    let mut keys = vec![Key::line(INVERSE_LABEL, &theme.muted, 1.0)];
    keys.extend(family::keys(theme, &curves, |c| label(c, theme)));
    // Every term is >= 1/n: the lower left is empty.
    let mut framed = frame::build(area, theme, &frame, keys, Corner::LowerLeft)?;
    let chart = &mut framed.chart;
    let plot = |(n, t): (f64, f64)| (x.to_plot_or_nan(n), y.to_plot_or_nan(t));

    chart.draw_series(std::iter::once(PathElement::new(
        vec![plot((1.0, 1.0)), plot((n_max, 1.0 / n_max))],
        theme.muted.stroke_width(theme.stroke(1.0)),
    )))?;

    // The current curve last, on top.
    family::draw(chart, theme, &curves, |c| {
        c.points.iter().map(move |&p| plot(p))
    })?;
    framed.finish(theme)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::svg;
    use crate::i18n::Lang;

    fn render(chart: &CbTermChart) -> String {
        svg::render((800, 500), |area| {
            draw(area, chart, &Theme::light(1.0)).unwrap();
        })
    }

    #[test]
    fn curves_are_one_over_the_effective_number() {
        let chart = CbTermChart {
            betas: CbTermChart::paper_betas(),
            current: Beta::new(0.999).unwrap(),
            n_max: 10_000,
        };
        let curves = chart.curves();
        assert_eq!(curves.len(), 5);
        assert!(curves[3].current);
        // beta = 0: 1 everywhere; all: 1 at n = 1.
        assert!(curves[0].points.iter().all(|p| p.1 == 1.0));
        for c in &curves {
            assert!((c.points[0].1 - 1.0).abs() < 1e-12);
            let &(n, t) = c.points.last().unwrap();
            assert!((n - 10_000.0).abs() < 1e-6);
            assert_eq!(t, 1.0 / effective_number(n, c.beta));
            assert!(t >= 1.0 / n * (1.0 - 1e-12));
        }
    }

    #[test]
    fn draws_its_words_in_the_themes_language() {
        let chart = CbTermChart {
            betas: CbTermChart::paper_betas(),
            current: Beta::new(0.995).unwrap(),
            n_max: 10_000,
        };
        let s = svg::render((800, 500), |area| {
            draw(area, &chart, &Theme::light(1.0).in_lang(Lang::ZhCn)).unwrap();
        });
        svg::assert_texts(
            &s,
            &[
                "类别平衡项 (1 - β)/(1 - βⁿ) 随 n 的变化",
                "β = 0（不加权）",
                "β = 0.995（你选的）",
            ],
        );
    }

    #[test]
    fn the_last_n_label_stays_inside_at_projector_type_sizes() {
        let chart = CbTermChart {
            betas: CbTermChart::paper_betas(),
            current: Beta::new(0.999).unwrap(),
            n_max: 10_000,
        };
        for scale in [1.0, 2.0, 2.7] {
            let s = svg::render((900, 560), |area| {
                draw(area, &chart, &Theme::light(scale)).unwrap();
            });
            let at = s.find("\n10⁴\n").expect("n = 10000 is labelled");
            let element = &s[s[..at].rfind("<text").unwrap()..at];
            let attr = |name: &str| {
                let v = element.split(&format!(" {name}=\"")).nth(1).unwrap();
                v[..v.find('"').unwrap()].parse::<f64>().unwrap()
            };
            // Centred on its tick: half of its three characters (1, 0 and
            // a superscript 4, about 0.55 em each) to its right, at the size
            // a canvas draws (plotters' SVG writes the size divided by 1.24).
            let right = attr("x") + 1.5 * 0.55 * 1.24 * attr("font-size");
            assert!(right <= 900.0, "scale {scale}: the label ends at {right}");
        }
    }

    #[test]
    fn draws_figure_3_with_the_current_beta_on_top() {
        let chart = CbTermChart {
            betas: CbTermChart::paper_betas(),
            current: Beta::new(0.995).unwrap(),
            n_max: 10_000,
        };
        let s = render(&chart);
        svg::assert_texts(
            &s,
            &[
                svg::en(TITLE),
                svg::en(X_DESC),
                svg::en(Y_DESC),
                INVERSE_LABEL,
                "β = 0 (no re-weighting)",
                "β = 0.9999",
                "β = 0.995, yours",
            ],
        );
        // Five paper curves and the reader's; the reference is two points.
        let lines = svg::series(&s);
        assert_eq!(lines.len(), 6);
        let hl = svg::hex(Theme::light(1.0).highlight);
        assert_eq!(lines[5].stroke, hl);
        assert_eq!(lines[5].width, 4.0);
        assert!(lines[..5].iter().all(|l| l.width == 2.0 && l.stroke != hl));
        // Log-log: the y axis has decade labels down to 1/n_max.
        svg::assert_texts(&s, &["10⁰", "10⁻¹", "10⁻²", "10⁻⁴"]);
        // beta = 0 is a flat line.
        let flat = &lines[0];
        assert!(flat.points.iter().all(|p| p.1 == flat.points[0].1));
    }

    #[test]
    fn a_current_beta_among_the_paper_ones_is_drawn_once() {
        let chart = CbTermChart {
            betas: CbTermChart::paper_betas(),
            current: Beta::ZERO,
            n_max: 0,
        };
        let s = render(&chart);
        let lines = svg::series(&s);
        assert_eq!(lines.len(), 5);
        svg::assert_texts(&s, &["β = 0 (no re-weighting), yours"]);
    }
}
