//! Training the MLP with a class-balanced loss on the CPU, in f32 with
//! ndarray, a chunk of steps at a time so a page can animate it. The batches
//! come from [`crate::train::batches`], a step's passes from
//! [`crate::train::shards`].

use ndarray::Array2;

use crate::data::dataset::Dataset;
use crate::train::batches::BatchSampler;
use crate::train::config::{TrainConfig, TrainError, TrainLoss, validate};
use crate::train::flush::FlushToZero;
use crate::train::metrics::{Metrics, metrics};
use crate::train::mlp::Mlp;
use crate::train::optimizer::Optimizer;
use crate::train::prediction::{predict, predict_run};
use crate::train::progress::{Progress, StepReport, TrainState};
use crate::train::shards::ShardedBatch;

/// A training run on the CPU.
#[derive(Clone, Debug)]
pub struct CpuTrainer {
    config: TrainConfig,
    loss: TrainLoss,
    model: Mlp<f32>,
    optimizer: Optimizer<f32>,
    class_weights: Vec<f32>,
    /// Before this step every class weighs 1 (deferred re-weighting).
    reweight_from: usize,
    ones: Vec<f32>,
    points: Array2<f32>,
    labels: Vec<usize>,
    sampler: BatchSampler,
    indices: Vec<u32>,
    batch: ShardedBatch,
    progress: Progress,
}

impl CpuTrainer {
    /// A trainer for `train`, whose class counts are `counts`.
    pub fn new(train: &Dataset, counts: &[u64], config: &TrainConfig) -> Result<Self, TrainError> {
        if counts.len() != train.classes || counts.iter().sum::<u64>() != train.len() as u64 {
            return Err(TrainError::Counts);
        }
        let (loss, weights) = validate(config, counts)?;
        let n = train.len();
        let batch = config.batch.unwrap_or(n).min(n);
        let model = Mlp::new(
            &config.model,
            train.dim,
            train.classes,
            loss.uses_prior_bias(),
            config.seed,
        )
        .with_cosine_logits(config.cosine_logits());
        let params = model.params.len();
        Ok(Self {
            config: *config,
            loss,
            optimizer: Optimizer::new(config.optimizer, params),
            model,
            class_weights: weights.iter().map(|&w| w as f32).collect(),
            reweight_from: config.reweight_from(n.div_ceil(batch.max(1)).max(1)),
            ones: vec![1.0; weights.len()],
            points: train.matrix().to_owned(),
            labels: train.labels.clone(),
            sampler: config.batch_stream(train, batch),
            indices: vec![0; batch],
            batch: ShardedBatch::new(batch, train.dim, params),
            progress: Progress::new(config.epochs, n, batch),
        })
    }

    /// A trainer that carries on from `state` (taken after `state.progress.steps()`
    /// steps of the same configuration on the same data).
    pub fn resume(
        train: &Dataset,
        counts: &[u64],
        config: &TrainConfig,
        state: TrainState,
    ) -> Result<Self, TrainError> {
        let mut trainer = Self::new(train, counts, config)?;
        if state.params.len() != trainer.model.params.len()
            || state.progress.total_steps() != trainer.total_steps()
        {
            return Err(TrainError::State);
        }
        trainer
            .sampler
            .skip(state.progress.steps() * trainer.batch_size());
        trainer.model.params = state.params;
        trainer.optimizer = state.optimizer;
        trainer.progress = state.progress;
        Ok(trainer)
    }

    /// The run's state now.
    pub fn state(&self) -> TrainState {
        TrainState {
            params: self.model.params.clone(),
            optimizer: self.optimizer.clone(),
            progress: self.progress.clone(),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &TrainConfig {
        &self.config
    }

    /// The network as it is now.
    pub fn model(&self) -> &Mlp<f32> {
        &self.model
    }

    /// The class weights in use.
    pub fn class_weights(&self) -> &[f32] {
        &self.class_weights
    }

    /// Steps done so far.
    pub fn steps(&self) -> usize {
        self.progress.steps()
    }

    /// Steps the whole run takes: epochs x ceil(n / batch).
    pub fn total_steps(&self) -> usize {
        self.progress.total_steps()
    }

    /// Steps in one epoch.
    pub fn steps_per_epoch(&self) -> usize {
        self.progress.steps_per_epoch()
    }

    /// Samples per step.
    pub fn batch_size(&self) -> usize {
        self.indices.len()
    }

    /// Whether every step has run.
    pub fn finished(&self) -> bool {
        self.progress.remaining() == 0
    }

    /// Mean training loss of each finished epoch.
    pub fn history(&self) -> &[f32] {
        self.progress.history()
    }

    /// Runs up to `k` more steps (fewer at the end of the run).
    pub fn step(&mut self, k: usize) -> StepReport {
        let _flush = FlushToZero::enable();
        let k = k.min(self.progress.remaining());
        let mut sum = 0.0;
        for _ in 0..k {
            let loss = self.one_step();
            sum += loss as f64;
            self.progress.record(loss);
        }
        StepReport {
            steps: self.steps(),
            total_steps: self.total_steps(),
            loss: if k == 0 {
                f32::NAN
            } else {
                (sum / k as f64) as f32
            },
        }
    }

    /// Runs every remaining step.
    pub fn run_to_end(&mut self) {
        self.step(self.progress.remaining());
    }

    /// The indices of the next batch, without consuming them (for parity tests).
    pub fn peek_batch(&self) -> Vec<u32> {
        let mut sampler = self.sampler.clone();
        let mut out = vec![0; self.batch_size()];
        sampler.next_batch(&mut out);
        out
    }

    fn one_step(&mut self) -> f32 {
        self.sampler.next_batch(&mut self.indices);
        self.batch.gather(&self.indices, &self.points, &self.labels);
        // Deferred re-weighting: every class weighs 1 until its step.
        let weights = if self.progress.steps() < self.reweight_from {
            &self.ones
        } else {
            &self.class_weights
        };
        let value = self.batch.loss_and_grad(&self.model, &self.loss, weights);
        let lr = self.config.learning_rate as f32;
        self.optimizer
            .update(&mut self.model.params, self.batch.grad(), lr);
        value
    }

    /// Predicted classes of these samples (one a row).
    pub fn predict(&self, samples: ndarray::ArrayView2<'_, f32>) -> Vec<usize> {
        predict(&self.model, samples)
    }

    /// Metrics on a test set, with shot groups from the training counts.
    /// (With the run's post-hoc adjustment, if it has one.)
    pub fn evaluate(&self, test: &Dataset, train_counts: &[u64]) -> Metrics {
        let predicted = predict_run(&self.config, &self.model, test.matrix(), train_counts);
        metrics(&predicted, &test.labels, train_counts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::balance::loss_kind::LossKind;
    use crate::balance::weights::SchemeKind;
    use crate::data::toy_data::{ToyConfig, ToyTask, make_toy_task};
    use crate::train::mlp::{Scalar, Workspace};
    use crate::train::optimizer::OptimizerKind;

    fn task() -> ToyTask {
        make_toy_task(&[200, 60, 12], &ToyConfig::default()).unwrap()
    }

    #[test]
    fn same_seed_same_numbers() {
        let t = task();
        let config = TrainConfig {
            epochs: 3,
            ..TrainConfig::default()
        };
        let mut a = CpuTrainer::new(&t.train, &t.counts, &config).unwrap();
        let mut b = CpuTrainer::new(&t.train, &t.counts, &config).unwrap();
        a.run_to_end();
        b.run_to_end();
        assert_eq!(a.model().params, b.model().params);
        assert_eq!(a.history(), b.history());
        let mut c =
            CpuTrainer::new(&t.train, &t.counts, &TrainConfig { seed: 1, ..config }).unwrap();
        c.run_to_end();
        assert_ne!(a.model().params, c.model().params);
    }

    #[test]
    fn chunks_add_up_to_the_whole_run() {
        let t = task();
        let config = TrainConfig {
            epochs: 2,
            batch: Some(64),
            ..TrainConfig::default()
        };
        let mut whole = CpuTrainer::new(&t.train, &t.counts, &config).unwrap();
        whole.run_to_end();
        let mut chunked = CpuTrainer::new(&t.train, &t.counts, &config).unwrap();
        while !chunked.finished() {
            let report = chunked.step(3);
            assert!(report.loss.is_finite());
        }
        assert_eq!(whole.model().params, chunked.model().params);
        assert_eq!(chunked.steps(), 2 * 272usize.div_ceil(64));
        assert_eq!(chunked.history().len(), 2);
        assert!(chunked.step(5).loss.is_nan());
    }

    #[test]
    fn a_resumed_run_ends_where_the_whole_run_ends() {
        let t = task();
        for optimizer in [OptimizerKind::ADAM, OptimizerKind::SGD] {
            let config = TrainConfig {
                epochs: 3,
                batch: Some(64),
                optimizer,
                ..TrainConfig::default()
            };
            let mut whole = CpuTrainer::new(&t.train, &t.counts, &config).unwrap();
            whole.run_to_end();
            let mut first = CpuTrainer::new(&t.train, &t.counts, &config).unwrap();
            // Stop mid-epoch, mid-permutation.
            first.step(7);
            let mut rest = CpuTrainer::resume(&t.train, &t.counts, &config, first.state()).unwrap();
            rest.run_to_end();
            assert_eq!(whole.model().params, rest.model().params, "{optimizer:?}");
            assert_eq!(whole.history(), rest.history());
        }
        let config = TrainConfig::default();
        let state = CpuTrainer::new(&t.train, &t.counts, &config)
            .unwrap()
            .state();
        let other = TrainConfig {
            epochs: 5,
            ..config
        };
        assert_eq!(
            CpuTrainer::resume(&t.train, &t.counts, &other, state).unwrap_err(),
            TrainError::State
        );
    }

    /// Deferred re-weighting: unweighted for the first epochs, then weighted,
    /// switching at the start of epoch round(drw_from x epochs).
    #[test]
    fn deferred_reweighting_switches_at_its_epoch() {
        let t = task();
        let drw = TrainConfig {
            scheme: SchemeKind::Cb,
            beta: 0.999,
            epochs: 10,
            batch: Some(64),
            drw_from: Some(0.3),
            ..TrainConfig::default()
        };
        let switch = drw.reweight_from(272usize.div_ceil(64));
        assert_eq!(switch, 15);
        let mut whole = CpuTrainer::new(&t.train, &t.counts, &drw).unwrap();
        whole.run_to_end();
        // Unweighted for `after` steps, then the weighted run resumed from there.
        let split = |after: usize| {
            let plain = TrainConfig {
                scheme: SchemeKind::None,
                drw_from: None,
                ..drw
            };
            let mut first = CpuTrainer::new(&t.train, &t.counts, &plain).unwrap();
            first.step(after);
            let weighted = TrainConfig {
                drw_from: None,
                ..drw
            };
            let mut rest =
                CpuTrainer::resume(&t.train, &t.counts, &weighted, first.state()).unwrap();
            rest.run_to_end();
            rest.model().params.clone()
        };
        assert_eq!(whole.model().params, split(switch));
        assert_ne!(whole.model().params, split(switch + 1));
        assert_ne!(whole.model().params, split(switch - 1));
    }

    /// The f32 trainer's first steps against the same steps in f64, written out
    /// with the f64 core (same batches, same weights).
    #[test]
    fn f32_trainer_tracks_the_f64_reference() {
        let t = task();
        for (loss, scheme) in [
            (LossKind::Softmax, SchemeKind::Cb),
            (LossKind::Sigmoid, SchemeKind::Inverse),
            (LossKind::Focal, SchemeKind::Cb),
            (LossKind::LogitAdjusted, SchemeKind::None),
            (LossKind::Ldam, SchemeKind::Cb),
        ] {
            let config = TrainConfig {
                loss,
                scheme,
                beta: 0.99,
                gamma: 0.5,
                optimizer: OptimizerKind::SGD,
                learning_rate: 0.05,
                // LDAM at its default scale of 30: its cosine logits keep it in range.
                ..TrainConfig::default()
            };
            let mut fast = CpuTrainer::new(&t.train, &t.counts, &config).unwrap();
            let (loss_fn, weights) = validate(&config, &t.counts).unwrap();
            let mut reference =
                Mlp::<f64>::new(&config.model, 2, 3, loss_fn.uses_prior_bias(), config.seed)
                    .with_cosine_logits(config.cosine_logits());
            let mut opt = Optimizer::<f64>::new(config.optimizer, reference.params.len());
            for _ in 0..20 {
                let batch = fast.peek_batch();
                let f32_loss = fast.step(1).loss;
                let (value, grad) =
                    reference_step(&reference, &t.train, &batch, &loss_fn, &weights);
                opt.update(&mut reference.params, &grad, config.learning_rate);
                assert!(
                    (value - f32_loss as f64).abs() < 1e-4 * (1.0 + value),
                    "{loss:?}: {value} vs {f32_loss}"
                );
            }
            for (a, b) in fast.model().params.iter().zip(&reference.params) {
                assert!((*a as f64 - b).abs() < 1e-3, "{loss:?}: {a} vs {b}");
            }
        }
    }

    fn reference_step<F: Scalar>(
        model: &Mlp<F>,
        train: &Dataset,
        batch: &[u32],
        loss: &TrainLoss,
        weights: &[f64],
    ) -> (f64, Vec<F>) {
        let x = Array2::from_shape_fn((batch.len(), train.dim), |(r, c)| {
            F::from(train.sample(batch[r] as usize)[c]).unwrap()
        });
        let mut work = Workspace::default();
        model.forward(x.view(), &mut work);
        let (logits, out_grad) = work.logits_and_output_grad();
        let mut total = 0.0;
        for (r, &i) in batch.iter().enumerate() {
            let y = train.labels[i as usize];
            let z: Vec<F> = logits.row(r).to_vec();
            let mut g = vec![F::zero(); z.len()];
            let w = weights[y] / batch.len() as f64;
            total += w * loss.sample(&z, y, &mut g).to_f64().unwrap();
            for (c, gc) in g.into_iter().enumerate() {
                out_grad[[r, c]] = gc * F::from(w).unwrap();
            }
        }
        let mut grad = vec![F::zero(); model.params.len()];
        model.backward(x.view(), &mut work, &mut grad);
        (total, grad)
    }

    #[test]
    fn learns_a_separable_task() {
        let t = make_toy_task(
            &[300, 300, 300],
            &ToyConfig {
                noise: 0.2,
                ..ToyConfig::default()
            },
        )
        .unwrap();
        let mut trainer = CpuTrainer::new(
            &t.train,
            &t.counts,
            &TrainConfig {
                epochs: 30,
                ..TrainConfig::default()
            },
        )
        .unwrap();
        trainer.run_to_end();
        let m = trainer.evaluate(&t.test, &t.counts);
        assert!(m.accuracy > 0.95, "{}", m.accuracy);
        assert!(trainer.history().first() > trainer.history().last());
    }

    #[test]
    fn bad_configs_are_errors() {
        let t = task();
        let bad = |c: TrainConfig| CpuTrainer::new(&t.train, &t.counts, &c).unwrap_err();
        let d = TrainConfig::default();
        assert!(matches!(
            bad(TrainConfig { beta: 1.0, ..d }),
            TrainError::Beta(_)
        ));
        assert!(matches!(
            bad(TrainConfig { gamma: -1.0, ..d }),
            TrainError::Gamma(_)
        ));
        assert!(matches!(
            bad(TrainConfig {
                learning_rate: 0.0,
                ..d
            }),
            TrainError::LearningRate(_)
        ));
        assert_eq!(
            bad(TrainConfig {
                batch: Some(0),
                ..d
            }),
            TrainError::Batch
        );
        assert_eq!(bad(TrainConfig { epochs: 0, ..d }), TrainError::Shape);
        assert_eq!(
            CpuTrainer::new(&t.train, &[1, 2, 3], &d).unwrap_err(),
            TrainError::Counts
        );
    }
}
