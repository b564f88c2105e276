//! A run's decision regions: the class the model predicts over the plane,
//! faded, with the training points on a layer of their own above it.

use leptos::prelude::*;
use wasm_bindgen::Clamped;

use crate::charts::Theme;
use crate::charts::training::class_colour;
use crate::data::toy_data::ToyTask;
use crate::site::canvas::css_colour;
use crate::site::dom;
use crate::site::editor::CanvasFit;
use crate::site::i18n::t;
use crate::site::state::use_explorer;

/// Cells per side of the decision-region grid.
pub(super) const RESOLUTION: usize = 72;

/// A run's decision regions (`grid`, the predicted class of each cell, row
/// by row) with the training points over them;
/// the rare classes' points are drawn larger so they can be seen.
#[component]
pub(super) fn Regions(
    /// The run's grid, [`RESOLUTION`] cells a side (empty until the first one comes).
    grid: Memo<Vec<u8>>,
    task: ReadSignal<Option<ToyTask>>,
) -> impl IntoView {
    let ex = use_explorer();
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    let fit = StoredValue::new_local(CanvasFit::default());
    // The points do not move while a model trains: they are drawn once (for
    // this task, size and theme) on a transparent canvas laid over the
    // regions, so a refresh of the regions repaints only the regions.
    let points = NodeRef::<leptos::html::Canvas>::new();
    // Sizing a canvas clears it: the regions are drawn again after each sizing.
    let (sized, set_sized) = signal(0u64);
    Effect::new(move |_| {
        let (Some(canvas), Some(points)) = (canvas.get(), points.get()) else {
            return;
        };
        let theme = ex.theme.get();
        let mut sizing = fit.get_value();
        sizing.fit(&canvas, ex.width.get(), (1.0, 1.0), 200.0, 420.0);
        fit.set_value(sizing);
        points.set_width(canvas.width());
        points.set_height(canvas.height());
        task.with(|t| {
            if let Some(t) = t {
                draw_points(&points, t, &theme);
            }
        });
        set_sized.update(|n| *n += 1);
    });
    Effect::new(move |_| {
        sized.track();
        let Some(canvas) = canvas.get() else { return };
        let theme = ex.theme.get();
        let classes = task.with(|t| t.as_ref().map_or(0, |t| t.counts.len()));
        grid.with(|grid| draw_regions(&canvas, grid, classes, theme.background));
    });
    view! {
        <div class="canvas-wrap regions">
            <canvas node_ref=canvas role="img" aria-label=t("training.regions_label") aria-describedby="training-metrics"></canvas>
            <canvas node_ref=points class="points-layer" aria-hidden="true"></canvas>
        </div>
    }
}

/// The training points on the transparent canvas `layer` (cleared first),
/// one path per class, frequent classes first so the rare ones lie on top.
fn draw_points(layer: &web_sys::HtmlCanvasElement, task: &ToyTask, theme: &Theme) {
    let (Some(ctx), Some(points)) = (dom::context_2d(layer), task.train.points()) else {
        return;
    };
    let (labels, counts, b) = (&task.train.labels, &task.counts, &task.bounds);
    let (w, h) = (layer.width() as f64, layer.height() as f64);
    ctx.clear_rect(0.0, 0.0, w, h);
    let to_px = |p: &[f32; 2]| {
        (
            (p[0] - b.x_min) as f64 / (b.x_max - b.x_min) as f64 * w,
            (b.y_max - p[1]) as f64 / (b.y_max - b.y_min) as f64 * h,
        )
    };
    let classes = counts.len();
    // Largest class first, so that the rare classes' points are drawn on top.
    let order = crate::order::largest_first(counts);
    ctx.set_stroke_style_str(&css_colour(&theme.foreground));
    ctx.set_line_width(1.2 * theme.scale);
    for c in order {
        let rare = counts[c] < 20;
        let radius = if rare { 4.5 } else { 2.0 } * theme.scale;
        ctx.set_fill_style_str(&css_colour(&class_colour(c, classes)));
        ctx.begin_path();
        for (p, _) in points.iter().zip(labels).filter(|(_, l)| **l == c) {
            let (x, y) = to_px(p);
            ctx.move_to(x + radius, y);
            let _ = ctx.arc(x, y, radius, 0.0, std::f64::consts::TAU);
        }
        ctx.fill();
        if rare {
            ctx.stroke();
        }
    }
}

/// The decision regions: `grid`, a class per cell, faded towards the background.
fn draw_regions(
    canvas: &web_sys::HtmlCanvasElement,
    grid: &[u8],
    classes: usize,
    bg: plotters::style::RGBColor,
) {
    let Some(ctx) = dom::context_2d(canvas) else {
        return;
    };
    let (w, h) = (canvas.width() as f64, canvas.height() as f64);
    ctx.set_fill_style_str(&css_colour(&bg));
    ctx.fill_rect(0.0, 0.0, w, h);
    if grid.len() == RESOLUTION * RESOLUTION {
        let mut rgba = Vec::with_capacity(grid.len() * 4);
        for &c in grid {
            let col = class_colour(c as usize, classes);
            let mix = |a: u8, b: u8| (0.35 * a as f64 + 0.65 * b as f64) as u8;
            rgba.extend([mix(col.0, bg.0), mix(col.1, bg.1), mix(col.2, bg.2), 255]);
        }
        let image = web_sys::ImageData::new_with_u8_clamped_array_and_sh(
            Clamped(&rgba),
            RESOLUTION as u32,
            RESOLUTION as u32,
        );
        let small = dom::offscreen_canvas(RESOLUTION as u32, RESOLUTION as u32);
        if let (Ok(image), Some(small)) = (image, small)
            && let Some(sctx) = dom::context_2d(&small)
        {
            let _ = sctx.put_image_data(&image, 0.0, 0.0);
            ctx.set_image_smoothing_enabled(false);
            let _ = ctx.draw_image_with_html_canvas_element_and_dw_and_dh(&small, 0.0, 0.0, w, h);
        }
    }
}
