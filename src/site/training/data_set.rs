//! Your own data set: an annotation file (COCO or LVIS, Open Images, a
//! table) or an image folder, picked or dropped, counted in a worker a slice
//! at a time with a progress bar and a cancel button
//! ([`super::data_set_reader`]); its counts and names then replace the
//! explorer's classes. Nothing is uploaded. A file that cannot be counted,
//! or counts the explorer cannot show (more than its 10,000 classes), is
//! said with the reason and the explorer keeps the classes it had.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use super::data_set_reader::{CountEvent, Counting, list_folder, start};
use super::data_set_sampler::{ImageCounts, RepeatFactorSampler};
use crate::explorer::state::{Distribution, Images};
use crate::i18n::{Lang, tr_with};
use crate::site::i18n::{t, use_page};
use crate::site::state::use_explorer;
use crate::worker::data_set::{
    CountFailure, CountReport, CountSource, CountUnit, DataSetCounts, within_folder,
};

// The panel's few styles are set through the CSSOM (`style:`), which the
// page's CSP allows, so they come in the training chunk and not in the first
// load's stylesheet.

/// The file kinds the panel reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Coco,
    OpenImages,
    Csv,
    Tsv,
    JsonLines,
}

impl Kind {
    const ALL: [(Kind, &'static str, &'static str); 5] = [
        (Kind::Coco, "coco", "dataset.kind_coco"),
        (Kind::OpenImages, "openimages", "dataset.kind_openimages"),
        (Kind::Csv, "csv", "dataset.kind_csv"),
        (Kind::Tsv, "tsv", "dataset.kind_tsv"),
        (Kind::JsonLines, "jsonl", "dataset.kind_jsonl"),
    ];

    fn from_value(value: &str) -> Self {
        Self::ALL
            .iter()
            .find(|(_, v, _)| *v == value)
            .map_or(Kind::Coco, |(k, _, _)| *k)
    }
}

/// Where the panel is.
#[derive(Clone, Debug, PartialEq)]
enum Status {
    Idle,
    /// Listing a dropped folder.
    Listing(String),
    /// Reading a file (its progress is a signal of its own, so that the
    /// bar moves without rebuilding the line and its Cancel button).
    Reading {
        name: String,
        since: f64,
    },
    Counted {
        name: String,
        counts: DataSetCounts,
        /// The file's bytes (0 for a folder).
        bytes: u64,
        millis: f64,
    },
    /// Said in the page's language when shown: a key and its arguments.
    Failed(&'static str, Vec<(&'static str, String)>),
}

/// A file's size in bytes, kB or MB.
fn size(bytes: u64) -> String {
    match bytes {
        0..1_000 => format!("{bytes} B"),
        1_000..1_000_000 => format!("{:.1} kB", bytes as f64 / 1e3),
        _ => format!("{:.1} MB", bytes as f64 / 1e6),
    }
}

/// " (N MB/s)" once a megabyte is read (below it, the speed says little).
fn speed(bytes: u64, millis: f64) -> String {
    if bytes < 1_000_000 {
        return String::new();
    }
    format!(
        " ({:.0} MB/s)",
        bytes as f64 / 1e6 / (millis.max(1.0) / 1e3)
    )
}

/// The panel.
#[component]
pub fn DataSetPanel() -> impl IntoView {
    let ex = use_explorer();
    let lang = use_page().lang;
    let (kind, set_kind) = signal(Kind::Coco);
    let (column, set_column) = signal("label".to_owned());
    let (separator, set_separator) = signal(String::new());
    let (key, set_key) = signal("labels".to_owned());
    let (instances, set_instances) = signal(true);
    let names_file = StoredValue::new_local(None::<web_sys::File>);
    let status = RwSignal::new(Status::Idle);
    let progress = RwSignal::new((0_u64, 0_u64));
    let counting = StoredValue::new_local(None::<Counting>);
    // Which count is current: a replaced or cancelled one's late events are ignored.
    let generation = StoredValue::new(0_u32);

    // The counts in the chosen unit go to the explorer, or the reason they cannot.
    let apply = move |counts: &DataSetCounts, name: &str| {
        let chosen = match (&counts.instances, instances.get_untracked()) {
            (Some(i), true) => i.clone(),
            _ => counts.carrying.clone(),
        };
        let images = (counts.unit == CountUnit::Images).then(|| Images {
            per_class: counts.carrying.clone(),
            total: counts.samples,
        });
        let with_images = |d: Distribution| match images {
            Some(images) => d.with_images(images),
            None => d,
        };
        match Distribution::custom(chosen, counts.names.clone()).map(with_images) {
            Ok(d) => {
                ex.state.update(|s| s.distribution = d);
                true
            }
            Err(e) => {
                let error = e.in_lang(lang.get_untracked());
                status.set(Status::Failed(
                    "dataset.unusable",
                    vec![("file", name.to_owned()), ("error", error)],
                ));
                false
            }
        }
    };

    let begin = move |name: String, source: CountSource, attached: Vec<JsValue>, bytes: u64| {
        counting.set_value(None);
        generation.update_value(|g| *g += 1);
        let this = generation.get_value();
        progress.set((0, bytes));
        status.set(Status::Reading {
            name: name.clone(),
            since: js_sys::Date::now(),
        });
        let heard_name = name.clone();
        // The worker goes once it has answered (later, outside its own handler).
        let finish = move || {
            leptos::task::spawn_local(async move {
                if generation.get_value() == this {
                    counting.set_value(None);
                }
            });
        };
        let on_event = move |event: CountEvent| match event {
            _ if generation.get_value() != this => {}
            // The reader answers it by sending the request.
            CountEvent::Report(CountReport::Ready) => {}
            CountEvent::Report(CountReport::Progress { read, total }) => {
                progress.set((read, total))
            }
            CountEvent::Report(CountReport::Done { result, millis }) => {
                finish();
                match result {
                    Ok(counts) => {
                        if apply(&counts, &heard_name) {
                            status.set(Status::Counted {
                                name: heard_name.clone(),
                                counts,
                                bytes,
                                millis,
                            });
                        }
                    }
                    Err(f) => status.set(failure(&heard_name, f)),
                }
            }
            CountEvent::Lost(why) => {
                finish();
                status.set(Status::Failed("dataset.worker_lost", vec![("why", why)]));
            }
        };
        match start(&source, &attached, on_event) {
            Ok(c) => counting.set_value(Some(c)),
            Err(why) => status.set(Status::Failed("dataset.worker_lost", vec![("why", why)])),
        }
    };

    let count_file = move |file: web_sys::File| {
        let source = match kind.get_untracked() {
            Kind::Coco => CountSource::Coco,
            Kind::OpenImages => CountSource::OpenImages {
                names: names_file.with_value(Option::is_some),
            },
            k @ (Kind::Csv | Kind::Tsv) => CountSource::Table {
                column: column.get_untracked().trim().to_owned(),
                delimiter: if k == Kind::Tsv { b'\t' } else { b',' },
                separator: separator.get_untracked().trim().chars().next(),
            },
            Kind::JsonLines => CountSource::JsonLines {
                key: key.get_untracked().trim().to_owned(),
            },
        };
        let mut attached: Vec<JsValue> = vec![file.clone().into()];
        if let CountSource::OpenImages { names: true } = source {
            names_file.with_value(|n| attached.extend(n.clone().map(Into::into)));
        }
        begin(file.name(), source, attached, file.size() as u64);
    };

    // A picked folder's paths are read here: a `File` posted to a worker
    // loses its `webkitRelativePath`. No file is read.
    let count_picked_folder = move |list: web_sys::FileList| {
        let files: Vec<String> = (0..list.length())
            .filter_map(|i| list.get(i))
            .filter_map(|f| js_sys::Reflect::get(&f, &"webkitRelativePath".into()).ok())
            .filter_map(|p| p.as_string())
            .collect();
        let name = files
            .first()
            .and_then(|p| p.split('/').next())
            .unwrap_or_default()
            .to_owned();
        let files = files.iter().map(|p| within_folder(p).to_owned()).collect();
        let source = CountSource::Folder {
            classes: Vec::new(),
            files,
        };
        begin(name, source, Vec::new(), 0);
    };

    let on_drop = move |ev: web_sys::DragEvent| {
        ev.prevent_default();
        let Some(data) = ev.data_transfer() else {
            return;
        };
        let entry = data
            .items()
            .get(0)
            .and_then(|item| item.webkit_get_as_entry().ok().flatten());
        match entry {
            Some(entry) if entry.is_directory() => {
                let name = entry.name();
                counting.set_value(None);
                generation.update_value(|g| *g += 1);
                status.set(Status::Listing(name.clone()));
                let folder: web_sys::FileSystemDirectoryEntry = entry.unchecked_into();
                leptos::task::spawn_local(async move {
                    match list_folder(folder).await {
                        Ok(source) => begin(name, source, Vec::new(), 0),
                        Err(why) => status.set(Status::Failed(
                            "dataset.failed",
                            vec![("file", name), ("what", why)],
                        )),
                    }
                });
            }
            _ => {
                if let Some(file) = data.files().and_then(|f| f.get(0)) {
                    count_file(file);
                }
            }
        }
    };

    let cancel = move |_| {
        if let Status::Reading { name, .. } = status.get_untracked() {
            counting.set_value(None);
            generation.update_value(|g| *g += 1);
            status.set(Status::Failed("dataset.cancelled", vec![("file", name)]));
        }
    };

    let reapply = move |use_instances: bool| {
        set_instances.set(use_instances);
        if let Status::Counted { name, counts, .. } = status.get_untracked() {
            apply(&counts, &name);
        }
    };

    // What the repeat factor needs: images per class and the images.
    let image_counts = Memo::new(move |_| {
        status.with(|s| match s {
            Status::Counted { counts, .. } if counts.unit == CountUnit::Images => {
                Some(ImageCounts {
                    per_class: counts.carrying.clone(),
                    images: counts.samples,
                    names: counts.names.clone(),
                })
            }
            _ => None,
        })
    });

    view! {
        <details class="paste data-set" id="data-set">
            <summary>{t("dataset.title")}</summary>
            <p class="hint">{t("dataset.intro")}</p>
            <div class="tools">
                <label>
                    {t("dataset.kind")}
                    <select id="data-set-kind" on:change=move |ev| set_kind.set(Kind::from_value(&event_target_value(&ev)))>
                        {Kind::ALL.iter().map(|(_, value, label)| view! { <option value=*value>{t(label)}</option> }).collect_view()}
                    </select>
                </label>
                <Show when=move || matches!(kind.get(), Kind::Csv | Kind::Tsv)>
                    <label>
                        {t("dataset.column")}
                        <input id="data-set-column" type="text" size="10" prop:value=column
                            on:input=move |ev| set_column.set(event_target_value(&ev)) />
                    </label>
                    <label>
                        {t("dataset.separator")}
                        <input id="data-set-separator" type="text" size="2" maxlength="1" prop:value=separator
                            on:input=move |ev| set_separator.set(event_target_value(&ev)) />
                    </label>
                </Show>
                <Show when=move || kind.get() == Kind::JsonLines>
                    <label>
                        {t("dataset.key")}
                        <input id="data-set-key" type="text" size="10" prop:value=key
                            on:input=move |ev| set_key.set(event_target_value(&ev)) />
                    </label>
                </Show>
                <Show when=move || kind.get() == Kind::OpenImages>
                    <label>
                        {t("dataset.names")}
                        <input id="data-set-names" type="file" accept=".csv,text/csv"
                            on:change=move |ev| {
                                let input: web_sys::HtmlInputElement = event_target(&ev);
                                names_file.set_value(input.files().and_then(|f| f.get(0)));
                            } />
                    </label>
                </Show>
            </div>
            <div class="tools">
                <label>
                    {t("dataset.file")}
                    <input id="data-set-file" type="file"
                        accept=".json,.jsonl,.ndjson,.csv,.tsv,.txt,application/json,text/csv"
                        on:change=move |ev| {
                            let input: web_sys::HtmlInputElement = event_target(&ev);
                            if let Some(file) = input.files().and_then(|f| f.get(0)) {
                                count_file(file);
                            }
                            input.set_value("");
                        } />
                </label>
                <label>
                    {t("dataset.folder")}
                    <input id="data-set-folder" type="file" prop:webkitdirectory=true multiple=""
                        on:change=move |ev| {
                            let input: web_sys::HtmlInputElement = event_target(&ev);
                            if let Some(files) = input.files().filter(|f| f.length() > 0) {
                                count_picked_folder(files);
                            }
                            input.set_value("");
                        } />
                </label>
            </div>
            <div class="drop-zone" id="data-set-drop" style:border="2px dashed var(--muted)"
                style:border-radius="6px" style:padding="1rem" style:text-align="center" style:color="var(--muted)"
                on:dragover=move |ev: web_sys::DragEvent| ev.prevent_default()
                on:drop=on_drop>
                {t("dataset.drop")}
            </div>
            {move || show(status.get(), progress, lang.get(), instances.get(), cancel, reapply)}
            <RepeatFactorSampler counts=image_counts />
        </details>
    }
}

/// The status line: progress with its cancel button, the counts' summary
/// with the unit choice and notes, or the failure.
fn show(
    status: Status,
    progress: RwSignal<(u64, u64)>,
    lang: Lang,
    instances: bool,
    cancel: impl Fn(web_sys::MouseEvent) + 'static,
    reapply: impl Fn(bool) + Copy + 'static,
) -> AnyView {
    let say = |key: &str, args: &[(&str, String)]| {
        let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
        tr_with(lang, key, &args)
    };
    match status {
        Status::Idle => ().into_any(),
        Status::Listing(name) => view! {
            <p class="hint" role="status">{say("dataset.listing", &[("folder", name)])}</p>
        }
        .into_any(),
        Status::Reading { name, since } => {
            let text = move || {
                let (read, total) = progress.get();
                let millis = js_sys::Date::now() - since;
                tr_with(
                    lang,
                    "dataset.reading",
                    &[
                        ("file", &name),
                        ("read", &size(read)),
                        ("total", &size(total)),
                        ("speed", &speed(read, millis)),
                    ],
                )
            };
            view! {
                <div class="reading" style:display="flex" style:flex-wrap="wrap" style:gap="0.5rem" style:align-items="center">
                    <progress id="data-set-progress" style:flex="1 1 12rem" aria-label=t("dataset.progress")
                        max=move || progress.get().1.max(1).to_string()
                        value=move || progress.get().0.to_string()></progress>
                    <span>{text}</span>
                    <button type="button" id="data-set-cancel" on:click=cancel>{t("dataset.cancel")}</button>
                </div>
            }
            .into_any()
        }
        Status::Counted {
            name,
            counts,
            bytes,
            millis,
        } => {
            let classes = counts.carrying.len().to_string();
            let samples = counts.samples.to_string();
            let summary = match (counts.unit, bytes) {
                (CountUnit::Images, 0) => say(
                    "dataset.counted_folder",
                    &[("file", name), ("classes", classes), ("samples", samples)],
                ),
                (unit, _) => say(
                    if unit == CountUnit::Images {
                        "dataset.counted_images"
                    } else {
                        "dataset.counted_rows"
                    },
                    &[
                        ("file", name),
                        ("classes", classes),
                        ("samples", samples),
                        ("size", size(bytes)),
                        ("seconds", format!("{:.2}", millis / 1e3)),
                        ("speed", speed(bytes, millis)),
                    ],
                ),
            };
            let n = &counts.notes;
            let notes: Vec<String> = [
                ("dataset.note_crowd", n.crowd),
                ("dataset.note_undeclared", n.undeclared_images),
                ("dataset.note_other_files", n.other_files),
                ("dataset.note_root_files", n.root_files),
                ("dataset.note_unlisted", n.unlisted_rows),
            ]
            .into_iter()
            .filter(|(_, count)| *count > 0)
            .map(|(key, count)| say(key, &[("n", count.to_string())]))
            .collect();
            let unit_choice = counts.instances.is_some().then(|| {
                view! {
                    <fieldset class="unit">
                        <legend>{t("dataset.unit")}</legend>
                        <label class="check">
                            <input type="radio" name="data-set-unit" id="data-set-instances"
                                prop:checked=instances on:change=move |_| reapply(true) />
                            {t("dataset.unit_instances")}
                        </label>
                        <label class="check">
                            <input type="radio" name="data-set-unit" id="data-set-images"
                                prop:checked=!instances on:change=move |_| reapply(false) />
                            {t("dataset.unit_images")}
                        </label>
                    </fieldset>
                }
            });
            view! {
                <div id="data-set-result">
                    <p class="ok" role="status">{summary}</p>
                    {unit_choice}
                    {notes.into_iter().map(|note| view! { <p class="hint note">{note}</p> }).collect_view()}
                </div>
            }
            .into_any()
        }
        Status::Failed(key, args) => view! {
            <p class="error" role="alert" id="data-set-error">{say(key, &args)}</p>
        }
        .into_any(),
    }
}

/// A failure located as the core located it.
fn failure(file: &str, f: CountFailure) -> Status {
    let file = ("file", file.to_owned());
    let what = ("what", f.what.trim_end_matches('.').to_owned());
    match (f.line, f.column) {
        (0, _) => Status::Failed("dataset.failed", vec![file, what]),
        (line, 0) => Status::Failed(
            "dataset.failed_line",
            vec![file, ("line", line.to_string()), what],
        ),
        (line, column) => Status::Failed(
            "dataset.failed_at",
            vec![
                file,
                ("line", line.to_string()),
                ("column", column.to_string()),
                what,
            ],
        ),
    }
}
