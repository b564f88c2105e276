//! `--from KIND PATH`: counts read from a data set's annotation file,
//! streamed ([`crate::data::coco`]), as `cblab counts` prints them and as
//! `cblab weights` takes them (`--unit` instances or images).

use std::fs::File;
use std::path::Path;

use anyhow::{Context, Result, bail};
use clap::ValueEnum;
use serde_json::json;

use crate::data::coco::{CocoCounts, count_coco};
use crate::data::counts_input::ParsedCounts;

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

/// An annotation file, counted.
pub struct Annotations {
    source: &'static str,
    coco: CocoCounts,
}

/// Reads `--from KIND PATH` (`coco`, which LVIS's files are too).
pub fn load(from: &[String]) -> Result<Annotations> {
    let [kind, path] = from else {
        bail!("--from takes a kind and a path, e.g. --from coco instances_train2017.json");
    };
    match kind.as_str() {
        "coco" | "lvis" => {
            let path = Path::new(path);
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
            Ok(Annotations {
                source: "coco",
                coco,
            })
        }
        _ => bail!(
            "--from {kind}: the kinds read so far are coco (and LVIS, which shares its format)"
        ),
    }
}

impl Annotations {
    /// The counts in `unit`, with the categories' names.
    pub fn counts(&self, unit: Unit) -> ParsedCounts {
        let c = &self.coco;
        ParsedCounts {
            counts: match unit {
                Unit::Instances => c.instances.clone(),
                Unit::Images => c.images.positives.clone(),
            },
            names: Some(c.categories.iter().map(|c| c.name.clone()).collect()),
        }
    }

    /// The images the file declares.
    pub fn images(&self) -> u64 {
        self.coco.images.samples
    }

    /// What `cblab counts --from` prints: instances as `counts`, images per
    /// class, the images, names and ids, crowd instances, LVIS's frequency.
    pub fn json(&self) -> serde_json::Value {
        let c = &self.coco;
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
            "source": self.source,
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
