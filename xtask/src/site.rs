//! `cargo xtask build`: the release site in dist/, built by trunk offline with our own tools.

use crate::install::{self, Scope, WASM_OPT_VERSION};
use std::path::Path;

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
    write_worker_loader(&root().join("dist"))?;
    write_service_worker(&root().join("dist"))?;
    println!("build: the site is in {}", root().join("dist").display());
    Ok(())
}

/// Moves the inline `<script type="module">` that trunk writes to start the
/// wasm into `dist/start.js` (see [`loader_script`]), so the page's
/// Content-Security-Policy can forbid every inline script (`script-src 'self'
/// 'wasm-unsafe-eval'`).
fn externalize_loader(index: &Path) -> Result<()> {
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
    let script = loader_script(html[body_start..end].trim());
    let dir = index.parent().expect("dist/index.html has a folder");
    std::fs::write(dir.join("start.js"), script)
        .map_err(|e| format!("cannot write start.js: {e}"))?;
    let html = format!(
        "{}<script type=\"module\" src=\"/start.js\"></script>{}",
        &html[..start],
        &html[end + "</script>".len()..]
    );
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
    list_files(dist, dist, &mut files)?;
    // The data sets are fetched when their panel opens, not on every first
    // visit: the fetch handler caches them then.
    files.retain(|f| f != "sw.js" && !f.starts_with("data/"));
    files.sort();
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for file in &files {
        let bytes =
            std::fs::read(dist.join(file)).map_err(|e| format!("cannot read dist/{file}: {e}"))?;
        for &b in file.as_bytes().iter().chain(&[0]).chain(&bytes) {
            hash = (hash ^ b as u64).wrapping_mul(0x0100_0000_01b3);
        }
    }
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

/// Every file under `dir`, as a path relative to `base` with `/` between folders.
fn list_files(base: &Path, dir: &Path, out: &mut Vec<String>) -> Result<()> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry
            .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
            .path();
        if path.is_dir() {
            list_files(base, &path, out)?;
        } else {
            let relative = path.strip_prefix(base).expect("listed under the base");
            let parts: Vec<String> = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            out.push(parts.join("/"));
        }
    }
    Ok(())
}

/// A module of one function that returns a v128 (`i8x16.popcnt` of a splat):
/// it validates only where WebAssembly SIMD does.
const SIMD_PROBE: &str =
    "0,97,115,109,1,0,0,0,1,5,1,96,0,1,123,3,2,1,0,10,10,1,8,0,65,0,253,15,253,98,11";

/// start.js: trunk's loader, run only where the browser has WebAssembly SIMD
/// (the wasm is built with simd128; elsewhere the page says, in English and
/// Chinese, that it needs it), then the service worker's registration.
fn loader_script(trunk_loader: &str) -> String {
    let (imports, rest): (Vec<&str>, Vec<&str>) = trunk_loader
        .lines()
        .partition(|line| line.starts_with("import "));
    let rest: Vec<String> = rest
        .iter()
        .filter(|line| !line.trim().is_empty())
        .map(|line| format!("  {line}"))
        .collect();
    format!(
        r#"{imports}
// The site's wasm is built with WebAssembly SIMD (simd128).
if (WebAssembly.validate(new Uint8Array([{SIMD_PROBE}]))) {{
{rest}
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
        imports = imports.join("\n"),
        rest = rest.join("\n"),
    )
}
