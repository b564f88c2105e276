//! The page's training worker: trunk builds this binary for wasm32 as a Web
//! Worker (see index.html and `cblab::worker`).

#[cfg(target_arch = "wasm32")]
fn main() {
    cblab::worker::run();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("cblab-worker is the web site's training worker; build it with `cargo xtask serve`");
    std::process::exit(2);
}
