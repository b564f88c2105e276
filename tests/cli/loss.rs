//! `cblab loss`: a loss case's value and gradient, equal to the library's.

use cblab::balance::effective_number::Beta;
use cblab::balance::losses::{Loss, batch_loss};
use cblab::balance::weights::class_balanced_weights;
use serde_json::Value;

use super::{fails_with, json_ok, scratch};

#[test]
fn loss_equals_the_library() {
    let dir = scratch();
    let case = dir.path().join("case.json");
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
}

/// The adjusted softmaxes, weighted or not, equal the library; bad values are refused by name.
#[test]
fn loss_cases_of_the_methods_that_came_after() {
    use cblab::balance::adjusted_softmax::AdjustedSoftmax;
    use cblab::balance::weights::{SchemeKind, class_weights};
    let dir = scratch();
    let case = dir.path().join("case.json");
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
}
