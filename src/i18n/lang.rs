//! The site's languages: which there are, their strings (built in, or
//! fetched by the page and installed), and a string's lookup with its
//! placeholders filled. A key missing from a language falls back to English,
//! then to the key itself.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use super::catalog::Catalog;

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

    /// The language's name in itself, for the switcher: the same in every
    /// language, so it is here before the language's file is (a test checks
    /// it against the file).
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::ZhCn => "简体中文",
        }
    }

    /// The language's file, where it is built in. The site's wasm builds in
    /// English only: the Chinese file is fetched when a reader asks for it
    /// ([`Lang::install`]), which keeps about 16 kB (gzipped) out of the first load;
    /// the worker never shows text. Natively (the tool, the tests) both are in.
    fn source(self) -> Option<&'static str> {
        match self {
            Lang::En => Some(include_str!("../../locales/en.json")),
            #[cfg(not(target_arch = "wasm32"))]
            Lang::ZhCn => Some(include_str!("../../locales/zh-CN.json")),
            #[cfg(target_arch = "wasm32")]
            Lang::ZhCn => None,
        }
    }

    /// Where the site serves the language's file (index.html copies `locales/`).
    pub fn url(self) -> String {
        format!("locales/{}.json", self.code())
    }

    fn cell(self) -> &'static OnceLock<Catalog> {
        static EN: OnceLock<Catalog> = OnceLock::new();
        static ZH: OnceLock<Catalog> = OnceLock::new();
        match self {
            Lang::En => &EN,
            Lang::ZhCn => &ZH,
        }
    }

    /// The language's strings, parsed once; `None` for a language not built
    /// in and not installed yet. Natively, English holds the panels' strings too.
    fn catalog(self) -> Option<&'static Catalog> {
        let cell = self.cell();
        if let Some(catalog) = cell.get() {
            return Some(catalog);
        }
        let source = self.source()?;
        Some(cell.get_or_init(|| {
            let checked = "the translation files are checked by the tests below";
            let catalog = Catalog::parse(source).expect(checked);
            #[cfg(not(target_arch = "wasm32"))]
            let catalog = match self {
                Lang::En => Strings::ALL.iter().fold(catalog, |all, strings| {
                    all.merged(Catalog::parse(strings.source()).expect(checked))
                        .expect(checked)
                }),
                Lang::ZhCn => catalog,
            };
            catalog
        }))
    }

    /// Whether the language's strings are here (built in or installed).
    pub fn is_ready(self) -> bool {
        self.catalog().is_some()
    }

    /// Installs the language's strings from its file's text, fetched by the
    /// page; a file that does not parse, or lacks a key of the English one,
    /// is refused (why, in English: it is the site's fault, not the reader's).
    pub fn install(self, source: &str) -> Result<(), String> {
        if self.is_ready() {
            return Ok(());
        }
        let catalog = Catalog::parse(source)?;
        if let Some(missing) = catalog.missing_key(english()) {
            return Err(format!("{} lacks the key {missing}", self.url()));
        }
        let _ = self.cell().set(catalog);
        Ok(())
    }
}

/// The English strings, always built in.
fn english() -> &'static Catalog {
    Lang::En.catalog().expect("English is built in")
}

/// English strings that travel with a wasm chunk of the page rather than its
/// first load (issue 12, issue 31): the site's wasm builds each into its
/// chunk, which installs it when it arrives ([`install_strings`]). Natively
/// they are part of English from the start. The Chinese file holds every
/// key: it is fetched whole when a reader asks for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Strings {
    /// `locales/en.panels.json`: what only the training panels show
    /// (src/site/training/, in the training chunk).
    Panels,
    /// `locales/en.lesson.json`: the lesson's sections, its figures' words
    /// and presentation mode (src/site/lesson/, in the lesson chunk).
    Lesson,
}

impl Strings {
    const ALL: [Strings; 2] = [Strings::Panels, Strings::Lesson];

    fn source(self) -> &'static str {
        match self {
            Strings::Panels => include_str!("../../locales/en.panels.json"),
            Strings::Lesson => include_str!("../../locales/en.lesson.json"),
        }
    }

    #[cfg(target_arch = "wasm32")]
    fn cell(self) -> &'static OnceLock<Catalog> {
        static PANELS: OnceLock<Catalog> = OnceLock::new();
        static LESSON: OnceLock<Catalog> = OnceLock::new();
        match self {
            Strings::Panels => &PANELS,
            Strings::Lesson => &LESSON,
        }
    }
}

/// Adds a chunk's English strings (the site calls it where the chunk
/// begins, src/site/deferred.rs; natively they are built in).
pub fn install_strings(strings: Strings) {
    #[cfg(target_arch = "wasm32")]
    strings.cell().get_or_init(|| {
        Catalog::parse(strings.source())
            .expect("the translation files are checked by the tests below")
    });
    #[cfg(not(target_arch = "wasm32"))]
    let _ = strings;
}

/// English's own copy of `key` and its string: the first load's strings,
/// then those of the chunks that are here.
pub(super) fn english_entry(key: &str) -> Option<(&'static str, &'static str)> {
    if let Some(entry) = english().entry(key) {
        return Some(entry);
    }
    #[cfg(target_arch = "wasm32")]
    for strings in Strings::ALL {
        if let Some(entry) = strings.cell().get().and_then(|c| c.entry(key)) {
            return Some(entry);
        }
    }
    None
}

/// The string `key` in `lang`: English when `lang` lacks it, the key itself when both do.
pub fn tr(lang: Lang, key: &str) -> &'static str {
    if let Some(s) = lang.catalog().and_then(|c| c.get(key)) {
        return s;
    }
    match english_entry(key) {
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
        let en = english();
        let zh = Lang::ZhCn.catalog().unwrap();
        let en_keys: BTreeSet<&str> = en.keys().collect();
        let zh_keys: BTreeSet<&str> = zh.keys().collect();
        let only_en: Vec<_> = en_keys.difference(&zh_keys).collect();
        let only_zh: Vec<_> = zh_keys.difference(&en_keys).collect();
        assert!(
            only_en.is_empty(),
            "keys missing from zh-CN.json: {only_en:?}"
        );
        assert!(only_zh.is_empty(), "keys missing from en.json: {only_zh:?}");
        for key in en.keys() {
            let (value, zh_value) = (en.get(key).unwrap(), zh.get(key).unwrap());
            assert!(!value.trim().is_empty(), "en.json: {key} is empty");
            assert!(!zh_value.trim().is_empty(), "zh-CN.json: {key} is empty");
            // Names are ASCII, as the code writes them: a `{β}` would never be filled.
            assert!(
                placeholders(value)
                    .iter()
                    .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase() || c == '_')),
                "{key}: a placeholder is not a plain name: {value}"
            );
            assert_eq!(
                placeholders(value),
                placeholders(zh_value),
                "{key}: the two files use different placeholders"
            );
        }
    }

    #[test]
    fn a_fetched_file_must_parse_and_hold_every_key() {
        let zh = Lang::ZhCn.source().unwrap();
        assert_eq!(Catalog::parse(zh).unwrap().missing_key(english()), None);
        // One entry short (the file's last line before the brace).
        let cut = zh.trim_end().trim_end_matches('}').trim_end();
        let short = format!("{}}}", &cut[..cut.rfind(",\n").unwrap()]);
        let missing = Catalog::parse(&short).unwrap().missing_key(english());
        assert!(missing.is_some(), "a file one key short is refused");
        // Half the file, cut where a character ends (the text is Chinese).
        let half = (0..=zh.len() / 2)
            .rev()
            .find(|&i| zh.is_char_boundary(i))
            .unwrap();
        assert!(Catalog::parse(&zh[..half]).is_err());
        // Built in natively: installing is then a no-op, not an error.
        assert_eq!(Lang::ZhCn.install("not json"), Ok(()));
        assert_eq!(Lang::ZhCn.url(), "locales/zh-CN.json");
    }

    #[test]
    fn files_parse_as_flat_string_maps_without_duplicate_keys() {
        let files = [
            ("en.json", Lang::En.source().unwrap()),
            ("en.panels.json", Strings::Panels.source()),
            ("en.lesson.json", Strings::Lesson.source()),
            ("zh-CN.json", Lang::ZhCn.source().unwrap()),
        ];
        for (name, source) in files {
            // serde_json keeps the last of two equal keys: count the entries in the
            // raw text, which holds one `"key": "value"` per line.
            let raw: serde_json::Value = serde_json::from_str(source).unwrap();
            let object = raw.as_object().expect("a flat JSON object");
            let keys_in_text = source
                .lines()
                .filter(|l| l.trim_start().starts_with('"'))
                .count();
            assert_eq!(object.len(), keys_in_text, "{name}: a key is repeated");
            assert!(object.values().all(|v| v.is_string()), "{name}");
            // The hand parser reads exactly what serde_json reads.
            let mut want: Vec<(String, String)> = object
                .iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
                .collect();
            want.sort();
            assert_eq!(Catalog::parse(source).unwrap().entries, want, "{name}");
        }
        // The English files share no key (English natively is all of them).
        let page = Catalog::parse(Lang::En.source().unwrap()).unwrap();
        let deferred: usize = Strings::ALL
            .iter()
            .map(|s| Catalog::parse(s.source()).unwrap().entries.len())
            .sum();
        assert_eq!(english().entries.len(), page.entries.len() + deferred);
        assert!(
            page.merged(Catalog::parse(r#"{"shell.title": "x"}"#).unwrap())
                .is_err()
        );
    }

    /// A chunk's strings come with the chunk, so only the chunk's code
    /// (src/site/training/ for the panels', src/site/lesson/ for the
    /// lesson's, all of it in that chunk) may name them: a key named anywhere
    /// else could be shown before the chunk is here, as the bare key. Checked
    /// to fail with `"training.title"` named in src/site/lesson/sections.rs
    /// and `"lesson.overlap.p1"` in src/site/first_screen.rs.
    #[test]
    fn only_a_chunk_names_its_strings() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        for (strings, folder) in [
            (Strings::Panels, "src/site/training"),
            (Strings::Lesson, "src/site/lesson"),
        ] {
            let catalog = Catalog::parse(strings.source()).unwrap();
            let mut dirs = vec![root.join("src")];
            let mut named = 0;
            while let Some(dir) = dirs.pop() {
                for entry in std::fs::read_dir(dir).unwrap() {
                    let path = entry.unwrap().path();
                    if path.is_dir() {
                        dirs.push(path);
                        continue;
                    }
                    if path.extension().is_none_or(|e| e != "rs") {
                        continue;
                    }
                    let text = std::fs::read_to_string(&path).unwrap();
                    let code = text.split("#[cfg(test)]").next().unwrap_or_default();
                    let in_chunk = path.starts_with(root.join(folder));
                    // The quote as an escape: a quote character here would pair the literals of
                    // this file wrongly for every_key_the_site_uses_exists below.
                    for literal in code.split('\u{22}').skip(1).step_by(2) {
                        if catalog.get(literal).is_some() {
                            named += 1;
                            assert!(
                                in_chunk,
                                "{} names {literal}, a string of {strings:?}'s chunk",
                                path.display()
                            );
                        }
                    }
                }
            }
            // The questions' and predictions' words are named by their id
            // (src/teach/questions.rs and predictions.rs check that each one is there),
            // the weightings' by the scheme's name (checked below).
            let dynamic = catalog
                .keys()
                .filter(|k| {
                    k.starts_with("question.")
                        || (k.starts_with("predict.") && k.matches('.').count() == 2)
                        || (k.starts_with("lesson.weightings.") && k.matches('.').count() == 3)
                })
                .count();
            assert!(
                named + dynamic >= catalog.entries.len(),
                "{strings:?}: only {named} names found: the scan is broken"
            );
        }
    }

    #[test]
    fn lookup_fills_placeholders_and_falls_back() {
        assert_eq!(tr(Lang::En, "lang.native_name"), "English");
        assert_eq!(tr(Lang::ZhCn, "lang.native_name"), "简体中文");
        for lang in Lang::ALL {
            assert_eq!(lang.native_name(), tr(lang, "lang.native_name"));
        }
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

    /// Every key the code names (a string literal like `"lesson.x.y"` with a
    /// known prefix) is in the files.
    #[test]
    fn every_key_the_site_uses_exists() {
        const PREFIXES: [&str; 24] = [
            "lang.",
            "cut.",
            "handout.",
            "predict.",
            "first.",
            "quiz.",
            "chart.",
            "error.",
            "scheme.",
            "run.",
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
            "training.",
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
        // Every Rust file: the core builds messages too (notices, errors, labels).
        let mut files = Vec::new();
        visit(&root.join("src"), &mut files);
        let en = english();
        let mut used = 0;
        let contains = |k: &str| en.get(k).is_some();
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
                        contains(literal),
                        "{}: {literal} is not in en.json",
                        file.display()
                    );
                }
            }
        }
        assert!(used > 100, "only {used} keys found: the scan is broken");
    }

    #[test]
    fn every_weighting_has_its_words() {
        // src/site/lesson/weightings.rs names `lesson.weightings.<scheme>.<part>`.
        use crate::balance::weights::SchemeKind;
        for kind in SchemeKind::ALL {
            for part in ["formula", "scale", "source"] {
                let key = format!("lesson.weightings.{}.{part}", kind.name());
                for lang in Lang::ALL {
                    assert_ne!(tr(lang, &key), key, "{key} is missing in {lang:?}");
                }
            }
        }
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
