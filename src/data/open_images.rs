//! Open Images' image-level labels (`ImageID,Source,LabelName,Confidence`,
//! the columns found by their header), counted as the rows stream past: per
//! label the images that carry it with Confidence 1 (a human-verified
//! positive; 0 is a verified negative, and machine labels have fractions),
//! each image and label once however often the pair repeats; each image's
//! set of labels, for the multi-label counts.
//!
//! Open Images lists an image's rows together (its files are sorted by
//! ImageID), so one image's labels are gathered at a time and only the ids of
//! the images already seen are kept (8 bytes an image for Open Images' 16
//! hex digits): an image whose rows come back after another image's is
//! refused with its line rather than counted twice.
//!
//! The classes are the rows of the class-descriptions file when one is given
//! (`LabelName,DisplayName`, no header, as Open Images ships it), in its
//! order, named by their display names; rows whose label it does not list are
//! skipped and counted apart. Without it, the classes are every label the
//! file uses, sorted, named by their label ids.

use std::collections::{HashMap, HashSet};
use std::io::Read;

use crate::data::label_sets::{LabelSetCounter, LabelSetCounts};
use crate::data::label_table::{TableError, csv_error, error};
use crate::data::profiles::MAX_CLASSES;
use crate::data::text_stream::Utf8Reader;

/// A class-descriptions file: label ids and their display names, in file order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LabelNames {
    /// Label ids (`/m/0dzct`).
    pub labels: Vec<String>,
    /// Their display names (`Human face`).
    pub names: Vec<String>,
}

/// An Open Images labels file, counted.
#[derive(Clone, Debug, PartialEq)]
pub struct OpenImagesCounts {
    /// Images carrying each class with Confidence 1, the images in the file
    /// (those with only negative labels too), labels an image.
    pub images: LabelSetCounts,
    /// The classes' label ids.
    pub labels: Vec<String>,
    /// The classes' display names (their label ids without a names file).
    pub names: Vec<String>,
    /// Rows whose label the names file does not list (skipped).
    pub unlisted_rows: u64,
    /// Rows that repeat an image and label already counted.
    pub repeated_rows: u64,
}

/// Reads a class-descriptions CSV (`LabelName,DisplayName`, no header).
pub fn read_label_names(reader: impl Read) -> Result<LabelNames, TableError> {
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(Utf8Reader::new(reader));
    let mut out = LabelNames::default();
    let mut seen = HashSet::new();
    let mut record = csv::StringRecord::new();
    while csv.read_record(&mut record).map_err(csv_error)? {
        let line = record.position().map_or(0, csv::Position::line);
        let (Some(label), Some(name)) = (record.get(0), record.get(1)) else {
            return Err(error(
                line,
                "a row of the names file is LabelName,DisplayName",
            ));
        };
        let label = label.trim();
        if label.is_empty() {
            return Err(error(line, "an empty LabelName"));
        }
        if !seen.insert(label.to_owned()) {
            return Err(error(line, format!("{label} is named twice")));
        }
        if out.labels.len() == MAX_CLASSES {
            return Err(error(line, format!("more than {MAX_CLASSES} classes")));
        }
        out.labels.push(label.to_owned());
        out.names.push(name.trim().to_owned());
    }
    if out.labels.is_empty() {
        return Err(error(0, "the names file has no row"));
    }
    Ok(out)
}

/// An image id as kept once its rows are done: Open Images' 16 hex digits as
/// the number they are, any other id as its text.
#[derive(Default)]
struct SeenImages {
    hex: HashSet<u64>,
    other: HashSet<String>,
}

impl SeenImages {
    /// Records `id`; false if it was already there.
    fn insert(&mut self, id: &str) -> bool {
        match u64::from_str_radix(id, 16) {
            Ok(n) if id.len() == 16 => self.hex.insert(n),
            _ => self.other.insert(id.to_owned()),
        }
    }
}

/// Everything kept while the rows stream past.
struct Tally {
    /// Class index by label id; fixed by a names file, grown by first use otherwise.
    classes: HashMap<String, usize>,
    fixed: bool,
    counter: LabelSetCounter,
    seen: SeenImages,
    image: Option<String>,
    set: Vec<usize>,
    unlisted_rows: u64,
    repeated_rows: u64,
}

impl Tally {
    /// Counts the image whose rows just ended.
    fn close_image(&mut self) {
        if self.image.take().is_some() {
            self.counter.add(&self.set);
            self.set.clear();
        }
    }

    fn row(
        &mut self,
        line: u64,
        image: &str,
        label: &str,
        positive: bool,
    ) -> Result<(), TableError> {
        if self.image.as_deref() != Some(image) {
            self.close_image();
            if !self.seen.insert(image) {
                return Err(error(
                    line,
                    format!(
                        "image {image} comes back after other images' rows: list an image's rows together (sort the file by ImageID, as Open Images ships it)"
                    ),
                ));
            }
            self.image = Some(image.to_owned());
        }
        let class = match self.classes.get(label) {
            Some(&c) => c,
            None if self.fixed => {
                self.unlisted_rows += 1;
                return Ok(());
            }
            None => {
                if self.classes.len() == MAX_CLASSES {
                    return Err(error(line, format!("more than {MAX_CLASSES} classes")));
                }
                let c = self.classes.len();
                self.classes.insert(label.to_owned(), c);
                c
            }
        };
        if positive {
            if self.set.contains(&class) {
                self.repeated_rows += 1;
            } else {
                self.set.push(class);
            }
        }
        Ok(())
    }
}

/// Counts an Open Images labels CSV from `reader`, as it streams, with the
/// classes of `names` when given (see the module's documentation).
pub fn count_open_images(
    reader: impl Read,
    names: Option<&LabelNames>,
) -> Result<OpenImagesCounts, TableError> {
    let mut csv = csv::ReaderBuilder::new().from_reader(Utf8Reader::new(reader));
    let headers = csv.headers().map_err(csv_error)?.clone();
    let column = |name: &str| {
        headers.iter().position(|h| h.trim() == name).ok_or_else(|| {
            let found: Vec<&str> = headers.iter().collect();
            error(
                1,
                format!(
                    "no column \"{name}\": Open Images' labels have ImageID, Source, LabelName and Confidence (the columns: {})",
                    found.join(", ")
                ),
            )
        })
    };
    let (image_at, label_at, confidence_at) = (
        column("ImageID")?,
        column("LabelName")?,
        column("Confidence")?,
    );
    let classes = names.map_or_else(HashMap::new, |n| {
        n.labels
            .iter()
            .enumerate()
            .map(|(i, l)| (l.clone(), i))
            .collect()
    });
    let mut tally = Tally {
        counter: LabelSetCounter::new(classes.len()),
        fixed: names.is_some(),
        classes,
        seen: SeenImages::default(),
        image: None,
        set: Vec::new(),
        unlisted_rows: 0,
        repeated_rows: 0,
    };
    let mut record = csv::StringRecord::new();
    while csv.read_record(&mut record).map_err(csv_error)? {
        let line = record.position().map_or(0, csv::Position::line);
        let cell = |at: usize| record.get(at).map(str::trim).unwrap_or("");
        let (image, label, confidence) = (cell(image_at), cell(label_at), cell(confidence_at));
        if image.is_empty() || label.is_empty() {
            return Err(error(line, "a row without its ImageID or LabelName"));
        }
        let confidence: f64 = confidence
            .parse()
            .map_err(|_| error(line, format!("Confidence \"{confidence}\" is not a number")))?;
        if !(0.0..=1.0).contains(&confidence) {
            return Err(error(
                line,
                format!("Confidence {confidence} is not between 0 and 1"),
            ));
        }
        tally.row(line, image, label, confidence == 1.0)?;
    }
    tally.close_image();
    let mut images = tally.counter.finish();
    if images.samples == 0 {
        return Err(error(0, "no row to count"));
    }
    images.positives.resize(tally.classes.len(), 0);
    let (labels, names) = match names {
        Some(n) => (n.labels.clone(), n.names.clone()),
        None => {
            // Classes in label order, their counts following them.
            let mut order: Vec<(String, usize)> = tally.classes.into_iter().collect();
            order.sort_unstable();
            images.positives = order.iter().map(|(_, c)| images.positives[*c]).collect();
            let labels: Vec<String> = order.into_iter().map(|(l, _)| l).collect();
            (labels.clone(), labels)
        }
    };
    Ok(OpenImagesCounts {
        images,
        labels,
        names,
        unlisted_rows: tally.unlisted_rows,
        repeated_rows: tally.repeated_rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "ImageID,Source,LabelName,Confidence\n";

    fn count(rows: &str, names: Option<&LabelNames>) -> Result<OpenImagesCounts, TableError> {
        count_open_images(format!("{HEADER}{rows}").as_bytes(), names)
    }

    #[test]
    fn counts_images_with_confidence_one_once() {
        let rows = "000002b66c9c498e,verification,/m/014sv8,1\n\
                    000002b66c9c498e,verification,/m/014sv8,1.0\n\
                    000002b66c9c498e,verification,/m/0dzct,0\n\
                    000002b97e5471a0,crowdsource-verification,/m/0dzct,1\n\
                    000002b97e5471a0,verification,/m/05s2s,0.7\n\
                    000002c707c9895e,verification,/m/05s2s,0\n";
        let c = count(rows, None).unwrap();
        // Every label used is a class, sorted; 0.7 and 0 are not positives.
        assert_eq!(c.labels, ["/m/014sv8", "/m/05s2s", "/m/0dzct"]);
        assert_eq!(c.names, c.labels);
        assert_eq!(c.images.positives, [1, 0, 1]);
        // The third image has only a negative label: an image with no positive.
        assert_eq!(c.images.samples, 3);
        assert!((c.images.cardinality - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(c.repeated_rows, 1);
    }

    #[test]
    fn a_names_file_orders_names_and_filters_the_classes() {
        let names = read_label_names(
            "/m/0dzct,Human face\n/m/014sv8,\"Human eye\"\n/m/0zzz,Zebra crossing\n".as_bytes(),
        )
        .unwrap();
        let rows = "a,verification,/m/014sv8,1\na,verification,/m/0dzct,1\n\
                    b,verification,/m/0dzct,1\nb,verification,/m/unlisted,1\n";
        let c = count(rows, Some(&names)).unwrap();
        assert_eq!(c.names, ["Human face", "Human eye", "Zebra crossing"]);
        assert_eq!(c.images.positives, [2, 1, 0]);
        assert_eq!(c.images.samples, 2);
        assert_eq!(c.unlisted_rows, 1);
    }

    #[test]
    fn columns_are_found_by_their_header() {
        let text = "Confidence,LabelName,ImageID\n1,/m/a,x\n1,/m/b,x\n";
        let c = count_open_images(text.as_bytes(), None).unwrap();
        assert_eq!(c.images.positives, [1, 1]);
        assert_eq!(c.images.samples, 1);
    }

    #[test]
    fn bad_files_are_refused_with_their_line() {
        let bad = |text: &str| {
            count_open_images(text.as_bytes(), None)
                .unwrap_err()
                .to_string()
        };
        assert!(bad("ImageID,LabelName\nx,/m/a\n").contains("no column \"Confidence\""));
        assert!(bad(&format!("{HEADER}x,v,/m/a,yes\n")).starts_with("line 2: Confidence \"yes\""));
        assert!(bad(&format!("{HEADER}x,v,/m/a,2\n")).contains("between 0 and 1"));
        assert!(bad(&format!("{HEADER}x,v,,1\n")).starts_with("line 2"));
        let back = bad(&format!("{HEADER}x,v,/m/a,1\ny,v,/m/a,1\nx,v,/m/b,1\n"));
        assert!(back.starts_with("line 4: image x comes back"), "{back}");
        assert!(bad(HEADER).contains("no row"));
        assert!(bad("").contains("no column"));
        assert!(bad(&format!("{HEADER}x,v,/m/a,\u{0}1\n")).contains("line 2"));
        let names = |text: &str| read_label_names(text.as_bytes()).unwrap_err().to_string();
        assert!(names("/m/a,A\n/m/a,B\n").starts_with("line 2: /m/a is named twice"));
        assert!(names("/m/a\n").starts_with("line 1"));
        assert!(names("").contains("no row"));
    }

    #[test]
    fn hex_ids_are_kept_as_numbers() {
        let mut seen = SeenImages::default();
        assert!(seen.insert("000002b66c9c498e"));
        assert!(!seen.insert("000002b66c9c498e"));
        assert!(seen.insert("not-hex"));
        assert_eq!((seen.hex.len(), seen.other.len()), (1, 1));
    }
}
