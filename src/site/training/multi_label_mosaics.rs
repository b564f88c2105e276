//! The Fashion-MNIST mosaics with their labels: the first test mosaics, each
//! drawn from its pixels, with its true classes and the classes a run
//! picked from the finished ones predicts (probability at least 0.5), each
//! predicted class marked right or wrong.

use leptos::prelude::*;
use wasm_bindgen::{Clamped, JsCast};

use crate::data::fashion_mosaics::MOSAIC_SIDE;
use crate::data::profiles::FASHION_MNIST_CLASSES;
use crate::site::i18n::t;
use crate::train::multi_label_trainer::MultiLabelMethod;
use crate::worker::protocol::{MultiLabelReport, ShownMosaic};

// Its styles are set through the CSSOM (`style:`), which the page's CSP
// allows, so they come in the training chunk and not in the first load's
// stylesheet.
/// The gallery, shown once a mosaics run has finished.
#[component]
pub(super) fn MultiLabelMosaics(report: ReadSignal<Option<MultiLabelReport>>) -> impl IntoView {
    // None: the newest finished run.
    let (chosen, set_chosen) = signal(None::<usize>);
    let finished = move || report.with(|r| r.as_ref().map_or(0, |r| r.predicted.len()));
    let shown = move || {
        let n = finished();
        (n > 0).then(|| chosen.get().filter(|&i| i < n).unwrap_or(n - 1))
    };
    let options = move || {
        (0..finished())
            .map(|i| {
                let name = MultiLabelMethod::STANDARD[i].name();
                view! { <option value=i.to_string() selected=move || shown() == Some(i)>{name}</option> }
            })
            .collect_view()
    };
    let tiles = move || {
        let run = shown()?;
        report.with(|r| {
            let r = r.as_ref()?;
            let predicted = r.predicted.get(run)?;
            Some(
                r.mosaics
                    .iter()
                    .zip(predicted)
                    .map(|(m, p)| tile(m.clone(), p.clone()))
                    .collect_view(),
            )
        })
    };
    view! {
        <div hidden=move || finished() == 0>
            <h4>{t("multi.mosaics_title")}</h4>
            <div class="tools">
                <label>
                    {t("multi.regions_method")}
                    <select id="multi-mosaics-method"
                        on:change=move |e| set_chosen.set(event_target_value(&e).parse().ok())>
                        {options}
                    </select>
                </label>
            </div>
            <ul class="mosaics" id="multi-mosaics" style:list-style="none" style:padding="0" style:display="grid"
                style:grid-template-columns="repeat(auto-fill, minmax(9rem, 1fr))" style:gap="0.75rem">{tiles}</ul>
            <p class="hint">{t("multi.mosaics_caption")}</p>
        </div>
    }
}

fn names(classes: &[usize]) -> String {
    let names: Vec<&str> = classes.iter().map(|&c| FASHION_MNIST_CLASSES[c]).collect();
    if names.is_empty() {
        "–".to_owned()
    } else {
        names.join(", ")
    }
}

/// One mosaic: its picture, its true classes, the predicted ones marked.
fn tile(mosaic: ShownMosaic, predicted: Vec<usize>) -> impl IntoView + use<> {
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    let pixels = mosaic.pixels.to_vec();
    canvas.on_load(move |canvas| draw(&canvas, &pixels));
    let marked: Vec<String> = predicted
        .iter()
        .map(|&c| {
            let mark = if mosaic.classes.contains(&c) {
                "✓"
            } else {
                "✗"
            };
            format!("{mark} {}", FASHION_MNIST_CLASSES[c])
        })
        .collect();
    let missed = mosaic
        .classes
        .iter()
        .filter(|c| !predicted.contains(c))
        .count();
    let label = names(&mosaic.classes);
    let (data_true, aria) = (label.clone(), label.clone());
    view! {
        <li data-true=data_true data-missed=missed.to_string()
            style:display="flex" style:flex-direction="column" style:gap="0.2rem" style:font-size="0.85rem">
            <canvas node_ref=canvas width=MOSAIC_SIDE.to_string() height=MOSAIC_SIDE.to_string()
                style:width="112px" style:height="112px" style:image-rendering="pixelated"
                style:border="1px solid var(--muted)"
                role="img" aria-label=aria></canvas>
            <span><b>{t("multi.true")}</b>" "{label}</span>
            <span class="predicted"><b>{t("multi.predicted")}</b>" "
                {if marked.is_empty() { "–".to_owned() } else { marked.join(", ") }}</span>
        </li>
    }
}

/// Puts the mosaic's grey pixels on its canvas, dark items on white.
fn draw(canvas: &web_sys::HtmlCanvasElement, grey: &[u8]) {
    let Ok(Some(ctx)) = canvas.get_context("2d") else {
        return;
    };
    let Ok(ctx) = ctx.dyn_into::<web_sys::CanvasRenderingContext2d>() else {
        return;
    };
    let mut rgba = Vec::with_capacity(grey.len() * 4);
    for &g in grey {
        let v = 255 - g;
        rgba.extend_from_slice(&[v, v, v, 255]);
    }
    let side = MOSAIC_SIDE as u32;
    if let Ok(image) =
        web_sys::ImageData::new_with_u8_clamped_array_and_sh(Clamped(&rgba), side, side)
    {
        let _ = ctx.put_image_data(&image, 0.0, 0.0);
    }
}
