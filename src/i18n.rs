//! The site's languages and their strings: English and Simplified Chinese,
//! each a flat JSON file of `key -> string` in `locales/`, embedded at build
//! time. `{name}` in a string is a placeholder that [`tr_with`] fills.
//!
//! A key missing from a language falls back to English, then to the key
//! itself, so a slip shows up as visible text rather than a crash; the tests
//! below make sure both files hold exactly the same keys and placeholders.

use std::collections::{BTreeSet, HashMap};
use std::sync::OnceLock;

/// A language the site speaks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    /// English, the default.
    #[default]
    En,
    /// Simplified Chinese.
    ZhCn,
}

impl Lang {
    /// Every language, in the order the switcher lists them.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::ZhCn];

    /// The BCP 47 tag, as in the URL (`lang=zh-CN`) and in `<html lang>`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::ZhCn => "zh-CN",
        }
    }

    /// The language with this tag (case-insensitive; `zh` and `zh-Hans` mean Simplified Chinese).
    pub fn from_code(code: &str) -> Option<Lang> {
        match code.trim().to_ascii_lowercase().as_str() {
            "en" | "en-us" | "en-gb" => Some(Lang::En),
            "zh-cn" | "zh" | "zh-hans" | "zh-hans-cn" => Some(Lang::ZhCn),
            _ => None,
        }
    }

    /// The language's name in itself, for the switcher.
    pub fn native_name(self) -> &'static str {
        tr(self, "lang.native_name")
    }

    fn source(self) -> &'static str {
        match self {
            Lang::En => include_str!("../locales/en.json"),
            Lang::ZhCn => include_str!("../locales/zh-CN.json"),
        }
    }

    /// The language's strings, parsed once.
    fn catalog(self) -> &'static HashMap<String, String> {
        static EN: OnceLock<HashMap<String, String>> = OnceLock::new();
        static ZH: OnceLock<HashMap<String, String>> = OnceLock::new();
        let cell = match self {
            Lang::En => &EN,
            Lang::ZhCn => &ZH,
        };
        cell.get_or_init(|| {
            serde_json::from_str(self.source())
                .expect("the translation files are checked by the tests below")
        })
    }
}

/// The string `key` in `lang`: English when `lang` lacks it, the key itself when both do.
pub fn tr(lang: Lang, key: &str) -> &'static str {
    if let Some(s) = lang.catalog().get(key) {
        return s;
    }
    match Lang::En.catalog().get_key_value(key) {
        Some((_, s)) => s,
        // Leaked once per unknown key: a bug the tests are there to catch, kept visible.
        None => Box::leak(key.to_owned().into_boxed_str()),
    }
}

/// The string `key` in `lang` with every `{name}` replaced by its value in `args`.
/// Placeholders without a value are left as they are.
pub fn tr_with(lang: Lang, key: &str, args: &[(&str, &str)]) -> String {
    fill(tr(lang, key), args)
}

/// `template` with every `{name}` replaced by its value in `args` (in one pass, so a
/// value that itself holds `{...}` is kept as text).
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match args.iter().find(|(k, _)| *k == name) {
                    Some((_, v)) => out.push_str(v),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// The placeholder names in a string: `{beta}` gives `beta`.
pub fn placeholders(s: &str) -> BTreeSet<&str> {
    let mut names = BTreeSet::new();
    let mut rest = s;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        names.insert(&after[..close]);
        rest = &after[close + 1..];
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_files_have_the_same_keys_and_placeholders_and_no_empty_value() {
        let en = Lang::En.catalog();
        let zh = Lang::ZhCn.catalog();
        let en_keys: BTreeSet<&String> = en.keys().collect();
        let zh_keys: BTreeSet<&String> = zh.keys().collect();
        let only_en: Vec<_> = en_keys.difference(&zh_keys).collect();
        let only_zh: Vec<_> = zh_keys.difference(&en_keys).collect();
        assert!(
            only_en.is_empty(),
            "keys missing from zh-CN.json: {only_en:?}"
        );
        assert!(only_zh.is_empty(), "keys missing from en.json: {only_zh:?}");
        for (key, value) in en {
            assert!(!value.trim().is_empty(), "en.json: {key} is empty");
            assert!(!zh[key].trim().is_empty(), "zh-CN.json: {key} is empty");
            assert_eq!(
                placeholders(value),
                placeholders(&zh[key]),
                "{key}: the two files use different placeholders"
            );
        }
    }

    #[test]
    fn files_parse_as_flat_string_maps_without_duplicate_keys() {
        for lang in Lang::ALL {
            // serde_json keeps the last of two equal keys: count the entries in the
            // raw text, which holds one `"key": "value"` per line.
            let raw: serde_json::Value = serde_json::from_str(lang.source()).unwrap();
            let object = raw.as_object().expect("a flat JSON object");
            let keys_in_text = lang
                .source()
                .lines()
                .filter(|l| l.trim_start().starts_with('"'))
                .count();
            assert_eq!(
                object.len(),
                keys_in_text,
                "{}: a key is repeated",
                lang.code()
            );
            assert!(object.values().all(|v| v.is_string()), "{}", lang.code());
        }
    }

    #[test]
    fn lookup_fills_placeholders_and_falls_back() {
        assert_eq!(tr(Lang::En, "lang.native_name"), "English");
        assert_eq!(tr(Lang::ZhCn, "lang.native_name"), "简体中文");
        assert_eq!(tr(Lang::ZhCn, "no.such.key"), "no.such.key");
        assert_eq!(
            fill("a {x} b {y} {z}", &[("x", "1"), ("y", "{z}")]),
            "a 1 b {z} {z}"
        );
        assert_eq!(fill("open { brace", &[]), "open { brace");
        assert_eq!(
            placeholders("{a} and {b} and {a}")
                .into_iter()
                .collect::<Vec<_>>(),
            ["a", "b"]
        );
    }

    /// Every key the site's code names (a string literal like `"lesson.x.y"`
    /// with a known prefix) is in the files.
    #[test]
    fn every_key_the_site_uses_exists() {
        const PREFIXES: [&str; 14] = [
            "lang.",
            "shell.",
            "notice.",
            "lesson.",
            "coverage.",
            "induction.",
            "present.",
            "figure.",
            "figures.",
            "table.",
            "export.",
            "controls.",
            "editor.",
            "math.",
        ];
        fn visit(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    visit(&path, out);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    out.push(path);
                }
            }
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = vec![root.join("src/lesson.rs")];
        visit(&root.join("src/site"), &mut files);
        let en = Lang::En.catalog();
        let mut used = 0;
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            for literal in text.split('"').skip(1).step_by(2) {
                let is_key = PREFIXES.iter().any(|p| literal.starts_with(p))
                    && literal
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c));
                if is_key {
                    used += 1;
                    assert!(
                        en.contains_key(literal),
                        "{}: {literal} is not in en.json",
                        file.display()
                    );
                }
            }
        }
        assert!(used > 100, "only {used} keys found: the scan is broken");
    }

    #[test]
    fn codes_round_trip() {
        for lang in Lang::ALL {
            assert_eq!(Lang::from_code(lang.code()), Some(lang));
        }
        assert_eq!(Lang::from_code("ZH-cn"), Some(Lang::ZhCn));
        assert_eq!(Lang::from_code("fr"), None);
    }
}
