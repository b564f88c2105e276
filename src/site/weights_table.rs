//! A preset, a beta, and the class-balanced weights they give, class by class.

use leptos::prelude::*;

use crate::effective_number::{Beta, effective_numbers};
use crate::export::decimal;
use crate::profiles::{PRESETS, preset_counts};
use crate::weights::class_balanced_weights;

/// One class's row.
#[derive(Clone, Debug, PartialEq)]
struct Row {
    class: usize,
    count: u64,
    effective_number: f64,
    weight: f64,
}

/// The rows for a preset and the text of the beta field, or what is wrong with them.
fn rows(preset: &str, beta_text: &str) -> Result<Vec<Row>, String> {
    let counts = preset_counts(preset).ok_or_else(|| format!("unknown preset \"{preset}\""))?;
    let beta: f64 = beta_text
        .trim()
        .parse()
        .map_err(|_| format!("\"{}\" is not a number", beta_text.trim()))?;
    let beta = Beta::new(beta).map_err(|e| e.to_string())?;
    let weights = class_balanced_weights(&counts, beta).map_err(|e| e.to_string())?;
    let effective = effective_numbers(&counts, beta);
    Ok((0..counts.len())
        .map(|i| Row {
            class: i,
            count: counts[i],
            effective_number: effective[i],
            weight: weights.weights[i],
        })
        .collect())
}

/// Three decimals for ordinary weights, scientific notation for tiny ones.
fn short(x: f64) -> String {
    if x == 0.0 || x.abs() >= 0.01 {
        format!("{x:.3}")
    } else {
        format!("{x:.2e}")
    }
}

/// The preset selector, the beta field and the weights table.
#[component]
pub fn WeightsTable() -> impl IntoView {
    let (preset, set_preset) = signal("cifar10-lt-100".to_owned());
    let (beta_text, set_beta_text) = signal("0.999".to_owned());
    let table = Memo::new(move |_| rows(&preset.get(), &beta_text.get()));

    view! {
        <section class="weights">
            <div class="controls">
                <label>
                    "Preset "
                    <select
                        id="preset"
                        aria-label="preset"
                        on:change=move |ev| set_preset.set(event_target_value(&ev))
                        prop:value=preset
                    >
                        {PRESETS
                            .iter()
                            .map(|p| view! { <option value=p.name>{p.label}</option> })
                            .collect_view()}
                    </select>
                </label>
                <label>
                    "beta "
                    <input
                        id="beta"
                        type="text"
                        inputmode="decimal"
                        aria-label="beta"
                        prop:value=beta_text
                        on:input=move |ev| set_beta_text.set(event_target_value(&ev))
                    />
                </label>
            </div>
            {move || match table.get() {
                Err(message) => view! { <p class="error" role="alert">{message}</p> }.into_any(),
                Ok(rows) => view! {
                    <table id="weights-table">
                        <caption>"Class-balanced weights, normalised to mean 1"</caption>
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
                                        <td>{r.class}</td>
                                        <td>{r.count}</td>
                                        <td>{short(r.effective_number)}</td>
                                        <td>{short(r.weight)}</td>
                                    </tr>
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                }
                .into_any(),
            }}
        </section>
    }
}
