//! Class-count profiles of long-tailed data sets and the named presets.
//!
//! The exponential profile is the official code's: class i of C gets
//! n_i = floor(n_max * rho^(-i / (C - 1))), with imbalance factor rho = n_max / n_min.

use std::fmt;

use crate::i18n::{Lang, Message, tr};

/// The most classes any profile or input may have.
pub const MAX_CLASSES: usize = 100_000;

/// A rule that gives each class its number of training samples.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Profile {
    /// n_i = floor(max * imbalance^(-i / (classes - 1))), the official long-tailed CIFAR rule.
    Exponential {
        /// Number of classes C.
        classes: usize,
        /// Samples of the largest class, n_max.
        max: u64,
        /// Imbalance factor rho = n_max / n_min, at least 1.
        imbalance: f64,
    },
    /// The first floor(C / 2) classes have `max` samples, the rest floor(max / imbalance).
    Step {
        /// Number of classes C.
        classes: usize,
        /// Samples of each head class.
        max: u64,
        /// Imbalance factor rho = n_max / n_min, at least 1.
        imbalance: f64,
    },
    /// Every class has `count` samples.
    Uniform {
        /// Number of classes C.
        classes: usize,
        /// Samples of each class.
        count: u64,
    },
}

/// Why a profile cannot produce counts.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ProfileError {
    /// Profiles need between 1 (uniform) or 2 (long-tailed) and [`MAX_CLASSES`] classes.
    Classes(usize),
    /// The imbalance factor must be a finite number >= 1.
    Imbalance(f64),
    /// The largest class must have at least one sample and at most 10^12.
    Max(u64),
}

impl ProfileError {
    /// What went wrong, for people in any language.
    pub fn message(&self) -> Message {
        match self {
            Self::Classes(c) => Message::new("error.profile.classes")
                .with("max", MAX_CLASSES)
                .with("got", c),
            Self::Imbalance(r) => Message::new("error.profile.imbalance").with("got", r),
            Self::Max(m) => Message::new("error.profile.max").with("got", m),
        }
    }
}

/// In English, from the translation files.
impl fmt::Display for ProfileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.message().fmt(f)
    }
}

impl std::error::Error for ProfileError {}

/// The largest class size a profile accepts: totals then stay exact in f64 (below 2^53).
pub const MAX_CLASS_SIZE: u64 = 1_000_000_000_000;

impl Profile {
    /// The counts of every class, head first.
    pub fn counts(&self) -> Result<Vec<u64>, ProfileError> {
        match *self {
            Profile::Exponential {
                classes,
                max,
                imbalance,
            } => {
                check(classes, 2, max, imbalance)?;
                let inv = 1.0 / imbalance;
                let last = (classes - 1) as f64;
                // Same arithmetic as the official Python: img_max * (imb_factor ** (i / (C - 1.0))).
                Ok((0..classes)
                    .map(|i| (max as f64 * inv.powf(i as f64 / last)).floor() as u64)
                    .collect())
            }
            Profile::Step {
                classes,
                max,
                imbalance,
            } => {
                check(classes, 2, max, imbalance)?;
                let tail = (max as f64 / imbalance).floor() as u64;
                Ok((0..classes)
                    .map(|i| if i < classes / 2 { max } else { tail })
                    .collect())
            }
            Profile::Uniform { classes, count } => {
                check(classes, 1, count.max(1), 1.0)?;
                Ok(vec![count; classes])
            }
        }
    }
}

fn check(classes: usize, min_classes: usize, max: u64, imbalance: f64) -> Result<(), ProfileError> {
    if !(min_classes..=MAX_CLASSES).contains(&classes) {
        return Err(ProfileError::Classes(classes));
    }
    if !(1..=MAX_CLASS_SIZE).contains(&max) {
        return Err(ProfileError::Max(max));
    }
    if !(imbalance.is_finite() && imbalance >= 1.0) {
        return Err(ProfileError::Imbalance(imbalance));
    }
    Ok(())
}

/// A named class distribution.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Preset {
    /// The name used by the CLI and the URL, e.g. `cifar10-lt-100`.
    pub name: &'static str,
    /// A description for people.
    pub description: &'static str,
    /// The rule that gives the counts.
    pub profile: Profile,
    /// The classes' names, head first, when the data set has them.
    pub class_names: Option<&'static [&'static str]>,
}

/// Fashion-MNIST's classes in label order (Zalando's names).
pub const FASHION_MNIST_CLASSES: [&str; 10] = [
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
];

/// The largest class of Fashion-MNIST-LT: class c keeps its first
/// floor(1000 rho^(-c/9)) training images.
pub const FASHION_MNIST_LT_MAX: u64 = 1000;

const fn fashion(name: &'static str, imbalance: f64) -> Preset {
    Preset {
        name,
        description: "Fashion-MNIST-LT, the lab's real images: class c (0 T-shirt/top ... 9 ankle \
                      boot) keeps its first floor(1000 * rho^(-c/9)) training images",
        profile: Profile::Exponential {
            classes: 10,
            max: FASHION_MNIST_LT_MAX,
            imbalance,
        },
        class_names: Some(&FASHION_MNIST_CLASSES),
    }
}

const fn cifar(name: &'static str, classes: usize, imbalance: f64) -> Preset {
    Preset {
        name,
        description: if classes == 10 {
            "long-tailed CIFAR-10 as in the official code: n_i = floor(5000 * rho^(-i/9))"
        } else {
            "long-tailed CIFAR-100 as in the official code: n_i = floor(500 * rho^(-i/99))"
        },
        profile: Profile::Exponential {
            classes,
            max: if classes == 10 { 5000 } else { 500 },
            imbalance,
        },
        class_names: None,
    }
}

/// Every preset: long-tailed CIFAR as in the official code, Fashion-MNIST-LT,
/// and iNaturalist stand-ins.
pub const PRESETS: &[Preset] = &[
    cifar("cifar10-lt-10", 10, 10.0),
    cifar("cifar10-lt-20", 10, 20.0),
    cifar("cifar10-lt-50", 10, 50.0),
    cifar("cifar10-lt-100", 10, 100.0),
    cifar("cifar10-lt-200", 10, 200.0),
    cifar("cifar100-lt-10", 100, 10.0),
    cifar("cifar100-lt-20", 100, 20.0),
    cifar("cifar100-lt-50", 100, 50.0),
    cifar("cifar100-lt-100", 100, 100.0),
    cifar("cifar100-lt-200", 100, 200.0),
    fashion("fashion-mnist-lt-10", 10.0),
    fashion("fashion-mnist-lt-20", 20.0),
    fashion("fashion-mnist-lt-50", 50.0),
    fashion("fashion-mnist-lt-100", 100.0),
    fashion("fashion-mnist-lt-200", 200.0),
    Preset {
        name: "inat2017-like",
        description: "iNaturalist 2017 stand-in: 5,089 classes, exponential, imbalance 435 \
                      (not the real per-class counts)",
        profile: Profile::Exponential {
            classes: 5089,
            max: 3919,
            imbalance: 435.0,
        },
        class_names: None,
    },
    Preset {
        name: "inat2018-like",
        description: "iNaturalist 2018 stand-in: 8,142 classes, exponential, imbalance 500 \
                      (not the real per-class counts)",
        profile: Profile::Exponential {
            classes: 8142,
            max: 1000,
            imbalance: 500.0,
        },
        class_names: None,
    },
];

impl Preset {
    /// A short label for menus, in `lang` (the translation key is `preset.` and the name).
    pub fn label(&self, lang: Lang) -> &'static str {
        tr(lang, &format!("preset.{}", self.name))
    }
}

/// The preset with this name.
pub fn preset(name: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.name == name)
}

/// The counts of the preset with this name.
pub fn preset_counts(name: &str) -> Option<Vec<u64>> {
    preset(name).map(|p| p.profile.counts().expect("every preset is a valid profile"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cifar10_lt_counts_match_the_official_code() {
        assert_eq!(
            preset_counts("cifar10-lt-100").unwrap(),
            [5000, 2997, 1796, 1077, 645, 387, 232, 139, 83, 50]
        );
        assert_eq!(
            preset_counts("cifar10-lt-50").unwrap(),
            [5000, 3237, 2096, 1357, 878, 568, 368, 238, 154, 100]
        );
        let total = |n: &str| preset_counts(n).unwrap().iter().sum::<u64>();
        assert_eq!(total("cifar10-lt-100"), 12406);
        assert_eq!(total("cifar10-lt-50"), 13996);
        assert_eq!(total("cifar10-lt-10"), 20431);
        assert_eq!(total("cifar100-lt-100"), 10847);
    }

    #[test]
    fn fashion_mnist_lt_keeps_a_subset_of_the_rho_10_images_at_every_rho() {
        assert_eq!(
            preset_counts("fashion-mnist-lt-10").unwrap(),
            [1000, 774, 599, 464, 359, 278, 215, 166, 129, 100]
        );
        assert_eq!(
            preset_counts("fashion-mnist-lt-10")
                .unwrap()
                .iter()
                .sum::<u64>(),
            4084
        );
        assert_eq!(
            preset_counts("fashion-mnist-lt-100")
                .unwrap()
                .iter()
                .sum::<u64>(),
            2478
        );
        let at = |rho: f64| {
            Profile::Exponential {
                classes: 10,
                max: FASHION_MNIST_LT_MAX,
                imbalance: rho,
            }
            .counts()
            .unwrap()
        };
        // Every rho from 10 to 200 (in steps of 0.5) takes the first n_c(rho) of the
        // rho = 10 images: never more, fewer as rho grows, the tail at 1000 / rho.
        let all = at(10.0);
        let mut previous = all.clone();
        for k in 20..=400 {
            let rho = k as f64 / 2.0;
            let c = at(rho);
            assert_eq!(c[0], 1000);
            assert!(c.iter().zip(&all).all(|(n, m)| n <= m), "rho {rho}: {c:?}");
            assert!(
                c.iter().zip(&previous).all(|(n, m)| n <= m),
                "rho {rho}: {c:?}"
            );
            assert_eq!(c[9], (1000.0 / rho).floor() as u64, "rho {rho}");
            previous = c;
        }
        let p = preset("fashion-mnist-lt-50").unwrap();
        assert_eq!(p.class_names.unwrap()[9], "Ankle boot");
    }

    #[test]
    fn every_preset_has_a_label_in_every_language() {
        let key = |p: &Preset| format!("preset.{}", p.name);
        for p in PRESETS {
            assert_ne!(p.label(Lang::En), key(p), "en.json lacks {}", key(p));
            assert_ne!(p.label(Lang::ZhCn), p.label(Lang::En), "{}", p.name);
        }
        assert_eq!(PRESETS[3].label(Lang::En), "CIFAR-10-LT, imbalance 100");
    }

    #[test]
    fn every_preset_has_its_shape() {
        for p in PRESETS {
            let c = p.profile.counts().unwrap();
            assert!(
                c.windows(2).all(|w| w[0] >= w[1]),
                "{} is not sorted",
                p.name
            );
            let Profile::Exponential {
                classes,
                max,
                imbalance,
            } = p.profile
            else {
                panic!("presets are exponential")
            };
            assert_eq!(c.len(), classes);
            assert_eq!(c[0], max);
            let want_min = (max as f64 / imbalance).floor() as u64;
            assert!(c[classes - 1].abs_diff(want_min) <= 1, "{}: {c:?}", p.name);
        }
        assert_eq!(preset_counts("inat2018-like").unwrap().len(), 8142);
        assert_eq!(preset_counts("inat2017-like").unwrap().len(), 5089);
        assert!(preset("imagenet").is_none());
    }

    #[test]
    fn step_and_uniform() {
        let step = Profile::Step {
            classes: 5,
            max: 100,
            imbalance: 10.0,
        }
        .counts()
        .unwrap();
        assert_eq!(step, [100, 100, 10, 10, 10]);
        let uni = Profile::Uniform {
            classes: 3,
            count: 7,
        }
        .counts()
        .unwrap();
        assert_eq!(uni, [7, 7, 7]);
        assert_eq!(
            Profile::Uniform {
                classes: 2,
                count: 0
            }
            .counts()
            .unwrap(),
            [0, 0]
        );
    }

    #[test]
    fn invalid_profiles_are_errors() {
        let exp = |classes, max, imbalance| {
            Profile::Exponential {
                classes,
                max,
                imbalance,
            }
            .counts()
        };
        assert_eq!(exp(1, 10, 2.0), Err(ProfileError::Classes(1)));
        assert_eq!(
            exp(MAX_CLASSES + 1, 10, 2.0),
            Err(ProfileError::Classes(MAX_CLASSES + 1))
        );
        assert_eq!(exp(10, 0, 2.0), Err(ProfileError::Max(0)));
        assert_eq!(exp(10, 10, 0.5), Err(ProfileError::Imbalance(0.5)));
        assert!(exp(10, 10, f64::NAN).is_err());
    }

    proptest::proptest! {
        #[test]
        fn exponential_is_monotone_and_bounded(
            classes in 2usize..2000,
            max in 1u64..=MAX_CLASS_SIZE,
            imbalance in 1.0f64..1e6,
        ) {
            let c = Profile::Exponential { classes, max, imbalance }.counts().unwrap();
            proptest::prop_assert_eq!(c.len(), classes);
            proptest::prop_assert_eq!(c[0], max);
            proptest::prop_assert!(c.windows(2).all(|w| w[0] >= w[1]));
        }
    }
}
