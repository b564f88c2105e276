//! `cblab counts` and `cblab presets`: profiles, presets and their names.

use super::{fails_with, json_ok};

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
