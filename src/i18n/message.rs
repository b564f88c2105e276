//! A sentence built where the reader's language is not known yet, translated
//! where it is shown; it crosses to the training worker and back as its key
//! and arguments.

use super::lang::{Lang, english_entry, placeholders, tr_with};

/// A sentence built where the reader's language is not known (the core: URL
/// parsing, input errors, run labels), shown later in the page's language: a
/// translation key and the values of its placeholders.
#[derive(Clone, Debug, PartialEq)]
pub struct Message {
    /// The translation key.
    pub key: &'static str,
    /// The value of each placeholder.
    pub args: Vec<(&'static str, Arg)>,
}

/// The value of a [`Message`]'s placeholder.
#[derive(Clone, Debug, PartialEq)]
pub enum Arg {
    /// Text shown as it is: a number, or what a user typed.
    Text(String),
    /// A phrase translated in the same language as the message around it.
    Message(Message),
}

impl Message {
    /// The message `key`, its placeholders not filled yet.
    pub fn new(key: &'static str) -> Self {
        Self {
            key,
            args: Vec::new(),
        }
    }

    /// With the placeholder `name` filled by `value` as it is.
    pub fn with(mut self, name: &'static str, value: impl ToString) -> Self {
        self.args.push((name, Arg::Text(value.to_string())));
        self
    }

    /// With the placeholder `name` filled by `message`, translated too.
    pub fn with_message(mut self, name: &'static str, message: Message) -> Self {
        self.args.push((name, Arg::Message(message)));
        self
    }

    /// The message in `lang`.
    pub fn in_lang(&self, lang: Lang) -> String {
        let args: Vec<(&str, String)> = self
            .args
            .iter()
            .map(|(name, arg)| {
                let value = match arg {
                    Arg::Text(text) => text.clone(),
                    Arg::Message(message) => message.in_lang(lang),
                };
                (*name, value)
            })
            .collect();
        let borrowed: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
        tr_with(lang, self.key, &borrowed)
    }
}

/// A message crosses to the page's training worker and back as its key and
/// arguments: the receiver finds the key, and each placeholder name, in the
/// English catalogue again, so that they stay `&'static str` without leaking.
impl serde::Serialize for Message {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let args: Vec<(&str, WireArg<'_>)> = self
            .args
            .iter()
            .map(|(name, arg)| {
                let arg = match arg {
                    Arg::Text(text) => WireArg::Text(text.into()),
                    Arg::Message(m) => WireArg::Message(m.clone()),
                };
                (*name, arg)
            })
            .collect();
        (self.key, args).serialize(serializer)
    }
}

impl<'de> serde::Deserialize<'de> for Message {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let (key, args): (String, Vec<(String, WireArg<'static>)>) =
            serde::Deserialize::deserialize(deserializer)?;
        let (key, template) = english_entry(&key)
            .ok_or_else(|| D::Error::custom(format!("no message has the key {key}")))?;
        let names = placeholders(template);
        let args =
            args.into_iter()
                .map(|(name, arg)| {
                    let name = names.get(name.as_str()).copied().ok_or_else(|| {
                        D::Error::custom(format!("{key} has no placeholder {name}"))
                    })?;
                    let arg = match arg {
                        WireArg::Text(text) => Arg::Text(text.into_owned()),
                        WireArg::Message(m) => Arg::Message(m),
                    };
                    Ok((name, arg))
                })
                .collect::<Result<_, D::Error>>()?;
        Ok(Self { key, args })
    }
}

/// [`Arg`] as it is sent.
#[derive(serde::Serialize, serde::Deserialize)]
enum WireArg<'a> {
    Text(std::borrow::Cow<'a, str>),
    Message(Message),
}

/// In English: what the command line prints, and what errors' `Display` says.
impl std::fmt::Display for Message {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.in_lang(Lang::En))
    }
}
