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
    externalize_loader(&index)?;
    println!("build: the site is in {}", root().join("dist").display());
    Ok(())
}

/// Moves the inline `<script type="module">` that trunk writes to start the
/// wasm into `dist/start.js`, so the page's Content-Security-Policy can forbid
/// every inline script (`script-src 'self' 'wasm-unsafe-eval'`).
fn externalize_loader(index: &std::path::Path) -> Result<()> {
    let html = std::fs::read_to_string(index)
        .map_err(|e| format!("cannot read {}: {e}", index.display()))?;
    let open = "<script type=\"module\">";
    let Some(start) = html.find(open) else {
        return Err(format!("no inline loader script in {}", index.display()));
    };
    let body_start = start + open.len();
    let end = html[body_start..]
        .find("</script>")
        .map(|e| body_start + e)
        .ok_or_else(|| format!("unclosed loader script in {}", index.display()))?;
    let script = &html[body_start..end];
    let dir = index.parent().expect("dist/index.html has a folder");
    std::fs::write(dir.join("start.js"), script.trim())
        .map_err(|e| format!("cannot write start.js: {e}"))?;
    let html = format!(
        "{}<script type=\"module\" src=\"/start.js\"></script>{}",
        &html[..start],
        &html[end + "</script>".len()..]
    );
    std::fs::write(index, html).map_err(|e| format!("cannot write {}: {e}", index.display()))
}
