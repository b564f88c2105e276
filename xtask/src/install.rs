//! `cargo xtask install`: puts the tools that build and test CB Lab in place, each only when missing.

use std::fs;
use std::path::{Path, PathBuf};

use crate::proc::{Result, command, output, root, run, tools_bin};

/// The binaryen release whose `wasm-opt` we use (npm package `binaryen@132`); Trunk.toml names it too.
pub const WASM_OPT_VERSION: &str = "132";

/// The esbuild release (npm `esbuild`) that minifies the page's wasm-bindgen glue
/// (xtask/src/page.rs); trunk minifies the files it builds itself.
pub const ESBUILD_VERSION: &str = "0.25.12";

/// The wasm-split release (crates.io `wasm_split_cli_support`, the splitter cargo-leptos uses)
/// that cuts the page's wasm at its `#[wasm_split]` points (xtask/src/page.rs).
pub const WASM_SPLIT_VERSION: &str = "0.2.4";

/// The trunk release series we build with (0.22 needs a newer rustc than ours).
const TRUNK_SERIES: &str = "0.21";

/// The Debian packages the browser tests and the native GPU tests need
/// (a CJK font, so that the Chinese lesson's screenshots show characters;
/// poppler's pdftotext and pdftoppm, to read the printed handout's pages).
const APT_PACKAGES: [&str; 6] = [
    "chromium",
    "chromium-driver",
    "mesa-vulkan-drivers",
    "libvulkan1",
    "fonts-wqy-microhei",
    "poppler-utils",
];

/// How much to install.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Scope {
    /// What `cargo xtask build` needs.
    Build,
    /// That, plus what the browser tests need.
    Test,
}

pub fn install(scope: Scope) -> Result<()> {
    wasm_target()?;
    trunk()?;
    wasm_bindgen_cli(&wasm_bindgen_version()?)?;
    wasm_opt()?;
    esbuild()?;
    wasm_split()?;
    if scope == Scope::Test {
        browser()?;
        npm_packages("tests/browser")?;
    }
    Ok(())
}

fn wasm_target() -> Result<()> {
    const TARGET: &str = "wasm32-unknown-unknown";
    let installed = output(command("rustup").args(["target", "list", "--installed"]))
        .ok_or("`rustup target list --installed` failed: is rustup installed?")?;
    if installed.lines().any(|line| line.trim() == TARGET) {
        println!("install: rust target {TARGET}: present");
        return Ok(());
    }
    println!("install: rust target {TARGET}: missing, adding it");
    run(command("rustup").args(["target", "add", TARGET]))
}

/// The second word of `<tool> --version`, if the tool runs.
fn version_word(program: &str) -> Option<String> {
    let text = output(command(program).arg("--version"))?;
    text.split_whitespace().nth(1).map(str::to_owned)
}

fn trunk() -> Result<()> {
    let series = format!("{TRUNK_SERIES}.");
    match version_word("trunk") {
        Some(version) if version.starts_with(&series) => {
            println!("install: trunk {version}: present");
            return Ok(());
        }
        Some(version) => println!(
            "install: trunk {version} found, we need {TRUNK_SERIES}.x: installing it (about 12 minutes on 2 cores)"
        ),
        None => println!(
            "install: trunk missing: installing trunk {TRUNK_SERIES}.x (about 12 minutes on 2 cores)"
        ),
    }
    let requirement = format!("~{TRUNK_SERIES}");
    run(command("cargo").args(["install", "trunk", "--version", &requirement, "--locked"]))?;
    match version_word("trunk") {
        Some(version) if version.starts_with(&series) => Ok(()),
        found => Err(format!(
            "after `cargo install trunk`, `trunk --version` says {found:?}: another trunk comes first on PATH?"
        )),
    }
}

/// The version of the `wasm-bindgen` package in the root Cargo.lock, which the
/// wasm-bindgen CLI must match exactly.
pub fn wasm_bindgen_version() -> Result<String> {
    let lock_path = root().join("Cargo.lock");
    if !lock_path.exists() {
        println!("install: no Cargo.lock yet: generating it");
        run(command("cargo").arg("generate-lockfile"))?;
    }
    let lock = fs::read_to_string(&lock_path)
        .map_err(|error| format!("cannot read {}: {error}", lock_path.display()))?;
    let versions = lock_versions(&lock, "wasm-bindgen");
    match versions.as_slice() {
        [] => Err("Cargo.lock has no `wasm-bindgen` package".into()),
        [version] => Ok(version.clone()),
        [first, ..] => {
            println!(
                "install: warning: Cargo.lock has several wasm-bindgen versions ({}); trunk uses the first, {first}",
                versions.join(", ")
            );
            Ok(first.clone())
        }
    }
}

/// The versions of every `[[package]]` named `name` in a Cargo.lock, in file order.
pub fn lock_versions(lock: &str, name: &str) -> Vec<String> {
    lock.split("[[package]]")
        .skip(1)
        .filter_map(|block| {
            let mut found_name = None;
            let mut version = None;
            for line in block.lines().map(str::trim) {
                if line.starts_with('[') {
                    // The next table (e.g. `[metadata]`): this package's block is over.
                    break;
                }
                if let Some(value) = line.strip_prefix("name = ") {
                    found_name = Some(value.trim_matches('"'));
                } else if let Some(value) = line.strip_prefix("version = ") {
                    version = Some(value.trim_matches('"').to_owned());
                }
            }
            if found_name == Some(name) {
                version
            } else {
                None
            }
        })
        .collect()
}

fn wasm_bindgen_cli(version: &str) -> Result<()> {
    match version_word("wasm-bindgen") {
        Some(found) if found == version => {
            println!("install: wasm-bindgen-cli {found}: present");
            return Ok(());
        }
        Some(found) => println!(
            "install: wasm-bindgen-cli {found} found, Cargo.lock has wasm-bindgen {version}: installing {version} (about 4 minutes)"
        ),
        None => println!(
            "install: wasm-bindgen-cli missing: installing {version}, as in Cargo.lock (about 4 minutes)"
        ),
    }
    // No `--locked`: one of wasm-bindgen-cli's locked dependencies is gone from the registry.
    run(command("cargo").args([
        "install",
        "wasm-bindgen-cli",
        "--version",
        version,
        "--force",
    ]))?;
    match version_word("wasm-bindgen") {
        Some(found) if found == version => Ok(()),
        found => Err(format!(
            "after installing wasm-bindgen-cli {version}, `wasm-bindgen --version` says {found:?}: another one comes first on PATH?"
        )),
    }
}

/// The version word of `wasm-opt --version`, read the way trunk reads it: "wasm-opt version 132 (…)".
fn wasm_opt_version(path: &Path) -> Option<String> {
    let text = output(std::process::Command::new(path).arg("--version"))?;
    text.split(' ').nth(2).map(str::to_owned)
}

fn wasm_opt() -> Result<()> {
    npm_tool("wasm-opt", "binaryen", WASM_OPT_VERSION, wasm_opt_version)
}

fn esbuild() -> Result<()> {
    npm_tool("esbuild", "esbuild", ESBUILD_VERSION, |path| {
        output(std::process::Command::new(path).arg("--version")).map(|v| v.trim().to_owned())
    })
}

/// The command `bin` of npm's `package` under target/tools, at exactly `version`
/// as `version_of` reads it: installed (or replaced) when it is not.
fn npm_tool(
    bin: &str,
    package: &str,
    version: &str,
    version_of: fn(&Path) -> Option<String>,
) -> Result<()> {
    let path = tools_bin().join(bin);
    match version_of(&path) {
        Some(found) if found == version => {
            println!("install: {bin} {version} (npm {package}): present");
            return Ok(());
        }
        Some(found) => println!(
            "install: {bin} {found} found, we need {version}: installing npm {package}@{version}"
        ),
        None => {
            println!("install: {bin} missing: installing npm {package}@{version} into target/tools")
        }
    }
    let spec = format!("{package}@{version}");
    run(command("npm").args([
        "install",
        "--prefix",
        "target/tools",
        "--no-audit",
        "--no-fund",
        &spec,
    ]))?;
    match version_of(&path) {
        Some(found) if found == version => Ok(()),
        found => Err(format!(
            "after `npm install {spec}`, `{} --version` gives version {found:?}",
            path.display()
        )),
    }
}

/// `wasm-split-cli`, installed under a folder named after its version (it has no `--version`).
pub fn wasm_split_cli() -> PathBuf {
    root().join(format!(
        "target/tools/wasm-split-{WASM_SPLIT_VERSION}/bin/wasm-split-cli"
    ))
}

fn wasm_split() -> Result<()> {
    let cli = wasm_split_cli();
    if cli.is_file() {
        println!("install: wasm-split-cli {WASM_SPLIT_VERSION}: present");
        return Ok(());
    }
    println!(
        "install: wasm-split-cli {WASM_SPLIT_VERSION} missing: installing it into target/tools (about 1 minute)"
    );
    let install_root = cli
        .parent()
        .and_then(Path::parent)
        .expect("bin/ under a root");
    run(command("cargo")
        .args([
            "install",
            "--locked",
            "wasm_split_cli_support",
            "--features",
            "build-binary",
        ])
        .args(["--version", WASM_SPLIT_VERSION, "--root"])
        .arg(install_root))?;
    if cli.is_file() {
        Ok(())
    } else {
        Err(format!(
            "`cargo install wasm_split_cli_support` left no {}",
            cli.display()
        ))
    }
}

fn dpkg_installed(package: &str) -> bool {
    output(command("dpkg").args(["-s", package])).is_some_and(|text| {
        text.lines()
            .any(|line| line == "Status: install ok installed")
    })
}

fn browser() -> Result<()> {
    let mut missing = Vec::new();
    if !Path::new("/usr/bin/chromium").exists() {
        missing.push("chromium");
    }
    if !Path::new("/usr/bin/chromedriver").exists() {
        missing.push("chromium-driver");
    }
    missing.extend(
        APT_PACKAGES[2..]
            .iter()
            .copied()
            .filter(|package| !dpkg_installed(package)),
    );
    if missing.is_empty() {
        println!("install: Chromium, chromedriver, lavapipe, a CJK font and poppler: present");
        return Ok(());
    }
    let packages = APT_PACKAGES.join(" ");
    let is_root = output(command("id").arg("-u")).as_deref() == Some("0");
    if !is_root {
        return Err(format!(
            "the browser tests need the Debian packages {packages} ({} missing), and installing them needs root. \
             Run as root: apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y {packages}",
            missing.join(", ")
        ));
    }
    println!(
        "install: {} missing: installing {packages} with apt-get",
        missing.join(", ")
    );
    run(command("apt-get").arg("update"))?;
    run(command("apt-get")
        .args(["install", "-y"])
        .args(APT_PACKAGES)
        .env("DEBIAN_FRONTEND", "noninteractive"))
}

/// The npm packages of `folder` (`npm ci`) when its node_modules is missing or
/// older than its package-lock.json.
fn npm_packages(folder: &str) -> Result<()> {
    let dir = root().join(folder);
    let modified = |path: &Path| fs::metadata(path).and_then(|meta| meta.modified()).ok();
    let lock = modified(&dir.join("package-lock.json"));
    // npm writes node_modules/.package-lock.json on every install.
    let installed = modified(&dir.join("node_modules/.package-lock.json"));
    match (installed, lock) {
        (Some(installed), Some(lock)) if installed >= lock => {
            println!("install: {folder} npm packages: present");
            return Ok(());
        }
        (Some(_), _) => println!("install: {folder}/package-lock.json changed: running npm ci"),
        (None, _) => println!("install: {folder} npm packages missing: running npm ci"),
    }
    run(command("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(&dir))
}

/// The peers the browser benchmarks measure against (TensorFlow.js), from npm.
pub fn bench_packages() -> Result<()> {
    npm_packages("benches")
}

#[cfg(test)]
mod tests {
    use super::lock_versions;

    const LOCK: &str = r#"# This file is automatically @generated by Cargo.
version = 4

[[package]]
name = "wasm-bindgen"
version = "0.2.130"
source = "registry+https://github.com/rust-lang/crates.io-index"
dependencies = [
 "wasm-bindgen-macro",
]

[[package]]
name = "wasm-bindgen-macro"
version = "0.2.131"

[[package]]
name = "xtask"
version = "0.1.0"

[metadata]
version = "9.9.9"
"#;

    #[test]
    fn finds_the_exact_package() {
        assert_eq!(lock_versions(LOCK, "wasm-bindgen"), ["0.2.130"]);
        assert_eq!(lock_versions(LOCK, "wasm-bindgen-macro"), ["0.2.131"]);
        assert_eq!(lock_versions(LOCK, "xtask"), ["0.1.0"]);
        assert!(lock_versions(LOCK, "wasm").is_empty());
    }

    #[test]
    fn lists_every_version_in_order() {
        let lock = format!("{LOCK}\n[[package]]\nname = \"wasm-bindgen\"\nversion = \"0.2.99\"\n");
        assert_eq!(lock_versions(&lock, "wasm-bindgen"), ["0.2.130", "0.2.99"]);
    }
}
