//! The lesson's ninth section, several labels a sample: what sigmoid's
//! one-vs-all changes, what a class's count means, where a weight goes (by
//! class or by sample), the distribution-balanced loss's argument and its
//! published numbers, and the page's own multi-label runs.

use leptos::prelude::*;

use super::questions::Questions;
use super::sections::{LessonSection, cited_table, para, slide_points};
use crate::site::deferred::{Deferred, Part};
use crate::site::i18n::t;
use crate::teach::multi_label_published::{DB_RESULTS, MultiLabelTable};
use crate::teach::section::Section;

/// DB's published mAP, cited: a row per group of classes (total, many,
/// medium, few), a column per method and benchmark, narrow enough for a
/// phone and a slide.
fn published(table: &'static MultiLabelTable) -> impl IntoView {
    let head = view! {
        <tr>
            <td></td>
            {table.rows.iter().map(|r| view! { <th scope="colgroup" colspan="2">{r.method}</th> }).collect_view()}
        </tr>
        <tr>
            <th scope="col">{t("lesson.several-labels.classes")}</th>
            {table.rows.iter().map(|_| view! {
                <th scope="col" class="num">"VOC-MLT"</th>
                <th scope="col" class="num">"COCO-MLT"</th>
            }).collect_view()}
        </tr>
    };
    let body = GROUPS
        .iter()
        .enumerate()
        .map(|(g, key)| {
            view! {
                <tr>
                    <th scope="row">{t(key)}</th>
                    {table.rows.iter().map(|r| view! {
                        <td class="num">{r.voc[g]}</td>
                        <td class="num">{r.coco[g]}</td>
                    }).collect_view()}
                </tr>
            }
        })
        .collect_view();
    cited_table(
        table.id,
        "lesson.several-labels.db_caption",
        head,
        body,
        (table.url, table.source),
    )
}

/// The groups of classes, in the tables' order (total first).
const GROUPS: [&str; 4] = [
    "lesson.several-labels.total",
    "lesson.several-labels.many",
    "lesson.several-labels.medium",
    "lesson.several-labels.few",
];

/// 9. Several labels a sample.
#[component]
pub fn SeveralLabels(
    /// Hidden in presentation mode when another slide is shown.
    #[prop(into)]
    hidden: Signal<bool>,
) -> impl IntoView {
    view! {
        <LessonSection section=Section::SeveralLabels hidden>
            {para("lesson.several-labels.p1")}
            {slide_points("lesson.several-labels.slide")}
            <h3>{t("lesson.several-labels.counts")}</h3>
            {para("lesson.several-labels.counts_p")}
            <h3>{t("lesson.several-labels.modes")}</h3>
            {para("lesson.several-labels.modes_p")}
            {para("lesson.several-labels.modes_p2")}
            <h3>{t("lesson.several-labels.db")}</h3>
            {para("lesson.several-labels.db_p")}
            {para("lesson.several-labels.asl_p")}
            <div class="slide-figure published-tables">{published(&DB_RESULTS)}</div>
            {para("lesson.several-labels.db_table_p")}
            <h3>{t("lesson.several-labels.sampling")}</h3>
            {para("lesson.several-labels.sampling_p")}
            <h3>{t("lesson.several-labels.ours")}</h3>
            {para("lesson.several-labels.ours_p")}
            <Deferred part=Part::MultiLabel />
            <Questions section=Section::SeveralLabels />
        </LessonSection>
    }
}
