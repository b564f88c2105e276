//! `cargo xtask build`: the release site in dist/, built by trunk offline with our own tools.

use crate::install::{self, Scope, WASM_OPT_VERSION};
use crate::proc::{Result, command, root, run};

/// Installs the build tools, then builds the site.
pub fn build() -> Result<()> {
    install::install(Scope::Build)?;
    trunk_build()
}

/// `trunk build --release --offline`, assuming the tools are installed.
///
/// Trunk (0.21) looks for `wasm-bindgen` and `wasm-opt` on PATH (`proc::command` puts
/// target/tools/node_modules/.bin and cargo's bin folder first) and, offline, uses them only if
/// their versions are the ones it wants: for wasm-bindgen the one in Cargo.lock, for wasm-opt the
/// one in Trunk.toml's `[tools]`. We also pass both through trunk's own environment variables,
/// so that no other setting can make it reach for the network.
pub fn trunk_build() -> Result<()> {
    let wasm_bindgen = install::wasm_bindgen_version()?;
    run(command("trunk")
        .args(["build", "--release", "--offline"])
        .env("TRUNK_TOOLS_WASM_BINDGEN", &wasm_bindgen)
        .env(
            "TRUNK_TOOLS_WASM_OPT",
            format!("version_{WASM_OPT_VERSION}"),
        ))?;
    let index = root().join("dist/index.html");
    if !index.is_file() {
        return Err(format!(
            "trunk succeeded but {} is missing",
            index.display()
        ));
    }
    println!("build: the site is in {}", root().join("dist").display());
    Ok(())
}
