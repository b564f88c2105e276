//! Teaching figures drawn with plotters on any backend: the canvas in the site,
//! SVG in tests and downloads.
//!
//! Every chart is a plain data struct, computed from the core (never a formula
//! of its own), and a `draw` function generic over the plotters backend. Sizes
//! are CSS pixels times [`Theme::scale`], so a HiDPI canvas (pixel size = CSS
//! size x devicePixelRatio) gets the same text and line sizes as a plain one.
//!
//! The charts: [`counts`] (samples and effective numbers per class, the
//! official notebook's figure), [`editor`] (the distribution the reader
//! paints), [`weights`] (weights per class for each scheme), [`effective`]
//! (E_n against n), [`cb_term`] (the paper's Figure 3) and [`focal`] (the
//! focal modulator and loss), the last three families of curves with the
//! reader's value on top, built with [`family`]; [`figure::Figure`] holds
//! any one of the lesson's and the explorer's figures,
//! [`figure::TrainingFigure`] any one of the training panels'. Per-class series longer than the plot is wide go through
//! [`envelope`], so 10,000 classes draw as fast and as small as 800.
//!
//! Every word a chart draws is a translation key looked up in the theme's
//! language ([`Theme::lang`], English unless the site says otherwise), so a
//! chart follows the page's language like the rest of the page.
//!
//! Text sizes differ by backend: plotters' canvas backend uses a font size as
//! CSS pixels, its SVG backend writes size / 1.24, so an SVG export shows text
//! about a fifth smaller than the canvas at the same scale.

use plotters::element::{DashedPathElement, Drawable};
use plotters::prelude::*;
use plotters_backend::{BackendCoord, DrawingErrorKind};

use crate::i18n::{Lang, Message, tr, tr_with};

pub mod axis;
pub mod cb_term;
pub mod counts;
pub mod coverage;
pub mod editor;
pub mod effective;
pub mod family;
pub mod figure;
pub mod focal;
mod frame;
pub mod grid;
mod series;
#[cfg(test)]
pub(crate) mod svg;
pub mod sweep;
pub mod training;
pub mod weights;

/// A plotters backend a chart draws on. One that can keep pixels (the page's
/// canvas) keeps each chart's frame, so that a redraw whose frame did not
/// change (a beta drag moves the series, not the axes) copies it back
/// instead of drawing its grid and words again; the others draw it every time.
pub trait ChartBackend: DrawingBackend {
    /// Puts back the frame kept as `key` over `region` (x, y, width, height
    /// in backend pixels), if that is the one kept there; false if not.
    fn restore_frame(&mut self, _key: u64, _region: Region) -> bool {
        false
    }

    /// Keeps what `region` holds now as the frame `key`.
    fn keep_frame(&mut self, _key: u64, _region: Region) {}

    /// Strokes the line `from`-`to` in dashes `dash` pixels long with gaps
    /// as long. Here one stroke a dash, as plotters' `DashedLineSeries`
    /// draws; a canvas strokes the whole line once with a dash pattern (the
    /// weights chart's rule at weight 1 was 73 strokes, redrawn every step
    /// of a beta drag).
    fn draw_dashed_line(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        dash: u32,
        style: &ShapeStyle,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>>
    where
        Self: Sized,
    {
        draw_dashes(self, from, to, dash, style)
    }
}

/// [`ChartBackend::draw_dashed_line`] one dash at a time, for any backend.
pub fn draw_dashes<DB: DrawingBackend>(
    backend: &mut DB,
    from: BackendCoord,
    to: BackendCoord,
    dash: u32,
    style: &ShapeStyle,
) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
    let size = backend.get_size();
    DashedPathElement::new([from, to], dash, dash, *style).draw(
        [from, to].into_iter(),
        backend,
        size,
    )
}

/// A rectangle of backend pixels: x, y, width, height.
pub type Region = (i32, i32, u32, u32);

/// Whether two regions share a pixel: keeping a frame over one spoils what
/// was kept over the other (a legend strip that grows moves the panels under it).
pub fn overlap(a: Region, b: Region) -> bool {
    let span = |start: i32, len: u32| (i64::from(start), i64::from(start) + i64::from(len));
    let ((ax0, ax1), (ay0, ay1)) = (span(a.0, a.2), span(a.1, a.3));
    let ((bx0, bx1), (by0, by1)) = (span(b.0, b.2), span(b.1, b.3));
    ax0 < bx1 && bx0 < ax1 && ay0 < by1 && by0 < ay1
}

impl ChartBackend for SVGBackend<'_> {}

/// What every draw function returns: plotters' error for the backend `DB`.
pub type DrawResult<T, DB> = Result<T, DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// Labels and tick labels, in CSS pixels: readable on a phone and from the back
/// of a lecture room.
pub const LABEL_PX: f64 = 13.0;
/// Chart titles, in CSS pixels.
pub const TITLE_PX: f64 = 15.0;
/// The smallest a title may shrink to when it does not fit the width, in CSS pixels.
const MIN_TITLE_PX: f64 = 11.0;

/// Charts with more classes than this draw a filled profile instead of one bar
/// per class: beyond it, bars are thinner than a pixel or two.
pub const MAX_BARS: usize = 300;

/// The Okabe-Ito palette (Okabe and Ito 2008), safe for every common form of
/// colour blindness: orange, sky blue, bluish green, yellow, blue, vermillion,
/// reddish purple and black.
pub const OKABE_ITO: [RGBColor; 8] = [
    RGBColor(0xE6, 0x9F, 0x00),
    RGBColor(0x56, 0xB4, 0xE9),
    RGBColor(0x00, 0x9E, 0x73),
    RGBColor(0xF0, 0xE4, 0x42),
    RGBColor(0x00, 0x72, 0xB2),
    RGBColor(0xD5, 0x5E, 0x00),
    RGBColor(0xCC, 0x79, 0xA7),
    RGBColor(0x00, 0x00, 0x00),
];

/// Line width of an ordinary curve, in CSS pixels.
pub const CURVE_WIDTH: f64 = 2.0;
/// Line width of the highlighted curve (the user's beta or gamma), in CSS pixels.
pub const HIGHLIGHT_WIDTH: f64 = 4.0;

/// Colours and sizes of every chart.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Theme {
    /// Behind everything.
    pub background: RGBColor,
    /// Text and axes.
    pub foreground: RGBColor,
    /// Secondary marks: reference lines, sample bars.
    pub muted: RGBColor,
    /// Grid lines.
    pub grid: RGBColor,
    /// Series colours, Okabe-Ito (black turns light grey in the dark theme).
    pub palette: [RGBColor; 8],
    /// The curve or bar the reader is asked to look at (the current beta, gamma,
    /// the selected class); series colours skip it.
    pub highlight: RGBColor,
    /// Device pixels per CSS pixel (devicePixelRatio on a canvas, 1 for SVG):
    /// every font size and stroke width is multiplied by it.
    pub scale: f64,
    /// The language of every word drawn.
    pub lang: Lang,
}

/// For the key of a chart's kept frame (src/charts/frame.rs): equal themes hash alike.
impl std::hash::Hash for Theme {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        let colours = [
            self.background,
            self.foreground,
            self.muted,
            self.grid,
            self.highlight,
        ];
        for c in colours.iter().chain(&self.palette) {
            (c.0, c.1, c.2).hash(state);
        }
        (self.scale.to_bits(), self.lang).hash(state);
    }
}

impl Theme {
    /// Dark text on white, the site's light colours.
    pub fn light(scale: f64) -> Self {
        Self {
            background: RGBColor(0xFF, 0xFF, 0xFF),
            foreground: RGBColor(0x1B, 0x1F, 0x24),
            muted: RGBColor(0x57, 0x60, 0x6A),
            grid: RGBColor(0xD0, 0xD7, 0xDE),
            palette: OKABE_ITO,
            highlight: OKABE_ITO[5],
            scale: sane_scale(scale),
            lang: Lang::En,
        }
    }

    /// Light text on the site's dark background; black becomes a light grey.
    pub fn dark(scale: f64) -> Self {
        let mut palette = OKABE_ITO;
        palette[7] = RGBColor(0xC8, 0xC8, 0xC8);
        Self {
            background: RGBColor(0x0D, 0x11, 0x17),
            foreground: RGBColor(0xE6, 0xED, 0xF3),
            muted: RGBColor(0x91, 0x98, 0xA1),
            grid: RGBColor(0x30, 0x36, 0x3D),
            palette,
            highlight: OKABE_ITO[5],
            scale: sane_scale(scale),
            lang: Lang::En,
        }
    }

    /// The same theme with its words in `lang`.
    pub fn in_lang(self, lang: Lang) -> Self {
        Self { lang, ..self }
    }

    /// The chart text `key` in the theme's language.
    pub fn text(&self, key: &str) -> &'static str {
        tr(self.lang, key)
    }

    /// The chart text `key` in the theme's language, its placeholders filled by `args`.
    pub fn text_with(&self, key: &str, args: &[(&str, &str)]) -> String {
        tr_with(self.lang, key, args)
    }

    /// A label built elsewhere (a run's, a scheme's), in the theme's language.
    pub fn message(&self, message: &Message) -> String {
        message.in_lang(self.lang)
    }

    /// Whether the background is dark (for picking the matching theme elsewhere).
    pub fn is_dark(&self) -> bool {
        let RGBColor(r, g, b) = self.background;
        // Rec. 601 luma: good enough to tell light from dark.
        0.299 * r as f64 + 0.587 * g as f64 + 0.114 * b as f64 <= 127.5
    }

    /// `css_px` CSS pixels in device pixels.
    pub fn px(&self, css_px: f64) -> f64 {
        css_px * self.scale
    }

    /// A stroke width of `css_px` CSS pixels in whole device pixels, at least 1.
    pub fn stroke(&self, css_px: f64) -> u32 {
        self.px(css_px).round().max(1.0) as u32
    }

    /// A sans-serif font of `css_px` CSS pixels in the foreground colour.
    pub fn font(&self, css_px: f64) -> TextStyle<'static> {
        FontDesc::new(FontFamily::SansSerif, self.px(css_px), FontStyle::Normal)
            .color(&self.foreground)
    }

    /// Axis labels, tick labels and legends.
    pub fn label_font(&self) -> TextStyle<'static> {
        self.font(LABEL_PX)
    }

    /// Chart titles: bold.
    pub fn title_font(&self) -> TextStyle<'static> {
        FontDesc::new(FontFamily::SansSerif, self.px(TITLE_PX), FontStyle::Bold)
            .color(&self.foreground)
    }

    /// The title font, shrunk (down to 11 CSS px) so that `title` fits
    /// `width_px` device pixels: a phone is narrower than a title.
    pub fn title_font_fitting(&self, title: &str, width_px: f64) -> TextStyle<'static> {
        let ems = text_ems(title).max(0.6);
        let fitting = width_px / ems / self.scale;
        let size = TITLE_PX.min(fitting).max(MIN_TITLE_PX);
        FontDesc::new(FontFamily::SansSerif, self.px(size), FontStyle::Bold).color(&self.foreground)
    }

    /// Colour and width (CSS pixels) of the `i`-th curve of a chart: the
    /// palette in turn, or the highlight, thicker, for the user's own value.
    pub fn curve(&self, i: usize, highlighted: bool) -> (RGBColor, f64) {
        if highlighted {
            (self.highlight, HIGHLIGHT_WIDTH)
        } else {
            (self.series(i), CURVE_WIDTH)
        }
    }

    /// The colour of the `i`-th ordinary series: the palette minus the
    /// highlight, in an order that keeps the low-contrast colour (yellow on
    /// white, blue on black) for last.
    pub fn series(&self, i: usize) -> RGBColor {
        const LIGHT: [usize; 8] = [4, 0, 2, 6, 1, 7, 3, 5];
        const DARK: [usize; 8] = [1, 0, 2, 6, 3, 7, 4, 5];
        let order = if self.is_dark() { DARK } else { LIGHT };
        let colours: Vec<RGBColor> = order
            .iter()
            .map(|&k| self.palette[k])
            .filter(|&c| c != self.highlight)
            .collect();
        colours[i % colours.len()]
    }
}

/// Roughly how wide `text` is in ems of a sans-serif font: about 0.6 em per
/// Latin character, a whole em per Chinese character (or other wide one).
pub(crate) fn text_ems(text: &str) -> f64 {
    text.chars()
        .map(|c| if is_wide(c) { 1.0 } else { 0.6 })
        .sum()
}

/// Whether `c` is a full-width character (CJK, full-width punctuation).
fn is_wide(c: char) -> bool {
    matches!(c as u32, 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6)
}

/// A devicePixelRatio that is not a positive finite number means 1.
fn sane_scale(scale: f64) -> f64 {
    if scale.is_finite() && scale > 0.0 {
        scale
    } else {
        1.0
    }
}

/// Reduces a long per-class series to at most `columns` buckets of
/// consecutive classes, each as (x_center, min, max): x_center is the middle
/// class index of the bucket and min, max the extremes of its values.
///
/// Drawing the min and max of each bucket, with one bucket per pixel column,
/// shows exactly what one point per class would (every peak and every dip)
/// with at most two points per column, so a 10,000-class series stays small.
/// With no more values than columns, each value is its own bucket. NaN marks a
/// value that cannot be drawn (zero on a log axis): it is left out of its
/// bucket's min and max, and a bucket of NaNs only is (x_center, NaN, NaN).
pub fn envelope(values: &[f64], columns: usize) -> Vec<(f64, f64, f64)> {
    let n = values.len();
    let columns = columns.max(1);
    if n <= columns {
        return values
            .iter()
            .enumerate()
            .map(|(i, &v)| (i as f64, v, v))
            .collect();
    }
    (0..columns)
        .map(|k| {
            // Integer bounds, so that every class lands in exactly one bucket.
            let start = (k as u128 * n as u128 / columns as u128) as usize;
            let end = ((k + 1) as u128 * n as u128 / columns as u128) as usize;
            let (min, max) = values[start..end]
                .iter()
                .filter(|v| !v.is_nan())
                .fold((f64::NAN, f64::NAN), |(lo, hi), &v| (lo.min(v), hi.max(v)));
            ((start + end - 1) as f64 / 2.0, min, max)
        })
        .collect()
}

/// A positive number in at most four significant digits, without trailing zeros.
pub(crate) fn short_number(v: f64) -> String {
    if !v.is_finite() {
        return format!("{v}");
    }
    if v == 0.0 {
        return "0".to_string();
    }
    if v.abs() >= 1e6 || v.abs() < 1e-3 {
        return format!("{v:.3e}")
            .replace(".000e", "e")
            .replace("00e", "e")
            .replace("0e", "e");
    }
    let digits = (4 - (v.abs().log10().floor() as i32 + 1)).clamp(0, 6) as usize;
    let s = format!("{v:.digits$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelope_keeps_every_bucket_extreme() {
        // A deterministic, bumpy series.
        let values: Vec<f64> = (0..10_007)
            .map(|i| ((i * 7919) % 1000) as f64 + (i as f64 * 0.37).sin())
            .collect();
        for columns in [1, 3, 640, 5000, 10_006] {
            let buckets = envelope(&values, columns);
            assert_eq!(buckets.len(), columns);
            // Rebuild the bucket bounds from the same rule and compare by brute force.
            let n = values.len();
            let mut covered = 0;
            for (k, &(x, lo, hi)) in buckets.iter().enumerate() {
                let start = k * n / columns;
                let end = (k + 1) * n / columns;
                assert_eq!(start, covered, "buckets are contiguous");
                covered = end;
                let slice = &values[start..end];
                let want_lo = slice.iter().copied().fold(f64::INFINITY, f64::min);
                let want_hi = slice.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                assert_eq!((lo, hi), (want_lo, want_hi));
                assert!(x >= start as f64 && x <= (end - 1) as f64);
            }
            assert_eq!(covered, n, "every class is in a bucket");
            // The global extremes survive.
            let all_lo = buckets.iter().map(|b| b.1).fold(f64::INFINITY, f64::min);
            let all_hi = buckets
                .iter()
                .map(|b| b.2)
                .fold(f64::NEG_INFINITY, f64::max);
            assert_eq!(all_lo, values.iter().copied().fold(f64::INFINITY, f64::min));
            assert_eq!(
                all_hi,
                values.iter().copied().fold(f64::NEG_INFINITY, f64::max)
            );
        }
    }

    #[test]
    fn envelope_of_a_short_series_is_the_series() {
        let values = [3.0, 1.0, 2.0];
        assert_eq!(
            envelope(&values, 10),
            vec![(0.0, 3.0, 3.0), (1.0, 1.0, 1.0), (2.0, 2.0, 2.0)]
        );
        assert!(envelope(&[], 10).is_empty());
        // Zero columns means one.
        assert_eq!(envelope(&values, 0), vec![(1.0, 1.0, 3.0)]);
    }

    #[test]
    fn envelope_skips_nan() {
        let values = [f64::NAN, 2.0, f64::NAN, f64::NAN, 5.0, 1.0];
        let b = envelope(&values, 3);
        assert_eq!((b[0].1, b[0].2), (2.0, 2.0));
        assert!(b[1].1.is_nan() && b[1].2.is_nan());
        assert_eq!((b[2].1, b[2].2), (1.0, 5.0));
    }

    #[test]
    fn themes() {
        let light = Theme::light(2.0);
        let dark = Theme::dark(1.0);
        assert!(!light.is_dark());
        assert!(dark.is_dark());
        assert_eq!(light.palette, OKABE_ITO);
        assert_eq!(dark.palette[7], RGBColor(0xC8, 0xC8, 0xC8));
        assert_eq!(light.stroke(1.5), 3);
        assert_eq!(dark.stroke(0.2), 1);
        assert_eq!(Theme::light(f64::NAN).scale, 1.0);
        // Series colours never use the highlight, and cycle through seven colours.
        for theme in [light, dark] {
            let colours: Vec<RGBColor> = (0..7).map(|i| theme.series(i)).collect();
            assert!(!colours.contains(&theme.highlight));
            for (i, a) in colours.iter().enumerate() {
                assert!(!colours[i + 1..].contains(a), "distinct");
            }
            assert_eq!(theme.series(7), theme.series(0));
        }
        assert_eq!(light.series(0), OKABE_ITO[4]);
        assert_eq!(dark.series(0), OKABE_ITO[1]);
    }

    #[test]
    fn title_font_shrinks_to_fit() {
        let theme = Theme::light(2.0);
        let title = "A fairly long title for a narrow phone screen";
        let wide = theme.title_font_fitting(title, 2000.0);
        let narrow = theme.title_font_fitting(title, 400.0);
        assert_eq!(wide.font.get_size(), 30.0);
        assert!(narrow.font.get_size() < 30.0 && narrow.font.get_size() >= 22.0);
    }

    #[test]
    fn labels() {
        assert_eq!(short_number(1000.0), "1000");
        assert_eq!(short_number(10.0), "10");
        assert_eq!(short_number(1.0 / 0.3), "3.333");
        assert_eq!(short_number(0.5), "0.5");
        assert_eq!(short_number(0.0), "0");
        assert_eq!(short_number(1e8), "1e8");
        assert_eq!(short_number(-0.0), "0");
    }
}
