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
