//! Labels in a table, counted as the rows stream past: a CSV or TSV with a
//! label column (several labels in a cell split by a separator), or JSON
//! Lines with a label key (a string, a whole number, or an array of them).
//! Each row is a sample carrying its labels (a label repeated in a row
//! counts once; an empty cell or a null is a sample with no label). What is
//! kept grows with the classes, not with the rows.
//!
//! Classes follow the label files' convention ([`crate::data::label_sets`]):
//! labels that are all whole numbers are class indices, otherwise every
//! label is a name and the classes are sorted by name.

use std::collections::BTreeMap;
use std::fmt;
use std::io::{BufRead, BufReader, Read};

use crate::data::label_sets::LabelSetCounts;
use crate::data::profiles::MAX_CLASSES;
use crate::data::text_stream::{Utf8Reader, text_error};

/// A table's labels, counted.
#[derive(Clone, Debug, PartialEq)]
pub struct TableCounts {
    /// Rows carrying each class, the rows, labels a row.
    pub counts: LabelSetCounts,
    /// The class names, when the labels are names.
    pub names: Option<Vec<String>>,
}

/// Why a table cannot be counted, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableError {
    /// The line, from 1 (0 when the fault is not at a line).
    pub line: u64,
    /// What is wrong.
    pub what: String,
}

impl fmt::Display for TableError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            0 => write!(f, "{}", self.what),
            line => write!(f, "line {line}: {}", self.what),
        }
    }
}

impl std::error::Error for TableError {}

/// A csv crate's error located by its line (a stream's UTF-8 fault in its words).
pub(crate) fn csv_error(e: csv::Error) -> TableError {
    let line = e.position().map_or(0, csv::Position::line);
    let what = match e.kind() {
        csv::ErrorKind::Io(io) => {
            text_error(io).map_or_else(|| io.to_string(), ToString::to_string)
        }
        _ => e.to_string(),
    };
    error(line, what)
}

pub(crate) fn error(line: u64, what: impl Into<String>) -> TableError {
    TableError {
        line,
        what: what.into(),
    }
}

/// Positives by label text, as rows come.
#[derive(Default)]
struct Tally {
    positives: BTreeMap<String, u64>,
    samples: u64,
    labels: u64,
    row: Vec<String>,
}

impl Tally {
    /// Counts one row whose labels are `labels` (trimmed; empty ones skipped).
    fn add<'a>(
        &mut self,
        line: u64,
        labels: impl Iterator<Item = &'a str>,
    ) -> Result<(), TableError> {
        self.row.clear();
        for label in labels.map(str::trim).filter(|l| !l.is_empty()) {
            if label.contains('\0') {
                return Err(error(line, "a NUL byte in a label: is this a text file?"));
            }
            if !self.row.iter().any(|l| l == label) {
                self.row.push(label.to_owned());
            }
        }
        for label in self.row.drain(..) {
            match self.positives.get_mut(&label) {
                Some(n) => *n += 1,
                None => {
                    if self.positives.len() == MAX_CLASSES {
                        return Err(error(line, format!("more than {MAX_CLASSES} classes")));
                    }
                    self.positives.insert(label, 1);
                }
            }
            self.labels += 1;
        }
        self.samples += 1;
        Ok(())
    }

    fn finish(self) -> Result<TableCounts, TableError> {
        if self.samples == 0 {
            return Err(error(0, "no row to count"));
        }
        let cardinality = self.labels as f64 / self.samples as f64;
        let all_integers = self
            .positives
            .keys()
            .all(|l| l.bytes().all(|b| b.is_ascii_digit()));
        let (positives, names) = if all_integers {
            let mut positives = Vec::new();
            for (label, n) in &self.positives {
                let index = label
                    .parse::<usize>()
                    .ok()
                    .filter(|&i| i < MAX_CLASSES)
                    .ok_or_else(|| {
                        error(0, format!("class index {label} is not below {MAX_CLASSES}"))
                    })?;
                if positives.len() <= index {
                    positives.resize(index + 1, 0);
                }
                positives[index] = *n;
            }
            (positives, None)
        } else {
            let names = self.positives.keys().cloned().collect();
            (self.positives.into_values().collect(), Some(names))
        };
        Ok(TableCounts {
            counts: LabelSetCounts {
                positives,
                samples: self.samples,
                cardinality,
            },
            names,
        })
    }
}

/// How a CSV or TSV holds its labels.
#[derive(Clone, Debug)]
pub struct CsvColumn {
    /// The header of the label column.
    pub column: String,
    /// The field separator (`,` for CSV, a tab for TSV).
    pub delimiter: u8,
    /// Splits a cell into several labels, when given.
    pub separator: Option<char>,
}

/// Counts the label column of a CSV or TSV with a header row, as it streams.
pub fn count_csv(reader: impl Read, how: &CsvColumn) -> Result<TableCounts, TableError> {
    let mut csv = csv::ReaderBuilder::new()
        .delimiter(how.delimiter)
        .from_reader(Utf8Reader::new(reader));
    let fail = csv_error;
    let headers = csv.headers().map_err(fail)?.clone();
    let Some(at) = headers.iter().position(|h| h.trim() == how.column) else {
        let names: Vec<&str> = headers.iter().collect();
        return Err(error(
            1,
            format!(
                "no column \"{}\" (the columns: {})",
                how.column,
                names.join(", ")
            ),
        ));
    };
    let mut tally = Tally::default();
    let mut record = csv::StringRecord::new();
    while csv.read_record(&mut record).map_err(fail)? {
        let line = record.position().map_or(0, csv::Position::line);
        let cell = record.get(at).unwrap_or("");
        match how.separator {
            Some(s) => tally.add(line, cell.split(s))?,
            None => tally.add(line, std::iter::once(cell))?,
        }
    }
    tally.finish()
}

/// Counts JSON Lines whose objects hold their labels under `key`, as they stream.
pub fn count_jsonl(reader: impl Read, key: &str) -> Result<TableCounts, TableError> {
    let mut lines = BufReader::with_capacity(1 << 16, Utf8Reader::new(reader));
    let mut tally = Tally::default();
    let mut text = String::new();
    let mut line = 0;
    loop {
        text.clear();
        let read = lines.read_line(&mut text).map_err(|e| {
            error(
                line + 1,
                text_error(&e).map_or_else(|| e.to_string(), ToString::to_string),
            )
        })?;
        if read == 0 {
            break;
        }
        line += 1;
        if text.trim().is_empty() {
            continue;
        }
        let value: serde_json::Value = serde_json::from_str(&text)
            .map_err(|e| error(line, format!("column {}: {e}", e.column())))?;
        let Some(object) = value.as_object() else {
            return Err(error(line, "not a JSON object"));
        };
        let Some(labels) = object.get(key) else {
            return Err(error(line, format!("no key \"{key}\"")));
        };
        let label = |v: &serde_json::Value| match v {
            serde_json::Value::String(s) => Ok(s.clone()),
            serde_json::Value::Number(n) if n.is_u64() => Ok(n.to_string()),
            other => Err(error(
                line,
                format!("\"{key}\" holds {other}: a label is a string or a whole number"),
            )),
        };
        let row: Vec<String> = match labels {
            serde_json::Value::Null => Vec::new(),
            serde_json::Value::Array(items) => items.iter().map(label).collect::<Result<_, _>>()?,
            one => vec![label(one)?],
        };
        tally.add(line, row.iter().map(String::as_str))?;
    }
    tally.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csv(
        text: &str,
        column: &str,
        delimiter: u8,
        separator: Option<char>,
    ) -> Result<TableCounts, String> {
        let how = CsvColumn {
            column: column.into(),
            delimiter,
            separator,
        };
        count_csv(text.as_bytes(), &how).map_err(|e| e.to_string())
    }

    #[test]
    fn a_label_column_single_and_several() {
        let c = csv(
            "path,label\na.jpg,dog\nb.jpg,cat\nc.jpg,dog\n",
            "label",
            b',',
            None,
        )
        .unwrap();
        assert_eq!(c.names.unwrap(), ["cat", "dog"]);
        assert_eq!(c.counts.positives, [1, 2]);
        assert_eq!(c.counts.samples, 3);
        let t = "id\ttags\n1\tdog|cat|dog\n2\t\n3\t\"bird\"\n";
        let c = csv(t, "tags", b'\t', Some('|')).unwrap();
        assert_eq!(c.names.unwrap(), ["bird", "cat", "dog"]);
        assert_eq!(c.counts.positives, [1, 1, 1]);
        assert_eq!(c.counts.samples, 3);
        assert!((c.counts.cardinality - 1.0).abs() < 1e-12);
        // Whole numbers are class indices.
        let c = csv("y\n2\n0\n2\n", "y", b',', None).unwrap();
        assert_eq!((c.counts.positives, c.names), (vec![1, 0, 2], None));
    }

    #[test]
    fn bad_tables_say_where() {
        assert_eq!(
            csv("a,b\n1,2\n", "label", b',', None).unwrap_err(),
            "line 1: no column \"label\" (the columns: a, b)"
        );
        let e = csv("a,label\n1,x\n2,y,extra\n", "label", b',', None).unwrap_err();
        assert!(e.starts_with("line 3: "), "{e}");
        let e = csv("label\nok\n\u{0}caf\u{e9}", "label", b',', None).unwrap_err();
        assert_eq!(e, "line 3: a NUL byte in a label: is this a text file?");
        let e = count_csv(
            &b"label\ncaf\xe9\n"[..],
            &CsvColumn {
                column: "label".into(),
                delimiter: b',',
                separator: None,
            },
        )
        .unwrap_err();
        assert!(e.to_string().contains("not UTF-8 at byte 9"), "{e}");
        assert_eq!(
            csv("label\n", "label", b',', None).unwrap_err(),
            "no row to count"
        );
    }

    #[test]
    fn json_lines_with_a_label_key() {
        let text = "{\"file\": \"a\", \"labels\": [\"dog\", \"cat\"]}\n\n{\"labels\": \"dog\"}\n{\"labels\": null}\n";
        let c = count_jsonl(text.as_bytes(), "labels").unwrap();
        assert_eq!(c.names.unwrap(), ["cat", "dog"]);
        assert_eq!(c.counts.positives, [1, 2]);
        assert_eq!(c.counts.samples, 3);
        let c = count_jsonl("{\"y\": 1}\n{\"y\": [0, 1]}\n".as_bytes(), "y").unwrap();
        assert_eq!((c.counts.positives, c.names), (vec![1, 2], None));
        let refuse = |t: &str| count_jsonl(t.as_bytes(), "y").unwrap_err().to_string();
        assert_eq!(refuse("{\"y\": 1}\n{\"x\": 2}\n"), "line 2: no key \"y\"");
        assert_eq!(refuse("[1]\n"), "line 1: not a JSON object");
        assert!(refuse("{\"y\": 1.5}\n").contains("a label is a string or a whole number"));
        assert!(refuse("{\"y\": 1}\n{\"y\": \n").starts_with("line 2: column"));
    }
}
