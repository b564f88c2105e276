//! The proof by induction as a stepper: E_1 = 1, then each step adds the new
//! sample's expected new volume 1 - E_{n-1}/N, shown with the numbers of the
//! current beta beside the closed form. The rows come from
//! [`crate::teach::induction`].

use leptos::prelude::*;

use super::short;
use crate::i18n::{tr, tr_with};
use crate::site::i18n::{t, tf, use_page};
use crate::site::state::use_explorer;
use crate::teach::induction::{MAX_STEPS, induction_rows};

/// Buttons to take the next step or go back, the table of steps so far, and
/// the current step in words.
#[component]
pub fn InductionStepper() -> impl IntoView {
    let ex = use_explorer();
    let page = use_page();
    // The step lives in the page's view, so a lesson link can set it and the URL follows it.
    let step = Memo::new(move |_| page.view.with(|v| v.induction_step));
    let set_step =
        move |f: fn(u32) -> u32| page.view.update(|v| v.induction_step = f(v.induction_step));
    let rows = Memo::new(move |_| induction_rows(ex.beta.get(), MAX_STEPS));
    let current = Memo::new(move |_| rows.with(|r| r[step.get() as usize - 1]));
    let lang = page.lang;
    let explain = move || {
        let row = current.get();
        let lang = lang.get();
        if row.n == 1 {
            return tr(lang, "induction.base").to_owned();
        }
        let args = [
            ("n", row.n.to_string()),
            ("m", (row.n - 1).to_string()),
            ("prev", short(row.previous)),
            ("big_n", short(ex.beta.get().prototypes())),
            ("p", short(row.overlap)),
            ("added", short(row.added)),
            ("e", short(row.recursive)),
            ("closed", short(row.closed)),
        ];
        let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
        tr_with(lang, "induction.step", &args)
    };
    view! {
        <div class="stepper" id="induction-stepper">
            <div class="button-row">
                <button type="button" id="induction-previous"
                    on:click=move |_| set_step(|s| s.saturating_sub(1).max(1))
                    disabled=move || { step.get() <= 1 }>
                    {t("induction.previous")}
                </button>
                <button type="button" id="induction-next" class="primary"
                    on:click=move |_| set_step(|s| (s + 1).min(MAX_STEPS))
                    disabled=move || { step.get() >= MAX_STEPS }>
                    {t("induction.next")}
                </button>
                <button type="button" id="induction-reset" class="link"
                    on:click=move |_| set_step(|_| 1)>
                    {t("induction.reset")}
                </button>
            </div>
            <p class="step-text" aria-live="polite" data-step=move || step.get().to_string()>{explain}</p>
            <div class="table-scroll" tabindex="0" role="region" aria-labelledby="induction-caption">
                <table id="induction-table">
                    <caption id="induction-caption">
                        {tf("induction.caption", move || vec![("beta", ex.beta.get().to_string()), ("big_n", short(ex.beta.get().prototypes()))])}
                    </caption>
                    <thead>
                        <tr>
                            <th scope="col" class="num">"n"</th>
                            <th scope="col" class="num">{t("induction.col_prev")}</th>
                            <th scope="col" class="num">{t("induction.col_p")}</th>
                            <th scope="col" class="num">{t("induction.col_added")}</th>
                            <th scope="col" class="num">{t("induction.col_e")}</th>
                            <th scope="col" class="num">{t("induction.col_closed")}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {move || {
                            rows.get()
                                .into_iter()
                                .take(step.get() as usize)
                                .map(|r| {
                                    let last = r.n == step.get();
                                    view! {
                                        <tr
                                            class:current=last
                                            data-n=r.n.to_string()
                                            data-recursive=r.recursive.to_string()
                                            data-closed=r.closed.to_string()
                                        >
                                            <th scope="row" class="num">{r.n.to_string()}</th>
                                            <td class="num">{short(r.previous)}</td>
                                            <td class="num">{short(r.overlap)}</td>
                                            <td class="num">{short(r.added)}</td>
                                            <td class="num">{short(r.recursive)}</td>
                                            <td class="num">{short(r.closed)}</td>
                                        </tr>
                                    }
                                })
                                .collect_view()
                        }}
                    </tbody>
                </table>
            </div>
        </div>
    }
}
