//! The URL's parameters of one key, one row each: the key, how its value reads
//! into the explorer's state (a value it cannot take becomes a notice), and
//! how the state writes it (left out at its default).

use crate::balance::loss_kind::LossKind;
use crate::balance::weights::SchemeKind;
use crate::i18n::Message;
use crate::train::batches::Sampler;
use crate::train::methods::Method;
use crate::train::optimizer::OptimizerKind;

use super::values::{ignored, named, number_in, plain, short, whole_in};
use crate::explorer::state::{
    ComparedScheme, DEFAULT_BOARD_SEEDS, DEFAULT_POSTHOC_TAU, ExplorerState, MAX_BOARD_SEEDS,
    MAX_GAMMA, MAX_LINKED_LABEL_SETS, MAX_POSTHOC_TAU, MultiData, SWEEP_COPIES, SWEEP_PROTOTYPES,
    SweepData,
};
use crate::explorer::training::{Backend, MAX_EPOCHS, MAX_RUNS, TrainingSettings};

/// A parameter of one key: how its value reads into the state and how the
/// state writes it.
pub(super) struct Param {
    /// The key in the URL.
    pub(super) key: &'static str,
    /// How its value is read.
    pub(super) read: Read,
    /// Its value for a state; `None` at the default, which the link leaves out.
    pub(super) write: fn(&ExplorerState) -> Option<String>,
}

/// How a parameter's value is read.
pub(super) enum Read {
    /// Taken whole, or ignored whole with the reason given; the notice names
    /// the parameter by its translation key and quotes the value.
    Whole(
        &'static str,
        fn(&mut ExplorerState, &str) -> Result<(), Message>,
    ),
    /// A list whose items are taken or ignored one by one; the notices are returned.
    List(fn(&mut ExplorerState, &str) -> Vec<Message>),
}

/// Every parameter of one key, in the order a link writes them and a query is
/// read (`sweep_k` before `sweep_copies` and `sweep_data`, which it overrides).
/// The class counts and beta, which have several spellings, come before them.
pub(super) const PARAMS: &[Param] = &[
    Param {
        key: "gamma",
        read: Read::Whole("notice.what.gamma", |s, v| {
            s.gamma = number_in(v, 0.0..=MAX_GAMMA, || {
                Message::new("notice.why.gamma").with("max", MAX_GAMMA)
            })?;
            Ok(())
        }),
        write: |s| Some(plain(s.gamma)),
    },
    Param {
        key: "schemes",
        read: Read::List(read_schemes),
        write: |s| {
            Some(
                s.schemes
                    .iter()
                    .map(|c| c.name())
                    .collect::<Vec<_>>()
                    .join(","),
            )
        },
    },
    Param {
        key: "scale",
        read: Read::Whole("notice.what.scale", |s, v| {
            s.log_scale = match v {
                "log" => true,
                "linear" => false,
                _ => return Err(Message::new("notice.why.scale")),
            };
            Ok(())
        }),
        write: |s| Some(if s.log_scale { "log" } else { "linear" }.to_owned()),
    },
    Param {
        key: "train_loss",
        read: Read::Whole("notice.what.loss", |s, v| {
            s.training.loss = named(LossKind::from_name(v), "notice.why.loss")?;
            Ok(())
        }),
        write: |s| training_differs(s, |t| t.loss.name().to_owned()),
    },
    Param {
        key: "train_scheme",
        read: Read::Whole("notice.what.scheme", |s, v| {
            s.training.scheme = named(SchemeKind::from_name(v), "notice.why.scheme")?;
            Ok(())
        }),
        // Beside an adjusted loss the weighting is always written: links from
        // before the menus defaulted those losses to none name no weighting and
        // meant cb (the default), and still read so.
        write: |s| {
            let scheme = Some(s.training.scheme.name().to_owned());
            if s.training.loss.is_paper() {
                training_differs(s, |t| t.scheme.name().to_owned())
            } else {
                scheme
            }
        },
    },
    Param {
        key: "optimizer",
        read: Read::Whole("notice.what.optimizer", |s, v| {
            s.training.optimizer = match v {
                "adam" => OptimizerKind::ADAM,
                "sgd" => OptimizerKind::SGD,
                _ => return Err(Message::new("notice.why.optimizer")),
            };
            Ok(())
        }),
        write: |s| training_differs(s, |t| t.optimizer.name().to_owned()),
    },
    Param {
        key: "lr",
        read: Read::Whole("notice.what.lr", |s, v| {
            let r = number_in(v, f64::MIN_POSITIVE..=1.0, || Message::new("notice.why.lr"))?;
            s.training.learning_rate = r;
            Ok(())
        }),
        write: |s| training_differs(s, |t| t.learning_rate.to_string()),
    },
    Param {
        key: "hidden",
        read: Read::Whole("notice.what.hidden", |s, v| {
            s.training.hidden = whole_in(v, 1..=256, || Message::new("notice.why.hidden"))?;
            Ok(())
        }),
        write: |s| training_differs(s, |t| t.hidden.to_string()),
    },
    Param {
        key: "epochs",
        read: Read::Whole("notice.what.epochs", |s, v| {
            s.training.epochs = whole_in(v, 1..=MAX_EPOCHS, || {
                Message::new("notice.why.epochs").with("max", MAX_EPOCHS)
            })?;
            Ok(())
        }),
        write: |s| training_differs(s, |t| t.epochs.to_string()),
    },
    Param {
        key: "seed",
        read: Read::Whole("notice.what.seed", |s, v| {
            s.training.seed = whole_in(v, 0..=u64::MAX, || Message::new("notice.why.seed"))?;
            Ok(())
        }),
        write: |s| training_differs(s, |t| t.seed.to_string()),
    },
    Param {
        key: "backend",
        read: Read::Whole("notice.what.backend", |s, v| {
            s.training.backend = named(Backend::from_name(v), "notice.why.backend")?;
            Ok(())
        }),
        write: |s| training_differs(s, |t| t.backend.name().to_owned()),
    },
    Param {
        key: "sampler",
        read: Read::Whole("notice.what.sampler", |s, v| {
            s.training.sampler = named(Sampler::from_name(v), "notice.why.sampler")?;
            Ok(())
        }),
        write: |s| training_differs(s, |t| t.sampler.name().to_owned()),
    },
    Param {
        key: "schedule",
        read: Read::Whole("notice.what.schedule", |s, v| {
            s.training.drw = match v {
                "drw" => true,
                "none" => false,
                _ => return Err(Message::new("notice.why.schedule")),
            };
            Ok(())
        }),
        write: |s| s.training.drw.then(|| "drw".to_owned()),
    },
    Param {
        key: "more_runs",
        read: Read::List(read_more_runs),
        write: |s| {
            let names: Vec<String> = s.training.extra.iter().map(Method::name).collect();
            (!names.is_empty()).then(|| names.join(","))
        },
    },
    Param {
        key: "posthoc_tau",
        read: Read::Whole("notice.what.posthoc_tau", |s, v| {
            let tau = number_in(v, 0.0..=MAX_POSTHOC_TAU, || {
                Message::new("notice.why.posthoc_tau").with("max", MAX_POSTHOC_TAU)
            })?;
            // The slider's steps of 0.1.
            s.posthoc_tau = (tau * 10.0).round() / 10.0;
            Ok(())
        }),
        write: |s| (s.posthoc_tau != DEFAULT_POSTHOC_TAU).then(|| plain(s.posthoc_tau)),
    },
    Param {
        key: "board_seeds",
        read: Read::Whole("notice.what.board_seeds", |s, v| {
            s.board_seeds = seeds(v)?;
            Ok(())
        }),
        write: |s| (s.board_seeds != DEFAULT_BOARD_SEEDS).then(|| s.board_seeds.to_string()),
    },
    Param {
        key: "sweep_seeds",
        read: Read::Whole("notice.what.sweep_seeds", |s, v| {
            s.sweep_seeds = seeds(v)?;
            Ok(())
        }),
        write: |s| (s.sweep_seeds != DEFAULT_BOARD_SEEDS).then(|| s.sweep_seeds.to_string()),
    },
    Param {
        key: "sweep_k",
        read: Read::Whole("notice.what.sweep_k", |s, v| {
            let k = one_of(v, &SWEEP_PROTOTYPES)?;
            s.sweep_data = SweepData::Prototypes(k);
            Ok(())
        }),
        write: |s| s.sweep_data.prototypes().map(|k| k.to_string()),
    },
    Param {
        key: "sweep_copies",
        read: Read::Whole("notice.what.sweep_copies", |s, v| {
            let r = one_of(v, &SWEEP_COPIES)?;
            s.sweep_data = the_only_sweep_data(s, SweepData::Copies(r))?;
            Ok(())
        }),
        write: |s| match s.sweep_data {
            SweepData::Copies(r) => Some(r.to_string()),
            _ => None,
        },
    },
    Param {
        key: "sweep_data",
        read: Read::Whole("notice.what.sweep_data", |s, v| match v.trim() {
            "images" => {
                s.sweep_data = the_only_sweep_data(s, SweepData::Images)?;
                Ok(())
            }
            _ => Err(Message::new("notice.why.sweep_data")),
        }),
        write: |s| (s.sweep_data == SweepData::Images).then(|| "images".to_owned()),
    },
    Param {
        key: "label_sets",
        // Read as text: the panel parses it and says what is wrong, keeping it.
        read: Read::Whole("notice.what.label_sets", |s, v| {
            if v.chars().count() > MAX_LINKED_LABEL_SETS {
                return Err(
                    Message::new("notice.why.label_sets").with("max", MAX_LINKED_LABEL_SETS)
                );
            }
            s.label_sets = Some(v.to_owned());
            Ok(())
        }),
        write: |s| {
            s.label_sets
                .as_ref()
                .filter(|t| t.chars().count() <= MAX_LINKED_LABEL_SETS)
                .cloned()
        },
    },
    Param {
        key: "multi_data",
        read: Read::Whole("notice.what.multi_data", |s, v| match v.trim() {
            "mosaics" => {
                s.multi_data = MultiData::Mosaics;
                Ok(())
            }
            "toy" => Ok(()),
            _ => Err(Message::new("notice.why.multi_data")),
        }),
        write: |s| (s.multi_data == MultiData::Mosaics).then(|| "mosaics".to_owned()),
    },
];

/// The compared schemes: the known names, each once; an unknown one is left
/// out with a notice.
fn read_schemes(state: &mut ExplorerState, list: &str) -> Vec<Message> {
    let mut notices = Vec::new();
    let mut schemes = Vec::new();
    for name in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        match ComparedScheme::from_name(name) {
            Some(s) if !schemes.contains(&s) => schemes.push(s),
            Some(_) => {}
            None => notices.push(Message::new("notice.unknown_scheme").with("value", short(name))),
        }
    }
    state.schemes = ComparedScheme::in_order(&schemes);
    notices
}

/// The runs after the third: each name on its own, a bad one left out and
/// the good ones kept, up to [`MAX_RUNS`] runs in all.
fn read_more_runs(state: &mut ExplorerState, list: &str) -> Vec<Message> {
    let mut notices = Vec::new();
    let extra = &mut state.training.extra;
    let mut bad = |name: &str, why: Message| notices.push(ignored("notice.what.runs", name, why));
    // A `+` typed into a link arrives as a space.
    for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        match Method::parse(&name.replace(' ', "+")) {
            Ok(_) if extra.len() + 3 >= MAX_RUNS => {
                bad(
                    name,
                    Message::new("notice.why.runs_max").with("max", MAX_RUNS),
                );
                break;
            }
            // Post-hoc adjustment is the tau slider's: no control would show it.
            Ok(m) if m.posthoc => bad(name, Message::new("notice.why.runs_posthoc")),
            Ok(m) => extra.push(m),
            Err(_) => bad(name, Message::new("notice.why.runs")),
        }
    }
    notices
}

/// A training setting's value when it differs from the default's.
fn training_differs(
    state: &ExplorerState,
    value: impl Fn(&TrainingSettings) -> String,
) -> Option<String> {
    let ours = value(&state.training);
    (ours != value(&TrainingSettings::default())).then_some(ours)
}

/// The leaderboard's or the sweep's seeds, 1 to [`MAX_BOARD_SEEDS`].
fn seeds(text: &str) -> Result<u64, Message> {
    whole_in(text, 1..=MAX_BOARD_SEEDS, || {
        Message::new("notice.why.board_seeds").with("max", MAX_BOARD_SEEDS)
    })
}

/// One of the dial's `choices`.
fn one_of(text: &str, choices: &[u32]) -> Result<u32, Message> {
    text.trim()
        .parse::<u32>()
        .ok()
        .filter(|k| choices.contains(k))
        .ok_or_else(|| {
            let choices: Vec<String> = choices.iter().map(u32::to_string).collect();
            Message::new("notice.why.sweep_k").with("choices", choices.join(", "))
        })
}

/// `data` for the sweep, unless the link already chose its data (the dial wins).
fn the_only_sweep_data(state: &ExplorerState, data: SweepData) -> Result<SweepData, Message> {
    if state.sweep_data == SweepData::Fresh {
        Ok(data)
    } else {
        Err(Message::new("notice.why.sweep_data_and_k"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::explorer::url::tests::{english, round_trip};
    use crate::explorer::url::{from_query, to_query};

    /// The training settings a query of `pairs` gives, and its notices.
    fn parse_training(pairs: &[(&str, &str)]) -> (TrainingSettings, Vec<Message>) {
        let query = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish();
        let (state, notices) = from_query(&query);
        (state.training, notices)
    }

    /// The pairs a link writes for these training settings (beside what every link has).
    fn training_pairs(settings: &TrainingSettings) -> Vec<(&'static str, String)> {
        let state = ExplorerState {
            training: settings.clone(),
            ..ExplorerState::default()
        };
        let always = ["preset", "beta", "gamma", "schemes", "scale"];
        form_urlencoded::parse(to_query(&state).as_bytes())
            .filter(|(k, _)| !always.contains(&k.as_ref()))
            .map(|(k, v)| {
                let param = PARAMS.iter().find(|p| p.key == k).expect("a parameter");
                (param.key, v.into_owned())
            })
            .collect()
    }

    #[test]
    fn training_defaults_write_nothing_and_round_trip() {
        assert!(training_pairs(&TrainingSettings::default()).is_empty());
        let s = TrainingSettings {
            loss: LossKind::Sigmoid,
            scheme: SchemeKind::Inverse,
            optimizer: OptimizerKind::SGD,
            learning_rate: 0.03,
            hidden: 64,
            epochs: 12,
            seed: 9,
            backend: Backend::Cpu,
            sampler: Sampler::Progressive,
            drw: true,
            extra: vec![
                Method::parse("cb-ldam+drw").unwrap(),
                Method::parse("balanced:softmax@sqrt").unwrap(),
            ],
        };
        let pairs = training_pairs(&s);
        let borrowed: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert_eq!(parse_training(&borrowed), (s, vec![]));
    }

    #[test]
    fn an_adjusted_loss_always_writes_its_weighting_and_old_links_keep_theirs() {
        // A link from before the menus defaulted adjusted losses to no
        // weighting names no scheme beside them and meant cb.
        let (old, notices) = parse_training(&[("train_loss", "logit-adjusted")]);
        assert!(notices.is_empty());
        assert_eq!(
            (old.loss, old.scheme),
            (LossKind::LogitAdjusted, SchemeKind::Cb)
        );
        // Now the menus pick none for it, and the link says so.
        let mut settings = TrainingSettings::default();
        let mut chosen = settings.chosen();
        chosen.pick_loss(LossKind::LogitAdjusted);
        settings.set_chosen(chosen);
        assert_eq!(settings.scheme, SchemeKind::None);
        for scheme in [SchemeKind::None, SchemeKind::Cb] {
            let s = TrainingSettings {
                scheme,
                ..settings.clone()
            };
            let pairs = training_pairs(&s);
            assert!(
                pairs.contains(&("train_scheme", scheme.name().to_owned())),
                "{pairs:?}"
            );
            let borrowed: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
            assert_eq!(parse_training(&borrowed), (s, vec![]));
        }
    }

    #[test]
    fn bad_training_values_keep_the_default_with_a_notice() {
        let (s, notices) = parse_training(&[
            ("train_loss", "<b>hinge</b>"),
            ("lr", "-1"),
            ("hidden", "100000"),
            ("epochs", "0"),
            ("backend", "tpu"),
            ("sampler", "oversample"),
        ]);
        assert_eq!(s, TrainingSettings::default());
        assert_eq!(notices.len(), 6);
        assert!(notices[0].to_string().contains("\"<b>hinge</b>\""));
    }

    #[test]
    fn extra_runs_keep_the_good_names_and_at_most_six_runs() {
        let (s, notices) = parse_training(&[
            (
                "more_runs",
                "logit-adjusted,cb-hinge,softmax@sqrt,ldam,inverse-softmax",
            ),
            ("schedule", "later"),
        ]);
        let names: Vec<String> = s.extra.iter().map(Method::name).collect();
        assert_eq!(names, ["logit-adjusted", "softmax@sqrt", "ldam"]);
        assert!(!s.drw);
        let text: Vec<String> = notices.iter().map(Message::to_string).collect();
        assert_eq!(text.len(), 3, "{text:?}");
        assert!(text[0].contains("\"later\""), "{text:?}");
        assert!(text[1].contains("\"cb-hinge\""), "{text:?}");
        assert!(
            text[2].contains("\"inverse-softmax\"") && text[2].contains('6'),
            "{text:?}"
        );
    }

    #[test]
    fn the_sweeps_seeds_and_prototypes() {
        let (s, notes) = from_query("sweep_seeds=2&sweep_k=10");
        assert_eq!(
            (s.sweep_seeds, s.sweep_data),
            (2, SweepData::Prototypes(10))
        );
        assert!(notes.is_empty());
        round_trip(&s);
        let (s, notes) = from_query("sweep_data=images");
        assert_eq!(s.sweep_data, SweepData::Images);
        assert!(notes.is_empty());
        round_trip(&s);
        // Both: the dial wins, and the link says what it dropped.
        let (s, notes) = from_query("sweep_k=10&sweep_data=images");
        assert_eq!(s.sweep_data, SweepData::Prototypes(10));
        assert_eq!(notes.len(), 1);
        for bad in [
            "sweep_k=0",
            "sweep_k=7",
            "sweep_k=ten",
            "sweep_seeds=9",
            "sweep_data=cifar",
        ] {
            let (s, notes) = from_query(bad);
            assert_eq!(s, ExplorerState::default(), "{bad}");
            assert_eq!(notes.len(), 1, "{bad}");
        }
        assert!(!to_query(&ExplorerState::default()).contains("sweep"));
    }

    #[test]
    fn the_leaderboards_seeds_are_1_to_5() {
        assert_eq!(from_query("board_seeds=5").0.board_seeds, 5);
        for bad in ["0", "6", "two", "-1"] {
            let (s, notes) = from_query(&format!("board_seeds={bad}"));
            assert_eq!(s.board_seeds, DEFAULT_BOARD_SEEDS, "{bad}");
            assert_eq!(notes.len(), 1, "{bad}");
        }
        let s = ExplorerState {
            board_seeds: 1,
            ..ExplorerState::default()
        };
        assert!(to_query(&s).contains("board_seeds=1"));
        round_trip(&s);
    }

    #[test]
    fn the_posthoc_tau_is_a_slider_step_from_0_to_2() {
        assert_eq!(from_query("posthoc_tau=1.24").0.posthoc_tau, 1.2);
        assert_eq!(from_query("posthoc_tau=0").0.posthoc_tau, 0.0);
        for bad in ["-0.1", "2.5", "NaN", "inf", "x"] {
            let (s, notes) = from_query(&format!("posthoc_tau={bad}"));
            assert_eq!(s.posthoc_tau, DEFAULT_POSTHOC_TAU, "{bad}");
            let notes = english(&notes);
            assert!(notes[0].contains("from 0 to 2"), "{bad}: {notes:?}");
        }
    }
}
