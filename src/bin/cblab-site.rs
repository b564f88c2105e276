//! The site's entry point: `cargo xtask build` builds this binary for wasm32
//! with the `site` feature and splits it (xtask/src/page.rs).

#[cfg(target_arch = "wasm32")]
fn main() {
    cblab::site::mount();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("cblab-site is the web site; build it with `cargo xtask serve`");
    std::process::exit(2);
}
