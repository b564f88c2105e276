//! The lesson's sections, in the order of the paper's argument: the page,
//! presentation mode, the questions and the teacher's cut all count them.

/// A section of the lesson, in the order of the paper's argument.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Section {
    /// The long-tail problem, and why inverse frequency over-corrects.
    LongTail,
    /// Data overlap and diminishing returns: the coverage simulation.
    Overlap,
    /// The definition of the effective number.
    Definition,
    /// The proof by induction, as a stepper.
    Induction,
    /// The class-balanced term.
    ClassBalanced,
    /// The three losses, and training with them.
    Losses,
    /// What the paper found.
    Results,
    /// The methods that came after, and the page's own leaderboard.
    After,
    /// Several labels a sample: counts, where a weight goes, DB's loss.
    SeveralLabels,
}

impl Section {
    /// Every section, in lesson order; presentation slide k (1-based) is `ALL[k - 1]`.
    pub const ALL: [Section; 9] = [
        Section::LongTail,
        Section::Overlap,
        Section::Definition,
        Section::Induction,
        Section::ClassBalanced,
        Section::Losses,
        Section::Results,
        Section::After,
        Section::SeveralLabels,
    ];

    /// The section's HTML id (its title's id is `<id>-title`).
    pub fn id(self) -> &'static str {
        match self {
            Section::LongTail => "long-tail",
            Section::Overlap => "overlap",
            Section::Definition => "definition",
            Section::Induction => "induction",
            Section::ClassBalanced => "class-balanced",
            Section::Losses => "losses",
            Section::Results => "results",
            Section::After => "after",
            Section::SeveralLabels => "several-labels",
        }
    }

    /// The translation key of its title, which the first load holds: the
    /// section's place and title are there before the lesson's chunk.
    pub fn title_key(self) -> &'static str {
        match self {
            Section::LongTail => "lesson.long-tail.title",
            Section::Overlap => "lesson.overlap.title",
            Section::Definition => "lesson.definition.title",
            Section::Induction => "lesson.induction.title",
            Section::ClassBalanced => "lesson.class-balanced.title",
            Section::Losses => "lesson.losses.title",
            Section::Results => "lesson.results.title",
            Section::After => "lesson.after.title",
            Section::SeveralLabels => "lesson.several-labels.title",
        }
    }

    /// Its slide number in presentation mode (1-based).
    pub fn slide(self) -> usize {
        Section::ALL
            .iter()
            .position(|&s| s == self)
            .expect("ALL holds every section")
            + 1
    }
}
