//! Running external programs from the repository root, with our tool folders first on PATH.

use std::ffi::OsString;
use std::fs;
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Every task reports failure as a sentence for the user.
pub type Result<T> = std::result::Result<T, String>;

/// The repository root (the parent of this crate's folder).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one folder below the repository root")
        .to_path_buf()
}

/// Cargo's target folder: `$CARGO_TARGET_DIR` if set, else `target/` at the root.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => root().join(dir),
        _ => root().join("target"),
    }
}

/// A 0700 `XDG_RUNTIME_DIR` under target/ (lavapipe's Vulkan loader warns without one),
/// unless the environment already has one.
pub fn runtime_dir() -> Result<Option<PathBuf>> {
    if std::env::var_os("XDG_RUNTIME_DIR").is_some_and(|dir| !dir.is_empty()) {
        return Ok(None);
    }
    let dir = target_dir().join("xdg-runtime");
    fs::create_dir_all(&dir)
        .and_then(|()| fs::set_permissions(&dir, fs::Permissions::from_mode(0o700)))
        .map_err(|error| format!("cannot make {}: {error}", dir.display()))?;
    Ok(Some(dir))
}

/// Where `npm install --prefix target/tools` puts binaryen's `wasm-opt`.
pub fn tools_bin() -> PathBuf {
    root().join("target/tools/node_modules/.bin")
}

/// Where `cargo install` puts binaries.
fn cargo_bin() -> Option<PathBuf> {
    match std::env::var_os("CARGO_HOME") {
        Some(home) if !home.is_empty() => Some(PathBuf::from(home).join("bin")),
        _ => std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo/bin")),
    }
}

/// PATH for every program we start: our npm tools, then cargo's binaries, then the inherited PATH.
fn search_path() -> OsString {
    let inherited = std::env::var_os("PATH").unwrap_or_default();
    let dirs = [tools_bin()]
        .into_iter()
        .chain(cargo_bin())
        .chain(std::env::split_paths(&inherited));
    std::env::join_paths(dirs).unwrap_or(inherited)
}

/// A command for `program`, run from the repository root with our PATH.
pub fn command(program: &str) -> Command {
    let mut command = Command::new(program);
    command.current_dir(root()).env("PATH", search_path());
    command
}

/// The command as a shell line, for messages.
pub fn describe(command: &Command) -> String {
    std::iter::once(command.get_program())
        .chain(command.get_args())
        .map(|part| {
            let part = part.to_string_lossy();
            if part.is_empty() || part.contains(|c: char| c.is_whitespace() || c == '\'') {
                format!("'{}'", part.replace('\'', r"'\''"))
            } else {
                part.into_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Runs the command with inherited stdio, after printing it; an error unless it exits with 0.
pub fn run(command: &mut Command) -> Result<()> {
    let line = describe(command);
    println!("$ {line}");
    // Our own output must come before the child's.
    let _ = std::io::stdout().flush();
    let status = command
        .status()
        .map_err(|error| format!("could not start `{line}`: {error}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{line}` failed ({status})"))
    }
}

/// The trimmed standard output of a command that ran and exited with 0; `None` otherwise
/// (a missing program included). For version checks and other questions.
pub fn output(command: &mut Command) -> Option<String> {
    let output = command
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describe_quotes_what_a_shell_would_split() {
        let mut command = Command::new("cargo");
        command.args(["install", "trunk", "--version", "~0.21", "a b", ""]);
        assert_eq!(
            describe(&command),
            "cargo install trunk --version ~0.21 'a b' ''"
        );
    }

    #[test]
    fn our_tools_come_first_on_path() {
        let path = search_path();
        let first = std::env::split_paths(&path).next();
        assert_eq!(first, Some(tools_bin()));
    }
}
