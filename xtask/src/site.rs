//! `cargo xtask build`: the release site in dist/, built by trunk offline with our own tools.

use crate::install::{self, Scope, WASM_OPT_VERSION};
use crate::{files, page};
use std::path::Path;

use crate::proc::{Result, command, root, run};

/// Installs the build tools, then builds the site.
pub fn build() -> Result<()> {
    install::install(Scope::Build)?;
    trunk_build()
}

/// `trunk build --release --offline` (the worker, the styles and the assets),
/// then the page's split wasm ([`page::build`]) and its loader, assuming the
/// tools are installed.
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
    let dist = root().join("dist");
    let index = dist.join("index.html");
    if !index.is_file() {
        return Err(format!(
            "trunk succeeded but {} is missing",
            index.display()
        ));
    }
    let page = page::build(&dist)?;
    write_loader(&index, &page)?;
    write_worker_loader(&dist)?;
    write_service_worker(&dist)?;
    println!("build: the site is in {}", dist.display());
    Ok(())
}

/// Writes `dist/start.js` (see [`loader_script`]) and puts it, with the
/// preloads of the page's glue and wasm, in `index.html` where trunk left the
/// page's skipped link. A script file, not an inline one, so the page's
/// Content-Security-Policy can forbid every inline script (`script-src 'self'
/// 'wasm-unsafe-eval'`).
fn write_loader(index: &Path, page: &page::Page) -> Result<()> {
    let html = std::fs::read_to_string(index)
        .map_err(|e| format!("cannot read {}: {e}", index.display()))?;
    // Trunk minifies the HTML in a release build: the link's attributes may
    // come in any order and without quotes.
    let Some(at) = ["data-bin=\"cblab-site\"", "data-bin=cblab-site"]
        .iter()
        .find_map(|marker| html.find(marker))
    else {
        return Err(format!("no page link left by trunk in {}", index.display()));
    };
    let start = html[..at].rfind("<link").ok_or_else(|| {
        format!(
            "the page's data-bin is not in a link in {}",
            index.display()
        )
    })?;
    let end = html[at..]
        .find('>')
        .map(|e| at + e + 1)
        .ok_or_else(|| format!("unclosed page link in {}", index.display()))?;
    let dir = index.parent().expect("dist/index.html has a folder");
    std::fs::write(dir.join("start.js"), loader_script(page))
        .map_err(|e| format!("cannot write start.js: {e}"))?;
    let tags = format!(
        "<link rel=\"modulepreload\" href=\"{js}\" crossorigin=\"anonymous\">\n    \
         <link rel=\"preload\" href=\"{wasm}\" crossorigin=\"anonymous\" as=\"fetch\" type=\"application/wasm\">\n    \
         <script type=\"module\" src=\"/start.js\"></script>",
        js = page.js,
        wasm = page.wasm,
    );
    let html = format!("{}{tags}{}", &html[..start], &html[end..]);
    std::fs::write(index, html).map_err(|e| format!("cannot write {}: {e}", index.display()))
}

/// The training worker's files as trunk names them (`data-type="worker"`: not hashed).
const WORKER_JS: &str = "cblab-worker.js";
const WORKER_WASM: &str = "cblab-worker_bg.wasm";

/// Writes `dist/worker.js`, the script the page starts its training worker
/// with: trunk's wasm-bindgen glue, then the wasm. A wasm that fails to
/// load is thrown again from a timer, so the page hears of it (an error
/// event on the worker) and says so, instead of waiting for a worker that
/// never answers.
fn write_worker_loader(dist: &Path) -> Result<()> {
    for file in [WORKER_JS, WORKER_WASM] {
        if !dist.join(file).is_file() {
            return Err(format!("trunk succeeded but dist/{file} is missing"));
        }
    }
    let script = format!(
        "// The training worker's loader (written by `cargo xtask build`).\n\
         importScripts('./{WORKER_JS}');\n\
         wasm_bindgen({{ module_or_path: './{WORKER_WASM}' }}).catch((e) => setTimeout(() => {{ throw e; }}));\n"
    );
    std::fs::write(dist.join("worker.js"), script)
        .map_err(|e| format!("cannot write dist/worker.js: {e}"))
}

/// Writes `dist/sw.js` from `src/site/service_worker.js`: the list of the
/// build's files to cache, and a version made from their names and bytes
/// (FNV-1a, 64 bits), so a new build is a new worker that replaces the cache.
fn write_service_worker(dist: &Path) -> Result<()> {
    let mut files = Vec::new();
    files::list_files(dist, dist, &mut files)?;
    // The data sets are fetched when their panel opens, not on every first
    // visit: the fetch handler caches them then.
    files.retain(|f| f != "sw.js" && !f.starts_with("data/"));
    files.sort();
    let hash = files::hash_files(dist, &files)?;
    let urls: Vec<String> = std::iter::once("/".to_owned())
        .chain(files.iter().map(|f| format!("/{f}")))
        .map(|url| format!("{url:?}"))
        .collect();
    let template_path = root().join("src/site/service_worker.js");
    let template = std::fs::read_to_string(&template_path)
        .map_err(|e| format!("cannot read {}: {e}", template_path.display()))?;
    let script = template
        .replace("__VERSION__", &format!("{hash:016x}"))
        .replace("__FILES__", &format!("[{}]", urls.join(", ")));
    std::fs::write(dist.join("sw.js"), script).map_err(|e| format!("cannot write dist/sw.js: {e}"))
}

/// A module of one function that returns a v128 (`i8x16.popcnt` of a splat):
/// it validates only where WebAssembly SIMD does.
const SIMD_PROBE: &str =
    "0,97,115,109,1,0,0,0,1,5,1,96,0,1,123,3,2,1,0,10,10,1,8,0,65,0,253,15,253,98,11";

/// start.js: the page's wasm started only where the browser has WebAssembly
/// SIMD (the wasm is built with simd128; elsewhere the page says, in English
/// and Chinese, that it needs it), then the service worker's registration.
/// The exports go on `window.wasmBindings`, as trunk's loader put them
/// (benches/browser_training.mjs calls one).
fn loader_script(page: &page::Page) -> String {
    format!(
        r#"import init, * as bindings from '{js}';
// The site's wasm is built with WebAssembly SIMD (simd128).
if (WebAssembly.validate(new Uint8Array([{SIMD_PROBE}]))) {{
  await init({{ module_or_path: '{wasm}' }});
  window.wasmBindings = bindings;
}} else {{
  const say = (lang, text) => {{
    const p = document.createElement('p');
    p.className = 'notice';
    p.lang = lang;
    p.textContent = text;
    return p;
  }};
  const box = document.createElement('div');
  box.id = 'no-simd';
  box.setAttribute('role', 'alert');
  box.append(
    say('en', 'CB Lab needs WebAssembly SIMD, which this browser does not offer. Please open it in a current Chrome, Edge, Firefox or Safari (16.4 or later).'),
    say('zh-CN', 'CB Lab 需要 WebAssembly SIMD，而此浏览器不支持。请使用新版 Chrome、Edge、Firefox 或 Safari（16.4 及以上）打开。'),
  );
  document.body.append(box);
}}
if ('serviceWorker' in navigator) {{
  navigator.serviceWorker.register('/sw.js');
}}
"#,
        js = page.js,
        wasm = page.wasm,
    )
}
