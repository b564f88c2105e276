//! `cblab train`: every mode (a run, comparisons, the grid, the methods, the sweep, the images) prints the library's metrics.

use serde_json::Value;

use super::{cblab, fails_with, json_ok, numbers};

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
    let rare_repeated = Sampler::from_name("repeat-factor:0.1").unwrap();
    for sampler in Sampler::ALL.into_iter().chain([rare_repeated]) {
        let v = json_ok(&[
            "train",
            "--counts",
            "120,40,8",
            "--epochs",
            "4",
            "--scheme",
            "none",
            "--sampler",
            &sampler.name(),
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
    use cblab::balance::loss_kind::LossKind;
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
    // The bar: at least 3 points of balanced accuracy over 3 seeds
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

/// With `--loss` and no `--scheme`, a run weights as the loss does by default:
/// class-balanced for the paper's three, none for the adjusted losses (as
/// `cblab loss` does), and class-balanced in the deferred phase of `--drw-from`.
#[test]
fn train_weights_each_loss_as_its_default() {
    let label = |extra: &[&str]| {
        let mut args = vec!["train", "--counts", "120,40,8", "--epochs", "2"];
        args.extend(extra);
        json_ok(&args)["runs"][0]["label"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(
        label(&["--loss", "focal"]),
        "CB focal (beta 0.9999, gamma 1)"
    );
    assert_eq!(label(&["--loss", "sigmoid"]), "CB sigmoid (beta 0.9999)");
    assert_eq!(
        label(&["--loss", "logit-adjusted"]),
        "logit-adjusted (tau 1)"
    );
    assert_eq!(label(&["--loss", "balanced-softmax"]), "balanced softmax");
    assert_eq!(label(&["--loss", "ldam"]), "LDAM");
    assert_eq!(
        label(&["--loss", "ldam", "--drw-from", "0.5"]),
        "CB LDAM (beta 0.9999), re-weighted from epoch 2"
    );
    // Named, a weighting is kept, and method names stay literal.
    assert_eq!(
        label(&["--loss", "logit-adjusted", "--scheme", "cb"]),
        "CB logit-adjusted (beta 0.9999, tau 1)"
    );
    assert_eq!(label(&["--compare", "ldam"]), "LDAM");
}
