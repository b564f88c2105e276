//! The explorer's reactive state: one signal holding the plain
//! [`ExplorerState`], memos for what is derived from it, and the effect that
//! keeps the URL in step.

use leptos::prelude::*;

use super::dom;
use crate::balance::effective_number::Beta;
use crate::balance::repeat_factor::DEFAULT_THRESHOLD;
use crate::balance::weights::{ClassWeights, WeightsError, class_balanced_weights};
use crate::charts::Theme;
use crate::explorer::results::{SchemeWeights, scheme_weights};
use crate::explorer::state::{ComparedScheme, ExplorerState, Images, Source};
use crate::explorer::training::TrainingSettings;
use crate::explorer::url::{from_query, to_query};
use crate::i18n::Message;
use crate::teach::lesson::{PageView, join_queries, view_to_query};

/// How long the state must hold still before the URL is updated.
pub const URL_DELAY_MS: u64 = 120;

/// Everything the explorer's components share.
#[derive(Clone, Copy)]
pub struct Explorer {
    /// The state; every change lands in the URL.
    pub state: RwSignal<ExplorerState>,
    /// Notices about values a link carried that were ignored, translated when shown.
    pub notices: RwSignal<Vec<Message>>,
    /// Samples per class.
    pub counts: Memo<Vec<u64>>,
    /// Where the counts came from.
    pub source: Memo<Source>,
    /// Class names, when an uploaded file had them.
    pub names: Memo<Option<Vec<String>>>,
    /// Images per class, when a data set's files gave them.
    pub images: Memo<Option<Images>>,
    /// The compared schemes, in control order.
    pub schemes: Memo<Vec<ComparedScheme>>,
    /// beta.
    pub beta: Memo<Beta>,
    /// gamma.
    pub gamma: Memo<f64>,
    /// Whether count axes are logarithmic.
    pub log_scale: Memo<bool>,
    /// The training panel's settings.
    pub training: Memo<TrainingSettings>,
    /// The tau slider's post-hoc tau.
    pub posthoc_tau: Memo<f64>,
    /// Class-balanced weights at the current beta.
    pub cb: Memo<Result<ClassWeights, WeightsError>>,
    /// Weights of the compared schemes that do not depend on the current beta.
    pub fixed_schemes: Memo<Vec<SchemeWeights>>,
    /// LVIS's repeat factor in the comparison: whether it is drawn (when the
    /// counts have images per class), and its threshold t, which the data
    /// set's sampler sets.
    pub repeat_factor: RwSignal<(bool, f64)>,
    /// The chart colours and sizes for the system theme and the screen, and
    /// the page's language for their words: every chart tracks it, so a
    /// language switch redraws them.
    pub theme: Memo<Theme>,
    /// The window's width in CSS pixels.
    pub width: ReadSignal<f64>,
    /// Whether the state has held still for [`URL_DELAY_MS`]: what is off
    /// screen catches up then, not at every step of a drag.
    pub resting: ReadSignal<bool>,
}

/// `f()`, its reads tracked only when `track` is true: for what follows the
/// state only while it is seen (an open box, a print), and is read afresh
/// when `track` turns true.
pub fn tracked_when<T>(track: bool, f: impl FnOnce() -> T) -> T {
    if track { f() } else { untrack(f) }
}

/// A memo of one part of the state. A drag changes the state at every step
/// and most parts not at all, so the parts are compared in place (a data
/// set's counts, names and images may run to 10,000 classes) and what reads
/// a part runs only when it changes, not at every step.
fn part<T: Clone + PartialEq + Send + Sync + 'static>(
    state: RwSignal<ExplorerState>,
    get: impl Fn(&ExplorerState) -> &T + Send + Sync + 'static,
) -> Memo<T> {
    Memo::new_owning(move |kept: Option<T>| {
        state.with(|s| match kept {
            Some(kept) if kept == *get(s) => (kept, false),
            _ => (get(s).clone(), true),
        })
    })
}

/// Creates the explorer's state from the URL and shares it with every component.
/// The URL then follows both the explorer's state and the page's `view`.
pub fn provide_explorer(view: RwSignal<PageView>) -> Explorer {
    let (initial, notices) = from_query(&dom::query());
    let state = RwSignal::new(initial);
    let counts = part(state, |s| &s.distribution.counts);
    let beta = Memo::new(move |_| state.with(|s| s.beta));
    let schemes = part(state, |s| &s.schemes);
    let dark = dom::use_dark_mode();
    let (resting, set_resting) = signal(true);
    let explorer = Explorer {
        state,
        notices: RwSignal::new(notices),
        counts,
        source: part(state, |s| &s.distribution.source),
        names: part(state, |s| &s.distribution.names),
        images: part(state, |s| &s.distribution.images),
        schemes,
        beta,
        gamma: Memo::new(move |_| state.with(|s| s.gamma)),
        log_scale: Memo::new(move |_| state.with(|s| s.log_scale)),
        training: part(state, |s| &s.training),
        posthoc_tau: Memo::new(move |_| state.with(|s| s.posthoc_tau)),
        cb: Memo::new(move |_| counts.with(|c| class_balanced_weights(c, beta.get()))),
        fixed_schemes: Memo::new(move |_| {
            let schemes = schemes.get();
            counts.with(|c| {
                schemes
                    .iter()
                    .filter(|s| !s.follows_beta())
                    // Their beta is fixed: the current one is not read.
                    .map(|&s| scheme_weights(c, s, Beta::ZERO))
                    .collect()
            })
        }),
        theme: Memo::new(move |_| {
            let scale = dom::pixel_ratio();
            let theme = if dark.get() {
                Theme::dark(scale)
            } else {
                Theme::light(scale)
            };
            theme.in_lang(view.with(|v| v.lang))
        }),
        repeat_factor: RwSignal::new((true, DEFAULT_THRESHOLD)),
        width: dom::use_window_width(),
        resting,
    };
    // The address bar, and what is off screen, follow the state once it holds
    // still for a moment: a drag fires many events, and browsers throttle
    // rapid history updates.
    let pending = StoredValue::new_local(None::<leptos::leptos_dom::helpers::TimeoutHandle>);
    Effect::new(move |_| {
        state.track();
        view.track();
        if let Some(handle) = pending.get_value() {
            handle.clear();
        }
        if resting.get_untracked() {
            set_resting.set(false);
        }
        let handle = leptos::leptos_dom::helpers::set_timeout_with_handle(
            move || {
                dom::replace_query(&join_queries(
                    &state.with_untracked(to_query),
                    &view.with_untracked(view_to_query),
                ));
                set_resting.set(true);
            },
            std::time::Duration::from_millis(URL_DELAY_MS),
        )
        .ok();
        pending.set_value(handle);
    });
    provide_context(explorer);
    explorer
}

/// The explorer's shared state.
pub fn use_explorer() -> Explorer {
    expect_context::<Explorer>()
}

impl Explorer {
    /// The explorer as a part of the page off screen sees it: beta and gamma
    /// hold still while `shown` is false and catch up when it turns true or
    /// the state rests, so that a drag updates only what the reader can see. The counts are never
    /// held (the CB weights are the held beta's for the current counts, so
    /// a table never pairs one distribution's counts with another's weights).
    /// What an action uses (a run's settings, a graded answer) is read from
    /// [`Explorer::state`], which is never held back.
    pub fn while_shown(self, shown: Signal<bool>) -> Explorer {
        let resting = self.resting;
        let shown = Signal::derive(move || shown.get() || resting.get());
        fn hold<T: Clone + PartialEq + Send + Sync + 'static>(
            live: Memo<T>,
            shown: Signal<bool>,
        ) -> Memo<T> {
            Memo::new(move |_| {
                if shown.get() {
                    live.get()
                } else {
                    live.get_untracked()
                }
            })
        }
        let beta = hold(self.beta, shown);
        let (live_beta, live_cb, counts) = (self.beta, self.cb, self.counts);
        Explorer {
            beta,
            gamma: hold(self.gamma, shown),
            // On screen (the usual case) the page's own memo; off screen, computed for the held beta.
            cb: Memo::new(move |_| {
                let beta = beta.get();
                if beta == live_beta.get_untracked() {
                    live_cb.get()
                } else {
                    counts.with(|c| class_balanced_weights(c, beta))
                }
            }),
            ..self
        }
    }

    /// The compared schemes' weights in control order, the current-beta one
    /// computed from the memo of class-balanced weights.
    pub fn compared(&self) -> Vec<SchemeWeights> {
        let schemes = self.schemes.get();
        let fixed = self.fixed_schemes.get();
        schemes
            .into_iter()
            .filter_map(|s| {
                if s == ComparedScheme::Cb {
                    Some(SchemeWeights {
                        scheme: s,
                        weights: self.cb.get(),
                    })
                } else {
                    fixed.iter().find(|f| f.scheme == s).cloned()
                }
            })
            .collect()
    }
}
