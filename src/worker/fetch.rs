//! Fetching a file of the site as bytes, from the page or from the worker
//! (both have `fetch`; the service worker answers it offline).

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::data::fashion::FashionAsset;
use crate::i18n::Message;
use crate::worker::protocol::FASHION_ASSET_URL;

/// The bytes at `url` (relative to the site), or why not, in words.
pub async fn fetch_bytes(url: &str) -> Result<Vec<u8>, String> {
    let global = js_sys::global();
    let promise = match global.dyn_ref::<web_sys::WorkerGlobalScope>() {
        Some(worker) => worker.fetch_with_str(url),
        None => web_sys::window()
            .ok_or("neither a page nor a worker")?
            .fetch_with_str(url),
    };
    let words = |e: wasm_bindgen::JsValue| {
        e.dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .unwrap_or_else(|| format!("{e:?}"))
    };
    let response: web_sys::Response = JsFuture::from(promise)
        .await
        .map_err(words)?
        .dyn_into()
        .map_err(|_| "fetch gave no response".to_owned())?;
    if !response.ok() {
        return Err(format!("HTTP {} for {url}", response.status()));
    }
    let buffer = JsFuture::from(response.array_buffer().map_err(words)?)
        .await
        .map_err(words)?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// The Fashion-MNIST-LT asset, fetched and checked.
pub async fn fashion_asset() -> Result<FashionAsset, Message> {
    let bytes = fetch_bytes(FASHION_ASSET_URL)
        .await
        .map_err(|e| Message::new("error.fashion.fetch").with("detail", e))?;
    FashionAsset::parse(&bytes).map_err(|e| e.message())
}
