//! `--from KIND PATH`: counts read from a data set's annotation file,
//! streamed ([`crate::data::coco`]), or from an image folder
//! ([`crate::data::image_folder`]), as `cblab counts` prints them and as
//! `cblab weights` takes them (`--unit` instances or images).

use std::fs::File;
use std::path::Path;

use anyhow::{Context, Result, bail};
use clap::ValueEnum;
use serde_json::json;

use crate::data::coco::{CocoCounts, count_coco};
use crate::data::counts_input::ParsedCounts;
use crate::data::image_folder::{FolderCounts, count_image_folder};

/// What a count is of, where a file gives both.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum Unit {
    /// Annotations (objects) per class.
    #[default]
    Instances,
    /// Images holding the class.
    Images,
}

impl Unit {
    /// `instances` or `images`, as the JSON says it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Instances => "instances",
            Self::Images => "images",
        }
    }
}

/// A data set's annotations, counted.
pub enum Annotations {
    /// A COCO or LVIS file: instances and images.
    Coco(CocoCounts),
    /// An image folder: images only.
    Folder(FolderCounts),
}

/// The kind `--from` names, before reading anything.
pub fn kind(from: &[String]) -> Option<&str> {
    from.first().map(String::as_str)
}

/// Reads `--from KIND PATH` (`coco`, which LVIS's files are too, or `folder`).
pub fn load(from: &[String]) -> Result<Annotations> {
    let [kind, path] = from else {
        bail!("--from takes a kind and a path, e.g. --from coco instances_train2017.json");
    };
    let path = Path::new(path);
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
        _ => bail!(
            "--from {kind}: the kinds read so far are coco (and LVIS, which shares its format) and folder"
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
            Self::Coco(c) => (
                ParsedCounts {
                    counts: match unit {
                        Unit::Instances => c.instances.clone(),
                        Unit::Images => c.images.positives.clone(),
                    },
                    names: Some(c.categories.iter().map(|c| c.name.clone()).collect()),
                },
                unit,
            ),
            Self::Folder(f) => (
                ParsedCounts {
                    counts: f.counts.clone(),
                    names: Some(f.names.clone()),
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
        }
    }

    /// What `cblab counts --from` prints. COCO: instances as `counts`, images
    /// per class, the images, names and ids, crowd instances, LVIS's
    /// frequency. A folder: images per class, the files not counted.
    pub fn json(&self) -> serde_json::Value {
        let c = match self {
            Self::Coco(c) => c,
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
