//! The explorer's state as a URL query, and back. A link restores the page
//! exactly; a bad or hostile value falls back to its default and leaves a
//! notice saying so (shown as text, never as HTML).
//!
//! `?preset=cifar10-lt-100&beta=0.999&gamma=1&schemes=cb,none&scale=log`;
//! custom counts as `counts=5000,2997,50*3` (`*` repeats); a generated
//! profile as `profile=exp&classes=10&max=5000&imbalance=100`; beta close to 1
//! as `one_minus_beta=1e-8`.

use crate::balance::effective_number::Beta;
use crate::balance::losses::LossKind;
use crate::balance::weights::SchemeKind;
use crate::data::counts_input::parse_count_list;
use crate::data::decimal::parse_f64;
use crate::data::export::decimal;
use crate::data::profiles::Profile;
use crate::i18n::Message;
use crate::train::batches::Sampler;
use crate::train::methods::Method;
use crate::train::optimizer::OptimizerKind;

use super::state::{
    ComparedScheme, DEFAULT_BOARD_SEEDS, DEFAULT_POSTHOC_TAU, Distribution, ExplorerState,
    MAX_BOARD_SEEDS, MAX_EXPLORER_CLASSES, MAX_GAMMA, MAX_POSTHOC_TAU, MIN_ONE_MINUS_BETA,
    SWEEP_COPIES, SWEEP_PROTOTYPES, Source, SweepData,
};
use super::training::{Backend, MAX_EPOCHS, MAX_RUNS, TrainingSettings};

/// The query string (without `?`) that restores `state`.
pub fn to_query(state: &ExplorerState) -> String {
    let mut q = form_urlencoded::Serializer::new(String::new());
    match &state.distribution.source {
        Source::Preset(name) => {
            q.append_pair("preset", name);
        }
        Source::Profile(profile) => {
            let (name, classes, max, imbalance) = match *profile {
                Profile::Exponential {
                    classes,
                    max,
                    imbalance,
                } => ("exp", classes, max, Some(imbalance)),
                Profile::Step {
                    classes,
                    max,
                    imbalance,
                } => ("step", classes, max, Some(imbalance)),
                Profile::Uniform { classes, count } => ("uniform", classes, count, None),
            };
            q.append_pair("profile", name);
            q.append_pair("classes", &classes.to_string());
            q.append_pair("max", &max.to_string());
            if let Some(r) = imbalance {
                q.append_pair("imbalance", &decimal(r));
            }
        }
        Source::Custom => {
            q.append_pair("counts", &run_length(&state.distribution.counts));
        }
    }
    let e = state.beta.one_minus();
    let beta = state.beta.value();
    if 1.0 - beta == e && decimal(beta).len() <= 12 {
        q.append_pair("beta", &plain(beta));
    } else {
        q.append_pair("one_minus_beta", &decimal(e));
    }
    q.append_pair("gamma", &plain(state.gamma));
    let schemes: Vec<String> = state.schemes.iter().map(|s| s.name()).collect();
    q.append_pair("schemes", &schemes.join(","));
    q.append_pair("scale", if state.log_scale { "log" } else { "linear" });
    for (key, value) in training_pairs(&state.training) {
        q.append_pair(key, &value);
    }
    if state.posthoc_tau != DEFAULT_POSTHOC_TAU {
        q.append_pair("posthoc_tau", &plain(state.posthoc_tau));
    }
    if state.board_seeds != DEFAULT_BOARD_SEEDS {
        q.append_pair("board_seeds", &state.board_seeds.to_string());
    }
    if state.sweep_seeds != DEFAULT_BOARD_SEEDS {
        q.append_pair("sweep_seeds", &state.sweep_seeds.to_string());
    }
    match state.sweep_data {
        SweepData::Fresh => {}
        SweepData::Prototypes(k) => {
            q.append_pair("sweep_k", &k.to_string());
        }
        SweepData::Copies(r) => {
            q.append_pair("sweep_copies", &r.to_string());
        }
        SweepData::Images => {
            q.append_pair("sweep_data", "images");
        }
    }
    q.finish()
}

/// 0.999 rather than 0.999, 1 rather than 1.0.
fn plain(x: f64) -> String {
    let d = decimal(x);
    d.strip_suffix(".0").map(str::to_owned).unwrap_or(d)
}

/// Counts with runs written as `value*times`.
fn run_length(counts: &[u64]) -> String {
    let mut parts = Vec::new();
    let mut i = 0;
    while i < counts.len() {
        let run = counts[i..].iter().take_while(|&&c| c == counts[i]).count();
        parts.push(if run > 2 {
            format!("{}*{run}", counts[i])
        } else {
            vec![counts[i].to_string(); run].join(",")
        });
        i += run;
    }
    parts.join(",")
}

/// Expands `value*times` runs, refusing more than the explorer's class limit.
fn expand_runs(text: &str) -> Result<String, Message> {
    let mut out = Vec::new();
    for item in text.split(',') {
        let (value, times) = match item.split_once('*') {
            Some((v, t)) => (
                v,
                t.trim()
                    .parse::<usize>()
                    .map_err(|_| Message::new("notice.why.repeat_count").with("text", short(t)))?,
            ),
            None => (item, 1),
        };
        if out.len() + times > MAX_EXPLORER_CLASSES {
            return Err(
                Message::new("notice.why.too_many_classes").with("max", MAX_EXPLORER_CLASSES)
            );
        }
        out.extend(std::iter::repeat_n(value.trim(), times));
    }
    Ok(out.join(","))
}

/// At most 40 characters of a user's value, for a notice.
fn short(s: &str) -> String {
    let mut out: String = s.chars().take(40).collect();
    if s.chars().count() > 40 {
        out.push('…');
    }
    out
}

/// The notice for a link's value that was ignored: `what` it was, the
/// `value` (cut short) and `why`.
pub(crate) fn ignored(what: &'static str, value: &str, why: Message) -> Message {
    Message::new("notice.link_ignored")
        .with_message("what", Message::new(what))
        .with("value", short(value))
        .with_message("why", why)
}

/// The state a query describes, and a notice for every value that was ignored.
pub fn from_query(query: &str) -> (ExplorerState, Vec<Message>) {
    let mut state = ExplorerState::default();
    let mut notices = Vec::new();
    let pairs: Vec<(String, String)> =
        form_urlencoded::parse(query.trim_start_matches('?').as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
    let get = |key: &str| {
        pairs
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    };

    if let Some(name) = get("preset") {
        match Distribution::preset(name) {
            Some(d) => state.distribution = d,
            None => notices.push(ignored(
                "notice.what.preset",
                name,
                Message::new("notice.why.no_preset"),
            )),
        }
    } else if let Some(counts) = get("counts") {
        let parsed = expand_runs(counts)
            .and_then(|list| parse_count_list(&list).map_err(|e| e.message()))
            .and_then(|p| Distribution::custom(p.counts, None));
        match parsed {
            Ok(d) => state.distribution = d,
            Err(why) => notices.push(ignored("notice.what.counts", counts, why)),
        }
    } else if let Some(kind) = get("profile") {
        match profile_from(kind, &get).and_then(Distribution::profile) {
            Ok(d) => state.distribution = d,
            Err(why) => notices.push(ignored("notice.what.profile", kind, why)),
        }
    }

    let beta = if let Some(e) = get("one_minus_beta") {
        Some((
            "notice.what.one_minus_beta",
            e,
            parse_f64(e.trim())
                .ok_or_else(|| Message::new("notice.why.not_a_number"))
                .and_then(|e| {
                    if e < MIN_ONE_MINUS_BETA {
                        Err(Message::new("notice.why.one_minus_beta_min")
                            .with("min", MIN_ONE_MINUS_BETA))
                    } else {
                        Beta::from_one_minus(e).map_err(|err| err.message())
                    }
                }),
        ))
    } else {
        get("beta").map(|b| {
            (
                "notice.what.beta",
                b,
                parse_f64(b.trim())
                    .ok_or_else(|| Message::new("notice.why.not_a_number"))
                    .and_then(|b| {
                        let beta = Beta::new(b).map_err(|err| err.message())?;
                        if beta.one_minus() < MIN_ONE_MINUS_BETA {
                            Err(Message::new("notice.why.beta_max"))
                        } else {
                            Ok(beta)
                        }
                    }),
            )
        })
    };
    match beta {
        Some((_, _, Ok(b))) => state.beta = b,
        Some((what, value, Err(why))) => notices.push(ignored(what, value, why)),
        None => {}
    }

    if let Some(g) = get("gamma") {
        match parse_f64(g.trim()) {
            Some(v) if (0.0..=MAX_GAMMA).contains(&v) => state.gamma = v,
            _ => notices.push(ignored(
                "notice.what.gamma",
                g,
                Message::new("notice.why.gamma").with("max", MAX_GAMMA),
            )),
        }
    }

    if let Some(t) = get("posthoc_tau") {
        match parse_f64(t.trim()) {
            // The slider's steps of 0.1.
            Some(v) if (0.0..=MAX_POSTHOC_TAU).contains(&v) => {
                state.posthoc_tau = (v * 10.0).round() / 10.0;
            }
            _ => notices.push(ignored(
                "notice.what.posthoc_tau",
                t,
                Message::new("notice.why.posthoc_tau").with("max", MAX_POSTHOC_TAU),
            )),
        }
    }

    if let Some(v) = get("board_seeds") {
        match v.trim().parse::<u64>() {
            Ok(n) if (1..=MAX_BOARD_SEEDS).contains(&n) => state.board_seeds = n,
            _ => notices.push(ignored(
                "notice.what.board_seeds",
                v,
                Message::new("notice.why.board_seeds").with("max", MAX_BOARD_SEEDS),
            )),
        }
    }

    if let Some(v) = get("sweep_seeds") {
        match v.trim().parse::<u64>() {
            Ok(n) if (1..=MAX_BOARD_SEEDS).contains(&n) => state.sweep_seeds = n,
            _ => notices.push(ignored(
                "notice.what.sweep_seeds",
                v,
                Message::new("notice.why.board_seeds").with("max", MAX_BOARD_SEEDS),
            )),
        }
    }

    if let Some(v) = get("sweep_k") {
        match v.trim().parse::<u32>() {
            Ok(k) if SWEEP_PROTOTYPES.contains(&k) => state.sweep_data = SweepData::Prototypes(k),
            _ => notices.push(ignored(
                "notice.what.sweep_k",
                v,
                Message::new("notice.why.sweep_k").with(
                    "choices",
                    SWEEP_PROTOTYPES.map(|k| k.to_string()).join(", "),
                ),
            )),
        }
    }

    if let Some(v) = get("sweep_copies") {
        match v.trim().parse::<u32>() {
            Ok(r) if SWEEP_COPIES.contains(&r) && state.sweep_data == SweepData::Fresh => {
                state.sweep_data = SweepData::Copies(r)
            }
            Ok(r) if SWEEP_COPIES.contains(&r) => notices.push(ignored(
                "notice.what.sweep_copies",
                v,
                Message::new("notice.why.sweep_data_and_k"),
            )),
            _ => notices.push(ignored(
                "notice.what.sweep_copies",
                v,
                Message::new("notice.why.sweep_k")
                    .with("choices", SWEEP_COPIES.map(|r| r.to_string()).join(", ")),
            )),
        }
    }

    if let Some(v) = get("sweep_data") {
        match v.trim() {
            "images" if state.sweep_data == SweepData::Fresh => {
                state.sweep_data = SweepData::Images
            }
            "images" => notices.push(ignored(
                "notice.what.sweep_data",
                v,
                Message::new("notice.why.sweep_data_and_k"),
            )),
            _ => notices.push(ignored(
                "notice.what.sweep_data",
                v,
                Message::new("notice.why.sweep_data"),
            )),
        }
    }

    if let Some(list) = get("schemes") {
        let mut schemes = Vec::new();
        for name in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            match ComparedScheme::from_name(name) {
                Some(s) if !schemes.contains(&s) => schemes.push(s),
                Some(_) => {}
                None => {
                    notices.push(Message::new("notice.unknown_scheme").with("value", short(name)))
                }
            }
        }
        state.schemes = ComparedScheme::in_order(&schemes);
    }

    match get("scale") {
        Some("log") => state.log_scale = true,
        Some("linear") => state.log_scale = false,
        Some(other) => notices.push(ignored(
            "notice.what.scale",
            other,
            Message::new("notice.why.scale"),
        )),
        None => {}
    }
    state.training = training_from_pairs(&get, &mut notices);
    (state, notices)
}

/// The URL's pairs for the training settings that differ from the defaults.
fn training_pairs(settings: &TrainingSettings) -> Vec<(&'static str, String)> {
    let d = TrainingSettings::default();
    let mut pairs = Vec::new();
    if settings.loss != d.loss {
        pairs.push(("train_loss", settings.loss.name().to_owned()));
    }
    if settings.scheme != d.scheme {
        pairs.push(("train_scheme", settings.scheme.name().to_owned()));
    }
    if settings.optimizer != d.optimizer {
        pairs.push(("optimizer", settings.optimizer.name().to_owned()));
    }
    if settings.learning_rate != d.learning_rate {
        pairs.push(("lr", settings.learning_rate.to_string()));
    }
    if settings.hidden != d.hidden {
        pairs.push(("hidden", settings.hidden.to_string()));
    }
    if settings.epochs != d.epochs {
        pairs.push(("epochs", settings.epochs.to_string()));
    }
    if settings.seed != d.seed {
        pairs.push(("seed", settings.seed.to_string()));
    }
    if settings.backend != d.backend {
        pairs.push(("backend", settings.backend.name().to_owned()));
    }
    if settings.sampler != d.sampler {
        pairs.push(("sampler", settings.sampler.name().to_owned()));
    }
    if settings.drw {
        pairs.push(("schedule", "drw".to_owned()));
    }
    if !settings.extra.is_empty() {
        let names: Vec<String> = settings.extra.iter().map(Method::name).collect();
        pairs.push(("more_runs", names.join(",")));
    }
    pairs
}

/// Training settings from a URL's values (`get` looks a key up); bad values
/// keep the default and say why in `notices`.
fn training_from_pairs<'a>(
    get: &impl Fn(&str) -> Option<&'a str>,
    notices: &mut Vec<Message>,
) -> TrainingSettings {
    let mut s = TrainingSettings::default();
    let mut bad = |what: &'static str, value: &str, why: Message| {
        notices.push(ignored(what, value, why));
    };
    if let Some(v) = get("train_loss") {
        match LossKind::from_name(v) {
            Some(k) => s.loss = k,
            None => bad("notice.what.loss", v, Message::new("notice.why.loss")),
        }
    }
    if let Some(v) = get("train_scheme") {
        match SchemeKind::ALL.into_iter().find(|k| k.name() == v) {
            Some(k) => s.scheme = k,
            None => bad("notice.what.scheme", v, Message::new("notice.why.scheme")),
        }
    }
    if let Some(v) = get("optimizer") {
        match v {
            "adam" => s.optimizer = OptimizerKind::ADAM,
            "sgd" => s.optimizer = OptimizerKind::SGD,
            _ => bad(
                "notice.what.optimizer",
                v,
                Message::new("notice.why.optimizer"),
            ),
        }
    }
    if let Some(v) = get("lr") {
        match parse_f64(v.trim()) {
            Some(r) if r.is_finite() && r > 0.0 && r <= 1.0 => s.learning_rate = r,
            _ => bad("notice.what.lr", v, Message::new("notice.why.lr")),
        }
    }
    if let Some(v) = get("hidden") {
        match v.trim().parse::<usize>() {
            Ok(h) if (1..=256).contains(&h) => s.hidden = h,
            _ => bad("notice.what.hidden", v, Message::new("notice.why.hidden")),
        }
    }
    if let Some(v) = get("epochs") {
        match v.trim().parse::<usize>() {
            Ok(e) if (1..=MAX_EPOCHS).contains(&e) => s.epochs = e,
            _ => bad(
                "notice.what.epochs",
                v,
                Message::new("notice.why.epochs").with("max", MAX_EPOCHS),
            ),
        }
    }
    if let Some(v) = get("seed") {
        match v.trim().parse::<u64>() {
            Ok(seed) => s.seed = seed,
            _ => bad("notice.what.seed", v, Message::new("notice.why.seed")),
        }
    }
    if let Some(v) = get("backend") {
        match Backend::from_name(v) {
            Some(b) => s.backend = b,
            None => bad("notice.what.backend", v, Message::new("notice.why.backend")),
        }
    }
    if let Some(v) = get("sampler") {
        match Sampler::from_name(v) {
            Some(sampler) => s.sampler = sampler,
            None => bad("notice.what.sampler", v, Message::new("notice.why.sampler")),
        }
    }
    if let Some(v) = get("schedule") {
        match v {
            "drw" => s.drw = true,
            "none" => s.drw = false,
            _ => bad(
                "notice.what.schedule",
                v,
                Message::new("notice.why.schedule"),
            ),
        }
    }
    if let Some(v) = get("more_runs") {
        // Each name on its own: a bad one is left out, the good ones stay. A
        // `+` typed into a link arrives as a space.
        for name in v.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            match Method::parse(&name.replace(' ', "+")) {
                Ok(_) if s.extra.len() + 3 >= MAX_RUNS => {
                    bad(
                        "notice.what.runs",
                        name,
                        Message::new("notice.why.runs_max").with("max", MAX_RUNS),
                    );
                    break;
                }
                // Post-hoc adjustment is the tau slider's: no control would show it.
                Ok(m) if m.posthoc => bad(
                    "notice.what.runs",
                    name,
                    Message::new("notice.why.runs_posthoc"),
                ),
                Ok(m) => s.extra.push(m),
                Err(_) => bad("notice.what.runs", name, Message::new("notice.why.runs")),
            }
        }
    }
    s
}

fn profile_from<'a>(
    kind: &str,
    get: &impl Fn(&str) -> Option<&'a str>,
) -> Result<Profile, Message> {
    let number = |key: &str| -> Result<f64, Message> {
        let text = get(key).ok_or_else(|| Message::new("notice.why.missing").with("key", key))?;
        parse_f64(text.trim()).ok_or_else(|| {
            Message::new("notice.why.key_not_a_number")
                .with("key", key)
                .with("text", short(text))
        })
    };
    let whole = |key: &str| -> Result<u64, Message> {
        let v = number(key)?;
        if v >= 0.0 && v.fract() == 0.0 && v <= 1e12 {
            Ok(v as u64)
        } else {
            Err(Message::new("notice.why.not_whole").with("key", key))
        }
    };
    let classes = whole("classes")? as usize;
    let max = whole("max")?;
    match kind {
        "exp" => Ok(Profile::Exponential {
            classes,
            max,
            imbalance: number("imbalance")?,
        }),
        "step" => Ok(Profile::Step {
            classes,
            max,
            imbalance: number("imbalance")?,
        }),
        "uniform" => Ok(Profile::Uniform {
            classes,
            count: max,
        }),
        _ => Err(Message::new("notice.why.profiles")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    fn parse_training(pairs: &[(&str, &str)]) -> (TrainingSettings, Vec<Message>) {
        let get = |k: &str| pairs.iter().find(|(key, _)| *key == k).map(|(_, v)| *v);
        let mut notices = Vec::new();
        (training_from_pairs(&get, &mut notices), notices)
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

    fn round_trip(state: &ExplorerState) {
        let q = to_query(state);
        let (back, notices) = from_query(&q);
        assert!(notices.is_empty(), "{q}: {notices:?}");
        assert_eq!(&back, state, "{q}");
    }

    #[test]
    fn default_and_edited_states_round_trip() {
        let mut s = ExplorerState::default();
        round_trip(&s);
        assert_eq!(
            to_query(&s),
            "preset=cifar10-lt-100&beta=0.999&gamma=1&schemes=cb%2Cnone%2Cinverse%2Csqrt-inverse&scale=log"
        );
        s.beta = Beta::from_one_minus(1e-8).unwrap();
        s.gamma = 0.5;
        s.log_scale = false;
        s.schemes = vec![ComparedScheme::CbPaper(2), ComparedScheme::Balanced];
        s.distribution = Distribution::custom(vec![7, 7, 7, 0, 1, 1_000_000_000], None).unwrap();
        round_trip(&s);
        assert!(to_query(&s).contains("counts=7*3%2C0%2C1%2C1000000000"));
        s.distribution = Distribution::profile(Profile::Step {
            classes: 7,
            max: 300,
            imbalance: 12.5,
        })
        .unwrap();
        round_trip(&s);
        s.distribution = Distribution::profile(Profile::Uniform {
            classes: 3,
            count: 4,
        })
        .unwrap();
        round_trip(&s);
        s.beta = Beta::ZERO;
        s.schemes.clear();
        round_trip(&s);
        s.posthoc_tau = 0.3;
        round_trip(&s);
        assert!(to_query(&s).contains("posthoc_tau=0.3"));
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

    #[test]
    fn ten_thousand_classes_round_trip() {
        let mut s = ExplorerState::default();
        let counts: Vec<u64> = (0..10_000u64).map(|i| 1 + i % 97).collect();
        s.distribution = Distribution::custom(counts, None).unwrap();
        round_trip(&s);
    }

    #[test]
    fn bad_values_fall_back_with_notices() {
        let (s, notes) = from_query("preset=nope&beta=1.5&gamma=9&schemes=cb,evil&scale=huge");
        assert_eq!(
            s,
            ExplorerState {
                schemes: vec![ComparedScheme::Cb],
                ..ExplorerState::default()
            }
        );
        assert_eq!(notes.len(), 5, "{notes:?}");
        let notes = english(&notes);
        assert!(notes[0].contains("preset \"nope\""));
        let (s, notes) = from_query("counts=1,2,x&one_minus_beta=0");
        let notes = english(&notes);
        assert_eq!(s.distribution, ExplorerState::default().distribution);
        assert!(notes[0].contains("line 1, column 5"), "{notes:?}");
        assert!(notes[1].contains("1 - beta"));
        let notes = english(&from_query("counts=1*99999999999").1);
        assert!(notes[0].contains("10000 classes"), "{notes:?}");
        let notes = english(&from_query("beta=0.999999999").1);
        assert!(notes[0].contains("at most 0.99999999"));
        let notes = english(&from_query("profile=exp&classes=1&max=10&imbalance=2").1);
        assert!(notes[0].contains("number of classes"));
    }

    fn english(notes: &[Message]) -> Vec<String> {
        notes.iter().map(|n| n.in_lang(Lang::En)).collect()
    }

    #[test]
    fn notices_speak_the_pages_language() {
        let (_, notes) = from_query("beta=7&counts=1,2,x&schemes=evil");
        let zh: Vec<String> = notes.iter().map(|n| n.in_lang(Lang::ZhCn)).collect();
        assert_eq!(
            zh[0],
            "链接中的样本数“1,2,x”已被忽略（第 1 行第 5 列：“x”不是数字）；改为显示默认值。"
        );
        assert_eq!(
            zh[1],
            "链接中的参数 beta“7”已被忽略（beta 必须满足 0 <= beta < 1，得到的是 7）；改为显示默认值。"
        );
        assert_eq!(zh[2], "链接中的加权方案“evil”未知，已被忽略。");
        assert_eq!(
            notes[1].to_string(),
            "The link's beta \"7\" was ignored (beta must satisfy 0 <= beta < 1, got 7); showing the default instead."
        );
    }

    #[test]
    fn hostile_text_is_kept_as_text_and_cut_short() {
        let evil = "<img src=x onerror=alert(1)>".repeat(5);
        let query = form_urlencoded::Serializer::new(String::new())
            .append_pair("preset", &evil)
            .finish();
        let notes = english(&from_query(&query).1);
        assert!(notes[0].contains("<img src=x onerror=alert(1)>"));
        assert!(notes[0].contains('…'));
        assert!(notes[0].len() < 200);
    }

    #[test]
    fn edge_betas() {
        let (s, notes) = from_query("beta=0");
        assert!(notes.is_empty());
        assert_eq!(s.beta, Beta::ZERO);
        let (s, notes) = from_query("one_minus_beta=1e-8");
        assert!(notes.is_empty());
        assert_eq!(s.beta.one_minus(), 1e-8);
        let (s, _) = from_query("beta=0.99999999");
        assert!((s.beta.one_minus() - 1e-8).abs() < 1e-15);
    }
}
