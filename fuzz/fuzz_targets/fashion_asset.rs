//! Fuzzes the Fashion-MNIST-LT asset reader: it never panics, and what it
//! accepts gives images of the right sizes with pixels in [0, 1].
#![no_main]

use cblab::data::fashion::{FashionAsset, PIXELS};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match FashionAsset::parse(data) {
        Ok(asset) => {
            for rho in [10.0, 100.0, 200.0] {
                let train = asset.train(rho).expect("rho in range");
                assert_eq!(train.pixels.len(), train.len() * PIXELS);
                assert!(train.pixels.iter().all(|p| (0.0..=1.0).contains(p)));
            }
            assert_eq!(asset.test().len(), 2000);
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
});
