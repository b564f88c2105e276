//! Values in a link: numbers as people write them, and the notice for a value
//! that was ignored (quoted as text, cut short).

use std::ops::RangeInclusive;
use std::str::FromStr;

use crate::data::decimal::parse_f64;
use crate::data::export::decimal;
use crate::i18n::Message;

/// 0.999 rather than 0.999, 1 rather than 1.0.
pub(super) fn plain(x: f64) -> String {
    let d = decimal(x);
    d.strip_suffix(".0").map(str::to_owned).unwrap_or(d)
}

/// At most 40 characters of a user's value, for a notice.
pub(super) fn short(s: &str) -> String {
    let mut out: String = s.chars().take(40).collect();
    if s.chars().count() > 40 {
        out.push('…');
    }
    out
}

/// The notice for a link's value that was ignored: `what` it was, the
/// `value` (cut short) and `why`.
pub(super) fn ignored(what: &'static str, value: &str, why: Message) -> Message {
    Message::new("notice.link_ignored")
        .with_message("what", Message::new(what))
        .with("value", short(value))
        .with_message("why", why)
}

/// A decimal number within `range`, or why not.
pub(super) fn number_in(
    text: &str,
    range: RangeInclusive<f64>,
    why: impl Fn() -> Message,
) -> Result<f64, Message> {
    parse_f64(text.trim())
        .filter(|v| range.contains(v))
        .ok_or_else(why)
}

/// A whole number within `range`, or why not.
pub(super) fn whole_in<T: FromStr + PartialOrd>(
    text: &str,
    range: RangeInclusive<T>,
    why: impl Fn() -> Message,
) -> Result<T, Message> {
    text.trim()
        .parse::<T>()
        .ok()
        .filter(|v| range.contains(v))
        .ok_or_else(why)
}

/// A name that was found, or the reason `why` (a translation key).
pub(super) fn named<T>(found: Option<T>, why: &'static str) -> Result<T, Message> {
    found.ok_or_else(|| Message::new(why))
}
