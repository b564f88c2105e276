//! Several labels a sample: each sample's set of classes, and the counts a
//! multi-label data set has (positives per class, samples, label cardinality).
//!
//! Text input is one sample a line, its labels separated by commas when the
//! input has a comma anywhere (so names may hold spaces: `traffic light,car`)
//! and by white space otherwise (`0 3 7`). A blank line is a sample with no
//! label (a final line break ends the last sample, it starts none); a label
//! repeated within a line counts once. Labels that are all
//! whole numbers are class indices; otherwise every label is a name and the
//! classes are sorted by name, as the single-label reader sorts them.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::data::counts_input::{ParseError, ParseErrorKind, Position};
use crate::data::profiles::MAX_CLASSES;

/// Each sample's classes: ascending, each at most once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LabelSets {
    /// One set a sample.
    pub sets: Vec<Vec<usize>>,
    /// The number of classes (every index in `sets` is below it).
    pub classes: usize,
    /// Class names, when the labels were names.
    pub names: Option<Vec<String>>,
}

impl LabelSets {
    /// The counts of these label sets.
    pub fn counts(&self) -> LabelSetCounts {
        let mut counter = LabelSetCounter::new(self.classes);
        for set in &self.sets {
            counter.add(set);
        }
        counter.finish()
    }

    /// The sets as multi-hot rows (`true` where the sample carries the class).
    pub fn multi_hot(&self) -> Vec<Vec<bool>> {
        self.sets
            .iter()
            .map(|set| {
                let mut row = vec![false; self.classes];
                set.iter().for_each(|&c| row[c] = true);
                row
            })
            .collect()
    }
}

/// What class weighting needs from a multi-label data set.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LabelSetCounts {
    /// Per class, the samples that carry it (its positives).
    pub positives: Vec<u64>,
    /// The number of samples N, those with no label included.
    pub samples: u64,
    /// The mean number of labels a sample (0 for no samples).
    pub cardinality: f64,
}

/// Counts label sets one at a time, so that a reader streaming a large file
/// keeps only the counts.
#[derive(Clone, Debug)]
pub struct LabelSetCounter {
    positives: Vec<u64>,
    samples: u64,
    labels: u64,
}

impl LabelSetCounter {
    /// A counter for `classes` classes (grown when a set names a larger index).
    pub fn new(classes: usize) -> Self {
        Self {
            positives: vec![0; classes],
            samples: 0,
            labels: 0,
        }
    }

    /// Counts one sample whose classes are `set` (each index once).
    pub fn add(&mut self, set: &[usize]) {
        for &c in set {
            if c >= self.positives.len() {
                self.positives.resize(c + 1, 0);
            }
            self.positives[c] += 1;
        }
        self.samples += 1;
        self.labels += set.len() as u64;
    }

    /// The counts so far.
    pub fn finish(self) -> LabelSetCounts {
        let cardinality = if self.samples == 0 {
            0.0
        } else {
            self.labels as f64 / self.samples as f64
        };
        LabelSetCounts {
            positives: self.positives,
            samples: self.samples,
            cardinality,
        }
    }
}

/// Reads label sets, one sample a line (see the module's documentation).
pub fn parse_label_sets(input: &str) -> Result<LabelSets, ParseError> {
    let input = input.strip_prefix('\u{feff}').unwrap_or(input);
    if input.trim().is_empty() {
        return Err(ParseError {
            position: None,
            kind: ParseErrorKind::Empty,
        });
    }
    let by_comma = input.contains(',');
    let lines: Vec<Vec<(usize, &str)>> = input
        .lines()
        .map(|line| labels_of(line, by_comma))
        .collect();
    for (i, line) in lines.iter().enumerate() {
        if let Some(&(column, _)) = line.iter().find(|(_, l)| l.is_empty()) {
            return Err(at(i + 1, column, ParseErrorKind::EmptyLabel));
        }
    }
    let all_integers = lines
        .iter()
        .flatten()
        .all(|(_, l)| l.bytes().all(|b| b.is_ascii_digit()));
    if all_integers {
        by_index(&lines)
    } else {
        by_name(&lines)
    }
}

/// A line's labels with their columns (in characters, from 1), trimmed.
fn labels_of(line: &str, by_comma: bool) -> Vec<(usize, &str)> {
    if by_comma {
        if line.trim().is_empty() {
            return Vec::new();
        }
        let mut column = 1;
        line.split(',')
            .map(|field| {
                let leading = field.chars().take_while(|c| c.is_whitespace()).count();
                let label = (column + leading, field.trim());
                column += field.chars().count() + 1;
                label
            })
            .collect()
    } else {
        let mut out = Vec::new();
        let mut start: Option<(usize, usize)> = None;
        for (column, (byte, c)) in line.char_indices().enumerate() {
            match (c.is_whitespace(), start) {
                (true, Some((col, b))) => {
                    out.push((col + 1, &line[b..byte]));
                    start = None;
                }
                (false, None) => start = Some((column, byte)),
                _ => {}
            }
        }
        if let Some((col, b)) = start {
            out.push((col + 1, &line[b..]));
        }
        out
    }
}

fn at(line: usize, column: usize, kind: ParseErrorKind) -> ParseError {
    ParseError {
        position: Some(Position { line, column }),
        kind,
    }
}

fn by_index(lines: &[Vec<(usize, &str)>]) -> Result<LabelSets, ParseError> {
    let mut classes = 0;
    let mut sets = Vec::with_capacity(lines.len());
    for (i, line) in lines.iter().enumerate() {
        let mut set = Vec::with_capacity(line.len());
        for &(column, label) in line {
            let index = label
                .parse::<usize>()
                .ok()
                .filter(|&c| c < MAX_CLASSES)
                .ok_or_else(|| {
                    at(
                        i + 1,
                        column,
                        ParseErrorKind::LabelTooLarge(label.to_owned()),
                    )
                })?;
            classes = classes.max(index + 1);
            set.push(index);
        }
        set.sort_unstable();
        set.dedup();
        sets.push(set);
    }
    Ok(LabelSets {
        sets,
        classes,
        names: None,
    })
}

fn by_name(lines: &[Vec<(usize, &str)>]) -> Result<LabelSets, ParseError> {
    let mut index: BTreeMap<&str, usize> = BTreeMap::new();
    for &(_, label) in lines.iter().flatten() {
        index.insert(label, 0);
        if index.len() > MAX_CLASSES {
            return Err(ParseError {
                position: None,
                kind: ParseErrorKind::TooManyClasses(index.len()),
            });
        }
    }
    for (i, slot) in index.values_mut().enumerate() {
        *slot = i;
    }
    let sets = lines
        .iter()
        .map(|line| {
            let mut set: Vec<usize> = line.iter().map(|(_, l)| index[l]).collect();
            set.sort_unstable();
            set.dedup();
            set
        })
        .collect();
    Ok(LabelSets {
        sets,
        classes: index.len(),
        names: Some(index.keys().map(|s| (*s).to_owned()).collect()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indices_one_sample_a_line() {
        let sets = parse_label_sets("0 3\n3\n\n2 2 0\n").unwrap();
        assert_eq!(sets.sets, [vec![0, 3], vec![3], vec![], vec![0, 2]]);
        assert_eq!(sets.classes, 4);
        assert_eq!(sets.names, None);
        let counts = sets.counts();
        assert_eq!(counts.positives, [2, 0, 1, 2]);
        assert_eq!(counts.samples, 4);
        assert_eq!(counts.cardinality, 5.0 / 4.0);
        assert_eq!(sets.multi_hot()[0], [true, false, false, true]);
    }

    #[test]
    fn names_with_commas_may_hold_spaces() {
        let sets = parse_label_sets("cat,dog\n traffic light , cat\n\ndog,dog").unwrap();
        assert_eq!(
            sets.names.as_deref().unwrap(),
            ["cat", "dog", "traffic light"]
        );
        assert_eq!(sets.sets, [vec![0, 1], vec![0, 2], vec![], vec![1]]);
        let counts = sets.counts();
        assert_eq!(counts.positives, [2, 2, 1]);
        assert_eq!(counts.samples, 4);
    }

    #[test]
    fn names_with_white_space() {
        let sets = parse_label_sets("\u{feff}cat\tdog").unwrap();
        assert_eq!(sets.names.unwrap(), ["cat", "dog"]);
    }

    #[test]
    fn errors_are_located() {
        let e = parse_label_sets("a,b\nc,,d").unwrap_err();
        assert_eq!(e.kind, ParseErrorKind::EmptyLabel);
        assert_eq!(e.position, Some(Position { line: 2, column: 3 }));
        assert_eq!(
            e.to_string(),
            "line 2, column 3: an empty label (two separators with nothing between them)"
        );
        let e = parse_label_sets("1 2\n3  99999999999").unwrap_err();
        assert_eq!(e.position, Some(Position { line: 2, column: 4 }));
        assert!(matches!(e.kind, ParseErrorKind::LabelTooLarge(_)));
        assert_eq!(
            parse_label_sets(" \n\n").unwrap_err().kind,
            ParseErrorKind::Empty
        );
    }

    #[test]
    fn columns_count_characters() {
        let e = parse_label_sets("é,\n").unwrap_err();
        assert_eq!(e.position, Some(Position { line: 1, column: 3 }));
    }

    #[test]
    fn the_counter_grows_with_the_indices() {
        let mut counter = LabelSetCounter::new(0);
        counter.add(&[4]);
        counter.add(&[]);
        let counts = counter.finish();
        assert_eq!(counts.positives, [0, 0, 0, 0, 1]);
        assert_eq!((counts.samples, counts.cardinality), (2, 0.5));
    }

    proptest::proptest! {
        #[test]
        fn never_panics(s in "\\PC*") {
            let _ = parse_label_sets(&s);
        }

        #[test]
        fn sets_round_trip(sets in proptest::collection::vec(proptest::collection::btree_set(0usize..50, 0..6), 1..40)) {
            let text: Vec<String> = sets
                .iter()
                .map(|s| s.iter().map(usize::to_string).collect::<Vec<_>>().join(" "))
                .collect();
            // Every line ends with a line break, as a file written line by line does.
            let parsed = parse_label_sets(&(text.join("\n") + "\n"));
            let any = sets.iter().any(|s| !s.is_empty());
            proptest::prop_assert_eq!(parsed.is_ok(), any);
            if let Ok(parsed) = parsed {
                let want: Vec<Vec<usize>> = sets.iter().map(|s| s.iter().copied().collect()).collect();
                proptest::prop_assert_eq!(parsed.sets, want);
            }
        }
    }
}
