//! `cargo xtask fuzz`: runs the fuzz targets (fuzz/: the count parser, the
//! Fashion-MNIST asset, the COCO/LVIS reader, the table and Open Images
//! readers, the image-folder counter) under cargo-fuzz and nightly Rust.

use crate::proc::{Result, command, output, root, run};

/// The nightly Rust cargo-fuzz builds with (sanitizers need nightly), pinned
/// so that a new nightly cannot break CI overnight; and cargo-fuzz's version.
pub const NIGHTLY: &str = "nightly-2026-05-20";
const CARGO_FUZZ: &str = "0.13.2";

/// The targets of fuzz/Cargo.toml.
const TARGETS: [&str; 5] = [
    "count_parser",
    "fashion_asset",
    "coco_reader",
    "label_table",
    "image_folder",
];

pub fn fuzz(seconds: u64) -> Result<()> {
    if !root().join("fuzz/Cargo.toml").is_file() {
        return Err("there is no fuzz/ crate (fuzz/Cargo.toml) to run".into());
    }
    let version = output(command("cargo").args(["fuzz", "--version"])).unwrap_or_default();
    if version.split_whitespace().nth(1) == Some(CARGO_FUZZ) {
        println!("install: cargo-fuzz {CARGO_FUZZ}: present");
    } else {
        println!("install: cargo-fuzz {CARGO_FUZZ} missing: installing it (about 2 minutes)");
        run(command("cargo").args(["install", "cargo-fuzz", "--version", CARGO_FUZZ, "--locked"]))?;
    }
    let toolchains = output(command("rustup").args(["toolchain", "list"])).unwrap_or_default();
    if toolchains.lines().any(|line| line.starts_with(NIGHTLY)) {
        println!("install: {NIGHTLY}: present");
    } else {
        println!("install: {NIGHTLY} missing: installing it (cargo-fuzz needs nightly)");
        run(command("rustup").args(["toolchain", "install", NIGHTLY, "--profile", "minimal"]))?;
    }
    let nightly = format!("+{NIGHTLY}");
    // Built once for all (a `run` alone builds its target, with the same flags).
    run(command("cargo").args([&nightly, "fuzz", "build"]))?;
    let max_time = format!("-max_total_time={seconds}");
    for target in TARGETS {
        run(command("cargo").args([&nightly, "fuzz", "run", target, "--", &max_time]))?;
    }
    Ok(())
}
