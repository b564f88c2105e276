//! Training throughput of the CPU trainer in WebAssembly (node's V8, the
//! engine Chromium runs the page with): samples per second for forward,
//! backward and Adam update of the 2 -> 64 -> 64 -> 10 MLP with CB softmax,
//! at batch 32, 256 and 1024, as `benches/throughput.rs` measures natively.
//! Prints one JSON line per batch size, and whether the build multiplies with
//! the SIMD kernels.
//!
//! `cargo bench --target wasm32-unknown-unknown --bench wasm_throughput -- --nocapture`
//! (add `RUSTFLAGS="-C target-feature=-simd128"` for the scalar build). Each
//! batch size trains for 2 s, or `CBLAB_BENCH_MS` milliseconds when that is
//! set at build time (the brief run of `cargo xtask test`: a wasm test reads
//! no arguments).

#[cfg(target_arch = "wasm32")]
mod throughput_model;

#[cfg(target_arch = "wasm32")]
mod wasm {
    use cblab_matmul::SIMD;
    use wasm_bindgen_test::{console_log, wasm_bindgen_test};

    #[wasm_bindgen_test]
    fn throughput() {
        let task = super::throughput_model::task();
        for batch in super::throughput_model::BATCHES {
            let mut trainer = super::throughput_model::warm_trainer(&task, batch);
            let start = js_sys::Date::now();
            let mut steps = 0;
            let window_ms = option_env!("CBLAB_BENCH_MS")
                .and_then(|ms| ms.parse::<f64>().ok())
                .unwrap_or(2000.0);
            while js_sys::Date::now() - start < window_ms {
                trainer.step(50);
                steps += 50;
            }
            let seconds = (js_sys::Date::now() - start) / 1000.0;
            let samples = steps as f64 * batch as f64 / seconds;
            console_log!(
                "{{\"impl\": \"cblab-wasm\", \"simd\": {SIMD}, \"batch\": {batch}, \"samples_per_s\": {samples:.0}}}"
            );
        }
    }
}

fn main() {
    #[cfg(not(target_arch = "wasm32"))]
    eprintln!("wasm_throughput runs in wasm: add --target wasm32-unknown-unknown");
}
