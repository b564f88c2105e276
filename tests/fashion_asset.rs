//! The committed Fashion-MNIST-LT asset: the bytes `cargo xtask data` makes
//! (pinned by their SHA-256), readable, of the sizes the lesson promises, and
//! small enough to fetch.

use std::io::Write;

use cblab::data::fashion::{CLASSES, FashionAsset, PIXELS, TEST_PER_CLASS, counts_at};
use sha2::{Digest, Sha256};

/// The SHA-256 of `assets/data/fashion-mnist-lt.bin` as `cargo xtask data`
/// derives it from Debian's dataset-fashion-mnist 0.0~git20200523.55506a9-1.
const PINNED: &str = "9d30ed702189a46685b140b5612463510c7b31835896e8381e1ae0c22d41b609";

fn asset() -> Vec<u8> {
    std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/data/fashion-mnist-lt.bin"
    ))
    .expect("the asset is committed")
}

#[test]
fn the_asset_is_the_pinned_one() {
    let hex: String = Sha256::digest(asset())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(
        hex, PINNED,
        "the asset changed: run `cargo xtask data` and pin the new hash"
    );
}

#[test]
fn the_asset_reads_as_the_lessons_data() {
    let a = FashionAsset::parse(&asset()).unwrap();
    for rho in [10.0, 20.0, 50.0, 100.0, 200.0] {
        let train = a.train(rho).unwrap();
        assert_eq!(train.len() as u64, counts_at(rho).iter().sum::<u64>());
        assert_eq!(train.pixels.len(), train.len() * PIXELS);
    }
    assert_eq!(a.train(10.0).unwrap().len(), 4084);
    assert_eq!(a.train(100.0).unwrap().len(), 2478);
    let test = a.test();
    assert_eq!(test.len(), CLASSES * TEST_PER_CLASS);
    // Real images: a dark background around a garment, no image blank or full.
    let train = a.train(10.0).unwrap();
    for c in 0..CLASSES {
        let first = train.labels.iter().position(|&l| l == c).unwrap();
        let image = train.image(first);
        let lit = image.iter().filter(|&&p| p > 0.05).count();
        assert!(
            (20..PIXELS - 5).contains(&lit),
            "class {c}: {lit} lit pixels"
        );
        assert_eq!(image[0], 0.0, "class {c}: the corner is background");
    }
    assert!(train.pixels.iter().all(|p| (0.0..=1.0).contains(p)));
    // As samples for the trainer: one row of PIXELS features an image.
    let image_7 = train.image(7).to_vec();
    let samples = train.into_dataset();
    assert_eq!((samples.dim, samples.classes), (PIXELS, CLASSES));
    assert_eq!(samples.sample(7), image_7);
    assert_eq!(samples.matrix().dim(), (4084, PIXELS));
    assert_eq!(samples.points(), None);
}

#[test]
fn the_asset_is_at_most_600_kb_gzipped() {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(&asset()).unwrap();
    let size = gz.finish().unwrap().len();
    println!(
        "fashion-mnist-lt.bin: {} bytes, {size} gzipped",
        asset().len()
    );
    assert!(size <= 600_000, "{size} bytes gzipped");
}
