//! `cblab counts` and `cblab presets`, and the ways every command takes class counts.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use serde_json::json;

use super::annotations::{self, Annotations, TableArgs, Unit};
use crate::data::counts_input::{InputFormat, ParsedCounts, parse_counts};
use crate::data::label_sets::{LabelSetCounts, LabelSets, parse_label_sets};
use crate::data::profiles::{self, PRESETS, Profile, preset_counts};
use crate::i18n::Lang;

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum ProfileName {
    /// n_i = floor(max * imbalance^(-i / (C - 1))), the official long-tailed CIFAR rule.
    Exp,
    /// Half the classes at max, half at max / imbalance.
    Step,
    /// Every class at max.
    Uniform,
}

/// A count profile: its shape and parameters.
#[derive(Debug, Args)]
pub struct ProfileArgs {
    /// The profile's shape.
    #[arg(long, value_enum, default_value = "exp")]
    profile: ProfileName,
    /// Number of classes.
    #[arg(long, default_value_t = 10)]
    classes: usize,
    /// Samples in the largest class [default: 5000 for `counts`, 500 for `train`].
    #[arg(long)]
    max: Option<u64>,
    /// Imbalance factor n_max / n_min.
    #[arg(long, default_value_t = 100.0)]
    imbalance: f64,
}

impl ProfileArgs {
    /// The imbalance factor given (or its default).
    pub fn imbalance(&self) -> f64 {
        self.imbalance
    }

    /// Whether the profile is the default exponential one.
    pub fn is_exponential(&self) -> bool {
        matches!(self.profile, ProfileName::Exp)
    }

    /// The number of classes given (or its default).
    pub fn classes(&self) -> usize {
        self.classes
    }

    /// Whether a largest class was given.
    pub fn max_given(&self) -> bool {
        self.max.is_some()
    }

    /// The counts of this profile, with `default_max` samples in the largest class unless given.
    pub fn counts(&self, default_max: u64) -> Result<Vec<u64>> {
        let max = self.max.unwrap_or(default_max);
        let profile = match self.profile {
            ProfileName::Exp => Profile::Exponential {
                classes: self.classes,
                max,
                imbalance: self.imbalance,
            },
            ProfileName::Step => Profile::Step {
                classes: self.classes,
                max,
                imbalance: self.imbalance,
            },
            ProfileName::Uniform => Profile::Uniform {
                classes: self.classes,
                count: max,
            },
        };
        Ok(profile.counts()?)
    }
}

#[derive(Debug, Args)]
pub struct CountsArgs {
    /// Counts from input (as `cblab weights` takes them) instead of a profile.
    #[command(flatten)]
    source: CountsSource,
    #[command(flatten)]
    profile: ProfileArgs,
    #[command(flatten)]
    multi_label: MultiLabelArg,
}

pub fn run(args: &CountsArgs) -> Result<String> {
    if let Some(counted) = args.multi_label.load(&args.source)? {
        return Ok(counted.json().to_string());
    }
    if let Some(a) = args.source.annotations()? {
        return Ok(a.json().to_string());
    }
    let parsed = if args.source.given() {
        args.source.load(Unit::Instances)?
    } else {
        ParsedCounts {
            counts: args.profile.counts(5000)?,
            names: None,
        }
    };
    Ok(match parsed.names {
        Some(names) => json!({ "counts": parsed.counts, "names": names }),
        None => json!({ "counts": parsed.counts }),
    }
    .to_string())
}

/// `--multi-label`: the labels file holds label sets, one sample a line.
#[derive(Debug, Args)]
pub struct MultiLabelArg {
    /// Read --labels-file as label sets, one sample a line (`0 3 7` or
    /// `cat,dog`; a blank line a sample with no label): counts are the samples
    /// carrying each class.
    #[arg(long)]
    multi_label: bool,
}

/// Label sets counted, with what a multi-label command prints.
pub struct MultiLabelCounts {
    pub counts: LabelSetCounts,
    pub names: Option<Vec<String>>,
    pub sets: LabelSets,
}

impl MultiLabelCounts {
    /// `counts`, `unit`, `samples`, `cardinality` and `names`.
    pub fn json(&self) -> serde_json::Value {
        let mut out = json!({
            "counts": self.counts.positives,
            "unit": "samples carrying the class",
            "samples": self.counts.samples,
            "cardinality": self.counts.cardinality,
        });
        if let Some(names) = &self.names {
            out["names"] = json!(names);
        }
        out
    }
}

impl MultiLabelArg {
    /// The label sets of the source's labels file, when the flag was given.
    pub fn load(&self, source: &CountsSource) -> Result<Option<MultiLabelCounts>> {
        if !self.multi_label {
            return Ok(None);
        }
        let Some(path) = source.labels_file.as_ref() else {
            bail!(
                "--multi-label reads label sets, one sample a line: give them with --labels-file FILE"
            );
        };
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let sets = parse_label_sets(&text).with_context(|| format!("in {}", path.display()))?;
        Ok(Some(MultiLabelCounts {
            counts: sets.counts(),
            names: sets.names.clone(),
            sets,
        }))
    }
}

/// The class names of a preset that has them (a real data set's).
fn preset_names(name: &str) -> Option<Vec<String>> {
    let names = profiles::preset(name)?.class_names?;
    Some(names.iter().map(|s| (*s).to_owned()).collect())
}

pub fn presets() -> String {
    let list: Vec<_> = PRESETS
        .iter()
        .map(
            |p| json!({ "name": p.name, "label": p.label(Lang::En), "description": p.description }),
        )
        .collect();
    json!({ "presets": list }).to_string()
}

/// The counts of a preset, or an error that lists the valid names.
pub fn preset(name: &str) -> Result<Vec<u64>> {
    match preset_counts(name) {
        Some(counts) => Ok(counts),
        None => {
            let names: Vec<&str> = PRESETS.iter().map(|p| p.name).collect();
            bail!(
                "unknown preset \"{name}\"; the presets are {}",
                names.join(", ")
            )
        }
    }
}

/// Where a command's class counts come from (at most one source).
#[derive(Debug, Args)]
#[group(multiple = false)]
pub struct CountsSource {
    /// Counts separated by commas, e.g. 5000,2997,1796.
    #[arg(long)]
    counts: Option<String>,
    /// A file of counts (a list, or a CSV with the header class,count).
    #[arg(long, value_name = "FILE")]
    counts_file: Option<PathBuf>,
    /// A file with one label per line, counted per class.
    #[arg(long, value_name = "FILE")]
    labels_file: Option<PathBuf>,
    /// A named preset (see `cblab presets`).
    #[arg(long)]
    preset: Option<String>,
    /// A data set's annotations: `--from coco FILE` (COCO or LVIS JSON,
    /// streamed; the three arrays in any order), `--from openimages FILE`
    /// (image-level labels, `--names` for the class descriptions), `--from
    /// folder DIR` (torchvision's ImageFolder layout: a subfolder a class) or
    /// `--from csv|tsv|jsonl FILE` (a label column or key).
    #[arg(long, num_args = 2, value_names = ["KIND", "PATH"])]
    from: Option<Vec<String>>,
    /// How `--from csv|tsv|jsonl` finds the labels, and `--from openimages` names them.
    #[command(flatten)]
    table: TableArgs,
}

impl CountsSource {
    /// Whether any source was given.
    pub fn given(&self) -> bool {
        self.counts.is_some()
            || self.counts_file.is_some()
            || self.labels_file.is_some()
            || self.preset.is_some()
            || self.from.is_some()
    }

    /// Whether the counts come from an annotation file or folder (`--from`).
    pub fn reads_annotations(&self) -> bool {
        self.from.is_some()
    }

    /// The unit counts in `unit` come in from `--from` (a folder's are
    /// images, a table's the samples carrying the class).
    pub fn annotation_unit(&self, unit: Unit) -> Option<Unit> {
        let kind = annotations::kind(self.from.as_deref()?)?;
        Some(match kind {
            "folder" | "openimages" => Unit::Images,
            "csv" | "tsv" | "jsonl" => Unit::Samples,
            _ => unit,
        })
    }

    /// The annotation file of `--from`, counted, if one was given.
    pub fn annotations(&self) -> Result<Option<Annotations>> {
        let t = &self.table;
        let table_given =
            t.column.is_some() || t.delimiter.is_some() || t.separator.is_some() || t.key.is_some();
        if self.from.is_none() && t.names.is_some() {
            bail!("--names names the classes of --from openimages FILE: give that file");
        }
        if self.from.is_none() && table_given {
            bail!(
                "--column, --delimiter, --separator and --key say where a table's labels are: give the table with --from csv|tsv|jsonl FILE"
            );
        }
        self.from
            .as_deref()
            .map(|from| annotations::load(from, t))
            .transpose()
    }

    /// The counts from the source given (an annotation file's in `unit`);
    /// an error if none was.
    pub fn load(&self, unit: Unit) -> Result<ParsedCounts> {
        // Also refuses a table's flags without --from.
        if let Some(a) = self.annotations()? {
            return Ok(a.counts(unit).0);
        }
        let from_file = |path: &PathBuf, format| -> Result<ParsedCounts> {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            parse_counts(&text, format).with_context(|| format!("in {}", path.display()))
        };
        if let Some(text) = &self.counts {
            return parse_counts(text, InputFormat::List).context("in --counts");
        }
        if let Some(path) = &self.counts_file {
            return from_file(path, InputFormat::Auto);
        }
        if let Some(path) = &self.labels_file {
            return from_file(path, InputFormat::Labels);
        }
        let Some(name) = self.preset.as_deref() else {
            bail!(
                "the counts are required: give --counts, --counts-file, --labels-file, --preset or --from"
            );
        };
        Ok(ParsedCounts {
            counts: preset(name)?,
            names: preset_names(name),
        })
    }
}
