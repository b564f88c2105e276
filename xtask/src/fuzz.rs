//! `cargo xtask fuzz`: runs the fuzz targets (fuzz/: the count parser, the
//! Fashion-MNIST asset, the COCO/LVIS reader) under cargo-fuzz and nightly Rust.

use crate::proc::{Result, command, output, root, run};

pub fn fuzz(seconds: u64) -> Result<()> {
    if !root().join("fuzz/Cargo.toml").is_file() {
        return Err("there is no fuzz/ crate (fuzz/Cargo.toml) to run".into());
    }
    if output(command("cargo").args(["fuzz", "--version"])).is_some() {
        println!("install: cargo-fuzz: present");
    } else {
        println!("install: cargo-fuzz missing: installing it");
        run(command("cargo").args(["install", "cargo-fuzz"]))?;
    }
    let toolchains = output(command("rustup").args(["toolchain", "list"])).unwrap_or_default();
    if toolchains.lines().any(|line| line.starts_with("nightly")) {
        println!("install: nightly Rust: present");
    } else {
        println!("install: nightly Rust missing: installing it (cargo-fuzz needs it)");
        run(command("rustup").args(["toolchain", "install", "nightly", "--profile", "minimal"]))?;
    }
    let max_time = format!("-max_total_time={seconds}");
    for target in ["count_parser", "fashion_asset", "coco_reader"] {
        run(command("cargo").args(["+nightly", "fuzz", "run", target, "--", &max_time]))?;
    }
    Ok(())
}
