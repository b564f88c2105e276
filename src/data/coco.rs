//! COCO and LVIS annotation files, counted as they stream past: per category
//! its instances (crowd annotations included, and counted apart) and the
//! images that hold it; each image's set of categories (the multi-label
//! counts); LVIS's `frequency` when the categories have one.
//!
//! The three arrays may come in any order (COCO's and LVIS's own files put
//! `categories` last), so annotations are tallied by category id and image
//! id and matched to the declared ones at the end. What the reader keeps grows
//! with the images and categories (a small set of category ids an image),
//! never with the file's bytes: segmentations, boxes and every other field
//! are skipped unread by serde_json's `IgnoredAny`.
//!
//! An annotation whose image is not in `images` counts as an instance of its
//! category and is reported (`undeclared_images`), but no image is made for
//! it: the images are the ones the file declares, so no class can be in more
//! images than there are. A category id no category declares is refused,
//! with the first annotation that uses it.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::io::{BufReader, Read};

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::data::label_sets::{LabelSetCounter, LabelSetCounts};
use crate::data::text_stream::{Utf8Reader, text_error};

/// The most categories a file may declare.
pub const MAX_CATEGORIES: usize = 100_000;

/// A declared category, in the order of the `categories` array.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Category {
    /// Its id (ids may have gaps).
    pub id: u64,
    /// Its name.
    pub name: String,
    /// LVIS's frequency group: `r`, `c` or `f`.
    pub frequency: Option<String>,
}

/// What an annotation file holds, counted.
#[derive(Clone, Debug, PartialEq)]
pub struct CocoCounts {
    /// The categories, in file order.
    pub categories: Vec<Category>,
    /// Annotations per category (crowd ones included).
    pub instances: Vec<u64>,
    /// Crowd annotations (`iscrowd` 1) per category.
    pub crowd: Vec<u64>,
    /// Images per category, the number of images, and categories an image.
    pub images: LabelSetCounts,
    /// Annotations whose image is not declared (counted as instances only).
    pub undeclared_images: u64,
}

/// Why a file cannot be counted.
#[derive(Clone, Debug, PartialEq)]
pub enum CocoError {
    /// Not JSON, not UTF-8, a field of the wrong type, cut short: where.
    Syntax {
        /// What is wrong, in serde_json's words or ours.
        what: String,
        /// Line, from 1 (0 when the fault is in the bytes, before parsing).
        line: usize,
        /// Column, from 1.
        column: usize,
    },
    /// A key the file must have is missing.
    Missing(&'static str),
    /// An annotation names a category no category declares.
    UndeclaredCategory {
        /// The id.
        id: u64,
        /// Index of the first annotation that uses it.
        annotation: u64,
    },
}

impl fmt::Display for CocoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Syntax { what, line: 0, .. } => write!(f, "{what}"),
            Self::Syntax { what, line, column } => {
                write!(f, "line {line}, column {column}: {what}")
            }
            Self::Missing(key) => write!(f, "the file has no \"{key}\" array"),
            Self::UndeclaredCategory { id, annotation } => write!(
                f,
                "annotations[{annotation}]: category_id {id} is not declared in \"categories\""
            ),
        }
    }
}

impl std::error::Error for CocoError {}

/// The fields of an entry the counts need; serde skips the rest unread.
#[derive(Deserialize)]
struct Image {
    id: u64,
}

#[derive(Deserialize)]
struct Annotation {
    image_id: u64,
    category_id: u64,
    #[serde(default)]
    iscrowd: u8,
}

#[derive(Deserialize)]
struct CategoryRow {
    id: u64,
    name: String,
    #[serde(default)]
    frequency: Option<String>,
}

/// A category id's tallies, before the categories are known.
#[derive(Default)]
struct Tally {
    instances: u64,
    crowd: u64,
    first_use: u64,
}

/// Everything kept while the file streams past.
#[derive(Default)]
struct State {
    declared_images: Option<HashSet<u64>>,
    categories: Option<Vec<Category>>,
    tallies: HashMap<u64, Tally>,
    /// Each annotated image's category ids, each once.
    sets: HashMap<u64, Vec<u64>>,
    annotations: u64,
}

/// Counts an annotation file from `reader`, as it streams (in reads of 64 kB;
/// serde_json takes a byte at a time from the buffer).
pub fn count_coco(reader: impl Read) -> Result<CocoCounts, CocoError> {
    let text = BufReader::with_capacity(1 << 16, Utf8Reader::new(reader));
    let mut state = State::default();
    let mut json = serde_json::Deserializer::from_reader(text);
    Top(&mut state)
        .deserialize(&mut json)
        .and_then(|()| json.end())
        .map_err(|e| syntax(&e))?;
    finish(state)
}

/// A parse error where it is; a fault in the bytes (not UTF-8) by offset.
fn syntax(e: &serde_json::Error) -> CocoError {
    let inner = std::error::Error::source(e)
        .and_then(|s| s.downcast_ref::<std::io::Error>())
        .and_then(text_error);
    match inner {
        Some(t) => CocoError::Syntax {
            what: t.to_string(),
            line: 0,
            column: 0,
        },
        None => CocoError::Syntax {
            what: strip_position(&e.to_string()),
            line: e.line(),
            column: e.column(),
        },
    }
}

/// serde_json's message without its " at line L column C", which we say first.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

fn finish(state: State) -> Result<CocoCounts, CocoError> {
    let declared = state.declared_images.ok_or(CocoError::Missing("images"))?;
    let categories = state.categories.ok_or(CocoError::Missing("categories"))?;
    let index: HashMap<u64, usize> = categories
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id, i))
        .collect();
    let mut instances = vec![0; categories.len()];
    let mut crowd = vec![0; categories.len()];
    // The first undeclared use in the file, whichever id it is.
    if let Some((&id, tally)) = state
        .tallies
        .iter()
        .filter(|(id, _)| !index.contains_key(id))
        .min_by_key(|(_, t)| t.first_use)
    {
        return Err(CocoError::UndeclaredCategory {
            id,
            annotation: tally.first_use,
        });
    }
    for (id, tally) in &state.tallies {
        let c = index[id];
        instances[c] = tally.instances;
        crowd[c] = tally.crowd;
    }
    let mut counter = LabelSetCounter::new(categories.len());
    let mut set = Vec::new();
    // Declared images without an annotation are images with no label.
    let mut undeclared_images = 0;
    for (image, ids) in &state.sets {
        if !declared.contains(image) {
            undeclared_images += 1;
            continue;
        }
        set.clear();
        set.extend(ids.iter().map(|id| index[id]));
        counter.add(&set);
    }
    let annotated = state.sets.len() as u64 - undeclared_images;
    for _ in annotated..declared.len() as u64 {
        counter.add(&[]);
    }
    Ok(CocoCounts {
        categories,
        instances,
        crowd,
        images: counter.finish(),
        undeclared_images,
    })
}

/// The top-level object: the three arrays, anything else skipped.
struct Top<'a>(&'a mut State);

impl<'de> DeserializeSeed<'de> for Top<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Top<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object with \"images\", \"annotations\" and \"categories\"")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "images" => map.next_value_seed(Rows(self.0, Array::Images))?,
                "annotations" => map.next_value_seed(Rows(self.0, Array::Annotations))?,
                "categories" => map.next_value_seed(Rows(self.0, Array::Categories))?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Array {
    Images,
    Annotations,
    Categories,
}

/// One of the three arrays, row by row.
struct Rows<'a>(&'a mut State, Array);

impl<'de> DeserializeSeed<'de> for Rows<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Rows<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let Rows(state, array) = self;
        match array {
            Array::Images => {
                let declared = state.declared_images.get_or_insert_with(HashSet::new);
                while let Some(Image { id }) = seq.next_element()? {
                    if !declared.insert(id) {
                        return Err(de::Error::custom(format_args!(
                            "images: id {id} is declared twice"
                        )));
                    }
                }
            }
            Array::Annotations => {
                while let Some(a) = seq.next_element::<Annotation>()? {
                    let n = state.annotations;
                    state.annotations += 1;
                    let tally = state.tallies.entry(a.category_id).or_insert(Tally {
                        first_use: n,
                        ..Tally::default()
                    });
                    tally.instances += 1;
                    tally.crowd += u64::from(a.iscrowd == 1);
                    let set = state.sets.entry(a.image_id).or_default();
                    if !set.contains(&a.category_id) {
                        set.push(a.category_id);
                    }
                }
            }
            Array::Categories => {
                let mut categories = Vec::new();
                let mut ids = HashSet::new();
                while let Some(c) = seq.next_element::<CategoryRow>()? {
                    if !ids.insert(c.id) {
                        return Err(de::Error::custom(format_args!(
                            "categories: id {} is declared twice",
                            c.id
                        )));
                    }
                    if categories.len() == MAX_CATEGORIES {
                        return Err(de::Error::custom(format_args!(
                            "more than {MAX_CATEGORIES} categories"
                        )));
                    }
                    categories.push(Category {
                        id: c.id,
                        name: c.name,
                        frequency: c.frequency,
                    });
                }
                state.categories = Some(categories);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(text: &str) -> Result<CocoCounts, CocoError> {
        count_coco(text.as_bytes())
    }

    const LVIS_LIKE: &str = r#"{
      "info": {"year": 2020, "nested": [[1, 2], {"a": null}]},
      "images": [{"id": 1, "width": 640}, {"id": 2}, {"id": 7}, {"id": 9}],
      "annotations": [
        {"id": 1, "image_id": 1, "category_id": 30, "segmentation": [[1.5, 2, 3e2]], "bbox": [0, 0, 1, 1]},
        {"id": 2, "image_id": 1, "category_id": 30, "iscrowd": 1, "segmentation": {"counts": "abc", "size": [2, 2]}},
        {"id": 3, "image_id": 1, "category_id": 4},
        {"id": 4, "image_id": 2, "category_id": 30},
        {"id": 5, "image_id": 7, "category_id": 4, "area": 12.5},
        {"id": 6, "image_id": 99, "category_id": 4}
      ],
      "categories": [
        {"id": 30, "name": "dog", "frequency": "f", "synonyms": ["dog", "pup"]},
        {"id": 4, "name": "café table", "frequency": "r"},
        {"id": 12, "name": "never seen", "frequency": "c"}
      ]
    }"#;

    #[test]
    fn counts_instances_images_and_sets_with_categories_last() {
        let c = count(LVIS_LIKE).unwrap();
        let names: Vec<&str> = c.categories.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["dog", "café table", "never seen"]);
        assert_eq!(c.categories[0].frequency.as_deref(), Some("f"));
        // The undeclared image 99's annotation is an instance, not an image.
        assert_eq!(c.instances, vec![3, 3, 0]);
        assert_eq!(c.crowd, vec![1, 0, 0]);
        assert_eq!(c.undeclared_images, 1);
        assert_eq!(c.images.positives, vec![2, 2, 0]);
        // Four declared images (9 has no annotation), five labels: 1 has
        // dog and table, 2 dog, 7 table.
        assert_eq!(c.images.samples, 4);
        assert!((c.images.cardinality - 4.0 / 4.0).abs() < 1e-12);
    }

    #[test]
    fn order_does_not_matter() {
        let a = count(LVIS_LIKE).unwrap();
        let reordered = r#"{"categories": [{"id": 30, "name": "dog", "frequency": "f"},
            {"id": 4, "name": "café table", "frequency": "r"}, {"id": 12, "name": "never seen", "frequency": "c"}],
          "annotations": [{"image_id": 99, "category_id": 4}, {"image_id": 7, "category_id": 4},
            {"image_id": 2, "category_id": 30}, {"image_id": 1, "category_id": 4},
            {"image_id": 1, "category_id": 30, "iscrowd": 1}, {"image_id": 1, "category_id": 30}],
          "images": [{"id": 9}, {"id": 7}, {"id": 2}, {"id": 1}]}"#;
        assert_eq!(count(reordered).unwrap(), a);
    }

    fn refused(text: &[u8]) -> String {
        count_coco(text).unwrap_err().to_string()
    }

    #[test]
    fn bad_files_are_refused_where_they_go_wrong() {
        let cases: &[(&[u8], &str)] = &[
            (b"", "line 1, column 0: EOF while parsing"),
            (b"[1, 2]", "line 1, column 1: invalid type: sequence, expected an object"),
            (b"{\"images\": [{\"id\": 1}], \"categ", "line 1, column 30: EOF while parsing a string"),
            (b"{\"images\": [{\"id\": \"a\"}]}", "line 1, column 22: invalid type: string \"a\", expected u64"),
            (b"{\"images\": [{\"id\": 1}, {\"id\": 1}], \"categories\": []}", "line 1, column 33: images: id 1 is declared twice"),
            (b"{\"images\": [], \"categories\": [{\"id\": 3, \"name\": \"a\"}, {\"id\": 3, \"name\": \"b\"}]}", "categories: id 3 is declared twice"),
            (b"{\"images\": [], \"annotations\": [{\"image_id\": 1, \"category_id\": 1}, {\"image_id\": 1, \"category_id\": 5}], \"categories\": [{\"id\": 1, \"name\": \"a\"}]}", "annotations[1]: category_id 5 is not declared in \"categories\""),
            (b"{\"categories\": []}", "the file has no \"images\" array"),
            (b"{\"images\": []}", "the file has no \"categories\" array"),
            (b"{\"images\": []} x", "line 1, column 16: trailing characters"),
            (b"\xff\xfe{\0\"\0", "the file is UTF-16 (save it as UTF-8)"),
            (b"{\"info\": \"caf\xe9\", \"images\": []}", "bytes that are not UTF-8 at byte 13"),
            (b"{\"info\": \"a\0b\"}", "control character (\\u0000-\\u001F) found while parsing a string"),
        ];
        let wrong: Vec<String> = cases
            .iter()
            .map(|(text, want)| (String::from_utf8_lossy(text), refused(text), want))
            .filter(|(_, got, want)| !got.contains(*want))
            .map(|(text, got, _)| format!("{text}: {got}"))
            .collect();
        assert!(wrong.is_empty(), "{wrong:#?}");
        // Deep nesting: skipped without recursion (no stack to overflow),
        // and refused where a row must be an object.
        let deep = |at: &str| {
            format!(
                "{{\"{at}\": {}{}, \"images\": [], \"categories\": []}}",
                "[".repeat(100_000),
                "]".repeat(100_000)
            )
        };
        assert!(count(&deep("info")).is_ok());
        let got = refused(deep("images").as_bytes());
        assert!(
            got.contains("line 1, column 14: invalid type: sequence, expected u64"),
            "{got}"
        );
    }

    #[test]
    fn a_byte_order_mark_is_accepted() {
        let marked = [&[0xef, 0xbb, 0xbf][..], LVIS_LIKE.as_bytes()].concat();
        assert_eq!(count_coco(&marked[..]).unwrap(), count(LVIS_LIKE).unwrap());
    }

    #[test]
    fn too_many_categories_are_refused_before_they_are_kept() {
        let mut text = String::from("{\"images\": [], \"categories\": [");
        for id in 0..=MAX_CATEGORIES {
            text += &format!(
                "{}{{\"id\": {id}, \"name\": \"c{id}\"}}",
                if id > 0 { "," } else { "" }
            );
        }
        text += "]}";
        assert!(refused(text.as_bytes()).contains("more than 100000 categories"));
    }
}
