//! The documentation stays honest where a machine can tell:
//! - every relative link in README.md, CONTRIBUTING.md and docs/ points at a
//!   file that exists, and at a heading that exists when it names one;
//! - every `console` example of README.md and docs/cli.md runs: each `$ `
//!   line is a shell command (in a fresh folder per example, with this build's
//!   `cblab` first on PATH) whose standard output must be the lines shown
//!   under it (a line `...` stands for any number of lines), and no `cblab`
//!   command is shown anywhere else in a fenced block of those files.

use std::collections::BTreeSet;
use std::fs;
use std::path::PathBuf;
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// README.md, CONTRIBUTING.md and every Markdown file under docs/.
fn documents() -> Vec<PathBuf> {
    let mut files = vec![root().join("README.md"), root().join("CONTRIBUTING.md")];
    let mut docs: Vec<PathBuf> = fs::read_dir(root().join("docs"))
        .expect("a docs/ folder")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    docs.sort();
    files.extend(docs);
    files
}

/// A fenced block: its info string, its lines and the line it starts on.
struct Block {
    info: String,
    lines: Vec<String>,
    line: usize,
}

/// The text outside fenced blocks (fences blanked, so line numbers hold), and the blocks.
fn split_fences(text: &str) -> (String, Vec<Block>) {
    let mut prose = String::new();
    let mut blocks = Vec::new();
    let mut open: Option<Block> = None;
    for (i, line) in text.lines().enumerate() {
        let fence = line.trim_start().starts_with("```");
        match (&mut open, fence) {
            (None, true) => {
                open = Some(Block {
                    info: line.trim_start().trim_start_matches('`').trim().to_owned(),
                    lines: Vec::new(),
                    line: i + 1,
                });
                prose.push('\n');
            }
            (Some(_), true) => {
                blocks.push(open.take().unwrap());
                prose.push('\n');
            }
            (Some(block), false) => {
                block.lines.push(line.to_owned());
                prose.push('\n');
            }
            (None, false) => {
                prose.push_str(line);
                prose.push('\n');
            }
        }
    }
    assert!(open.is_none(), "a fenced block is never closed");
    (prose, blocks)
}

/// GitHub's anchor for a heading: lower case, spaces to hyphens, other
/// punctuation dropped.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            '-' | '_' => Some(c),
            c if c.is_alphanumeric() => Some(c),
            _ => None,
        })
        .collect()
}

/// The anchors of a document's headings (a repeated one gets -1, -2, ...).
fn anchors(text: &str) -> BTreeSet<String> {
    let (prose, _) = split_fences(text);
    let mut out = BTreeSet::new();
    for line in prose.lines() {
        let Some(heading) = line.strip_prefix('#') else {
            continue;
        };
        let heading = heading.trim_start_matches('#');
        if !heading.starts_with(' ') {
            continue;
        }
        // Inline code and links keep their text.
        let text: String = heading.replace('`', "");
        let base = slug(&text);
        let mut anchor = base.clone();
        let mut n = 1;
        while out.contains(&anchor) {
            anchor = format!("{base}-{n}");
            n += 1;
        }
        out.insert(anchor);
    }
    out
}

/// The targets of the Markdown links and images in `prose`, with their line,
/// leaving out inline code.
fn links(prose: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (i, line) in prose.lines().enumerate() {
        // Drop inline code spans.
        let mut plain = String::new();
        for (k, part) in line.split('`').enumerate() {
            if k % 2 == 0 {
                plain.push_str(part);
            }
        }
        let mut rest = plain.as_str();
        while let Some(at) = rest.find("](") {
            let after = &rest[at + 2..];
            let Some(end) = after.find(')') else { break };
            let target = after[..end].split_whitespace().next().unwrap_or("");
            out.push((i + 1, target.to_owned()));
            rest = &after[end..];
        }
    }
    out
}

#[test]
fn every_relative_link_points_at_a_file_and_heading_that_exist() {
    let mut broken = Vec::new();
    let mut checked = 0;
    for doc in documents() {
        let text = fs::read_to_string(&doc).unwrap();
        let (prose, _) = split_fences(&text);
        for (line, target) in links(&prose) {
            if target.is_empty() || target.contains("://") || target.starts_with("mailto:") {
                continue;
            }
            checked += 1;
            let (path, anchor) = match target.split_once('#') {
                Some((path, anchor)) => (path, Some(anchor)),
                None => (target.as_str(), None),
            };
            let file = if path.is_empty() {
                doc.clone()
            } else {
                doc.parent().unwrap().join(path)
            };
            let place = format!(
                "{}:{line}: {target}",
                doc.strip_prefix(root()).unwrap().display()
            );
            if !file.exists() {
                broken.push(format!("{place}: no such file"));
                continue;
            }
            if let Some(anchor) = anchor
                && file.extension().is_some_and(|e| e == "md")
                && !anchors(&fs::read_to_string(&file).unwrap()).contains(anchor)
            {
                broken.push(format!("{place}: no such heading"));
            }
        }
    }
    assert!(checked > 20, "only {checked} relative links found");
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

/// Whether `got` matches `want`, where a `...` line of `want` matches any
/// number of lines.
fn matches(want: &[String], got: &[&str]) -> bool {
    match want.split_first() {
        None => got.is_empty(),
        Some((w, rest)) if w.trim() == "..." => (0..=got.len()).any(|k| matches(rest, &got[k..])),
        Some((w, rest)) => got
            .split_first()
            .is_some_and(|(g, more)| g.trim_end() == w.trim_end() && matches(rest, more)),
    }
}

/// A console example's commands, each with the output shown under it.
fn commands(block: &Block) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for line in &block.lines {
        match line.strip_prefix("$ ") {
            Some(command) => out.push((command.to_owned(), Vec::new())),
            None => match out.last_mut() {
                Some((_, shown)) => shown.push(line.clone()),
                None => panic!(
                    "line {}: a console example starts with a `$ ` command",
                    block.line
                ),
            },
        }
    }
    for (_, shown) in &mut out {
        while shown.last().is_some_and(|l| l.trim().is_empty()) {
            shown.pop();
        }
    }
    out
}

#[test]
fn every_cli_example_runs_and_prints_what_it_shows() {
    let cblab = PathBuf::from(env!("CARGO_BIN_EXE_cblab"));
    let path = format!(
        "{}:{}",
        cblab.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut failures = Vec::new();
    let mut ran = 0;
    for name in ["README.md", "docs/cli.md"] {
        let text = fs::read_to_string(root().join(name)).unwrap();
        let (_, blocks) = split_fences(&text);
        for block in &blocks {
            if block.info != "console" {
                for line in &block.lines {
                    let line = line.trim_start();
                    if line.starts_with("cblab ") || line.contains("$ cblab") {
                        failures.push(format!(
                            "{name}:{}: a cblab command outside a console example: {line}",
                            block.line
                        ));
                    }
                }
                continue;
            }
            // Removed when dropped, whether the commands pass or not.
            let dir = tempfile::tempdir().unwrap();
            for (command, shown) in commands(block) {
                ran += 1;
                let out = Command::new("sh")
                    .arg("-c")
                    .arg(&command)
                    .current_dir(dir.path())
                    .env("PATH", &path)
                    .output()
                    .expect("sh runs");
                let stdout = String::from_utf8_lossy(&out.stdout);
                let got: Vec<&str> = stdout.lines().collect();
                if !out.status.success() {
                    failures.push(format!(
                        "{name}:{}: `{command}` failed: {}",
                        block.line,
                        String::from_utf8_lossy(&out.stderr)
                    ));
                } else if !shown.is_empty() && !matches(&shown, &got) {
                    failures.push(format!(
                        "{name}:{}: `{command}` printed\n{stdout}\nbut the example shows\n{}",
                        block.line,
                        shown.join("\n")
                    ));
                }
            }
        }
    }
    assert!(ran >= 8, "only {ran} example commands found");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn the_checks_themselves_catch_what_they_should() {
    assert_eq!(slug("Speed and size"), "speed-and-size");
    assert_eq!(slug("What it computes: E_n, w"), "what-it-computes-e_n-w");
    let a = anchors("# A\n## B c\n```\n# not a heading\n```\n## B c\n");
    assert_eq!(
        a,
        ["a", "b-c", "b-c-1"]
            .map(str::to_owned)
            .into_iter()
            .collect()
    );
    let l = links("see [x](docs/a.md#b) and `[no](skip.md)` ![i](assets/p.png)\n");
    assert_eq!(
        l,
        [
            (1, "docs/a.md#b".to_owned()),
            (1, "assets/p.png".to_owned())
        ]
    );
    let want: Vec<String> = ["a", "...", "d"].map(str::to_owned).to_vec();
    assert!(matches(&want, &["a", "b", "c", "d"]));
    assert!(matches(&want, &["a", "d"]));
    assert!(!matches(&want, &["a", "b"]));
    let exact: Vec<String> = vec!["x".to_owned()];
    assert!(!matches(&exact, &["x", "y"]));
}
