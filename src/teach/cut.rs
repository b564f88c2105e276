//! The teacher's cut: which of the lesson's sections and panels a link keeps
//! (as TensorFlow Playground's hide flags do). `keep=overlap,definition,questions`
//! keeps sections 2 and 3 and their questions, and drops the first screen and
//! the explorer; the page, presentation mode (its slides are the kept
//! sections) and the printed handout all follow it. No `keep`: everything.

use crate::teach::section::Section;

/// A part of the page that is not a section, which a cut may keep or drop.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Panel {
    /// The first screen: what CB Lab is, its figure and the three ways in.
    Intro,
    /// The questions that end each section, and the summary of answers.
    Questions,
    /// The explorer below the lesson (the counts editor, charts, table, export).
    Explorer,
}

impl Panel {
    /// Every panel, in page order.
    pub const ALL: [Panel; 3] = [Panel::Intro, Panel::Questions, Panel::Explorer];

    /// Its name in a link.
    pub fn id(self) -> &'static str {
        match self {
            Panel::Intro => "intro",
            Panel::Questions => "questions",
            Panel::Explorer => "explorer",
        }
    }

    fn bit(self) -> u16 {
        1 << (Section::ALL.len() + Panel::ALL.iter().position(|&p| p == self).unwrap_or(0))
    }
}

/// The sections and panels a link keeps: at least one section, always.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Cut(u16);

/// Why a `keep` list was not taken.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CutError {
    /// A name that is neither a section's nor a panel's.
    Unknown(String),
    /// The list names no section: a lesson of nothing.
    NoSection,
}

impl Default for Cut {
    /// The whole lesson and every panel.
    fn default() -> Self {
        Self::ALL
    }
}

impl Cut {
    /// The whole lesson and every panel.
    pub const ALL: Cut = Cut((1 << (Section::ALL.len() + Panel::ALL.len())) - 1);

    fn section_bit(section: Section) -> u16 {
        1 << (section.slide() - 1)
    }

    /// Whether the cut keeps `section`.
    pub fn keeps(self, section: Section) -> bool {
        self.0 & Self::section_bit(section) != 0
    }

    /// Whether the cut keeps `panel`.
    pub fn keeps_panel(self, panel: Panel) -> bool {
        self.0 & panel.bit() != 0
    }

    /// The kept sections, in lesson order: presentation mode's slides.
    pub fn sections(self) -> impl Iterator<Item = Section> {
        Section::ALL.into_iter().filter(move |&s| self.keeps(s))
    }

    /// How many slides presentation mode has.
    pub fn slide_count(self) -> usize {
        self.sections().count()
    }

    /// Slide `k` (1-based, clamped to the kept sections).
    pub fn section_at(self, k: usize) -> Section {
        let kept: Vec<Section> = self.sections().collect();
        kept[k.clamp(1, kept.len()) - 1]
    }

    /// The slide that shows `section`, if the cut keeps it.
    pub fn slide_of(self, section: Section) -> Option<usize> {
        self.sections().position(|s| s == section).map(|i| i + 1)
    }

    /// The cut with `section` kept or dropped; dropping the last kept
    /// section leaves the cut as it was.
    pub fn with_section(self, section: Section, keep: bool) -> Cut {
        let next = if keep {
            self.0 | Self::section_bit(section)
        } else {
            self.0 & !Self::section_bit(section)
        };
        if Cut(next).slide_count() == 0 {
            self
        } else {
            Cut(next)
        }
    }

    /// The cut with `panel` kept or dropped.
    pub fn with_panel(self, panel: Panel, keep: bool) -> Cut {
        Cut(if keep {
            self.0 | panel.bit()
        } else {
            self.0 & !panel.bit()
        })
    }

    /// Reads a `keep` list: names of sections and panels, separated by commas.
    pub fn parse(list: &str) -> Result<Cut, CutError> {
        let mut cut = Cut(0);
        for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            if let Some(&section) = Section::ALL.iter().find(|s| s.id() == name) {
                cut.0 |= Self::section_bit(section);
            } else if let Some(&panel) = Panel::ALL.iter().find(|p| p.id() == name) {
                cut.0 |= panel.bit();
            } else {
                return Err(CutError::Unknown(name.to_owned()));
            }
        }
        if cut.slide_count() == 0 {
            return Err(CutError::NoSection);
        }
        Ok(cut)
    }

    /// The `keep` list that [`Cut::parse`] reads back; `None` for the whole lesson.
    pub fn to_list(self) -> Option<String> {
        if self == Cut::ALL {
            return None;
        }
        let sections = self.sections().map(Section::id);
        let panels = Panel::ALL
            .into_iter()
            .filter(|&p| self.keeps_panel(p))
            .map(Panel::id);
        Some(sections.chain(panels).collect::<Vec<_>>().join(","))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_keeps_everything_and_writes_nothing() {
        let cut = Cut::default();
        assert!(Section::ALL.into_iter().all(|s| cut.keeps(s)));
        assert!(Panel::ALL.into_iter().all(|p| cut.keeps_panel(p)));
        assert_eq!(cut.slide_count(), Section::ALL.len());
        assert_eq!(cut.to_list(), None);
        // Naming everything is the whole lesson.
        let all: Vec<&str> = Section::ALL
            .iter()
            .map(|s| s.id())
            .chain(Panel::ALL.iter().map(|p| p.id()))
            .collect();
        assert_eq!(Cut::parse(&all.join(",")), Ok(Cut::ALL));
    }

    #[test]
    fn a_cut_keeps_what_it_names_and_numbers_its_slides() {
        let cut = Cut::parse("definition, overlap,questions").unwrap();
        assert_eq!(
            cut.sections().collect::<Vec<_>>(),
            [Section::Overlap, Section::Definition]
        );
        assert!(cut.keeps_panel(Panel::Questions));
        assert!(!cut.keeps_panel(Panel::Explorer) && !cut.keeps_panel(Panel::Intro));
        assert_eq!(cut.slide_count(), 2);
        assert_eq!(cut.section_at(1), Section::Overlap);
        assert_eq!(cut.section_at(2), Section::Definition);
        assert_eq!(cut.section_at(9), Section::Definition);
        assert_eq!(cut.slide_of(Section::Definition), Some(2));
        assert_eq!(cut.slide_of(Section::LongTail), None);
        // Lesson order, whatever the list's order.
        assert_eq!(
            cut.to_list().as_deref(),
            Some("overlap,definition,questions")
        );
        assert_eq!(Cut::parse(&cut.to_list().unwrap()), Ok(cut));
    }

    #[test]
    fn every_cut_round_trips() {
        for bits in 1..=Cut::ALL.0 {
            let cut = Cut(bits);
            if cut.slide_count() == 0 {
                continue;
            }
            let back = cut.to_list().map_or(Ok(Cut::ALL), |l| Cut::parse(&l));
            assert_eq!(back, Ok(cut), "{bits:b}");
        }
    }

    #[test]
    fn bad_lists_are_refused_by_name() {
        assert_eq!(
            Cut::parse("overlap,<b>x</b>"),
            Err(CutError::Unknown("<b>x</b>".into()))
        );
        assert_eq!(Cut::parse(""), Err(CutError::NoSection));
        assert_eq!(Cut::parse("questions,explorer"), Err(CutError::NoSection));
        assert_eq!(Cut::parse(",,"), Err(CutError::NoSection));
    }

    #[test]
    fn the_last_section_cannot_be_dropped() {
        let one = Cut::parse("induction").unwrap();
        assert_eq!(one.with_section(Section::Induction, false), one);
        let two = one.with_section(Section::Results, true);
        assert_eq!(two.slide_count(), 2);
        assert_eq!(two.with_section(Section::Induction, false).slide_count(), 1);
        let no_questions = Cut::ALL.with_panel(Panel::Questions, false);
        assert!(!no_questions.keeps_panel(Panel::Questions));
        assert_eq!(no_questions.with_panel(Panel::Questions, true), Cut::ALL);
    }
}
