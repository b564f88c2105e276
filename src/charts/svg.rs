//! Reading back what a chart wrote into an SVG string (for the charts' tests).

use plotters::prelude::*;

/// Draws with `draw` onto a `w` x `h` SVG and returns the document.
pub fn render<F>(size: (u32, u32), draw: F) -> String
where
    F: FnOnce(&DrawingArea<SVGBackend<'_>, plotters::coord::Shift>),
{
    let mut s = String::new();
    {
        let area = SVGBackend::with_string(&mut s, size).into_drawing_area();
        draw(&area);
        area.present().expect("an SVG string cannot fail to flush");
    }
    s
}

/// The attributes of each element `<tag .../>` in document order.
fn elements<'a>(svg: &'a str, tag: &str) -> Vec<Vec<(&'a str, String)>> {
    let open = format!("<{tag} ");
    svg.match_indices(&open)
        .map(|(at, _)| {
            let rest = &svg[at + open.len()..];
            let end = rest.find('>').expect("tags are closed");
            attributes(&rest[..end])
        })
        .collect()
}

fn attributes(s: &str) -> Vec<(&str, String)> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(eq) = rest.find("=\"") {
        let name = rest[..eq].trim();
        let after = &rest[eq + 2..];
        let close = after.find('"').expect("attribute values are quoted");
        out.push((name, unescape(&after[..close])));
        rest = &after[close + 1..];
    }
    out
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

fn get<'b>(attrs: &'b [(&str, String)], name: &str) -> &'b str {
    attrs
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

/// One `<polyline>`.
#[derive(Debug, Clone)]
pub struct Polyline {
    pub stroke: String,
    pub width: f64,
    pub points: Vec<(f64, f64)>,
}

/// Every polyline.
pub fn polylines(svg: &str) -> Vec<Polyline> {
    elements(svg, "polyline")
        .into_iter()
        .map(|a| Polyline {
            stroke: get(&a, "stroke").to_string(),
            width: get(&a, "stroke-width").parse().unwrap_or(0.0),
            points: points(get(&a, "points")),
        })
        .collect()
}

/// Polylines of more than two points: data series. Grid lines, axes, tick
/// marks and dashes are two-point polylines.
pub fn series(svg: &str) -> Vec<Polyline> {
    polylines(svg)
        .into_iter()
        .filter(|p| p.points.len() > 2)
        .collect()
}

/// One `<rect>`.
#[derive(Debug, Clone)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
    pub fill: String,
}

/// Every filled rectangle.
pub fn filled_rects(svg: &str) -> Vec<Rect> {
    elements(svg, "rect")
        .into_iter()
        .filter(|a| get(a, "fill") != "none")
        .map(|a| Rect {
            x: get(&a, "x").parse().unwrap(),
            y: get(&a, "y").parse().unwrap(),
            w: get(&a, "width").parse().unwrap(),
            h: get(&a, "height").parse().unwrap(),
            fill: get(&a, "fill").to_string(),
        })
        .collect()
}

/// One `<polygon>`.
#[derive(Debug, Clone)]
pub struct Polygon {
    pub fill: String,
    pub points: Vec<(f64, f64)>,
}

impl Polygon {
    /// Its height at horizontal pixel `x`: the spread of its points there.
    pub fn height_at(&self, x: f64) -> f64 {
        let ys: Vec<f64> = self
            .points
            .iter()
            .filter(|p| (p.0 - x).abs() < 0.5)
            .map(|p| p.1)
            .collect();
        ys.iter().copied().fold(f64::MIN, f64::max) - ys.iter().copied().fold(f64::MAX, f64::min)
    }
}

/// Every filled polygon.
pub fn polygons(svg: &str) -> Vec<Polygon> {
    elements(svg, "polygon")
        .into_iter()
        .map(|a| Polygon {
            fill: get(&a, "fill").to_string(),
            points: points(get(&a, "points")),
        })
        .collect()
}

fn points(s: &str) -> Vec<(f64, f64)> {
    s.split_whitespace()
        .map(|p| {
            let (x, y) = p.split_once(',').expect("x,y");
            (x.parse().unwrap(), y.parse().unwrap())
        })
        .collect()
}

/// The content of every `<text>`.
pub fn texts(svg: &str) -> Vec<String> {
    svg.match_indices("<text ")
        .map(|(at, _)| {
            let rest = &svg[at..];
            let start = rest.find('>').expect("closed") + 1;
            let end = rest.find("</text>").expect("closed");
            unescape(rest[start..end].trim())
        })
        .collect()
}

/// Every text with its anchor point.
pub fn text_positions(svg: &str) -> Vec<(String, f64, f64)> {
    texts(svg)
        .into_iter()
        .zip(elements(svg, "text"))
        .map(|(t, a)| {
            (
                t,
                get(&a, "x").parse().unwrap(),
                get(&a, "y").parse().unwrap(),
            )
        })
        .collect()
}

/// The font sizes of every text.
pub fn font_sizes(svg: &str) -> Vec<f64> {
    elements(svg, "text")
        .into_iter()
        .map(|a| get(&a, "font-size").parse().unwrap())
        .collect()
}

/// `#rrggbb` of a colour, as the SVG backend writes it.
pub fn hex(c: RGBColor) -> String {
    format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
}

/// A label that reads `text` in every language.
pub fn label(text: &str) -> crate::i18n::Message {
    crate::i18n::Message::new("run.plain").with("loss", text)
}

/// The English text of a chart's translation key.
pub fn en(key: &str) -> &'static str {
    crate::i18n::tr(crate::i18n::Lang::En, key)
}

/// Asserts that every one of `wanted` is the content of some text.
pub fn assert_texts(svg: &str, wanted: &[&str]) {
    let texts = texts(svg);
    for w in wanted {
        assert!(
            texts.iter().any(|t| t == w),
            "no text {w:?} among {texts:?}"
        );
    }
}
