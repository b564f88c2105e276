//! The page's wasm, built here rather than by trunk, because trunk cannot
//! split a wasm and the page's training panels are a chunk of their own
//! (src/site/deferred.rs): the first load holds the lesson, the explorer and
//! the charts, the panels follow.
//!
//! cargo links the page keeping its relocations, wasm-split (the splitter
//! cargo-leptos uses) cuts it at its `#[wasm_split]` points, wasm-bindgen
//! writes the glue of the main part, its imports from the glue get short
//! names (src/imports.rs), wasm-opt shrinks every part, esbuild
//! minifies the JS, and all of it goes to `dist/page-<hash>/`, a folder named after the files' bytes so
//! that a new build is a new URL (the parts find each other by relative
//! paths inside it).

use std::fs;
use std::path::{Path, PathBuf};

use crate::install::wasm_split_cli;
use crate::proc::{Result, command, run, target_dir};

/// The page's binary (src/bin/cblab-site.rs) and the name of its files.
const NAME: &str = "cblab-site";

/// Where the built page's two entry files are, as URLs from the site's root.
pub struct Page {
    /// The wasm-bindgen glue, an ES module: `init` and the exports.
    pub js: String,
    /// The main part of the wasm, which the glue instantiates.
    pub wasm: String,
}

/// Builds the page into `dist/page-<hash>/`.
pub fn build(dist: &Path) -> Result<Page> {
    let raw = link()?;
    let work = target_dir().join("page");
    let (split, out) = (work.join("split"), work.join("out"));
    for dir in [&split, &out] {
        let _ = fs::remove_dir_all(dir);
        fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    run(command(&wasm_split_cli().to_string_lossy())
        .arg(&raw)
        .arg(&split)
        .args(["--target", "web", "--out-name", NAME]))?;
    // The splitter's main part still needs its glue; it keeps the linker's
    // exports and names, which the chunks are linked against.
    run(command("wasm-bindgen")
        .args([
            "--target",
            "web",
            "--keep-lld-exports",
            "--no-demangle",
            "--no-typescript",
        ])
        .args(["--out-name", NAME, "--out-dir"])
        .arg(&out)
        .arg(split.join(format!("{NAME}.wasm"))))?;
    let main_wasm = format!("{NAME}_bg.wasm");
    let glue = out.join(format!("{NAME}.js"));
    let renamed =
        crate::imports::shorten(&out.join(&main_wasm), &glue, &format!("./{NAME}_bg.js"))?;
    println!("build: the page's {renamed} imports from its glue have short names");
    shrink(&out.join(&main_wasm), &out.join(&main_wasm))?;
    let mut chunks = 0;
    for file in files_in(&split)? {
        let name = file_name(&file);
        if name == format!("{NAME}.wasm") {
            continue;
        }
        if name.ends_with(".wasm") {
            shrink(&file, &out.join(&name))?;
            chunks += 1;
        } else {
            copy(&file, &out.join(&name))?;
        }
    }
    if chunks == 0 {
        return Err(format!(
            "wasm-split found no split point in {}: was it linked with --emit-relocs?",
            raw.display()
        ));
    }
    // The glue is fetched before the page can start: minified, as trunk
    // minifies the files it builds.
    for file in files_in(&out)? {
        if file_name(&file).ends_with(".js") {
            minify(&file)?;
        }
    }
    let folder = format!("page-{:016x}", crate::files::fnv1a(&out)?);
    let target = dist.join(&folder);
    fs::create_dir_all(&target).map_err(|e| format!("cannot create {}: {e}", target.display()))?;
    for file in files_in(&out)? {
        copy(&file, &target.join(file_name(&file)))?;
    }
    println!("build: the page's wasm is main + {chunks} lazily fetched part(s) in dist/{folder}");
    Ok(Page {
        js: format!("/{folder}/{NAME}.js"),
        wasm: format!("/{folder}/{main_wasm}"),
    })
}

/// `cargo rustc` the page for the `site` profile with `--emit-relocs` (only
/// this final link changes, so trunk-built dependencies stay cached):
/// wasm-split needs the relocations to move functions between parts.
fn link() -> Result<PathBuf> {
    run(command("cargo")
        .args([
            "rustc",
            "--package",
            "cblab",
            "--bin",
            NAME,
            "--profile",
            "site",
        ])
        .args(["--features", "site"])
        .args(["--target", "wasm32-unknown-unknown", "--"])
        .args(["-C", "link-arg=--emit-relocs"]))?;
    let raw = target_dir().join(format!("wasm32-unknown-unknown/site/{NAME}.wasm"));
    if raw.is_file() {
        Ok(raw)
    } else {
        Err(format!("cargo succeeded but {} is missing", raw.display()))
    }
}

/// esbuild's minifier over an ES module, in place: the exports keep their names.
fn minify(file: &Path) -> Result<()> {
    run(command("esbuild")
        .arg(file)
        .args([
            "--minify",
            "--format=esm",
            "--log-level=warning",
            "--allow-overwrite",
        ])
        .arg(format!("--outfile={}", file.display())))
}

/// wasm-opt at `-Oz`, as trunk runs it for the worker at `-O3`. With
/// `CBLAB_KEEP_NAMES` set, the functions keep their names, for a profiler.
fn shrink(input: &Path, output: &Path) -> Result<()> {
    let mut wasm_opt = command("wasm-opt");
    if std::env::var_os("CBLAB_KEEP_NAMES").is_some() {
        wasm_opt.arg("--debuginfo");
    }
    run(wasm_opt.arg("-Oz").arg(input).arg("--output").arg(output))
}

fn files_in(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    Ok(files)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn copy(from: &Path, to: &Path) -> Result<()> {
    fs::copy(from, to)
        .map(|_| ())
        .map_err(|e| format!("cannot copy {} to {}: {e}", from.display(), to.display()))
}
