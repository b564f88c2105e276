//! Several labels a sample: the reader's label sets (pasted, or a file read
//! in the page), counted as positives per class, with each class's CB weight
//! at the explorer's beta, and for samples that mix head and tail classes
//! what each way of weighting gives their terms: by class, by sample and the
//! distribution-balanced loss's re-balancing (`cblab weights --multi-label`
//! and `cblab loss` compute the same numbers).

use leptos::prelude::*;

use crate::balance::effective_number::Beta;
use crate::data::export::decimal;
use crate::data::label_sets::{LabelSets, parse_label_sets};
use crate::explorer::label_sets::{EXAMPLE, LabelSetView, label_set_view};
use crate::explorer::state::MAX_LINKED_LABEL_SETS;
use crate::i18n::{Lang, Message, tr_with};
use crate::site::i18n::{t, use_page};
use crate::site::state::use_explorer;
use crate::site::text_file::{file_input, read_text};
use crate::site::training::multi_label_export::MultiLabelExport;
use crate::site::training::multi_label_runs::MultiLabelRuns;

/// Samples shown in the "where a weight goes" table.
const EXAMPLES: usize = 4;

fn weight(w: f64) -> String {
    format!("{w:.3}")
}

/// The panel.
#[component]
pub fn MultiLabelPanel() -> impl IntoView {
    let ex = use_explorer();
    let lang = use_page().lang;
    // The link's label sets, or the example; a link's that do not parse keep
    // the example's counts and show why, with the text left to mend.
    let linked = ex.state.with_untracked(|s| s.label_sets.clone());
    let first = linked.unwrap_or_else(|| EXAMPLE.to_owned());
    let (text, set_text) = signal(first.clone());
    let (sets, set_sets) = signal(parse_label_sets(EXAMPLE).ok());
    let (error, set_error) = signal(None::<Message>);
    let read = move |input: String| match parse_label_sets(&input) {
        Ok(parsed) => {
            set_error.set(None);
            set_sets.set(Some(parsed));
            // The link follows what was counted (not each keystroke).
            let linked = (input != EXAMPLE).then_some(input);
            if ex.state.with_untracked(|s| s.label_sets != linked) {
                ex.state.update(|s| s.label_sets = linked);
            }
        }
        Err(e) => set_error.set(Some(e.message())),
    };
    if first != EXAMPLE {
        read(first);
    }
    // Label sets too long for a link are said to stay out of it.
    let unlinked = Memo::new(move |_| {
        ex.state.with(|s| {
            s.label_sets
                .as_ref()
                .is_some_and(|t| t.chars().count() > MAX_LINKED_LABEL_SETS)
        })
    });
    let read_file = move |file: web_sys::File| {
        read_text(
            file,
            move |content| {
                set_text.set(content.clone());
                read(content);
            },
            move |e| set_error.set(Some(e)),
        );
    };
    // Off screen, the panel keeps the beta it last showed: its tables are
    // rebuilt for the current one when it scrolls back in, not on every drag.
    let panel = NodeRef::<leptos::html::Section>::new();
    let shown = crate::site::dom::on_screen(panel);
    let beta = Memo::new(move |_| {
        if shown.get() {
            ex.beta.get()
        } else {
            ex.beta.get_untracked()
        }
    });
    let view_of = Memo::new(move |_| {
        let beta = beta.get();
        sets.with(|s| {
            s.as_ref()
                .map(|s: &LabelSets| label_set_view(s, beta, EXAMPLES))
        })
    });

    view! {
        <section class="panel multi-label" id="multi-label" aria-labelledby="multi-label-title" node_ref=panel>
            <h3 id="multi-label-title">{t("multi.title")}</h3>
            <p>{t("multi.p3")}</p>
            <label for="label-sets">{t("multi.input_label")}</label>
            <textarea
                id="label-sets"
                rows="6"
                prop:value=text
                on:input=move |ev| set_text.set(event_target_value(&ev))
            ></textarea>
            <div class="tools">
                <button type="button" id="count-label-sets" on:click=move |_| read(text.get_untracked())>
                    {t("multi.count")}
                </button>
                {file_input("label-sets-file", read_file)}
            </div>
            {move || error.get().map(|e| {
                let text = tr_with(lang.get(), "multi.unchanged", &[("error", &e.in_lang(lang.get()))]);
                view! { <p class="error" role="alert" id="label-sets-error">{text}</p> }
            })}
            <Show when=move || unlinked.get()>
                <p class="hint" id="label-sets-unlinked">
                    {move || tr_with(lang.get(), "multi.unlinked", &[("max", &MAX_LINKED_LABEL_SETS.to_string())])}
                </p>
            </Show>
            {move || view_of.get().map(|v| results(v, beta.get(), lang.get()))}
            <MultiLabelExport sets view_of />
            <MultiLabelRuns />
        </section>
    }
}

fn results(v: LabelSetView, beta: Beta, lang: Lang) -> impl IntoView {
    let caption = tr_with(
        lang,
        "multi.classes_caption",
        &[("beta", &beta.to_string())],
    );
    let summary = tr_with(
        lang,
        "multi.summary",
        &[
            ("samples", &v.counts.samples.to_string()),
            ("classes", &v.names.len().to_string()),
            ("cardinality", &format!("{:.2}", v.counts.cardinality)),
        ],
    );
    let name = |c: usize| v.names[c].clone();
    let classes = (0..v.names.len())
        .map(|c| {
            view! {
                <tr>
                    <th scope="row">{name(c)}</th>
                    <td class="num">{v.counts.positives[c]}</td>
                    <td class="num" data-weight=decimal(v.weights[c])>{weight(v.weights[c])}</td>
                </tr>
            }
        })
        .collect_view();
    let examples = v
        .examples
        .iter()
        .map(|e| {
            let labels: Vec<String> = e.labels.iter().map(|&c| name(c)).collect();
            let list = |ws: &[f64]| {
                ws.iter()
                    .map(|&w| weight(w))
                    .collect::<Vec<_>>()
                    .join(" · ")
            };
            let db = e.db.as_deref().map_or("–".to_owned(), list);
            view! {
                <tr>
                    <th scope="row">{labels.join(", ")}</th>
                    <td class="num">{list(&e.by_class)}</td>
                    <td class="num">{weight(e.by_sample)}</td>
                    <td class="num">{db}</td>
                </tr>
            }
        })
        .collect_view();
    let db_missing = v.examples.iter().any(|e| e.db.is_none());
    view! {
        <p role="status" id="label-sets-summary">{summary}</p>
        <div class="table-scroll" tabindex="0" role="region" aria-labelledby="label-sets-classes-caption">
            <table id="label-sets-classes">
                <caption id="label-sets-classes-caption">{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t("multi.class")}</th>
                        <th scope="col" class="num">{t("multi.positives")}</th>
                        <th scope="col" class="num">{t("multi.weight")}</th>
                    </tr>
                </thead>
                <tbody>{classes}</tbody>
            </table>
        </div>
        <h4>{t("multi.where_title")}</h4>
        <p>{t("multi.where_p")}</p>
        <div class="table-scroll" tabindex="0" role="region" aria-labelledby="label-sets-terms-caption">
            <table id="label-sets-terms">
                <caption id="label-sets-terms-caption">{t("multi.terms_caption")}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t("multi.labels")}</th>
                        <th scope="col" class="num">{t("multi.by_class")}</th>
                        <th scope="col" class="num">{t("multi.by_sample")}</th>
                        <th scope="col" class="num">{t("multi.db")}</th>
                    </tr>
                </thead>
                <tbody>{examples}</tbody>
            </table>
        </div>
        {db_missing.then(|| view! { <p class="hint">{t("multi.db_missing")}</p> })}
        <p class="hint">{t("multi.cli")}</p>
    }
}
