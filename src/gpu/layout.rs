//! Where every model's numbers lie in the GPU trainer's buffers, and the
//! per-layer constants the kernels read (the `Layer` struct of common.wgsl).

use bytemuck::{Pod, Zeroable};

use crate::mlp::{Activation, LayerShape};

/// One layer of every model, as the kernels see it (`struct Layer` in common.wgsl).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Pod, Zeroable)]
pub struct KernelLayer {
    /// Models trained together.
    pub models: u32,
    /// Samples per step.
    pub batch: u32,
    /// This layer's inputs.
    pub inputs: u32,
    /// Its outputs.
    pub outputs: u32,
    /// Parameters per model.
    pub params: u32,
    /// Where W starts in a model's parameters.
    pub weights: u32,
    /// Where b starts.
    pub biases: u32,
    /// Where the layer's inputs start in the activations buffer.
    pub in_base: u32,
    /// Where its outputs start.
    pub out_base: u32,
    /// Of its outputs: 0 relu, 1 tanh, 2 none (the logits).
    pub activation: u32,
    /// Of the hidden layers: 0 relu, 1 tanh.
    pub hidden: u32,
    _pad: u32,
}

/// The buffers' shapes for `models` networks of the same shape.
#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    /// Every layer, input first.
    pub layers: Vec<KernelLayer>,
    /// Parameters per model.
    pub params: usize,
    /// Floats in the activations buffer (and in the deltas buffer).
    pub activations: usize,
}

impl Layout {
    /// The layout for `models` networks with these layers, `batch` samples per step.
    pub fn new(shapes: &[LayerShape], activation: Activation, models: usize, batch: usize) -> Self {
        let params = shapes.last().map_or(0, LayerShape::end);
        let rows = models * batch;
        let hidden = match activation {
            Activation::Relu => 0,
            Activation::Tanh => 1,
        };
        // The batch's inputs first, then each layer's outputs.
        let mut base = rows * shapes.first().map_or(2, |s| s.inputs);
        let mut in_base = 0;
        let layers = shapes
            .iter()
            .enumerate()
            .map(|(l, s)| {
                let layer = KernelLayer {
                    models: models as u32,
                    batch: batch as u32,
                    inputs: s.inputs as u32,
                    outputs: s.outputs as u32,
                    params: params as u32,
                    weights: s.offset as u32,
                    biases: s.bias_offset() as u32,
                    in_base: in_base as u32,
                    out_base: base as u32,
                    activation: if l + 1 == shapes.len() { 2 } else { hidden },
                    hidden,
                    _pad: 0,
                };
                in_base = base;
                base += rows * s.outputs;
                layer
            })
            .collect();
        Self {
            layers,
            params,
            activations: base,
        }
    }

    /// The output layer.
    pub fn output(&self) -> &KernelLayer {
        self.layers.last().expect("a network has an output layer")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mlp::{MlpConfig, layer_shapes};

    #[test]
    fn regions_follow_each_other() {
        let shapes = layer_shapes(&MlpConfig::default(), 10);
        let layout = Layout::new(&shapes, Activation::Relu, 3, 4);
        let rows = 12;
        let l = &layout.layers;
        assert_eq!((l[0].in_base, l[0].out_base), (0, 2 * rows));
        assert_eq!((l[1].in_base, l[1].out_base), (2 * rows, 34 * rows));
        assert_eq!((l[2].in_base, l[2].out_base), (34 * rows, 66 * rows));
        assert_eq!(layout.activations, 76 * rows as usize);
        assert_eq!(layout.params, 96 + 1056 + 330);
        assert_eq!(
            l.iter().map(|x| x.activation).collect::<Vec<_>>(),
            [0, 0, 2]
        );
        assert_eq!(size_of::<KernelLayer>(), 48);
    }
}
