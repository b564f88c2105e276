//! Counting a COCO/LVIS annotation file natively (`src/data/coco.rs`, what
//! `cblab counts --from coco` runs) beside Python's `json.load` plus counting
//! (`benches/coco_python.py`), in the same run, on a seeded file of LVIS v1's
//! shape (1,203 categories, long-tailed; about 12.7 annotations an image and
//! 850 bytes an annotation, most of them a polygon) written at a given size.
//! Prints seconds, MB/s and the peak resident memory above the process's
//! baseline for both, and checks that both count the same.
//!
//! `cargo bench --bench annotations -- [--megabytes 315] [--seed 0] [--python python3]`

#![allow(clippy::disallowed_methods)] // Instant::now: native-only benchmark.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use cblab::data::coco::count_coco;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// LVIS v1's categories.
const CATEGORIES: usize = 1203;
/// Bytes an annotation takes, about, in LVIS v1's training file.
const BYTES_PER_ANNOTATION: f64 = 850.0;
/// Annotations an image, about, in LVIS v1.
const ANNOTATIONS_PER_IMAGE: f64 = 12.7;

fn arg(args: &[String], name: &str) -> Option<String> {
    let at = args.iter().position(|a| a == name)?;
    args.get(at + 1).cloned()
}

/// Writes the seeded file; annotations before images and categories last,
/// as LVIS's own file has them.
fn write_file(path: &Path, megabytes: f64, seed: u64) -> std::io::Result<()> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let annotations = ((megabytes * 1e6 / BYTES_PER_ANNOTATION) as usize).max(1);
    let images = ((annotations as f64 / ANNOTATIONS_PER_IMAGE) as usize).max(1);
    // Zipf-like: category k drawn with probability proportional to (k + 1)^-1.3.
    let mut cumulative = Vec::with_capacity(CATEGORIES);
    let mut total = 0.0;
    for k in 0..CATEGORIES {
        total += ((k + 1) as f64).powf(-1.3);
        cumulative.push(total);
    }
    let id_of = |k: usize| (k + 1 + k / 100) as u64; // ids with gaps
    let mut out = BufWriter::with_capacity(1 << 20, File::create(path)?);
    write!(
        out,
        "{{\"info\": {{\"description\": \"cblab benchmark, seed {seed}\", \"version\": \"1.0\"}}, \"annotations\": ["
    )?;
    for a in 0..annotations {
        let u = rng.random_range(0.0..total);
        let k = cumulative.partition_point(|&c| c < u).min(CATEGORIES - 1);
        let image = rng.random_range(0..images) as u64 + 1;
        if a > 0 {
            out.write_all(b", ")?;
        }
        let area: f64 = rng.random_range(10.0..90000.0);
        write!(
            out,
            "{{\"area\": {area:.2}, \"id\": {}, \"segmentation\": [[",
            a + 1
        )?;
        let points = rng.random_range(10..80);
        for p in 0..2 * points {
            if p > 0 {
                out.write_all(b", ")?;
            }
            let v: f64 = rng.random_range(0.0..640.0);
            write!(out, "{v:.2}")?;
        }
        let (x, y): (f64, f64) = (rng.random_range(0.0..600.0), rng.random_range(0.0..440.0));
        write!(
            out,
            "]], \"image_id\": {image}, \"bbox\": [{x:.2}, {y:.2}, 40.0, 40.0], \"category_id\": {}}}",
            id_of(k)
        )?;
    }
    out.write_all(b"], \"images\": [")?;
    for i in 0..images {
        if i > 0 {
            out.write_all(b", ")?;
        }
        write!(
            out,
            "{{\"date_captured\": \"2013-11-14 11:18:45\", \"neg_category_ids\": [], \"id\": {id}, \"license\": 1, \"height\": 480, \"width\": 640, \"flickr_url\": \"http://farm4.staticflickr.com/{id}.jpg\", \"coco_url\": \"http://images.cocodataset.org/train2017/{id:012}.jpg\", \"not_exhaustive_category_ids\": []}}",
            id = i + 1
        )?;
    }
    out.write_all(b"], \"licenses\": [{\"id\": 1, \"name\": \"CC BY 2.0\"}], \"categories\": [")?;
    for k in 0..CATEGORIES {
        if k > 0 {
            out.write_all(b", ")?;
        }
        let frequency = match k {
            0..405 => "f",
            405..866 => "c",
            _ => "r",
        };
        write!(
            out,
            "{{\"frequency\": \"{frequency}\", \"synonyms\": [\"thing_{k}\"], \"id\": {}, \"synset\": \"thing_{k}.n.01\", \"name\": \"thing_{k}\", \"def\": \"a thing of kind {k}\"}}",
            id_of(k)
        )?;
    }
    out.write_all(b"]}")?;
    out.flush()
}

/// Starts the peak over from the memory resident now (Linux: writing 5 to
/// clear_refs resets VmHWM), so that writing the file does not count.
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// The process's peak resident memory since [`reset_peak`], in MB (Linux's VmHWM).
fn peak_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let megabytes: f64 = arg(&args, "--megabytes").map_or(315.0, |v| v.parse().expect("MB"));
    let seed: u64 = arg(&args, "--seed").map_or(0, |v| v.parse().expect("a seed"));
    let python = arg(&args, "--python").unwrap_or_else(|| "python3".into());
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target");
    std::fs::create_dir_all(&dir).expect("target/ is writable");
    let path = dir.join(format!("bench-lvis-{megabytes}MB-seed{seed}.json"));
    if !path.exists() {
        let start = Instant::now();
        write_file(&path, megabytes, seed).expect("the file is written");
        eprintln!(
            "wrote {} in {:.1} s",
            path.display(),
            start.elapsed().as_secs_f64()
        );
    }
    let bytes = std::fs::metadata(&path).expect("the file").len() as f64;
    let mb = bytes / 1e6;

    reset_peak();
    let baseline = peak_mb();
    let start = Instant::now();
    let counts = count_coco(File::open(&path).expect("the file")).expect("the file counts");
    let ours = start.elapsed().as_secs_f64();
    let ours_peak = peak_mb() - baseline;

    let out = Command::new(&python)
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/coco_python.py"))
        .arg(&path)
        .output()
        .expect("python runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let py: serde_json::Value = serde_json::from_slice(&out.stdout).expect("python's JSON");
    let numbers = |key: &str| -> Vec<u64> {
        py[key]
            .as_array()
            .expect("an array")
            .iter()
            .map(|v| v.as_u64().expect("a count"))
            .collect()
    };
    assert_eq!(numbers("instances"), counts.instances, "instances differ");
    assert_eq!(numbers("images"), counts.images.positives, "images differ");
    let py_seconds = py["seconds"].as_f64().expect("seconds");
    let py_peak =
        py["peak_mb"].as_f64().expect("peak") - py["baseline_mb"].as_f64().expect("baseline");

    println!(
        "annotation file: {mb:.1} MB, {} annotations, {} images, {} categories (seed {seed})",
        counts.instances.iter().sum::<u64>(),
        counts.images.samples,
        counts.categories.len()
    );
    println!("| reader | seconds | MB/s | peak memory above baseline |");
    println!("|---|---|---|---|");
    println!(
        "| cblab (serde_json, streamed) | {ours:.2} | {:.0} | {ours_peak:.1} MB |",
        mb / ours
    );
    println!(
        "| Python json.load + counting | {py_seconds:.2} | {:.0} | {py_peak:.0} MB |",
        mb / py_seconds
    );
    println!(
        "Python's time over cblab's: {:.1}x (goal >= 10x); both counted the same",
        py_seconds / ours
    );
}
