//! `cblab`: class-balanced weights, count profiles and losses on the command line.

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    cblab::cli::main()
}

#[cfg(target_arch = "wasm32")]
fn main() {
    // The command-line tool is native only; the site's entry point is `cblab-site`.
}
