//! `--from KIND PATH`: counts read from a data set's annotation file,
//! streamed ([`crate::data::coco`]), or from an image folder
//! ([`crate::data::image_folder`]), as `cblab counts` prints them and as
//! `cblab weights` takes them (`--unit` instances or images).

use std::fs::File;
use std::path::Path;

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use serde_json::json;

use crate::data::coco::{CocoCounts, count_coco};
use crate::data::counts_input::ParsedCounts;
use crate::data::image_folder::{FolderCounts, count_image_folder};
use crate::data::label_table::{CsvColumn, TableCounts, count_csv, count_jsonl};
use crate::data::open_images::{OpenImagesCounts, count_open_images, read_label_names};

/// What a count is of, where a file gives both.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum Unit {
    /// Annotations (objects) per class.
    #[default]
    Instances,
    /// Images holding the class.
    Images,
    /// Rows of a table that carry the class (a table has these only).
    #[value(skip)]
    Samples,
}

impl Unit {
    /// `instances` or `images`, as the JSON says it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Instances => "instances",
            Self::Images => "images",
            Self::Samples => "samples carrying the class",
        }
    }
}

/// Where a table's labels are: `--column` (CSV, TSV) or `--key` (JSON Lines).
#[derive(Debug, Args)]
pub struct TableArgs {
    /// With --from csv or tsv: the header of the label column.
    #[arg(long, value_name = "NAME")]
    pub column: Option<String>,
    /// With --from csv: the field separator, one character [default: ,].
    #[arg(long, value_name = "CHAR")]
    pub delimiter: Option<char>,
    /// With --from csv, tsv or jsonl: splits a cell into several labels (a
    /// sample with several labels), e.g. --separator '|'.
    #[arg(long, value_name = "CHAR")]
    pub separator: Option<char>,
    /// With --from jsonl: the key that holds a line's label or labels.
    #[arg(long, value_name = "KEY")]
    pub key: Option<String>,
    /// With --from openimages: the class-descriptions CSV
    /// (LabelName,DisplayName, no header) that names and orders the classes.
    #[arg(long, value_name = "FILE")]
    pub names: Option<std::path::PathBuf>,
}

/// A data set's annotations, counted.
pub enum Annotations {
    /// A COCO or LVIS file: instances and images.
    Coco(CocoCounts),
    /// An image folder: images only.
    Folder(FolderCounts),
    /// A table's label column or key: samples carrying each class.
    Table(&'static str, TableCounts),
    /// Open Images' image-level labels: images carrying each class.
    OpenImages(OpenImagesCounts),
}

/// The kind `--from` names, before reading anything.
pub fn kind(from: &[String]) -> Option<&str> {
    from.first().map(String::as_str)
}

/// Reads `--from KIND PATH`: `coco` (LVIS's files too), `folder`, `csv`,
/// `tsv` or `jsonl`, the tables with `table`'s column or key.
pub fn load(from: &[String], table: &TableArgs) -> Result<Annotations> {
    let [kind, path] = from else {
        bail!("--from takes a kind and a path, e.g. --from coco instances_train2017.json");
    };
    let path = Path::new(path);
    let is_table = matches!(kind.as_str(), "csv" | "tsv" | "jsonl");
    if !is_table
        && (table.column.is_some()
            || table.delimiter.is_some()
            || table.separator.is_some()
            || table.key.is_some())
    {
        bail!("--column, --delimiter, --separator and --key are for --from csv, tsv or jsonl");
    }
    if kind != "openimages" && table.names.is_some() {
        bail!("--names is for --from openimages (its class-descriptions file)");
    }
    match kind.as_str() {
        "coco" | "lvis" => {
            let file =
                File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
            let coco = count_coco(file).with_context(|| format!("in {}", path.display()))?;
            if coco.undeclared_images > 0 {
                eprintln!(
                    "warning: {}: annotations name {} image id(s) that \"images\" does not declare; their annotations count as instances, not as images",
                    path.display(),
                    coco.undeclared_images
                );
            }
            Ok(Annotations::Coco(coco))
        }
        "folder" => {
            let counted = read_folder(path)?;
            if counted.other_files + counted.root_files > 0 {
                eprintln!(
                    "warning: {}: {} file(s) in class folders are not images (by extension) and {} file(s) at the root belong to no class; none is counted",
                    path.display(),
                    counted.other_files,
                    counted.root_files
                );
            }
            if counted.names.is_empty() {
                bail!(
                    "{}: no class folder (ImageFolder's layout: one subfolder a class)",
                    path.display()
                );
            }
            Ok(Annotations::Folder(counted))
        }
        "csv" | "tsv" => {
            let Some(column) = table.column.clone() else {
                bail!("--from {kind} reads the labels of one column: name it with --column NAME");
            };
            if table.key.is_some() {
                bail!("--key is for --from jsonl; a {kind} file's labels are in --column");
            }
            let delimiter = match (kind.as_str(), table.delimiter) {
                ("tsv", None) => b'\t',
                ("tsv", Some(_)) => bail!("--from tsv is separated by tabs: leave out --delimiter"),
                (_, None) => b',',
                (_, Some(d)) if d.is_ascii() => d as u8,
                (_, Some(d)) => bail!("--delimiter {d}: one ASCII character"),
            };
            let how = CsvColumn {
                column,
                delimiter,
                separator: table.separator,
            };
            let file =
                File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
            let counted =
                count_csv(file, &how).with_context(|| format!("in {}", path.display()))?;
            Ok(Annotations::Table(
                if kind == "tsv" { "tsv" } else { "csv" },
                counted,
            ))
        }
        "jsonl" => {
            let Some(key) = table.key.as_deref() else {
                bail!("--from jsonl reads the labels under one key: name it with --key KEY");
            };
            if table.column.is_some() || table.delimiter.is_some() || table.separator.is_some() {
                bail!(
                    "--column, --delimiter and --separator are for --from csv or tsv; JSON Lines take --key"
                );
            }
            let file =
                File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
            let counted =
                count_jsonl(file, key).with_context(|| format!("in {}", path.display()))?;
            Ok(Annotations::Table("jsonl", counted))
        }
        "openimages" => {
            let names = match &table.names {
                Some(names) => {
                    let file = File::open(names)
                        .with_context(|| format!("cannot read {}", names.display()))?;
                    Some(
                        read_label_names(file)
                            .with_context(|| format!("in {}", names.display()))?,
                    )
                }
                None => None,
            };
            let file =
                File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
            let counted = count_open_images(file, names.as_ref())
                .with_context(|| format!("in {}", path.display()))?;
            if counted.unlisted_rows > 0 {
                eprintln!(
                    "warning: {}: {} row(s) name a label the names file does not list; they are not counted",
                    path.display(),
                    counted.unlisted_rows
                );
            }
            Ok(Annotations::OpenImages(counted))
        }
        _ => bail!(
            "--from {kind}: the kinds are coco (LVIS too), openimages, folder, csv, tsv and jsonl"
        ),
    }
}

/// Walks `root`'s class folders (symbolic links to folders are not followed,
/// so a loop cannot trap the walk) and counts them.
fn read_folder(root: &Path) -> Result<FolderCounts> {
    let mut classes = Vec::new();
    let mut files = Vec::new();
    let entries =
        std::fs::read_dir(root).with_context(|| format!("cannot read {}", root.display()))?;
    let mut stack = Vec::new();
    for entry in entries {
        let entry = entry.with_context(|| format!("in {}", root.display()))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.file_type()?.is_dir() {
            classes.push(name.clone());
            stack.push((entry.path(), name));
        } else {
            files.push(name);
        }
    }
    while let Some((dir, relative)) = stack.pop() {
        for entry in
            std::fs::read_dir(&dir).with_context(|| format!("cannot read {}", dir.display()))?
        {
            let entry = entry.with_context(|| format!("in {}", dir.display()))?;
            let path = format!("{relative}/{}", entry.file_name().to_string_lossy());
            if entry.file_type()?.is_dir() {
                stack.push((entry.path(), path));
            } else {
                files.push(path);
            }
        }
    }
    Ok(count_image_folder(
        classes.iter().map(String::as_str),
        files.iter().map(String::as_str),
    ))
}

impl Annotations {
    /// The counts in `unit` (a folder has images only), with the classes'
    /// names, and the unit they are in.
    pub fn counts(&self, unit: Unit) -> (ParsedCounts, Unit) {
        match self {
            Self::Coco(c) => {
                let (counts, unit) = match unit {
                    Unit::Images => (c.images.positives.clone(), Unit::Images),
                    _ => (c.instances.clone(), Unit::Instances),
                };
                let names = Some(c.categories.iter().map(|c| c.name.clone()).collect());
                (ParsedCounts { counts, names }, unit)
            }
            Self::Folder(f) => (
                ParsedCounts {
                    counts: f.counts.clone(),
                    names: Some(f.names.clone()),
                },
                Unit::Images,
            ),
            Self::Table(_, t) => (
                ParsedCounts {
                    counts: t.counts.positives.clone(),
                    names: t.names.clone(),
                },
                Unit::Samples,
            ),
            Self::OpenImages(o) => (
                ParsedCounts {
                    counts: o.images.positives.clone(),
                    names: Some(o.names.clone()),
                },
                Unit::Images,
            ),
        }
    }

    /// The images the data set has.
    pub fn images(&self) -> u64 {
        match self {
            Self::Coco(c) => c.images.samples,
            Self::Folder(f) => f.counts.iter().sum(),
            Self::Table(_, t) => t.counts.samples,
            Self::OpenImages(o) => o.images.samples,
        }
    }

    /// What `cblab counts --from` prints. COCO: instances as `counts`, images
    /// per class, the images, names and ids, crowd instances, LVIS's
    /// frequency. A folder: images per class, the files not counted.
    pub fn json(&self) -> serde_json::Value {
        let c = match self {
            Self::Coco(c) => c,
            Self::Table(source, t) => {
                let mut out = json!({
                    "counts": t.counts.positives,
                    "unit": Unit::Samples.name(),
                    "samples": t.counts.samples,
                    "cardinality": t.counts.cardinality,
                    "source": source,
                });
                if let Some(names) = &t.names {
                    out["names"] = json!(names);
                }
                return out;
            }
            Self::OpenImages(o) => {
                return json!({
                    "counts": o.images.positives,
                    "unit": Unit::Images.name(),
                    "names": o.names,
                    "labels": o.labels,
                    "samples": o.images.samples,
                    "cardinality": o.images.cardinality,
                    "unlisted_rows": o.unlisted_rows,
                    "repeated_rows": o.repeated_rows,
                    "source": "openimages",
                });
            }
            Self::Folder(f) => {
                return json!({
                    "counts": f.counts,
                    "unit": Unit::Images.name(),
                    "names": f.names,
                    "samples": self.images(),
                    "other_files": f.other_files,
                    "root_files": f.root_files,
                    "source": "folder",
                });
            }
        };
        let mut out = json!({
            "counts": c.instances,
            "unit": Unit::Instances.name(),
            "names": c.categories.iter().map(|c| &c.name).collect::<Vec<_>>(),
            "ids": c.categories.iter().map(|c| c.id).collect::<Vec<_>>(),
            "images": c.images.positives,
            "samples": c.images.samples,
            "cardinality": c.images.cardinality,
            "crowd": c.crowd,
            "undeclared_images": c.undeclared_images,
            "source": "coco",
        });
        if c.categories.iter().any(|c| c.frequency.is_some()) {
            out["frequency"] = json!(
                c.categories
                    .iter()
                    .map(|c| c.frequency.as_deref())
                    .collect::<Vec<_>>()
            );
        }
        out
    }
}
