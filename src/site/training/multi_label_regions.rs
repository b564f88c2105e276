//! Where each multi-label run says yes: for the chosen method, every class's
//! predicted region (probability at least 0.5) outlined over the toy task's
//! square, beside the class's true disc, dashed. Nested discs make the
//! point: a rare disc inside a common one is found, or swallowed.

use leptos::prelude::*;

use crate::charts::training::class_colour;
use crate::data::multi_label_toy::{Disc, MultiLabelToyConfig, discs};
use crate::site::canvas::css_colour;
use crate::site::dom;
use crate::site::editor::CanvasFit;
use crate::site::i18n::t;
use crate::site::state::use_explorer;
use crate::train::multi_label_trainer::MultiLabelMethod;
use crate::worker::protocol::MultiLabelReport;

/// Cells per side of a run's label grid.
pub(super) const RESOLUTION: usize = 72;

/// The chosen run's regions and the true discs of the toy task `toy`.
#[component]
pub(super) fn MultiLabelRegions(
    report: ReadSignal<Option<MultiLabelReport>>,
    toy: MultiLabelToyConfig,
) -> impl IntoView {
    let ex = use_explorer();
    let discs = StoredValue::new(discs(&toy));
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    let fit = StoredValue::new_local(CanvasFit::default());
    // None: the newest finished run, so the figure follows the training.
    let (chosen, set_chosen) = signal(None::<usize>);
    let finished = move || report.with(|r| r.as_ref().map_or(0, |r| r.regions.len()));
    let shown = move || {
        let n = finished();
        (n > 0).then(|| chosen.get().filter(|&i| i < n).unwrap_or(n - 1))
    };
    let method_name = move |i: usize| MultiLabelMethod::STANDARD[i].name();
    Effect::new(move |_| {
        let Some(canvas) = canvas.get() else { return };
        let theme = ex.theme.get();
        let mut sizing = fit.get_value();
        sizing.fit(&canvas, ex.width.get(), (1.0, 1.0), 200.0, 420.0);
        fit.set_value(sizing);
        let Some(i) = shown() else { return };
        report.with(|r| {
            if let Some(grid) = r.as_ref().and_then(|r| r.regions.get(i)) {
                discs.with_value(|d| draw(&canvas, grid, d, &theme));
                let counts = (0..toy.classes)
                    .map(|c| grid.iter().filter(|b| *b >> c & 1 == 1).count().to_string())
                    .collect::<Vec<_>>()
                    .join(",");
                let _ = canvas.set_attribute("data-predicted-cells", &counts);
                let _ = canvas.set_attribute("data-method", &method_name(i));
            }
        });
    });
    let options = move || {
        (0..finished())
            .map(|i| {
                view! { <option value=i.to_string() selected=move || shown() == Some(i)>{method_name(i)}</option> }
            })
            .collect_view()
    };
    view! {
        <div hidden=move || finished() == 0>
            <h4>{t("multi.regions_title")}</h4>
            <div class="tools">
                <label>
                    {t("multi.regions_method")}
                    <select id="multi-regions-method"
                        on:change=move |e| set_chosen.set(event_target_value(&e).parse().ok())>
                        {options}
                    </select>
                </label>
            </div>
            <figure>
                <div class="canvas-wrap ml-regions">
                    <canvas node_ref=canvas id="multi-regions" role="img" aria-label=t("multi.regions_label")></canvas>
                </div>
                <figcaption>{t("multi.regions_caption")}</figcaption>
            </figure>
        </div>
    }
}

/// Each class's predicted region outlined (solid) and lightly filled, its
/// true disc dashed, its number at the disc's centre; head class first, so
/// the rare classes lie on top.
fn draw(
    canvas: &web_sys::HtmlCanvasElement,
    grid: &[u32],
    discs: &[Disc],
    theme: &crate::charts::Theme,
) {
    let Some(ctx) = dom::context_2d(canvas) else {
        return;
    };
    let (w, h) = (canvas.width() as f64, canvas.height() as f64);
    ctx.set_fill_style_str(&css_colour(&theme.background));
    ctx.fill_rect(0.0, 0.0, w, h);
    let side = (grid.len() as f64).sqrt() as usize;
    if side == 0 || side * side != grid.len() {
        return;
    }
    let (cw, ch) = (w / side as f64, h / side as f64);
    let classes = discs.len();
    let on = |r: usize, c: usize, class: usize| grid[r * side + c] >> class & 1 == 1;
    for (class, disc) in discs.iter().enumerate() {
        let colour = css_colour(&class_colour(class, classes));
        ctx.set_fill_style_str(&colour);
        ctx.set_stroke_style_str(&colour);
        // The region: its cells faintly, then the edges between a cell in it
        // and one outside (or the square's border).
        ctx.set_global_alpha(0.12);
        ctx.begin_path();
        for r in 0..side {
            for c in (0..side).filter(|&c| on(r, c, class)) {
                ctx.rect(c as f64 * cw, r as f64 * ch, cw, ch);
            }
        }
        ctx.fill();
        ctx.set_global_alpha(1.0);
        ctx.set_line_width(2.0 * theme.scale);
        let _ = ctx.set_line_dash(&js_sys::Array::new());
        ctx.begin_path();
        for r in 0..side {
            for c in (0..side).filter(|&c| on(r, c, class)) {
                let (x0, y0, x1, y1) = (
                    c as f64 * cw,
                    r as f64 * ch,
                    (c + 1) as f64 * cw,
                    (r + 1) as f64 * ch,
                );
                let edge = |a: (f64, f64), b: (f64, f64)| {
                    ctx.move_to(a.0, a.1);
                    ctx.line_to(b.0, b.1);
                };
                if c == 0 || !on(r, c - 1, class) {
                    edge((x0, y0), (x0, y1));
                }
                if c + 1 == side || !on(r, c + 1, class) {
                    edge((x1, y0), (x1, y1));
                }
                if r == 0 || !on(r - 1, c, class) {
                    edge((x0, y0), (x1, y0));
                }
                if r + 1 == side || !on(r + 1, c, class) {
                    edge((x0, y1), (x1, y1));
                }
            }
        }
        ctx.stroke();
        // The true disc, in the square [-1, 1]^2 drawn top-down.
        let (x, y) = (
            (disc.centre[0] + 1.0) / 2.0 * w,
            (1.0 - disc.centre[1]) / 2.0 * h,
        );
        let dash = js_sys::Array::of2(&(5.0 * theme.scale).into(), &(4.0 * theme.scale).into());
        let _ = ctx.set_line_dash(&dash);
        ctx.set_line_width(1.5 * theme.scale);
        ctx.begin_path();
        let _ = ctx.arc(x, y, disc.radius / 2.0 * w, 0.0, std::f64::consts::TAU);
        ctx.stroke();
    }
    let _ = ctx.set_line_dash(&js_sys::Array::new());
    // Numbers last, above every outline.
    ctx.set_font(&format!(
        "bold {}px sans-serif",
        (12.0 * theme.scale).round()
    ));
    ctx.set_text_align("center");
    ctx.set_text_baseline("middle");
    for (class, disc) in discs.iter().enumerate() {
        let (x, y) = (
            (disc.centre[0] + 1.0) / 2.0 * w,
            (1.0 - disc.centre[1]) / 2.0 * h,
        );
        ctx.set_fill_style_str(&css_colour(&theme.foreground));
        let _ = ctx.fill_text(&class.to_string(), x, y);
    }
}
