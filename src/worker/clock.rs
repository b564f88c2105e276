//! Time and turns in a worker, which has no window: the global scope's
//! clock, and a message channel to let queued messages in between chunks
//! (a zero timeout would be clamped to 4 ms once nested).

use std::cell::RefCell;

use wasm_bindgen::{JsCast, JsValue};

use super::protocol::BenchResult;

/// Milliseconds since the worker started (for time budgets, not for results).
pub fn now_ms() -> f64 {
    js_sys::global()
        .unchecked_into::<web_sys::WorkerGlobalScope>()
        .performance()
        .map_or(0.0, |p| p.now())
}

thread_local! {
    static CHANNEL: RefCell<Option<web_sys::MessageChannel>> = const { RefCell::new(None) };
}

/// Resolves after the messages already queued for the worker have been
/// handled.
pub async fn yield_now() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        CHANNEL.with(|c| {
            let mut c = c.borrow_mut();
            if c.is_none() {
                *c = web_sys::MessageChannel::new().ok();
            }
            match c.as_ref() {
                Some(channel) => {
                    channel.port1().set_onmessage(Some(&resolve));
                    let _ = channel.port2().post_message(&JsValue::NULL);
                }
                // No channel: go on at once rather than stall.
                None => {
                    let _ = resolve.call0(&JsValue::NULL);
                }
            }
        });
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Times `step` (8 steps of `batch` samples a call) on the CPU for `millis`.
pub fn time_cpu(batch: usize, millis: f64, mut step: impl FnMut(usize)) -> BenchResult {
    let start = now_ms();
    let mut steps = 0;
    while now_ms() - start < millis {
        step(8);
        steps += 8;
    }
    let seconds = (now_ms() - start) / 1000.0;
    BenchResult {
        samples_per_s: (steps * batch) as f64 / seconds,
        steps,
    }
}
