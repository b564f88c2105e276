//! Fashion-MNIST-LT, the lab's real long-tailed images: the committed asset's
//! format, its reader (every way a file can be wrong is an error, never a
//! panic) and the rule that derives it from Zalando's IDX files.
//!
//! The long tail: class c (label order, 0 T-shirt/top ... 9 ankle boot)
//! keeps its first n_c = floor(1000 rho^(-c/9)) training images in file
//! order. The asset holds rho = 10 (4,084 images); any rho from 10 to 200
//! takes the first n_c(rho) of each class's, so one asset serves all. The
//! test set is the first 200 test images of each class. Images are 2x2
//! mean-pooled to 14x14 and stored in 4 bits a pixel (two to a byte, the
//! first in the high half; 8 bits also read), scaled to [0, 1] when read.
//! 4 bits cost no accuracy (`cargo run --release --example fashion_bits`)
//! and halve the download.
//!
//! Layout (little-endian): magic `CBFMNIST`, version (u32), width and height
//! (u16 each), bits per pixel (u8), classes (u8), each class's training
//! images (u32 each), test images per class (u32), the training images class
//! by class, then the test images class by class, then the SHA-256 of
//! everything before it.

use sha2::{Digest, Sha256};

use crate::data::dataset::Dataset;
use crate::data::profiles::{FASHION_MNIST_CLASSES, FASHION_MNIST_LT_MAX, Profile};
use crate::i18n::Message;

/// The first bytes of the asset.
pub const MAGIC: &[u8; 8] = b"CBFMNIST";
/// The format's version.
pub const VERSION: u32 = 1;
/// Pixels per side after pooling.
pub const SIDE: usize = 14;
/// Pixels of one image.
pub const PIXELS: usize = SIDE * SIDE;
/// The imbalance the asset holds; larger ones take subsets.
pub const ASSET_IMBALANCE: f64 = 10.0;
/// The imbalances a subset may have.
pub const IMBALANCES: std::ops::RangeInclusive<f64> = 10.0..=200.0;
/// Test images of each class.
pub const TEST_PER_CLASS: usize = 200;
/// Bits per pixel of the committed asset.
pub const ASSET_BITS: u8 = 4;
/// The classes.
pub const CLASSES: usize = FASHION_MNIST_CLASSES.len();

const HEADER: usize = 8 + 4 + 2 + 2 + 1 + 1 + 4 * CLASSES + 4;
const CHECKSUM: usize = 32;

/// Why bytes are not a Fashion-MNIST-LT asset (or not this version's).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AssetError {
    /// Shorter than its header, or than its header says.
    Truncated {
        /// Bytes needed.
        need: usize,
        /// Bytes there.
        got: usize,
    },
    /// Longer than its header says.
    TrailingBytes(usize),
    /// Not this format.
    Magic,
    /// Another version of the format.
    Version(u32),
    /// Sizes other than this version's: what, and the value.
    Sizes(&'static str, u64),
    /// The bytes are not the ones the checksum was made of.
    Checksum,
}

/// In English, from the translation files.
impl std::fmt::Display for AssetError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.message().fmt(f)
    }
}

impl std::error::Error for AssetError {}

impl AssetError {
    /// The reason, for people in any language (the page); the CLI prints
    /// the English [`std::fmt::Display`].
    pub fn message(&self) -> Message {
        match *self {
            Self::Truncated { need, got } => Message::new("error.fashion.truncated")
                .with("need", need)
                .with("got", got),
            Self::TrailingBytes(n) => Message::new("error.fashion.trailing").with("n", n),
            Self::Magic => Message::new("error.fashion.magic"),
            Self::Version(v) => Message::new("error.fashion.version")
                .with("v", v)
                .with("expected", VERSION),
            Self::Sizes(what, v) => Message::new("error.fashion.sizes")
                .with("what", what)
                .with("v", v),
            Self::Checksum => Message::new("error.fashion.checksum"),
        }
    }
}

/// Images and their labels.
#[derive(Clone, Debug, PartialEq)]
pub struct Images {
    /// [`PIXELS`] pixels per image in [0, 1], row by row, image after image.
    pub pixels: Vec<f32>,
    /// Each image's class.
    pub labels: Vec<usize>,
}

impl Images {
    /// How many images.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// Image `i`'s pixels.
    pub fn image(&self, i: usize) -> &[f32] {
        &self.pixels[i * PIXELS..(i + 1) * PIXELS]
    }

    /// The images as samples of [`PIXELS`] features, for training.
    pub fn into_dataset(self) -> Dataset {
        Dataset {
            features: self.pixels,
            dim: PIXELS,
            labels: self.labels,
            classes: CLASSES,
        }
    }
}

/// The asset, read and checked.
#[derive(Clone, Debug, PartialEq)]
pub struct FashionAsset {
    /// Each class's training images at [`ASSET_IMBALANCE`].
    pub train_counts: [usize; CLASSES],
    /// Bits per pixel: 8 or 4.
    pub bits: u8,
    train: Vec<u8>,
    test: Vec<u8>,
}

/// Bytes of one image at `bits` bits a pixel.
fn image_bytes(bits: u8) -> usize {
    PIXELS * usize::from(bits) / 8
}

/// Stored pixels to [0, 1].
fn decode(bytes: &[u8], bits: u8, out: &mut Vec<f32>) {
    match bits {
        4 => out.extend(
            bytes
                .iter()
                .flat_map(|&b| [b >> 4, b & 15])
                .map(|q| f32::from(q) / 15.0),
        ),
        _ => out.extend(bytes.iter().map(|&p| f32::from(p) / 255.0)),
    }
}

/// 8-bit pixels stored in `bits` bits: the nearest of 2^bits levels.
fn encode(pixels: &[u8], bits: u8) -> Vec<u8> {
    match bits {
        4 => pixels
            .chunks(2)
            .map(|pair| {
                let q = |p: u8| ((u32::from(p) * 15 + 127) / 255) as u8;
                (q(pair[0]) << 4) | q(pair[1])
            })
            .collect(),
        _ => pixels.to_vec(),
    }
}

/// The training counts at imbalance `rho`: floor(1000 rho^(-c/9)).
pub fn counts_at(rho: f64) -> Vec<u64> {
    Profile::Exponential {
        classes: CLASSES,
        max: FASHION_MNIST_LT_MAX,
        imbalance: rho,
    }
    .counts()
    .expect("the Fashion-MNIST-LT profile is valid")
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(b[at..at + 4].try_into().expect("4 bytes"))
}

fn u16_at(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes(b[at..at + 2].try_into().expect("2 bytes"))
}

impl FashionAsset {
    /// Reads an asset, checking its magic, version, sizes and checksum.
    pub fn parse(bytes: &[u8]) -> Result<Self, AssetError> {
        let short = |need: usize| AssetError::Truncated {
            need,
            got: bytes.len(),
        };
        if bytes.len() < 8 || &bytes[..8] != MAGIC {
            return Err(if bytes.len() < 8 && MAGIC.starts_with(bytes) {
                short(HEADER + CHECKSUM)
            } else {
                AssetError::Magic
            });
        }
        if bytes.len() < HEADER {
            return Err(short(HEADER + CHECKSUM));
        }
        let version = u32_at(bytes, 8);
        if version != VERSION {
            return Err(AssetError::Version(version));
        }
        for (what, value, want) in [
            ("width", u64::from(u16_at(bytes, 12)), SIDE as u64),
            ("height", u64::from(u16_at(bytes, 14)), SIDE as u64),
            ("classes", u64::from(bytes[17]), CLASSES as u64),
            (
                "test images per class",
                u64::from(u32_at(bytes, 18 + 4 * CLASSES)),
                TEST_PER_CLASS as u64,
            ),
        ] {
            if value != want {
                return Err(AssetError::Sizes(what, value));
            }
        }
        let bits = bytes[16];
        if bits != 8 && bits != 4 {
            return Err(AssetError::Sizes("bits per pixel", bits.into()));
        }
        let expected = counts_at(ASSET_IMBALANCE);
        let mut train_counts = [0; CLASSES];
        for (c, n) in train_counts.iter_mut().enumerate() {
            let got = u32_at(bytes, 18 + 4 * c);
            if u64::from(got) != expected[c] {
                return Err(AssetError::Sizes("training images in a class", got.into()));
            }
            *n = got as usize;
        }
        let train_len = train_counts.iter().sum::<usize>() * image_bytes(bits);
        let test_len = CLASSES * TEST_PER_CLASS * image_bytes(bits);
        let total = HEADER + train_len + test_len + CHECKSUM;
        if bytes.len() < total {
            return Err(short(total));
        }
        if bytes.len() > total {
            return Err(AssetError::TrailingBytes(bytes.len() - total));
        }
        let (body, sum) = bytes.split_at(total - CHECKSUM);
        if Sha256::digest(body).as_slice() != sum {
            return Err(AssetError::Checksum);
        }
        let train = body[HEADER..HEADER + train_len].to_vec();
        let test = body[HEADER + train_len..].to_vec();
        Ok(Self {
            train_counts,
            bits,
            train,
            test,
        })
    }

    /// The training images at imbalance `rho` (10 to 200): the first n_c(rho)
    /// of each class's, head first.
    pub fn train(&self, rho: f64) -> Option<Images> {
        if !IMBALANCES.contains(&rho) {
            return None;
        }
        let counts = counts_at(rho);
        let mut out = Images {
            pixels: Vec::new(),
            labels: Vec::new(),
        };
        let size = image_bytes(self.bits);
        let mut start = 0;
        for (c, &n) in counts.iter().enumerate() {
            let n = n as usize;
            let bytes = &self.train[start * size..(start + n) * size];
            decode(bytes, self.bits, &mut out.pixels);
            out.labels.extend(std::iter::repeat_n(c, n));
            start += self.train_counts[c];
        }
        Some(out)
    }

    /// The test images: [`TEST_PER_CLASS`] of each class.
    pub fn test(&self) -> Images {
        let mut pixels = Vec::with_capacity(CLASSES * TEST_PER_CLASS * PIXELS);
        decode(&self.test, self.bits, &mut pixels);
        Images {
            pixels,
            labels: (0..CLASSES)
                .flat_map(|c| std::iter::repeat_n(c, TEST_PER_CLASS))
                .collect(),
        }
    }
}

/// Why IDX files cannot make the asset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdxError(pub String);

impl std::fmt::Display for IdxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for IdxError {}

/// An IDX file's items: (dimensions after the first, the bytes).
fn idx(bytes: &[u8], dims: usize, what: &str) -> Result<(Vec<usize>, Vec<u8>), IdxError> {
    let bad = |why: &str| IdxError(format!("{what}: {why}"));
    if bytes.len() < 4 || bytes[0] != 0 || bytes[1] != 0 || bytes[2] != 0x08 {
        return Err(bad("not an IDX file of unsigned bytes"));
    }
    if usize::from(bytes[3]) != dims {
        return Err(bad(&format!("{} dimensions, not {dims}", bytes[3])));
    }
    let header = 4 + 4 * dims;
    if bytes.len() < header {
        return Err(bad("cut short in its header"));
    }
    let sizes: Vec<usize> = (0..dims)
        .map(|d| {
            u32::from_be_bytes(bytes[4 + 4 * d..8 + 4 * d].try_into().expect("4 bytes")) as usize
        })
        .collect();
    let len = sizes
        .iter()
        .try_fold(1usize, |n, &d| n.checked_mul(d))
        .ok_or_else(|| bad("sizes too large"))?;
    if bytes.len() != header + len {
        return Err(bad(&format!(
            "{} bytes of items, its header says {len}",
            bytes.len() - header
        )));
    }
    Ok((sizes, bytes[header..].to_vec()))
}

/// 28x28 -> 14x14, each pixel the rounded mean of its 2x2 block.
fn pool(image: &[u8]) -> impl Iterator<Item = u8> + '_ {
    (0..SIDE).flat_map(move |r| {
        (0..SIDE).map(move |c| {
            let at = |dr: usize, dc: usize| u32::from(image[(2 * r + dr) * 28 + 2 * c + dc]);
            ((at(0, 0) + at(0, 1) + at(1, 0) + at(1, 1) + 2) / 4) as u8
        })
    })
}

/// The first `take[c]` images of each class c, in file order, pooled.
fn select(images: &[u8], labels: &[u8], take: &[usize], what: &str) -> Result<Vec<u8>, IdxError> {
    let mut by_class: Vec<Vec<u8>> = vec![Vec::new(); CLASSES];
    let mut kept = [0; CLASSES];
    for (i, &label) in labels.iter().enumerate() {
        let c = usize::from(label);
        if c >= CLASSES {
            return Err(IdxError(format!("{what}: label {label} at {i}")));
        }
        if kept[c] < take[c] {
            by_class[c].extend(pool(&images[i * 784..(i + 1) * 784]));
            kept[c] += 1;
        }
    }
    if let Some(c) = (0..CLASSES).find(|&c| kept[c] < take[c]) {
        return Err(IdxError(format!(
            "{what}: class {c} has {} images, {} needed",
            kept[c], take[c]
        )));
    }
    Ok(by_class.concat())
}

/// The asset, at `bits` (8 or 4) bits a pixel, from Zalando's four IDX files
/// (unzipped): byte for byte the same for the same files.
pub fn build_asset(
    train_images: &[u8],
    train_labels: &[u8],
    test_images: &[u8],
    test_labels: &[u8],
    bits: u8,
) -> Result<Vec<u8>, IdxError> {
    if bits != 8 && bits != 4 {
        return Err(IdxError(format!("{bits} bits a pixel: 8 or 4")));
    }
    let images = |bytes, what| -> Result<Vec<u8>, IdxError> {
        let (sizes, items) = idx(bytes, 3, what)?;
        if sizes[1..] != [28, 28] {
            return Err(IdxError(format!("{what}: images of {sizes:?}, not 28x28")));
        }
        Ok(items)
    };
    let labels = |bytes, what| -> Result<Vec<u8>, IdxError> { Ok(idx(bytes, 1, what)?.1) };
    let (train, train_y) = (
        images(train_images, "training images")?,
        labels(train_labels, "training labels")?,
    );
    let (test, test_y) = (
        images(test_images, "test images")?,
        labels(test_labels, "test labels")?,
    );
    for (x, y, what) in [(&train, &train_y, "training"), (&test, &test_y, "test")] {
        if x.len() != y.len() * 784 {
            return Err(IdxError(format!(
                "{what}: {} images but {} labels",
                x.len() / 784,
                y.len()
            )));
        }
    }
    let counts: Vec<usize> = counts_at(ASSET_IMBALANCE)
        .iter()
        .map(|&n| n as usize)
        .collect();
    let mut out = Vec::new();
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    out.extend_from_slice(&(SIDE as u16).to_le_bytes());
    out.extend_from_slice(&(SIDE as u16).to_le_bytes());
    out.push(bits);
    out.push(CLASSES as u8);
    for &n in &counts {
        out.extend_from_slice(&(n as u32).to_le_bytes());
    }
    out.extend_from_slice(&(TEST_PER_CLASS as u32).to_le_bytes());
    out.extend(encode(
        &select(&train, &train_y, &counts, "training")?,
        bits,
    ));
    out.extend(encode(
        &select(&test, &test_y, &[TEST_PER_CLASS; CLASSES], "test")?,
        bits,
    ));
    let sum = Sha256::digest(&out);
    out.extend_from_slice(&sum);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// IDX files of `n` images per class, each image's pixels its index mod 251
    /// (so each image can be told apart), labels cycling through the classes.
    fn idx_files(per_class: usize) -> (Vec<u8>, Vec<u8>) {
        let n = per_class * CLASSES;
        let mut images = vec![0, 0, 8, 3];
        for d in [n as u32, 28, 28] {
            images.extend_from_slice(&d.to_be_bytes());
        }
        for i in 0..n {
            images.extend(std::iter::repeat_n((i % 251) as u8, 784));
        }
        let mut labels = vec![0, 0, 8, 1];
        labels.extend_from_slice(&(n as u32).to_be_bytes());
        labels.extend((0..n).map(|i| (i % CLASSES) as u8));
        (images, labels)
    }

    fn asset_in(bits: u8) -> Vec<u8> {
        let (train, train_y) = idx_files(1000);
        let (test, test_y) = idx_files(TEST_PER_CLASS);
        build_asset(&train, &train_y, &test, &test_y, bits).unwrap()
    }

    fn asset() -> Vec<u8> {
        asset_in(8)
    }

    #[test]
    fn four_bits_keep_the_nearest_of_16_levels() {
        let a = FashionAsset::parse(&asset_in(4)).unwrap();
        let b = FashionAsset::parse(&asset_in(8)).unwrap();
        assert_eq!((a.bits, b.bits), (4, 8));
        let (x4, x8) = (a.train(100.0).unwrap(), b.train(100.0).unwrap());
        assert_eq!(x4.labels, x8.labels);
        for (p4, p8) in x4.pixels.iter().zip(&x8.pixels) {
            assert!((p4 - p8).abs() <= 0.5 / 15.0 + 1e-6, "{p4} {p8}");
            assert_eq!((p4 * 15.0).round() / 15.0, *p4);
        }
        assert_eq!(
            asset_in(4).len(),
            HEADER + (4084 + 2000) * PIXELS / 2 + CHECKSUM
        );
        assert_eq!(encode(&[255, 0, 8, 9], 4), [0xF0, 0x01]);
    }

    #[test]
    fn the_asset_keeps_the_first_images_of_each_class_and_reads_back() {
        let bytes = asset();
        let a = FashionAsset::parse(&bytes).unwrap();
        assert_eq!(a.train_counts.iter().sum::<usize>(), 4084);
        for rho in [10.0, 37.5, 100.0, 200.0] {
            let train = a.train(rho).unwrap();
            let want = counts_at(rho);
            assert_eq!(train.len() as u64, want.iter().sum::<u64>());
            // Class c's k-th image is file image c + 10 k: pixel value (c + 10 k) mod 251.
            let mut i = 0;
            for (c, &n) in want.iter().enumerate() {
                for k in 0..n as usize {
                    assert_eq!(train.labels[i], c);
                    let v = ((c + 10 * k) % 251) as f32 / 255.0;
                    assert!(
                        train.image(i).iter().all(|&p| p == v),
                        "rho {rho} class {c} image {k}"
                    );
                    i += 1;
                }
            }
        }
        assert_eq!(a.train(9.0), None);
        assert_eq!(a.train(201.0), None);
        let test = a.test();
        assert_eq!(test.len(), 2000);
        assert_eq!(test.labels[199], 0);
        assert_eq!(test.labels[200], 1);
        assert_eq!(bytes, asset(), "byte for byte reproducible");
    }

    #[test]
    fn pooling_takes_the_rounded_mean_of_each_block() {
        let mut image = [0u8; 784];
        image[0] = 255;
        image[1] = 254;
        image[28] = 1;
        image[29] = 0;
        let pooled: Vec<u8> = pool(&image).collect();
        assert_eq!(pooled.len(), PIXELS);
        assert_eq!(pooled[0], 128); // (255 + 254 + 1 + 0 + 2) / 4
        assert!(pooled[1..].iter().all(|&p| p == 0));
    }

    #[test]
    fn a_wrong_file_is_refused_with_its_reason() {
        let good = asset();
        let wrong = |at: usize, v: u8| {
            let mut b = good.clone();
            b[at] = v;
            FashionAsset::parse(&b).unwrap_err()
        };
        assert_eq!(wrong(0, b'X'), AssetError::Magic);
        assert_eq!(wrong(8, 2), AssetError::Version(2));
        assert_eq!(wrong(12, 28), AssetError::Sizes("width", 28));
        assert_eq!(wrong(16, 6), AssetError::Sizes("bits per pixel", 6));
        assert_eq!(wrong(17, 9), AssetError::Sizes("classes", 9));
        assert_eq!(wrong(HEADER + 5, 77), AssetError::Checksum);
        let last = good.len() - 1;
        assert_eq!(wrong(last, good[last] ^ 1), AssetError::Checksum);
        assert!(matches!(
            FashionAsset::parse(&good[..good.len() - 1]),
            Err(AssetError::Truncated { .. })
        ));
        assert!(matches!(
            FashionAsset::parse(&good[..3]),
            Err(AssetError::Truncated { .. })
        ));
        assert_eq!(
            FashionAsset::parse(b""),
            Err(AssetError::Truncated {
                need: HEADER + CHECKSUM,
                got: 0
            })
        );
        let mut longer = good.clone();
        longer.push(0);
        assert_eq!(
            FashionAsset::parse(&longer),
            Err(AssetError::TrailingBytes(1))
        );
        for e in [
            AssetError::Magic,
            AssetError::Version(2),
            AssetError::Checksum,
        ] {
            assert!(e.to_string().contains("Fashion-MNIST-LT"), "{e}");
        }
    }

    #[test]
    fn bad_idx_files_are_refused() {
        let (train, train_y) = idx_files(1000);
        let (test, test_y) = idx_files(TEST_PER_CLASS);
        let e = build_asset(&train_y, &train_y, &test, &test_y, 8).unwrap_err();
        assert!(e.0.contains("dimensions"), "{e}");
        let e = build_asset(&train[..train.len() - 1], &train_y, &test, &test_y, 8).unwrap_err();
        assert!(e.0.contains("header says"), "{e}");
        assert!(build_asset(&train, &train_y, &test, &test_y, 6).is_err());
        let (few, few_y) = idx_files(100);
        let e = build_asset(&few, &few_y, &test, &test_y, 8).unwrap_err();
        assert!(e.0.contains("class 0 has 100 images, 1000 needed"), "{e}");
    }
}
