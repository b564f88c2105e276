//! The real-data panel: Fashion-MNIST-LT at a chosen imbalance, fetched when
//! the visitor asks for it; a few images of each class head to tail with
//! its count; softmax, class-balanced softmax and a chosen method trained on
//! the 196 pixels in the worker (on the CPU or WebGPU, as the training
//! panel's backend says), as `cblab train --data fashion-mnist-lt` trains them.

use std::sync::Arc;

use leptos::prelude::*;
use wasm_bindgen::Clamped;

use crate::charts::figure::TrainingFigure;
use crate::charts::training::{ClassAccuracyChart, ConfusionChart};
use crate::data::export::decimal;
use crate::data::fashion::{self, FashionAsset, Images, SIDE};
use crate::explorer::training::TrainingSettings;
use crate::i18n::{Message, tr_with};
use crate::site::dom;
use crate::site::figures::ChartCanvas;
use crate::site::i18n::{t, use_page};
use crate::site::state::use_explorer;
use crate::site::training::seeded::{
    Request, SeededRuns, messages_view, progress_view, results_table, run_button,
};
use crate::train::experiments::{SeedSummary, parse_compare_list};
use crate::worker::fetch::fashion_asset;
use crate::worker::protocol::JobData;

/// The imbalances offered (the presets').
const IMBALANCES: [u32; 5] = [10, 20, 50, 100, 200];
/// The imbalance on a first visit.
const DEFAULT_IMBALANCE: u32 = 100;
/// The third run's choices, as method names (`cblab train --compare`).
const METHODS: [&str; 5] = [
    "logit-adjusted",
    "inverse-softmax",
    "cb-focal",
    "cb-ldam+drw",
    "softmax@class-balanced",
];
/// Images shown per class.
const THUMBNAILS: usize = 4;

/// Where the images are.
#[derive(Clone)]
enum Load {
    /// Not asked for yet.
    Idle,
    Loading,
    Ready(Arc<FashionAsset>),
    Failed(Message),
}

/// Images `which` of `images` side by side on `canvas` (one row of
/// [`SIDE`]-pixel squares), dark on light.
fn draw_images(canvas: &web_sys::HtmlCanvasElement, images: &Images, which: &[usize]) {
    let Some(ctx) = dom::context_2d(canvas) else {
        return;
    };
    let width = canvas.width() as usize;
    let mut rgba = vec![255u8; width * SIDE * 4];
    for (k, &i) in which.iter().enumerate().take(width / SIDE) {
        for (p, &v) in images.image(i).iter().enumerate() {
            let (row, col) = (p / SIDE, k * SIDE + p % SIDE);
            let grey = (255.0 * (1.0 - v)).round() as u8;
            rgba[(row * width + col) * 4..][..3].fill(grey);
        }
    }
    if let Ok(image) = web_sys::ImageData::new_with_u8_clamped_array_and_sh(
        Clamped(&rgba),
        width as u32,
        SIDE as u32,
    ) {
        let _ = ctx.put_image_data(&image, 0.0, 0.0);
    }
}

/// The first [`THUMBNAILS`] images of class `c`.
fn first_of_class(images: &Images, c: usize) -> Vec<usize> {
    (0..images.len())
        .filter(|&i| images.labels[i] == c)
        .take(THUMBNAILS)
        .collect()
}

/// The translation keys of the classes' names, in label order.
const CLASS_NAMES: [&str; fashion::CLASSES] = [
    "fashion.class.0",
    "fashion.class.1",
    "fashion.class.2",
    "fashion.class.3",
    "fashion.class.4",
    "fashion.class.5",
    "fashion.class.6",
    "fashion.class.7",
    "fashion.class.8",
    "fashion.class.9",
];
/// The tail classes whose misclassified test images the gallery shows.
const GALLERY_CLASSES: std::ops::Range<usize> = 7..10;
/// At most this many images of each.
const GALLERY_PER_CLASS: usize = 4;

/// The misclassified test images of the tail classes: (image, predicted class).
fn misclassified(test: &Images, predicted: &[u8]) -> Vec<(usize, usize)> {
    GALLERY_CLASSES
        .flat_map(|c| {
            (0..test.len())
                .filter(move |&i| test.labels[i] == c && predicted[i] as usize != c)
                .take(GALLERY_PER_CLASS)
                .map(|i| (i, predicted[i] as usize))
        })
        .collect()
}

/// The panel.
#[component]
pub fn RealDataPanel() -> impl IntoView {
    let ex = use_explorer();
    let lang = use_page().lang;
    let load = RwSignal::new(Load::Idle);
    let imbalance = RwSignal::new(DEFAULT_IMBALANCE);
    let method = RwSignal::new(METHODS[0]);
    let b = SeededRuns::new();
    let counts = Memo::new(move |_| fashion::counts_at(f64::from(imbalance.get())));
    let train_images = Memo::new(move |_| match load.get() {
        Load::Ready(asset) => asset.train(f64::from(imbalance.get())).map(Arc::new),
        _ => None,
    });
    let test_images = Memo::new(move |_| match load.get() {
        Load::Ready(asset) => Some(Arc::new(asset.test())),
        _ => None,
    });
    let name = move |c: usize| crate::i18n::tr(lang.get(), CLASS_NAMES[c]);
    // The class-balanced run's (the second) mistakes on the three rarest classes.
    let gallery = Memo::new(move |_| {
        let test = test_images.get()?;
        let predicted = b.predictions(1)?;
        Some((test.clone(), misclassified(&test, &predicted)))
    });
    // Another imbalance or method is another experiment: its runs go.
    b.clear_on_change(move || (imbalance.get(), method.get()));

    let fetch = move |_| {
        if matches!(load.get_untracked(), Load::Loading | Load::Ready(_)) {
            return;
        }
        load.set(Load::Loading);
        wasm_bindgen_futures::spawn_local(async move {
            load.set(match fashion_asset().await {
                Ok(asset) => Load::Ready(Arc::new(asset)),
                Err(why) => Load::Failed(why),
            });
        });
    };

    let request = move |settings: &TrainingSettings| {
        let base = settings
            .base(
                ex.state.with_untracked(|s| s.beta.value()),
                ex.state.with_untracked(|s| s.gamma),
            )
            .for_images();
        let list = format!("softmax,cb-softmax,{}", method.get_untracked());
        let configs = parse_compare_list(&list, &base).expect("the panel's names parse");
        let rho = imbalance.get_untracked();
        Request {
            data: JobData::FashionMnistLt {
                imbalance: f64::from(rho),
            },
            counts: fashion::counts_at(f64::from(rho)),
            prototypes: None,
            configs,
            seeds: 1,
        }
    };

    // Each run over the seeds that finished, in the order they were trained.
    let summaries = Memo::new(move |_| {
        b.summaries()
            .into_iter()
            .flatten()
            .collect::<Vec<SeedSummary>>()
    });
    let accuracy_figure = Memo::new(move |_| {
        TrainingFigure::ClassAccuracy(ClassAccuracyChart {
            classes: fashion::CLASSES,
            runs: b
                .lists()
                .iter()
                .filter_map(|r| r.first())
                .map(|r| (r.config.label_message(), r.metrics.per_class.clone()))
                .collect(),
        })
    });
    // The class-balanced run's confusion matrix (the second run).
    let confusion_figure = Memo::new(move |_| {
        let lists = b.lists();
        let cb = lists.get(1).and_then(|r| r.first());
        TrainingFigure::Confusion(ConfusionChart {
            label: cb.map_or(Message::new("training.real_confusion"), |r| {
                r.config.label_message()
            }),
            classes: fashion::CLASSES,
            names: CLASS_NAMES.map(Message::new).to_vec(),
            counts: cb.map_or(Vec::new(), |r| r.metrics.confusion.clone()),
        })
    });

    let thumbnail = move |c: usize| {
        let canvas = NodeRef::<leptos::html::Canvas>::new();
        Effect::new(move |_| {
            if let (Some(canvas), Some(images)) = (canvas.get(), train_images.get()) {
                draw_images(&canvas, &images, &first_of_class(&images, c));
            }
        });
        view! {
            <figure class="thumb" data-class=c.to_string()>
                <canvas node_ref=canvas width=(THUMBNAILS * SIDE).to_string() height=SIDE.to_string()
                    role="img" aria-label=move || tr_with(lang.get(), "training.real_thumb_label", &[("name", name(c))])></canvas>
                <figcaption>
                    <span class="num">{c}</span> " " {move || name(c)} " "
                    <span class="count" data-count=move || counts.with(|n| n[c].to_string())>
                        {move || tr_with(lang.get(), "training.real_count", &[("n", &counts.with(|n| n[c].to_string()))])}
                    </span>
                </figcaption>
            </figure>
        }
    };

    let row = move |s: SeedSummary| {
        let label = s.config.label_message();
        let pct = |m: Option<f64>| m.map_or("-".to_owned(), |v| format!("{:.1}", 100.0 * v));
        view! {
            <tr data-label=s.label.clone() data-balanced=decimal(s.balanced_accuracy.mean)>
                <th scope="row">{move || label.in_lang(lang.get())}</th>
                <td class="num">{pct(Some(s.balanced_accuracy.mean))}</td>
                <td class="num">{pct(s.many_shot.map(|m| m.mean))}</td>
                <td class="num">{pct(s.medium_shot.map(|m| m.mean))}</td>
                <td class="num">{pct(s.few_shot.map(|m| m.mean))}</td>
            </tr>
        }
    };

    view! {
        <section class="panel real-data" aria-labelledby="real-title">
            <h3 id="real-title">{t("training.real_title")}</h3>
            <p class="hint">{t("training.real_hint")}</p>
            <p class="credit">{t("training.real_credit")}</p>
            <div class="tools">
                <button type="button" id="real-load" on:click=fetch
                    disabled=move || matches!(load.get(), Load::Loading | Load::Ready(_))>
                    {t("training.real_load")}
                </button>
                <label>
                    {t("training.real_imbalance")}
                    <select id="real-imbalance" prop:value=move || imbalance.get().to_string()
                        on:change=move |ev| {
                            if let Ok(r) = event_target_value(&ev).parse::<u32>() && IMBALANCES.contains(&r) {
                                imbalance.set(r);
                            }
                        }>
                        {IMBALANCES.map(|r| view! { <option value=r.to_string()>{r}</option> }).collect_view()}
                    </select>
                </label>
                <label>
                    {t("training.real_method")}
                    <select id="real-method" prop:value=move || method.get().to_owned()
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            if let Some(&m) = METHODS.iter().find(|&&m| m == v) {
                                method.set(m);
                            }
                        }>
                        {METHODS.map(|m| view! { <option value=m>{m}</option> }).collect_view()}
                    </select>
                </label>
                {run_button(b, "real-run", "training.real_run", move || matches!(load.get(), Load::Ready(_)), request)}
                {progress_view(b, "real", "training.real_progress_label")}
            </div>
            {move || match load.get() {
                Load::Loading => Some(view! { <p role="status">{t("training.real_loading")}</p> }.into_any()),
                Load::Failed(m) => Some(view! { <p class="error" role="alert">{move || m.in_lang(lang.get())}</p> }.into_any()),
                _ => None,
            }}
            {messages_view(b, "real")}
            <Show when=move || matches!(load.get(), Load::Ready(_))>
                <div class="thumbs" id="real-thumbs">
                    {(0..fashion::CLASSES).map(thumbnail).collect_view()}
                </div>
                {results_table("real-table", "real-caption", "training.real_caption", &[
                    ("training.board_method", false),
                    ("training.col_balanced", true),
                    ("training.col_many", true),
                    ("training.col_medium", true),
                    ("training.col_few", true),
                ], move || summaries.get().into_iter().map(row).collect_view())}
                <div class="figure-grid">
                    <ChartCanvas figure=accuracy_figure name="real-per-class-accuracy"
                        caption=t("training.real_accuracy_caption") />
                    <ChartCanvas figure=confusion_figure name="real-confusion"
                        caption=t("training.real_confusion_caption") />
                </div>
                <p class="class-key" id="real-class-key">
                    {(0..fashion::CLASSES).map(|c| view! { <span><span class="num">{c}</span> " " {move || name(c)}</span> }).collect_view()}
                </p>
                {move || gallery.get().map(|(test, wrong)| view! {
                    <h4 id="real-gallery-title">{t("training.real_gallery_title")}</h4>
                    <p class="hint">{let n = wrong.len().to_string(); move || tr_with(lang.get(), "training.real_gallery_hint", &[("n", &n)])}</p>
                    <div class="gallery" id="real-gallery" aria-labelledby="real-gallery-title">
                        {wrong.iter().map(|&(i, predicted)| {
                            let canvas = NodeRef::<leptos::html::Canvas>::new();
                            let test = test.clone();
                            let truth = test.labels[i];
                            Effect::new(move |_| {
                                if let Some(canvas) = canvas.get() {
                                    draw_images(&canvas, &test, &[i]);
                                }
                            });
                            view! {
                                <figure class="mistake" data-true=truth.to_string() data-predicted=predicted.to_string()>
                                    <canvas node_ref=canvas width=SIDE.to_string() height=SIDE.to_string() role="img"
                                        aria-label=move || tr_with(lang.get(), "training.real_mistake", &[("truth", name(truth)), ("predicted", name(predicted))])></canvas>
                                    <figcaption>{move || tr_with(lang.get(), "training.real_mistake", &[("truth", name(truth)), ("predicted", name(predicted))])}</figcaption>
                                </figure>
                            }
                        }).collect_view()}
                    </div>
                })}
            </Show>
        </section>
    }
}
