//! `cargo xtask test`: every check CI runs, in order, stopping at the first failure.

use std::fs;
use std::process::Command;

use crate::bench;
use crate::install::{self, Scope};
use crate::proc::{Result, command, root, run, runtime_dir, target_dir};
use crate::site;

/// What a step does.
enum Action {
    Run(Command),
    SiteBuild,
    /// Every benchmark, briefly (xtask/src/bench.rs).
    Benchmarks,
    /// Every fuzz target, briefly (xtask/src/fuzz.rs).
    Fuzz,
}

/// How long CI runs each fuzz target: enough to catch a reader that panics on
/// the simplest mutations of its seeds, short enough to run every time.
const FUZZ_SECONDS: u64 = 10;

struct Step {
    name: &'static str,
    action: Action,
}

fn cargo(name: &'static str, args: &[&str]) -> Step {
    let mut cargo = command("cargo");
    cargo.args(args);
    Step {
        name,
        action: Action::Run(cargo),
    }
}

/// The browser test files, sorted (listed explicitly: newer Node versions read
/// `node --test <folder>` as a glob and would find nothing).
fn browser_test_files() -> Result<Vec<String>> {
    let dir = root().join("tests/browser");
    let entries =
        fs::read_dir(&dir).map_err(|error| format!("cannot read {}: {error}", dir.display()))?;
    let mut files: Vec<String> = entries
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| name.ends_with(".test.mjs"))
        .map(|name| format!("tests/browser/{name}"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(format!("no *.test.mjs files in {}", dir.display()));
    }
    Ok(files)
}

pub fn test() -> Result<()> {
    install::install(Scope::Test)?;

    let mut node = command("node");
    node.arg("--test")
        .args(browser_test_files()?)
        .env("CBLAB_DIST", root().join("dist"))
        .env("CBLAB_CLI", target_dir().join("debug/cblab"));

    let mut steps = [
        cargo("formatting", &["fmt", "--all", "--check"]),
        cargo(
            "clippy (native)",
            &[
                "clippy",
                "--workspace",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ],
        ),
        cargo(
            "clippy (wasm32)",
            &[
                "clippy",
                "--lib",
                "--bins",
                "--target",
                "wasm32-unknown-unknown",
                "-p",
                "cblab",
                "-p",
                "cblab-matmul",
                "--features",
                "cblab/site",
                "--",
                "-D",
                "warnings",
            ],
        ),
        cargo("cargo test", &["test", "--workspace"]),
        cargo(
            "wasm in node: seeded bits (tests/determinism.rs), SIMD kernels (tests/matmul.rs)",
            &[
                "test",
                "-p",
                "cblab",
                "--target",
                "wasm32-unknown-unknown",
                "--test",
                "determinism",
                "--test",
                "matmul",
            ],
        ),
        Step {
            name: "release site build (trunk)",
            action: Action::SiteBuild,
        },
        cargo(
            "cblab CLI build (for the browser tests)",
            &["build", "--bin", "cblab"],
        ),
        Step {
            name: "browser tests",
            action: Action::Run(node),
        },
        Step {
            name: "every benchmark, briefly (cargo xtask bench --brief)",
            action: Action::Benchmarks,
        },
        Step {
            name: "every fuzz target, briefly (cargo xtask fuzz --seconds 10)",
            action: Action::Fuzz,
        },
    ];

    let runtime_dir = runtime_dir()?;
    let count = steps.len();
    for (number, step) in steps.iter_mut().enumerate() {
        println!("\n==> step {}/{count}: {}", number + 1, step.name);
        let result = match &mut step.action {
            Action::Run(command) => {
                if let Some(dir) = &runtime_dir {
                    command.env("XDG_RUNTIME_DIR", dir);
                }
                run(command)
            }
            Action::SiteBuild => site::trunk_build(),
            Action::Benchmarks => bench::bench(true),
            Action::Fuzz => crate::fuzz::fuzz(FUZZ_SECONDS),
        };
        result.map_err(|error| {
            format!(
                "step {}/{count} ({}) failed: {error}",
                number + 1,
                step.name
            )
        })?;
    }
    println!("\nxtask test: all {count} steps passed");
    Ok(())
}
