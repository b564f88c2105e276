//! Fuzzes the image-folder counter with any list of relative paths (a
//! picked or dropped folder's, as the page gets them): every file is an
//! image of one class, another file or a root file, and the classes are
//! sorted and distinct.
#![no_main]

use cblab::data::image_folder::count_image_folder;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut lines = text.split('\n');
    let classes: Vec<&str> = lines.next().unwrap_or("").split('\t').collect();
    let files: Vec<&str> = lines.collect();
    let c = count_image_folder(classes.iter().copied(), files.iter().copied());
    assert_eq!(c.names.len(), c.counts.len());
    assert!(c.names.windows(2).all(|w| w[0] < w[1]));
    let images: u64 = c.counts.iter().sum();
    assert_eq!(images + c.other_files + c.root_files, files.len() as u64);
});
