//! The page's side of a count ([`crate::worker::data_set`]): each data set is
//! counted in a worker of its own, started for it and terminated when it
//! answers, when the reader cancels or when another count replaces it. The
//! page posts the `File` objects beside the request and never reads them; a
//! folder goes as its files' paths (a dropped one listed here from its
//! entries, which cannot be posted), and none of its files is read.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::site::worker::{SCRIPT, why_it_died};
use crate::worker::data_set::{COUNTING, CountReport, CountSource};
use crate::worker::protocol::{decode, encode};

/// What a count's listener hears.
pub enum CountEvent {
    /// Progress or the answer.
    Report(CountReport),
    /// The worker died or could not start (why, in the browser's words).
    Lost(String),
}

type Handlers = (
    Closure<dyn Fn(web_sys::MessageEvent)>,
    Closure<dyn Fn(web_sys::Event)>,
);

/// A count in progress; dropping it stops the worker.
pub struct Counting {
    worker: web_sys::Worker,
    _handlers: Handlers,
}

impl Drop for Counting {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}

/// Starts counting `source` with `attached` beside it (the file, then Open
/// Images' names file; or a picked folder's `FileList`).
pub fn start(
    source: &CountSource,
    attached: &[JsValue],
    on_event: impl Fn(CountEvent) + 'static,
) -> Result<Counting, String> {
    let options = web_sys::WorkerOptions::new();
    options.set_name(COUNTING);
    let worker =
        web_sys::Worker::new_with_options(SCRIPT, &options).map_err(|e| format!("{e:?}"))?;
    let on_event = Rc::new(on_event);
    let hear = on_event.clone();
    let message = js_sys::Array::of1(&js_sys::Uint8Array::from(encode(source).as_slice()));
    for part in attached {
        message.push(part);
    }
    // Sent once the worker listens (it says so first).
    let to = worker.clone();
    let on_message =
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            let bytes = js_sys::Uint8Array::new(&event.data()).to_vec();
            match decode::<CountReport>(&bytes) {
                Ok(CountReport::Ready) => {
                    if let Err(e) = to.post_message(&message) {
                        hear(CountEvent::Lost(format!("{e:?}")));
                    }
                }
                Ok(report) => hear(CountEvent::Report(report)),
                Err(e) => hear(CountEvent::Lost(e.to_string())),
            }
        });
    let on_error = Closure::<dyn Fn(web_sys::Event)>::new(move |event: web_sys::Event| {
        event.prevent_default();
        on_event(CountEvent::Lost(why_it_died(&event)));
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    Ok(Counting {
        worker,
        _handlers: (on_message, on_error),
    })
}

/// A dropped folder's class folders (its subfolders, empty ones too) and its
/// files as paths relative to it, listed without reading a file.
pub async fn list_folder(root: web_sys::FileSystemDirectoryEntry) -> Result<CountSource, String> {
    let mut classes = Vec::new();
    let mut files = Vec::new();
    let mut stack = vec![(root, String::new())];
    while let Some((folder, prefix)) = stack.pop() {
        for entry in entries(&folder).await? {
            let path = if prefix.is_empty() {
                entry.name()
            } else {
                format!("{prefix}/{}", entry.name())
            };
            if entry.is_directory() {
                if prefix.is_empty() {
                    classes.push(path.clone());
                }
                stack.push((entry.unchecked_into(), path));
            } else {
                files.push(path);
            }
        }
    }
    Ok(CountSource::Folder { classes, files })
}

/// Every entry of `folder` (`readEntries` gives them a batch at a time).
async fn entries(
    folder: &web_sys::FileSystemDirectoryEntry,
) -> Result<Vec<web_sys::FileSystemEntry>, String> {
    let reader = folder.create_reader();
    let mut all = Vec::new();
    loop {
        let failed = Rc::new(RefCell::new(None));
        let promise = js_sys::Promise::new(&mut |resolve, reject| {
            if let Err(e) = reader.read_entries_with_callback_and_callback(&resolve, &reject) {
                *failed.borrow_mut() = Some(e);
            }
        });
        if let Some(e) = failed.borrow_mut().take() {
            return Err(format!("{e:?}"));
        }
        let batch: js_sys::Array = JsFuture::from(promise)
            .await
            .map_err(|e| format!("{e:?}"))?
            .unchecked_into();
        if batch.length() == 0 {
            return Ok(all);
        }
        all.extend(batch.iter().map(JsCast::unchecked_into));
    }
}
