//! `--from coco FILE`: an annotation file counted by `cblab counts` and
//! weighed by `cblab weights`, by instances or by images.

use super::{cblab, fails_with, json_ok, numbers, scratch, write};

/// An LVIS-like file with its categories last, a crowd annotation, an image
/// with no annotation and an annotation whose image is not declared.
const LVIS_LIKE: &str = r#"{"images": [{"id": 1}, {"id": 2}, {"id": 7}, {"id": 9}],
 "annotations": [
  {"image_id": 1, "category_id": 30, "segmentation": [[1, 2, 3]]},
  {"image_id": 1, "category_id": 30, "iscrowd": 1},
  {"image_id": 1, "category_id": 4}, {"image_id": 2, "category_id": 30},
  {"image_id": 7, "category_id": 4}, {"image_id": 99, "category_id": 4}],
 "categories": [{"id": 30, "name": "dog", "frequency": "f"},
  {"id": 4, "name": "table", "frequency": "r"}, {"id": 12, "name": "cat", "frequency": "c"}]}"#;

#[test]
fn counts_an_annotation_file() {
    let dir = scratch();
    let file = write(&dir, "lvis.json", LVIS_LIKE);
    let out = cblab(&["counts", "--from", "coco", &file]);
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("annotations name 1 image id(s) that \"images\" does not declare"),
        "{stderr}"
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v,
        serde_json::json!({
            "counts": [3, 3, 0], "unit": "instances", "names": ["dog", "table", "cat"],
            "ids": [30, 4, 12], "images": [2, 2, 0], "samples": 4, "cardinality": 1.0,
            "crowd": [1, 0, 0], "undeclared_images": 1, "source": "coco",
            "frequency": ["f", "r", "c"]
        })
    );
}

#[test]
fn weighs_by_instances_or_images_with_every_scheme() {
    let dir = scratch();
    let file = write(&dir, "weights.json", LVIS_LIKE);
    let v = json_ok(&["weights", "--from", "coco", &file, "--beta", "0.9"]);
    assert_eq!(v["counts"], serde_json::json!([3, 3, 0]));
    assert_eq!(v["unit"], "instances");
    assert_eq!(v["names"], serde_json::json!(["dog", "table", "cat"]));
    let v = json_ok(&[
        "weights", "--from", "coco", &file, "--unit", "images", "--scheme", "enet",
    ]);
    assert_eq!(v["counts"], serde_json::json!([2, 2, 0]));
    assert_eq!(v["unit"], "images");
    let enet = 1.0 / (1.02f64 + 0.5).ln();
    assert_eq!(numbers(&v["weights"]), vec![enet, enet, 0.0]);
    fails_with(
        &[
            "weights", "--counts", "1,2", "--scheme", "enet", "--unit", "images",
        ],
        "give it with --from",
    );
}

#[test]
fn the_new_schemes_keep_their_authors_scale() {
    let v = json_ok(&[
        "weights",
        "--counts",
        "10,0,20,40,80",
        "--scheme",
        "median-frequency",
    ]);
    assert_eq!(numbers(&v["weights"]), vec![3.0, 0.0, 1.5, 0.75, 0.375]);
    let v = json_ok(&["weights", "--counts", "10,30,60", "--scheme", "enet"]);
    let want: Vec<f64> = [0.1f64, 0.3, 0.6]
        .iter()
        .map(|p| 1.0 / (0.02 + p).ln_1p())
        .collect();
    assert_eq!(numbers(&v["weights"]), want);
    fails_with(
        &[
            "weights", "--counts", "1,2", "--scheme", "enet", "--beta", "0.9",
        ],
        "--scheme enet does not use beta",
    );
}

#[test]
fn bad_annotation_files_are_refused_with_where() {
    let dir = scratch();
    let cut = write(&dir, "cut.json", &LVIS_LIKE[..120]);
    fails_with(&["counts", "--from", "coco", &cut], "line 3, column");
    let undeclared = write(
        &dir,
        "undeclared.json",
        r#"{"images": [{"id": 1}], "annotations": [{"image_id": 1, "category_id": 5}], "categories": []}"#,
    );
    fails_with(
        &[
            "weights",
            "--from",
            "coco",
            &undeclared,
            "--scheme",
            "inverse",
        ],
        "annotations[0]: category_id 5 is not declared in \"categories\"",
    );
    fails_with(
        &["counts", "--from", "coco", "/no/such/file.json"],
        "cannot read /no/such/file.json",
    );
    fails_with(
        &["counts", "--from", "yolo", "/tmp"],
        "the kinds are coco (LVIS too), openimages, folder, csv, tsv and jsonl",
    );
}

#[test]
fn repeat_factors_need_images_and_say_they_sample() {
    let dir = scratch();
    // Counts as images per class, with the number of images.
    let v = json_ok(&[
        "weights",
        "--counts",
        "50000,100,10,0",
        "--samples",
        "100000",
        "--scheme",
        "repeat-factor",
    ]);
    assert_eq!(v["kind"], "sampling");
    assert_eq!(v["threshold"], 0.001);
    assert_eq!(v["unit"], "images");
    assert_eq!(
        numbers(&v["repeat_factors"]),
        vec![1.0, 1.0, 10f64.sqrt(), 0.0]
    );
    assert_eq!(v["empty_classes"], serde_json::json!([3]));
    // As a sampler for PyTorch, never a loss weight.
    let out = cblab(&[
        "weights",
        "--counts",
        "50000,100,10,0",
        "--samples",
        "100000",
        "--scheme",
        "repeat-factor",
        "--format",
        "torch",
    ]);
    let torch = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success());
    assert!(
        torch.contains("repeat_factors = [1.0, 1.0, 3.1622776601683795, 0.0]"),
        "{torch}"
    );
    assert!(torch.contains("WeightedRandomSampler(") && !torch.contains("weight="));
    fails_with(
        &["weights", "--counts", "5,1", "--scheme", "repeat-factor"],
        "needs the number of images: give --samples N",
    );
    fails_with(
        &[
            "weights",
            "--counts",
            "5,9",
            "--samples",
            "6",
            "--scheme",
            "repeat-factor",
        ],
        "class 1 is in 9 images, more than the 6 there are",
    );
    fails_with(
        &[
            "weights",
            "--counts",
            "5,1",
            "--scheme",
            "inverse",
            "--threshold",
            "0.01",
        ],
        "use them with --scheme repeat-factor",
    );

    // An annotation file gives both: images per class and the images.
    let file = write(&dir, "repeat.json", LVIS_LIKE);
    let v = json_ok(&[
        "weights",
        "--from",
        "coco",
        &file,
        "--scheme",
        "repeat-factor",
        "--threshold",
        "0.75",
    ]);
    assert_eq!(v["counts"], serde_json::json!([2, 2, 0]));
    assert_eq!(v["samples"], 4);
    let r = (0.75f64 / 0.5).sqrt();
    assert_eq!(numbers(&v["repeat_factors"]), vec![r, r, 0.0]);

    // Label sets: each image's factor is its classes' largest; their sum is
    // the images an epoch draws.
    let sets = write(&dir, "sets.txt", "0 1\n0\n0\n\n");
    let v = json_ok(&[
        "weights",
        "--labels-file",
        &sets,
        "--multi-label",
        "--scheme",
        "repeat-factor",
        "--threshold",
        "0.5",
    ]);
    // Class 0 in 3 of 4 images (r = 1), class 1 in 1 (f = 0.25, r = sqrt 2).
    assert_eq!(numbers(&v["repeat_factors"]), vec![1.0, 2f64.sqrt()]);
    assert_eq!(v["epoch_images"], 3.0 + 2f64.sqrt());
}

#[test]
fn counts_an_image_folder_as_image_folder_does() {
    let folder = scratch();
    let root = folder.path();
    for dir in ["dog/deep", "cat", "empty"] {
        std::fs::create_dir_all(root.join(dir)).unwrap();
    }
    for file in [
        "dog/1.jpg",
        "dog/2.JPEG",
        "dog/deep/3.png",
        "dog/notes.txt",
        "cat/a.webp",
        "README.md",
    ] {
        std::fs::write(root.join(file), b"").unwrap();
    }
    let dir = root.to_str().unwrap();
    let out = cblab(&["counts", "--from", "folder", dir]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("1 file(s) in class folders are not images"),
        "{stderr}"
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v,
        serde_json::json!({
            "counts": [1, 3, 0], "unit": "images", "names": ["cat", "dog", "empty"],
            "samples": 4, "other_files": 1, "root_files": 1, "source": "folder"
        })
    );
    let v = json_ok(&["weights", "--from", "folder", dir, "--scheme", "inverse"]);
    assert_eq!(v["unit"], "images");
    assert_eq!(v["empty_classes"], serde_json::json!([2]));
    fails_with(
        &[
            "counts",
            "--from",
            "folder",
            root.join("cat").to_str().unwrap(),
        ],
        "no class folder",
    );
}

#[test]
fn counts_a_label_column_or_key() {
    let dir = scratch();
    let csv = write(
        &dir,
        "labels.csv",
        "path,tags\na.jpg,dog|cat\nb.jpg,dog\nc.jpg,\n",
    );
    let v = json_ok(&[
        "counts",
        "--from",
        "csv",
        &csv,
        "--column",
        "tags",
        "--separator",
        "|",
    ]);
    assert_eq!(
        v,
        serde_json::json!({
            "counts": [1, 2], "unit": "samples carrying the class", "samples": 3,
            "cardinality": 1.0, "source": "csv", "names": ["cat", "dog"]
        })
    );
    let tsv = write(&dir, "labels.tsv", "y\tpath\n1\ta\n0\tb\n1\tc\n");
    let v = json_ok(&[
        "weights", "--from", "tsv", &tsv, "--column", "y", "--scheme", "inverse",
    ]);
    assert_eq!(v["counts"], serde_json::json!([1, 2]));
    assert_eq!(v["unit"], "samples carrying the class");
    let jsonl = write(
        &dir,
        "labels.jsonl",
        "{\"labels\": [\"dog\", \"cat\"]}\n{\"labels\": \"dog\"}\n",
    );
    let v = json_ok(&["counts", "--from", "jsonl", &jsonl, "--key", "labels"]);
    assert_eq!(v["counts"], serde_json::json!([1, 2]));
    assert_eq!(v["source"], "jsonl");

    fails_with(
        &["counts", "--from", "csv", &csv, "--column", "label"],
        "no column \"label\" (the columns: path, tags)",
    );
    fails_with(
        &["counts", "--from", "csv", &csv],
        "name it with --column NAME",
    );
    fails_with(
        &["counts", "--from", "jsonl", &jsonl, "--key", "y"],
        "line 1: no key \"y\"",
    );
    fails_with(
        &["counts", "--counts", "1,2", "--column", "x"],
        "give the table with --from",
    );
    fails_with(
        &["counts", "--from", "folder", "/tmp", "--key", "x"],
        "are for --from csv, tsv or jsonl",
    );
}

#[test]
fn counts_open_images_labels_with_their_names() {
    let dir = scratch();
    let labels = write(
        &dir,
        "oi-labels.csv",
        "ImageID,Source,LabelName,Confidence\n\
         000002b66c9c498e,verification,/m/014sv8,1\n\
         000002b66c9c498e,verification,/m/0dzct,1\n\
         000002b66c9c498e,verification,/m/0dzct,1\n\
         000002b97e5471a0,verification,/m/0dzct,0\n\
         000002c707c9895e,verification,/m/0dzct,1\n\
         000002c707c9895e,verification,/m/09j2d,1\n",
    );
    let names = write(
        &dir,
        "oi-names.csv",
        "/m/0dzct,Human face\n/m/014sv8,Human eye\n/m/0k4j,Car\n",
    );
    let v = json_ok(&["counts", "--from", "openimages", &labels, "--names", &names]);
    assert_eq!(
        v,
        serde_json::json!({
            "counts": [2, 1, 0], "unit": "images", "names": ["Human face", "Human eye", "Car"],
            "labels": ["/m/0dzct", "/m/014sv8", "/m/0k4j"], "samples": 3, "cardinality": 1.0,
            "unlisted_rows": 1, "repeated_rows": 1, "source": "openimages"
        })
    );
    let v = json_ok(&["counts", "--from", "openimages", &labels]);
    assert_eq!(
        v["names"],
        serde_json::json!(["/m/014sv8", "/m/09j2d", "/m/0dzct"])
    );
    assert_eq!(v["counts"], serde_json::json!([1, 1, 2]));
    // Images per class and the images: enough for LVIS's repeat factor.
    let v = json_ok(&[
        "weights",
        "--from",
        "openimages",
        &labels,
        "--scheme",
        "repeat-factor",
        "--threshold",
        "0.5",
    ]);
    assert_eq!(v["kind"], "sampling");
    assert_eq!(v["samples"], 3);
    let back = write(
        &dir,
        "oi-back.csv",
        "ImageID,Source,LabelName,Confidence\na,v,/m/x,1\nb,v,/m/x,1\na,v,/m/y,1\n",
    );
    fails_with(
        &["counts", "--from", "openimages", &back],
        "line 4: image a comes back after other images' rows",
    );
    fails_with(
        &[
            "counts",
            "--from",
            "csv",
            &labels,
            "--column",
            "LabelName",
            "--names",
            &names,
        ],
        "--names is for --from openimages",
    );
}
