//! `cblab weights`: every counts source and scheme, the snippets, the range of beta, the errors.

use cblab::balance::effective_number::Beta;
use cblab::balance::weights::class_balanced_weights;
use cblab::data::profiles::preset_counts;

use super::{cblab, fails_with, json_ok, numbers, scratch};

#[test]
fn weights_json_equals_the_library() {
    let v = json_ok(&["weights", "--beta", "0.999", "--preset", "cifar10-lt-100"]);
    let counts = preset_counts("cifar10-lt-100").unwrap();
    let want = class_balanced_weights(&counts, Beta::new(0.999).unwrap()).unwrap();
    assert_eq!(v["scheme"], "cb");
    assert_eq!(v["beta"], 0.999);
    assert_eq!(numbers(&v["weights"]), want.weights);
    assert_eq!(numbers(&v["effective_numbers"]).len(), 10);
    assert_eq!(v["empty_classes"], serde_json::json!([]));
    let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "scheme",
            "beta",
            "one_minus_beta",
            "counts",
            "effective_numbers",
            "weights",
            "empty_classes"
        ]
    );
}

#[test]
fn weights_from_every_source() {
    let dir = scratch();
    let csv = dir.path().join("counts.csv");
    std::fs::write(&csv, "class,count\ncat,100\ndog,0\nemu,10\n").unwrap();
    let labels = dir.path().join("labels.txt");
    std::fs::write(&labels, "cat\ncat\nemu\n").unwrap();

    let v = json_ok(&[
        "weights",
        "--one-minus-beta",
        "1e-8",
        "--counts-file",
        csv.to_str().unwrap(),
    ]);
    assert_eq!(v["counts"], serde_json::json!([100, 0, 10]));
    assert_eq!(v["empty_classes"], serde_json::json!([1]));
    assert_eq!(v["names"], serde_json::json!(["cat", "dog", "emu"]));
    assert_eq!(v["one_minus_beta"], 1e-8);
    let v = json_ok(&[
        "weights",
        "--beta",
        "0",
        "--labels-file",
        labels.to_str().unwrap(),
    ]);
    assert_eq!(v["counts"], serde_json::json!([2, 1]));
    assert_eq!(numbers(&v["weights"]), [1.0, 1.0]);
    let v = json_ok(&["weights", "--counts", "10 40", "--scheme", "balanced"]);
    assert_eq!(numbers(&v["weights"]), [2.5, 0.625]);

    std::fs::write(&csv, "class,count\ncat,1.5\n").unwrap();
    fails_with(
        &[
            "weights",
            "--beta",
            "0.9",
            "--counts-file",
            csv.to_str().unwrap(),
        ],
        "line 2, column 5: 1.5 is not a whole number",
    );
}

#[test]
fn weights_snippets() {
    let out = cblab(&[
        "weights", "--beta", "0.5", "--counts", "1,1", "--format", "keras",
    ]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.ends_with("class_weight = {0: 1.0, 1: 1.0}\n"),
        "{text}"
    );
    for format in ["json", "csv", "python", "numpy", "torch", "keras"] {
        assert!(
            cblab(&[
                "weights", "--beta", "0.5", "--counts", "3", "--format", format
            ])
            .status
            .success()
        );
    }
}

/// Only `cb` uses beta: the other schemes run without it, leave the beta
/// fields out of the JSON, and refuse a beta rather than ignore it.
#[test]
fn schemes_without_beta() {
    use cblab::balance::weights::{SchemeKind, class_weights};
    let counts = [30u64, 10, 5];
    for kind in SchemeKind::ALL {
        if kind == SchemeKind::Cb {
            continue;
        }
        let name = kind.name();
        let v = json_ok(&["weights", "--scheme", name, "--counts", "30,10,5"]);
        let want = class_weights(&counts, kind.without_beta().unwrap()).unwrap();
        assert_eq!(numbers(&v["weights"]), want.weights, "{name}");
        assert_eq!(v["scheme"], name);
        for field in ["beta", "one_minus_beta", "effective_numbers"] {
            assert!(v.get(field).is_none(), "{name} has {field}: {v}");
        }
        fails_with(
            &[
                "weights", "--scheme", name, "--beta", "0.9", "--counts", "1",
            ],
            &format!("--scheme {name} does not use beta: leave out --beta"),
        );
        fails_with(
            &[
                "weights",
                "--scheme",
                name,
                "--one-minus-beta",
                "1e-3",
                "--counts",
                "1",
            ],
            "leave out --one-minus-beta",
        );
    }
    fails_with(
        &["weights", "--counts", "30,10,5"],
        "--scheme cb needs beta",
    );
    let v = json_ok(&["weights", "--beta", "0.9", "--counts", "30,10,5"]);
    assert_eq!(v["beta"], 0.9);
    assert_eq!(numbers(&v["effective_numbers"]).len(), 3);
}

/// `--advise`: the betas between which the weights move, the library's.
#[test]
fn weights_advise_the_range_of_beta() {
    use cblab::balance::beta_range::beta_range;
    let v = json_ok(&[
        "weights",
        "--beta",
        "0.9",
        "--counts",
        "5000,2000,1000",
        "--advise",
    ]);
    let range = beta_range(&[5000, 2000, 1000]);
    let advice = &v["beta_range"];
    assert_eq!(advice["imbalance"], 5.0);
    assert_eq!(advice["low"].as_f64(), range.low.map(|b| b.value()));
    assert_eq!(
        advice["one_minus_high"].as_f64(),
        range.high.map(|b| b.one_minus())
    );
    // beta = 0.9 is below the range: every weight is 1.
    assert!(advice["low"].as_f64().unwrap() > 0.9);
    assert_eq!(numbers(&v["weights"]), [1.0, 1.0, 1.0]);
    let v = json_ok(&["weights", "--scheme", "none", "--counts", "7,7", "--advise"]);
    assert!(v["beta_range"]["low"].is_null() && v["beta_range"]["high"].is_null());
    assert!(
        json_ok(&["weights", "--beta", "0.9", "--counts", "7,7"])
            .get("beta_range")
            .is_none()
    );
    fails_with(
        &[
            "weights", "--beta", "0.9", "--counts", "7,1", "--advise", "--format", "csv",
        ],
        "use it with --format json",
    );
}

#[test]
fn weights_errors_are_clear() {
    fails_with(
        &["weights", "--beta", "1", "--counts", "1"],
        "0 <= beta < 1",
    );
    fails_with(
        &["weights", "--one-minus-beta", "0", "--counts", "1"],
        "0 < 1 - beta <= 1",
    );
    fails_with(
        &["weights", "--beta", "0.9", "--counts", "0,0"],
        "every class has 0 samples",
    );
    fails_with(
        &["weights", "--beta", "0.9", "--counts", "1,-2"],
        "-2 is negative",
    );
    fails_with(
        &["weights", "--beta", "0.9", "--counts-file", "/nonexistent"],
        "cannot read",
    );
    // Exactly one source of counts.
    fails_with(&["weights", "--beta", "0.9"], "the counts are required");
}
