//! `cargo xtask bench [--brief]`: every benchmark that docs/speed.md names,
//! one after the other, each printing its figures. `--brief` is what `cargo
//! xtask test` (so CI) runs: a fraction of a second a case, with cblab built
//! at the `dev` profile the tests already built, so that no benchmark rots
//! unnoticed; its figures then prove only that it runs. The peers come from
//! the package registries (JAX from PyPI into target/bench-venv, TensorFlow.js
//! from npm into benches/node_modules). TensorFlow Playground comes only from
//! its source: its comparison runs when its build or checkout is given
//! (`PLAYGROUND_DIST`, target/playground/dist or `PLAYGROUND_SRC`) and is
//! otherwise named as skipped.

use std::path::PathBuf;
use std::process::Command;

use crate::install;
use crate::proc::{Result, command, root, run, runtime_dir};

/// A benchmark: what it measures, and the command that runs it (or why it
/// cannot run here).
struct Bench {
    name: &'static str,
    command: std::result::Result<Command, String>,
}

/// Where benches/playground.mjs finds TensorFlow Playground's build, if it is there.
fn playground_dist() -> Option<PathBuf> {
    let dist = std::env::var_os("PLAYGROUND_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target/playground/dist"));
    dist.join("index.html").exists().then_some(dist)
}

fn benches(brief: bool) -> Vec<Bench> {
    let pick = |short: &'static str, full: &'static str| if brief { short } else { full };
    // The Rust benchmarks at the profile the tests built, when brief.
    let profile = pick("dev", "bench");
    let cargo_bench = |args: &[&str]| {
        let mut cargo = command("cargo");
        cargo
            .args(["bench", "--quiet", "--profile", profile])
            .args(args);
        cargo
    };
    let node = |script: &str, args: &[&str]| {
        let mut node = command("node");
        node.arg(format!("benches/{script}")).args(args);
        if brief {
            node.env("CBLAB_BENCH_BRIEF", "1");
        }
        node
    };

    let mut jax = command("bash");
    jax.args(["benches/compare_jax.sh", pick("0.05", "3")])
        .env("CBLAB_BENCH_PROFILE", profile);
    let mut wasm = cargo_bench(&[
        "--target",
        "wasm32-unknown-unknown",
        "--bench",
        "wasm_throughput",
        "--",
        "--nocapture",
    ]);
    if brief {
        // Read at build time: a wasm test gets no arguments.
        wasm.env("CBLAB_BENCH_MS", "20");
    }
    let playground = match (playground_dist(), std::env::var_os("PLAYGROUND_SRC")) {
        (Some(_), _) => Ok(node("playground.mjs", &[pick("0.5", "3")])),
        (None, Some(_)) => {
            let mut build_then_run = command("bash");
            build_then_run.args([
                "-c",
                &format!(
                    "bash benches/build_playground.sh && {}node benches/playground.mjs {}",
                    if brief { "CBLAB_BENCH_BRIEF=1 " } else { "" },
                    pick("0.5", "3")
                ),
            ]);
            Ok(build_then_run)
        }
        (None, None) => Err(
            "TensorFlow Playground comes only from its source, which is not given here \
             (set PLAYGROUND_SRC to a checkout, or PLAYGROUND_DIST to a build)"
                .to_owned(),
        ),
    };

    vec![
        Bench {
            name: "the CPU trainer natively, beside JAX (benches/compare_jax.sh, throughput.rs, jax_throughput.py)",
            command: Ok(jax),
        },
        Bench {
            name: "the GPU trainer natively, on Vulkan (benches/gpu.rs)",
            command: Ok(cargo_bench(&[
                "--bench",
                "gpu",
                "--",
                "--steps",
                pick("2", "60"),
            ])),
        },
        Bench {
            name: "counting an LVIS-shaped annotation file beside Python's json.load (benches/annotations.rs, coco_python.py)",
            command: Ok(cargo_bench(&[
                "--bench",
                "annotations",
                "--",
                "--megabytes",
                pick("4", "315"),
            ])),
        },
        Bench {
            name: "the CPU trainer in WebAssembly, in node (benches/wasm_throughput.rs)",
            command: Ok(wasm),
        },
        Bench {
            name: "the explorer's beta drag (benches/explorer.mjs)",
            command: Ok(node("explorer.mjs", &[])),
        },
        Bench {
            name: "training in the page, CPU path and WebGPU, and the live panel (benches/training.mjs, live_panel.mjs)",
            command: Ok(node("training.mjs", &[])),
        },
        Bench {
            name: "the training worker beside TensorFlow.js (benches/browser_training.mjs)",
            command: Ok(node("browser_training.mjs", &[pick("0.05", "2")])),
        },
        Bench {
            name: "memory over many trainings (benches/memory.mjs)",
            command: Ok(node("memory.mjs", &[])),
        },
        Bench {
            name: "the real-data panel (benches/real_data.mjs)",
            command: Ok(node("real_data.mjs", &[])),
        },
        Bench {
            name: "WebGPU's peak on the trainer's kind of work (benches/webgpu_peak.mjs)",
            command: Ok(node("webgpu_peak.mjs", &[])),
        },
        Bench {
            name: "the live panel beside TensorFlow Playground (benches/playground.mjs)",
            command: playground,
        },
    ]
}

/// Runs every benchmark (the site in dist/ must be built); stops at the first
/// that fails, and names the ones that could not run here.
pub fn bench(brief: bool) -> Result<()> {
    install::bench_packages()?;
    let runtime_dir = runtime_dir()?;
    let mut benches = benches(brief);
    let count = benches.len();
    let mut skipped = Vec::new();
    for (number, bench) in benches.iter_mut().enumerate() {
        println!("\n--> benchmark {}/{count}: {}", number + 1, bench.name);
        match &mut bench.command {
            Ok(command) => {
                command.env("CBLAB_DIST", root().join("dist"));
                if let Some(dir) = &runtime_dir {
                    command.env("XDG_RUNTIME_DIR", dir);
                }
                run(command).map_err(|error| format!("benchmark {}: {error}", bench.name))?;
            }
            Err(why) => {
                println!("skipped: {why}");
                skipped.push(bench.name);
            }
        }
    }
    println!(
        "\nxtask bench{}: {} of {count} benchmarks ran{}",
        if brief { " --brief" } else { "" },
        count - skipped.len(),
        if skipped.is_empty() {
            String::new()
        } else {
            format!("; skipped: {}", skipped.join("; "))
        }
    );
    Ok(())
}
