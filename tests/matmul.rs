//! The trainer's matrix products against the obviously right reference, in
//! every layout the MLP uses and in awkward sizes (remainders of every tile).
//! Runs natively (`cargo test`, ndarray's GEMM) and in wasm with simd128
//! (`cargo test --target wasm32-unknown-unknown --test matmul`, in node),
//! where it checks the SIMD kernels, and that the build really uses them.

use cblab_matmul::{SIMD, matmul, matmul_reference};
use ndarray::Array2;
use wasm_bindgen_test::wasm_bindgen_test;

/// A seeded matrix of values in [-1, 1).
fn matrix(rows: usize, cols: usize, seed: u32) -> Array2<f32> {
    let mut state = seed.wrapping_mul(2_654_435_761).wrapping_add(1);
    Array2::from_shape_fn((rows, cols), |_| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        (state >> 8) as f32 / (1u32 << 23) as f32 - 1.0
    })
}

fn assert_close(fast: &Array2<f32>, reference: &Array2<f32>, what: &str) {
    for (f, r) in fast.iter().zip(reference) {
        assert!(
            (f - r).abs() <= 1e-5 * (1.0 + r.abs()),
            "{what}: {f} vs {r}"
        );
    }
}

#[wasm_bindgen_test]
#[test]
fn every_layout_matches_the_reference() {
    // (rows, inner, columns): the MLP's shapes and every remainder of the tiles.
    let shapes = [
        (32, 64, 64),
        (128, 64, 10),
        (13, 7, 9),
        (1, 1, 1),
        (5, 3, 4),
        (9, 16, 17),
        (4, 0, 3),
    ];
    for (seed, &(m, k, n)) in shapes.iter().enumerate() {
        let seed = seed as u32;
        for beta in [0.0, 1.0, 0.5] {
            let start = matrix(m, n, seed + 100);
            // Forward: x W, both row-major.
            let (x, w) = (matrix(m, k, seed), matrix(k, n, seed + 1));
            let (mut fast, mut slow) = (start.clone(), start.clone());
            matmul(x.view(), w.view(), beta, &mut fast.view_mut());
            matmul_reference(x.view(), w.view(), beta, &mut slow.view_mut());
            assert_close(&fast, &slow, &format!("x W {m}x{k}x{n} beta {beta}"));
            // Weight gradients: x^T delta.
            let (x, delta) = (matrix(k, m, seed + 2), matrix(k, n, seed + 3));
            let (mut fast, mut slow) = (start.clone(), start.clone());
            matmul(x.t(), delta.view(), beta, &mut fast.view_mut());
            matmul_reference(x.t(), delta.view(), beta, &mut slow.view_mut());
            assert_close(&fast, &slow, &format!("x^T delta {m}x{k}x{n} beta {beta}"));
            // Input gradients: delta W^T.
            let (delta, w) = (matrix(m, k, seed + 4), matrix(n, k, seed + 5));
            let (mut fast, mut slow) = (start.clone(), start.clone());
            matmul(delta.view(), w.t(), beta, &mut fast.view_mut());
            matmul_reference(delta.view(), w.t(), beta, &mut slow.view_mut());
            assert_close(&fast, &slow, &format!("delta W^T {m}x{k}x{n} beta {beta}"));
            // Neither operand contiguous the kernels' way: ndarray's GEMM.
            let (a, b) = (matrix(k, m, seed + 6), matrix(n, k, seed + 7));
            let (mut fast, mut slow) = (start.clone(), start.clone());
            matmul(a.t(), b.t(), beta, &mut fast.view_mut());
            matmul_reference(a.t(), b.t(), beta, &mut slow.view_mut());
            assert_close(&fast, &slow, &format!("a^T b^T {m}x{k}x{n} beta {beta}"));
        }
    }
}

/// The wasm build multiplies with the SIMD kernels (the site is built the same way).
#[wasm_bindgen_test]
#[test]
fn wasm_builds_use_simd() {
    assert_eq!(
        SIMD,
        cfg!(target_arch = "wasm32"),
        "wasm32 builds need -C target-feature=+simd128"
    );
}
