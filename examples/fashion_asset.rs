//! The Fashion-MNIST-LT asset from Zalando's gzipped IDX files (Debian's
//! `dataset-fashion-mnist`, in /usr/share/datasets/fashion-mnist).
//!
//! `make <folder> <asset>` writes the committed asset (`cargo xtask data` runs
//! it). `bits <folder>` measures what fewer bits a pixel cost: a softmax
//! regression (196 -> 10, full-batch gradient descent) trained on the pixels
//! at 8, 6 and 4 bits, its balanced test accuracy at imbalance 10 and 100;
//! it chose the asset's 4 bits (README, "Real long-tailed images").

use std::io::Read;
use std::path::Path;

use cblab::balance::losses::Loss;
use cblab::data::fashion::{
    ASSET_BITS, CLASSES, FashionAsset, Images, PIXELS, build_asset, counts_at,
};
use cblab::train::metrics::metrics;

fn gunzip(path: &Path) -> Result<Vec<u8>, String> {
    let file =
        std::fs::File::open(path).map_err(|e| format!("cannot open {}: {e}", path.display()))?;
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(file)
        .read_to_end(&mut out)
        .map_err(|e| format!("cannot unzip {}: {e}", path.display()))?;
    Ok(out)
}

/// The asset at `bits` bits a pixel from the IDX files in `from`.
fn asset(from: &Path, bits: u8) -> Result<Vec<u8>, String> {
    let read = |name: &str| gunzip(&from.join(name));
    build_asset(
        &read("train-images-idx3-ubyte.gz")?,
        &read("train-labels-idx1-ubyte.gz")?,
        &read("t10k-images-idx3-ubyte.gz")?,
        &read("t10k-labels-idx1-ubyte.gz")?,
        bits,
    )
    .map_err(|e| e.to_string())
}

/// 8-bit pixels as stored in `bits` bits (the nearest of 2^bits levels, as
/// the asset stores 4), read back to [0, 1].
fn quantised(images: &Images, bits: u32) -> Vec<f32> {
    let levels = (1u32 << bits) - 1;
    images
        .pixels
        .iter()
        .map(|&p| {
            let q8 = (p * 255.0).round() as u32;
            ((q8 * levels + 127) / 255) as f32 / levels as f32
        })
        .collect()
}

fn logits(w: &[f32], x: &[f32]) -> [f32; CLASSES] {
    let mut z = [0.0; CLASSES];
    z.copy_from_slice(&w[PIXELS * CLASSES..]);
    for (k, &v) in x.iter().enumerate() {
        for (c, zc) in z.iter_mut().enumerate() {
            *zc += v * w[k * CLASSES + c];
        }
    }
    z
}

fn balanced_accuracy(rho: f64, bits: u32, asset: &FashionAsset) -> f64 {
    let train = asset.train(rho).expect("rho in range");
    let test = asset.test();
    let (x, xt) = (quantised(&train, bits), quantised(&test, bits));
    let mut w = vec![0.0f32; PIXELS * CLASSES + CLASSES];
    let mut grad = vec![0.0f32; w.len()];
    let mut g = [0.0f32; CLASSES];
    let n = train.len() as f32;
    for _ in 0..300 {
        grad.fill(0.0);
        for i in 0..train.len() {
            let xi = &x[i * PIXELS..(i + 1) * PIXELS];
            Loss::Softmax.sample(&logits(&w, xi), train.labels[i], &mut g);
            for (k, &v) in xi.iter().enumerate() {
                for c in 0..CLASSES {
                    grad[k * CLASSES + c] += v * g[c] / n;
                }
            }
            for c in 0..CLASSES {
                grad[PIXELS * CLASSES + c] += g[c] / n;
            }
        }
        for (p, d) in w.iter_mut().zip(&grad) {
            *p -= 0.5 * d;
        }
    }
    let predicted: Vec<usize> = (0..test.len())
        .map(|i| {
            let z = logits(&w, &xt[i * PIXELS..(i + 1) * PIXELS]);
            (0..CLASSES)
                .max_by(|&a, &b| z[a].total_cmp(&z[b]))
                .expect("classes")
        })
        .collect();
    metrics(&predicted, &test.labels, &counts_at(rho)).balanced_accuracy
}

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [mode, from, to] if mode == "make" => {
            let bytes = asset(Path::new(from), ASSET_BITS)?;
            FashionAsset::parse(&bytes)
                .map_err(|e| format!("the new asset does not read back: {e}"))?;
            std::fs::write(to, &bytes).map_err(|e| format!("cannot write {to}: {e}"))?;
            println!("wrote {to}: {} bytes", bytes.len());
        }
        [mode, from] if mode == "bits" => {
            let bytes = asset(Path::new(from), 8)?;
            let asset = FashionAsset::parse(&bytes).map_err(|e| e.to_string())?;
            println!("| bits | imbalance 10 | imbalance 100 |\n|---|---|---|");
            for bits in [8, 6, 4] {
                let a = balanced_accuracy(10.0, bits, &asset);
                let b = balanced_accuracy(100.0, bits, &asset);
                println!("| {bits} | {:.2} % | {:.2} % |", 100.0 * a, 100.0 * b);
            }
        }
        _ => {
            return Err(
                "usage: fashion_asset make <IDX folder> <asset> | fashion_asset bits <IDX folder>"
                    .into(),
            );
        }
    }
    Ok(())
}
