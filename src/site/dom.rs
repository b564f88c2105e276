//! Small bridges to the browser: downloads, the clipboard, the URL, the
//! colour scheme, timing.

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

/// The page's window.
pub fn window() -> web_sys::Window {
    web_sys::window().expect("the site runs in a browser window")
}

/// The device pixel ratio (2 on most phones), for crisp canvases.
pub fn pixel_ratio() -> f64 {
    window().device_pixel_ratio().max(1.0)
}

/// The query string of the page's URL, without `?`.
pub fn query() -> String {
    let search = window().location().search().unwrap_or_default();
    search.trim_start_matches('?').to_owned()
}

/// The value of `key` in the page's URL query, if there.
pub fn query_value(key: &str) -> Option<String> {
    form_urlencoded::parse(query().as_bytes())
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
}

/// Milliseconds since the page started (for time budgets, not for results).
pub fn now_ms() -> f64 {
    window().performance().map_or(0.0, |p| p.now())
}

/// The page's address with `query` (no fragment): a link to share or print.
pub fn page_url(query: &str) -> String {
    let location = window().location();
    let origin = location.origin().unwrap_or_default();
    let path = location.pathname().unwrap_or_default();
    if query.is_empty() {
        format!("{origin}{path}")
    } else {
        format!("{origin}{path}?{query}")
    }
}

thread_local! {
    /// Set while the handout is being printed: everything counts as on
    /// screen then, so that off-screen sections and charts show the current
    /// state on paper. Made by [`super::mount`] before any component, so
    /// it belongs to none and is never disposed: observers' callbacks read
    /// it after the component that set them up is gone.
    static PRINTING: RwSignal<bool> = RwSignal::new(false);
}

/// Whether the handout is being printed (see [`PRINTING`]).
pub fn printing() -> RwSignal<bool> {
    PRINTING.with(|p| *p)
}

/// Replaces the page's URL query without reloading or adding history; the
/// `#fragment` stays (a link to a section keeps pointing at it).
pub fn replace_query(query: &str) {
    let hash = window().location().hash().unwrap_or_default();
    let url = format!("?{query}{hash}");
    if let Ok(history) = window().history() {
        // Failing to update the address bar loses nothing: the state is in memory.
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&url));
    }
}

/// Offers `data` to the user as a file called `name`.
pub fn download(name: &str, data: &str, mime: &str) {
    let parts = js_sys::Array::of1(&JsValue::from_str(data));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    if let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) {
        download_url(name, &url);
        let _ = web_sys::Url::revoke_object_url(&url);
    }
}

/// Offers the resource at `url` (a data: or blob: URL) as a file called `name`.
pub fn download_url(name: &str, url: &str) {
    let document = window().document().expect("a window has a document");
    let Ok(anchor) = document.create_element("a") else {
        return;
    };
    let anchor: web_sys::HtmlAnchorElement = anchor.unchecked_into();
    anchor.set_href(url);
    anchor.set_download(name);
    anchor.click();
}

/// Copies `text` to the clipboard; the future resolves to whether it worked.
pub async fn copy_text(text: &str) -> bool {
    let clipboard = window().navigator().clipboard();
    wasm_bindgen_futures::JsFuture::from(clipboard.write_text(text))
        .await
        .is_ok()
}

/// Whether the system asks for a dark theme, kept up to date.
pub fn use_dark_mode() -> ReadSignal<bool> {
    let query = window()
        .match_media("(prefers-color-scheme: dark)")
        .ok()
        .flatten();
    let (dark, set_dark) = signal(query.as_ref().is_some_and(|q| q.matches()));
    if let Some(query) = query {
        let on_change = wasm_bindgen::closure::Closure::<dyn Fn(web_sys::MediaQueryListEvent)>::new(
            move |ev: web_sys::MediaQueryListEvent| set_dark.set(ev.matches()),
        );
        query.set_onchange(Some(on_change.as_ref().unchecked_ref()));
        // The listener lives as long as the page.
        on_change.forget();
    }
    dark
}

/// The window's inner width in CSS pixels, kept up to date (charts redraw to fit).
pub fn use_window_width() -> ReadSignal<f64> {
    let width = || {
        window()
            .inner_width()
            .ok()
            .and_then(|w| w.as_f64())
            .unwrap_or(1024.0)
    };
    let (get, set) = signal(width());
    let on_resize = wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || set.set(width()));
    window().set_onresize(Some(on_resize.as_ref().unchecked_ref()));
    on_resize.forget();
    get
}

/// Calls `on_change` with whether `element` is on screen, now and whenever that changes.
pub fn on_visibility(element: &web_sys::Element, on_change: impl Fn(bool) + 'static) {
    let callback = wasm_bindgen::closure::Closure::<dyn Fn(js_sys::Array)>::new(
        move |entries: js_sys::Array| {
            if let Some(entry) = entries
                .iter()
                .last()
                .and_then(|e| e.dyn_into::<web_sys::IntersectionObserverEntry>().ok())
            {
                on_change(entry.is_intersecting());
            }
        },
    );
    let options = web_sys::IntersectionObserverInit::new();
    // A margin, so a chart is drawn just before it scrolls in.
    options.set_root_margin("200px");
    if let Ok(observer) =
        web_sys::IntersectionObserver::new_with_options(callback.as_ref().unchecked_ref(), &options)
    {
        observer.observe(element);
    }
    // The observer and its callback live as long as the page.
    callback.forget();
}

/// Whether the element behind `node` is on screen (or within 200 px of it),
/// as a signal: a panel far from the reader's eyes need not follow a drag.
pub fn on_screen<E>(node: NodeRef<E>) -> Signal<bool>
where
    E: leptos::html::ElementType,
    E::Output: JsCast + Clone + 'static,
{
    let (shown, set_shown) = signal(false);
    let printing = printing();
    Effect::new(move |_| {
        if let Some(element) = node.get() {
            // The observer outlives the element's owner (a lesson frame the
            // lesson replaced): after that, its reports go nowhere.
            on_visibility(element.unchecked_ref(), move |on| {
                set_shown.try_set(on);
            });
        }
    });
    Signal::derive(move || shown.get() || printing.get())
}

/// Resolves at the next animation frame: long work yields to the browser between chunks.
pub async fn next_frame() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        // Without a frame (a hidden tab), the work simply waits.
        let _ = window().request_animation_frame(&resolve);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// A canvas's 2D context.
pub fn context_2d(
    canvas: &web_sys::HtmlCanvasElement,
) -> Option<web_sys::CanvasRenderingContext2d> {
    canvas.get_context("2d").ok()??.dyn_into().ok()
}

/// A detached canvas of `width` x `height` device pixels.
pub fn offscreen_canvas(width: u32, height: u32) -> Option<web_sys::HtmlCanvasElement> {
    let canvas: web_sys::HtmlCanvasElement = window()
        .document()?
        .create_element("canvas")
        .ok()?
        .dyn_into()
        .ok()?;
    canvas.set_width(width);
    canvas.set_height(height);
    Some(canvas)
}
