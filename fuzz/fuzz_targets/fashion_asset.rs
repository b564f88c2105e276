//! Fuzzes the Fashion-MNIST-LT asset reader: it never panics, and what it
//! accepts gives images of the right sizes with pixels in [0, 1]. Each input
//! is read as it is and with a valid checksum written over its last 32
//! bytes, so the fuzzer gets past the checksum to the header and sizes.
#![no_main]

use cblab::data::fashion::{FashionAsset, PIXELS};
use libfuzzer_sys::fuzz_target;
use sha2::{Digest, Sha256};

fuzz_target!(|data: &[u8]| {
    check(data);
    if data.len() >= 32 {
        let (body, _) = data.split_at(data.len() - 32);
        let mut sealed = body.to_vec();
        sealed.extend_from_slice(&Sha256::digest(body));
        check(&sealed);
    }
});

fn check(data: &[u8]) {
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
}
