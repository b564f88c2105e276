//! Fuzzes the table readers (a CSV's label column with a cell separator,
//! JSON Lines' label key) and Open Images' labels and names files: any bytes
//! are counted or refused with a message, never a panic; what they count is
//! consistent (no class in more rows or images than there are).
#![no_main]

use cblab::data::label_sets::LabelSetCounts;
use cblab::data::label_table::{CsvColumn, count_csv, count_jsonl};
use cblab::data::open_images::{count_open_images, read_label_names};
use libfuzzer_sys::fuzz_target;

fn consistent(c: &LabelSetCounts) {
    assert!(c.samples > 0);
    assert!(c.positives.iter().all(|&n| n <= c.samples));
    assert!(c.cardinality.is_finite() && c.cardinality >= 0.0);
}

fuzz_target!(|data: &[u8]| {
    let how = CsvColumn {
        column: "label".to_owned(),
        delimiter: b',',
        separator: Some('|'),
    };
    match count_csv(data, &how) {
        Ok(t) => {
            consistent(&t.counts);
            if let Some(names) = &t.names {
                assert_eq!(names.len(), t.counts.positives.len());
            }
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
    match count_jsonl(data, "label") {
        Ok(t) => consistent(&t.counts),
        Err(e) => assert!(!e.to_string().is_empty()),
    }
    let names = read_label_names(data).ok();
    for names in [None, names.as_ref()] {
        match count_open_images(data, names) {
            Ok(o) => {
                consistent(&o.images);
                assert_eq!(o.names.len(), o.images.positives.len());
                assert_eq!(o.labels.len(), o.names.len());
            }
            Err(e) => assert!(!e.to_string().is_empty()),
        }
    }
});
