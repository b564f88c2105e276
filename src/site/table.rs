//! The per-class table (n, E, w), paged so 10,000 classes stay light, and
//! the summary under it. It is also the text alternative of the charts.

use leptos::prelude::*;

use super::state::use_explorer;
use crate::explorer::results::{PAGE_SIZE, pages, summary, table_page};
use crate::export::decimal;

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
    let ex = use_explorer();
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
    let names = move |i: usize| ex.state.with(|s| s.distribution.name(i));

    view! {
        <section class="panel table" aria-labelledby="table-title">
            <h2 id="table-title">"4. The numbers"</h2>
            {move || summary.get().map(|s| {
                let empty = if s.empty_classes.is_empty() {
                    "none".to_owned()
                } else {
                    let shown: Vec<String> = s.empty_classes.iter().take(20).map(|&i| names(i)).collect();
                    let more = s.empty_classes.len().saturating_sub(20);
                    if more > 0 { format!("{} and {more} more", shown.join(", ")) } else { shown.join(", ") }
                };
                view! {
                    <dl class="summary" id="summary">
                        <div><dt>"classes"</dt><dd>{s.classes}</dd></div>
                        <div><dt>"training samples"</dt><dd>{s.total}</dd></div>
                        <div><dt>"N = 1/(1 - beta)"</dt><dd>{short(s.prototypes)}</dd></div>
                        <div><dt>"sum of weights"</dt><dd id="sum-of-weights">{short(s.sum_of_weights)}</dd></div>
                        <div><dt>"tail / head weight"</dt><dd id="head-to-tail">{short(s.head_to_tail)}</dd></div>
                        <div><dt>"empty classes (weight 0)"</dt><dd id="empty-classes">{empty}</dd></div>
                    </dl>
                }
            })}
            <p class="hint">
                "Weights are 1/E rescaled to mean 1 over the classes that have samples, as the \
                 official code does. An empty class gets weight 0 and the others are renormalised \
                 over the non-empty ones (as the balanced-loss package does)."
            </p>
            {move || match rows.get() {
                None => view! {
                    <p class="error" role="alert">"Every class is empty: there is nothing to weight."</p>
                }.into_any(),
                Some(rows) => view! {
                    <table id="weights-table">
                        <caption>
                            {move || format!(
                                "Class-balanced weights at beta = {}, classes {} to {} of {}",
                                ex.beta.get(),
                                page.get() * PAGE_SIZE,
                                (page.get() * PAGE_SIZE + PAGE_SIZE).min(ex.counts.with(Vec::len)) - 1,
                                ex.counts.with(Vec::len),
                            )}
                        </caption>
                        <thead>
                            <tr>
                                <th scope="col">"class"</th>
                                <th scope="col">"samples n"</th>
                                <th scope="col">"effective number E"</th>
                                <th scope="col">"weight w"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {rows
                                .into_iter()
                                .map(|r| view! {
                                    <tr data-weight=decimal(r.weight)>
                                        <td>{names(r.class)}</td>
                                        <td>{r.count}</td>
                                        <td>{short(r.effective_number)}</td>
                                        <td>{short(r.weight)}</td>
                                    </tr>
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
            }}
            <nav class="pager" aria-label="table pages">
                <button type="button" disabled=move || { page.get() == 0 }
                    on:click=move |_| set_page.update(|p| *p = p.saturating_sub(1))>
                    "Previous"
                </button>
                <span>{move || format!("page {} of {}", page.get() + 1, page_count.get())}</span>
                <button type="button" disabled=move || { page.get() + 1 >= page_count.get() }
                    on:click=move |_| set_page.update(|p| *p += 1)>
                    "Next"
                </button>
            </nav>
        </section>
    }
}
