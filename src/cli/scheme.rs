//! `--scheme`, as `cblab weights` and `cblab train` take it: the core's
//! names ([`SchemeKind::name`]), so the CLI lists every scheme there is.

use clap::builder::{PossibleValuesParser, TypedValueParser};

use crate::balance::weights::SchemeKind;

/// Parses a scheme's name into its kind; clap lists the names in `--help`
/// and in the error for any other.
pub(super) fn scheme_parser() -> impl TypedValueParser<Value = SchemeKind> {
    PossibleValuesParser::new(SchemeKind::ALL.map(SchemeKind::name))
        .map(|name| SchemeKind::from_name(&name).expect("one of the possible values"))
}

/// `cblab weights --scheme`: a loss weighting, or LVIS's repeat factor (a
/// sampling factor, which only `weights` prints).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum WeightRule {
    /// Per-class loss weights.
    Scheme(SchemeKind),
    /// Per-class repeat factors for sampling.
    RepeatFactor,
}

/// The repeat factor's name on the command line.
pub(super) const REPEAT_FACTOR: &str = "repeat-factor";

/// Parses a loss weighting's name or `repeat-factor`.
pub(super) fn weight_rule_parser() -> impl TypedValueParser<Value = WeightRule> {
    let names = SchemeKind::ALL.map(SchemeKind::name);
    PossibleValuesParser::new(names.into_iter().chain([REPEAT_FACTOR])).map(|name| {
        SchemeKind::from_name(&name).map_or(WeightRule::RepeatFactor, WeightRule::Scheme)
    })
}
