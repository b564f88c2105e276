//! LVIS's repeat factor for a counted data set: a sampling factor, not a
//! loss weight, so it is offered as a sampler to take away (the core's
//! snippet, `cblab weights --scheme repeat-factor --format F`), from the
//! images per class and the number of images that only a data set's files
//! give (sketched counts cannot).

use leptos::prelude::*;

use crate::balance::repeat_factor::{DEFAULT_THRESHOLD, repeat_factors};
use crate::data::decimal::parse_f64;
use crate::data::export::{ExportFormat, export_repeat_factors};
use crate::i18n::tr_with;
use crate::site::copy::copy_button;
use crate::site::i18n::{t, tf, use_page};
use crate::site::state::use_explorer;
use crate::site::training::snippet_tools::format_select;

/// Images per class, the number of images and the class names.
#[derive(Clone, Debug, PartialEq)]
pub struct ImageCounts {
    /// Images holding each class.
    pub per_class: Vec<u64>,
    /// The images.
    pub images: u64,
    /// The classes' names.
    pub names: Option<Vec<String>>,
}

/// The repeat factors of `counts` at a threshold the reader sets, with the sampler to copy.
#[component]
pub fn RepeatFactorSampler(counts: Memo<Option<ImageCounts>>) -> impl IntoView {
    let lang = use_page().lang;
    let ex = use_explorer();
    let (threshold, set_threshold) = signal(DEFAULT_THRESHOLD.to_string());
    let (format, set_format) = signal(ExportFormat::Torch);
    // The factors and the snippet, or why there are none.
    let result = Memo::new(move |_| -> Result<(usize, usize, f64, String), String> {
        let text = threshold.get();
        let t =
            parse_f64(text.trim()).ok_or_else(|| format!("\"{}\" is not a number", text.trim()))?;
        counts.with(|c| {
            let c = c.as_ref().ok_or_else(String::new)?;
            let factors = repeat_factors(&c.per_class, c.images, t).map_err(|e| e.to_string())?;
            let repeated = factors.iter().filter(|&&r| r > 1.0).count();
            let most = factors.iter().copied().fold(1.0, f64::max);
            let snippet = export_repeat_factors(&factors, c.names.as_deref(), t, format.get());
            Ok((repeated, factors.len(), most, snippet))
        })
    });
    // The explorer's comparison draws r at the same t, once it is a valid one.
    Effect::new(move |_| {
        let t = parse_f64(threshold.get().trim()).filter(|t| *t > 0.0 && *t <= 1.0);
        if let Some(t) = t.filter(|&t| ex.repeat_factor.with_untracked(|r| r.1) != t) {
            ex.repeat_factor.update(|r| r.1 = t);
        }
    });
    let snippet = move || result.with(|r| r.as_ref().map(|r| r.3.clone()).unwrap_or_default());
    let summary = move || {
        let lang = lang.get();
        result.with(|r| match r {
            Ok((repeated, classes, most, _)) => view! {
                <p role="status" id="repeat-factor-summary">
                    {tr_with(lang, "dataset.rf_summary", &[
                        ("repeated", &repeated.to_string()),
                        ("classes", &classes.to_string()),
                        ("most", &format!("{most:.2}")),
                    ])}
                </p>
            }
            .into_any(),
            Err(why) => view! {
                <p class="error" role="alert" id="repeat-factor-error">
                    {tr_with(lang, "dataset.rf_bad", &[("why", why)])}
                </p>
            }
            .into_any(),
        })
    };
    view! {
        <Show when=move || counts.with(Option::is_some)>
            <div class="repeat-factor" id="repeat-factor">
                <h4>{t("dataset.rf_title")}</h4>
                <p class="hint">{t("dataset.rf_p")}</p>
                <div class="tools">
                    <label>
                        {t("dataset.rf_threshold")}
                        <input id="repeat-factor-threshold" type="text" inputmode="decimal" size="8"
                            prop:value=threshold on:input=move |ev| set_threshold.set(event_target_value(&ev)) />
                    </label>
                    {format_select("repeat-factor-format", move |f| set_format.set(f))}
                    {copy_button("repeat-factor-copy".to_owned(), move || result.with_untracked(|r| r.as_ref().map(|r| r.3.clone()).unwrap_or_default()), tf("export.copy", Vec::new))}
                </div>
                {summary}
                <textarea id="repeat-factor-export" readonly=true rows="8" aria-label=t("dataset.rf_title") prop:value=snippet></textarea>
            </div>
        </Show>
    }
}
