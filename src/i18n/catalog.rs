//! A language's file, parsed: a flat JSON object of `key -> string`, read by
//! a small parser of its own (serde's map code would add about 50 kB to the
//! site's WebAssembly; the tests check it against serde_json).

/// A language's strings, sorted by key.
///
/// Parsed by hand rather than with serde_json: the files are flat objects of
/// strings, and serde's map code would add about 50 kB to the site's
/// WebAssembly. The tests check the result against serde_json.
#[derive(Debug, PartialEq)]
pub(super) struct Catalog {
    pub(super) entries: Vec<(String, String)>,
}

impl Catalog {
    /// Parses a flat JSON object whose values are all strings.
    pub(super) fn parse(source: &str) -> Result<Self, String> {
        let mut chars = source.char_indices().peekable();
        let skip_ws = |chars: &mut std::iter::Peekable<std::str::CharIndices>| {
            while chars.peek().is_some_and(|(_, c)| c.is_whitespace()) {
                chars.next();
            }
        };
        let expect =
            |chars: &mut std::iter::Peekable<std::str::CharIndices>, want: char| match chars.next()
            {
                Some((_, c)) if c == want => Ok(()),
                other => Err(format!("expected '{want}', found {other:?}")),
            };
        let string = |chars: &mut std::iter::Peekable<std::str::CharIndices>| {
            expect(chars, '"')?;
            let mut out = String::new();
            loop {
                match chars.next().map(|(_, c)| c) {
                    None => return Err("unterminated string".to_string()),
                    Some('"') => return Ok(out),
                    Some('\\') => match chars.next().map(|(_, c)| c) {
                        Some('"') => out.push('"'),
                        Some('\\') => out.push('\\'),
                        Some('/') => out.push('/'),
                        Some('n') => out.push('\n'),
                        Some('t') => out.push('\t'),
                        Some('r') => out.push('\r'),
                        Some('b') => out.push('\u{8}'),
                        Some('f') => out.push('\u{c}'),
                        Some('u') => {
                            let hex: String = (0..4)
                                .filter_map(|_| chars.next().map(|(_, c)| c))
                                .collect();
                            let code = u32::from_str_radix(&hex, 16)
                                .map_err(|_| format!("bad escape \\u{hex}"))?;
                            // The files hold no surrogate pairs: characters are written as themselves.
                            out.push(char::from_u32(code).ok_or("a surrogate escape")?);
                        }
                        other => return Err(format!("bad escape {other:?}")),
                    },
                    Some(c) => out.push(c),
                }
            }
        };
        skip_ws(&mut chars);
        expect(&mut chars, '{')?;
        let mut entries = Vec::new();
        loop {
            skip_ws(&mut chars);
            if chars.peek().is_some_and(|(_, c)| *c == '}') {
                chars.next();
                break;
            }
            if !entries.is_empty() {
                expect(&mut chars, ',')?;
                skip_ws(&mut chars);
            }
            let key = string(&mut chars)?;
            skip_ws(&mut chars);
            expect(&mut chars, ':')?;
            skip_ws(&mut chars);
            let value = string(&mut chars)?;
            entries.push((key, value));
        }
        skip_ws(&mut chars);
        if chars.next().is_some() {
            return Err("text after the object".into());
        }
        Self::sorted(entries)
    }

    /// The catalogue of `entries`, refused if a key is repeated.
    pub(super) fn sorted(mut entries: Vec<(String, String)>) -> Result<Self, String> {
        // Repeated keys are refused below, so the order of equal keys does not matter.
        let order =
            crate::order::sorted_indices(entries.len(), &|a, b| entries[a].0.cmp(&entries[b].0));
        let entries: Vec<(String, String)> = order
            .iter()
            .map(|&i| std::mem::take(&mut entries[i]))
            .collect();
        if let Some(w) = entries.windows(2).find(|w| w[0].0 == w[1].0) {
            return Err(format!("the key {} is repeated", w[0].0));
        }
        Ok(Self { entries })
    }

    /// This catalogue and `other` as one, refused if they share a key.
    #[cfg(not(target_arch = "wasm32"))]
    pub(super) fn merged(self, other: Catalog) -> Result<Self, String> {
        Self::sorted(self.entries.into_iter().chain(other.entries).collect())
    }

    /// The string for `key`.
    pub(super) fn get(&self, key: &str) -> Option<&str> {
        self.entries
            .binary_search_by(|(k, _)| k.as_str().cmp(key))
            .ok()
            .map(|i| self.entries[i].1.as_str())
    }

    /// The catalogue's own copy of `key` and of its string.
    pub(super) fn entry(&self, key: &str) -> Option<(&str, &str)> {
        self.entries
            .binary_search_by(|(k, _)| k.as_str().cmp(key))
            .ok()
            .map(|i| (self.entries[i].0.as_str(), self.entries[i].1.as_str()))
    }

    /// A key of `english` that this catalogue lacks, if any.
    pub(super) fn missing_key<'e>(&self, english: &'e Catalog) -> Option<&'e str> {
        english.keys().find(|k| self.get(k).is_none())
    }

    /// Every key, sorted.
    pub(super) fn keys(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|(k, _)| k.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_parser_handles_escapes_and_refuses_bad_input() {
        let c = Catalog::parse(r#" { "b": "x\"y\\z\n\u4e2d/", "a": "" } "#).unwrap();
        assert_eq!(c.get("b"), Some("x\"y\\z\n中/"));
        assert_eq!(c.get("a"), Some(""));
        assert_eq!(c.keys().collect::<Vec<_>>(), ["a", "b"]);
        for bad in [
            r#"{"a": "b""#,
            r#"{"a" "b"}"#,
            r#"{"a": 1}"#,
            r#"{"a": "b"} x"#,
            r#"{"a": "1", "a": "2"}"#,
            r#"{"a": "\q"}"#,
        ] {
            assert!(Catalog::parse(bad).is_err(), "{bad}");
        }
    }
}
