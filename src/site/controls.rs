//! beta (on a log scale of 1 - beta, with exact entry), the equivalent number
//! of prototypes N, gamma, and which weightings to compare.

use leptos::ev::{self, EventDescriptor, on};
use leptos::prelude::*;

use super::i18n::{t, tf, use_page};
use super::state::use_explorer;
use crate::balance::beta_range::beta_range;
use crate::balance::effective_number::Beta;
use crate::data::decimal::parse_f64;
use crate::explorer::results::{beta_advice, beta_band};
use crate::explorer::slider::{DECADES, SLIDER_STEPS, beta_at, position};
use crate::explorer::state::{ComparedScheme, MAX_GAMMA, MIN_ONE_MINUS_BETA};
use crate::i18n::{Message, tr};

/// Reads "0.999", "1 - 1e-8" or "1-1e-8" as a beta within the controls' range.
fn parse_beta(text: &str) -> Result<Beta, Message> {
    let t = text.trim();
    let beta = if let Some(rest) = t
        .strip_prefix('1')
        .map(str::trim_start)
        .and_then(|r| r.strip_prefix('-'))
    {
        let e = parse_f64(rest.trim())
            .ok_or_else(|| Message::new("controls.not_a_number").with("text", t))?;
        Beta::from_one_minus(e).map_err(|e| e.message())?
    } else {
        let b =
            parse_f64(t).ok_or_else(|| Message::new("controls.not_a_number").with("text", t))?;
        Beta::new(b).map_err(|e| e.message())?
    };
    if beta.one_minus() < MIN_ONE_MINUS_BETA * (1.0 - 1e-9) {
        return Err(Message::new("controls.beta_max"));
    }
    Ok(beta)
}

/// N, shortly: 1000, 1.11, 1e8.
fn format_n(n: f64) -> String {
    if n >= 1e6 {
        format!("{n:.3e}")
    } else {
        format!("{}", (n * 1000.0).round() / 1000.0)
    }
}

/// One text field of the beta pair (`id`, after the text of `label_key`,
/// named by that of `aria_key`): typing keeps its text and holds the fields
/// from following beta (`set_typing`), a change commits the text.
fn exact_field(
    label_key: &'static str,
    id: &'static str,
    aria_key: &'static str,
    (text, set_text): (ReadSignal<String>, WriteSignal<String>),
    set_typing: WriteSignal<bool>,
    commit: impl Fn(String) + 'static,
) -> impl IntoView {
    view! {
        <label>
            {t(label_key)}
            <input
                id=id
                type="text"
                inputmode="decimal"
                aria-label=t(aria_key)
                prop:value=text
                on:input=move |ev| {
                    set_typing.set(true);
                    set_text.set(event_target_value(&ev));
                }
                on:change=move |ev| commit(event_target_value(&ev))
            />
        </label>
    }
}

/// One gamma field of the pair (`id`, an input of type `kind` named by the
/// text of `aria_key`): it shows gamma, and on `event` sets it to what
/// `accept` makes of the number in it (nothing: gamma stays).
fn gamma_field<E>(
    id: &'static str,
    kind: &'static str,
    aria_key: &'static str,
    event: E,
    accept: fn(f64) -> Option<f64>,
) -> impl IntoView
where
    E: EventDescriptor<EventType = web_sys::Event> + Send + 'static,
{
    let ex = use_explorer();
    // What `on:{event}` would add, for an event named by the caller.
    let set = on(event, move |ev: web_sys::Event| {
        if let Some(g) = parse_f64(&event_target_value(&ev)).and_then(accept) {
            ex.state.update(|s| s.gamma = g);
        }
    });
    view! {
        <input
            id=id
            type=kind
            min="0"
            max=MAX_GAMMA.to_string()
            step="0.05"
            aria-label=t(aria_key)
            prop:value=move || ex.gamma.get().to_string()
            {..set}
        />
    }
}

/// The beta, N and gamma controls and the scheme toggles.
#[component]
pub fn Controls() -> impl IntoView {
    // Its words follow a drag of the first screen's slider only while on screen.
    let root = NodeRef::<leptos::html::Section>::new();
    let ex = use_explorer().while_shown(super::dom::on_screen(root));
    let set_beta = move |b: Beta| ex.state.update(|s| s.beta = b);
    let (beta_text, set_beta_text) = signal(ex.beta.get_untracked().to_string());
    let (n_text, set_n_text) = signal(format_n(ex.beta.get_untracked().prototypes()));
    let (beta_error, set_beta_error) = signal(None::<Message>);
    let lang = use_page().lang;
    // Where beta matters for these counts: a band under the slider, and words.
    let range = Memo::new(move |_| ex.counts.with(|c| beta_range(c)));
    let band = Memo::new(move |_| range.with(|r| beta_band(r, DECADES)));
    // The text fields follow beta unless the user is typing in them.
    let (typing, set_typing) = signal(false);
    Effect::new(move |_| {
        let b = ex.beta.get();
        if !typing.get_untracked() {
            set_beta_text.set(b.to_string());
            set_n_text.set(format_n(b.prototypes()));
        }
    });
    let commit_beta = move |text: String| match parse_beta(&text) {
        Ok(b) => {
            set_beta_error.set(None);
            set_typing.set(false);
            set_beta(b);
            set_beta_text.set(b.to_string());
            set_n_text.set(format_n(b.prototypes()));
        }
        Err(e) => set_beta_error.set(Some(e)),
    };
    let commit_n = move |text: String| {
        let parsed = parse_f64(text.trim()).filter(|n| n.is_finite() && *n >= 1.0 && *n <= 1e8);
        match parsed.map(Beta::from_prototypes) {
            Some(Ok(b)) => {
                set_beta_error.set(None);
                set_typing.set(false);
                set_beta(b);
                set_beta_text.set(b.to_string());
            }
            _ => set_beta_error.set(Some(
                Message::new("controls.n_range").with("text", text.trim()),
            )),
        }
    };

    view! {
        <section class="panel controls" aria-labelledby="controls-title" node_ref=root>
            <h2 id="controls-title">{t("controls.title")}</h2>
            <div class="control">
                <label for="beta-slider">{t("controls.beta_slider")}</label>
                <input
                    id="beta-slider"
                    type="range"
                    min="0"
                    max=SLIDER_STEPS.to_string()
                    step="1"
                    list="paper-betas"
                    aria-label=t("controls.beta_slider_label")
                    aria-valuetext=tf("controls.beta_valuetext", move || vec![("beta", ex.beta.get().to_string())])
                    prop:value=move || position(ex.beta.get()).to_string()
                    on:input=move |ev| {
                        if let Some(p) = parse_f64(&event_target_value(&ev)) {
                            set_typing.set(false);
                            set_beta_error.set(None);
                            set_beta(beta_at(p));
                        }
                    }
                />
                <datalist id="paper-betas">
                    {[0.9, 0.99, 0.999, 0.9999]
                        .map(|b| view! { <option value=position(Beta::new(b).expect("valid")).to_string() label=b.to_string()></option> })
                        .collect_view()}
                </datalist>
                <div class="beta-band" role="img" aria-label=t("controls.beta_band_label")
                    aria-describedby="beta-advice" hidden=move || band.get().is_none()>
                    // Positioned through the CSSOM, which the page's CSP allows.
                    <span
                        style:left=move || band.get().map(|(a, _)| format!("{:.2}%", 100.0 * a))
                        style:width=move || band.get().map(|(a, b)| format!("{:.2}%", 100.0 * (b - a)))
                    ></span>
                </div>
                <p class="hint" id="beta-advice" aria-live="polite">
                    {move || range.with(|r| beta_advice(r, ex.beta.get())).in_lang(lang.get())}
                </p>
                <div class="pair">
                    {exact_field("controls.beta_eq", "beta-text", "controls.beta_exact", (beta_text, set_beta_text), set_typing, commit_beta)}
                    {exact_field("controls.n_eq", "n-text", "controls.n_label", (n_text, set_n_text), set_typing, commit_n)}
                </div>
                {move || beta_error.get().map(|e| view! { <p class="error" role="alert">{move || e.in_lang(lang.get())}</p> })}
                <p class="hint">{t("controls.beta_hint")}</p>
            </div>
            <div class="control">
                <label for="gamma-slider">{t("controls.gamma")}</label>
                <div class="pair">
                    // The slider clamps gamma; the number leaves it be when out of range.
                    {gamma_field("gamma-slider", "range", "controls.gamma_slider_label", ev::input, |g| Some(g.clamp(0.0, MAX_GAMMA)))}
                    {gamma_field("gamma-text", "number", "controls.gamma_exact", ev::change, |g| (0.0..=MAX_GAMMA).contains(&g).then_some(g))}
                </div>
            </div>
            <fieldset class="schemes">
                <legend>{t("controls.compare")}</legend>
                {ComparedScheme::ALL
                    .into_iter()
                    .map(|scheme| {
                        // A memo: set at every change of the state, a checkbox costs the
                        // browser's autofill a walk over every control of the page.
                        let checked = Memo::new(move |_| ex.schemes.with(|s| s.contains(&scheme)));
                        view! {
                            <label class="check">
                                <input
                                    type="checkbox"
                                    name="scheme"
                                    value=scheme.name()
                                    prop:checked=checked
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        ex.state.update(|s| s.toggle_scheme(scheme, on));
                                    }
                                />
                                // Only "CB, your beta" names beta: the others do not follow a drag.
                                {move || {
                                    let beta = if scheme.follows_beta() { ex.beta.get() } else { Beta::ZERO };
                                    scheme.label(beta).in_lang(lang.get())
                                }}
                            </label>
                        }
                    })
                    .collect_view()}
                <RepeatFactorChoice />
            </fieldset>
        </section>
    }
}

/// LVIS's repeat factor in the comparison: a sampling factor, drawn only
/// when the counts came with images per class (a data set's files), and
/// why not otherwise.
#[component]
fn RepeatFactorChoice() -> impl IntoView {
    let ex = use_explorer();
    let lang = use_page().lang;
    let has_images = Memo::new(move |_| ex.images.with(Option::is_some));
    view! {
        <label class="check">
            <input
                type="checkbox"
                id="compare-repeat-factor"
                prop:checked=move || ex.repeat_factor.with(|r| r.0) && has_images.get()
                prop:disabled=move || !has_images.get()
                aria-describedby="repeat-factor-why"
                on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    ex.repeat_factor.update(|r| r.0 = on);
                }
            />
            {move || {
                Message::new("scheme.repeat_factor")
                    .with("t", ex.repeat_factor.with(|r| r.1))
                    .in_lang(lang.get())
            }}
        </label>
        <p class="hint" id="repeat-factor-why">
            {move || {
                let key = match has_images.get() {
                    true => "controls.repeat_factor_sampling",
                    false => "controls.repeat_factor_needs_images",
                };
                tr(lang.get(), key)
            }}
        </p>
    }
}
