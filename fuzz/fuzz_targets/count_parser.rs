//! Fuzzes the count parser: it never panics, what it accepts is within the
//! limits, and a list it accepts reads back the same once written out.
#![no_main]

use cblab::data::counts_input::{InputFormat, MAX_TOTAL, parse_counts};
use cblab::data::profiles::MAX_CLASSES;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for format in [InputFormat::Auto, InputFormat::List, InputFormat::Csv, InputFormat::Labels] {
        match parse_counts(text, format) {
            Ok(parsed) => {
                assert!(!parsed.counts.is_empty() && parsed.counts.len() <= MAX_CLASSES);
                assert!(parsed.counts.iter().sum::<u64>() <= MAX_TOTAL);
                if let Some(names) = &parsed.names {
                    assert_eq!(names.len(), parsed.counts.len());
                }
                let written: Vec<String> = parsed.counts.iter().map(u64::to_string).collect();
                let again = parse_counts(&written.join(","), InputFormat::List).expect("round trip");
                assert_eq!(again.counts, parsed.counts);
            }
            Err(e) => {
                let _ = e.to_string();
            }
        }
    }
});
