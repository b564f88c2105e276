//! Predict, then see: a guess set on a slider (arrow keys work too) before
//! the figure it concerns is shown, then the core's value beside it and why.
//! The predictions and their truths are the core's (src/teach/predictions.rs);
//! a revealed guess is kept with the reader's answers.

use leptos::prelude::*;

use super::questions::Answers;
use super::short;
use crate::data::decimal::parse_f64;
use crate::i18n::{tr, tr_with};
use crate::site::i18n::{t, use_page};
use crate::teach::predictions::{Closeness, Prediction};

/// The prediction `id`: the question, the slider, "Reveal" and "Skip", and
/// then the verdict and why.
#[component]
pub(super) fn Predict(id: &'static str) -> impl IntoView {
    let p = Prediction::find(id).expect("a prediction of the core");
    let page = use_page();
    let lang = page.lang;
    let answers = expect_context::<Answers>();
    let kept = answers.prediction(id);
    let guess = RwSignal::new(
        kept.get_untracked()
            .and_then(|g| parse_f64(&g))
            .unwrap_or_else(|| p.start()),
    );
    let revealed = Memo::new(move |_| kept.with(Option::is_some));
    let reveal = move |_| answers.set_prediction(id, Some(guess.get_untracked().to_string()));
    let skip = move |_| answers.set_prediction(id, Some("skip".to_owned()));
    let again = move |_| answers.set_prediction(id, None);
    let slider = format!("predict-{id}-guess");
    let label_for = slider.clone();
    let result = move || {
        let given = kept.get()?;
        let lang = lang.get();
        let truth = (p.truth)();
        let mut named: Vec<(&str, String)> =
            truth.named.iter().map(|(k, v)| (*k, short(*v))).collect();
        named.push(("truth", short(truth.value)));
        let args: Vec<(&str, &str)> = named.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let verdict = match parse_f64(&given) {
            None => tr_with(lang, "predict.skipped", &args),
            Some(g) => {
                let key = match p.judge(g) {
                    Closeness::Close => "predict.close",
                    Closeness::High => "predict.high",
                    Closeness::Low => "predict.low",
                };
                let mut args = args.clone();
                let g = short(g);
                args.push(("guess", &g));
                tr_with(lang, key, &args)
            }
        };
        let why = tr_with(lang, &format!("predict.{id}.why"), &args);
        Some(view! {
            <p><strong>{verdict}</strong>" "{why}</p>
            <button type="button" class="link" id=format!("predict-{id}-again") on:click=again>{tr(lang, "predict.again")}</button>
        })
    };
    view! {
        <div class="prediction" id=format!("predict-{id}")>
            <div class="predict-ask" hidden=move || revealed.get()>
                <p class="predict-prompt"><strong>{t("predict.title")}</strong>" "{move || tr(lang.get(), &format!("predict.{id}.prompt"))}</p>
                <label for=label_for>
                    {move || tr_with(lang.get(), "predict.guess", &[("guess", &short(guess.get())), ("unit", tr(lang.get(), &format!("predict.{id}.unit")))])}
                </label>
                <input
                    id=slider
                    type="range"
                    min=p.min.to_string()
                    max=p.max.to_string()
                    step=p.step.to_string()
                    prop:value=move || guess.get().to_string()
                    on:input=move |ev| {
                        if let Some(g) = parse_f64(&event_target_value(&ev)) {
                            guess.set(g);
                        }
                    }
                />
                <div class="tools">
                    <button type="button" class="primary" id=format!("predict-{id}-reveal") on:click=reveal>{t("predict.reveal")}</button>
                    <button type="button" class="link" id=format!("predict-{id}-skip") on:click=skip>{t("predict.skip")}</button>
                </div>
            </div>
            <div class="predict-result" role="status" aria-live="polite">{result}</div>
        </div>
    }
}

/// `children`, the figure that answers prediction `id`, veiled until the
/// reader reveals the answer or skips; `class` is the wrapper's (a
/// `slide-figure`, which presentation mode places).
#[component]
pub(super) fn Veiled(
    id: &'static str,
    class: &'static str,
    /// Without the note that says why it is veiled (another part of the same reveal has it).
    #[prop(optional)]
    quiet: bool,
    children: Children,
) -> impl IntoView {
    let page = use_page();
    let kept = expect_context::<Answers>().prediction(id);
    // A teacher presenting shows the figure: the class predicts aloud.
    let veiled = move || kept.with(Option::is_none) && !page.view.with(|v| v.present);
    view! {
        <div class=format!("predicted {class}") class:veiled=veiled inert=move || veiled().then_some("")>
            <p class="veil-note" hidden=move || quiet || !veiled()>{t("predict.veiled")}</p>
            {children()}
        </div>
    }
}
