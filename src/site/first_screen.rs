//! The first screen: what CB Lab is in a sentence, the one figure that makes
//! the paper's point (the weights of the explorer's classes, CIFAR-10-LT at
//! first, under inverse frequency and under CB, beta under the reader's
//! finger), and three ways in: the lesson, the explorer, the export.

use leptos::prelude::*;

use super::figures::ChartCanvas;
use super::i18n::{t, tf, use_page};
use super::state::{Explorer, use_explorer};
use crate::balance::weights::head_and_tail;
use crate::charts::figure::Figure;
use crate::charts::short_number;
use crate::charts::weights::{WeightCurve, WeightsChart};
use crate::data::decimal::parse_f64;
use crate::data::profiles::preset;
use crate::explorer::results::scheme_weights;
use crate::explorer::slider::{SLIDER_STEPS, beta_at, position};
use crate::explorer::state::{ComparedScheme, Source};

/// The inverse-frequency weights, which follow the counts only.
fn inverse_weights(ex: Explorer) -> Memo<Option<Vec<f64>>> {
    Memo::new(move |_| {
        ex.counts
            .with(|c| scheme_weights(c, ComparedScheme::Inverse, ex.beta.get_untracked()))
            .weights
            .ok()
            .map(|w| w.weights)
    })
}

/// Inverse frequency and CB at the current beta, per class.
fn first_figure(ex: Explorer, inverse: Memo<Option<Vec<f64>>>) -> Memo<Figure> {
    Memo::new(move |_| {
        let beta = ex.beta.get();
        let mut curves = Vec::with_capacity(2);
        if let Some(w) = inverse.get() {
            curves.push(WeightCurve {
                label: ComparedScheme::Inverse.label(beta),
                weights: w,
                highlighted: false,
            });
        }
        if let Ok(w) = ex.cb.get() {
            curves.push(WeightCurve {
                label: ComparedScheme::Cb.label(beta),
                weights: w.weights,
                highlighted: true,
            });
        }
        Figure::Weights(WeightsChart {
            curves,
            log_y: ex.log_scale.get(),
        })
    })
}

/// The first screen.
#[component]
pub fn FirstScreen() -> impl IntoView {
    // It follows a drag of the explorer's slider only while on screen.
    let root = NodeRef::<leptos::html::Section>::new();
    let ex = use_explorer().while_shown(super::dom::on_screen(root));
    let page = use_page();
    let lang = page.lang;
    let present = Memo::new(move |_| page.view.with(|v| v.present));
    let inverse = inverse_weights(ex);
    let figure = first_figure(ex, inverse);
    // The figure, the slider and the words fit the first screen of a phone or a laptop.
    let screen = super::dom::window()
        .inner_height()
        .ok()
        .and_then(|h| h.as_f64())
        .unwrap_or(800.0);
    let max_height = (0.4 * screen).clamp(240.0, 460.0);
    // What the counts are: a preset's name, or "your classes".
    let data = Memo::new(move |_| {
        let lang = lang.get();
        ex.source.with(|s| match s {
            Source::Preset(name) => preset(name).map(|p| p.label(lang)),
            _ => None,
        })
    });
    let data_name = move || {
        data.get()
            .unwrap_or_else(|| crate::i18n::tr(lang.get(), "first.your_classes"))
            .to_owned()
    };
    // The rarest class's weight over the most frequent's, under each.
    let ratios = Memo::new(move |_| {
        let (head, tail, counts) = ex.counts.with(|c| {
            let (head, tail) = head_and_tail(c);
            Some((head, tail, (*c.get(head)?, *c.get(tail)?)))
        })?;
        let ratio = |w: &[f64]| w[tail] / w[head];
        let inverse = inverse.with(|w| w.as_deref().map(ratio))?;
        let cb = ex
            .cb
            .with(|cb| cb.as_ref().ok().map(|w| ratio(&w.weights)))?;
        Some((counts.0, counts.1, inverse, cb))
    });
    let caption = tf("first.caption", move || {
        vec![("data", data_name()), ("beta", ex.beta.get().to_string())]
    });
    // "Take weights" opens the export panel, closed by default, then the link scrolls to it.
    let open_export = move |_| {
        if let Some(panel) = super::dom::window()
            .document()
            .and_then(|d| d.get_element_by_id("export"))
        {
            let _ = panel.set_attribute("open", "");
        }
    };
    view! {
        <section class="first-screen" aria-labelledby="first-title" hidden=move || present.get() node_ref=root>
            <h2 id="first-title">{t("first.title")}</h2>
            <p class="lead">{t("first.lead")}</p>
            <div class="first-figure">
                <label for="first-beta" class="first-beta">
                    {tf("first.beta", move || vec![("beta", ex.beta.get().to_string())])}
                </label>
                <input
                    id="first-beta"
                    type="range"
                    min="0"
                    max=SLIDER_STEPS.to_string()
                    step="1"
                    list="paper-betas"
                    aria-valuetext=tf("controls.beta_valuetext", move || vec![("beta", ex.beta.get().to_string())])
                    prop:value=move || position(ex.beta.get()).to_string()
                    on:input=move |ev| {
                        if let Some(p) = parse_f64(&event_target_value(&ev)) {
                            ex.state.update(|s| s.beta = beta_at(p));
                        }
                    }
                />
                <p class="first-ratio" id="first-ratio" aria-live="polite">
                    {move || ratios.get().map(|(head, tail, inverse, cb)| {
                        crate::i18n::tr_with(lang.get(), "first.ratio", &[
                            ("tail", &tail.to_string()),
                            ("head", &head.to_string()),
                            ("inverse", &short_number(inverse)),
                            ("cb", &short_number(cb)),
                            ("beta", &ex.beta.get().to_string()),
                        ])
                    })}
                </p>
                <ChartCanvas figure name="first-weights" caption max_height />
            </div>
            <nav class="ways-in" aria-label=t("first.ways_label")>
                <a href="#long-tail" id="way-learn">
                    <strong>{t("first.learn")}</strong>
                    <span>{t("first.learn_what")}</span>
                </a>
                <a href="#explorer-title" id="way-explore">
                    <strong>{t("first.explore")}</strong>
                    <span>{t("first.explore_what")}</span>
                </a>
                <a href="#export" id="way-export" on:click=open_export>
                    <strong>{t("first.export")}</strong>
                    <span>{t("first.export_what")}</span>
                </a>
            </nav>
        </section>
    }
}
