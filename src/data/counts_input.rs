//! Turning what a person pastes or uploads into class counts: a list of
//! numbers, a `class,count` CSV, or a file of labels (one per line) to count.
//! Every error says what is wrong and where (line and column, from 1).

use std::collections::BTreeMap;
use std::fmt;

use crate::data::decimal::parse_f64;
use crate::data::profiles::MAX_CLASSES;
use crate::i18n::Message;

/// The largest total number of samples: 2^53, the last integer exactly
/// representable in f64 and so in JavaScript and JSON readers.
pub const MAX_TOTAL: u64 = 1 << 53;

/// How to read the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum InputFormat {
    /// A `class,count` CSV if the first line is that header, otherwise a list of numbers.
    #[default]
    Auto,
    /// Numbers separated by commas, spaces or new lines.
    List,
    /// A CSV whose header is `class,count`.
    Csv,
    /// One label per line; each distinct label is a class and its lines are counted.
    Labels,
}

/// Class counts read from user input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParsedCounts {
    /// Samples per class.
    pub counts: Vec<u64>,
    /// Class names, when the input had them (CSV or labels).
    pub names: Option<Vec<String>>,
}

/// Where in the input something went wrong (1-based).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    /// Line number.
    pub line: usize,
    /// Column number, in characters.
    pub column: usize,
}

/// What is wrong with the input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParseErrorKind {
    /// There is nothing in the input.
    Empty,
    /// This text is not a number.
    NotANumber(String),
    /// Counts cannot be negative.
    Negative(String),
    /// Counts are whole numbers.
    Fractional(String),
    /// The number is larger than any count can be.
    TooLarge(String),
    /// More classes than [`MAX_CLASSES`].
    TooManyClasses(usize),
    /// The counts add up to more than [`MAX_TOTAL`].
    TotalTooLarge,
    /// A CSV row lacks the count field, or has more than two fields.
    BadRow(String),
    /// The same class appears twice in a CSV.
    DuplicateClass(String),
    /// An integer label is so large that it would make too many classes.
    LabelTooLarge(String),
    /// Two label separators with nothing between them (label sets).
    EmptyLabel,
}

/// A parse error and where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// Where; `None` when the error concerns the whole input.
    pub position: Option<Position>,
    /// What.
    pub kind: ParseErrorKind,
}

impl ParseError {
    /// What went wrong, for people in any language.
    pub fn message(&self) -> Message {
        let what = match &self.kind {
            ParseErrorKind::Empty => Message::new("error.counts.empty"),
            ParseErrorKind::NotANumber(t) => {
                Message::new("error.counts.not_a_number").with("text", t)
            }
            ParseErrorKind::Negative(t) => Message::new("error.counts.negative").with("text", t),
            ParseErrorKind::Fractional(t) => {
                Message::new("error.counts.fractional").with("text", t)
            }
            ParseErrorKind::TooLarge(t) => Message::new("error.counts.too_large").with("text", t),
            ParseErrorKind::TooManyClasses(n) => Message::new("error.counts.too_many_classes")
                .with("n", n)
                .with("max", MAX_CLASSES),
            ParseErrorKind::TotalTooLarge => {
                Message::new("error.counts.total_too_large").with("max", MAX_TOTAL)
            }
            ParseErrorKind::BadRow(t) => Message::new("error.counts.bad_row").with("text", t),
            ParseErrorKind::DuplicateClass(c) => {
                Message::new("error.counts.duplicate_class").with("class", c)
            }
            ParseErrorKind::EmptyLabel => Message::new("error.counts.empty_label"),
            ParseErrorKind::LabelTooLarge(t) => Message::new("error.counts.label_too_large")
                .with("text", t)
                .with("max", MAX_CLASSES),
        };
        match self.position {
            Some(p) => Message::new("error.counts.at")
                .with("line", p.line)
                .with("column", p.column)
                .with_message("error", what),
            None => what,
        }
    }
}

/// In English, from the translation files.
impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.message().fmt(f)
    }
}

impl std::error::Error for ParseError {}

fn error_at(line: usize, column: usize, kind: ParseErrorKind) -> ParseError {
    ParseError {
        position: Some(Position { line, column }),
        kind,
    }
}

fn error(kind: ParseErrorKind) -> ParseError {
    ParseError {
        position: None,
        kind,
    }
}

/// Parses class counts from text in the given format.
pub fn parse_counts(input: &str, format: InputFormat) -> Result<ParsedCounts, ParseError> {
    let input = without_bom(input);
    let format = match format {
        InputFormat::Auto if has_csv_header(input) => InputFormat::Csv,
        InputFormat::Auto => InputFormat::List,
        other => other,
    };
    checked(match format {
        InputFormat::List | InputFormat::Auto => parse_list(input)?,
        InputFormat::Csv => parse_csv(input)?,
        InputFormat::Labels => parse_labels(input)?,
    })
}

/// `parse_counts(input, InputFormat::List)`, without the CSV and label
/// readers: what a URL carries. The page loads those readers when a reader
/// first pastes or uploads counts (src/site/editor.rs).
pub fn parse_count_list(input: &str) -> Result<ParsedCounts, ParseError> {
    checked(parse_list(without_bom(input))?)
}

fn without_bom(input: &str) -> &str {
    input.strip_prefix('\u{feff}').unwrap_or(input)
}

/// The limits every format keeps: some classes, not too many, a total that fits.
fn checked(parsed: ParsedCounts) -> Result<ParsedCounts, ParseError> {
    if parsed.counts.is_empty() {
        return Err(error(ParseErrorKind::Empty));
    }
    if parsed.counts.len() > MAX_CLASSES {
        return Err(error(ParseErrorKind::TooManyClasses(parsed.counts.len())));
    }
    let total = parsed
        .counts
        .iter()
        .try_fold(0u64, |acc, &n| acc.checked_add(n))
        .filter(|&t| t <= MAX_TOTAL);
    if total.is_none() {
        return Err(error(ParseErrorKind::TotalTooLarge));
    }
    Ok(parsed)
}

fn has_csv_header(input: &str) -> bool {
    let first = input.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let fields: Vec<String> = first
        .split(',')
        .map(|f| f.trim().to_ascii_lowercase())
        .collect();
    fields == ["class", "count"]
}

/// One count: a whole number, written plainly or in float notation ("5e3", "10.0").
fn parse_count(token: &str, line: usize, column: usize) -> Result<u64, ParseError> {
    let at = |kind| error_at(line, column, kind);
    let t = token.strip_prefix('+').unwrap_or(token);
    if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
        return t
            .parse::<u64>()
            .map_err(|_| at(ParseErrorKind::TooLarge(token.to_owned())));
    }
    // Only plain decimal notation: Rust also reads "inf" and "NaN", which are not counts.
    let numeric = !t.is_empty()
        && t.bytes()
            .all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b))
        && t.bytes().any(|b| b.is_ascii_digit());
    let value = match parse_f64(t) {
        Some(v) if numeric => v,
        _ => return Err(at(ParseErrorKind::NotANumber(token.to_owned()))),
    };
    if value < 0.0 {
        Err(at(ParseErrorKind::Negative(token.to_owned())))
    } else if value.fract() != 0.0 {
        Err(at(ParseErrorKind::Fractional(token.to_owned())))
    } else if value >= MAX_TOTAL as f64 {
        Err(at(ParseErrorKind::TooLarge(token.to_owned())))
    } else {
        Ok(value as u64)
    }
}

fn parse_list(input: &str) -> Result<ParsedCounts, ParseError> {
    let mut counts = Vec::new();
    for (i, line) in input.lines().enumerate() {
        for (column, token) in tokens(line) {
            if counts.len() == MAX_CLASSES {
                return Err(error(ParseErrorKind::TooManyClasses(MAX_CLASSES + 1)));
            }
            counts.push(parse_count(token, i + 1, column)?);
        }
    }
    Ok(ParsedCounts {
        counts,
        names: None,
    })
}

/// The tokens of a line separated by commas, semicolons or white space, with their columns.
fn tokens(line: &str) -> impl Iterator<Item = (usize, &str)> {
    let is_sep = |c: char| c == ',' || c == ';' || c.is_whitespace();
    let mut chars = line.char_indices().enumerate().peekable();
    std::iter::from_fn(move || {
        while chars.next_if(|&(_, (_, c))| is_sep(c)).is_some() {}
        let (column, (start, _)) = chars.next()?;
        let mut end = line.len();
        while let Some(&(_, (b, c))) = chars.peek() {
            if is_sep(c) {
                end = b;
                break;
            }
            chars.next();
        }
        Some((column + 1, &line[start..end]))
    })
}

fn parse_csv(input: &str) -> Result<ParsedCounts, ParseError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(input.as_bytes());
    let mut counts = Vec::new();
    let mut names = Vec::new();
    let mut seen = BTreeMap::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line() as usize);
            error_at(line, 1, ParseErrorKind::BadRow(e.to_string()))
        })?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        if record.iter().all(str::is_empty) {
            continue;
        }
        if record.len() != 2 {
            let row: Vec<&str> = record.iter().collect();
            return Err(error_at(line, 1, ParseErrorKind::BadRow(row.join(","))));
        }
        let (name, count) = (&record[0], &record[1]);
        if seen.insert(name.to_owned(), line).is_some() {
            return Err(error_at(
                line,
                1,
                ParseErrorKind::DuplicateClass(name.to_owned()),
            ));
        }
        if counts.len() == MAX_CLASSES {
            return Err(error(ParseErrorKind::TooManyClasses(MAX_CLASSES + 1)));
        }
        let column = raw_line(input, line).find(',').map_or(1, |c| c + 2);
        counts.push(parse_count(count, line, column)?);
        names.push(name.to_owned());
    }
    Ok(ParsedCounts {
        counts,
        names: Some(names),
    })
}

fn raw_line(input: &str, line: usize) -> &str {
    input.lines().nth(line.saturating_sub(1)).unwrap_or("")
}

/// Counts labels. Integer labels are class indices (classes without a label
/// count 0); any other label is a class name, classes sorted by name.
fn parse_labels(input: &str) -> Result<ParsedCounts, ParseError> {
    let labels: Vec<(usize, &str)> = input
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty())
        .collect();
    let all_integers = labels
        .iter()
        .all(|(_, l)| l.bytes().all(|b| b.is_ascii_digit()));
    if all_integers {
        let mut counts: Vec<u64> = Vec::new();
        for &(line, label) in &labels {
            let index = label
                .parse::<usize>()
                .ok()
                .filter(|&i| i < MAX_CLASSES)
                .ok_or_else(|| {
                    error_at(line, 1, ParseErrorKind::LabelTooLarge(label.to_owned()))
                })?;
            if counts.len() <= index {
                counts.resize(index + 1, 0);
            }
            counts[index] += 1;
        }
        return Ok(ParsedCounts {
            counts,
            names: None,
        });
    }
    let mut by_name: BTreeMap<&str, u64> = BTreeMap::new();
    for &(_, label) in &labels {
        *by_name.entry(label).or_default() += 1;
        if by_name.len() > MAX_CLASSES {
            return Err(error(ParseErrorKind::TooManyClasses(by_name.len())));
        }
    }
    Ok(ParsedCounts {
        counts: by_name.values().copied().collect(),
        names: Some(by_name.keys().map(|s| (*s).to_owned()).collect()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(s: &str) -> Result<Vec<u64>, ParseError> {
        parse_counts(s, InputFormat::Auto).map(|p| p.counts)
    }

    fn kind_at(s: &str) -> (ParseErrorKind, Option<(usize, usize)>) {
        let e = parse_counts(s, InputFormat::Auto).unwrap_err();
        (e.kind, e.position.map(|p| (p.line, p.column)))
    }

    #[test]
    fn lists_with_any_separator() {
        assert_eq!(list("5000, 2997,1796").unwrap(), [5000, 2997, 1796]);
        assert_eq!(list("1 2\n3\r\n\t4;5,").unwrap(), [1, 2, 3, 4, 5]);
        assert_eq!(list("5e3 10.0 +7 0").unwrap(), [5000, 10, 7, 0]);
        assert_eq!(list("\u{feff}1,2").unwrap(), [1, 2]);
        assert_eq!(list("1000000000").unwrap(), [1_000_000_000]);
    }

    #[test]
    fn errors_say_what_and_where() {
        assert_eq!(
            kind_at("1, 2, abc"),
            (ParseErrorKind::NotANumber("abc".into()), Some((1, 7)))
        );
        assert_eq!(
            kind_at("1\n  -3"),
            (ParseErrorKind::Negative("-3".into()), Some((2, 3)))
        );
        assert_eq!(
            kind_at("2.5"),
            (ParseErrorKind::Fractional("2.5".into()), Some((1, 1)))
        );
        assert_eq!(
            kind_at("inf"),
            (ParseErrorKind::NotANumber("inf".into()), Some((1, 1)))
        );
        assert_eq!(
            kind_at("NaN"),
            (ParseErrorKind::NotANumber("NaN".into()), Some((1, 1)))
        );
        assert_eq!(
            kind_at("99999999999999999999999").0,
            ParseErrorKind::TooLarge("99999999999999999999999".into())
        );
        assert_eq!(kind_at(" \n , "), (ParseErrorKind::Empty, None));
        assert_eq!(
            kind_at("9007199254740992 1"),
            (ParseErrorKind::TotalTooLarge, None)
        );
        let msg = parse_counts("1,x", InputFormat::List)
            .unwrap_err()
            .to_string();
        assert_eq!(msg, "line 1, column 3: \"x\" is not a number");
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        assert_eq!(kind_at("1 é").1, Some((1, 3)));
    }

    #[test]
    fn too_many_classes() {
        let many = vec!["1"; MAX_CLASSES + 1].join(",");
        assert_eq!(
            kind_at(&many).0,
            ParseErrorKind::TooManyClasses(MAX_CLASSES + 1)
        );
        let exactly = vec!["1"; MAX_CLASSES].join("\n");
        assert_eq!(list(&exactly).unwrap().len(), MAX_CLASSES);
    }

    #[test]
    fn csv_with_header() {
        let p = parse_counts("class,count\ncat, 10\ndog,3\n", InputFormat::Auto).unwrap();
        assert_eq!(p.counts, [10, 3]);
        assert_eq!(p.names.unwrap(), ["cat", "dog"]);
        let e = parse_counts("Class,Count\ncat,10\ncat,2", InputFormat::Auto).unwrap_err();
        assert_eq!(e.kind, ParseErrorKind::DuplicateClass("cat".into()));
        assert_eq!(e.position.unwrap().line, 3);
        let e = parse_counts("class,count\ncat,ten", InputFormat::Auto).unwrap_err();
        assert_eq!(e.to_string(), "line 2, column 5: \"ten\" is not a number");
        let e = parse_counts("class,count\ncat", InputFormat::Csv).unwrap_err();
        assert_eq!(e.kind, ParseErrorKind::BadRow("cat".into()));
    }

    #[test]
    fn labels_are_counted() {
        let p = parse_counts("dog\ncat\ndog\n\n", InputFormat::Labels).unwrap();
        assert_eq!(p.counts, [1, 2]);
        assert_eq!(p.names.unwrap(), ["cat", "dog"]);
        let p = parse_counts("0\n2\n2\n", InputFormat::Labels).unwrap();
        assert_eq!(p.counts, [1, 0, 2]);
        assert_eq!(p.names, None);
        let e = parse_counts("1\n100000000000", InputFormat::Labels).unwrap_err();
        assert_eq!(e.position.unwrap().line, 2);
    }

    proptest::proptest! {
        #[test]
        fn never_panics(s in "\\PC*") {
            for f in [InputFormat::Auto, InputFormat::List, InputFormat::Csv, InputFormat::Labels] {
                let _ = parse_counts(&s, f);
            }
        }

        #[test]
        fn the_list_reader_is_parse_counts_on_lists(s in "[0-9 ,;\n\t+e.\u{feff}a-]{0,60}") {
            proptest::prop_assert_eq!(parse_count_list(&s), parse_counts(&s, InputFormat::List));
        }

        #[test]
        fn lists_round_trip(counts in proptest::collection::vec(0u64..=1_000_000_000_000, 1..300), sep in "[ ,\n;\t]{1,3}") {
            let text: Vec<String> = counts.iter().map(u64::to_string).collect();
            let joined = text.join(&sep);
            proptest::prop_assert_eq!(list(&joined).unwrap(), counts);
        }
    }
}
