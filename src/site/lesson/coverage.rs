//! The coverage simulation: the model behind the effective number, made
//! visible. N prototypes as a grid of cells, samples drawn one at a time
//! (animated or by hand), then many trials whose mean is plotted over the
//! formula's curve; beside it, discs dropped into a square of area N, which
//! shows what the all-or-nothing model leaves out. The numbers come from
//! [`crate::teach::coverage`].

use leptos::prelude::*;

use super::short;
use crate::charts::coverage::CoverageChart;
use crate::charts::figure::Figure;
use crate::i18n::tr_with;
use crate::site::dom;
use crate::site::figures::ChartCanvas;
use crate::site::i18n::{t, tf, use_page};
use crate::teach::coverage::{
    CoverageConfig, CoverageStats, GeometricStats, PROTOTYPE_CHOICES, draw_sequence,
    expected_covered, geometric_trial, simulate_geometric, simulate_prototypes, unit_disc_radius,
};

/// Trials of the prototype model per run.
pub const TRIALS: u32 = 500;
/// Trials of the geometric version per run (each is a raster, so fewer).
pub const GEOMETRIC_TRIALS: u32 = 100;
/// Seed of the first trial: a run is the same every time, so a class sees the same numbers.
const SEED: u64 = 2019;

/// Resolves after `ms` milliseconds.
async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        // Without a timer the animation simply stops; nothing is lost.
        let _ = dom::window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// The rows of the results table: a few values of n from 1 to 3N.
fn table_ns(prototypes: u32, draws: u32) -> Vec<u32> {
    let wanted = [1, 2, prototypes / 2, prototypes, 2 * prototypes, draws];
    // In order and once each without a sort (one sort fewer in the first load).
    (1..=draws).filter(|n| wanted.contains(n)).collect()
}

/// The simulation with its controls, pictures, chart and table.
#[component]
pub fn CoverageLab() -> impl IntoView {
    let page = use_page();
    let lang = page.lang;
    // N lives in the page's view, so a lesson link can set it and the URL follows it.
    let prototypes = Memo::new(move |_| page.view.with(|v| v.prototypes));
    let draws = Memo::new(move |_| 3 * prototypes.get());
    let (seed, set_seed) = signal(1u64);
    let sequence = Memo::new(move |_| draw_sequence(prototypes.get(), draws.get(), seed.get()));
    let discs = Memo::new(move |_| geometric_trial(prototypes.get(), draws.get(), seed.get()));
    let drawn = RwSignal::new(0u32);
    let playing = RwSignal::new(false);
    // Each press of play starts a loop; a newer one (or a pause) ends the older.
    let generation = StoredValue::new(0u64);
    let results = RwSignal::new(None::<(CoverageStats, GeometricStats)>);

    let stop = move || {
        playing.set(false);
        generation.update_value(|g| *g += 1);
    };
    let reset = move || {
        stop();
        drawn.set(0);
    };
    let draw_one = move |_| {
        stop();
        drawn.update(|d| *d = (*d + 1).min(draws.get_untracked()));
    };
    let play = move |_| {
        if playing.get_untracked() {
            stop();
            return;
        }
        if drawn.get_untracked() >= draws.get_untracked() {
            drawn.set(0);
        }
        generation.update_value(|g| *g += 1);
        let mine = generation.get_value();
        playing.set(true);
        // About six seconds for the whole run, whatever N.
        let delay = (6000 / draws.get_untracked().max(1) as i32).clamp(20, 300);
        leptos::task::spawn_local(async move {
            while generation.get_value() == mine && drawn.get_untracked() < draws.get_untracked() {
                drawn.update(|d| *d += 1);
                sleep(delay).await;
            }
            if generation.get_value() == mine {
                playing.set(false);
            }
        });
    };
    let run_trials = move || {
        let config = CoverageConfig {
            prototypes: prototypes.get_untracked(),
            draws: draws.get_untracked(),
            trials: TRIALS,
            seed: SEED,
        };
        let geometric = simulate_geometric(&CoverageConfig {
            trials: GEOMETRIC_TRIALS,
            ..config
        });
        results.set(Some((simulate_prototypes(&config), geometric)));
    };
    // On paper there is no button to press: a handout printed before the
    // trials ran gets them (the same seed, so the button's numbers).
    let printing = dom::printing();
    Effect::new(move |_| {
        if printing.get() && results.with_untracked(Option::is_none) {
            run_trials();
        }
    });
    let change_n = move |ev| {
        if let Ok(n) = event_target_value(&ev).parse::<u32>()
            && PROTOTYPE_CHOICES.contains(&n)
        {
            reset();
            results.set(None);
            page.view.update(|v| v.prototypes = n);
        }
    };

    let covered = Memo::new(move |_| {
        let k = drawn.get() as usize;
        sequence.with(|s| if k == 0 { 0 } else { s[k - 1].covered })
    });
    let status = move || {
        let n = drawn.get();
        let args = [
            ("n", n.to_string()),
            ("k", covered.get().to_string()),
            ("big_n", prototypes.get().to_string()),
            ("e", short(expected_covered(n, prototypes.get()))),
        ];
        let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
        tr_with(lang.get(), "coverage.status", &args)
    };
    let disc_status = move || {
        let n = drawn.get() as usize;
        let area = discs.with(|d| if n == 0 { 0.0 } else { d.covered[n - 1] });
        let args = [
            ("n", n.to_string()),
            ("a", short(area)),
            ("big_n", prototypes.get().to_string()),
            ("e", short(expected_covered(n as u32, prototypes.get()))),
        ];
        let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
        tr_with(lang.get(), "coverage.disc_status", &args)
    };

    let figure = Memo::new(move |_| {
        let results = results.get();
        Figure::Coverage(CoverageChart {
            prototypes: prototypes.get(),
            draws: draws.get(),
            simulated: results
                .as_ref()
                .map(|(s, _)| (s.mean.clone(), s.std_error.clone())),
            geometric: results.as_ref().map(|(_, g)| g.coverage.mean.clone()),
        })
    });

    let (pause, play_label) = (t("coverage.pause"), t("coverage.play"));
    view! {
        <div class="coverage-lab" id="coverage-lab">
            <div class="button-row">
                <label for="coverage-n">{t("coverage.n_label")}</label>
                <select id="coverage-n" on:change=change_n>
                    {PROTOTYPE_CHOICES
                        .into_iter()
                        .map(|n| view! { <option value=n.to_string() selected=move || prototypes.get() == n>{n.to_string()}</option> })
                        .collect_view()}
                </select>
                <button type="button" id="coverage-draw" on:click=draw_one disabled=move || { drawn.get() >= draws.get() }>
                    {t("coverage.draw_one")}
                </button>
                <button type="button" id="coverage-play" on:click=play aria-pressed=move || playing.get().to_string()>
                    {move || if playing.get() { pause.get() } else { play_label.get() }}
                </button>
                <button type="button" id="coverage-reset" class="link" on:click=move |_| reset()>
                    {t("coverage.reset")}
                </button>
                <button type="button" id="coverage-reseed" class="link" on:click=move |_| { reset(); set_seed.update(|s| *s += 1); }>
                    {t("coverage.reseed")}
                </button>
            </div>
            <div class="coverage-pictures">
                <figure class="proto-figure">
                    <div class="proto-grid" aria-hidden="true">
                        {move || {
                            let n = drawn.get() as usize;
                            let seq = sequence.get();
                            let mut covered = vec![false; prototypes.get() as usize];
                            for d in &seq[..n] {
                                covered[d.prototype as usize] = true;
                            }
                            let last = n.checked_sub(1).map(|k| (seq[k].prototype as usize, seq[k].new));
                            covered
                                .into_iter()
                                .enumerate()
                                .map(|(i, c)| {
                                    let is_last = last.map(|(p, _)| p) == Some(i);
                                    let repeat = is_last && last.is_some_and(|(_, new)| !new);
                                    view! { <span class="proto" class:covered=c class:last=is_last class:repeat=repeat></span> }
                                })
                                .collect_view()
                        }}
                    </div>
                    <figcaption id="coverage-status" aria-live="polite" data-drawn=move || drawn.get().to_string() data-covered=move || covered.get().to_string()>
                        {status}
                    </figcaption>
                </figure>
                <figure class="disc-figure">
                    <svg class="disc-picture" aria-hidden="true"
                        viewBox=move || { let s = discs.with(|d| d.side); format!("0 0 {s} {s}") }>
                        <rect class="region" x="0" y="0"
                            width=move || discs.with(|d| d.side).to_string()
                            height=move || discs.with(|d| d.side).to_string()></rect>
                        {move || {
                            let n = drawn.get() as usize;
                            let r = unit_disc_radius();
                            discs.with(|d| {
                                d.centres[..n]
                                    .iter()
                                    .map(|&(x, y)| view! { <circle cx=x.to_string() cy=y.to_string() r=r.to_string()></circle> })
                                    .collect_view()
                            })
                        }}
                    </svg>
                    <figcaption id="disc-status">{disc_status}</figcaption>
                </figure>
            </div>
            <p>{t("coverage.trials_intro")}</p>
            <button type="button" id="coverage-run" class="primary" on:click=move |_| run_trials()>
                {tf("coverage.run", move || vec![("trials", TRIALS.to_string())])}
            </button>
            <ChartCanvas figure=figure name="lesson-coverage" described_by="coverage-table"
                caption=tf("coverage.caption", move || vec![("big_n", prototypes.get().to_string())]) />
            <CoverageTable results=results.into() />
            <p>{t("coverage.geometric_p1")}</p>
            <p>{t("coverage.geometric_p2")}</p>
        </div>
    }
}

/// The simulation's numbers: mean, standard error and E_n at a few n, and how
/// far apart they are in standard errors; then the geometric version's.
#[component]
fn CoverageTable(
    /// The last run's results, if any.
    results: Signal<Option<(CoverageStats, GeometricStats)>>,
) -> impl IntoView {
    let lang = use_page().lang;
    move || {
        let Some((sim, geo)) = results.get() else {
            return view! { <p class="hint" id="coverage-empty">{t("coverage.not_run")}</p> }
                .into_any();
        };
        let c = sim.config;
        let ns = table_ns(c.prototypes, c.draws);
        let max_z = sim.max_z();
        let last = c.draws as usize - 1;
        let summary = {
            let args = [
                ("trials", c.trials.to_string()),
                ("z", format!("{max_z:.2}")),
            ];
            let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
            tr_with(lang.get(), "coverage.summary", &args)
        };
        let geo_summary = {
            let g = &geo.coverage;
            let args = [
                ("partial", format!("{:.0}", 100.0 * geo.partial_share)),
                ("inside", format!("{:.0}", 100.0 * geo.inside_share)),
                ("n", c.draws.to_string()),
                ("a", short(g.mean[last])),
                ("se", short(g.std_error[last])),
                ("e", short(g.expected[last])),
                ("trials", geo.coverage.config.trials.to_string()),
            ];
            let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
            tr_with(lang.get(), "coverage.geo_summary", &args)
        };
        view! {
            <div class="table-scroll" tabindex="0" role="region" aria-labelledby="coverage-caption">
                <table id="coverage-table" data-prototypes=c.prototypes.to_string()
                    data-trials=c.trials.to_string() data-max-z=max_z.to_string()>
                    <caption id="coverage-caption">{summary}</caption>
                    <thead>
                        <tr>
                            <th scope="col" class="num">"n"</th>
                            <th scope="col" class="num">{t("coverage.col_mean")}</th>
                            <th scope="col" class="num">{t("coverage.col_se")}</th>
                            <th scope="col" class="num">{t("coverage.col_formula")}</th>
                            <th scope="col" class="num">{t("coverage.col_z")}</th>
                            <th scope="col" class="num">{t("coverage.col_discs")}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {ns.into_iter()
                            .map(|n| {
                                let k = n as usize - 1;
                                let (m, se, e) = (sim.mean[k], sim.std_error[k], sim.expected[k]);
                                let z = if se > 0.0 { format!("{:.2}", (m - e) / se) } else { "—".into() };
                                view! {
                                    <tr data-n=n.to_string() data-mean=m.to_string()
                                        data-se=se.to_string() data-expected=e.to_string()
                                        data-disc-mean=geo.coverage.mean[k].to_string()>
                                        <th scope="row" class="num">{n.to_string()}</th>
                                        <td class="num">{format!("{m:.3}")}</td>
                                        <td class="num">{format!("{se:.3}")}</td>
                                        <td class="num">{format!("{e:.3}")}</td>
                                        <td class="num">{z}</td>
                                        <td class="num">{format!("{:.3}", geo.coverage.mean[k])}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
            <p id="geometric-summary" data-partial-share=geo.partial_share.to_string()>{geo_summary}</p>
        }
        .into_any()
    }
}
