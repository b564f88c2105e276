//! The counting worker ([`super::data_set`]): a dedicated worker the page
//! starts with the name [`super::data_set::COUNTING`] for each data set and terminates to
//! cancel. It reads the reader's `File` in slices of [`SLICE`] bytes with
//! `FileReaderSync`, which a worker may block on: the core's readers pull
//! their bytes (`std::io::Read`), the page's thread never holds the file,
//! and what the worker holds is one slice and the counts.

use std::io::{self, Read};

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use super::data_set::{CountFailure, CountReport, CountSource, count};

use super::protocol::{decode, encode};

/// Bytes read at a time.
const SLICE: f64 = (1 << 20) as f64;
/// The least time between two progress reports.
const PROGRESS_EVERY_MS: f64 = 50.0;

fn scope() -> web_sys::DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

fn post(report: &CountReport) {
    let bytes = js_sys::Uint8Array::from(encode(report).as_slice());
    let _ = scope().post_message(&bytes);
}

/// A `Blob` read front to back, a slice at a time, reporting the bytes read.
struct BlobRead {
    blob: web_sys::Blob,
    reader: web_sys::FileReaderSync,
    at: f64,
    size: f64,
    slice: Vec<u8>,
    pos: usize,
    /// Whether to report progress, and when it last did.
    progress: Option<f64>,
}

impl BlobRead {
    fn new(blob: web_sys::Blob, progress: bool) -> Result<Self, CountFailure> {
        let reader = web_sys::FileReaderSync::new().map_err(|e| browser_failure(&e))?;
        Ok(Self {
            size: blob.size(),
            blob,
            reader,
            at: 0.0,
            slice: Vec::new(),
            pos: 0,
            progress: progress.then_some(f64::NEG_INFINITY),
        })
    }

    fn report(&mut self, force: bool) {
        if let Some(last) = self.progress {
            let now = js_sys::Date::now();
            if force || now - last >= PROGRESS_EVERY_MS {
                self.progress = Some(now);
                post(&CountReport::Progress {
                    read: self.at as u64,
                    total: self.size as u64,
                });
            }
        }
    }
}

impl Read for BlobRead {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.pos == self.slice.len() {
            if self.at >= self.size {
                return Ok(0);
            }
            let end = (self.at + SLICE).min(self.size);
            let cannot = |e: JsValue| io::Error::other(browser_failure(&e).what);
            let part = self
                .blob
                .slice_with_f64_and_f64(self.at, end)
                .map_err(cannot)?;
            let buffer = self.reader.read_as_array_buffer(&part).map_err(cannot)?;
            self.slice = js_sys::Uint8Array::new(&buffer).to_vec();
            self.pos = 0;
            // A file that shrank since it was picked ends where its bytes do.
            self.at = if self.slice.is_empty() {
                self.size
            } else {
                end
            };
            self.report(self.at >= self.size);
            if self.slice.is_empty() {
                return Ok(0);
            }
        }
        let n = out.len().min(self.slice.len() - self.pos);
        out[..n].copy_from_slice(&self.slice[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

fn browser_failure(e: &JsValue) -> CountFailure {
    let what = e
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .unwrap_or_else(|| format!("{e:?}"));
    CountFailure {
        line: 0,
        column: 0,
        what: format!("the browser could not read the file: {what}"),
    }
}

/// Starts the counting worker: each message is `[request bytes, file, names
/// file?]` (a folder's paths are in the request), answered by progress and
/// one [`CountReport::Done`].
pub fn run() {
    console_error_panic_hook::set_once();
    let on_message =
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(|event: web_sys::MessageEvent| {
            let start = js_sys::Date::now();
            let result = handle(&event.data());
            post(&CountReport::Done {
                result,
                millis: js_sys::Date::now() - start,
            });
        });
    scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
    post(&CountReport::Ready);
}

fn handle(data: &JsValue) -> Result<super::data_set::DataSetCounts, CountFailure> {
    let parts: &js_sys::Array = data.dyn_ref().ok_or_else(|| CountFailure {
        line: 0,
        column: 0,
        what: "the page sent the counting worker something it does not read".into(),
    })?;
    let request = js_sys::Uint8Array::new(&parts.get(0)).to_vec();
    let source: CountSource = decode(&request).map_err(|e| CountFailure {
        line: 0,
        column: 0,
        what: e.to_string(),
    })?;
    let attached = parts.get(1);
    match source {
        CountSource::Folder { .. } => count(&source, io::empty(), None::<io::Empty>),
        _ => {
            let file: web_sys::Blob = attached.dyn_into().map_err(|_| CountFailure {
                line: 0,
                column: 0,
                what: "no file came with the request".into(),
            })?;
            let names = match parts.get(2).dyn_into::<web_sys::Blob>() {
                Ok(blob) => Some(BlobRead::new(blob, false)?),
                Err(_) => None,
            };
            let mut reader = BlobRead::new(file, true)?;
            reader.report(true);
            count(&source, reader, names)
        }
    }
}
