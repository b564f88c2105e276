//! Seeded means the same bits everywhere: this file runs natively (`cargo
//! test`) and in wasm (`cargo test --target wasm32-unknown-unknown --test
//! determinism`, in node), and both must find the same pinned checksums.

use cblab::data::profiles::Profile;
use cblab::data::toy_data::{ToyConfig, make_toy_task};
use cblab::train::mlp::{Mlp, MlpConfig};
use wasm_bindgen_test::wasm_bindgen_test;

/// FNV-1a over the bits of every value.
fn checksum(values: impl IntoIterator<Item = u32>) -> u64 {
    values.into_iter().fold(0xcbf2_9ce4_8422_2325, |h, v| {
        v.to_le_bytes()
            .iter()
            .fold(h, |h, &b| (h ^ b as u64).wrapping_mul(0x0100_0000_01b3))
    })
}

fn default_counts() -> Vec<u64> {
    Profile::Exponential {
        classes: 10,
        max: 500,
        imbalance: 100.0,
    }
    .counts()
    .unwrap()
}

#[wasm_bindgen_test]
#[test]
fn toy_data_bits_are_pinned() {
    let task = make_toy_task(
        &default_counts(),
        &ToyConfig {
            seed: 7,
            ..ToyConfig::default()
        },
    )
    .unwrap();
    let bits = |d: &cblab::data::dataset::Dataset| {
        checksum(
            d.features
                .iter()
                .map(|v| v.to_bits())
                .chain(d.labels.iter().map(|&l| l as u32)),
        )
    };
    assert_eq!(task.train.len(), 1236);
    assert_eq!(bits(&task.train), 1464102031959752041, "train");
    assert_eq!(bits(&task.test), 18062565365305313728, "test");
}

#[wasm_bindgen_test]
#[test]
fn initial_weights_bits_are_pinned() {
    let mlp = Mlp::<f32>::new(&MlpConfig::default(), 2, 10, true, 7);
    assert_eq!(
        checksum(mlp.params.iter().map(|v| v.to_bits())),
        15381301773190309767,
        "init"
    );
}
