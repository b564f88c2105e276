//! The questions at the end of each section and the summary of the reader's
//! answers. The questions, their answers and their grading are the core's
//! (src/teach/questions.rs); this shows them, keeps the answers in the
//! browser (localStorage) and says at once, in a live region, how an
//! answer fares and why.

use std::collections::BTreeMap;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::short;
use crate::balance::weights::head_and_tail;
use crate::i18n::{Lang, tr, tr_with};
use crate::site::dom;
use crate::site::i18n::{t, tf, use_page};
use crate::site::state::{Explorer, tracked_when, use_explorer};
use crate::teach::cut::Panel;
use crate::teach::questions::{
    Answer, Follows, Inputs, Kind, QUESTIONS, Question, RENAMED, Verdict,
};
use crate::teach::section::Section;

/// Where the answers are kept in the browser.
const STORAGE_KEY: &str = "cblab.answers";

/// An answer as the reader gave it, with the state it was given under.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
struct Saved {
    /// An option's id, or the number as typed.
    given: String,
    /// [`Question::state_key`] when it was given.
    state: String,
}

/// The reader's answers, shared by every question and the summary.
#[derive(Clone, Copy)]
pub(super) struct Answers {
    saved: RwSignal<BTreeMap<String, Saved>>,
    /// Whether the browser lets the page keep them.
    kept: bool,
}

impl Answers {
    /// The kept guess of prediction `id` ("skip" when skipped), if revealed.
    pub(super) fn prediction(self, id: &'static str) -> Memo<Option<String>> {
        let key = format!("predict:{id}");
        Memo::new(move |_| self.saved.with(|s| s.get(&key).map(|a| a.given.clone())))
    }

    /// Keeps (or, with `None`, forgets) prediction `id`'s revealed guess.
    pub(super) fn set_prediction(self, id: &'static str, given: Option<String>) {
        let key = format!("predict:{id}");
        self.saved.update(|s| match given {
            Some(given) => drop(s.insert(
                key,
                Saved {
                    given,
                    state: String::new(),
                },
            )),
            None => drop(s.remove(&key)),
        });
    }
}

/// The browser's storage, if it lets the page write to it (a browser that
/// blocks it throws on access, or on the first write).
fn storage() -> Option<web_sys::Storage> {
    let storage = dom::window().local_storage().ok().flatten()?;
    let probe = "cblab.probe";
    storage.set_item(probe, "1").ok()?;
    storage.remove_item(probe).ok()?;
    Some(storage)
}

/// Reads the kept answers and shares them; every change is written back.
pub(super) fn provide_answers() -> Answers {
    let store = storage();
    let initial = store
        .as_ref()
        .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
        // Answers from an older page that no longer parse are dropped, not fatal.
        .and_then(|text| serde_json::from_str::<BTreeMap<String, Saved>>(&text).ok())
        .map(|mut kept| {
            for (old, new) in RENAMED {
                if let Some(answer) = kept.remove(old) {
                    kept.entry(new.to_owned()).or_insert(answer);
                }
            }
            kept
        })
        .unwrap_or_default();
    let answers = Answers {
        saved: RwSignal::new(initial),
        kept: store.is_some(),
    };
    Effect::new(move |_| {
        let text = answers
            .saved
            .with(|s| serde_json::to_string(s).unwrap_or_default());
        if let Some(store) = storage() {
            let _ = store.set_item(STORAGE_KEY, &text);
        }
    });
    provide_context(answers);
    answers
}

/// The inputs of question `q`, read from the explorer; only what the
/// question follows is tracked, so that a beta drag leaves the other
/// questions (their words, feedback and status) alone.
fn with_inputs<R>(ex: Explorer, q: &Question, f: impl FnOnce(&Inputs) -> R) -> R {
    let follows = q.follows();
    let beta = if follows == Follows::CountsAndBeta {
        ex.beta.get()
    } else {
        ex.beta.get_untracked()
    };
    if follows == Follows::Nothing {
        ex.counts
            .with_untracked(|counts| f(&Inputs { counts, beta }))
    } else {
        ex.counts.with(|counts| f(&Inputs { counts, beta }))
    }
}

/// The explorer's inputs as they are now, for grading an answer given now
/// (the section's own view of beta may be held back while off screen).
fn live_inputs<R>(ex: Explorer, f: impl FnOnce(&Inputs) -> R) -> R {
    let beta = ex.state.with_untracked(|s| s.beta);
    ex.counts
        .with_untracked(|counts| f(&Inputs { counts, beta }))
}

/// The values a question's words may name: the explorer's beta and its
/// most frequent and rarest classes' counts.
fn placeholders(inputs: &Inputs) -> [(&'static str, String); 3] {
    let (head, tail) = head_and_tail(inputs.counts);
    let count = |i: usize| inputs.counts.get(i).copied().unwrap_or(0).to_string();
    [
        ("beta", inputs.beta.to_string()),
        ("head", count(head)),
        ("tail", count(tail)),
    ]
}

/// A question's string `part` (`prompt`, `hint`, an option, ...) with its placeholders filled.
fn words(lang: Lang, q: &Question, part: &str, extra: &[(&str, &str)], inputs: &Inputs) -> String {
    let values = placeholders(inputs);
    let mut args: Vec<(&str, &str)> = values.iter().map(|(k, v)| (*k, v.as_str())).collect();
    args.extend_from_slice(extra);
    tr_with(lang, &format!("question.{}.{part}", q.id), &args)
}

/// How the reader's answer stands now.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Status {
    /// Not answered (or answered and then retried).
    Open,
    /// Graded for the current state.
    Graded(Verdict),
    /// Given under another state: not judged against this one.
    Stale,
}

fn status(q: &Question, saved: Option<&Saved>, inputs: &Inputs) -> Status {
    match saved {
        None => Status::Open,
        Some(s) if s.state != q.state_key(inputs) => Status::Stale,
        Some(s) => Status::Graded(q.grade(&s.given, inputs)),
    }
}

/// The questions that end `section`, under one heading (none if the teacher's cut drops them).
#[component]
pub(super) fn Questions(section: Section) -> impl IntoView {
    let page = use_page();
    let dropped = move || !page.view.with(|v| v.cut.keeps_panel(Panel::Questions));
    view! {
        <div class="questions" hidden=dropped>
            <h3>{t("quiz.title")}</h3>
            {Question::of(section).map(|q| view! { <QuestionForm q /> }).collect_view()}
        </div>
    }
}

/// One question: a form whose feedback, with the reason, appears at once in
/// a live region, with a retry and "show the answer".
#[component]
fn QuestionForm(q: &'static Question) -> impl IntoView {
    let ex = use_explorer();
    let lang = use_page().lang;
    let answers = expect_context::<Answers>();
    let saved = Memo::new(move |_| answers.saved.with(|s| s.get(q.id).cloned()));
    // What the form holds: the saved answer at first, then what the reader types or picks.
    let draft = RwSignal::new(saved.get_untracked().map(|s| s.given).unwrap_or_default());
    // Set when "Check" finds nothing to grade (nothing picked, not a number).
    let unreadable = RwSignal::new(false);
    let shown = RwSignal::new(false);
    let status = Memo::new(move |_| with_inputs(ex, q, |i| status(q, saved.get().as_ref(), i)));
    let form_id = format!("q-{}", q.id);
    let prompt_id = format!("q-{}-prompt", q.id);
    let labelled = prompt_id.clone();

    let check = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let given = draft.get_untracked().trim().to_owned();
        let readable = live_inputs(ex, |i| q.grade(&given, i) != Verdict::Unreadable);
        unreadable.set(!readable);
        if readable {
            let state = live_inputs(ex, |i| q.state_key(i));
            answers
                .saved
                .update(|s| drop(s.insert(q.id.to_owned(), Saved { given, state })));
        }
    };
    let retry = move |_| {
        answers.saved.update(|s| drop(s.remove(q.id)));
        shown.set(false);
        unreadable.set(false);
    };

    let prompt = move || with_inputs(ex, q, |i| words(lang.get(), q, "prompt", &[], i));
    let field = match q.kind {
        Kind::Choice(options) => options
            .iter()
            .map(|o| {
                let id = o.id;
                let text = move || with_inputs(ex, q, |i| words(lang.get(), q, id, &[], i));
                view! {
                    <label class="check option">
                        <input
                            type="radio"
                            name=format!("q-{}", q.id)
                            value=id
                            prop:checked=move || draft.with(|d| d == id)
                            on:change=move |_| draft.set(id.to_owned())
                        />
                        {text}
                    </label>
                }
            })
            .collect_view()
            .into_any(),
        Kind::Number { .. } => view! {
            <label class="number-answer">
                {t("quiz.number_label")}
                <input
                    type="text"
                    inputmode="decimal"
                    autocomplete="off"
                    id=format!("q-{}-number", q.id)
                    prop:value=move || draft.get()
                    on:input=move |ev| draft.set(event_target_value(&ev))
                />
            </label>
        }
        .into_any(),
    };

    // The feedback: right or wrong and why; a stale answer said as such.
    let feedback = move || {
        let lang = lang.get();
        if unreadable.get() {
            let key = match q.kind {
                Kind::Choice(_) => "quiz.pick",
                Kind::Number { .. } => "quiz.unreadable",
            };
            return Some(view! { <p class="error">{tr(lang, key)}</p> }.into_any());
        }
        let given = saved.get()?.given;
        let reason =
            |option: &str| with_inputs(ex, q, |i| words(lang, q, &format!("{option}.why"), &[], i));
        Some(match status.get() {
            Status::Open => return None,
            Status::Stale => view! {
                <p class="stale">{tr_with(lang, "quiz.other_state", &[("given", &given)])}</p>
            }
            .into_any(),
            Status::Graded(Verdict::Right) => {
                let why = match q.kind {
                    Kind::Choice(_) => reason(&given),
                    Kind::Number { .. } => String::new(),
                };
                view! { <p class="ok"><strong>{tr(lang, "quiz.right")}</strong>" "{why}</p> }
                    .into_any()
            }
            Status::Graded(Verdict::Wrong { too_high }) => {
                let why = match (q.kind, too_high) {
                    (Kind::Choice(_), _) => reason(&given),
                    (_, Some(high)) => format!(
                        "{} {}",
                        tr(
                            lang,
                            if high {
                                "quiz.too_high"
                            } else {
                                "quiz.too_low"
                            }
                        ),
                        with_inputs(ex, q, |i| words(lang, q, "hint", &[], i))
                    ),
                    (_, None) => String::new(),
                };
                view! { <p class="wrong"><strong>{tr(lang, "quiz.wrong")}</strong>" "{why}</p> }
                    .into_any()
            }
            Status::Graded(Verdict::NoAnswer) => {
                view! { <p>{tr(lang, "quiz.no_answer")}</p> }.into_any()
            }
            Status::Graded(Verdict::Unreadable) => {
                view! { <p class="error">{tr(lang, "quiz.unreadable")}</p> }.into_any()
            }
        })
    };
    // "Show the answer": the core's, for the current state.
    let answer = move || {
        if !shown.get() {
            return None;
        }
        let lang = lang.get();
        let text = with_inputs(ex, q, |i| match q.answer(i)? {
            Answer::Choice(id) => Some(words(lang, q, id, &[], i)),
            Answer::Number(x) => Some(words(lang, q, "answer", &[("answer", &short(x))], i)),
        })
        .unwrap_or_else(|| tr(lang, "quiz.no_answer").to_owned());
        Some(
            view! { <p class="answer">{tr_with(lang, "quiz.answer_is", &[("answer", &text)])}</p> },
        )
    };
    let answered = move || saved.with(Option::is_some);

    view! {
        <form class="question" id=form_id aria-labelledby=labelled on:submit=check novalidate=true>
            <fieldset>
                <legend id=prompt_id>{prompt}</legend>
                {field}
            </fieldset>
            <div class="tools">
                <button type="submit" class="primary">{t("quiz.check")}</button>
                <button type="button" class="link" on:click=retry hidden=move || !answered()>{t("quiz.retry")}</button>
                <button type="button" class="link" on:click=move |_| shown.set(true) hidden=move || shown.get()>{t("quiz.show")}</button>
            </div>
            <div class="feedback" role="status" aria-live="polite">
                {feedback}
                {answer}
            </div>
        </form>
    }
}

/// Every question and how the reader did, with the way to forget them.
#[component]
pub(super) fn AnswersSummary() -> impl IntoView {
    // Its prompts name beta: they follow a drag elsewhere only on screen.
    let root = NodeRef::<leptos::html::Section>::new();
    let ex = use_explorer().while_shown(dom::on_screen(root));
    let lang = use_page().lang;
    let answers = expect_context::<Answers>();
    let statuses = Memo::new(move |_| {
        answers.saved.with(|saved| {
            QUESTIONS
                .iter()
                .map(|q| with_inputs(ex, q, |i| status(q, saved.get(q.id), i)))
                .collect::<Vec<_>>()
        })
    });
    let right = move || {
        statuses.with(|s| {
            s.iter()
                .filter(|st| **st == Status::Graded(Verdict::Right))
                .count()
        })
    };
    view! {
        <section class="panel answers-summary" id="my-answers" aria-labelledby="my-answers-title" node_ref=root>
            <h2 id="my-answers-title">{t("quiz.summary_title")}</h2>
            <p class="hint">{t("quiz.summary_intro")}</p>
            {(!answers.kept).then(|| view! { <p class="notice" id="answers-not-kept">{t("quiz.not_kept")}</p> })}
            <p id="answers-count">
                {tf("quiz.summary_count", move || vec![("right", right().to_string()), ("total", QUESTIONS.len().to_string())])}
            </p>
            <ol>
                // Item by item: a drag redraws only the words that name beta.
                {QUESTIONS
                    .iter()
                    .enumerate()
                    .map(|(i, q)| {
                        let status = move || statuses.with(|s| s[i]);
                        let class = move || match status() {
                            Status::Open => "open",
                            Status::Stale => "stale",
                            Status::Graded(Verdict::Right) => "right",
                            Status::Graded(_) => "wrong",
                        };
                        let said = move || {
                            let key = match status() {
                                Status::Open => "quiz.status_open",
                                Status::Stale => "quiz.status_stale",
                                Status::Graded(Verdict::Right) => "quiz.status_right",
                                Status::Graded(_) => "quiz.status_wrong",
                            };
                            tr(lang.get(), key)
                        };
                        let prompt = move || with_inputs(ex, q, |i| words(lang.get(), q, "prompt", &[], i));
                        view! {
                            <li class=class data-question=q.id>
                                <a href=format!("#q-{}", q.id)>{format!("{}. ", q.section.slide())}{prompt}</a>
                                " "
                                <strong>{said}</strong>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
            <button type="button" id="reset-answers" on:click=move |_| answers.saved.set(BTreeMap::new())>
                {t("quiz.reset")}
            </button>
        </section>
    }
}

/// The answer key, on the teacher's handout only: each kept section's
/// questions with the core's answer for the page's state, and why.
#[component]
pub(super) fn AnswerKey() -> impl IntoView {
    let ex = use_explorer();
    let page = use_page();
    let lang = page.lang;
    // On paper only: it follows the state while the page prints, not on every drag.
    let printing = dom::printing();
    let item = move |q: &'static Question| {
        let text = Memo::new(move |_| {
            let lang = lang.get();
            tracked_when(printing.get(), || {
                with_inputs(ex, q, |i| {
                    let prompt = words(lang, q, "prompt", &[], i);
                    let (answer, why) = match q.answer(i) {
                        Some(Answer::Choice(id)) => (
                            words(lang, q, id, &[], i),
                            words(lang, q, &format!("{id}.why"), &[], i),
                        ),
                        Some(Answer::Number(x)) => (
                            words(lang, q, "answer", &[("answer", &short(x))], i),
                            String::new(),
                        ),
                        None => (tr(lang, "quiz.no_answer").to_owned(), String::new()),
                    };
                    (
                        prompt,
                        tr_with(lang, "quiz.answer_is", &[("answer", &answer)]),
                        why,
                    )
                })
            })
        });
        view! {
            <li data-question=q.id>
                <p><strong>{format!("{}. ", q.section.slide())}{move || text.with(|t| t.0.clone())}</strong></p>
                <p>{move || text.with(|t| t.1.clone())}" "{move || text.with(|t| t.2.clone())}</p>
            </li>
        }
    };
    view! {
        <section class="answer-key print-only" id="answer-key" aria-labelledby="answer-key-title">
            <h2 id="answer-key-title">{t("quiz.key_title")}</h2>
            <p>{t("quiz.key_intro")}</p>
            <ol>
                {QUESTIONS
                    .iter()
                    .map(|q| {
                        let kept = move || page.view.with(|v| v.cut.keeps(q.section));
                        view! { <Show when=kept>{item(q)}</Show> }
                    })
                    .collect_view()}
            </ol>
        </section>
    }
}
