//! The first seven sections of the lesson, in the order of the paper's argument,
//! each with its figure inline. Their words are in `locales/`.

use leptos::prelude::*;

use super::beta::BetaChoice;
use super::coverage::CoverageLab;
use super::induction::InductionStepper;
use super::math;
use super::predict::{Predict, Veiled};
use super::questions::Questions;
use super::weightings::Weightings;
use crate::site::deferred::{Deferred, Part};
use crate::site::figures::{
    ChartCanvas, cb_term_figure, counts_figure, effective_figure, focal_figure, weights_figure,
};
use crate::site::i18n::{t, tf};
use crate::site::lesson_frame::SectionFrame;
use crate::site::state::use_explorer;
use crate::teach::lesson::{PAPER_CIFAR, PAPER_IMBALANCES, PAPER_INAT2018, paper_gain};
use crate::teach::section::Section;

/// A section of the lesson: its frame (src/site/lesson_frame.rs) with its body.
#[component]
pub(super) fn LessonSection(
    /// Which section.
    section: Section,
    /// Hidden in presentation mode when another slide is shown.
    #[prop(into)]
    hidden: Signal<bool>,
    children: Children,
) -> impl IntoView {
    view! { <SectionFrame section hidden>{children()}</SectionFrame> }
}

/// A paragraph of the lesson.
pub(super) fn para(key: &'static str) -> impl IntoView {
    view! { <p>{t(key)}</p> }
}

/// A slide's key points (the lines of `key`), shown only in presentation
/// mode, where they stand in for the section's paragraphs.
pub(super) fn slide_points(key: &'static str) -> impl IntoView {
    let text = t(key);
    view! {
        <ul class="slide-points">
            {move || text.get().lines().map(|line| view! { <li>{line}</li> }).collect_view()}
        </ul>
    }
}

/// A paper's table as published: scrolling sideways on a phone, named by its
/// caption (the `caption` key), its source linked under it.
pub(super) fn cited_table(
    id: &'static str,
    caption: &'static str,
    head: impl IntoView,
    body: impl IntoView,
    (url, source): (&'static str, &'static str),
) -> impl IntoView {
    let caption_id = format!("{id}-caption");
    let labelled = caption_id.clone();
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-labelledby=labelled>
            <table id=id class="paper-table">
                <caption id=caption_id>{t(caption)}</caption>
                <thead>{head}</thead>
                <tbody>{body}</tbody>
            </table>
            <p class="source"><a href=url rel="noopener">{source}</a></p>
        </div>
    }
}

/// 1. The long-tail problem, and why the paper finds inverse frequency over-corrects.
#[component]
pub fn LongTail(
    /// Hidden in presentation mode when another slide is shown.
    #[prop(into)]
    hidden: Signal<bool>,
) -> impl IntoView {
    let ex = use_explorer();
    view! {
        <LessonSection section=Section::LongTail hidden>
            {para("lesson.long-tail.p1")}
            {para("lesson.long-tail.p2")}
            {para("lesson.long-tail.p3")}
            {slide_points("lesson.long-tail.slide")}
            <div class="figure-pair slide-figure">
                <ChartCanvas figure=counts_figure(ex) name="lesson-counts"
                    caption=t("lesson.long-tail.counts_caption") />
                <ChartCanvas figure=weights_figure(ex) name="lesson-weights"
                    caption=tf("lesson.long-tail.weights_caption", move || vec![("beta", ex.beta.get().to_string())]) />
            </div>
            <BetaChoice group="long-tail-beta" />
            <Questions section=Section::LongTail />
        </LessonSection>
    }
}

/// 2. Data overlap and diminishing returns: the coverage simulation.
#[component]
pub fn Overlap(
    /// Hidden in presentation mode when another slide is shown.
    #[prop(into)]
    hidden: Signal<bool>,
) -> impl IntoView {
    view! {
        <LessonSection section=Section::Overlap hidden>
            <Predict id="overlap-ten" />
            {para("lesson.overlap.p1")}
            {para("lesson.overlap.p2")}
            {math::overlap()}
            {slide_points("lesson.overlap.slide")}
            <Veiled id="overlap-ten" class="slide-figure">
                <CoverageLab />
            </Veiled>
            <Questions section=Section::Overlap />
        </LessonSection>
    }
}

/// 3. The definition of the effective number.
#[component]
pub fn Definition(
    /// Hidden in presentation mode when another slide is shown.
    #[prop(into)]
    hidden: Signal<bool>,
) -> impl IntoView {
    let ex = use_explorer();
    view! {
        <LessonSection section=Section::Definition hidden>
            <Predict id="definition-hundred" />
            {para("lesson.definition.p1")}
            <div class="slide-formula">{math::effective_number()}</div>
            {para("lesson.definition.p2")}
            {math::prototypes()}
            <ul class="facts">
                <li>{t("lesson.definition.beta0")}</li>
                <li>{t("lesson.definition.beta1")}</li>
                <li>{t("lesson.definition.saturates")}</li>
            </ul>
            {slide_points("lesson.definition.slide")}
            <div class="slide-control">
                <BetaChoice group="definition-beta" />
            </div>
            <Veiled id="definition-hundred" class="slide-figure">
                <ChartCanvas figure=effective_figure(ex) name="lesson-effective"
                    caption=t("lesson.definition.caption") />
            </Veiled>
            <Questions section=Section::Definition />
        </LessonSection>
    }
}

/// 4. The proof by induction, as a stepper.
#[component]
pub fn Induction(
    /// Hidden in presentation mode when another slide is shown.
    #[prop(into)]
    hidden: Signal<bool>,
) -> impl IntoView {
    view! {
        <LessonSection section=Section::Induction hidden>
            {para("lesson.induction.p1")}
            <div class="slide-formula">{math::recursion()}</div>
            {para("lesson.induction.p2")}
            {slide_points("lesson.induction.slide")}
            <div class="slide-control">
                <BetaChoice group="induction-beta" />
            </div>
            <div class="slide-figure">
                <InductionStepper />
            </div>
            <Questions section=Section::Induction />
        </LessonSection>
    }
}

/// 5. The class-balanced term.
#[component]
pub fn ClassBalanced(
    /// Hidden in presentation mode when another slide is shown.
    #[prop(into)]
    hidden: Signal<bool>,
) -> impl IntoView {
    let ex = use_explorer();
    view! {
        <LessonSection section=Section::ClassBalanced hidden>
            <Predict id="class-balanced-ratio" />
            {para("lesson.class-balanced.p1")}
            <div class="slide-formula">{math::cb_term()}</div>
            {para("lesson.class-balanced.p2")}
            {slide_points("lesson.class-balanced.slide")}
            <BetaChoice group="class-balanced-beta" />
            <Veiled id="class-balanced-ratio" class="figure-pair slide-figure">
                <ChartCanvas figure=cb_term_figure(ex) name="lesson-cb-term"
                    caption=t("lesson.class-balanced.term_caption") />
                <ChartCanvas figure=weights_figure(ex) name="lesson-cb-weights"
                    caption=tf("lesson.long-tail.weights_caption", move || vec![("beta", ex.beta.get().to_string())]) />
            </Veiled>
            // Its CB row is the prediction's answer at the default state.
            <Veiled id="class-balanced-ratio" class="weightings-veil" quiet=true>
                {para("lesson.weightings.intro")}
                <Weightings />
            </Veiled>
            <Questions section=Section::ClassBalanced />
        </LessonSection>
    }
}

/// 6. The three losses, and training with them.
#[component]
pub fn Losses(
    /// Hidden in presentation mode when another slide is shown.
    #[prop(into)]
    hidden: Signal<bool>,
) -> impl IntoView {
    let ex = use_explorer();
    view! {
        <LessonSection section=Section::Losses hidden>
            {para("lesson.losses.p1")}
            <h3>{t("lesson.losses.softmax")}</h3>
            {math::cb_softmax()}
            <h3>{t("lesson.losses.sigmoid")}</h3>
            {math::cb_sigmoid()}
            <h3>{t("lesson.losses.focal")}</h3>
            <div class="slide-formula">{math::cb_focal()}</div>
            {para("lesson.losses.p2")}
            {slide_points("lesson.losses.slide")}
            <div class="slide-figure">
                <ChartCanvas figure=focal_figure(ex) name="lesson-focal"
                    caption=tf("lesson.losses.focal_caption", move || vec![("gamma", ex.gamma.get().to_string())]) />
            </div>
            {para("lesson.losses.p3")}
            <Deferred part=Part::Training />
            <Questions section=Section::Losses />
        </LessonSection>
    }
}

/// 7. What the paper found.
#[component]
pub fn Results(
    /// Hidden in presentation mode when another slide is shown.
    #[prop(into)]
    hidden: Signal<bool>,
) -> impl IntoView {
    let loss_key = |cb: bool| {
        if cb {
            "lesson.results.best_cb"
        } else {
            "lesson.results.softmax"
        }
    };
    view! {
        <LessonSection section=Section::Results hidden>
            {para("lesson.results.p1")}
            {slide_points("lesson.results.slide")}
            <div class="table-scroll slide-figure" tabindex="0" role="region" aria-labelledby="paper-cifar-caption">
                <table id="paper-cifar" class="paper-table">
                    <caption id="paper-cifar-caption">{t("lesson.results.cifar_caption")}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t("lesson.results.dataset")}</th>
                            <th scope="col">{t("lesson.results.loss")}</th>
                            {PAPER_IMBALANCES
                                .iter()
                                .map(|r| view! { <th scope="col" class="num">{r.to_string()}</th> })
                                .collect_view()}
                        </tr>
                    </thead>
                    <tbody>
                        {PAPER_CIFAR
                            .iter()
                            .map(|row| {
                                view! {
                                    <tr class:cb=row.class_balanced>
                                        <th scope="row">{row.dataset}</th>
                                        <td>{t(loss_key(row.class_balanced))}</td>
                                        {row
                                            .errors
                                            .iter()
                                            .map(|e| view! { <td class="num">{format!("{e:.2}")}</td> })
                                            .collect_view()}
                                    </tr>
                                }
                            })
                            .collect_view()}
                        {["CIFAR-10", "CIFAR-100"]
                            .into_iter()
                            .filter_map(|d| Some((d, paper_gain(d)?)))
                            .map(|(d, gain)| {
                                view! {
                                    <tr class="gain">
                                        <th scope="row">{d}</th>
                                        <td>{t("lesson.results.gain")}</td>
                                        {gain
                                            .iter()
                                            .map(|g| view! { <td class="num">{format!("{g:.2}")}</td> })
                                            .collect_view()}
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
            {para("lesson.results.p2")}
            <table id="paper-inat" class="paper-table slide-figure">
                <caption>{t("lesson.results.inat_caption")}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t("lesson.results.model")}</th>
                        <th scope="col">{t("lesson.results.loss")}</th>
                        <th scope="col" class="num">{t("lesson.results.top1")}</th>
                    </tr>
                </thead>
                <tbody>
                    {PAPER_INAT2018
                        .iter()
                        .map(|row| {
                            let loss = if row.class_balanced { "lesson.results.cb_focal" } else { "lesson.results.softmax" };
                            view! {
                                <tr class:cb=row.class_balanced>
                                    <th scope="row">{row.model}</th>
                                    <td>{t(loss)}</td>
                                    <td class="num">{format!("{:.2}", row.top1_error)}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
            {para("lesson.results.p3")}
            <Deferred part=Part::Grid />
            {para("lesson.results.p4")}
            <Deferred part=Part::Sweep />
            {para("lesson.results.p5")}
            <Deferred part=Part::RealData />
            <Questions section=Section::Results />
        </LessonSection>
    }
}
