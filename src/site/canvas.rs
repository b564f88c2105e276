//! plotters backends for the page, with text measured by a canvas's
//! measureText. plotters measures text on the web by adding a styled `<span>`
//! to the page and reading its layout, which forces a layout per label and is
//! an inline style the page's Content-Security-Policy refuses.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use plotters::prelude::*;
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind, FontTransform,
};
use plotters_canvas::CanvasBackend;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use crate::charts::{ChartBackend, Region, draw_dashes, overlap};

/// Where a figure goes: the page's `<canvas>`, or an SVG document for a download.
enum Target<'a> {
    Canvas(CanvasBackend),
    Svg(SVGBackend<'a>),
}

/// The page's one plotters backend, for both targets, with text sized by a
/// canvas 2D context. One type rather than one per target because every
/// chart's drawing code is generic over the backend: with two types the
/// page's wasm held all of it twice (about 15 kB of the first load, gzipped).
pub struct Backend<'a> {
    target: Target<'a>,
    context: CanvasRenderingContext2d,
    /// Where a canvas keeps its charts' frames, if it does.
    frames: Option<Rc<RefCell<Frames>>>,
}

/// The frames a page canvas keeps (see [`ChartBackend`]): their pixels on a
/// canvas of the same size off the page, and which frame each region holds.
#[derive(Default)]
pub struct Frames {
    pixels: Option<(HtmlCanvasElement, CanvasRenderingContext2d)>,
    kept: Vec<(Region, u64)>,
}

/// Most frames a canvas keeps (a figure of several panels has one a panel).
const MAX_FRAMES: usize = 16;

/// Why the canvas or the SVG writer failed, in words.
#[derive(Debug)]
pub struct DrawError(String);

impl std::fmt::Display for DrawError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DrawError {}

fn lift<E: std::error::Error + Send + Sync>(e: DrawingErrorKind<E>) -> DrawingErrorKind<DrawError> {
    match e {
        DrawingErrorKind::DrawingError(e) => {
            DrawingErrorKind::DrawingError(DrawError(e.to_string()))
        }
        DrawingErrorKind::FontError(e) => DrawingErrorKind::FontError(e),
    }
}

/// Calls the same method on whichever backend is the target.
macro_rules! forward {
    ($self:ident.$method:ident($($arg:expr),*)) => {
        match &mut $self.target {
            Target::Canvas(b) => b.$method($($arg),*).map_err(lift),
            Target::Svg(b) => b.$method($($arg),*).map_err(lift),
        }
    };
}

fn context_of(canvas: &HtmlCanvasElement) -> Option<CanvasRenderingContext2d> {
    canvas.get_context("2d").ok()??.dyn_into().ok()
}

impl Backend<'static> {
    /// The backend for this canvas element, or `None` if it has no 2D context.
    pub fn canvas(canvas: &HtmlCanvasElement) -> Option<Self> {
        Some(Self {
            context: context_of(canvas)?,
            target: Target::Canvas(CanvasBackend::with_canvas_object(canvas.clone())?),
            frames: None,
        })
    }

    /// The backend keeping its charts' frames in `frames`, which the
    /// canvas's owner holds from one draw to the next.
    pub fn keeping(self, frames: Rc<RefCell<Frames>>) -> Self {
        Self {
            frames: Some(frames),
            ..self
        }
    }
}

impl<'a> Backend<'a> {
    /// An SVG of `size` written into `out`, measuring text on a detached canvas.
    pub fn svg(out: &'a mut String, size: (u32, u32)) -> Option<Self> {
        let document = web_sys::window()?.document()?;
        let canvas: HtmlCanvasElement = document.create_element("canvas").ok()?.dyn_into().ok()?;
        Some(Self {
            context: context_of(&canvas)?,
            target: Target::Svg(SVGBackend::with_string(out, size)),
            frames: None,
        })
    }
}

impl DrawingBackend for Backend<'_> {
    type ErrorType = DrawError;

    fn get_size(&self) -> (u32, u32) {
        match &self.target {
            Target::Canvas(b) => b.get_size(),
            Target::Svg(b) => b.get_size(),
        }
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<DrawError>> {
        forward!(self.ensure_prepared())
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<DrawError>> {
        forward!(self.present())
    }

    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<DrawError>> {
        forward!(self.draw_pixel(point, color))
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<DrawError>> {
        forward!(self.draw_line(from, to, style))
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<DrawError>> {
        forward!(self.draw_rect(upper_left, bottom_right, style, fill))
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<DrawError>> {
        forward!(self.draw_path(path, style))
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<DrawError>> {
        forward!(self.fill_polygon(vert, style))
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<DrawError>> {
        forward!(self.draw_circle(center, radius, style, fill))
    }

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<DrawError>> {
        forward!(self.draw_text(text, style, pos))
    }

    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        style: &S,
    ) -> Result<(u32, u32), DrawingErrorKind<DrawError>> {
        // The same font string plotters-canvas draws with.
        let font = format!(
            "{} {}px {}",
            style.style().as_str(),
            style.size(),
            style.family().as_str()
        );
        let width = measured_width(&self.context, font, text)
            .unwrap_or(0.6 * style.size() * text.chars().count() as f64);
        let (w, h) = (width.ceil() as u32, style.size().ceil() as u32);
        Ok(match style.transform() {
            FontTransform::Rotate90 | FontTransform::Rotate270 => (h, w),
            _ => (w, h),
        })
    }
}

impl ChartBackend for Backend<'_> {
    fn draw_dashed_line(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        dash: u32,
        style: &ShapeStyle,
    ) -> Result<(), DrawingErrorKind<DrawError>> {
        if matches!(self.target, Target::Svg(_)) {
            return draw_dashes(self, from, to, dash, style);
        }
        if style.color.alpha() == 0.0 {
            return Ok(());
        }
        // One stroke with a dash pattern, where the SVG gets a path a dash.
        let context = &self.context;
        context.set_stroke_style_str(&css_colour(&style.color));
        context.set_line_width(f64::from(style.stroke_width));
        let _ = context.set_line_dash(&js_sys::Array::of2(
            &f64::from(dash).into(),
            &f64::from(dash).into(),
        ));
        context.begin_path();
        context.move_to(f64::from(from.0), f64::from(from.1));
        context.line_to(f64::from(to.0), f64::from(to.1));
        context.stroke();
        let _ = context.set_line_dash(&js_sys::Array::new());
        Ok(())
    }

    fn restore_frame(&mut self, key: u64, (x, y, w, h): Region) -> bool {
        let Some(frames) = &self.frames else {
            return false;
        };
        let frames = frames.borrow();
        let Some((pixels, _)) = &frames.pixels else {
            return false;
        };
        if !frames.kept.contains(&((x, y, w, h), key)) {
            return false;
        }
        let (x, y, w, h) = (x as f64, y as f64, w as f64, h as f64);
        let context = &self.context;
        context.save();
        let _ = context.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0);
        context.set_global_alpha(1.0);
        // No clear first: the frame holds its chart's background, opaque.
        let copied = context
            .draw_image_with_html_canvas_element_and_sw_and_sh_and_dx_and_dy_and_dw_and_dh(
                pixels, x, y, w, h, x, y, w, h,
            )
            .is_ok();
        context.restore();
        copied
    }

    fn keep_frame(&mut self, key: u64, region: Region) {
        let (Some(frames), Some(canvas)) = (&self.frames, self.context.canvas()) else {
            return;
        };
        let mut frames = frames.borrow_mut();
        let fits = |(c, _): &(HtmlCanvasElement, CanvasRenderingContext2d)| {
            c.width() == canvas.width() && c.height() == canvas.height()
        };
        if !frames.pixels.as_ref().is_some_and(fits) {
            // A new size: what was kept is for the old one.
            frames.kept.clear();
            frames.pixels = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.create_element("canvas").ok())
                .and_then(|c| c.dyn_into::<HtmlCanvasElement>().ok())
                .and_then(|c| {
                    c.set_width(canvas.width());
                    c.set_height(canvas.height());
                    Some((c.clone(), context_of(&c)?))
                });
        }
        let Some((_, context)) = &frames.pixels else {
            return;
        };
        let (x, y, w, h) = (
            region.0 as f64,
            region.1 as f64,
            region.2 as f64,
            region.3 as f64,
        );
        context.clear_rect(x, y, w, h);
        let kept = context
            .draw_image_with_html_canvas_element_and_sw_and_sh_and_dx_and_dy_and_dw_and_dh(
                &canvas, x, y, w, h, x, y, w, h,
            )
            .is_ok();
        frames.kept.retain(|(r, _)| !overlap(*r, region));
        if kept {
            if frames.kept.len() >= MAX_FRAMES {
                frames.kept.remove(0);
            }
            frames.kept.push((region, key));
        }
    }
}

thread_local! {
    /// Text widths already measured, by font and text: a redraw sets mostly
    /// the same labels, and each measurement is a call into the browser.
    static WIDTHS: RefCell<HashMap<(String, String), f64>> = RefCell::new(HashMap::new());
}

/// Most widths kept; past it the cache starts over.
const MAX_WIDTHS: usize = 4096;

/// `colour` as a CSS colour, for the 2D context's fill and stroke styles
/// (plotters-canvas has its own, private).
pub fn css_colour(colour: &impl Color) -> String {
    let (r, g, b) = colour.rgb();
    format!("rgba({r},{g},{b},{})", colour.alpha())
}

/// The width of `text` in `font` on `context`, measured once.
fn measured_width(context: &CanvasRenderingContext2d, font: String, text: &str) -> Option<f64> {
    let key = (font, text.to_owned());
    if let Some(width) = WIDTHS.with_borrow(|w| w.get(&key).copied()) {
        return Some(width);
    }
    context.set_font(&key.0);
    let width = context.measure_text(text).ok()?.width();
    WIDTHS.with_borrow_mut(|w| {
        if w.len() >= MAX_WIDTHS {
            w.clear();
        }
        w.insert(key, width);
    });
    Some(width)
}
