//! Fuzzes the COCO/LVIS reader: any bytes are counted or refused with a
//! message, never a panic; what it counts is consistent (as many instance
//! and image counts as categories, no class in more images than declared).
#![no_main]

use cblab::data::coco::{MAX_CATEGORIES, count_coco};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match count_coco(data) {
        Ok(c) => {
            let n = c.categories.len();
            assert!(n <= MAX_CATEGORIES);
            assert_eq!(c.instances.len(), n);
            assert_eq!(c.crowd.len(), n);
            assert_eq!(c.images.positives.len(), n);
            for (k, &images) in c.images.positives.iter().enumerate() {
                assert!(images <= c.images.samples);
                assert!(images <= c.instances[k]);
                assert!(c.crowd[k] <= c.instances[k]);
            }
        }
        Err(e) => {
            assert!(!e.to_string().is_empty());
        }
    }
});
