//! The label sets' weights taken away: the core's multi-label snippet, the
//! one `cblab weights --labels-file F --multi-label --format F --cb-mode M`
//! prints: a weighted binary cross-entropy for PyTorch (the weights in
//! `weight`, not `pos_weight`), Keras (whose `class_weight` cannot serve
//! multi-hot targets) and NumPy, by class or by sample, or the plain list.

use leptos::prelude::*;

use crate::balance::multi_label::CbMode;
use crate::data::export::{ExportFormat, export_multi_label_weights};
use crate::data::label_sets::LabelSets;
use crate::explorer::label_sets::LabelSetView;
use crate::site::copy::copy_button;
use crate::site::i18n::{t, tf};
use crate::site::training::snippet_tools::format_select;

/// The export box under the label sets' tables.
#[component]
pub fn MultiLabelExport(
    sets: ReadSignal<Option<LabelSets>>,
    view_of: Memo<Option<LabelSetView>>,
) -> impl IntoView {
    let (format, set_format) = signal(ExportFormat::Torch);
    let (mode, set_mode) = signal(CbMode::BySample);
    let snippet = Memo::new(move |_| {
        let (format, mode) = (format.get(), mode.get());
        view_of.with(|v| {
            v.as_ref().map_or_else(String::new, |v| {
                sets.with(|s| {
                    let names = s.as_ref().and_then(|s| s.names.as_deref());
                    export_multi_label_weights(&v.weights, names, mode, format)
                })
            })
        })
    });
    view! {
        <h4>{t("multi.export_title")}</h4>
        <p>{t("multi.export_p")}</p>
        <div class="tools">
            {format_select("label-sets-export-format", move |f| set_format.set(f))}
            <label>
                {t("multi.export_mode")}
                <select id="label-sets-export-mode" on:change=move |ev| {
                    let chosen = event_target_value(&ev);
                    if let Some(m) = CbMode::ALL.into_iter().find(|m| m.name() == chosen) {
                        set_mode.set(m);
                    }
                }>
                    <option value=CbMode::BySample.name() selected=true>{t("multi.by_sample")}</option>
                    <option value=CbMode::ByClass.name()>{t("multi.by_class")}</option>
                </select>
            </label>
            {copy_button("label-sets-copy".to_owned(), move || snippet.get_untracked(), tf("export.copy", Vec::new))}
        </div>
        <textarea id="label-sets-export" readonly=true rows="8" aria-label=t("multi.export_title") prop:value=snippet></textarea>
    }
}
