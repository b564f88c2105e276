//! The explorer's state as a URL query, and back. A link restores the page
//! exactly; a bad or hostile value falls back to its default and leaves a
//! notice saying so (shown as text, never as HTML).
//!
//! `?preset=cifar10-lt-100&beta=0.999&gamma=1&schemes=cb,none&scale=log`;
//! custom counts as `counts=5000,2997,50*3` (`*` repeats); a generated
//! profile as `profile=exp&classes=10&max=5000&imbalance=100`; beta close to 1
//! as `one_minus_beta=1e-8`. Every other parameter is a row of
//! [`params::PARAMS`]: its key, how it reads and how it is written, said once.

mod params;
mod values;

use crate::balance::effective_number::Beta;
use crate::data::counts_input::parse_count_list;
use crate::data::decimal::parse_f64;
use crate::data::export::decimal;
use crate::data::profiles::Profile;
use crate::i18n::Message;

use super::state::{Distribution, ExplorerState, MAX_EXPLORER_CLASSES, MIN_ONE_MINUS_BETA, Source};
use params::{PARAMS, Read};
use values::{ignored, plain, short};

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
    for param in PARAMS {
        if let Some(value) = (param.write)(state) {
            q.append_pair(param.key, &value);
        }
    }
    q.finish()
}

/// The state a query describes, and a notice for every value that was ignored.
pub fn from_query(query: &str) -> (ExplorerState, Vec<Message>) {
    let mut state = ExplorerState::default();
    let mut notices = Vec::new();
    let pairs: Vec<(String, String)> =
        form_urlencoded::parse(query.trim_start_matches('?').as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
    // The last of a repeated key counts.
    let get = |key: &str| {
        pairs
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    };
    read_counts(&get, &mut state, &mut notices);
    read_beta(&get, &mut state, &mut notices);
    for param in PARAMS {
        let Some(value) = get(param.key) else {
            continue;
        };
        match param.read {
            Read::Whole(what, read) => {
                if let Err(why) = read(&mut state, value) {
                    notices.push(ignored(what, value, why));
                }
            }
            Read::List(read) => notices.extend(read(&mut state, value)),
        }
    }
    (state, notices)
}

/// The class counts: a preset, custom counts or a generated profile, the
/// first of them the query has.
fn read_counts<'a>(
    get: &impl Fn(&str) -> Option<&'a str>,
    state: &mut ExplorerState,
    notices: &mut Vec<Message>,
) {
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
        match profile_from(kind, get).and_then(Distribution::profile) {
            Ok(d) => state.distribution = d,
            Err(why) => notices.push(ignored("notice.what.profile", kind, why)),
        }
    }
}

/// beta, as `one_minus_beta` (which wins) or `beta`.
fn read_beta<'a>(
    get: &impl Fn(&str) -> Option<&'a str>,
    state: &mut ExplorerState,
    notices: &mut Vec<Message>,
) {
    let not_a_number = || Message::new("notice.why.not_a_number");
    let read = if let Some(e) = get("one_minus_beta") {
        let beta = parse_f64(e.trim()).ok_or_else(not_a_number).and_then(|e| {
            if e < MIN_ONE_MINUS_BETA {
                Err(Message::new("notice.why.one_minus_beta_min").with("min", MIN_ONE_MINUS_BETA))
            } else {
                Beta::from_one_minus(e).map_err(|err| err.message())
            }
        });
        Some(("notice.what.one_minus_beta", e, beta))
    } else {
        get("beta").map(|b| {
            let beta = parse_f64(b.trim()).ok_or_else(not_a_number).and_then(|b| {
                let beta = Beta::new(b).map_err(|err| err.message())?;
                if beta.one_minus() < MIN_ONE_MINUS_BETA {
                    Err(Message::new("notice.why.beta_max"))
                } else {
                    Ok(beta)
                }
            });
            ("notice.what.beta", b, beta)
        })
    };
    match read {
        Some((_, _, Ok(b))) => state.beta = b,
        Some((what, value, Err(why))) => notices.push(ignored(what, value, why)),
        None => {}
    }
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
    use crate::explorer::state::ComparedScheme;
    use crate::i18n::Lang;

    pub(super) fn round_trip(state: &ExplorerState) {
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
    fn label_sets_and_what_the_panel_trains_on_round_trip() {
        let mut s = ExplorerState {
            label_sets: Some("cat,dog\n\n0 3 & <b>\nemu".to_owned()),
            multi_data: crate::explorer::state::MultiData::Mosaics,
            ..ExplorerState::default()
        };
        round_trip(&s);
        assert!(to_query(&s).contains("multi_data=mosaics"));
        // Longer label sets stay out of the link; a link with them is refused by name.
        s.label_sets = Some("a,b\n".repeat(600));
        assert!(!to_query(&s).contains("label_sets"));
        let long = format!("label_sets={}", "a".repeat(2001));
        let notes = english(&from_query(&long).1);
        assert!(notes[0].contains("2000"), "{notes:?}");
        let notes = english(&from_query("multi_data=cifar").1);
        assert!(
            notes[0].contains("toy") && notes[0].contains("mosaics"),
            "{notes:?}"
        );
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

    pub(super) fn english(notes: &[Message]) -> Vec<String> {
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
