//! The per-class table (n, E, w), paged so 10,000 classes stay light, and
//! the summary under it. It is also the text alternative of the charts.

use leptos::prelude::*;

use super::i18n::{t, use_page};
use super::state::use_explorer;
use crate::balance::beta_range::{BetaRange, beta_range};
use crate::data::export::decimal;
use crate::explorer::results::{PAGE_SIZE, Summary, pages, rounded_beta, summary, table_page};
use crate::explorer::state::class_name;
use crate::i18n::{tr, tr_with};

/// Three decimals for ordinary values, scientific notation for tiny or huge ones.
pub fn short(x: f64) -> String {
    if x == 0.0 || (0.01..1e6).contains(&x.abs()) {
        format!("{x:.3}")
    } else {
        format!("{x:.3e}")
    }
}

/// The class-balanced weights, class by class.
#[component]
pub fn WeightsTable() -> impl IntoView {
    // It follows a drag elsewhere (the first screen's slider) only while on
    // screen; every cell and line is its own text, so a drag rewrites
    // numbers, never the table.
    let root = NodeRef::<leptos::html::Section>::new();
    let ex = use_explorer().while_shown(super::dom::on_screen(root));
    let (page, set_page) = signal(0usize);
    let page_count = Memo::new(move |_| ex.counts.with(|c| pages(c.len())));
    // A new distribution may have fewer pages.
    Effect::new(move |_| {
        let last = page_count.get() - 1;
        if page.get_untracked() > last {
            set_page.set(last);
        }
    });
    let rows = Memo::new(move |_| {
        let beta = ex.beta.get();
        ex.cb.with(|cb| {
            let cb = cb.as_ref().ok()?;
            Some(ex.counts.with(|c| table_page(c, cb, beta, page.get())))
        })
    });
    let summary = Memo::new(move |_| {
        let beta = ex.beta.get();
        ex.cb.with(|cb| {
            cb.as_ref()
                .ok()
                .map(|cb| ex.counts.with(|c| summary(c, cb, beta)))
        })
    });
    // The names alone (the state changes at every step of a drag): the rows
    // then rebuild only when their numbers or names change.
    let class_names = ex.names;
    let names = move |i: usize| class_names.with(|n| class_name(n.as_deref(), i));
    // The betas between which the weights move (see the beta control), or a dash.
    let range = Memo::new(move |_| ex.counts.with(|c| beta_range(c)));
    let range_text = move || match range.get() {
        BetaRange {
            low: Some(low),
            high: Some(high),
            ..
        } => format!("{} – {}", rounded_beta(low).0, rounded_beta(high).0),
        _ => "–".to_owned(),
    };
    let lang = use_page().lang;
    // One line of the summary, as text.
    let line = move |f: fn(&Summary) -> String| {
        move || summary.with(|s| s.as_ref().map(f).unwrap_or_default())
    };
    let empty = move || {
        summary.with(|s| {
            let s = s.as_ref()?;
            Some(if s.empty_classes.is_empty() {
                tr(lang.get(), "table.none").to_owned()
            } else {
                let shown: Vec<String> =
                    s.empty_classes.iter().take(20).map(|&i| names(i)).collect();
                let more = s.empty_classes.len().saturating_sub(20);
                if more > 0 {
                    tr_with(
                        lang.get(),
                        "table.and_more",
                        &[("list", &shown.join(", ")), ("more", &more.to_string())],
                    )
                } else {
                    shown.join(", ")
                }
            })
        })
    };

    view! {
        <section class="panel table" aria-labelledby="table-title" node_ref=root>
            <h2 id="table-title">{t("table.title")}</h2>
            <Show when=move || summary.with(Option::is_some)>
                <dl class="summary" id="summary">
                    <div><dt>{t("table.classes")}</dt><dd>{line(|s| s.classes.to_string())}</dd></div>
                    <div><dt>{t("table.training_samples")}</dt><dd>{line(|s| s.total.to_string())}</dd></div>
                    <div><dt>{t("table.prototypes")}</dt><dd>{line(|s| short(s.prototypes))}</dd></div>
                    <div><dt>{t("table.sum_of_weights")}</dt><dd id="sum-of-weights">{line(|s| short(s.sum_of_weights))}</dd></div>
                    <div><dt>{t("table.tail_head")}</dt><dd id="head-to-tail">{line(|s| short(s.head_to_tail))}</dd></div>
                    <div><dt>{t("table.beta_range")}</dt><dd id="beta-range">{range_text}</dd></div>
                    <div><dt>{t("table.empty_classes")}</dt><dd id="empty-classes">{empty}</dd></div>
                </dl>
            </Show>
            <p class="hint">{t("table.hint")}</p>
            <Show
                when=move || rows.with(Option::is_some)
                fallback=|| view! { <p class="error" role="alert">{t("table.all_empty")}</p> }
            >
                <table id="weights-table">
                    <caption>
                        {move || tr_with(lang.get(), "table.caption", &[
                            ("beta", &ex.beta.get().to_string()),
                            ("from", &(page.get() * PAGE_SIZE).to_string()),
                            ("to", &((page.get() * PAGE_SIZE + PAGE_SIZE).min(ex.counts.with(Vec::len)) - 1).to_string()),
                            ("of", &ex.counts.with(Vec::len).to_string()),
                        ])}
                    </caption>
                    <thead>
                        <tr>
                            <th scope="col">{t("table.col_class")}</th>
                            <th scope="col">{t("table.col_samples")}</th>
                            <th scope="col">{t("table.col_effective")}</th>
                            <th scope="col">{t("table.col_weight")}</th>
                        </tr>
                    </thead>
                    <tbody>
                        // Rebuilt in place: each row's attribute and cells take the new text.
                        {move || rows.get().unwrap_or_default().into_iter().map(|r| view! {
                            <tr data-weight=decimal(r.weight)>
                                <td>{names(r.class)}</td>
                                <td>{r.count}</td>
                                <td>{short(r.effective_number)}</td>
                                <td>{short(r.weight)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </Show>
            <nav class="pager" aria-label=t("table.pages")>
                <button type="button" disabled=move || { page.get() == 0 }
                    on:click=move |_| set_page.update(|p| *p = p.saturating_sub(1))>
                    {t("table.previous")}
                </button>
                <span>{move || tr_with(lang.get(), "table.page", &[("k", &(page.get() + 1).to_string()), ("total", &page_count.get().to_string())])}</span>
                <button type="button" disabled=move || { page.get() + 1 >= page_count.get() }
                    on:click=move |_| set_page.update(|p| *p += 1)>
                    {t("table.next")}
                </button>
            </nav>
        </section>
    }
}
