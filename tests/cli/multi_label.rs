//! Several labels a sample in the CLI: `counts` and `weights --multi-label`,
//! `loss` on targets and `evaluate`, each equal to the library's numbers.

use cblab::balance::effective_number::Beta;
use cblab::balance::multi_label::{
    CbMode, DbParams, MultiLabelLoss, MultiLabelObjective, Weighting, multi_label_batch_loss,
};
use cblab::balance::weights::class_balanced_weights;
use cblab::train::ranking::multi_label_metrics;

use super::{fails_with, json_ok, numbers, scratch, write};

#[test]
fn counts_and_weights_of_label_sets() {
    let dir = scratch();
    let sets = write(&dir, "sets.txt", "cat,dog\ndog\n\ndog,bird,cat,dog\n");
    let v = json_ok(&["counts", "--labels-file", &sets, "--multi-label"]);
    assert_eq!(numbers(&v["counts"]), [1.0, 2.0, 3.0]);
    assert_eq!(v["unit"], "samples carrying the class");
    assert_eq!(v["samples"], 4);
    assert_eq!(v["cardinality"], 1.5);
    assert_eq!(v["names"], serde_json::json!(["bird", "cat", "dog"]));
    // Without --multi-label a line is one label, as it always was.
    let single = json_ok(&["counts", "--labels-file", &sets]);
    assert_eq!(single["names"].as_array().unwrap().len(), 3);
    assert_eq!(numbers(&single["counts"]), [1.0, 1.0, 1.0]);

    let want = class_balanced_weights(&[1, 2, 3], Beta::new(0.9).unwrap()).unwrap();
    let w = json_ok(&[
        "weights",
        "--labels-file",
        &sets,
        "--multi-label",
        "--beta",
        "0.9",
    ]);
    assert_eq!(numbers(&w["weights"]), want.weights);
    assert_eq!(w["cb_mode"], "by-class");
    assert!(w.get("sample_weights").is_none());
    let w = json_ok(&[
        "weights",
        "--labels-file",
        &sets,
        "--multi-label",
        "--beta",
        "0.9",
        "--cb-mode",
        "by-sample",
    ]);
    let s = numbers(&w["sample_weights"]);
    let x = &want.weights;
    assert_eq!(s.len(), 4);
    assert!((s[0] - (x[1] + x[2]) / 2.0).abs() < 1e-15);
    assert_eq!(s[1], x[2]);
    assert_eq!(s[2], 1.0, "a sample with no label weighs the weights' mean");
    let torch = super::cblab(&[
        "weights",
        "--labels-file",
        &sets,
        "--multi-label",
        "--beta",
        "0.9",
        "--format",
        "torch",
    ]);
    assert!(
        String::from_utf8_lossy(&torch.stdout).contains("BCEWithLogitsLoss(weight=class_weights")
    );
    fails_with(
        &["counts", "--counts", "1,2", "--multi-label"],
        "give them with --labels-file",
    );
    let bad = write(&dir, "bad.txt", "a,b\nc,,d\n");
    fails_with(
        &["counts", "--labels-file", &bad, "--multi-label"],
        "line 2, column 3: an empty label",
    );
}

#[test]
fn counts_takes_every_counts_input() {
    let dir = scratch();
    let file = write(&dir, "counts.csv", "class,count\ncat,10\ndog,3\n");
    let v = json_ok(&["counts", "--counts-file", &file]);
    assert_eq!(numbers(&v["counts"]), [10.0, 3.0]);
    assert_eq!(
        numbers(&json_ok(&["counts", "--counts", "5,4"])["counts"]),
        [5.0, 4.0]
    );
}

#[test]
fn loss_on_targets_equals_the_library() {
    let dir = scratch();
    let logits = vec![vec![0.5, -1.2, 2.0], vec![1.0, 0.3, -0.7]];
    let targets = vec![vec![false, true, true], vec![false, false, false]];
    let counts = [3u64, 7, 12];
    let weights = class_balanced_weights(&counts, Beta::new(0.99).unwrap())
        .unwrap()
        .weights;
    let cases = [
        (
            serde_json::json!({"loss": "focal", "gamma": 2.0, "beta": 0.99, "cb_mode": "by-sample"}),
            MultiLabelLoss::Focal { gamma: 2.0 },
            Weighting::Classes {
                weights: weights.clone(),
                mode: CbMode::BySample,
            },
        ),
        (
            serde_json::json!({"loss": "sigmoid", "beta": 0.99}),
            MultiLabelLoss::Sigmoid,
            Weighting::Classes {
                weights,
                mode: CbMode::ByClass,
            },
        ),
        (
            serde_json::json!({"loss": "distribution-balanced", "samples": 20}),
            MultiLabelLoss::DistributionBalanced(DbParams::default()),
            Weighting::None,
        ),
    ];
    for (mut case, loss, weighting) in cases {
        case["counts"] = serde_json::json!(counts);
        case["logits"] = serde_json::json!(logits);
        case["targets"] = serde_json::json!([[0, 1, 1], [0, 0, 0]]);
        let path = write(&dir, "case.json", &case.to_string());
        let v = json_ok(&["loss", "--input", &path]);
        let samples = case.get("samples").and_then(|n| n.as_u64()).unwrap_or(12);
        let o = MultiLabelObjective::new(loss, weighting, &counts, samples).unwrap();
        let want = multi_label_batch_loss(&o, &logits, &targets).unwrap();
        assert_eq!(v["loss"].as_f64().unwrap(), want.loss, "{case}");
        let grad: Vec<Vec<f64>> = serde_json::from_value(v["grad"].clone()).unwrap();
        assert_eq!(grad, want.grad);
    }
    for (text, message) in [
        (
            r#"{"loss":"distribution-balanced","counts":[2,8],"logits":[[0,0]],"targets":[[1,0]]}"#,
            "needs \"samples\"",
        ),
        (
            r#"{"loss":"distribution-balanced","samples":8,"counts":[2,8],"logits":[[0,0]],"targets":[[1,0]]}"#,
            "class 1 is in every sample",
        ),
        (
            r#"{"loss":"asymmetric","gamma":1,"counts":[2,8],"logits":[[0,0]],"targets":[[1,0]]}"#,
            "\"gamma\" is not a parameter of the asymmetric loss",
        ),
        (
            r#"{"loss":"sigmoid","beta":0.9,"counts":[2,8],"logits":[[0,0]],"targets":[[1,2]]}"#,
            "targets[0][1] is 2",
        ),
        (
            r#"{"loss":"sigmoid","beta":0.9,"cb_mode":"mean","counts":[2,8],"logits":[[0,0]],"targets":[[1,0]]}"#,
            "by-class or by-sample",
        ),
    ] {
        let path = write(&dir, "bad.json", text);
        fails_with(&["loss", "--input", &path], message);
    }
}

#[test]
fn evaluate_scores_predictions() {
    let dir = scratch();
    let scores = write(
        &dir,
        "s.csv",
        "0.9,0.2,0.7\n0.1,0.8,0.6\n0.3,0.3,0.3\n0.95,0.1,0.2\n",
    );
    let targets = write(&dir, "t.csv", "1,0,1\n0,1,0\n0,0,0\n0,0,0\n");
    let v = json_ok(&[
        "evaluate",
        "--scores",
        &scores,
        "--targets",
        &targets,
        "--counts",
        "150,30,5",
    ]);
    let rows = |t: &str| -> Vec<Vec<f64>> {
        t.lines()
            .map(|l| l.split(',').map(|x| x.parse().unwrap()).collect())
            .collect()
    };
    let s = rows(&std::fs::read_to_string(&scores).unwrap());
    let t: Vec<Vec<bool>> = rows(&std::fs::read_to_string(&targets).unwrap())
        .iter()
        .map(|r| r.iter().map(|&x| x == 1.0).collect())
        .collect();
    let want = multi_label_metrics(&s, &t, &[150, 30, 5], 0.5);
    assert_eq!(v["map"].as_f64(), want.map);
    assert_eq!(v["micro_f1"].as_f64().unwrap(), want.micro_f1);
    assert!(want.map.unwrap() < 1.0, "the case is not trivially perfect");
    let labels = write(&dir, "y.txt", "0\n1\n2\n0\n");
    let v = json_ok(&[
        "evaluate",
        "--scores",
        &scores,
        "--true-labels",
        &labels,
        "--counts",
        "150,30,5",
    ]);
    assert_eq!(v["accuracy"], 0.75);
    assert_eq!(v["few_shot"], 0.0);
    let nan = write(&dir, "nan.csv", "0.9,0.2,0.7\n0.1,NaN,0.6\n");
    fails_with(
        &[
            "evaluate",
            "--scores",
            &nan,
            "--targets",
            &targets,
            "--counts",
            "1,2,3",
        ],
        "line 2: \"NaN\" is not a finite number",
    );
    fails_with(
        &[
            "evaluate",
            "--scores",
            &scores,
            "--targets",
            &targets,
            "--counts",
            "1,2",
        ],
        "line 1: 3 values, but the counts have 2 classes",
    );
    let short = write(&dir, "short.csv", "1,0,1\n");
    fails_with(
        &[
            "evaluate",
            "--scores",
            &scores,
            "--targets",
            &short,
            "--counts",
            "1,2,3",
        ],
        "4 rows of scores but 1 rows of targets",
    );
    let far = write(&dir, "far.txt", "0\n1\n3\n0\n");
    fails_with(
        &[
            "evaluate",
            "--scores",
            &scores,
            "--true-labels",
            &far,
            "--counts",
            "1,2,3",
        ],
        "line 3: \"3\" is not a class index below 3",
    );
    let logits = write(&dir, "z.csv", "2,-1,0.5\n");
    fails_with(
        &[
            "evaluate",
            "--scores",
            &logits,
            "--targets",
            &short,
            "--counts",
            "1,2,3",
        ],
        "give --logits",
    );
}

#[test]
fn train_on_the_multi_label_toy_task() {
    let v = json_ok(&[
        "train",
        "--data",
        "multi-label-toy",
        "--compare",
        "sigmoid,cb-focal+by-sample,distribution-balanced",
        "--epochs",
        "5",
        "--seeds",
        "2",
    ]);
    assert_eq!(v["task"]["data"], "multi-label-toy");
    assert_eq!(v["task"]["unit"], "samples carrying the class");
    assert_eq!(v["task"]["counts"].as_array().unwrap().len(), 10);
    let runs = v["runs"].as_array().unwrap();
    let names: Vec<&str> = runs.iter().map(|r| r["method"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        ["sigmoid", "cb-focal+by-sample", "distribution-balanced"]
    );
    for run in runs {
        let map = run["map"]["mean"].as_f64().unwrap();
        assert!(map > 0.3 && map <= 1.0, "{run}");
        assert!(
            run["map"]["sd"].as_f64().is_some(),
            "two seeds give a spread"
        );
        assert_eq!(run["seeds"].as_array().unwrap().len(), 2);
        for key in ["many_map", "medium_map", "few_map", "micro_f1", "macro_f1"] {
            assert!(run[key]["mean"].as_f64().is_some(), "{key}: {run}");
        }
    }
    // Two runs differing only in mode are two runs.
    let v = json_ok(&[
        "train",
        "--data",
        "multi-label-toy",
        "--compare",
        "cb-sigmoid,cb-sigmoid+by-sample",
        "--epochs",
        "3",
    ]);
    let maps: Vec<f64> = v["runs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["map"]["mean"].as_f64().unwrap())
        .collect();
    assert_ne!(maps[0], maps[1]);
    // Repeat-factor sampling of images: another run, named as written.
    let v = json_ok(&[
        "train",
        "--data",
        "multi-label-toy",
        "--compare",
        "sigmoid,sigmoid@repeat-factor:0.2",
        "--epochs",
        "3",
    ]);
    assert_eq!(v["runs"][1]["method"], "sigmoid@repeat-factor:0.2", "{v}");
    assert_ne!(v["runs"][0]["map"]["mean"], v["runs"][1]["map"]["mean"]);
    fails_with(
        &[
            "train",
            "--data",
            "multi-label-toy",
            "--compare",
            "sigmoid@sqrt",
        ],
        "no one meaning there",
    );
    let table = super::cblab(&[
        "train",
        "--data",
        "multi-label-toy",
        "--compare",
        "asymmetric",
        "--epochs",
        "2",
        "--format",
        "table",
    ]);
    assert!(
        String::from_utf8_lossy(&table.stdout)
            .starts_with("| method | mAP | many | medium | few | micro F1 |")
    );
    fails_with(
        &["train", "--data", "multi-label-toy", "--sweep"],
        "--sweep not on multi-label data",
    );
    fails_with(
        &[
            "train",
            "--data",
            "multi-label-toy",
            "--sampler",
            "class-balanced",
        ],
        "--sampler (with several labels a sample only repeat-factor[:t]) not on multi-label data",
    );
    // --sampler repeat-factor:t is every unsampled method's, as if written with @.
    let flag = json_ok(&[
        "train",
        "--data",
        "multi-label-toy",
        "--compare",
        "sigmoid,cb-focal@repeat-factor:0.5",
        "--sampler",
        "repeat-factor:0.2",
        "--epochs",
        "2",
    ]);
    let written = json_ok(&[
        "train",
        "--data",
        "multi-label-toy",
        "--compare",
        "sigmoid@repeat-factor:0.2,cb-focal@repeat-factor:0.5",
        "--epochs",
        "2",
    ]);
    assert_eq!(flag["runs"], written["runs"]);
    assert_eq!(flag["runs"][0]["method"], "sigmoid@repeat-factor:0.2");
    fails_with(
        &[
            "train",
            "--data",
            "multi-label-toy",
            "--compare",
            "cb-softmax",
        ],
        "not a multi-label loss",
    );
    fails_with(
        &[
            "train",
            "--data",
            "multi-label-toy",
            "--compare",
            "cb-distribution-balanced",
        ],
        "weights its terms itself",
    );
    fails_with(
        &["train", "--data", "multi-label-toy", "--classes", "40"],
        "2 to 20 classes",
    );
}

#[test]
fn train_on_fashion_mosaics() {
    let v = json_ok(&[
        "train",
        "--data",
        "fashion-mosaics",
        "--compare",
        "sigmoid,cb-focal+by-sample",
        "--epochs",
        "2",
    ]);
    assert_eq!(v["task"]["data"], "fashion-mosaics");
    assert_eq!(v["task"]["names"].as_array().unwrap().len(), 10);
    let counts = numbers(&v["task"]["counts"]);
    assert!(counts[0] > 20.0 * counts[9], "long-tailed: {counts:?}");
    for run in v["runs"].as_array().unwrap() {
        assert!(run["map"]["mean"].as_f64().unwrap() > 0.15, "{run}");
    }
    fails_with(
        &["train", "--data", "fashion-mosaics", "--classes", "5"],
        "--classes (the mosaics have Fashion-MNIST's 10) not on multi-label data",
    );
}

#[test]
fn the_toy_task_flags_are_refused_on_multi_label_data() {
    for (flag, value) in [
        ("--noise", "0.3"),
        ("--test-per-class", "50"),
        ("--profile", "step"),
    ] {
        fails_with(
            &["train", "--data", "multi-label-toy", flag, value],
            &format!("{flag} not on multi-label data"),
        );
    }
}
