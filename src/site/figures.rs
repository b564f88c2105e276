//! The five teaching figures: each a canvas redrawn when its data changes,
//! with PNG and SVG downloads and the table as its text alternative.

use std::cell::RefCell;
use std::rc::Rc;

use super::canvas::{Backend, Frames};
use leptos::prelude::*;
use plotters::coord::Shift;
use plotters::prelude::*;

use super::dom;
use super::editor::{CanvasFit, theme_for_slide, theme_for_width};
use super::i18n::{t, tf, use_page};
use super::state::{Explorer, use_explorer};
use crate::balance::effective_number::Beta;
use crate::balance::repeat_factor::repeat_factors;
use crate::charts::Theme;
use crate::charts::cb_term::CbTermChart;
use crate::charts::counts::CountsChart;
use crate::charts::effective::EffectiveCurveChart;
use crate::charts::figure::{Chart, Figure};
use crate::charts::focal::FocalChart;
use crate::charts::weights::{WeightCurve, WeightsChart};
use crate::explorer::state::ComparedScheme;
use crate::i18n::Message;
use crate::train::experiments::PAPER_BETAS;

/// The paper's betas, with beta = 0 for "no re-weighting".
fn reference_betas() -> Vec<Beta> {
    std::iter::once(0.0)
        .chain(PAPER_BETAS)
        .map(|b| Beta::new(b).expect("valid betas"))
        .collect()
}

/// Samples and effective numbers per class, at the paper's betas and the current one.
pub fn counts_figure(ex: Explorer) -> Memo<Figure> {
    // The paper's betas' curves follow the counts only: a beta drag computes
    // just the current beta's.
    let reference = Memo::new(move |_| {
        let betas = PAPER_BETAS.map(|b| Beta::new(b).expect("valid"));
        ex.counts.with(|c| CountsChart::new(c, &betas, false))
    });
    Memo::new(move |_| {
        let current = ex.beta.get();
        let mut chart = reference.get();
        chart.log_y = ex.log_scale.get();
        if !chart.effective.iter().any(|(b, _)| *b == current) {
            let extra = ex.counts.with(|c| CountsChart::new(c, &[current], false));
            chart.effective.extend(extra.effective);
        }
        Figure::Counts(chart)
    })
}

/// Weights per class for each compared scheme, and LVIS's repeat factor
/// when the counts have images per class.
pub fn weights_figure(ex: Explorer) -> Memo<Figure> {
    // The repeat factor follows the images and t, not beta or the rest of the state.
    let images = ex.images;
    let repeat_factor = Memo::new(move |_| {
        let (shown, t) = ex.repeat_factor.get();
        let factors = images.with(|i| {
            let i = i.as_ref()?;
            repeat_factors(&i.per_class, i.total, t).ok()
        })?;
        shown.then(|| WeightCurve {
            label: Message::new("scheme.repeat_factor").with("t", t),
            weights: factors,
            highlighted: false,
        })
    });
    Memo::new(move |_| {
        let beta = ex.beta.get();
        let mut curves: Vec<WeightCurve> = ex
            .compared()
            .into_iter()
            .filter_map(|s| {
                let w = s.weights.ok()?;
                Some(WeightCurve {
                    label: s.scheme.label(beta),
                    weights: w.weights,
                    highlighted: s.scheme == ComparedScheme::Cb,
                })
            })
            .collect();
        curves.extend(repeat_factor.get());
        Figure::Weights(WeightsChart {
            curves,
            log_y: ex.log_scale.get(),
        })
    })
}

/// E_n against n for the paper's betas and the current one.
pub fn effective_figure(ex: Explorer) -> Memo<Figure> {
    Memo::new(move |_| {
        let n_max = ex
            .counts
            .with(|c| c.iter().copied().max().unwrap_or(1))
            .max(10);
        Figure::Effective(EffectiveCurveChart {
            betas: reference_betas()[1..].to_vec(),
            current: ex.beta.get(),
            n_max,
            log_x: true,
        })
    })
}

/// The class-balanced term against n (the paper's Figure 3).
pub fn cb_term_figure(ex: Explorer) -> Memo<Figure> {
    Memo::new(move |_| {
        let n_max = ex
            .counts
            .with(|c| c.iter().copied().max().unwrap_or(1))
            .max(10_000);
        Figure::CbTerm(CbTermChart {
            betas: reference_betas(),
            current: ex.beta.get(),
            n_max,
        })
    })
}

/// The focal modulator and loss for a few gammas and the current one.
pub fn focal_figure(ex: Explorer) -> Memo<Figure> {
    Memo::new(move |_| {
        Figure::Focal(FocalChart {
            gammas: vec![0.0, 0.5, 1.0, 2.0, 5.0],
            current: ex.gamma.get(),
        })
    })
}

/// The five figures.
#[component]
pub fn Figures() -> impl IntoView {
    let ex = use_explorer();
    let counts_figure = counts_figure(ex);
    let weights_figure = weights_figure(ex);
    let effective_figure = effective_figure(ex);
    let cb_term_figure = cb_term_figure(ex);
    let focal_figure = focal_figure(ex);

    view! {
        <section class="panel figures" aria-labelledby="figures-title">
            <h2 id="figures-title">{t("figures.title")}</h2>
            <div class="figure-grid">
                <ChartCanvas figure=counts_figure name="counts-and-effective-numbers"
                    caption=t("figures.counts_caption") />
                <ChartCanvas figure=weights_figure name="weights-per-class"
                    caption=tf("figures.weights_caption", move || vec![("beta", ex.beta.get().to_string())]) />
                <ChartCanvas figure=effective_figure name="effective-number-curves"
                    caption=t("figures.effective_caption") />
                <ChartCanvas figure=cb_term_figure name="class-balanced-term"
                    caption=t("figures.cb_term_caption") />
                <ChartCanvas figure=focal_figure name="focal-loss"
                    caption=tf("figures.focal_caption", move || vec![("gamma", ex.gamma.get().to_string())]) />
            </div>
        </section>
    }
}

/// A figure on a canvas, redrawn when it changes, with downloads.
#[component]
pub fn ChartCanvas<F: Chart + Send + Sync + 'static>(
    /// What to draw.
    figure: Memo<F>,
    /// File name stem for downloads.
    name: &'static str,
    /// What the figure shows, in words.
    #[prop(into)]
    caption: Signal<String>,
    /// The id of the element holding the figure's numbers (the weights table unless given).
    #[prop(optional)]
    described_by: Option<&'static str>,
    /// The tallest the canvas may be, in CSS pixels (560 unless given).
    #[prop(optional)]
    max_height: Option<f64>,
) -> impl IntoView {
    let figure: Box<dyn Shown> = Box::new(figure);
    canvas_view(
        StoredValue::new_local(figure),
        name,
        caption,
        described_by,
        max_height.unwrap_or(560.0),
    )
}

/// A figure as the canvas sees it: its type is known only where a panel makes
/// one, so a training figure's drawing code stays in the training chunk
/// (src/site/deferred.rs) with the panels that name it.
trait Shown {
    fn track(&self);
    fn narrow_aspect(&self) -> f64;
    fn draw(&self, area: &DrawingArea<Backend<'_>, Shift>, theme: &Theme) -> Result<(), String>;
}

impl<F: Chart + Send + Sync + 'static> Shown for Memo<F> {
    fn track(&self) {
        Track::track(self);
    }

    fn narrow_aspect(&self) -> f64 {
        self.with_untracked(F::narrow_aspect)
    }

    fn draw(&self, area: &DrawingArea<Backend<'_>, Shift>, theme: &Theme) -> Result<(), String> {
        self.with_untracked(|f| f.draw(area, theme))
            .map_err(|e| e.to_string())
    }
}

/// The canvas of [`ChartCanvas`], one function for every kind of figure.
fn canvas_view(
    figure: StoredValue<Box<dyn Shown>, LocalStorage>,
    name: &'static str,
    caption: Signal<String>,
    described_by: Option<&'static str>,
    max_height: f64,
) -> impl IntoView {
    let ex = use_explorer();
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    let fit = StoredValue::new_local(CanvasFit::default());
    // The chart's frame, kept from one draw to the next (src/charts/frame.rs).
    let frames = StoredValue::new_local(Rc::new(RefCell::new(Frames::default())));
    // After the first draw, only charts on screen are redrawn as the state
    // changes; one scrolled into view is redrawn then. A drag stays fast.
    let (visible, set_visible) = signal(false);
    // Presentation mode lays the figure out anew (beside the slide's points,
    // as high as the screen allows) and with larger type, for the back of a room.
    let page = use_page();
    let presenting = Memo::new(move |_| page.view.with(|v| v.present));
    let draw = move || {
        let Some(canvas) = canvas.get_untracked() else {
            return;
        };
        let mut sizing = fit.get_value();
        let narrow = figure.with_value(|f| f.narrow_aspect());
        let width = sizing.fit(
            &canvas,
            ex.width.get_untracked(),
            (0.62, narrow),
            240.0,
            max_height,
        );
        fit.set_value(sizing);
        let theme = theme_for_width(ex.theme.get_untracked(), width);
        let theme = if presenting.get_untracked() {
            theme_for_slide(theme)
        } else {
            theme
        };
        let Some(backend) = Backend::canvas(&canvas) else {
            return;
        };
        let area = backend.keeping(frames.get_value()).into_drawing_area();
        if let Err(e) = figure.with_value(|f| f.draw(&area, &theme)) {
            leptos::logging::warn!("figure {name} was not drawn: {e}");
        }
        let _ = area.present();
    };
    // Off screen, the canvas gives back its pixels (its CSS size, and so the
    // page's layout, stays) and its kept frame: without a GPU, a browser
    // copies every canvas it composites at every frame, drawn or not, which
    // made a drag on a page of figures several times slower. It is fitted
    // and drawn again when it comes back.
    let release = move || {
        // The observer outlives a chart that a panel removed: then there is nothing to release.
        if let Some(element) = canvas.try_get_untracked().flatten() {
            element.set_width(0);
            element.set_height(0);
        }
        fit.try_set_value(CanvasFit::default());
        frames.try_set_value(Rc::new(RefCell::new(Frames::default())));
    };
    let drawn_once = StoredValue::new_local(false);
    let printing = dom::printing();
    // Its words wait with it, for a moment's rest of the state at most.
    let caption = Memo::new(move |_| {
        let follow = visible.get() || printing.get() || ex.resting.get();
        if follow {
            caption.get()
        } else {
            caption.get_untracked()
        }
    });
    Effect::new(move |previous: Option<bool>| {
        let now = presenting.get();
        if previous.is_some_and(|p| p != now) {
            // Once the page has its new layout.
            request_animation_frame(move || {
                fit.set_value(CanvasFit::default());
                draw();
            });
        }
        now
    });
    Effect::new(move |_| {
        ex.width.track();
        ex.theme.track();
        // The first draw happens anyway, so the page has its layout and every
        // figure. Off screen, the figure is not even tracked: its memo (the
        // same figure is shown by the lesson and by the explorer) is computed
        // only when the chart scrolls into view.
        if visible.get() || printing.get() || !drawn_once.get_value() {
            figure.with_value(|f| f.track());
            draw();
            drawn_once.set_value(true);
        }
    });
    Effect::new(move |_| {
        if let Some(element) = canvas.get() {
            dom::on_visibility(&element, move |on| {
                if !on && !printing.get_untracked() {
                    release();
                }
                set_visible.try_set(on);
            });
        }
    });
    let png = move |_| {
        // It may have been off screen since the state last changed.
        draw();
        if let Some(c) = canvas.get_untracked()
            && let Ok(url) = c.to_data_url_with_type("image/png")
        {
            dom::download_url(&format!("{name}.png"), &url);
        }
    };
    let svg = move |_| {
        let Some(c) = canvas.get_untracked() else {
            return;
        };
        if c.width() == 0 {
            // Off screen, it gave back its pixels: fit it again for the size.
            draw();
        }
        let scale = dom::pixel_ratio();
        let size = (
            (c.width() as f64 / scale) as u32,
            (c.height() as f64 / scale) as u32,
        );
        let shown = ex.theme.get_untracked();
        let theme = if shown.is_dark() {
            Theme::dark(1.0)
        } else {
            Theme::light(1.0)
        }
        .in_lang(shown.lang);
        let mut text = String::new();
        {
            let Some(backend) = Backend::svg(&mut text, size) else {
                return;
            };
            let area = backend.into_drawing_area();
            let drawn = figure.with_value(|f| f.draw(&area, &theme));
            if drawn.is_err() || area.present().is_err() {
                return;
            }
        }
        dom::download(&format!("{name}.svg"), &text, "image/svg+xml");
    };

    view! {
        <figure class="chart">
            <div class="canvas-wrap">
                <canvas node_ref=canvas role="img" aria-label=caption aria-describedby=described_by.unwrap_or("weights-table") data-figure=name></canvas>
            </div>
            <figcaption>
                {caption}
                <span class="downloads">
                    <button type="button" class="link" on:click=png aria-label=tf("figure.download_png", move || vec![("name", name.to_string())])>"PNG"</button>
                    <button type="button" class="link" on:click=svg aria-label=tf("figure.download_svg", move || vec![("name", name.to_string())])>"SVG"</button>
                </span>
            </figcaption>
        </figure>
    }
}
