//! What the weight explorer shows: a class distribution, beta, gamma, the
//! schemes to compare and the editor's scale. Plain data, so the page, the
//! URL and the tests all handle the same thing.

use crate::balance::effective_number::Beta;
use crate::balance::weights::Scheme;
use crate::data::profiles::{Profile, preset};
use crate::data::toy_data::Redundancy;
use crate::i18n::Message;
use crate::train::experiments::PAPER_BETAS;

/// The explorer takes from 2 to this many classes.
pub const MAX_EXPLORER_CLASSES: usize = 10_000;
/// The largest gamma the controls offer.
pub const MAX_GAMMA: f64 = 5.0;
/// The smallest 1 - beta the controls offer (beta = 0.99999999).
pub const MIN_ONE_MINUS_BETA: f64 = 1e-8;

/// Where the counts came from, so a link can name a preset instead of listing counts.
#[derive(Clone, Debug, PartialEq)]
pub enum Source {
    /// A named preset of [`crate::data::profiles::PRESETS`].
    Preset(&'static str),
    /// A generated profile.
    Profile(Profile),
    /// Painted, pasted or uploaded counts.
    Custom,
}

/// Class counts and where they came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Distribution {
    /// Where the counts came from.
    pub source: Source,
    /// Samples per class.
    pub counts: Vec<u64>,
    /// Class names, when an uploaded file had them.
    pub names: Option<Vec<String>>,
    /// Images per class, when a data set's files gave them.
    pub images: Option<Images>,
}

/// Images per class and the number of images: what LVIS's repeat factor
/// needs, which a data set's files give and counts alone cannot. Links do
/// not carry them.
#[derive(Clone, Debug, PartialEq)]
pub struct Images {
    /// Images holding each class.
    pub per_class: Vec<u64>,
    /// The images.
    pub total: u64,
}

impl Distribution {
    /// The preset with this name.
    pub fn preset(name: &str) -> Option<Self> {
        let p = preset(name)?;
        Some(Self {
            source: Source::Preset(p.name),
            counts: p.profile.counts().expect("every preset is valid"),
            names: p
                .class_names
                .map(|n| n.iter().map(|s| (*s).to_owned()).collect()),
            images: None,
        })
    }

    /// Counts from a profile.
    pub fn profile(profile: Profile) -> Result<Self, Message> {
        let counts = profile.counts().map_err(|e| e.message())?;
        check_classes(counts.len())?;
        Ok(Self {
            source: Source::Profile(profile),
            counts,
            names: None,
            images: None,
        })
    }

    /// Counts given outright.
    pub fn custom(counts: Vec<u64>, names: Option<Vec<String>>) -> Result<Self, Message> {
        check_classes(counts.len())?;
        if counts.iter().all(|&n| n == 0) {
            return Err(Message::new("error.explorer.all_empty"));
        }
        Ok(Self {
            source: Source::Custom,
            counts,
            names,
            images: None,
        })
    }

    /// These counts with the data set's images per class (one per class).
    pub fn with_images(self, images: Images) -> Self {
        debug_assert_eq!(images.per_class.len(), self.counts.len());
        Self {
            images: Some(images),
            ..self
        }
    }

    /// The same counts, edited by hand: the source becomes custom, and the
    /// images per class, which no longer match, are dropped.
    pub fn edited(&self, counts: Vec<u64>) -> Self {
        Self {
            source: Source::Custom,
            counts,
            names: self.names.clone(),
            images: None,
        }
    }

    /// Classes sorted by count, largest first (names follow their counts).
    pub fn sorted_descending(&self) -> Self {
        let order = crate::order::largest_first(&self.counts);
        Self {
            source: Source::Custom,
            counts: order.iter().map(|&i| self.counts[i]).collect(),
            names: self
                .names
                .as_ref()
                .map(|n| order.iter().map(|&i| n[i].clone()).collect()),
            images: self.images.as_ref().map(|m| Images {
                per_class: order.iter().map(|&i| m.per_class[i]).collect(),
                total: m.total,
            }),
        }
    }

    /// The name of class `i`: its given name or its index.
    pub fn name(&self, i: usize) -> String {
        class_name(self.names.as_deref(), i)
    }
}

/// Class `i`'s name among `names`, or its number where there are none.
pub fn class_name(names: Option<&[String]>, i: usize) -> String {
    names.map_or_else(|| i.to_string(), |names| names[i].clone())
}

fn check_classes(classes: usize) -> Result<(), Message> {
    if (2..=MAX_EXPLORER_CLASSES).contains(&classes) {
        Ok(())
    } else {
        Err(Message::new("error.explorer.classes")
            .with("max", MAX_EXPLORER_CLASSES)
            .with("got", classes))
    }
}

/// A weighting the charts can compare.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ComparedScheme {
    /// Class-balanced at the current beta.
    Cb,
    /// Class-balanced at one of the paper's betas (index into [`PAPER_BETAS`]).
    CbPaper(usize),
    /// Every class weighs 1.
    None,
    /// 1 / n.
    Inverse,
    /// 1 / sqrt(n).
    SqrtInverse,
    /// scikit-learn's "balanced".
    Balanced,
    /// Median-frequency balancing, median(n) / n.
    MedianFrequency,
    /// ENet's 1 / ln(1.02 + p).
    Enet,
}

impl ComparedScheme {
    /// The schemes of `chosen` in the charts' order (that of [`ComparedScheme::ALL`]), each once.
    pub fn in_order(chosen: &[ComparedScheme]) -> Vec<ComparedScheme> {
        ComparedScheme::ALL
            .iter()
            .copied()
            .filter(|s| chosen.contains(s))
            .collect()
    }

    /// Every scheme, in the order the controls list them.
    pub const ALL: [ComparedScheme; 11] = [
        Self::Cb,
        Self::CbPaper(0),
        Self::CbPaper(1),
        Self::CbPaper(2),
        Self::CbPaper(3),
        Self::None,
        Self::Inverse,
        Self::SqrtInverse,
        Self::Balanced,
        Self::MedianFrequency,
        Self::Enet,
    ];

    /// The name in links: `cb`, `cb-0.99`, or the scheme's own (`inverse`,
    /// `median-frequency`, ...).
    pub fn name(self) -> String {
        match self {
            Self::CbPaper(i) => format!("cb-{}", PAPER_BETAS[i]),
            other => other.scheme(Beta::ZERO).kind().name().into(),
        }
    }

    /// The scheme with this link name.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.name() == name)
    }

    /// A label for people, in any language.
    pub fn label(self, beta: Beta) -> Message {
        match self {
            Self::Cb => Message::new("scheme.cb_yours").with("beta", beta),
            Self::CbPaper(i) => Message::new("scheme.cb").with("beta", PAPER_BETAS[i]),
            Self::None => Message::new("scheme.none"),
            Self::Inverse => Message::new("scheme.inverse"),
            Self::SqrtInverse => Message::new("scheme.sqrt_inverse"),
            Self::Balanced => Message::new("scheme.balanced"),
            Self::MedianFrequency => Message::new("scheme.median_frequency"),
            Self::Enet => Message::new("scheme.enet"),
        }
    }

    /// The weighting, with the current beta for [`ComparedScheme::Cb`].
    pub fn scheme(self, beta: Beta) -> Scheme {
        match self {
            Self::Cb => Scheme::ClassBalanced(beta),
            Self::CbPaper(i) => Scheme::ClassBalanced(
                Beta::new(PAPER_BETAS[i]).expect("the paper's betas are valid"),
            ),
            Self::None => Scheme::None,
            Self::Inverse => Scheme::Inverse,
            Self::SqrtInverse => Scheme::SqrtInverse,
            Self::Balanced => Scheme::Balanced,
            Self::MedianFrequency => Scheme::MedianFrequency,
            Self::Enet => Scheme::Enet,
        }
    }

    /// Whether its weights change with the current beta.
    pub fn follows_beta(self) -> bool {
        self == Self::Cb
    }
}

/// Everything the explorer shows.
#[derive(Clone, Debug, PartialEq)]
pub struct ExplorerState {
    /// The class distribution.
    pub distribution: Distribution,
    /// beta.
    pub beta: Beta,
    /// gamma of the focal loss, 0 to [`MAX_GAMMA`].
    pub gamma: f64,
    /// The schemes to compare, in [`ComparedScheme::ALL`] order.
    pub schemes: Vec<ComparedScheme>,
    /// Whether count axes are logarithmic.
    pub log_scale: bool,
    /// The training panel's settings.
    pub training: super::training::TrainingSettings,
    /// The tau slider's post-hoc tau, 0 to [`MAX_POSTHOC_TAU`] in steps of 0.1
    /// (it re-scores a trained run; changing it retrains nothing).
    pub posthoc_tau: f64,
    /// Seeds the leaderboard trains the standard set on, 1 to [`MAX_BOARD_SEEDS`].
    pub board_seeds: u64,
    /// Seeds the beta sweep trains on, 1 to [`MAX_BOARD_SEEDS`].
    pub sweep_seeds: u64,
    /// What the beta sweep trains on.
    pub sweep_data: SweepData,
    /// The multi-label panel's label sets as typed (one sample a line), when
    /// not its example; a link carries them up to [`MAX_LINKED_LABEL_SETS`] characters.
    pub label_sets: Option<String>,
    /// What the multi-label panel trains on.
    pub multi_data: MultiData,
}

/// The longest label sets, in characters, that a link carries (longer ones stay in
/// the page and the page says so): a link of a few kB still opens everywhere.
pub const MAX_LINKED_LABEL_SETS: usize = 2000;

/// What the multi-label panel trains on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum MultiData {
    /// The multi-label toy task.
    #[default]
    Toy,
    /// The Fashion-MNIST mosaics.
    Mosaics,
}

/// What the beta sweep trains on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SweepData {
    /// The toy task, every point a fresh draw.
    #[default]
    Fresh,
    /// The redundancy dial: the toy task's training points as copies of K
    /// prototypes a class, K one of [`SWEEP_PROTOTYPES`].
    Prototypes(u32),
    /// The dial growing with the class: each prototype copied R times, R
    /// one of [`SWEEP_COPIES`].
    Copies(u32),
    /// Fashion-MNIST-LT's images at imbalance [`SWEEP_IMBALANCE`].
    Images,
}

/// The dial's copies per prototype, when K grows with the class.
pub const SWEEP_COPIES: [u32; 1] = [10];

/// The imbalance of the sweep on images.
pub const SWEEP_IMBALANCE: f64 = 100.0;

impl SweepData {
    /// K, on the redundancy dial.
    pub fn prototypes(self) -> Option<u32> {
        match self {
            Self::Prototypes(k) => Some(k),
            _ => None,
        }
    }

    /// The toy task's redundancy, on either dial.
    pub fn redundancy(self) -> Option<Redundancy> {
        match self {
            Self::Prototypes(k) => Some(Redundancy::Prototypes(k)),
            Self::Copies(r) => Some(Redundancy::Copies(r)),
            Self::Fresh | Self::Images => None,
        }
    }

    /// Its value in the page's select: `fresh`, K, `copies-R` or `images`.
    pub fn name(self) -> String {
        match self {
            Self::Fresh => "fresh".to_owned(),
            Self::Prototypes(k) => k.to_string(),
            Self::Copies(r) => format!("copies-{r}"),
            Self::Images => "images".to_owned(),
        }
    }

    /// From [`Self::name`].
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "fresh" => Some(Self::Fresh),
            "images" => Some(Self::Images),
            copies if copies.starts_with("copies-") => copies["copies-".len()..]
                .parse::<u32>()
                .ok()
                .filter(|r| SWEEP_COPIES.contains(r))
                .map(Self::Copies),
            k => k
                .parse::<u32>()
                .ok()
                .filter(|k| SWEEP_PROTOTYPES.contains(k))
                .map(Self::Prototypes),
        }
    }
}

/// The redundancy dial's settings of K (besides fresh draws): the effective
/// number's model predicts beta = 1 - 1/K, so 0, 0.9 and 0.99, all in the sweep.
pub const SWEEP_PROTOTYPES: [u32; 3] = [1, 10, 100];

/// The leaderboard's and the sweep's seeds on a first visit.
pub const DEFAULT_BOARD_SEEDS: u64 = 3;
/// The most seeds the leaderboard and the sweep offer.
pub const MAX_BOARD_SEEDS: u64 = 5;

/// The tau slider's tau on a first visit.
pub const DEFAULT_POSTHOC_TAU: f64 = 1.0;
/// The tau slider's largest tau.
pub const MAX_POSTHOC_TAU: f64 = 2.0;

/// The distribution a first visit shows.
pub const DEFAULT_PRESET: &str = "cifar10-lt-100";
/// beta on a first visit: the worked example of the guide (weights 0.181 ... 3.688).
pub const DEFAULT_BETA: f64 = 0.999;
/// gamma on a first visit.
pub const DEFAULT_GAMMA: f64 = 1.0;

impl Default for ExplorerState {
    fn default() -> Self {
        Self {
            distribution: Distribution::preset(DEFAULT_PRESET).expect("the default preset exists"),
            beta: Beta::new(DEFAULT_BETA).expect("a valid beta"),
            gamma: DEFAULT_GAMMA,
            schemes: vec![
                ComparedScheme::Cb,
                ComparedScheme::None,
                ComparedScheme::Inverse,
                ComparedScheme::SqrtInverse,
            ],
            log_scale: true,
            training: Default::default(),
            posthoc_tau: DEFAULT_POSTHOC_TAU,
            board_seeds: DEFAULT_BOARD_SEEDS,
            sweep_seeds: DEFAULT_BOARD_SEEDS,
            sweep_data: SweepData::Fresh,
            label_sets: None,
            multi_data: MultiData::Toy,
        }
    }
}

impl ExplorerState {
    /// Turns a scheme on or off, keeping the canonical order.
    pub fn toggle_scheme(&mut self, scheme: ComparedScheme, on: bool) {
        self.schemes.retain(|&s| s != scheme);
        if on {
            self.schemes.push(scheme);
        }
        self.schemes = ComparedScheme::in_order(&self.schemes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scheme_names_round_trip() {
        for s in ComparedScheme::ALL {
            assert_eq!(ComparedScheme::from_name(&s.name()), Some(s));
        }
        assert_eq!(ComparedScheme::CbPaper(3).name(), "cb-0.9999");
        assert_eq!(ComparedScheme::from_name("cb-0.5"), None);
    }

    #[test]
    fn distributions() {
        assert!(Distribution::custom(vec![1], None).is_err());
        assert!(Distribution::custom(vec![0, 0], None).is_err());
        assert!(Distribution::custom(vec![1; MAX_EXPLORER_CLASSES + 1], None).is_err());
        let d = Distribution::custom(
            vec![3, 9, 5],
            Some(vec!["a".into(), "b".into(), "c".into()]),
        )
        .unwrap();
        let s = d.sorted_descending();
        assert_eq!(s.counts, [9, 5, 3]);
        assert_eq!(s.names.unwrap(), ["b", "c", "a"]);
        assert_eq!(d.name(1), "b");
        assert_eq!(
            Distribution::preset("cifar10-lt-100").unwrap().counts[9],
            50
        );
    }

    #[test]
    fn toggling_keeps_order() {
        let mut s = ExplorerState::default();
        s.toggle_scheme(ComparedScheme::CbPaper(1), true);
        s.toggle_scheme(ComparedScheme::None, false);
        assert_eq!(
            s.schemes,
            [
                ComparedScheme::Cb,
                ComparedScheme::CbPaper(1),
                ComparedScheme::Inverse,
                ComparedScheme::SqrtInverse
            ]
        );
    }
}
