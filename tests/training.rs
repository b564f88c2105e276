//! The training engine end to end: class-balanced loss must help the tail on
//! the default toy task, and the whole paper grid must train.

use cblab::balance::loss_kind::LossKind;
use cblab::balance::weights::SchemeKind;
use cblab::data::profiles::Profile;
use cblab::data::toy_data::{ToyConfig, make_toy_task};
use cblab::train::config::TrainConfig;
use cblab::train::experiments::train_and_evaluate;

fn default_counts() -> Vec<u64> {
    Profile::Exponential {
        classes: 10,
        max: 500,
        imbalance: 100.0,
    }
    .counts()
    .unwrap()
}

#[test]
fn class_balanced_beats_softmax_on_the_tail() {
    let task = make_toy_task(&default_counts(), &ToyConfig::default()).unwrap();
    let softmax = train_and_evaluate(
        &task.train,
        &task.test,
        &task.counts,
        &TrainConfig::default(),
    )
    .unwrap();
    let cb = TrainConfig {
        scheme: SchemeKind::Cb,
        beta: 0.9999,
        ..TrainConfig::default()
    };
    let cb = train_and_evaluate(&task.train, &task.test, &task.counts, &cb).unwrap();
    assert!(
        cb.metrics.balanced_accuracy > softmax.metrics.balanced_accuracy + 0.05,
        "CB {} vs softmax {}",
        cb.metrics.balanced_accuracy,
        softmax.metrics.balanced_accuracy
    );
    assert!(cb.metrics.few_shot.unwrap() > softmax.metrics.few_shot.unwrap() + 0.2);
    // What it costs: the head classes lose some accuracy.
    assert!(cb.metrics.many_shot.unwrap() < softmax.metrics.many_shot.unwrap());
}

#[test]
fn beta_zero_is_the_unweighted_loss() {
    let task = make_toy_task(&default_counts(), &ToyConfig::default()).unwrap();
    for loss in LossKind::ALL {
        let plain = TrainConfig {
            loss,
            epochs: 3,
            ..TrainConfig::default()
        };
        let beta0 = TrainConfig {
            scheme: SchemeKind::Cb,
            beta: 0.0,
            ..plain
        };
        let a = train_and_evaluate(&task.train, &task.test, &task.counts, &plain).unwrap();
        let b = train_and_evaluate(&task.train, &task.test, &task.counts, &beta0).unwrap();
        assert_eq!(a.metrics, b.metrics, "{loss:?}");
        assert_eq!(a.loss_history, b.loss_history, "{loss:?}");
    }
}
