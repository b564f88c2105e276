//! The paper's search grid at toy scale as heatmaps of balanced accuracy
//! (like the paper's appendix): class-balanced softmax and sigmoid over beta,
//! class-balanced focal over beta x gamma, the unweighted baselines beside
//! them, cells filled in as runs finish and the best one marked.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::ChartBackend;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{DrawResult, Theme};
use crate::i18n::Message;
use crate::train::experiments::{PAPER_BETAS, PAPER_GAMMAS};

/// Balanced accuracies of the grid's runs; `None` until a run finishes.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GridChart {
    /// CB softmax at each of the paper's betas.
    pub softmax: [Option<f64>; 4],
    /// CB sigmoid at each beta.
    pub sigmoid: [Option<f64>; 4],
    /// CB focal at each beta (rows) and gamma (columns).
    pub focal: [[Option<f64>; 3]; 4],
    /// The unweighted runs: (label, balanced accuracy).
    pub baselines: Vec<(Message, Option<f64>)>,
}

/// The chart's title (a translation key).
pub const TITLE: &str = "chart.grid.title";

impl GridChart {
    /// The best finished class-balanced cell's value.
    pub fn best(&self) -> Option<f64> {
        self.softmax
            .iter()
            .chain(&self.sigmoid)
            .chain(self.focal.iter().flatten())
            .flatten()
            .copied()
            .fold(None, |best: Option<f64>, v| {
                Some(best.map_or(v, |b| b.max(v)))
            })
    }
}

/// Where `v` lies in [lo, hi], from 0 to 1.
fn level(v: f64, lo: f64, hi: f64) -> f64 {
    if hi > lo {
        ((v - lo) / (hi - lo)).clamp(0.0, 1.0)
    } else {
        1.0
    }
}

/// A colour from the background (low) to the accent (high) for a value in [lo, hi].
fn shade(theme: &Theme, v: f64, lo: f64, hi: f64) -> RGBColor {
    let t = level(v, lo, hi);
    let (a, b) = (theme.background, theme.palette[4]);
    let mix = |x: u8, y: u8| (x as f64 + t * (y as f64 - x as f64)).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// Draws three heatmaps side by side (softmax, sigmoid: one column of betas;
/// focal: betas x gammas) and the baselines under them.
pub fn draw<DB: ChartBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &GridChart,
    theme: &Theme,
) -> DrawResult<(), DB> {
    area.fill(&theme.background)?;
    let (w, h) = area.dim_in_pixel();
    let (w, h) = (w as f64, h as f64);
    let px = |v: f64| theme.px(v);
    let text = |s: &str, x: f64, y: f64, size: f64, anchor: (HPos, VPos), colour: RGBColor| {
        let mut style = theme.font(size);
        style.color = colour.to_backend_color();
        style.pos = Pos::new(anchor.0, anchor.1);
        Text::new(s.to_owned(), (x.round() as i32, y.round() as i32), style)
    };
    area.draw(&text(
        theme.text(TITLE),
        w / 2.0,
        px(4.0),
        15.0,
        (HPos::Center, VPos::Top),
        theme.foreground,
    ))?;

    let finished: Vec<f64> = data
        .softmax
        .iter()
        .chain(&data.sigmoid)
        .chain(data.focal.iter().flatten())
        .chain(data.baselines.iter().map(|(_, v)| v))
        .flatten()
        .copied()
        .collect();
    let lo = finished.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = finished.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let best = data.best();

    let width_of = |s: &str, size: f64| {
        area.estimate_text_size(s, &theme.font(size))
            .map_or(0.0, |(tw, _)| tw as f64)
    };
    // Layout: a label column for beta, then 1 + 1 + 3 cell columns with gaps,
    // and the baselines under them, three to a row, or fewer where they do
    // not fit (a phone).
    let top = px(70.0);
    let label_w = px(64.0);
    let gap = px(16.0);
    let baselines: Vec<String> = data
        .baselines
        .iter()
        .map(|(label, value)| {
            let shown = value.map_or(theme.text("chart.grid.pending").to_owned(), |v| {
                format!("{:.1}", 100.0 * v)
            });
            theme.text_with(
                "chart.grid.baseline",
                &[("label", &theme.message(label)), ("value", &shown)],
            )
        })
        .collect();
    let widest = baselines
        .iter()
        .map(|b| width_of(b, 13.0))
        .fold(0.0, f64::max);
    let per_row = (1..=3)
        .rev()
        .find(|&n| n == 1 || n as f64 * (widest + gap) <= w - label_w)
        .unwrap_or(1);
    let baseline_left = if per_row == 3 { label_w } else { px(8.0) };
    let rows = baselines.len().div_ceil(per_row);
    let baseline_h = px(24.0) * rows as f64 + px(8.0);
    let cell_w = ((w - label_w - 2.0 * gap - px(8.0)) / 5.0).max(1.0);
    let cell_h = ((h - top - baseline_h - px(8.0)) / 4.0).max(1.0);
    let panels: [(&str, usize); 3] = [
        (theme.text("chart.grid.cb_softmax"), 1),
        (theme.text("chart.grid.cb_sigmoid"), 1),
        (theme.text("chart.grid.cb_focal"), 3),
    ];
    let mut x0 = label_w;
    for (p, &(name, columns)) in panels.iter().enumerate() {
        let panel_w = cell_w * columns as f64;
        // A narrow chart (a phone) shrinks a panel's name until it fits over
        // its columns, rather than running into the next panel's.
        let room = panel_w + 0.75 * gap;
        let mut size = 13.0;
        while size > 8.0 && width_of(name, size) > room {
            size -= 0.5;
        }
        area.draw(&text(
            name,
            x0 + panel_w / 2.0,
            top - px(24.0),
            size,
            (HPos::Center, VPos::Bottom),
            theme.foreground,
        ))?;
        // `column` picks both the gamma and the focal cell.
        #[allow(clippy::needless_range_loop)]
        for column in 0..columns {
            let cx = x0 + cell_w * column as f64;
            if p == 2 {
                let g = PAPER_GAMMAS[column].to_string();
                area.draw(&text(
                    &g,
                    cx + cell_w / 2.0,
                    top - px(4.0),
                    13.0,
                    (HPos::Center, VPos::Bottom),
                    theme.muted,
                ))?;
            }
            for (row, beta) in PAPER_BETAS.iter().enumerate() {
                let value = match p {
                    0 => data.softmax[row],
                    1 => data.sigmoid[row],
                    _ => data.focal[row][column],
                };
                let cy = top + cell_h * row as f64;
                let corners = [
                    (cx.round() as i32, cy.round() as i32),
                    (
                        (cx + cell_w - px(2.0)).round() as i32,
                        (cy + cell_h - px(2.0)).round() as i32,
                    ),
                ];
                let fill = value.map_or(theme.grid, |v| shade(theme, v, lo, hi));
                area.draw(&Rectangle::new(corners, fill.filled()))?;
                if let Some(v) = value {
                    let is_best = best == Some(v);
                    if is_best {
                        area.draw(&Rectangle::new(
                            corners,
                            theme.highlight.stroke_width(theme.stroke(3.0)),
                        ))?;
                    }
                    let value = format!("{:.1}", 100.0 * v);
                    // The outline marks the best; the word too where it fits.
                    let marked = theme.text_with("chart.grid.best", &[("value", &value)]);
                    let label = if is_best && width_of(&marked, 13.0) <= cell_w - px(6.0) {
                        marked
                    } else {
                        value
                    };
                    // Light text on the dark end of the scale.
                    let ink = if level(v, lo, hi) > 0.55 {
                        theme.background
                    } else {
                        theme.foreground
                    };
                    area.draw(&text(
                        &label,
                        cx + cell_w / 2.0,
                        cy + cell_h / 2.0,
                        13.0,
                        (HPos::Center, VPos::Center),
                        ink,
                    ))?;
                }
                if p == 0 && column == 0 {
                    area.draw(&text(
                        &format!("β {beta}"),
                        label_w - px(6.0),
                        cy + cell_h / 2.0,
                        13.0,
                        (HPos::Right, VPos::Center),
                        theme.muted,
                    ))?;
                }
            }
        }
        x0 += panel_w + gap;
    }
    // The unweighted baselines.
    let by = top + cell_h * 4.0 + px(8.0);
    let column_w = (w - baseline_left) / per_row as f64;
    for (i, line) in baselines.iter().enumerate() {
        area.draw(&text(
            line,
            baseline_left + (i % per_row) as f64 * column_w,
            by + px(24.0) * (i / per_row) as f64,
            13.0,
            (HPos::Left, VPos::Top),
            theme.muted,
        ))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    fn render(data: &GridChart) -> String {
        render_in(data, Lang::En)
    }

    fn render_in(data: &GridChart, lang: Lang) -> String {
        let mut svg = String::new();
        {
            let area = SVGBackend::with_string(&mut svg, (800, 420)).into_drawing_area();
            draw(&area, data, &Theme::light(1.0).in_lang(lang)).unwrap();
            area.present().unwrap();
        }
        svg
    }

    #[test]
    fn empty_grid_draws_placeholders() {
        let svg = render(&GridChart {
            baselines: vec![(crate::charts::svg::label("softmax"), None)],
            ..GridChart::default()
        });
        assert!(svg.contains("Balanced accuracy over the paper"), "{svg}");
        assert!(svg.contains("softmax: pending"), "{svg}");
        assert!(!svg.contains("best"));
    }

    #[test]
    fn panel_names_shrink_to_fit_a_narrow_chart() {
        // The font size of the `<text>` that reads "CB softmax".
        let name_size = |w| {
            let s = crate::charts::svg::render((w, 320), |area| {
                draw(area, &GridChart::default(), &Theme::light(1.0)).unwrap();
            });
            let at = s.find("CB softmax").expect("the panel's name is drawn");
            let element = &s[s[..at].rfind("<text").unwrap()..at];
            let size = element.split("font-size=\"").nth(1).unwrap();
            size[..size.find('"').unwrap()].parse::<f64>().unwrap()
        };
        let (wide, phone) = (name_size(800), name_size(330));
        // On a phone "CB softmax" would run into "CB sigmoid" at full size.
        assert!(phone < wide, "{phone} on a phone, {wide} wide");
    }

    /// The (x, y) of every `<text>` holding `needle` in an SVG.
    fn places(svg: &str, needle: &str) -> Vec<(f64, f64)> {
        svg.match_indices(needle)
            .map(|(at, _)| {
                let element = &svg[svg[..at].rfind("<text").unwrap()..at];
                let attr = |name: &str| {
                    let v = element.split(&format!(" {name}=\"")).nth(1).unwrap();
                    v[..v.find('"').unwrap()].parse::<f64>().unwrap()
                };
                (attr("x"), attr("y"))
            })
            .collect()
    }

    #[test]
    fn baselines_stack_and_the_best_keeps_its_value_on_a_phone() {
        let mut g = GridChart {
            baselines: (0..5)
                .map(|i| {
                    let label = crate::charts::svg::label("unweighted focal (gamma 0.5)");
                    (label, Some(0.5 + i as f64 / 100.0))
                })
                .collect(),
            ..GridChart::default()
        };
        g.focal[2][0] = Some(0.775);
        let draw_at = |w| {
            crate::charts::svg::render((w, 380), |area| {
                draw(area, &g, &Theme::light(1.0)).unwrap();
            })
        };
        let (wide, phone) = (draw_at(800), draw_at(330));
        let columns = |svg: &str| {
            let mut xs: Vec<i64> = places(svg, "(gamma 0.5): ")
                .iter()
                .map(|p| p.0 as i64)
                .collect();
            xs.dedup();
            xs.sort_unstable();
            xs.dedup();
            xs.len()
        };
        // Three to a row where they fit; one to a line on a phone, where
        // three ran into each other.
        assert_eq!(columns(&wide), 3, "{wide}");
        assert_eq!(columns(&phone), 1, "{phone}");
        assert_eq!(places(&phone, "(gamma 0.5): ").len(), 5);
        // The best cell is too narrow there for "77.5 best": the outline marks it.
        assert!(wide.contains("77.5 best"));
        assert!(
            phone.contains("\n77.5\n") && !phone.contains("best"),
            "{phone}"
        );
    }

    #[test]
    fn the_best_cell_is_marked_once() {
        let mut g = GridChart {
            softmax: [Some(0.70), Some(0.72), Some(0.74), Some(0.75)],
            baselines: vec![(crate::charts::svg::label("softmax"), Some(0.62))],
            ..GridChart::default()
        };
        g.focal[2][0] = Some(0.76);
        assert_eq!(g.best(), Some(0.76));
        let svg = render(&g);
        assert_eq!(svg.matches("best").count(), 1);
        assert!(
            svg.contains("76.0 best") && svg.contains("softmax: 62.0") && svg.contains("β 0.9999")
        );
        let zh = render_in(&g, Lang::ZhCn);
        assert!(
            zh.contains("论文网格上的平衡准确率") && zh.contains("76.0 最佳"),
            "{zh}"
        );
        assert!(zh.contains("softmax：62.0") && !zh.contains("best"));
    }
}
