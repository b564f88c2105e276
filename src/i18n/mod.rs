//! The site's languages and their strings: English and Simplified Chinese,
//! each a flat JSON file of `key -> string` in `locales/`, embedded at build
//! time. `{name}` in a string is a placeholder that [`tr_with`] fills.
//!
//! A key missing from a language falls back to English, then to the key
//! itself, so a slip shows up as visible text rather than a crash; the tests
//! tests make sure both files hold exactly the same keys and placeholders.
//!
//! [`lang`]: the languages, their strings and the lookup; [`catalog`]: a
//! language's file, parsed; [`message`]: a sentence to translate later.

mod catalog;
mod lang;
mod message;

pub use lang::{Lang, Strings, fill, install_strings, placeholders, tr, tr_with};
pub use message::{Arg, Message};
