//! The lesson: its sections in the order of the paper's argument, the
//! prepared states a teacher walks through (each a URL), and the page's own
//! URL parameters (`lang`, `present`, `slide`, `induction_step`,
//! `coverage_n`) beside the explorer's.
//!
//! `?preset=cifar10-lt-100&beta=0.9999&lang=zh-CN&present=1&slide=3&induction_step=12&coverage_n=50&keep=overlap,definition&teacher=1`:
//! the explorer's state (see [`crate::explorer::url`]), the language, whether
//! the page is in presentation mode, the slide shown there (1-based, among
//! the kept sections), the induction stepper's step, the coverage
//! simulation's class size N, the teacher's cut ([`crate::teach::cut`]) and
//! whether the page is the teacher's (its handout prints the answer key).

use crate::i18n::{Lang, Message};
use crate::teach::coverage::{DEFAULT_PROTOTYPES, PROTOTYPE_CHOICES};
use crate::teach::cut::{Cut, CutError};
use crate::teach::induction::MAX_STEPS;
use crate::teach::section::Section;

/// One prepared state of the lesson: a section and the explorer state that
/// makes its point.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LessonStep {
    /// A short stable name (the browser tests find its link by it).
    pub id: &'static str,
    /// The translation key of its title.
    pub key: &'static str,
    /// The section the step shows.
    pub section: Section,
    /// The explorer's part of the URL query.
    pub query: &'static str,
    /// The induction stepper's step (1 leaves it at the start).
    pub induction_step: u32,
    /// The coverage simulation's class size N.
    pub prototypes: u32,
}

/// The lesson's prepared states, in teaching order.
pub const STEPS: [LessonStep; 11] = [
    LessonStep {
        id: "long-tail",
        key: "lesson.step.long-tail",
        section: Section::LongTail,
        query: "preset=cifar10-lt-100&beta=0.9999&schemes=cb,none,inverse&scale=log",
        induction_step: 1,
        prototypes: DEFAULT_PROTOTYPES,
    },
    LessonStep {
        id: "coverage",
        key: "lesson.step.coverage",
        section: Section::Overlap,
        query: "preset=cifar10-lt-100&beta=0.98&schemes=cb,none,inverse&scale=log",
        induction_step: 1,
        prototypes: 50,
    },
    LessonStep {
        id: "no-reweighting",
        key: "lesson.step.no-reweighting",
        section: Section::Definition,
        query: "preset=cifar10-lt-100&beta=0&schemes=cb,none,inverse&scale=log",
        induction_step: 1,
        prototypes: DEFAULT_PROTOTYPES,
    },
    LessonStep {
        id: "saturation",
        key: "lesson.step.saturation",
        section: Section::Definition,
        query: "preset=cifar10-lt-100&beta=0.99&schemes=cb,none,inverse&scale=log",
        induction_step: 1,
        prototypes: DEFAULT_PROTOTYPES,
    },
    LessonStep {
        id: "induction",
        key: "lesson.step.induction",
        section: Section::Induction,
        query: "preset=cifar10-lt-100&beta=0.9&schemes=cb,none,inverse&scale=log",
        induction_step: 12,
        prototypes: DEFAULT_PROTOTYPES,
    },
    LessonStep {
        id: "cb-term",
        key: "lesson.step.cb-term",
        section: Section::ClassBalanced,
        query: "preset=cifar10-lt-100&beta=0.999&schemes=cb,none,inverse,sqrt-inverse&scale=log",
        induction_step: 1,
        prototypes: DEFAULT_PROTOTYPES,
    },
    LessonStep {
        id: "inverse-limit",
        key: "lesson.step.inverse-limit",
        section: Section::ClassBalanced,
        query: "preset=cifar10-lt-100&one_minus_beta=1e-8&schemes=cb,none,inverse&scale=log",
        induction_step: 1,
        prototypes: DEFAULT_PROTOTYPES,
    },
    LessonStep {
        id: "losses",
        key: "lesson.step.losses",
        section: Section::Losses,
        query: "preset=cifar10-lt-100&beta=0.999&gamma=0.5&schemes=cb,none&scale=log",
        induction_step: 1,
        prototypes: DEFAULT_PROTOTYPES,
    },
    LessonStep {
        id: "results",
        key: "lesson.step.results",
        section: Section::Results,
        query: "preset=cifar10-lt-100&beta=0.9999&gamma=1&schemes=cb,none&scale=log",
        induction_step: 1,
        prototypes: DEFAULT_PROTOTYPES,
    },
    LessonStep {
        id: "after",
        key: "lesson.step.after",
        section: Section::After,
        query: "preset=cifar10-lt-100&beta=0.9999&gamma=1&schemes=cb,none,inverse&scale=log&train_loss=logit-adjusted&train_scheme=none&more_runs=cb-ldam%2Bdrw,softmax@class-balanced",
        induction_step: 1,
        prototypes: DEFAULT_PROTOTYPES,
    },
    LessonStep {
        id: "several-labels",
        key: "lesson.step.several-labels",
        section: Section::SeveralLabels,
        query: "preset=cifar10-lt-100&beta=0.9999&gamma=2&schemes=cb,none&scale=log",
        induction_step: 1,
        prototypes: DEFAULT_PROTOTYPES,
    },
];

/// How the page is shown: language, presentation mode and slide, and where
/// the lesson's two hands-on figures stand.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageView {
    /// The language of every string.
    pub lang: Lang,
    /// Presentation mode: large type, one section per screen.
    pub present: bool,
    /// The slide shown in presentation mode, 1-based, at most the cut's slide count.
    pub slide: usize,
    /// The induction stepper's step, 1 to [`MAX_STEPS`].
    pub induction_step: u32,
    /// The coverage simulation's class size N, one of [`PROTOTYPE_CHOICES`].
    pub prototypes: u32,
    /// The sections and panels shown (the teacher's cut).
    pub cut: Cut,
    /// The teacher's page: its printed handout ends with the answer key.
    pub teacher: bool,
}

/// English, reading mode, the first slide, step 1, N = [`DEFAULT_PROTOTYPES`],
/// the whole lesson, a student's page.
impl Default for PageView {
    fn default() -> Self {
        Self {
            lang: Lang::En,
            present: false,
            slide: 1,
            induction_step: 1,
            prototypes: DEFAULT_PROTOTYPES,
            cut: Cut::ALL,
            teacher: false,
        }
    }
}

impl PageView {
    /// The section on the current slide.
    pub fn section(&self) -> Section {
        self.cut.section_at(self.slide)
    }

    /// The next slide (stays on the last).
    pub fn next(self) -> Self {
        Self {
            slide: (self.slide + 1).min(self.cut.slide_count()),
            ..self
        }
    }

    /// The previous slide (stays on the first).
    pub fn previous(self) -> Self {
        Self {
            slide: self.slide.saturating_sub(1).max(1),
            ..self
        }
    }
}

/// A link's value that was ignored: the translation key of the notice and the value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ignored {
    /// The notice's translation key; its placeholder `{value}` takes the value.
    pub key: &'static str,
    /// What the link said, at most 40 characters.
    pub value: String,
    /// How many slides the link's lesson has (for a slide out of range).
    pub slides: usize,
}

impl Ignored {
    /// `value` ignored with notice `key`, cut to 40 characters.
    fn new(key: &'static str, value: &str) -> Self {
        let mut cut: String = value.chars().take(40).collect();
        if value.chars().count() > 40 {
            cut.push('…');
        }
        Self {
            key,
            value: cut,
            slides: 0,
        }
    }

    /// The notice, translated when shown; the slide's names the slides there are.
    pub fn message(&self) -> Message {
        let message = Message::new(self.key).with("value", &self.value);
        match self.key {
            "notice.bad_slide" => message.with("slides", self.slides),
            _ => message,
        }
    }
}

/// The view a query describes (other keys are the explorer's and are left alone),
/// and what was ignored.
pub fn view_from_query(query: &str) -> (PageView, Vec<Ignored>) {
    let mut view = PageView::default();
    let mut ignored = Vec::new();
    // Checked once the cut is known, whichever comes first in the link.
    let mut slide = None;
    for (key, value) in form_urlencoded::parse(query.trim_start_matches('?').as_bytes()) {
        match key.as_ref() {
            "lang" => match Lang::from_code(&value) {
                Some(lang) => view.lang = lang,
                None => ignored.push(Ignored::new("notice.bad_lang", &value)),
            },
            "present" => match value.as_ref() {
                "1" | "true" => view.present = true,
                "0" | "false" => view.present = false,
                _ => ignored.push(Ignored::new("notice.bad_present", &value)),
            },
            "slide" => slide = Some(value.into_owned()),
            // A bad list shows the whole lesson, as its notice says, even after a good one.
            "keep" => match Cut::parse(&value) {
                Ok(cut) => view.cut = cut,
                Err(CutError::Unknown(name)) => {
                    view.cut = Cut::ALL;
                    ignored.push(Ignored::new("notice.bad_keep", &name))
                }
                Err(CutError::NoSection) => {
                    view.cut = Cut::ALL;
                    ignored.push(Ignored::new("notice.keep_no_section", &value))
                }
            },
            "teacher" => match value.as_ref() {
                "1" | "true" => view.teacher = true,
                "0" | "false" => view.teacher = false,
                _ => ignored.push(Ignored::new("notice.bad_teacher", &value)),
            },
            "induction_step" => match value.trim().parse::<u32>() {
                Ok(k) if (1..=MAX_STEPS).contains(&k) => view.induction_step = k,
                _ => ignored.push(Ignored::new("notice.bad_induction_step", &value)),
            },
            "coverage_n" => match value.trim().parse::<u32>() {
                Ok(n) if PROTOTYPE_CHOICES.contains(&n) => view.prototypes = n,
                _ => ignored.push(Ignored::new("notice.bad_coverage_n", &value)),
            },
            _ => {}
        }
    }
    if let Some(value) = slide {
        let slides = view.cut.slide_count();
        match value.trim().parse::<usize>() {
            Ok(k) if (1..=slides).contains(&k) => view.slide = k,
            _ => ignored.push(Ignored {
                slides,
                ..Ignored::new("notice.bad_slide", &value)
            }),
        }
    }
    (view, ignored)
}

/// The view's part of a URL query (empty for the default view: English, not
/// presenting, step 1, N = 20), to append to the explorer's with `&`.
pub fn view_to_query(view: &PageView) -> String {
    let mut q = form_urlencoded::Serializer::new(String::new());
    if view.lang != Lang::En {
        q.append_pair("lang", view.lang.code());
    }
    if view.present {
        q.append_pair("present", "1");
        q.append_pair("slide", &view.slide.to_string());
    }
    if view.induction_step != 1 {
        q.append_pair("induction_step", &view.induction_step.to_string());
    }
    if view.prototypes != DEFAULT_PROTOTYPES {
        q.append_pair("coverage_n", &view.prototypes.to_string());
    }
    if let Some(list) = view.cut.to_list() {
        q.append_pair("keep", &list);
    }
    if view.teacher {
        q.append_pair("teacher", "1");
    }
    q.finish()
}

/// The URL (query and fragment) of a lesson step, in `page`'s language,
/// presentation mode, cut and teacher's flag; `None` if the cut drops its section.
pub fn step_href(step: &LessonStep, page: &PageView) -> Option<String> {
    let view = view_to_query(&PageView {
        slide: page.cut.slide_of(step.section)?,
        induction_step: step.induction_step,
        prototypes: step.prototypes,
        ..*page
    });
    let sep = if view.is_empty() { "" } else { "&" };
    Some(format!("?{}{sep}{view}#{}", step.query, step.section.id()))
}

/// The explorer query and the view query joined into one.
pub fn join_queries(explorer: &str, view: &str) -> String {
    match (explorer.is_empty(), view.is_empty()) {
        (_, true) => explorer.to_owned(),
        (true, false) => view.to_owned(),
        (false, false) => format!("{explorer}&{view}"),
    }
}

/// The imbalance factors of the paper's long-tailed CIFAR table, in its column order.
pub const PAPER_IMBALANCES: [u32; 5] = [200, 100, 50, 20, 10];

/// One row of the paper's long-tailed CIFAR table (Cui et al. 2019, Table 2):
/// top-1 error in percent of ResNet-32 at each of [`PAPER_IMBALANCES`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PaperRow {
    /// The data set: `CIFAR-10` or `CIFAR-100` (long-tailed).
    pub dataset: &'static str,
    /// Whether the row is the best class-balanced loss (else plain softmax).
    pub class_balanced: bool,
    /// Error in percent, one per imbalance factor.
    pub errors: [f64; 5],
}

/// The paper's long-tailed CIFAR results (error %, ResNet-32).
pub const PAPER_CIFAR: [PaperRow; 4] = [
    PaperRow {
        dataset: "CIFAR-10",
        class_balanced: false,
        errors: [34.32, 29.64, 25.19, 17.77, 13.61],
    },
    PaperRow {
        dataset: "CIFAR-10",
        class_balanced: true,
        errors: [31.11, 25.43, 20.73, 15.64, 12.51],
    },
    PaperRow {
        dataset: "CIFAR-100",
        class_balanced: false,
        errors: [65.16, 61.68, 56.15, 48.86, 44.29],
    },
    PaperRow {
        dataset: "CIFAR-100",
        class_balanced: true,
        errors: [63.77, 60.40, 54.68, 47.41, 42.01],
    },
];

/// The paper's large-scale comparison on iNaturalist 2018 (top-1 error %):
/// class-balanced focal loss (beta = 0.999, gamma = 0.5) on ResNet-50 against
/// softmax on the three times deeper ResNet-152.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LargeScaleRow {
    /// The network.
    pub model: &'static str,
    /// Whether the loss is class-balanced focal (else softmax).
    pub class_balanced: bool,
    /// Top-1 error in percent.
    pub top1_error: f64,
}

/// iNaturalist 2018 (8,142 classes, imbalance 500): ResNet-50 with CB focal
/// nearly matches ResNet-152 with softmax.
pub const PAPER_INAT2018: [LargeScaleRow; 2] = [
    LargeScaleRow {
        model: "ResNet-152",
        class_balanced: false,
        top1_error: 38.61,
    },
    LargeScaleRow {
        model: "ResNet-50",
        class_balanced: true,
        top1_error: 38.88,
    },
];

/// How many points of error the best class-balanced loss saves over softmax
/// on `dataset` at each imbalance factor.
pub fn paper_gain(dataset: &str) -> Option<[f64; 5]> {
    let row = |cb: bool| {
        PAPER_CIFAR
            .iter()
            .find(|r| r.dataset == dataset && r.class_balanced == cb)
    };
    let (softmax, cb) = (row(false)?, row(true)?);
    Some(std::array::from_fn(|k| softmax.errors[k] - cb.errors[k]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::explorer::url::from_query;

    #[test]
    fn every_step_is_a_valid_explorer_state_and_view() {
        for step in &STEPS {
            for lang in Lang::ALL {
                for present in [false, true] {
                    let page = PageView {
                        lang,
                        present,
                        ..PageView::default()
                    };
                    let href = step_href(step, &page).unwrap();
                    let (query, fragment) = href[1..].split_once('#').unwrap();
                    let (_, notices) = from_query(query);
                    assert!(notices.is_empty(), "{href}: {notices:?}");
                    let (view, ignored) = view_from_query(query);
                    assert!(ignored.is_empty(), "{href}");
                    assert_eq!(view.lang, lang);
                    assert_eq!(view.present, present);
                    assert_eq!(view.induction_step, step.induction_step);
                    assert_eq!(view.prototypes, step.prototypes);
                    assert_eq!(fragment, step.section.id());
                    if present {
                        assert_eq!(view.section(), step.section);
                    }
                }
            }
        }
        // Every section has at least one step, and the steps follow the lesson's order.
        let slides: Vec<usize> = STEPS.iter().map(|s| s.section.slide()).collect();
        assert!(slides.windows(2).all(|w| w[0] <= w[1]));
        for section in Section::ALL {
            assert!(STEPS.iter().any(|s| s.section == section), "{section:?}");
        }
    }

    #[test]
    fn view_round_trips_and_ignores_bad_values() {
        for lang in Lang::ALL {
            for present in [false, true] {
                for slide in 1..=Section::ALL.len() {
                    let view = PageView {
                        lang,
                        present,
                        slide: if present { slide } else { 1 },
                        ..PageView::default()
                    };
                    let (back, ignored) = view_from_query(&view_to_query(&view));
                    assert!(ignored.is_empty());
                    assert_eq!(back, view);
                }
            }
        }
        for induction_step in 1..=MAX_STEPS {
            for prototypes in PROTOTYPE_CHOICES {
                let view = PageView {
                    induction_step,
                    prototypes,
                    ..PageView::default()
                };
                let query = view_to_query(&view);
                // Only what differs from the default is written.
                assert_eq!(query.contains("induction_step"), induction_step != 1);
                assert_eq!(
                    query.contains("coverage_n"),
                    prototypes != DEFAULT_PROTOTYPES
                );
                let (back, ignored) = view_from_query(&query);
                assert!(ignored.is_empty(), "{query}");
                assert_eq!(back, view);
            }
        }
        assert_eq!(view_to_query(&PageView::default()), "");
        let (view, ignored) = view_from_query("induction_step=12&coverage_n=50");
        assert_eq!((view.induction_step, view.prototypes), (12, 50));
        assert!(ignored.is_empty());
        for bad in ["0", "13", "-1", "two", "1.5", ""] {
            let (view, ignored) = view_from_query(&format!("induction_step={bad}"));
            assert_eq!(view.induction_step, 1, "{bad}");
            assert_eq!(ignored[0].key, "notice.bad_induction_step");
            assert_eq!(ignored[0].value, bad);
        }
        for bad in ["0", "30", "1e9", "fifty", "<b>50</b>"] {
            let (view, ignored) = view_from_query(&format!(
                "coverage_n={}",
                bad.replace('<', "%3C").replace('>', "%3E")
            ));
            assert_eq!(view.prototypes, DEFAULT_PROTOTYPES, "{bad}");
            assert_eq!(ignored[0].key, "notice.bad_coverage_n");
            assert_eq!(ignored[0].value, bad);
        }
        let (view, ignored) = view_from_query("lang=fr&present=maybe&slide=99&beta=0.9");
        assert_eq!(view, view_from_query("").0);
        let keys: Vec<_> = ignored.iter().map(|i| i.key).collect();
        assert_eq!(
            keys,
            ["notice.bad_lang", "notice.bad_present", "notice.bad_slide"]
        );
        assert_eq!(ignored[0].value, "fr");
        // The slide notice counts the slides there are, whatever the lesson holds.
        let slides = format!("slides are 1 to {}", Section::ALL.len());
        assert!(ignored[2].message().to_string().contains(&slides));
        let zh = ignored[2].message().in_lang(Lang::ZhCn);
        assert!(zh.contains(&format!("1 到 {}", Section::ALL.len())), "{zh}");
        let (_, ignored) = view_from_query(&format!("lang={}", "x".repeat(100)));
        assert_eq!(ignored[0].value.chars().count(), 41);
    }

    #[test]
    fn the_paper_table_says_cb_helps_most_when_imbalance_is_large() {
        for dataset in ["CIFAR-10", "CIFAR-100"] {
            let gain = paper_gain(dataset).unwrap();
            assert!(gain.iter().all(|&g| g > 0.0), "{dataset}: {gain:?}");
        }
        let gain = paper_gain("CIFAR-10").unwrap();
        assert!((gain[1] - 4.21).abs() < 1e-9);
        assert!(gain[0] > gain[4]);
        assert_eq!(paper_gain("MNIST"), None);
    }

    #[test]
    fn slides_move_within_the_lesson() {
        let first = view_from_query("present=1").0;
        assert_eq!(first.slide, 1);
        assert_eq!(first.previous().slide, 1);
        let mut v = first;
        for _ in 0..20 {
            v = v.next();
        }
        assert_eq!(v.slide, Section::ALL.len());
        assert_eq!(v.section(), Section::SeveralLabels);
        assert_eq!(join_queries("a=1", ""), "a=1");
        assert_eq!(join_queries("a=1", "lang=zh-CN"), "a=1&lang=zh-CN");
    }

    #[test]
    fn a_cut_sets_the_slides_and_the_links() {
        // The slide is checked against the cut, wherever `keep` stands.
        for query in [
            "slide=2&present=1&keep=overlap,results,questions",
            "keep=overlap,results,questions&present=1&slide=2",
        ] {
            let (view, ignored) = view_from_query(query);
            assert!(ignored.is_empty(), "{query}");
            assert_eq!((view.slide, view.section()), (2, Section::Results));
            assert_eq!(view.next().slide, 2);
            let (back, _) = view_from_query(&view_to_query(&view));
            assert_eq!(back, view);
        }
        let (view, ignored) = view_from_query("keep=overlap&slide=3&present=1");
        assert_eq!(view.slide, 1);
        assert_eq!(ignored[0].key, "notice.bad_slide");
        assert_eq!(ignored[0].slides, 1);
        let (view, ignored) = view_from_query("keep=overlap,nonsense");
        assert_eq!(view.cut, Cut::ALL);
        assert_eq!(
            (ignored[0].key, ignored[0].value.as_str()),
            ("notice.bad_keep", "nonsense")
        );
        let (_, ignored) = view_from_query("keep=questions");
        assert_eq!(ignored[0].key, "notice.keep_no_section");
        let (view, ignored) = view_from_query("teacher=1");
        assert!(view.teacher && ignored.is_empty());
        assert_eq!(view_to_query(&view), "teacher=1");
        assert_eq!(
            view_from_query("teacher=yes").1[0].key,
            "notice.bad_teacher"
        );
        // A step's link keeps the page's cut, on the slide it has there; a
        // step whose section is cut has none.
        let page = view_from_query("keep=definition,induction&present=1").0;
        let induction = STEPS.iter().find(|s| s.id == "induction").unwrap();
        let href = step_href(induction, &page).unwrap();
        let (view, _) = view_from_query(href[1..].split_once('#').unwrap().0);
        assert_eq!(
            (view.cut, view.slide, view.induction_step),
            (page.cut, 2, 12)
        );
        let long_tail = STEPS.iter().find(|s| s.id == "long-tail").unwrap();
        assert_eq!(step_href(long_tail, &page), None);
        // A bad keep after a good one: the whole lesson, as the notice says.
        let (v, notes) = view_from_query("keep=overlap&keep=nonsense");
        assert_eq!(v.cut, Cut::ALL);
        assert_eq!(notes.len(), 1);
    }

    #[test]
    fn joined_queries() {
        assert_eq!(join_queries("a=1", "lang=zh-CN"), "a=1&lang=zh-CN");
    }
}
