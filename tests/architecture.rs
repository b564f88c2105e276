//! The shape of the code: imports run one way. No two files of the crate (or
//! of xtask) name each other, a sign that a type sits in the wrong file (the
//! core folders' own rules are `core_folders_use_only_what_they_may` in
//! src/lib.rs; docs/architecture.md).
//!
//! A file names another when its code (not its comments, nor its tests) holds a path that
//! resolves into it: `use crate::a::b::{C, d::E}`, `crate::a::f(..)`,
//! `super::x`. A path resolves to the deepest module it passes through that is
//! a file of its own.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// A crate's source files by module path (`["balance", "losses"]`).
struct Crate {
    files: BTreeMap<Vec<String>, PathBuf>,
}

impl Crate {
    fn read(src: &Path, roots: &[&str]) -> Self {
        let mut files = BTreeMap::new();
        collect(src, src, roots, &mut files);
        Self { files }
    }

    /// The file that `path` (absolute segments) lands in: its longest prefix
    /// that is a file's module.
    fn resolve(&self, path: &[String]) -> Option<&Vec<String>> {
        (0..=path.len())
            .rev()
            .find_map(|n| self.files.get_key_value(&path[..n]).map(|(k, _)| k))
    }

    /// Which files each file names, by module path.
    fn edges(&self) -> BTreeMap<Vec<String>, BTreeSet<Vec<String>>> {
        let mut edges = BTreeMap::new();
        for (module, file) in &self.files {
            let text = fs::read_to_string(file).unwrap();
            let mut named = BTreeSet::new();
            // A file's tests may reach further (a test of the flushing trains
            // a model): only the code before them counts.
            let body = text
                .split("#[cfg(test)]\nmod tests")
                .next()
                .unwrap_or_default();
            for path in paths(&strip_comments(body)) {
                // `self` is this file's module; each `super` one module up.
                let ups = path.iter().take_while(|s| *s == "super").count();
                let absolute = match path.first().map(String::as_str) {
                    Some("crate") => path[1..].to_vec(),
                    Some("self") => [&module[..], &path[1..]].concat(),
                    Some("super") if ups <= module.len() => {
                        [&module[..module.len() - ups], &path[ups..]].concat()
                    }
                    _ => continue,
                };
                if let Some(target) = self.resolve(&absolute)
                    && target != module
                {
                    named.insert(target.clone());
                }
            }
            edges.insert(module.clone(), named);
        }
        edges
    }
}

/// Every `.rs` file under `dir`, by module path relative to `src`; `roots`
/// are the crate roots (`lib.rs`), whose module path is empty.
fn collect(src: &Path, dir: &Path, roots: &[&str], out: &mut BTreeMap<Vec<String>, PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            // src/bin holds binaries: crates of their own, which name the library as `cblab::`.
            if path.file_name().is_some_and(|n| n != "bin") {
                collect(src, &path, roots, out);
            }
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let relative = path.strip_prefix(src).unwrap();
        let mut module: Vec<String> = relative
            .with_extension("")
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let name = module.last().cloned().unwrap();
        if name == "mod" {
            module.pop();
        } else if module.len() == 1 && roots.contains(&name.as_str()) {
            module.clear();
        } else if module.len() == 1 && name == "main" {
            // The CLI's main.rs is a crate of its own beside lib.rs.
            continue;
        }
        out.insert(module, path);
    }
}

/// The code without `//` and `/* */` comments or string literals.
fn strip_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'/') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            '/' if chars.peek() == Some(&'*') => {
                let mut last = ' ';
                for c in chars.by_ref() {
                    if last == '*' && c == '/' {
                        break;
                    }
                    last = c;
                }
            }
            '"' => {
                let mut escaped = false;
                for c in chars.by_ref() {
                    if c == '"' && !escaped {
                        break;
                    }
                    escaped = c == '\\' && !escaped;
                }
                out.push_str("\"\"");
            }
            // A raw string, r#"..."#.
            'r' if chars.peek() == Some(&'#') => {
                let mut hashes = 0;
                while chars.peek() == Some(&'#') {
                    chars.next();
                    hashes += 1;
                }
                chars.next(); // the opening quote
                let closing: String = std::iter::once('"')
                    .chain(std::iter::repeat_n('#', hashes))
                    .collect();
                let mut seen = String::new();
                for c in chars.by_ref() {
                    seen.push(c);
                    if seen.ends_with(&closing) {
                        break;
                    }
                }
                out.push_str("\"\"");
            }
            // A char literal ('"', '\'') is skipped; a lifetime ('a) kept.
            '\'' => {
                let rest: Vec<char> = chars.clone().take(3).collect();
                match rest.as_slice() {
                    ['\\', ..] => {
                        chars.next();
                        chars.next();
                        for c in chars.by_ref() {
                            if c == '\'' {
                                break;
                            }
                        }
                    }
                    [_, '\'', ..] => {
                        chars.next();
                        chars.next();
                    }
                    _ => out.push(c),
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// Every path that starts with `crate`, `super` or `self`, with the groups of
/// `use` statements expanded (`a::{b, c::d}` gives `a::b` and `a::c::d`).
fn paths(code: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let bytes = code.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let starts_word = i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_');
        let head = ["crate::", "super::", "self::"]
            .into_iter()
            .find(|h| code[i..].starts_with(h));
        match head {
            Some(_) if starts_word && !(i >= 1 && bytes[i - 1] == b':') => {
                let (tree, end) = take_tree(&code[i..]);
                expand(&tree, &mut Vec::new(), &mut out);
                i += end.max(1);
            }
            _ => i += 1,
        }
    }
    out
}

/// A path tree: segments, then an optional group of subtrees.
#[derive(Debug)]
struct Tree {
    segments: Vec<String>,
    group: Vec<Tree>,
}

/// Reads a path tree at the start of `s`; returns it and the bytes read.
fn take_tree(s: &str) -> (Tree, usize) {
    let mut tree = Tree {
        segments: Vec::new(),
        group: Vec::new(),
    };
    let bytes = s.as_bytes();
    let mut i = 0;
    loop {
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if i < bytes.len() && bytes[i] == b'{' {
            i += 1;
            loop {
                while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b',') {
                    i += 1;
                }
                if i >= bytes.len() || bytes[i] == b'}' {
                    i += 1;
                    break;
                }
                let (sub, used) = take_tree(&s[i..]);
                tree.group.push(sub);
                // Skip `as name` and anything else up to the next item.
                i += used.max(1);
                while i < bytes.len() && bytes[i] != b',' && bytes[i] != b'}' {
                    if bytes[i] == b'{' {
                        break;
                    }
                    i += 1;
                }
            }
            return (tree, i);
        }
        let start = i;
        while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
            i += 1;
        }
        if i == start {
            return (tree, i);
        }
        tree.segments.push(s[start..i].to_owned());
        if s[i..].starts_with("::") {
            i += 2;
        } else {
            return (tree, i);
        }
    }
}

fn expand(tree: &Tree, prefix: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    let len = prefix.len();
    prefix.extend(tree.segments.iter().cloned());
    if tree.group.is_empty() {
        out.push(prefix.clone());
    }
    for sub in &tree.group {
        expand(sub, prefix, out);
    }
    prefix.truncate(len);
}

/// The pairs of files that name each other.
fn mutual(krate: &Crate) -> Vec<String> {
    let edges = krate.edges();
    let name = |m: &Vec<String>| krate.files[m].display().to_string();
    let mut pairs = Vec::new();
    for (a, named) in &edges {
        for b in named {
            if a < b && edges.get(b).is_some_and(|back| back.contains(a)) {
                pairs.push(format!("{} <-> {}", name(a), name(b)));
            }
        }
    }
    pairs
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn no_two_files_name_each_other() {
    for (src, roots) in [("src", &["lib"][..]), ("xtask/src", &["main"][..])] {
        let krate = Crate::read(&root().join(src), roots);
        assert!(krate.files.len() > 5, "{src}: too few files found");
        let pairs = mutual(&krate);
        assert!(
            pairs.is_empty(),
            "files that import each other in {src}:\n{}",
            pairs.join("\n")
        );
    }
}

#[test]
fn the_scanner_finds_paths_and_cycles() {
    let found = paths("use crate::a::{b::C, d as e, f::{g, h}};\nlet x = super::k::m(1);");
    let want: Vec<Vec<String>> = [
        &["crate", "a", "b", "C"][..],
        &["crate", "a", "d"],
        &["crate", "a", "f", "g"],
        &["crate", "a", "f", "h"],
        &["super", "k", "m"],
    ]
    .iter()
    .map(|p| p.iter().map(|s| (*s).to_owned()).collect())
    .collect();
    assert_eq!(found, want);
    assert!(paths(&strip_comments("// crate::a::b\n\"crate::c\"")).is_empty());

    // A crate of two files that name each other is caught.
    // Removed when dropped, whether the test passes or not.
    let scratch = tempfile::tempdir().unwrap();
    let dir = scratch.path();
    fs::create_dir_all(dir.join("m")).unwrap();
    fs::write(dir.join("lib.rs"), "pub mod m;\n").unwrap();
    fs::write(dir.join("m/mod.rs"), "pub mod a;\npub mod b;\n").unwrap();
    fs::write(dir.join("m/a.rs"), "use super::b::B;\npub struct A;\n").unwrap();
    fs::write(dir.join("m/b.rs"), "pub struct B(crate::m::a::A);\n").unwrap();
    let pairs = mutual(&Crate::read(dir, &["lib"]));
    assert_eq!(pairs.len(), 1, "{pairs:?}");
}
