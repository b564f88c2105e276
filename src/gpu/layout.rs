//! Where every model's numbers lie in the GPU trainer's buffers, and the
//! per-layer constants the kernels read (the `Layer` struct of common.wgsl).
//!
//! The kernels work on tiles of 8 x 8 numbers held as `vec4`s (a CPU
//! emulator of a GPU, such as SwiftShader or lavapipe, runs them several
//! times faster than scalar loads), so every width is padded to a multiple
//! of 8 and every model's batch to a multiple of [`ROW_TILE`] rows. Pad
//! parameters are zeros and stay zero: a pad input meets a zero weight row,
//! a pad output has a zero weight column and bias, a zero gradient, and so
//! no optimiser step. Pad rows go through the network (their inputs are
//! zeros) but get no loss and zero deltas, and the gradients leave them out.
//! The parameters go in and come out in the CPU trainer's layout
//! ([`Layout::pad`], [`Layout::unpad`]).

use bytemuck::{Pod, Zeroable};

use crate::train::mlp::{Activation, LayerShape};

/// Rows one invocation of the forward and input-gradient kernels works on
/// (`ROW_TILE` in common.wgsl).
pub const ROW_TILE: usize = 8;

/// A width padded to a multiple of 8, in `vec4`s.
fn padded4(width: usize) -> usize {
    2 * width.div_ceil(8)
}

/// One layer of every model, as the kernels see it (`struct Layer` in
/// common.wgsl). Sizes and places are in `vec4`s unless said otherwise.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Pod, Zeroable)]
pub struct KernelLayer {
    /// This layer's inputs, padded (even).
    pub in4: u32,
    /// Its outputs, padded (even).
    pub out4: u32,
    /// Where W (4 in4 rows of out4) starts in a model's parameters.
    pub weights: u32,
    /// Where b starts.
    pub biases: u32,
    /// Where the layer's inputs start in the activations.
    pub in_base: u32,
    /// Where its outputs start.
    pub out_base: u32,
    /// Of its outputs: 0 relu, 1 tanh, 2 none (the logits).
    pub activation: u32,
    /// Of the hidden layers: 0 relu, 1 tanh.
    pub hidden: u32,
}

/// The buffers' shapes for `models` networks of the same shape.
#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    /// Every layer, input first.
    pub layers: Vec<KernelLayer>,
    /// The layers as the CPU trainer lays them out.
    pub shapes: Vec<LayerShape>,
    /// `vec4`s of parameters per model (padded).
    pub params4: usize,
    /// Rows per model in the activations (the batch, padded to [`ROW_TILE`]).
    pub rows: usize,
    /// `vec4`s in the activations (and as many in the deltas).
    pub activations4: usize,
}

impl Layout {
    /// The layout for `models` networks with these layers, `batch` samples per step.
    pub fn new(shapes: &[LayerShape], activation: Activation, models: usize, batch: usize) -> Self {
        let rows = batch.div_ceil(ROW_TILE) * ROW_TILE;
        let hidden = match activation {
            Activation::Relu => 0,
            Activation::Tanh => 1,
        };
        // The batch's inputs first, then each layer's outputs.
        let mut base = models * rows * shapes.first().map_or(2, |s| padded4(s.inputs));
        let mut in_base = 0;
        let mut params4 = 0;
        let layers = shapes
            .iter()
            .enumerate()
            .map(|(l, s)| {
                let (in4, out4) = (padded4(s.inputs), padded4(s.outputs));
                let layer = KernelLayer {
                    in4: in4 as u32,
                    out4: out4 as u32,
                    weights: params4 as u32,
                    biases: (params4 + 4 * in4 * out4) as u32,
                    in_base: in_base as u32,
                    out_base: base as u32,
                    activation: if l + 1 == shapes.len() { 2 } else { hidden },
                    hidden,
                };
                params4 += 4 * in4 * out4 + out4;
                in_base = base;
                base += models * rows * out4;
                layer
            })
            .collect();
        Self {
            layers,
            shapes: shapes.to_vec(),
            params4,
            rows,
            activations4: base,
        }
    }

    /// Where each of one model's CPU-layout numbers goes in its padded `f32`s:
    /// (CPU index, padded index) pairs, weights then biases, layer by layer.
    fn places(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.shapes.iter().zip(&self.layers).flat_map(|(s, k)| {
            let pitch = 4 * k.out4 as usize;
            let weights = (0..s.inputs * s.outputs).map(move |n| {
                let (i, j) = (n / s.outputs, n % s.outputs);
                (s.offset + n, 4 * k.weights as usize + i * pitch + j)
            });
            let biases =
                (0..s.outputs).map(move |j| (s.bias_offset() + j, 4 * k.biases as usize + j));
            weights.chain(biases)
        })
    }

    /// One model's numbers (parameters or an optimiser moment) in the padded layout.
    pub fn pad(&self, cpu: &[f32]) -> Vec<f32> {
        let mut padded = vec![0.0; 4 * self.params4];
        for (from, to) in self.places() {
            padded[to] = cpu[from];
        }
        padded
    }

    /// One model's numbers back in the CPU trainer's layout.
    pub fn unpad(&self, padded: &[f32]) -> Vec<f32> {
        let mut cpu = vec![0.0; self.shapes.last().map_or(0, LayerShape::end)];
        for (to, from) in self.places() {
            cpu[to] = padded[from];
        }
        cpu
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::train::mlp::{MlpConfig, layer_shapes};

    #[test]
    fn regions_follow_each_other_padded_to_eights() {
        // 2 -> 32 -> 32 -> 10: widths 2, 8, 8, 4 vec4s; batch 12 padded to 16 rows.
        let shapes = layer_shapes(&MlpConfig::default(), 2, 10);
        let layout = Layout::new(&shapes, Activation::Relu, 3, 12);
        assert_eq!(layout.rows, 16);
        let rows = 3 * 16;
        let l = &layout.layers;
        assert_eq!((l[0].in_base, l[0].out_base), (0, 2 * rows));
        assert_eq!((l[1].in_base, l[1].out_base), (2 * rows, 10 * rows));
        assert_eq!((l[2].in_base, l[2].out_base), (10 * rows, 18 * rows));
        assert_eq!(layout.activations4, 22 * rows as usize);
        assert_eq!((l[0].weights, l[0].biases), (0, 64));
        assert_eq!((l[1].weights, l[1].biases), (72, 72 + 256));
        assert_eq!((l[2].weights, l[2].biases), (336, 336 + 128));
        assert_eq!(layout.params4, 468);
        assert_eq!(
            l.iter().map(|x| x.activation).collect::<Vec<_>>(),
            [0, 0, 2]
        );
        assert_eq!(size_of::<KernelLayer>(), 32);
    }

    #[test]
    fn padding_keeps_every_number_and_only_zeros_around_them() {
        let shapes = layer_shapes(
            &MlpConfig {
                hidden: 5,
                layers: 1,
                ..MlpConfig::default()
            },
            2,
            3,
        );
        let layout = Layout::new(&shapes, Activation::Tanh, 1, 1);
        let n = shapes.last().unwrap().end();
        let cpu: Vec<f32> = (1..=n).map(|i| i as f32).collect();
        let padded = layout.pad(&cpu);
        assert_eq!(layout.unpad(&padded), cpu);
        assert_eq!(padded.iter().filter(|&&x| x != 0.0).count(), n);
        // W0 is 2 x 5 padded to 8 x 8: its second row starts 8 floats in.
        assert_eq!(&padded[8..13], &cpu[5..10]);
    }
}
