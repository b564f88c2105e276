//! One step's forward and backward pass over a batch split in shards (two
//! cores natively), and the weighted loss with its gradient on the logits,
//! reduced as the official code does: sum over the batch of w_y * loss,
//! divided by the batch size.

use ndarray::Array2;

use crate::train::config::TrainLoss;
use crate::train::flush::{FlushToZero, flush};
use crate::train::mlp::{Mlp, Workspace};

/// Batches of at least this many samples are split in two shards, which run
/// on two cores natively. The split depends on the batch size only, so the
/// numbers are the same natively and in wasm.
pub const SHARDED_FROM: usize = 128;

/// A batch split in shards, each with its own buffers, and the batch's
/// gradient, summed in shard order however the shards ran.
#[derive(Clone, Debug)]
pub struct ShardedBatch {
    shards: Vec<Shard>,
    grad: Vec<f32>,
}

impl ShardedBatch {
    /// Buffers for batches of `batch` samples of `dim` features and a model
    /// with `params` parameters.
    pub fn new(batch: usize, dim: usize, params: usize) -> Self {
        let sizes = if batch >= SHARDED_FROM {
            vec![batch / 2, batch - batch / 2]
        } else {
            vec![batch]
        };
        Self {
            shards: sizes
                .into_iter()
                .map(|n| Shard {
                    x: Array2::zeros((n, dim)),
                    y: vec![0; n],
                    rows: vec![0; n],
                    work: Workspace::default(),
                    grad: vec![0.0; params],
                    loss: 0.0,
                })
                .collect(),
            grad: vec![0.0; params],
        }
    }

    /// Copies the samples at `indices` (one per row of the batch) into the shards.
    pub fn gather(&mut self, indices: &[u32], points: &Array2<f32>, labels: &[usize]) {
        let mut next = indices.iter();
        for shard in &mut self.shards {
            for (row, y) in shard.y.iter_mut().enumerate() {
                let i = *next.next().expect("the shards split the batch");
                shard.x.row_mut(row).assign(&points.row(i as usize));
                shard.rows[row] = i;
                *y = labels[i as usize];
            }
        }
    }

    /// Copies the samples at `indices` into the shards, without labels (for
    /// [`Self::loss_and_grad_with`], which finds the rows' targets itself).
    pub fn gather_points(&mut self, indices: &[u32], points: &Array2<f32>) {
        let mut next = indices.iter();
        for shard in &mut self.shards {
            for (row, slot) in shard.rows.iter_mut().enumerate() {
                let i = *next.next().expect("the shards split the batch");
                shard.x.row_mut(row).assign(&points.row(i as usize));
                *slot = i;
            }
        }
    }

    /// The gathered batch's loss; its gradient is then in [`Self::grad`].
    pub fn loss_and_grad(
        &mut self,
        model: &Mlp<f32>,
        loss: &TrainLoss,
        class_weights: &[f32],
    ) -> f32 {
        let batch = self.shards.iter().map(|s| s.y.len()).sum();
        self.loss_and_grad_with(
            model,
            &|shard: &ShardRows<'_>, work: &mut Workspace<f32>| {
                weighted_loss_grad(loss, class_weights, shard.labels, batch, work)
            },
        )
    }

    /// The gathered batch's loss, with d loss / d logits filled by
    /// `output_grad` for each shard's rows (their share of the batch loss);
    /// the gradient is then in [`Self::grad`]. The multi-label trainer's way in.
    pub fn loss_and_grad_with(&mut self, model: &Mlp<f32>, output_grad: &OutputGrad<'_>) -> f32 {
        run_shards(&mut self.shards, model, output_grad);
        self.grad.copy_from_slice(&self.shards[0].grad);
        let mut value = self.shards[0].loss;
        for shard in &self.shards[1..] {
            for (g, s) in self.grad.iter_mut().zip(&shard.grad) {
                *g += s;
            }
            value += shard.loss;
        }
        value
    }

    /// The gradient of the last [`Self::loss_and_grad`].
    pub fn grad(&self) -> &[f32] {
        &self.grad
    }
}

/// A shard's rows: their labels and their indices in the training set.
pub struct ShardRows<'a> {
    /// The class of each row (single-label data).
    pub labels: &'a [usize],
    /// Each row's index in the training set.
    pub rows: &'a [u32],
}

/// Fills d loss / d logits of a shard's rows (in the workspace, after the
/// forward pass) and returns their share of the batch loss.
pub type OutputGrad<'a> = dyn Fn(&ShardRows<'_>, &mut Workspace<f32>) -> f32 + Sync + 'a;

/// A slice of a batch with its own buffers.
#[derive(Clone, Debug)]
struct Shard {
    x: Array2<f32>,
    y: Vec<usize>,
    rows: Vec<u32>,
    work: Workspace<f32>,
    grad: Vec<f32>,
    loss: f32,
}

impl Shard {
    /// This shard's share of the batch loss and of its gradient.
    fn run(&mut self, model: &Mlp<f32>, output_grad: &OutputGrad<'_>) {
        // On whichever thread runs the shard (rayon's, natively).
        let _flush = FlushToZero::enable();
        model.forward(self.x.view(), &mut self.work);
        let rows = ShardRows {
            labels: &self.y,
            rows: &self.rows,
        };
        self.loss = output_grad(&rows, &mut self.work);
        model.backward(self.x.view(), &mut self.work, &mut self.grad);
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn run_shards(shards: &mut [Shard], model: &Mlp<f32>, output_grad: &OutputGrad<'_>) {
    match shards {
        [a, b] => {
            rayon::join(|| a.run(model, output_grad), || b.run(model, output_grad));
        }
        _ => shards.iter_mut().for_each(|s| s.run(model, output_grad)),
    }
}

#[cfg(target_arch = "wasm32")]
fn run_shards(shards: &mut [Shard], model: &Mlp<f32>, output_grad: &OutputGrad<'_>) {
    shards.iter_mut().for_each(|s| s.run(model, output_grad));
}

/// Fills d loss / d logits for the rows in `work` and returns their share of
/// the batch loss: sum_i w_{y_i} loss_i / B, with B = `batch`. Gradients
/// below [`crate::train::flush::TINY`] (a well-classified sample's other
/// classes) are zero, so the backward pass multiplies no subnormals.
pub fn weighted_loss_grad(
    loss: &TrainLoss,
    class_weights: &[f32],
    labels: &[usize],
    batch: usize,
    work: &mut Workspace<f32>,
) -> f32 {
    let (logits, out_grad) = work.logits_and_output_grad();
    let scale = 1.0 / batch as f32;
    let mut total = 0.0;
    for ((z, mut g), &y) in logits
        .rows()
        .into_iter()
        .zip(out_grad.rows_mut())
        .zip(labels)
    {
        let z = z.as_slice().expect("workspace rows are contiguous");
        let g = g.as_slice_mut().expect("workspace rows are contiguous");
        let w = class_weights[y] * scale;
        total += w * loss.sample(z, y, g);
        g.iter_mut().for_each(|v| *v = flush(*v * w));
    }
    total
}
