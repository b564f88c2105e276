//! The training panel's settings and its backend badge.

use leptos::prelude::*;

use crate::balance::loss_kind::LossKind;
use crate::balance::weights::SchemeKind;
use crate::data::decimal::parse_f64;
use crate::data::export::decimal;
use crate::explorer::training::{
    Backend, HIDDEN_SIZES, LEARNING_RATES, MAX_EPOCHS, MAX_RUNS, TrainingSettings,
};
use crate::site::backend::{GpuStatus, badge_text, use_gpu};
use crate::site::i18n::{t, tf, use_page};
use crate::site::state::use_explorer;
use crate::train::batches::{Sampler, Threshold};
use crate::train::methods::Method;
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

/// How a select's chosen value changes the settings: one setting of every
/// run, or one field of an extra run's method. (Function pointers, not
/// closures: one copy of [`SettingSelect`] serves every select.)
#[derive(Clone, Copy)]
enum Pick {
    /// A setting of the panel.
    Setting(fn(&mut TrainingSettings, &str)),
    /// A field of extra run `.0`'s method.
    Run(usize, fn(&mut Method, &str)),
}

impl Pick {
    fn apply(self, settings: &mut TrainingSettings, value: &str) {
        match self {
            Pick::Setting(f) => f(settings, value),
            Pick::Run(i, f) => {
                // The row may have gone since.
                if let Some(m) = settings.extra.get_mut(i) {
                    f(m, value)
                }
            }
        }
    }
}

/// A labelled select over `options`; `pick` turns the chosen value into a
/// change of the settings.
#[component]
fn SettingSelect(
    /// The label.
    label: Signal<&'static str>,
    /// The element's id.
    #[prop(into)]
    id: String,
    /// (value, text) of each option.
    options: Vec<(String, Signal<String>)>,
    /// The current value.
    #[prop(into)]
    value: Signal<String>,
    /// Applies a chosen value.
    pick: Pick,
) -> impl IntoView {
    let ex = use_explorer();
    view! {
        <label>
            {label}
            <select id=id prop:value=value
                on:change=move |ev| {
                    let v = event_target_value(&ev);
                    ex.state.update(|s| pick.apply(&mut s.training, &v));
                }>
                {options.into_iter().map(|(v, t)| view! { <option value=v.clone()>{t}</option> }).collect_view()}
            </select>
        </label>
    }
}

/// A select's options: (value, text).
type Options = Vec<(String, Signal<String>)>;

/// An option whose text is its value: names of losses, weightings, numbers
/// are the same in every language.
fn same(v: String) -> (String, Signal<String>) {
    (v.clone(), Signal::stored(v))
}

/// An option with a translated text.
fn text(v: &str, key: &'static str) -> (String, Signal<String>) {
    (v.to_owned(), Signal::from(t(key)))
}

/// A repeat-factor sampler's option, its threshold in its text.
fn repeat_factor(t: Threshold) -> (String, Signal<String>) {
    (
        Sampler::RepeatFactor(t).name(),
        tf("training.sampler_repeat_factor", move || {
            vec![("t", t.to_string())]
        }),
    )
}

/// The options of a run's method: losses, weightings, samplers, schedules;
/// `linked`, the sampler a link gave, is offered too when its threshold is
/// not one of the list's.
fn method_options(linked: Option<Sampler>) -> [Options; 4] {
    // LVIS's t, and two at which a 10-class toy task's rare classes repeat.
    let mut thresholds = vec![
        Threshold::LVIS,
        Threshold::new(0.01).expect("a valid t"),
        Threshold::new(0.1).expect("a valid t"),
    ];
    if let Some(Sampler::RepeatFactor(t)) = linked
        && !thresholds.contains(&t)
    {
        thresholds.push(t);
    }
    let mut samplers = vec![
        text("instance", "training.sampler_instance"),
        text("class-balanced", "training.sampler_class_balanced"),
        text("sqrt", "training.sampler_sqrt"),
        text("progressive", "training.sampler_progressive"),
    ];
    samplers.extend(thresholds.into_iter().map(repeat_factor));
    [
        LossKind::ALL.map(|k| same(k.name().to_owned())).to_vec(),
        SchemeKind::ALL.map(|k| same(k.name().to_owned())).to_vec(),
        samplers,
        vec![
            text("none", "training.schedule_none"),
            text("drw", "training.schedule_drw"),
        ],
    ]
}

/// The panel's settings: the chosen run's loss and weighting, and how every run trains.
#[component]
pub(super) fn TrainingControls() -> impl IntoView {
    let ex = use_explorer();
    let setting =
        move |f: fn(&TrainingSettings) -> String| Signal::derive(move || ex.training.with(f));
    let [losses, schemes, samplers, schedules] =
        method_options(ex.training.with_untracked(|s| Some(s.sampler)));
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
    let backends = vec![
        text("auto", "training.backend_auto"),
        text("gpu", "training.backend_gpu"),
        text("cpu", "training.backend_cpu"),
    ];
    view! {
        <div class="tools training-settings">
            <SettingSelect label=t("training.label_loss") id="train-loss" options=losses
                value=setting(|s| s.loss.name().to_owned())
                pick=Pick::Setting(|s, v| if let Some(k) = LossKind::from_name(v) {
                    let mut m = s.chosen();
                    m.pick_loss(k);
                    s.set_chosen(m);
                }) />
            <SettingSelect label=t("training.label_scheme") id="train-scheme" options=schemes
                value=setting(|s| s.scheme.name().to_owned())
                pick=Pick::Setting(|s, v| if let Some(k) = SchemeKind::from_name(v) { s.scheme = k }) />
            <SettingSelect label=t("training.label_sampler") id="train-sampler" options=samplers
                value=setting(|s| s.sampler.name().to_owned())
                pick=Pick::Setting(|s, v| if let Some(k) = Sampler::from_name(v) { s.sampler = k }) />
            <SettingSelect label=t("training.label_schedule") id="train-schedule" options=schedules
                value=setting(|s| if s.drw { "drw" } else { "none" }.to_owned())
                pick=Pick::Setting(|s, v| {
                    let mut m = s.chosen();
                    m.pick_drw(v == "drw");
                    s.set_chosen(m);
                }) />
            <SettingSelect label=t("training.label_optimizer") id="train-optimizer" options=optimizers
                value=setting(|s| s.optimizer.name().to_owned())
                pick=Pick::Setting(|s, v| s.optimizer = if v == "sgd" { OptimizerKind::SGD } else { OptimizerKind::ADAM }) />
            <SettingSelect label=t("training.label_lr") id="train-lr" options=rates
                value=setting(|s| s.learning_rate.to_string())
                pick=Pick::Setting(|s, v| if let Some(r) = parse_f64(v) { s.learning_rate = r }) />
            <SettingSelect label=t("training.label_hidden") id="train-hidden" options=hidden
                value=setting(|s| s.hidden.to_string())
                pick=Pick::Setting(|s, v| if let Ok(h) = v.parse() { s.hidden = h }) />
            <SettingSelect label=t("training.label_backend") id="train-backend" options=backends
                value=setting(|s| s.backend.name().to_owned())
                pick=Pick::Setting(|s, v| if let Some(b) = Backend::from_name(v) { s.backend = b }) />
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

/// The runs after the third, each any loss, weighting, sampler and schedule,
/// on the same data and start; and the button that adds one.
#[component]
pub(super) fn ExtraRuns() -> impl IntoView {
    let ex = use_explorer();
    let count = Memo::new(move |_| ex.training.with(|s| s.extra.len()));
    let row = move |i: usize| {
        let n = i + 4;
        let get = move |f: fn(&Method) -> String| {
            Signal::derive(move || {
                ex.training
                    .with(|s| s.extra.get(i).map(f).unwrap_or_default())
            })
        };
        let set = move |f: fn(&mut Method, &str)| Pick::Run(i, f);
        let [losses, schemes, samplers, schedules] = method_options(
            ex.training
                .with_untracked(|s| s.extra.get(i).map(|m| m.sampler)),
        );
        view! {
            <fieldset class="tools extra-run" id=format!("run-{n}")>
                <legend>{tf("training.run_n", move || vec![("n", n.to_string())])}</legend>
                <SettingSelect label=t("training.label_run_loss") id=format!("run-{n}-loss") options=losses
                    value=get(|m| m.loss.name().to_owned())
                    pick=set(|m, v| if let Some(k) = LossKind::from_name(v) { m.pick_loss(k) }) />
                <SettingSelect label=t("training.label_scheme") id=format!("run-{n}-scheme") options=schemes
                    value=get(|m| m.scheme.name().to_owned())
                    pick=set(|m, v| if let Some(k) = SchemeKind::from_name(v) { m.scheme = k }) />
                <SettingSelect label=t("training.label_sampler") id=format!("run-{n}-sampler") options=samplers
                    value=get(|m| m.sampler.name())
                    pick=set(|m, v| if let Some(k) = Sampler::from_name(v) { m.sampler = k }) />
                <SettingSelect label=t("training.label_schedule") id=format!("run-{n}-schedule") options=schedules
                    value=get(|m| if m.drw { "drw" } else { "none" }.to_owned())
                    pick=set(|m, v| m.pick_drw(v == "drw")) />
                <button type="button" class="remove-run" id=format!("run-{n}-remove")
                    on:click=move |_| ex.state.update(|s| {
                        if i < s.training.extra.len() {
                            s.training.extra.remove(i);
                        }
                    })>
                    {t("training.remove_run")}
                </button>
            </fieldset>
        }
    };
    let full = move || count.get() + 3 >= MAX_RUNS;
    view! {
        <div class="extra-runs">
            // Built again only when a run comes or goes.
            {move || (0..count.get()).map(row).collect_view()}
            <button type="button" id="train-add-run"
                on:click=move |_| ex.state.update(|s| s.training.add_run())
                disabled=full>
                {t("training.add_run")}
            </button>
        </div>
    }
}
