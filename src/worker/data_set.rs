//! The counting worker's conversation: the page asks it to count a data set
//! the reader picked or dropped (an annotation file, a table, an image
//! folder), the worker reads it with the core's streaming readers and
//! answers with progress and the counts. A request crosses as postcard bytes
//! with the `File` objects beside it (a `File` is not bytes: the worker reads
//! it in slices, `src/worker/file_reader.rs`); the answer is bytes only.
//!
//! [`count`] is the whole of what the worker does with the bytes, native
//! too, so that the page's counts are the CLI's and are tested here.

use std::io::Read;

use serde::{Deserialize, Serialize};

use crate::data::coco::{CocoError, count_coco};
use crate::data::image_folder::count_image_folder;
use crate::data::label_table::{CsvColumn, TableError, count_csv, count_jsonl};
use crate::data::open_images::{count_open_images, read_label_names};

/// The counting worker's name (`WorkerOptions.name`): a worker started
/// under it counts rather than trains.
pub const COUNTING: &str = "count";

/// What to count. Files come beside the request: the file first, then Open
/// Images' names file when `names` is set. A folder comes as its paths (a
/// `File` posted to a worker loses its `webkitRelativePath`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum CountSource {
    /// A COCO or LVIS JSON file.
    Coco,
    /// Open Images' labels CSV, and its class descriptions when `names`.
    OpenImages {
        /// Whether a names file comes second.
        names: bool,
    },
    /// A CSV or TSV with a label column.
    Table {
        /// The column's header.
        column: String,
        /// The field separator.
        delimiter: u8,
        /// Splits a cell into several labels.
        separator: Option<char>,
    },
    /// JSON Lines with a label key.
    JsonLines {
        /// The key.
        key: String,
    },
    /// An image folder's class folders (empty ones too, where known) and
    /// its files, as paths relative to the folder.
    Folder {
        /// The class folders.
        classes: Vec<String>,
        /// The files.
        files: Vec<String>,
    },
}

/// What a count is of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CountUnit {
    /// Images holding the class.
    Images,
    /// Rows of a table carrying the class.
    Samples,
}

/// Things a reader met that the counts leave out, said beside them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountNotes {
    /// Crowd annotations, counted among the instances.
    pub crowd: u64,
    /// Annotations whose image is not declared (instances only).
    pub undeclared_images: u64,
    /// Files in class folders that are not images.
    pub other_files: u64,
    /// Files at a folder's root.
    pub root_files: u64,
    /// Open Images rows whose label the names file does not list.
    pub unlisted_rows: u64,
}

/// A data set, counted.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DataSetCounts {
    /// The classes' names (none for a table whose labels are class indices).
    pub names: Option<Vec<String>>,
    /// Annotations per class (COCO and LVIS only).
    pub instances: Option<Vec<u64>>,
    /// Images (or rows) carrying each class.
    pub carrying: Vec<u64>,
    /// What `carrying` counts.
    pub unit: CountUnit,
    /// The images (or rows).
    pub samples: u64,
    /// Classes an image (or row).
    pub cardinality: f64,
    /// What was left out.
    pub notes: CountNotes,
}

/// Why a file cannot be counted: the core's words and where (line 0: not at a line).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountFailure {
    /// The line, from 1.
    pub line: u64,
    /// The column, from 1 (0 when not known).
    pub column: u64,
    /// What is wrong, in the core's words (English).
    pub what: String,
}

impl From<CocoError> for CountFailure {
    fn from(e: CocoError) -> Self {
        match e {
            CocoError::Syntax { what, line, column } => Self {
                line: line as u64,
                column: column as u64,
                what,
            },
            other => Self {
                line: 0,
                column: 0,
                what: other.to_string(),
            },
        }
    }
}

impl From<TableError> for CountFailure {
    fn from(e: TableError) -> Self {
        Self {
            line: e.line,
            column: 0,
            what: e.what,
        }
    }
}

/// What the worker says while and after counting.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum CountReport {
    /// The worker's wasm runs and listens: the page may send its request
    /// (a message sent earlier would find no listener).
    Ready,
    /// Bytes read of the file so far, of its size.
    Progress {
        /// Read so far.
        read: u64,
        /// The file's size.
        total: u64,
    },
    /// The counts, or why not, and the time it took.
    Done {
        /// The counts or the failure.
        result: Result<DataSetCounts, CountFailure>,
        /// Milliseconds from the request to the answer.
        millis: f64,
    },
}

/// Counts `file` (unused for a folder) as `source` says; `names` is Open
/// Images' class-descriptions file when the source has one.
pub fn count(
    source: &CountSource,
    file: impl Read,
    names: Option<impl Read>,
) -> Result<DataSetCounts, CountFailure> {
    match source {
        CountSource::Coco => {
            let c = count_coco(file)?;
            Ok(DataSetCounts {
                names: Some(c.categories.iter().map(|c| c.name.clone()).collect()),
                notes: CountNotes {
                    crowd: c.crowd.iter().sum(),
                    undeclared_images: c.undeclared_images,
                    ..CountNotes::default()
                },
                instances: Some(c.instances),
                carrying: c.images.positives,
                unit: CountUnit::Images,
                samples: c.images.samples,
                cardinality: c.images.cardinality,
            })
        }
        CountSource::OpenImages { .. } => {
            let names = names.map(read_label_names).transpose()?;
            let o = count_open_images(file, names.as_ref())?;
            Ok(DataSetCounts {
                names: Some(o.names),
                instances: None,
                carrying: o.images.positives,
                unit: CountUnit::Images,
                samples: o.images.samples,
                cardinality: o.images.cardinality,
                notes: CountNotes {
                    unlisted_rows: o.unlisted_rows,
                    ..CountNotes::default()
                },
            })
        }
        CountSource::Table {
            column,
            delimiter,
            separator,
        } => {
            let how = CsvColumn {
                column: column.clone(),
                delimiter: *delimiter,
                separator: *separator,
            };
            Ok(table(count_csv(file, &how)?))
        }
        CountSource::JsonLines { key } => Ok(table(count_jsonl(file, key)?)),
        CountSource::Folder { classes, files } => {
            let f = count_image_folder(
                classes.iter().map(String::as_str),
                files.iter().map(String::as_str),
            );
            if f.names.is_empty() {
                return Err(CountFailure {
                    line: 0,
                    column: 0,
                    what: "no class folder (ImageFolder's layout: one subfolder a class)".into(),
                });
            }
            let samples = f.counts.iter().sum();
            Ok(DataSetCounts {
                names: Some(f.names),
                instances: None,
                carrying: f.counts,
                unit: CountUnit::Images,
                samples,
                cardinality: if samples == 0 { 0.0 } else { 1.0 },
                notes: CountNotes {
                    other_files: f.other_files,
                    root_files: f.root_files,
                    ..CountNotes::default()
                },
            })
        }
    }
}

fn table(t: crate::data::label_table::TableCounts) -> DataSetCounts {
    DataSetCounts {
        names: t.names,
        instances: None,
        carrying: t.counts.positives,
        unit: CountUnit::Samples,
        samples: t.counts.samples,
        cardinality: t.counts.cardinality,
        notes: CountNotes::default(),
    }
}

/// A picked folder's files as `ImageFolder` sees them: each path without
/// its first part (the picked folder's own name).
pub fn within_folder(path: &str) -> &str {
    path.split_once('/').map_or(path, |(_, rest)| rest)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::worker::protocol::{decode, encode};

    const NO_NAMES: Option<&[u8]> = None;

    #[test]
    fn counts_as_the_cli_does() {
        let coco = br#"{"images": [{"id": 1}, {"id": 2}], "annotations": [
            {"image_id": 1, "category_id": 3, "iscrowd": 1}, {"image_id": 1, "category_id": 3},
            {"image_id": 2, "category_id": 3}, {"image_id": 9, "category_id": 5}],
            "categories": [{"id": 5, "name": "emu"}, {"id": 3, "name": "cat"}]}"#;
        let c = count(&CountSource::Coco, &coco[..], NO_NAMES).unwrap();
        assert_eq!(c.names, Some(vec!["emu".into(), "cat".into()]));
        assert_eq!(c.instances, Some(vec![1, 3]));
        assert_eq!(c.carrying, [0, 2]);
        assert_eq!(
            (c.samples, c.notes.crowd, c.notes.undeclared_images),
            (2, 1, 1)
        );

        let oi = "ImageID,Source,LabelName,Confidence\na,v,/m/b,1\na,v,/m/x,1\nb,v,/m/b,1\n";
        let names = "/m/b,Bird\n";
        let source = CountSource::OpenImages { names: true };
        let c = count(&source, oi.as_bytes(), Some(names.as_bytes())).unwrap();
        assert_eq!(
            (c.carrying.as_slice(), c.notes.unlisted_rows),
            (&[2][..], 1)
        );

        let csv = CountSource::Table {
            column: "y".into(),
            delimiter: b',',
            separator: Some('|'),
        };
        let c = count(&csv, "y\ndog|cat\ndog\n".as_bytes(), NO_NAMES).unwrap();
        assert_eq!((c.carrying, c.unit), (vec![1, 2], CountUnit::Samples));

        let folder = CountSource::Folder {
            classes: vec!["empty".into()],
            files: [
                "pick/dogs/a.jpg",
                "pick/dogs/notes.txt",
                "pick/cats/b.PNG",
                "pick/README",
            ]
            .map(within_folder)
            .map(str::to_owned)
            .to_vec(),
        };
        let c = count(&folder, &b""[..], NO_NAMES).unwrap();
        assert_eq!(
            c.names,
            Some(vec!["cats".into(), "dogs".into(), "empty".into()])
        );
        assert_eq!(c.carrying, [1, 1, 0]);
        assert_eq!((c.notes.other_files, c.notes.root_files), (1, 1));
    }

    #[test]
    fn failures_say_where() {
        let cut = count(
            &CountSource::Coco,
            &b"{\"images\": [\n{\"id\": 1},"[..],
            NO_NAMES,
        );
        let f = cut.unwrap_err();
        assert_eq!(f.line, 2);
        assert!(f.column > 0 && !f.what.is_empty());
        let key = CountSource::JsonLines { key: "y".into() };
        let f = count(&key, &b"{\"x\": 1}\n"[..], NO_NAMES).unwrap_err();
        assert_eq!((f.line, f.what.as_str()), (1, "no key \"y\""));
        let empty = CountSource::Folder {
            classes: vec![],
            files: vec!["a.jpg".into()],
        };
        assert!(
            count(&empty, &b""[..], NO_NAMES)
                .unwrap_err()
                .what
                .contains("no class folder")
        );
    }

    #[test]
    fn reports_cross_as_bytes() {
        let report = CountReport::Done {
            result: Err(CountFailure {
                line: 3,
                column: 9,
                what: "EOF".into(),
            }),
            millis: 1.5,
        };
        assert_eq!(decode::<CountReport>(&encode(&report)).unwrap(), report);
    }
}
