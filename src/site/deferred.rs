//! The parts of the page that come in wasm chunks of their own, after the
//! page is up: the first screen, the explorer and the charts are usable on
//! the first load alone (issue 12's size goal, kept by issue 31), the
//! lesson's sections come in the `lesson` chunk right after, and the
//! training panels' code, a fifth of the page's, in the `training` chunk.
//!
//! Each `#[wasm_split(..)]` function below is a split point: the build
//! (`cargo xtask build`, xtask/src/page.rs) moves what only they reach into
//! `dist/page-*/` chunks that `__wasm_split.js` fetches on the first call.
//! The page's side of the training worker is in the training chunk: the
//! worker starts when its first part arrives. A chunk that cannot come
//! (offline before a first visit, a damaged file) is said in words, with a
//! button that tries again; the rest of the page keeps working.

use leptos::prelude::*;
use leptos::wasm_split::{SplitLoaderError, wasm_split};

use std::future::Future;
use std::pin::Pin;

use crate::i18n::{Message, Strings};
use crate::site::backend::use_gpu;
use crate::site::i18n::t;
use crate::site::{lesson, lesson_frame, training, worker};
use crate::worker::protocol::{BenchResult, Device};

/// The parts of the page that live in a chunk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    /// The lesson's sections (the lesson chunk); the training parts below
    /// are inside them, but for the explorer's data set.
    Lesson,
    /// Section 6's panel.
    Training,
    /// Section 7's grid of the paper's runs.
    Grid,
    /// Section 7's sweep of beta.
    Sweep,
    /// Section 7's Fashion-MNIST-LT runs.
    RealData,
    /// Section 8's leaderboard of the methods after CB loss.
    Leaderboard,
    /// Section 9's label sets: several labels a sample.
    MultiLabel,
    /// The explorer's counts from the reader's own data set.
    DataSet,
}

/// How many times the reader asked to try the chunks again: one count for
/// every part, so that one button retries them all.
#[derive(Clone, Copy)]
struct Attempts(RwSignal<u32>);

/// Shares the retry count; the page calls it once, above every part.
pub fn provide() {
    provide_context(Attempts(RwSignal::new(0)));
}

/// A part of a chunk: what stands in for it while it is on its way (the
/// lesson's frame; a line for the others), then the part, or why it could
/// not come and a button to try again.
#[component]
pub fn Deferred(part: Part) -> impl IntoView {
    let Attempts(attempt) = expect_context::<Attempts>();
    let stand_in = move || match part {
        Part::Lesson => lesson_frame::placeholder().into_any(),
        _ => view! { <p class="hint deferred">{t("deferred.loading")}</p> }.into_any(),
    };
    view! {
        <Suspense fallback=stand_in>
            {move || {
                attempt.track();
                Suspend::new(async move {
                    load(part).await.unwrap_or_else(|_| {
                        view! {
                            <div class="notice deferred" role="alert">
                                <p>{t("deferred.failed")}</p>
                                <button type="button" on:click=move |_| attempt.update(|a| *a += 1)>
                                    {t("deferred.retry")}
                                </button>
                            </div>
                            {(part == Part::Lesson).then(stand_in)}
                        }
                        .into_any()
                    })
                })
            }}
        </Suspense>
    }
}

/// Fetches the chunk (once; a failure is not remembered) and builds `part`.
async fn load(part: Part) -> Result<AnyView, SplitLoaderError> {
    match part {
        Part::Lesson => lesson_part().await,
        Part::Training => training_panel().await,
        Part::Grid => grid_panel().await,
        Part::Sweep => sweep_panel().await,
        Part::RealData => real_data_panel().await,
        Part::Leaderboard => leaderboard_panel().await,
        Part::MultiLabel => multi_label_panel().await,
        Part::DataSet => data_set_panel().await,
    }
}

/// The lesson, with its strings, which its chunk carries (src/i18n/lang.rs).
#[wasm_split(lesson, wasm_split_path = ::leptos::wasm_split, fallible)]
fn lesson_part() -> Result<AnyView, SplitLoaderError> {
    crate::i18n::install_strings(Strings::Lesson);
    Ok(view! { <lesson::Lesson /> }.into_any())
}

// One split point per training part, all in the chunk named `training`. Each
// adds the panels' strings, which the chunk carries (src/i18n/lang.rs), and
// starts the worker (once), which then probes WebGPU for the badge.
macro_rules! split_point {
    ($($name:ident => $panel:ident),* $(,)?) => {$(
        #[wasm_split(training, wasm_split_path = ::leptos::wasm_split, fallible)]
        fn $name() -> Result<AnyView, SplitLoaderError> {
            crate::i18n::install_strings(Strings::Panels);
            worker::start_when_idle(use_gpu());
            Ok(view! { <training::$panel /> }.into_any())
        }
    )*};
}

split_point! {
    training_panel => TrainingPanel,
    grid_panel => GridPanel,
    sweep_panel => SweepPanel,
    real_data_panel => RealDataPanel,
    leaderboard_panel => LeaderboardPanel,
    multi_label_panel => MultiLabelPanel,
    data_set_panel => DataSetPanel,
}

/// What the benchmark's export awaits: the worker's figure.
type Bench = Pin<Box<dyn Future<Output = Result<BenchResult, Message>>>>;

/// Times the benchmark model in the worker, which a panel has started (the
/// benchmark waits for the badge). Called from JavaScript, outside any
/// component.
#[wasm_split(training, wasm_split_path = ::leptos::wasm_split, fallible)]
pub fn bench(
    device: Device,
    batch: usize,
    millis: f64,
    multi_label: bool,
) -> Result<Bench, SplitLoaderError> {
    crate::i18n::install_strings(Strings::Panels);
    Ok(Box::pin(worker::bench(device, batch, millis, multi_label)))
}
