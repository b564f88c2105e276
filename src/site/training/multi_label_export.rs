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
use crate::site::i18n::t;

/// The export box under the label sets' tables.
#[component]
pub fn MultiLabelExport(
    sets: ReadSignal<Option<LabelSets>>,
    view_of: Memo<Option<LabelSetView>>,
) -> impl IntoView {
    let (format, set_format) = signal(ExportFormat::Torch);
    let (mode, set_mode) = signal(CbMode::BySample);
    let (copied, set_copied) = signal(None::<&'static str>);
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
    let copy = move |_| {
        let text = snippet.get_untracked();
        leptos::task::spawn_local(async move {
            let ok = crate::site::dom::copy_text(&text).await;
            set_copied.set(Some(if ok {
                "export.copied"
            } else {
                "export.copy_refused"
            }));
        });
    };
    view! {
        <h4>{t("multi.export_title")}</h4>
        <p>{t("multi.export_p")}</p>
        <div class="tools">
            <label>
                {t("export.format")}
                <select id="label-sets-export-format" on:change=move |ev| {
                    if let Some(f) = ExportFormat::from_name(&event_target_value(&ev)) {
                        set_format.set(f);
                        set_copied.set(None);
                    }
                }>
                    {ExportFormat::ALL
                        .map(|f| view! { <option value=f.name() selected=f == ExportFormat::Torch>{f.name()}</option> })
                        .collect_view()}
                </select>
            </label>
            <label>
                {t("multi.export_mode")}
                <select id="label-sets-export-mode" on:change=move |ev| {
                    let chosen = event_target_value(&ev);
                    if let Some(m) = CbMode::ALL.into_iter().find(|m| m.name() == chosen) {
                        set_mode.set(m);
                        set_copied.set(None);
                    }
                }>
                    <option value=CbMode::BySample.name() selected=true>{t("multi.by_sample")}</option>
                    <option value=CbMode::ByClass.name()>{t("multi.by_class")}</option>
                </select>
            </label>
            <button type="button" id="label-sets-copy" on:click=copy>{t("export.copy")}</button>
            {move || copied.get().map(|c| view! { <span role="status">{t(c)}</span> })}
        </div>
        <textarea id="label-sets-export" readonly=true rows="8" aria-label=t("multi.export_title") prop:value=snippet></textarea>
    }
}
