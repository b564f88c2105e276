//! The training panel's settings and its backend badge.

use leptos::prelude::*;

use crate::balance::losses::LossKind;
use crate::balance::weights::SchemeKind;
use crate::data::export::decimal;
use crate::explorer::training::{
    Backend, HIDDEN_SIZES, LEARNING_RATES, MAX_EPOCHS, TrainingSettings,
};
use crate::site::backend::{GpuStatus, badge_text, use_gpu};
use crate::site::i18n::{t, tf, use_page};
use crate::site::state::use_explorer;
use crate::train::batches::Sampler;
use crate::train::optimizer::OptimizerKind;
use crate::worker::protocol::Measured;

/// The badge: where the panel trains and what the browser offers.
#[component]
pub(super) fn BackendBadge(
    /// Whether the current runs are on the GPU (`None` before any run).
    on_gpu: RwSignal<Option<bool>>,
    /// What the automatic choice measured for the current runs.
    measured: RwSignal<Option<Measured>>,
) -> impl IntoView {
    let ex = use_explorer();
    let gpu = use_gpu();
    let lang = use_page().lang;
    let text = move || {
        let status = gpu.status.get();
        let backend = ex.training.with(|s| s.backend);
        let would = matches!(&status, GpuStatus::Ready(_)) && backend == Backend::Gpu;
        badge_text(
            lang.get(),
            on_gpu.get().unwrap_or(would),
            backend,
            &status,
            measured.get(),
        )
    };
    view! {
        <p class="badge" id="backend-badge" role="status"
            data-backend=move || if on_gpu.get().unwrap_or(false) { "webgpu" } else { "cpu" }
            data-kernels=move || gpu.kernels_ready.get().then_some("ready")
            data-measured-cpu=move || measured.get().map(|m| decimal(m.cpu))
            data-measured-gpu=move || measured.get().map(|m| decimal(m.gpu))>
            {text}
        </p>
    }
}

/// A labelled select over `options`; `pick` turns the chosen value into a
/// change of the settings.
#[component]
fn SettingSelect(
    /// The label.
    label: Signal<&'static str>,
    /// The element's id.
    id: &'static str,
    /// (value, text) of each option.
    options: Vec<(String, Signal<String>)>,
    /// The current value.
    #[prop(into)]
    value: Signal<String>,
    /// Applies a chosen value.
    pick: fn(&mut TrainingSettings, &str),
) -> impl IntoView {
    let ex = use_explorer();
    view! {
        <label>
            {label}
            <select id=id prop:value=value
                on:change=move |ev| {
                    let v = event_target_value(&ev);
                    ex.state.update(|s| pick(&mut s.training, &v));
                }>
                {options.into_iter().map(|(v, t)| view! { <option value=v.clone()>{t}</option> }).collect_view()}
            </select>
        </label>
    }
}

/// The panel's settings: the chosen run's loss and weighting, and how every run trains.
#[component]
pub(super) fn TrainingControls() -> impl IntoView {
    let ex = use_explorer();
    let setting =
        move |f: fn(&TrainingSettings) -> String| Signal::derive(move || ex.training.with(f));
    // Names (loss, weighting, numbers) are the same in every language.
    let same = |v: String| (v.clone(), Signal::stored(v));
    let text = |v: &str, key: &'static str| (v.to_owned(), Signal::from(t(key)));
    let losses = LossKind::ALL.map(|k| same(k.name().to_owned())).to_vec();
    let schemes = SchemeKind::ALL.map(|k| same(k.name().to_owned())).to_vec();
    let optimizers = vec![
        text("adam", "training.optimizer_adam"),
        text("sgd", "training.optimizer_sgd"),
    ];
    let rates = LEARNING_RATES.map(|r| same(r.to_string())).to_vec();
    let hidden = HIDDEN_SIZES
        .map(|h| {
            (
                h.to_string(),
                tf("training.hidden_option", move || {
                    vec![("size", h.to_string())]
                }),
            )
        })
        .to_vec();
    let samplers = vec![
        text("instance", "training.sampler_instance"),
        text("class-balanced", "training.sampler_class_balanced"),
        text("sqrt", "training.sampler_sqrt"),
        text("progressive", "training.sampler_progressive"),
    ];
    let backends = vec![
        text("auto", "training.backend_auto"),
        text("gpu", "training.backend_gpu"),
        text("cpu", "training.backend_cpu"),
    ];
    view! {
        <div class="tools training-settings">
            <SettingSelect label=t("training.label_loss") id="train-loss" options=losses
                value=setting(|s| s.loss.name().to_owned())
                pick=|s, v| if let Some(k) = LossKind::from_name(v) { s.loss = k } />
            <SettingSelect label=t("training.label_scheme") id="train-scheme" options=schemes
                value=setting(|s| s.scheme.name().to_owned())
                pick=|s, v| if let Some(k) = SchemeKind::ALL.into_iter().find(|k| k.name() == v) { s.scheme = k } />
            <SettingSelect label=t("training.label_sampler") id="train-sampler" options=samplers
                value=setting(|s| s.sampler.name().to_owned())
                pick=|s, v| if let Some(k) = Sampler::from_name(v) { s.sampler = k } />
            <SettingSelect label=t("training.label_optimizer") id="train-optimizer" options=optimizers
                value=setting(|s| s.optimizer.name().to_owned())
                pick=|s, v| s.optimizer = if v == "sgd" { OptimizerKind::SGD } else { OptimizerKind::ADAM } />
            <SettingSelect label=t("training.label_lr") id="train-lr" options=rates
                value=setting(|s| s.learning_rate.to_string())
                pick=|s, v| if let Ok(r) = v.parse() { s.learning_rate = r } />
            <SettingSelect label=t("training.label_hidden") id="train-hidden" options=hidden
                value=setting(|s| s.hidden.to_string())
                pick=|s, v| if let Ok(h) = v.parse() { s.hidden = h } />
            <SettingSelect label=t("training.label_backend") id="train-backend" options=backends
                value=setting(|s| s.backend.name().to_owned())
                pick=|s, v| if let Some(b) = Backend::from_name(v) { s.backend = b } />
            <label>
                {t("training.label_epochs")}
                <input id="train-epochs" type="number" min="1" max=MAX_EPOCHS.to_string()
                    prop:value=move || ex.training.with(|s| s.epochs.to_string())
                    on:change=move |ev| {
                        if let Ok(e) = event_target_value(&ev).trim().parse::<usize>() {
                            ex.state.update(|s| s.training.epochs = e.clamp(1, MAX_EPOCHS));
                        }
                    } />
            </label>
            <label>
                {t("training.label_seed")}
                <input id="train-seed" type="number" min="0"
                    prop:value=move || ex.training.with(|s| s.seed.to_string())
                    on:change=move |ev| {
                        if let Ok(seed) = event_target_value(&ev).trim().parse::<u64>() {
                            ex.state.update(|s| s.training.seed = seed);
                        }
                    } />
            </label>
        </div>
    }
}
