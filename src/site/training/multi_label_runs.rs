//! Training with several labels a sample, in the page: the multi-label toy
//! task's or the Fashion-MNIST mosaics' seven methods (`cblab train --data
//! multi-label-toy|fashion-mosaics` at the explorer's beta and gamma) trained
//! in the worker, on the CPU one after the other or on WebGPU all at once
//! (the training panel's backend), each scored by mAP over
//! all, many, medium and few classes, micro F1 and each class's AP, head to
//! tail; the toy's regions ([`super::multi_label_regions`]) or the mosaics
//! with their true and predicted labels ([`super::multi_label_mosaics`]).

use leptos::prelude::*;

use super::multi_label_mosaics::MultiLabelMosaics;
use super::multi_label_regions::{MultiLabelRegions, RESOLUTION};
use crate::data::multi_label_toy::MultiLabelToyConfig;
use crate::data::profiles::FASHION_MNIST_CLASSES;
use crate::explorer::state::MultiData;
use crate::i18n::{Lang, Message, tr, tr_with};
use crate::site::backend::use_gpu;
use crate::site::i18n::{t, use_page};
use crate::site::state::use_explorer;
use crate::site::worker::{self, MultiLabelEvent};
use crate::train::config::TrainConfig;
use crate::train::multi_label_trainer::{MultiLabelConfig, MultiLabelMethod};
use crate::train::ranking::MultiLabelMetrics;
use crate::worker::protocol::{Debug, Device, MultiLabelReport, MultiLabelSource, MultiLabelSpec};

/// The toy task the page trains: 10 classes, imbalance 100 (the CLI's defaults).
fn toy() -> MultiLabelToyConfig {
    MultiLabelToyConfig {
        classes: 10,
        imbalance: 100.0,
        ..MultiLabelToyConfig::default()
    }
}

/// The page's comparison: the toy task or the mosaics, the seven methods,
/// at this beta and gamma.
fn spec_for(
    request: u32,
    source: MultiLabelSource,
    beta: f64,
    gamma: f64,
    device: Device,
    debug: Debug,
) -> MultiLabelSpec {
    MultiLabelSpec {
        request,
        source,
        classes: toy().classes,
        imbalance: toy().imbalance,
        settings: match source {
            MultiLabelSource::Toy => MultiLabelConfig {
                beta,
                gamma,
                ..MultiLabelConfig::default()
            },
            // The CLI's network and learning rate for images.
            MultiLabelSource::Mosaics => {
                let images = TrainConfig::default().for_images();
                MultiLabelConfig {
                    beta,
                    gamma,
                    model: images.model,
                    learning_rate: images.learning_rate,
                    ..MultiLabelConfig::default()
                }
            }
        },
        methods: MultiLabelMethod::STANDARD.to_vec(),
        resolution: RESOLUTION,
        device,
        debug,
    }
}

fn percent(v: Option<f64>) -> String {
    v.map_or("–".to_owned(), |v| format!("{:.1}", 100.0 * v))
}

/// The comparison's button, progress and results.
#[component]
pub fn MultiLabelRuns() -> impl IntoView {
    let ex = use_explorer();
    let gpu = use_gpu();
    let lang = use_page().lang;
    let (report, set_report) = signal(None::<MultiLabelReport>);
    let (error, set_error) = signal(None::<Message>);
    let (request, set_request) = signal(0u32);
    let source = Memo::new(move |_| match ex.state.with(|s| s.multi_data) {
        MultiData::Toy => MultiLabelSource::Toy,
        MultiData::Mosaics => MultiLabelSource::Mosaics,
    });
    let running = move || {
        report.with(|r| r.as_ref().is_some_and(|r| r.runs.len() < r.total))
            && error.with(Option::is_none)
    };
    let train = move |_| {
        let id = request.get_untracked() + 1;
        set_request.set(id);
        set_error.set(None);
        let (beta, gamma) = ex.state.with_untracked(|s| (s.beta.value(), s.gamma));
        let device = gpu.device_for(ex.training.with_untracked(|s| s.backend));
        let spec = spec_for(id, source.get_untracked(), beta, gamma, device, gpu.debug());
        set_report.set(Some(MultiLabelReport {
            request: id,
            positives: Vec::new(),
            runs: Vec::new(),
            regions: Vec::new(),
            mosaics: Vec::new(),
            predicted: Vec::new(),
            total: spec.methods.len(),
            millis: 0.0,
            device: Device::Cpu,
            measured: None,
            fallback: None,
            gpu_steps: None,
        }));
        worker::train_multi_label(gpu, spec, move |event| match event {
            MultiLabelEvent::Report(Ok(r)) if r.request == request.get_untracked() => {
                set_report.set(Some(r));
            }
            MultiLabelEvent::Report(Ok(_)) => {}
            MultiLabelEvent::Report(Err(why)) => {
                set_error.set(Some(Message::new("multi.train_failed").with("why", why)));
            }
            MultiLabelEvent::WorkerLost(why) => {
                set_error.set(Some(Message::new("multi.worker_lost").with("why", why)));
            }
        });
    };
    let progress = move || report.get().map(|r| progress_text(&r, lang.get()));
    view! {
        <h4>{t("multi.train_title")}</h4>
        <p>{t("multi.train_p")}</p>
        <div class="tools">
            <label>
                {t("multi.data")}
                <select id="multi-data" disabled=running
                    prop:value=move || match source.get() {
                        MultiLabelSource::Toy => "toy",
                        MultiLabelSource::Mosaics => "mosaics",
                    }
                    on:change=move |ev| {
                        let data = if event_target_value(&ev) == "mosaics" {
                            MultiData::Mosaics
                        } else {
                            MultiData::Toy
                        };
                        ex.state.update(|s| s.multi_data = data);
                    }>
                    <option value="toy">{t("multi.data_toy")}</option>
                    <option value="mosaics">{t("multi.data_mosaics")}</option>
                </select>
            </label>
            <button type="button" id="multi-train" on:click=train disabled=running>
                {t("multi.train")}
            </button>
        </div>
        <p role="status" id="multi-progress">{progress}</p>
        {move || error.get().map(|e| view! { <p class="error" role="alert" id="multi-error">{e.in_lang(lang.get())}</p> })}
        {move || report.get().filter(|r| !r.runs.is_empty()).map(|r| results(r, lang.get()))}
        <MultiLabelRegions report toy=toy() />
        <MultiLabelMosaics report />
    }
}

/// Where the runs are, and where they trained: the CPU one after the
/// other, or WebGPU all at once (with what the automatic choice timed, and
/// why a failed GPU sent them back to the CPU).
fn progress_text(r: &MultiLabelReport, lang: Lang) -> String {
    let seconds = format!("{:.1}", r.millis / 1000.0);
    let (step, steps) = r.gpu_steps.unwrap_or_default();
    let numbers = [
        ("done", r.runs.len().to_string()),
        ("total", r.total.to_string()),
        ("seconds", seconds),
        ("step", step.to_string()),
        ("steps", steps.to_string()),
    ];
    let numbers: Vec<(&str, &str)> = numbers.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let mut text = match (r.runs.len() < r.total, r.device) {
        (true, Device::Gpu) => tr_with(lang, "multi.training_gpu", &numbers),
        (true, _) => tr_with(lang, "multi.training", &numbers),
        (false, Device::Gpu) => tr_with(lang, "multi.trained_gpu", &numbers),
        (false, _) => tr_with(lang, "multi.trained", &numbers),
    };
    if let Some(m) = r.measured {
        let rate = |v: f64| format!("{v:.0}");
        text.push(' ');
        text += &tr_with(
            lang,
            "multi.measured",
            &[("cpu", &rate(m.cpu)), ("gpu", &rate(m.gpu))],
        );
    }
    if let Some(why) = &r.fallback {
        text.push(' ');
        text += &tr_with(lang, "multi.gpu_fallback", &[("why", &why.in_lang(lang))]);
    }
    text
}

fn results(r: MultiLabelReport, lang: Lang) -> impl IntoView {
    let methods: Vec<String> = MultiLabelMethod::STANDARD
        .iter()
        .take(r.runs.len())
        .map(|m| m.name())
        .collect();
    let rows = r
        .runs
        .iter()
        .zip(&methods)
        .map(|(m, name): (&MultiLabelMetrics, &String)| {
            view! {
                <tr>
                    <th scope="row">{name.clone()}</th>
                    <td class="num" data-map=m.map.map(|v| v.to_string())>{percent(m.map)}</td>
                    <td class="num">{percent(m.many_map)}</td>
                    <td class="num">{percent(m.medium_map)}</td>
                    <td class="num">{percent(m.few_map)}</td>
                    <td class="num">{percent(Some(m.micro_f1))}</td>
                </tr>
            }
        })
        .collect_view();
    let per_class = (0..r.positives.len())
        .map(|c| {
            let cells = r
                .runs
                .iter()
                .map(|m| view! { <td class="num">{percent(m.per_class_ap[c])}</td> })
                .collect_view();
            // The mosaics' classes have names; the toy's are numbers.
            let name = if r.mosaics.is_empty() {
                c.to_string()
            } else {
                FASHION_MNIST_CLASSES[c].to_owned()
            };
            view! { <tr><th scope="row">{name}</th><td class="num">{r.positives[c]}</td>{cells}</tr> }
        })
        .collect_view();
    let heads = methods
        .iter()
        .map(|m| view! { <th scope="col" class="num">{m.clone()}</th> })
        .collect_view();
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-labelledby="multi-results-caption">
            <table id="multi-results">
                <caption id="multi-results-caption">{t("multi.results_caption")}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t("multi.method")}</th>
                        <th scope="col" class="num">"mAP"</th>
                        <th scope="col" class="num">{t("multi.many")}</th>
                        <th scope="col" class="num">{t("multi.medium")}</th>
                        <th scope="col" class="num">{t("multi.few")}</th>
                        <th scope="col" class="num">"micro F1"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <div class="table-scroll" tabindex="0" role="region" aria-labelledby="multi-ap-caption">
            <table id="multi-ap">
                <caption id="multi-ap-caption">{tr(lang, "multi.ap_caption")}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t("multi.class")}</th>
                        <th scope="col" class="num">{t("multi.positives")}</th>
                        {heads}
                    </tr>
                </thead>
                <tbody>{per_class}</tbody>
            </table>
        </div>
    }
}
