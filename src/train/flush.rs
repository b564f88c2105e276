//! Keeping subnormal floats out of training. A subnormal (|x| < 1.2e-38 in
//! f32) costs a CPU tens to hundreds of cycles per operation unless the
//! thread flushes them, which Rust does not and WebAssembly cannot. Training
//! makes them all the time: a well-classified sample's softmax gives other
//! classes probabilities of 1e-37, whose gradients Adam's first moment then
//! scales by 0.1 into the subnormal range, and a dead unit's moments decay
//! into it step after step (after 2,000 Adam steps of the benchmark's
//! 2-64-64-10 network, 1,376 of its 4,874 first moments were subnormal; on
//! an Intel host that made batch-32 training 6x slower).
//!
//! So the arithmetic flushes them itself, natively and in wasm alike:
//! d loss / d logits, gradients and first moments below [`TINY`] in
//! magnitude are zero, second moments below `TINY^2`. Nothing that small
//! moves an f32 parameter: with Adam, a gradient g < [`TINY`] changes a
//! parameter by at most lr g / epsilon = lr x 1e-7, below the rounding of
//! any parameter of magnitude 0.1 or more, and with SGD by lr x 1e-15. And
//! since every such value is at least [`TINY`] (or zero), no product the
//! optimiser forms (0.1 x m, 0.001 x g^2, 0.999 x v) can underflow.
//!
//! Natively the training threads also set the CPU's flush-to-zero and
//! denormals-are-zero modes ([`FlushToZero`]) for the products inside the
//! matrix multiplications, restored when training hands the thread back.

use crate::train::mlp::Scalar;

/// Gradients and first moments below this magnitude are zero (second moments below its square).
pub const TINY: f64 = 1e-15;

/// `x`, or zero when |x| < [`TINY`]. Written as a select, so loops over it vectorise.
#[inline]
pub fn flush<F: Scalar>(x: F) -> F {
    let tiny = F::from(TINY).expect("TINY is a normal f32 and f64");
    if x.abs() < tiny { F::zero() } else { x }
}

/// A second moment (a mean of squares), or zero when it is below `TINY^2`.
#[inline]
pub fn flush_square<F: Scalar>(x: F) -> F {
    let tiny = F::from(TINY * TINY).expect("TINY^2 is a normal f32 and f64");
    if x < tiny { F::zero() } else { x }
}

/// While alive, the current thread flushes subnormal results to zero and
/// reads subnormal inputs as zero (x86-64: MXCSR's FTZ and DAZ bits; AArch64:
/// FPCR's FZ bit); dropping it restores the thread's previous mode. Elsewhere
/// (wasm32 among others) it does nothing, and the arithmetic's own flushing
/// is what keeps training fast.
#[must_use = "the mode lasts only while the guard lives"]
pub struct FlushToZero {
    #[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
    saved: u64,
}

impl FlushToZero {
    /// Sets the modes on this thread.
    pub fn enable() -> Self {
        #[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
        {
            let saved = mode::read();
            mode::write(saved | mode::FLUSH_BITS);
            Self { saved }
        }
        #[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
        Self {}
    }
}

impl Drop for FlushToZero {
    fn drop(&mut self) {
        #[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
        mode::write(self.saved);
    }
}

#[cfg(target_arch = "x86_64")]
mod mode {
    /// MXCSR's flush-to-zero (bit 15) and denormals-are-zero (bit 6).
    pub const FLUSH_BITS: u64 = 0x8040;

    pub fn read() -> u64 {
        let mut csr: u32 = 0;
        // SAFETY: stmxcsr stores the 32-bit MXCSR at the given address, a live local.
        unsafe {
            std::arch::asm!("stmxcsr [{}]", in(reg) &mut csr, options(nostack, preserves_flags));
        }
        csr as u64
    }

    pub fn write(csr: u64) {
        let csr = csr as u32;
        // SAFETY: ldmxcsr loads MXCSR from a live local; only rounding and
        // flushing modes change, every exception stays masked as it was.
        unsafe {
            std::arch::asm!("ldmxcsr [{}]", in(reg) &csr, options(nostack, readonly, preserves_flags));
        }
    }
}

#[cfg(target_arch = "aarch64")]
mod mode {
    /// FPCR's flush-to-zero (bit 24), for inputs and results alike.
    pub const FLUSH_BITS: u64 = 1 << 24;

    pub fn read() -> u64 {
        let fpcr: u64;
        // SAFETY: reading FPCR has no side effects.
        unsafe {
            std::arch::asm!("mrs {}, fpcr", out(reg) fpcr, options(nomem, nostack, preserves_flags));
        }
        fpcr
    }

    pub fn write(fpcr: u64) {
        // SAFETY: writing FPCR changes only floating-point modes of this thread.
        unsafe {
            std::arch::asm!("msr fpcr, {}", in(reg) fpcr, options(nomem, nostack, preserves_flags));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hint::black_box;

    use ndarray::Array2;

    use crate::balance::effective_number::Beta;
    use crate::balance::weights::{SchemeKind, class_weights};
    use crate::data::toy_data::{ToyConfig, make_toy_task};
    use crate::train::batches::BatchSampler;
    use crate::train::config::TrainConfig;
    use crate::train::mlp::{Mlp, MlpConfig, Workspace};
    use crate::train::optimizer::{Optimizer, OptimizerKind};
    use crate::train::shards::weighted_loss_grad;
    use crate::train::trainer::CpuTrainer;

    fn subnormals(values: &[f32]) -> usize {
        values.iter().filter(|v| v.is_subnormal()).count()
    }

    /// The benchmark's network (2-64-64-10, CB softmax, Adam, batch 32) for
    /// 3,000 steps, step by step from the core's pieces on this thread,
    /// which does not flush: before the arithmetic flushed, its first
    /// moments held over 1,000 subnormals by step 2,000. Now none arise,
    /// in parameters, gradients, moments or the backward pass.
    #[test]
    fn long_training_makes_no_subnormals() {
        let counts = vec![2000u64; 10];
        let task = make_toy_task(&counts, &ToyConfig::default()).unwrap();
        let config = MlpConfig {
            hidden: 64,
            ..MlpConfig::default()
        };
        let mut model = Mlp::<f32>::new(&config, 2, 10, false, 0);
        let mut optimizer = Optimizer::<f32>::new(OptimizerKind::ADAM, model.params.len());
        let beta = Beta::new(0.9999).unwrap();
        let weights: Vec<f32> = class_weights(&counts, SchemeKind::Cb.with_beta(beta))
            .unwrap()
            .weights
            .iter()
            .map(|&w| w as f32)
            .collect();
        let loss = crate::train::config::TrainLoss::Paper(crate::balance::losses::Loss::Softmax);
        let batch = 32;
        let mut sampler = BatchSampler::new(task.train.len(), 0);
        let (mut indices, mut labels) = (vec![0u32; batch], vec![0usize; batch]);
        let mut x = Array2::<f32>::zeros((batch, 2));
        let mut work = Workspace::default();
        let mut grad = vec![0.0f32; model.params.len()];
        let mut seen = 0;
        for _ in 0..3000 {
            sampler.next_batch(&mut indices);
            for (row, &i) in indices.iter().enumerate() {
                let [a, b] = task.train.points().unwrap()[i as usize];
                (x[[row, 0]], x[[row, 1]]) = (a, b);
                labels[row] = task.train.labels[i as usize];
            }
            model.forward(x.view(), &mut work);
            weighted_loss_grad(&loss, &weights, &labels, batch, &mut work);
            model.backward(x.view(), &mut work, &mut grad);
            optimizer.update(&mut model.params, &grad, 0.01);
            let (first, second) = optimizer.moments();
            seen += subnormals(&grad) + subnormals(first) + subnormals(second);
            seen += work
                .deltas
                .iter()
                .map(|d| subnormals(d.as_slice().unwrap()))
                .sum::<usize>();
        }
        assert_eq!(seen, 0, "subnormals seen over the run");
        assert_eq!(subnormals(&model.params), 0);
    }

    /// The same through the trainer (natively with the CPU's flushing on too),
    /// for SGD as well: nothing subnormal in its state at the end.
    #[test]
    fn the_trainer_state_holds_no_subnormals() {
        let task = make_toy_task(&[2000, 600, 120, 40, 12], &ToyConfig::default()).unwrap();
        for optimizer in [OptimizerKind::ADAM, OptimizerKind::SGD] {
            let config = TrainConfig {
                scheme: SchemeKind::Cb,
                optimizer,
                batch: Some(32),
                epochs: 30,
                ..TrainConfig::default()
            };
            let mut trainer = CpuTrainer::new(&task.train, &task.counts, &config).unwrap();
            trainer.run_to_end();
            let state = trainer.state();
            let (first, second) = state.optimizer.moments();
            assert_eq!(
                subnormals(&state.params) + subnormals(first) + subnormals(second),
                0,
                "{optimizer:?}"
            );
        }
    }

    #[test]
    fn tiny_values_flush_and_others_stay() {
        assert_eq!(flush(1e-16f32), 0.0);
        assert_eq!(flush(-1e-16f32), 0.0);
        assert_eq!(flush(2e-15f32), 2e-15);
        assert_eq!(flush(-0.5f64), -0.5);
        assert_eq!(flush_square(1e-31f32), 0.0);
        assert_eq!(flush_square(2e-30f32), 2e-30);
        // No product the optimiser forms from unflushed values underflows.
        let smallest = flush(1.0001e-15f32);
        assert!((0.1 * smallest).is_normal() && (0.001 * smallest * smallest).is_normal());
        assert!((0.999 * flush_square(1.0001e-30f32)).is_normal());
    }

    #[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
    #[test]
    fn the_guard_flushes_and_restores() {
        let product = || black_box(1e-30f32) * black_box(1e-10f32);
        assert!(product().is_subnormal());
        {
            let _guard = FlushToZero::enable();
            assert_eq!(product(), 0.0);
            let nested = FlushToZero::enable();
            drop(nested);
            assert_eq!(product(), 0.0, "an inner guard restores the outer mode");
        }
        assert!(
            product().is_subnormal(),
            "dropping the guard restores the mode"
        );
    }
}
