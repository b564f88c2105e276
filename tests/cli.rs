//! The `cblab` command-line contract: JSON on stdout, errors on stderr with a
//! non-zero exit, and numbers equal to the library's.

use std::process::{Command, Output};

use cblab::balance::effective_number::Beta;
use cblab::balance::losses::{Loss, batch_loss};
use cblab::balance::weights::class_balanced_weights;
use cblab::data::profiles::preset_counts;
use serde_json::Value;

fn cblab(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cblab"))
        .args(args)
        .output()
        .expect("the cblab binary runs")
}

fn json_ok(args: &[&str]) -> Value {
    let out = cblab(args);
    assert!(
        out.status.success(),
        "cblab {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("stdout is JSON")
}

fn fails_with(args: &[&str], message: &str) {
    let out = cblab(args);
    assert!(!out.status.success(), "cblab {args:?} should fail");
    assert!(out.stdout.is_empty(), "nothing on stdout when failing");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(message),
        "stderr {stderr:?} lacks {message:?}"
    );
}

fn numbers(v: &Value) -> Vec<f64> {
    v.as_array()
        .expect("an array")
        .iter()
        .map(|x| x.as_f64().expect("a number"))
        .collect()
}

#[test]
fn counts_from_profiles_and_presets() {
    let v = json_ok(&["counts", "--preset", "cifar10-lt-100"]);
    assert_eq!(
        v["counts"],
        serde_json::json!([5000, 2997, 1796, 1077, 645, 387, 232, 139, 83, 50])
    );
    let v = json_ok(&[
        "counts",
        "--profile",
        "exp",
        "--classes",
        "10",
        "--max",
        "5000",
        "--imbalance",
        "50",
    ]);
    assert_eq!(v["counts"][1], 3237);
    let v = json_ok(&[
        "counts",
        "--profile",
        "step",
        "--classes",
        "4",
        "--max",
        "100",
        "--imbalance",
        "10",
    ]);
    assert_eq!(v["counts"], serde_json::json!([100, 100, 10, 10]));
    let v = json_ok(&[
        "counts",
        "--profile",
        "uniform",
        "--classes",
        "3",
        "--max",
        "7",
    ]);
    assert_eq!(v["counts"], serde_json::json!([7, 7, 7]));
    assert!(v.get("names").is_none(), "made-up counts have no names");
    // Fashion-MNIST-LT: the counts with their class names, head first.
    let v = json_ok(&["counts", "--preset", "fashion-mnist-lt-100"]);
    assert_eq!(
        v["counts"],
        serde_json::json!([1000, 599, 359, 215, 129, 77, 46, 27, 16, 10])
    );
    assert_eq!(v["names"][0], "T-shirt/top");
    assert_eq!(v["names"][9], "Ankle boot");
    let presets = json_ok(&["presets"]);
    let names: Vec<&str> = presets["presets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    for rho in [10, 20, 50, 100, 200] {
        assert!(
            names.contains(&format!("fashion-mnist-lt-{rho}").as_str()),
            "{names:?}"
        );
    }
    fails_with(&["counts", "--preset", "cifar1000"], "unknown preset");
    fails_with(&["counts", "--classes", "1"], "number of classes");
}

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
    let dir = std::env::temp_dir().join(format!("cblab-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let csv = dir.join("counts.csv");
    std::fs::write(&csv, "class,count\ncat,100\ndog,0\nemu,10\n").unwrap();
    let labels = dir.join("labels.txt");
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
    std::fs::remove_dir_all(&dir).unwrap();
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

#[test]
fn loss_equals_the_library() {
    let dir = std::env::temp_dir().join(format!("cblab-loss-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let case = dir.join("case.json");
    let logits = vec![vec![1.0, 2.0, -0.5], vec![3.0, -1.0, 0.25]];
    let weights = class_balanced_weights(&[100, 10, 1], Beta::new(0.99).unwrap()).unwrap();
    for (name, loss) in [
        ("softmax", Loss::Softmax),
        ("sigmoid", Loss::Sigmoid),
        ("focal", Loss::Focal { gamma: 0.5 }),
    ] {
        let text = serde_json::json!({
            "loss": name, "beta": 0.99, "gamma": 0.5, "counts": [100, 10, 1],
            "logits": logits, "labels": [0, 2],
        });
        std::fs::write(&case, text.to_string()).unwrap();
        let v = json_ok(&["loss", "--input", case.to_str().unwrap()]);
        let want = batch_loss(loss, &logits, &[0, 2], &weights.weights).unwrap();
        assert_eq!(v["loss"].as_f64().unwrap(), want.loss, "{name}");
        let grad: Vec<Vec<f64>> = serde_json::from_value(v["grad"].clone()).unwrap();
        assert_eq!(grad, want.grad, "{name}");
    }
    // The paper's official focal form, computed by hand for this case in Python:
    // w = normalised 1/E, modulator = exp(-gamma*y*z - gamma*log1p(exp(-z))).
    std::fs::write(
        &case,
        r#"{"loss":"focal","beta":0.9,"gamma":0.5,"counts":[10,1],"logits":[[1,2],[3,-1]],"labels":[0,1]}"#,
    )
    .unwrap();
    let v = json_ok(&["loss", "--input", case.to_str().unwrap()]);
    assert!((v["loss"].as_f64().unwrap() - 3.8401127127366967).abs() < 1e-14);

    std::fs::write(
        &case,
        r#"{"loss":"focal","beta":0.9,"counts":[1],"logits":[[0]],"labels":[0]}"#,
    )
    .unwrap();
    fails_with(
        &["loss", "--input", case.to_str().unwrap()],
        "needs \"gamma\"",
    );
    std::fs::write(
        &case,
        r#"{"loss":"softmax","beta":0.9,"counts":[1,1],"logits":[[0,0]],"labels":[5]}"#,
    )
    .unwrap();
    fails_with(&["loss", "--input", case.to_str().unwrap()], "label 5");
    std::fs::write(
        &case,
        r#"{"loss":"hinge","beta":0.9,"counts":[1],"logits":[[0]],"labels":[0]}"#,
    )
    .unwrap();
    fails_with(
        &["loss", "--input", case.to_str().unwrap()],
        "not a loss case",
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The adjusted softmaxes, weighted or not, equal the library; bad values are refused by name.
#[test]
fn loss_cases_of_the_methods_that_came_after() {
    use cblab::balance::adjusted_softmax::AdjustedSoftmax;
    use cblab::balance::weights::{SchemeKind, class_weights};
    let dir = std::env::temp_dir().join(format!("cblab-adjusted-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let case = dir.join("case.json");
    let counts = [100u64, 10, 1];
    let logits = vec![vec![1.0, 2.0, -0.5], vec![3.0, -1.0, 0.25]];
    let run = |text: serde_json::Value| {
        std::fs::write(&case, text.to_string()).unwrap();
        json_ok(&["loss", "--input", case.to_str().unwrap()])
    };
    let check = |v: Value, loss: &AdjustedSoftmax, weights: &[f64], what: &str| {
        let want = batch_loss(loss, &logits, &[0, 2], weights).unwrap();
        assert_eq!(v["loss"].as_f64().unwrap(), want.loss, "{what}");
        let grad: Vec<Vec<f64>> = serde_json::from_value(v["grad"].clone()).unwrap();
        assert_eq!(grad, want.grad, "{what}");
    };
    let ones = [1.0; 3];
    let base = serde_json::json!({ "counts": counts, "logits": logits, "labels": [0, 2] });
    let with = |extra: serde_json::Value| {
        let mut v = base.clone();
        v.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        v
    };
    check(
        run(with(
            serde_json::json!({"loss": "logit-adjusted", "tau": 1.5}),
        )),
        &AdjustedSoftmax::logit_adjusted(&counts, 1.5).unwrap(),
        &ones,
        "logit-adjusted",
    );
    check(
        run(with(serde_json::json!({"loss": "logit-adjusted"}))),
        &AdjustedSoftmax::logit_adjusted(&counts, 1.0).unwrap(),
        &ones,
        "logit-adjusted, default tau",
    );
    check(
        run(with(serde_json::json!({"loss": "balanced-softmax"}))),
        &AdjustedSoftmax::balanced_softmax(&counts).unwrap(),
        &ones,
        "balanced softmax",
    );
    check(
        run(with(
            serde_json::json!({"loss": "ldam", "max_margin": 0.3, "scale": 10}),
        )),
        &AdjustedSoftmax::ldam(&counts, 0.3, 10.0).unwrap(),
        &ones,
        "ldam",
    );
    let cb = class_weights(&counts, SchemeKind::Cb.with_beta(Beta::new(0.99).unwrap())).unwrap();
    check(
        run(with(
            serde_json::json!({"loss": "ldam", "scheme": "cb", "beta": 0.99}),
        )),
        &AdjustedSoftmax::ldam(&counts, 0.5, 30.0).unwrap(),
        &cb.weights,
        "cb-weighted ldam",
    );
    let inverse = class_weights(&counts, SchemeKind::Inverse.without_beta().unwrap()).unwrap();
    check(
        run(with(
            serde_json::json!({"loss": "balanced-softmax", "scheme": "inverse"}),
        )),
        &AdjustedSoftmax::balanced_softmax(&counts).unwrap(),
        &inverse.weights,
        "inverse-weighted balanced softmax",
    );
    let refused = |extra: serde_json::Value, message: &str| {
        std::fs::write(&case, with(extra).to_string()).unwrap();
        fails_with(&["loss", "--input", case.to_str().unwrap()], message);
    };
    refused(
        serde_json::json!({"loss": "logit-adjusted", "tau": -1}),
        "tau must be a finite number >= 0, got -1",
    );
    refused(
        serde_json::json!({"loss": "ldam", "max_margin": -0.5}),
        "got -0.5",
    );
    refused(
        serde_json::json!({"loss": "ldam", "scale": 0}),
        "scale must be a finite number > 0, got 0",
    );
    refused(
        serde_json::json!({"loss": "ldam-drw"}),
        "unknown variant `ldam-drw`",
    );
    refused(
        serde_json::json!({"loss": "softmax", "tau": 1}),
        "\"tau\" is not a parameter",
    );
    refused(
        serde_json::json!({"loss": "ldam", "scheme": "cb"}),
        "needs \"beta\"",
    );
    refused(
        serde_json::json!({"loss": "ldam", "beta": 0.9}),
        "does not use beta",
    );
    refused(
        serde_json::json!({"loss": "balanced-softmax", "counts": [5, 0, 1]}),
        "class 1 has no training sample",
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn train_prints_the_library_metrics() {
    use cblab::data::toy_data::{ToyConfig, make_toy_task};
    use cblab::train::config::TrainConfig;
    use cblab::train::experiments::train_and_evaluate;

    let args = [
        "train", "--counts", "120,40,8", "--epochs", "5", "--seed", "3", "--scheme", "none",
    ];
    let v = json_ok(&args);
    assert_eq!(v["task"]["counts"], serde_json::json!([120, 40, 8]));
    assert_eq!(v["task"]["test_points"], 600);
    let run = &v["runs"][0];
    assert_eq!(run["label"], "softmax");
    let task = make_toy_task(
        &[120, 40, 8],
        &ToyConfig {
            seed: 3,
            ..ToyConfig::default()
        },
    )
    .unwrap();
    let config = TrainConfig {
        scheme: cblab::balance::weights::SchemeKind::None,
        epochs: 5,
        seed: 3,
        ..TrainConfig::default()
    };
    let want = train_and_evaluate(&task.train, &task.test, &task.counts, &config).unwrap();
    assert_eq!(
        run["metrics"]["balanced_accuracy"].as_f64().unwrap(),
        want.metrics.balanced_accuracy
    );
    assert_eq!(
        run["metrics"]["confusion"],
        serde_json::json!(want.metrics.confusion)
    );
    assert_eq!(numbers(&run["loss_history"]).len(), 5);
    // Same seed, same numbers.
    assert_eq!(json_ok(&args)["runs"], v["runs"]);
}

#[test]
fn train_compare_grid_and_seeds() {
    let v = json_ok(&[
        "train",
        "--compare",
        "softmax,cb-softmax,cb-focal",
        "--epochs",
        "2",
        "--gamma",
        "0.5",
    ]);
    let labels: Vec<&str> = v["runs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["label"].as_str().unwrap())
        .collect();
    assert_eq!(
        labels,
        [
            "softmax",
            "CB softmax (beta 0.9999)",
            "CB focal (beta 0.9999, gamma 0.5)"
        ]
    );

    let v = json_ok(&[
        "train",
        "--grid",
        "--epochs",
        "1",
        "--preset",
        "cifar10-lt-100",
        "--batch",
        "full",
    ]);
    let runs = v["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 25);
    let ranked: Vec<f64> = runs
        .iter()
        .map(|r| r["metrics"]["balanced_accuracy"].as_f64().unwrap())
        .collect();
    assert!(
        ranked.windows(2).all(|w| w[0] >= w[1]),
        "ranked by balanced accuracy"
    );

    let v = json_ok(&[
        "train",
        "--seeds",
        "3",
        "--epochs",
        "2",
        "--compare",
        "softmax,cb-softmax",
    ]);
    let summary = v["summary"].as_array().unwrap();
    assert_eq!(summary.len(), 2);
    assert!(summary[0]["balanced_accuracy"]["sd"].as_f64().unwrap() >= 0.0);
    assert_eq!(v["task"]["seeds"], serde_json::json!([0, 1, 2]));

    // One seed's spread is unknown, not zero: the table shows the value alone.
    let table = |seeds: &str| {
        let out = cblab(&[
            "train",
            "--compare",
            "softmax,cb-softmax",
            "--epochs",
            "2",
            "--seeds",
            seeds,
            "--format",
            "table",
        ]);
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    let one = table("1");
    let row = one.lines().find(|l| l.starts_with("| softmax |")).unwrap();
    assert!(!one.contains('±'), "{one}");
    let balanced = row.split('|').nth(2).unwrap().trim();
    assert!(balanced.parse::<f64>().is_ok(), "{row}");
    assert!(table("2").contains(" ± "));

    let v = json_ok(&["train", "--epochs", "1", "--decision-grid", "16"]);
    assert_eq!(v["decision_grid"]["classes"].as_array().unwrap().len(), 256);
}

/// `--sampler`: the runs draw batches the chosen way, and the JSON equals the library's.
#[test]
fn train_with_each_sampler() {
    use cblab::data::toy_data::{ToyConfig, make_toy_task};
    use cblab::train::batches::Sampler;
    use cblab::train::config::TrainConfig;
    use cblab::train::experiments::train_and_evaluate;
    let task = make_toy_task(&[120, 40, 8], &ToyConfig::default()).unwrap();
    for sampler in Sampler::ALL {
        let v = json_ok(&[
            "train",
            "--counts",
            "120,40,8",
            "--epochs",
            "4",
            "--scheme",
            "none",
            "--sampler",
            sampler.name(),
        ]);
        let config = TrainConfig {
            scheme: cblab::balance::weights::SchemeKind::None,
            epochs: 4,
            sampler,
            ..TrainConfig::default()
        };
        let want = train_and_evaluate(&task.train, &task.test, &task.counts, &config).unwrap();
        let run = &v["runs"][0];
        assert_eq!(run["label"], want.label.as_str());
        assert_eq!(run["config"]["sampler"], sampler.name());
        assert_eq!(
            run["metrics"]["balanced_accuracy"].as_f64().unwrap(),
            want.metrics.balanced_accuracy
        );
    }
    fails_with(
        &["train", "--sampler", "oversample"],
        "invalid value 'oversample'",
    );
}

/// `--posthoc-tau`: the same trained model, its predictions adjusted: the
/// library's numbers, tail classes helped, training untouched.
#[test]
fn train_with_posthoc_adjustment() {
    let args = |tau: Option<&'static str>| {
        let mut a = vec![
            "train",
            "--counts",
            "500,100,20,5",
            "--epochs",
            "20",
            "--scheme",
            "none",
        ];
        if let Some(t) = tau {
            a.extend(["--posthoc-tau", t]);
        }
        a
    };
    let plain = json_ok(&args(None));
    let adjusted = json_ok(&args(Some("1")));
    let (p, a) = (&plain["runs"][0], &adjusted["runs"][0]);
    assert_eq!(a["label"], "softmax, post-hoc tau 1");
    assert_eq!(p["loss_history"], a["loss_history"], "training is the same");
    let few = |r: &Value| r["metrics"]["few_shot"].as_f64().unwrap();
    assert!(few(a) > few(p), "few-shot {} -> {}", few(p), few(a));
    let zero = json_ok(&args(Some("0")));
    assert_eq!(
        zero["runs"][0]["metrics"], p["metrics"],
        "tau 0 is plain argmax"
    );
    fails_with(
        &args(Some("-1")),
        "tau must be a finite number >= 0, got -1",
    );
}

/// `--methods`: the standard set on the same data and start, ranked by
/// balanced accuracy, each with its paired difference to softmax.
#[test]
fn train_the_standard_methods() {
    let v = json_ok(&["train", "--methods", "--seeds", "2", "--epochs", "3"]);
    let methods = v["methods"].as_array().unwrap();
    assert_eq!(methods.len(), 10);
    let balanced: Vec<f64> = methods
        .iter()
        .map(|m| m["summary"]["balanced_accuracy"]["mean"].as_f64().unwrap())
        .collect();
    assert!(
        balanced.windows(2).all(|w| w[0] >= w[1]),
        "ranked: {balanced:?}"
    );
    let softmax = methods
        .iter()
        .find(|m| m["summary"]["label"] == "softmax")
        .unwrap();
    assert_eq!(softmax["vs_softmax"]["mean"], 0.0);
    // Each difference is the mean of the per-seed differences, so it equals the difference of the means.
    for m in methods {
        let diff = m["vs_softmax"]["mean"].as_f64().unwrap();
        let means = m["summary"]["balanced_accuracy"]["mean"].as_f64().unwrap()
            - softmax["summary"]["balanced_accuracy"]["mean"]
                .as_f64()
                .unwrap();
        assert!((diff - means).abs() < 1e-12, "{diff} vs {means}");
    }
    let table = cblab(&["train", "--methods", "--epochs", "2", "--format", "table"]);
    let text = String::from_utf8(table.stdout).unwrap();
    assert!(
        text.contains("| softmax |") && text.contains("(the reference)"),
        "{text}"
    );
    assert!(
        text.contains("LDAM") && text.contains("post-hoc tau 1"),
        "{text}"
    );
    fails_with(&["train", "--methods", "--grid"], "cannot be used with");
}

/// `--drw-from`: the run's label says when it re-weights; a fraction outside [0, 1] is refused.
#[test]
fn train_with_deferred_reweighting() {
    let v = json_ok(&[
        "train",
        "--counts",
        "120,40,8",
        "--epochs",
        "10",
        "--drw-from",
        "0.8",
    ]);
    assert_eq!(
        v["runs"][0]["label"],
        "CB softmax (beta 0.9999), re-weighted from epoch 9"
    );
    assert_eq!(v["runs"][0]["config"]["drw_from"], 0.8);
    fails_with(&["train", "--drw-from", "1.5"], "from 0 to 1, got 1.5");
}

/// `--loss logit-adjusted|balanced-softmax|ldam`, alone and in a comparison,
/// equal the library; bad parameters and empty classes are refused by name.
#[test]
fn train_the_adjusted_softmaxes() {
    use cblab::balance::losses::LossKind;
    use cblab::data::toy_data::{ToyConfig, make_toy_task};
    use cblab::train::config::TrainConfig;
    use cblab::train::experiments::train_and_evaluate;
    let task = make_toy_task(&[120, 40, 8], &ToyConfig::default()).unwrap();
    for (loss, extra, label) in [
        (
            LossKind::LogitAdjusted,
            ["--tau", "1.5"],
            "logit-adjusted (tau 1.5)",
        ),
        (
            LossKind::BalancedSoftmax,
            ["--tau", "1"],
            "balanced softmax",
        ),
        (LossKind::Ldam, ["--scale", "10"], "LDAM"),
    ] {
        let mut args = vec![
            "train",
            "--counts",
            "120,40,8",
            "--epochs",
            "4",
            "--scheme",
            "none",
            "--loss",
            loss.name(),
        ];
        args.extend(extra);
        let v = json_ok(&args);
        let config = TrainConfig {
            loss,
            scheme: cblab::balance::weights::SchemeKind::None,
            epochs: 4,
            tau: if loss == LossKind::LogitAdjusted {
                1.5
            } else {
                1.0
            },
            scale: if loss == LossKind::Ldam { 10.0 } else { 30.0 },
            ..TrainConfig::default()
        };
        let want = train_and_evaluate(&task.train, &task.test, &task.counts, &config).unwrap();
        assert_eq!(v["runs"][0]["label"], label);
        assert_eq!(
            v["runs"][0]["metrics"]["balanced_accuracy"]
                .as_f64()
                .unwrap(),
            want.metrics.balanced_accuracy,
            "{label}"
        );
    }
    let v = json_ok(&[
        "train",
        "--counts",
        "120,40,8",
        "--epochs",
        "2",
        "--compare",
        "softmax,logit-adjusted,balanced-softmax,cb-ldam,inverse-logit-adjusted",
    ]);
    let labels: Vec<&str> = v["runs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["label"].as_str().unwrap())
        .collect();
    assert_eq!(
        labels,
        [
            "softmax",
            "logit-adjusted (tau 1)",
            "balanced softmax",
            "CB LDAM (beta 0.9999)",
            "inverse logit-adjusted (tau 1)"
        ]
    );
    fails_with(
        &["train", "--loss", "logit-adjusted", "--tau", "-1"],
        "tau must be a finite number >= 0, got -1",
    );
    fails_with(&["train", "--loss", "ldam", "--scale", "0"], "got 0");
    fails_with(
        &["train", "--loss", "balanced-softmax", "--counts", "10,0,3"],
        "class 1 has no training sample",
    );
    fails_with(&["train", "--compare", "cb-ldamm"], "not a loss");
}

/// `--sweep` trains CB softmax at each beta beside inverse frequency and the
/// logit-adjusted loss; `--prototypes K` changes the training points only.
#[test]
fn train_the_beta_sweep_with_prototypes() {
    let sweep = |extra: &[&str]| {
        let mut args = vec!["train", "--sweep", "--epochs", "2"];
        args.extend_from_slice(extra);
        json_ok(&args)
    };
    let fresh = sweep(&[]);
    let labels: Vec<&str> = fresh["runs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels.len(), 7);
    for expected in [
        "CB softmax (beta 0)",
        "CB softmax (beta 0.9999)",
        "inverse softmax",
        "logit-adjusted (tau 1)",
    ] {
        assert!(labels.contains(&expected), "{labels:?}");
    }
    assert_eq!(fresh["task"]["prototypes"], Value::Null);
    let copied = sweep(&["--prototypes", "5"]);
    assert_eq!(copied["task"]["prototypes"], 5);
    assert_eq!(
        copied["task"]["train_points"],
        fresh["task"]["train_points"]
    );
    assert_ne!(
        copied["runs"], fresh["runs"],
        "five prototypes per class train another model"
    );
    let grown = sweep(&["--copies", "10"]);
    assert_eq!(grown["task"]["copies"], 10);
    assert_ne!(grown["runs"], fresh["runs"]);
    assert_ne!(grown["runs"], copied["runs"]);
    fails_with(&["train", "--prototypes", "0"], "--prototypes");
    fails_with(&["train", "--copies", "0"], "--copies");
    fails_with(
        &["train", "--copies", "3", "--prototypes", "3"],
        "cannot be used with",
    );
    fails_with(&["train", "--sweep", "--grid"], "cannot be used with");
}

/// `--data fashion-mnist-lt`: the 196-pixel images at an imbalance, the same
/// JSON with class names, and class-balanced softmax well above softmax.
#[test]
fn train_on_fashion_mnist_lt() {
    let v = json_ok(&[
        "train",
        "--data",
        "fashion-mnist-lt",
        "--imbalance",
        "100",
        "--compare",
        "softmax,cb-softmax",
        "--seeds",
        "3",
    ]);
    let task = &v["task"];
    assert_eq!(task["data"], "fashion-mnist-lt");
    assert_eq!(
        task["counts"],
        serde_json::json!([1000, 599, 359, 215, 129, 77, 46, 27, 16, 10])
    );
    assert_eq!(task["train_points"], 2478);
    assert_eq!(task["test_points"], 2000);
    assert_eq!(task["features"], 196);
    assert_eq!(task["names"][9], "Ankle boot");
    let summary = v["summary"].as_array().unwrap();
    let balanced = |i: usize| summary[i]["balanced_accuracy"]["mean"].as_f64().unwrap();
    assert_eq!(summary[0]["label"], "softmax");
    assert_eq!(summary[0]["config"]["model"]["hidden"], 64);
    assert_eq!(summary[0]["config"]["learning_rate"], 0.001);
    // The issue's bar: at least 3 points of balanced accuracy over 3 seeds
    // (measured: softmax 73.2 %, CB softmax 80.4 %).
    assert!(
        balanced(1) >= balanced(0) + 0.03,
        "CB {} against softmax {}",
        balanced(1),
        balanced(0)
    );

    fails_with(
        &["train", "--data", "fashion-mnist-lt", "--imbalance", "5"],
        "--imbalance must be from 10 to 200",
    );
    fails_with(
        &["train", "--data", "fashion-mnist-lt", "--prototypes", "3"],
        "--prototypes only for the toy task",
    );
    fails_with(
        &[
            "train",
            "--data",
            "fashion-mnist-lt",
            "--preset",
            "cifar10-lt-10",
        ],
        "a counts source (--counts, --preset, ...) only for the toy task",
    );
}

#[test]
fn train_errors_are_clear() {
    fails_with(&["train", "--preset", "cifar100-lt-100"], "2 to 50 classes");
    fails_with(&["train", "--batch", "0"], "--batch must be");
    fails_with(&["train", "--beta", "1"], "0 <= beta < 1");
    fails_with(&["train", "--lr", "-1"], "learning rate");
    fails_with(&["train", "--compare", "cb-hinge"], "not a loss");
    fails_with(&["train", "--counts", "0,0,0"], "every class has 0 samples");
}
