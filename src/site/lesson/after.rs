//! The lesson's eighth section, what came after: the methods that replaced
//! CB loss, each with its formula, the papers' own numbers (one table per
//! paper, cited), and the page's leaderboard of all of them on the toy task.

use leptos::prelude::*;

use super::math;
use super::questions::Questions;
use super::sections::{LessonSection, cited_table, para, slide_points};
use crate::site::copy::copy_button;
use crate::site::deferred::{Deferred, Part};
use crate::site::i18n::{t, tf};
use crate::teach::citations::{CITATIONS, Citation, bibliography};
use crate::teach::section::Section;
use crate::teach::successors::{IB_TABLE_4, LA_TABLE_3, PublishedTable};

/// One paper's table, cited under it.
fn published(table: &'static PublishedTable) -> impl IntoView {
    let metric = if table.higher_is_better {
        "lesson.after.accuracy"
    } else {
        "lesson.after.error"
    };
    let head = view! {
        <tr>
            <th scope="col">{t("lesson.after.method")}</th>
            <th scope="col" class="num">"CIFAR-10-LT " {t(metric)}</th>
            <th scope="col" class="num">"CIFAR-100-LT " {t(metric)}</th>
        </tr>
    };
    let body = table
        .rows
        .iter()
        .map(|r| {
            view! {
                <tr class:cb=r.highlight>
                    <th scope="row">{t(r.method)}</th>
                    <td class="num">{r.cifar10}</td>
                    <td class="num">{r.cifar100}</td>
                </tr>
            }
        })
        .collect_view();
    cited_table(
        table.id,
        table.caption,
        head,
        body,
        (table.url, table.source),
    )
}

/// One paper's BibTeX, with its copy button.
fn entry(c: &'static Citation) -> impl IntoView {
    view! {
        <li class="bibtex">
            <pre id=format!("bib-{}", c.key) tabindex="0">{c.bibtex()}</pre>
            <div class="tools">
                {copy_button(format!("copy-{}", c.key), move || c.bibtex(), tf("lesson.cite.copy", move || vec![("key", c.key.to_owned())]))}
            </div>
        </li>
    }
}

/// BibTeX for the paper and every method the lesson names.
fn cite() -> impl IntoView {
    view! {
        <details class="cite" id="cite">
            <summary><h3>{t("lesson.cite.title")}</h3></summary>
            <p>{t("lesson.cite.intro")}</p>
            <div class="tools">{copy_button("copy-all-bibtex".to_owned(), || bibliography(&CITATIONS), tf("lesson.cite.copy_all", Vec::new))}</div>
            <ul class="bibliography">{CITATIONS.iter().map(entry).collect_view()}</ul>
        </details>
    }
}

/// 8. What came after.
#[component]
pub fn After(
    /// Hidden in presentation mode when another slide is shown.
    #[prop(into)]
    hidden: Signal<bool>,
) -> impl IntoView {
    view! {
        <LessonSection section=Section::After hidden>
            {para("lesson.after.p1")}
            {slide_points("lesson.after.slide")}
            <h3>{t("lesson.after.la")}</h3>
            <div class="slide-formula">{math::logit_adjusted()}</div>
            {para("lesson.after.la_p")}
            {math::balanced_softmax()}
            {para("lesson.after.bs_p")}
            <h3>{t("lesson.after.posthoc")}</h3>
            {math::posthoc()}
            {para("lesson.after.posthoc_p")}
            <h3>{t("lesson.after.ldam")}</h3>
            {math::ldam()}
            {para("lesson.after.ldam_p")}
            <h3>{t("lesson.after.sampling")}</h3>
            {math::resampling()}
            {para("lesson.after.sampling_p")}
            <h3>{t("lesson.after.published")}</h3>
            {para("lesson.after.published_p")}
            // The slide shows the first table; the second is for reading.
            <div class="slide-figure published-tables">{published(&IB_TABLE_4)}</div>
            <div class="published-tables">{published(&LA_TABLE_3)}</div>
            <h3>{t("lesson.after.ours")}</h3>
            {para("lesson.after.ours_p")}
            <Deferred part=Part::Leaderboard />
            {cite()}
            <Questions section=Section::After />
        </LessonSection>
    }
}
