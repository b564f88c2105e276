//! The `cblab` command-line contract: JSON on stdout, errors on stderr with a
//! non-zero exit, and numbers equal to the library's. One file a command.

mod annotations;
mod cite;
mod counts;
mod loss;
mod multi_label;
mod train;
mod weights;

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

pub fn cblab(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cblab"))
        .args(args)
        .output()
        .expect("the cblab binary runs")
}

/// A test's own folder for its input files, removed when the test ends,
/// passed or failed (CI machines keep their temporary folder between runs).
pub fn scratch() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("cblab-cli-")
        .tempdir()
        .expect("a temporary folder")
}

/// Writes `text` to `file` in `dir` and gives its path, as the CLI takes it.
pub fn write(dir: impl AsRef<Path>, file: &str, text: &str) -> String {
    let path = dir.as_ref().join(file);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_owned()
}

pub fn json_ok(args: &[&str]) -> Value {
    let out = cblab(args);
    assert!(
        out.status.success(),
        "cblab {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("stdout is JSON")
}

pub fn fails_with(args: &[&str], message: &str) {
    let out = cblab(args);
    assert!(!out.status.success(), "cblab {args:?} should fail");
    assert!(out.stdout.is_empty(), "nothing on stdout when failing");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(message),
        "stderr {stderr:?} lacks {message:?}"
    );
}

pub fn numbers(v: &Value) -> Vec<f64> {
    v.as_array()
        .expect("an array")
        .iter()
        .map(|x| x.as_f64().expect("a number"))
        .collect()
}
