//! A small multi-layer perceptron d -> H -> ... -> C with its backward pass
//! (d = 2 for the toy task, 196 for Fashion-MNIST-LT's pooled pixels),
//! generic over f32 (training) and f64 (the reference the gradients are checked with).
//! Its last layer is a dense one, or, for LDAM as in the official code, a
//! normalised one: cosine logits z_rj = h_r . w_j / (|h_r| |w_j|), no bias.
//!
//! All parameters live in one flat vector, layer by layer: W (inputs x outputs,
//! row-major) then b. The optimisers, the GPU trainer and the parity tests all
//! see the same layout.

use ndarray::linalg::general_mat_mul;
use ndarray::{Array2, ArrayView2, ArrayViewMut2, LinalgScalar};
use num_traits::Float;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

/// The hidden layers' non-linearity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Activation {
    /// max(0, x).
    Relu,
    /// tanh(x).
    Tanh,
}

impl Activation {
    /// `relu` or `tanh`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Relu => "relu",
            Self::Tanh => "tanh",
        }
    }
}

/// The network's shape and initialisation.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct MlpConfig {
    /// Width of every hidden layer (8 to 128 in the UI).
    pub hidden: usize,
    /// Number of hidden layers (1 to 3 in the UI).
    pub layers: usize,
    /// The hidden non-linearity.
    pub activation: Activation,
}

impl Default for MlpConfig {
    fn default() -> Self {
        Self {
            hidden: 32,
            layers: 2,
            activation: Activation::Relu,
        }
    }
}

/// One dense layer's place in the flat parameter vector.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LayerShape {
    /// Inputs.
    pub inputs: usize,
    /// Outputs.
    pub outputs: usize,
    /// Where W starts; b follows at `offset + inputs * outputs`.
    pub offset: usize,
}

impl LayerShape {
    /// Where b starts.
    pub fn bias_offset(&self) -> usize {
        self.offset + self.inputs * self.outputs
    }

    /// Where the next layer starts.
    pub fn end(&self) -> usize {
        self.bias_offset() + self.outputs
    }
}

/// The layers of an inputs -> hidden^layers -> classes network.
pub fn layer_shapes(config: &MlpConfig, inputs: usize, classes: usize) -> Vec<LayerShape> {
    let mut widths = vec![inputs];
    widths.extend(std::iter::repeat_n(config.hidden, config.layers));
    widths.push(classes);
    let mut offset = 0;
    widths
        .windows(2)
        .map(|w| {
            let shape = LayerShape {
                inputs: w[0],
                outputs: w[1],
                offset,
            };
            offset = shape.end();
            shape
        })
        .collect()
}

/// A multi-layer perceptron's shape and parameters.
#[derive(Clone, Debug, PartialEq)]
pub struct Mlp<F> {
    /// The layers, input first.
    pub shapes: Vec<LayerShape>,
    /// The hidden non-linearity.
    pub activation: Activation,
    /// Every parameter, in the layout of `shapes`.
    pub params: Vec<F>,
    /// Whether the last layer gives cosine logits (its biases stay zero).
    pub cosine_logits: bool,
}

/// Norms below this count as this (PyTorch's `F.normalize`), so an all-zero
/// feature row gives zero logits, not NaN.
pub const NORM_EPS: f64 = 1e-12;

/// The scalar types the network runs in.
pub trait Scalar: Float + LinalgScalar + Send + Sync + std::fmt::Debug {
    /// c = a b + beta c: every matrix product of the network.
    fn gemm(
        a: ArrayView2<'_, Self>,
        b: ArrayView2<'_, Self>,
        beta: Self,
        c: &mut ArrayViewMut2<'_, Self>,
    ) {
        general_mat_mul(Self::one(), &a, &b, beta, c);
    }
}

/// f32 trains: its products go through [`cblab_matmul`] (SIMD kernels in wasm).
impl Scalar for f32 {
    fn gemm(
        a: ArrayView2<'_, f32>,
        b: ArrayView2<'_, f32>,
        beta: f32,
        c: &mut ArrayViewMut2<'_, f32>,
    ) {
        cblab_matmul::matmul(a, b, beta, c);
    }
}

/// f64 is the reference the gradients are checked with: ndarray's GEMM.
impl Scalar for f64 {}

fn cast<F: Scalar>(x: f64) -> F {
    F::from(x).expect("every f64 in range converts to f32 and f64")
}

impl<F: Scalar> Mlp<F> {
    /// A seeded network: He-uniform weights for ReLU, Glorot-uniform for tanh,
    /// zero biases, except the output bias, which is -ln(C - 1) when
    /// `prior_bias` (sigmoid and focal heads start at probability 1/C).
    pub fn new(
        config: &MlpConfig,
        inputs: usize,
        classes: usize,
        prior_bias: bool,
        seed: u64,
    ) -> Self {
        let shapes = layer_shapes(config, inputs, classes);
        let mut params = vec![F::zero(); shapes.last().map_or(0, LayerShape::end)];
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        for (l, s) in shapes.iter().enumerate() {
            let is_output = l + 1 == shapes.len();
            let limit = match (config.activation, is_output) {
                (Activation::Relu, false) => (6.0 / s.inputs as f64).sqrt(),
                _ => (6.0 / (s.inputs + s.outputs) as f64).sqrt(),
            };
            for p in &mut params[s.offset..s.bias_offset()] {
                *p = cast(limit * (2.0 * rng.random::<f64>() - 1.0));
            }
            if is_output && prior_bias && classes > 1 {
                let bias = -((classes - 1) as f64).ln();
                params[s.bias_offset()..s.end()].fill(cast(bias));
            }
        }
        Self {
            shapes,
            activation: config.activation,
            params,
            cosine_logits: false,
        }
    }

    /// The same network with a normalised last layer (`on`), whose biases are
    /// zero and stay so.
    pub fn with_cosine_logits(mut self, on: bool) -> Self {
        if on && let Some(s) = self.shapes.last() {
            self.params[s.bias_offset()..s.end()].fill(F::zero());
        }
        self.cosine_logits = on;
        self
    }

    /// The number of classes.
    pub fn classes(&self) -> usize {
        self.shapes.last().map_or(0, |s| s.outputs)
    }

    fn weights(&self, s: &LayerShape) -> ArrayView2<'_, F> {
        ArrayView2::from_shape(
            (s.inputs, s.outputs),
            &self.params[s.offset..s.bias_offset()],
        )
        .expect("the layout holds every layer")
    }

    /// Logits for a batch of points, into `work` (whose last activation is the output).
    pub fn forward(&self, x: ArrayView2<'_, F>, work: &mut Workspace<F>) {
        work.resize(&self.shapes, x.nrows());
        for (l, s) in self.shapes.iter().enumerate() {
            let (before, after) = work.activations.split_at_mut(l);
            let input = if l == 0 { x } else { before[l - 1].view() };
            let out = &mut after[0];
            let cosine = self.cosine_logits && l + 1 == self.shapes.len();
            if cosine {
                out.fill(F::zero());
            } else {
                let bias = &self.params[s.bias_offset()..s.end()];
                for mut row in out.rows_mut() {
                    row.as_slice_mut()
                        .expect("workspace arrays are contiguous")
                        .copy_from_slice(bias);
                }
            }
            if s.inputs == 2 {
                plane_layer_forward(input, &self.weights(s), out);
            } else {
                F::gemm(input, self.weights(s), F::one(), &mut out.view_mut());
            }
            if cosine {
                let norms = &mut work.norms;
                norms.measure(input, self.weights(s));
                norms.scale(out);
            }
            if l + 1 < self.shapes.len() {
                match self.activation {
                    Activation::Relu => {
                        out.mapv_inplace(|v| if v > F::zero() { v } else { F::zero() })
                    }
                    Activation::Tanh => out.mapv_inplace(F::tanh),
                }
            }
        }
    }

    /// Gradients of the loss with respect to every parameter, into `grad`, given
    /// d loss / d logits in `work.output_grad` and the activations of the last
    /// `forward` on the same `x`.
    pub fn backward(&self, x: ArrayView2<'_, F>, work: &mut Workspace<F>, grad: &mut [F]) {
        let layers = self.shapes.len();
        for l in (0..layers).rev() {
            let s = &self.shapes[l];
            let cosine = self.cosine_logits && l + 1 == layers;
            if cosine {
                // d loss / d (h W): through the scaling by both norms.
                work.norms.scale(&mut work.deltas[l]);
            }
            let (act_before, _) = work.activations.split_at(l);
            let input = if l == 0 { x } else { act_before[l - 1].view() };
            let delta = &work.deltas[l];
            let (g_w, g_b) = grad[s.offset..s.end()].split_at_mut(s.inputs * s.outputs);
            let mut g_w = ArrayViewMut2::from_shape((s.inputs, s.outputs), g_w)
                .expect("the layout holds every layer");
            if s.inputs == 2 {
                plane_layer_weight_grad(input, delta, &mut g_w);
            } else {
                F::gemm(input.t(), delta.view(), F::zero(), &mut g_w);
            }
            g_b.fill(F::zero());
            if cosine {
                // The normalised layer has no bias; its weights' gradient
                // loses the part along each column (the norm's derivative).
                work.norms.project_columns(self.weights(s), &mut g_w);
            } else {
                // Row by row: contiguous, so it vectorises (a column sum is strided).
                for row in delta.rows() {
                    let row = row.to_slice().expect("workspace rows are contiguous");
                    for (gb, &d) in g_b.iter_mut().zip(row) {
                        *gb = *gb + d;
                    }
                }
            }
            if l > 0 {
                let (before, after) = work.deltas.split_at_mut(l);
                let prev = &mut before[l - 1];
                F::gemm(
                    after[0].view(),
                    self.weights(s).t(),
                    F::zero(),
                    &mut prev.view_mut(),
                );
                if cosine {
                    work.norms
                        .project_rows(work.activations[l - 1].view(), prev);
                }
                let a = work.activations[l - 1]
                    .as_slice()
                    .expect("workspace arrays are contiguous");
                let prev = prev
                    .as_slice_mut()
                    .expect("workspace arrays are contiguous");
                match self.activation {
                    // Branch-free selects, so the loop vectorises.
                    Activation::Relu => prev.iter_mut().zip(a).for_each(|(d, &v)| {
                        *d = if v > F::zero() { *d } else { F::zero() };
                    }),
                    Activation::Tanh => prev
                        .iter_mut()
                        .zip(a)
                        .for_each(|(d, &v)| *d = *d * (F::one() - v * v)),
                }
            }
        }
    }
}

// A 2-wide input layer (the toy task's points): its products have an inner (or outer)
// dimension of 2, which a GEMM pads to its tile size; written out, they
// are two vectorised multiply-adds per row.

/// out += x W for x with two columns.
fn plane_layer_forward<F: Scalar>(
    x: ArrayView2<'_, F>,
    w: &ArrayView2<'_, F>,
    out: &mut Array2<F>,
) {
    let (w0, w1) = (w.row(0), w.row(1));
    let (w0, w1) = (
        w0.to_slice().expect("weights are contiguous"),
        w1.to_slice().expect("weights are contiguous"),
    );
    for (xi, mut row) in x.rows().into_iter().zip(out.rows_mut()) {
        let (a, b) = (xi[0], xi[1]);
        let row = row.as_slice_mut().expect("workspace rows are contiguous");
        for ((o, &p), &q) in row.iter_mut().zip(w0).zip(w1) {
            *o = *o + a * p + b * q;
        }
    }
}

/// g = x^T delta for x with two columns.
fn plane_layer_weight_grad<F: Scalar>(
    x: ArrayView2<'_, F>,
    delta: &Array2<F>,
    g: &mut ArrayViewMut2<'_, F>,
) {
    g.fill(F::zero());
    let (mut g0, mut g1) = g.view_mut().split_at(ndarray::Axis(0), 1);
    let g0 = g0.as_slice_mut().expect("gradients are contiguous");
    let g1 = g1.as_slice_mut().expect("gradients are contiguous");
    for (xi, d) in x.rows().into_iter().zip(delta.rows()) {
        let (a, b) = (xi[0], xi[1]);
        let d = d.to_slice().expect("workspace rows are contiguous");
        for ((p, q), &v) in g0.iter_mut().zip(g1.iter_mut()).zip(d) {
            *p = *p + a * v;
            *q = *q + b * v;
        }
    }
}

/// Buffers for one batch size, reused between steps so training allocates nothing.
#[derive(Clone, Debug)]
pub struct Workspace<F> {
    /// Each layer's output after its non-linearity (the last is the logits).
    pub activations: Vec<Array2<F>>,
    /// d loss / d (each layer's pre-activation output); the last is d loss / d logits.
    pub deltas: Vec<Array2<F>>,
    /// A normalised last layer's norms, from the forward pass for the backward one.
    norms: CosineNorms<F>,
}

impl<F> Default for Workspace<F> {
    fn default() -> Self {
        Self {
            activations: Vec::new(),
            deltas: Vec::new(),
            norms: CosineNorms::default(),
        }
    }
}

/// What cosine logits z_rj = (h W)_rj / (|h_r| |w_j|) divide by: for the
/// feature rows h_r and the weight columns w_j, 1 / max(|.|, eps) and, for
/// the backward pass, its square (zero where the norm was clamped, whose
/// derivative is then zero).
#[derive(Clone, Debug)]
struct CosineNorms<F> {
    row_inverse: Vec<F>,
    row_square: Vec<F>,
    column_inverse: Vec<F>,
    column_square: Vec<F>,
}

impl<F> Default for CosineNorms<F> {
    fn default() -> Self {
        Self {
            row_inverse: Vec::new(),
            row_square: Vec::new(),
            column_inverse: Vec::new(),
            column_square: Vec::new(),
        }
    }
}

/// 1 / max(|v|, eps) and its square, or 0 for a clamped norm (summed in order,
/// as the GPU kernels do).
fn inverse_norm<'a, F: Scalar + 'a>(v: impl Iterator<Item = &'a F>) -> (F, F) {
    let eps = cast::<F>(NORM_EPS);
    let norm = v.fold(F::zero(), |acc, &x| acc + x * x).sqrt();
    let inverse = F::one() / norm.max(eps);
    (
        inverse,
        if norm > eps {
            inverse * inverse
        } else {
            F::zero()
        },
    )
}

impl<F: Scalar> CosineNorms<F> {
    /// The norms of the features `h` (one row per sample) and the weights `w`.
    fn measure(&mut self, h: ArrayView2<'_, F>, w: ArrayView2<'_, F>) {
        // Into the buffers of the last step: training allocates nothing.
        self.row_inverse.clear();
        self.row_square.clear();
        for r in h.rows() {
            let (i, s) = inverse_norm(r.iter());
            self.row_inverse.push(i);
            self.row_square.push(s);
        }
        self.column_inverse.clear();
        self.column_square.clear();
        for c in w.columns() {
            let (i, s) = inverse_norm(c.iter());
            self.column_inverse.push(i);
            self.column_square.push(s);
        }
    }

    /// m_rj <- m_rj / |h_r| / |w_j|: the logits from h W in the forward pass,
    /// d loss / d (h W) from d loss / d logits in the backward pass.
    fn scale(&self, m: &mut Array2<F>) {
        for (mut row, &a) in m.rows_mut().into_iter().zip(&self.row_inverse) {
            for (v, &c) in row.iter_mut().zip(&self.column_inverse) {
                *v = *v * a * c;
            }
        }
    }

    /// dW_j <- G_j - w_j (w_j . G_j) / |w_j|^2 for G = h^T d loss / d (h W).
    fn project_columns(&self, w: ArrayView2<'_, F>, g: &mut ArrayViewMut2<'_, F>) {
        for ((w, mut g), &k) in w
            .columns()
            .into_iter()
            .zip(g.columns_mut())
            .zip(&self.column_square)
        {
            let along = w
                .iter()
                .zip(g.iter())
                .fold(F::zero(), |acc, (&w, &g)| acc + w * g);
            g.iter_mut()
                .zip(w.iter())
                .for_each(|(g, &w)| *g = *g - w * (k * along));
        }
    }

    /// dh_r <- q_r - h_r (h_r . q_r) / |h_r|^2 for q = d loss / d (h W) W^T.
    fn project_rows(&self, h: ArrayView2<'_, F>, q: &mut Array2<F>) {
        for ((h, mut q), &k) in h.rows().into_iter().zip(q.rows_mut()).zip(&self.row_square) {
            let along = h
                .iter()
                .zip(q.iter())
                .fold(F::zero(), |acc, (&h, &q)| acc + h * q);
            q.iter_mut()
                .zip(h.iter())
                .for_each(|(q, &h)| *q = *q - h * (k * along));
        }
    }
}

impl<F: Scalar> Workspace<F> {
    fn resize(&mut self, shapes: &[LayerShape], rows: usize) {
        let fits = self.activations.len() == shapes.len()
            && self.activations.first().is_some_and(|a| a.nrows() == rows);
        if !fits {
            self.activations = shapes
                .iter()
                .map(|s| Array2::zeros((rows, s.outputs)))
                .collect();
            self.deltas = self.activations.clone();
        }
    }

    /// The logits of the last forward pass.
    pub fn logits(&self) -> &Array2<F> {
        self.activations.last().expect("forward ran")
    }

    /// The logits and the buffer for d loss / d logits, to fill in between forward and backward.
    pub fn logits_and_output_grad(&mut self) -> (&Array2<F>, &mut Array2<F>) {
        (
            self.activations.last().expect("forward ran"),
            self.deltas.last_mut().expect("forward ran"),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::balance::loss_kind::LossKind;
    use crate::balance::losses::Loss;
    use crate::train::config::{TrainConfig, TrainLoss};
    use ndarray::Array2;

    fn batch() -> (Array2<f64>, Vec<usize>) {
        let x = Array2::from_shape_vec(
            (5, 2),
            vec![0.3, -1.2, 1.1, 0.4, -0.7, -0.2, 0.05, 0.9, -1.3, 1.4],
        )
        .unwrap();
        (x, vec![0, 2, 1, 2, 0])
    }

    /// The weighted batch loss and its gradient, the way the trainer computes them.
    fn loss_and_grad(
        mlp: &Mlp<f64>,
        x: &Array2<f64>,
        y: &[usize],
        loss: &TrainLoss,
        w: &[f64],
    ) -> (f64, Vec<f64>) {
        let mut work = Workspace::default();
        mlp.forward(x.view(), &mut work);
        let (logits, out_grad) = work.logits_and_output_grad();
        let b = x.nrows() as f64;
        let mut total = 0.0;
        for i in 0..x.nrows() {
            let z = logits.row(i).to_vec();
            let g = out_grad.row_mut(i).into_slice().unwrap();
            let scale = w[y[i]] / b;
            total += scale * loss.sample(&z, y[i], g);
            g.iter_mut().for_each(|v| *v *= scale);
        }
        let mut grad = vec![0.0; mlp.params.len()];
        mlp.backward(x.view(), &mut work, &mut grad);
        (total, grad)
    }

    #[test]
    fn layout() {
        let shapes = layer_shapes(
            &MlpConfig {
                hidden: 4,
                layers: 2,
                activation: Activation::Relu,
            },
            2,
            3,
        );
        assert_eq!(shapes.len(), 3);
        assert_eq!(
            shapes[0],
            LayerShape {
                inputs: 2,
                outputs: 4,
                offset: 0
            }
        );
        assert_eq!(shapes[1].offset, 12);
        assert_eq!(shapes[2].end(), 12 + 20 + 15);
    }

    #[test]
    fn prior_bias_and_seeding() {
        let config = MlpConfig::default();
        let m = Mlp::<f32>::new(&config, 2, 10, true, 7);
        let out = m.shapes.last().unwrap();
        let bias = &m.params[out.bias_offset()..out.end()];
        assert!(bias.iter().all(|&b| (b - -(9f32).ln()).abs() < 1e-6));
        let plain = Mlp::<f32>::new(&config, 2, 10, false, 7);
        assert!(plain.params[out.bias_offset()..].iter().all(|&b| b == 0.0));
        assert_eq!(
            m.params[..out.bias_offset()],
            plain.params[..out.bias_offset()]
        );
        assert_ne!(
            Mlp::<f32>::new(&config, 2, 10, false, 8).params,
            plain.params
        );
    }

    /// Every parameter's gradient against central differences of the batch loss.
    fn check_gradients(mlp: &Mlp<f64>, loss: &TrainLoss, what: &str) {
        let (x, y) = batch();
        check_gradients_on(mlp, loss, what, &x, &y);
    }

    /// The same on the batch `x`, `y`.
    fn check_gradients_on(
        mlp: &Mlp<f64>,
        loss: &TrainLoss,
        what: &str,
        x: &Array2<f64>,
        y: &[usize],
    ) {
        let (x, y) = (x.clone(), y.to_vec());
        let w = [0.4, 1.1, 1.5];
        let (_, grad) = loss_and_grad(mlp, &x, &y, loss, &w);
        let h = 1e-6;
        for (p, &analytic) in grad.iter().enumerate() {
            let (mut up, mut down) = (mlp.clone(), mlp.clone());
            up.params[p] += h;
            down.params[p] -= h;
            let numeric = (loss_and_grad(&up, &x, &y, loss, &w).0
                - loss_and_grad(&down, &x, &y, loss, &w).0)
                / (2.0 * h);
            assert!(
                (numeric - analytic).abs() <= 1e-6 * (1.0 + numeric.abs()),
                "{what} param {p}: {analytic} vs {numeric}"
            );
        }
    }

    #[test]
    fn whole_network_gradients_match_central_differences() {
        for activation in [Activation::Relu, Activation::Tanh] {
            for layers in 1..=3 {
                let config = MlpConfig {
                    hidden: 6,
                    layers,
                    activation,
                };
                for loss in [
                    Loss::Softmax,
                    Loss::Sigmoid,
                    Loss::Focal { gamma: 0.5 },
                    Loss::Focal { gamma: 2.0 },
                ] {
                    let mlp = Mlp::<f64>::new(&config, 2, 3, loss.uses_prior_bias(), 3);
                    let what = format!("{activation:?} {layers} {loss:?}");
                    check_gradients(&mlp, &TrainLoss::Paper(loss), &what);
                }
            }
        }
    }

    /// Images, not points: the first layer is then a real matrix product.
    #[test]
    fn wide_input_gradients_match_central_differences() {
        let x = Array2::from_shape_fn((5, 7), |(r, c)| ((r * 7 + c) as f64 * 0.37).sin());
        let y = [0, 2, 1, 2, 0];
        for layers in 0..=2 {
            let config = MlpConfig {
                hidden: 4,
                layers,
                activation: Activation::Relu,
            };
            for loss in [Loss::Softmax, Loss::Focal { gamma: 2.0 }] {
                let mlp = Mlp::<f64>::new(&config, 7, 3, loss.uses_prior_bias(), 11);
                assert_eq!(mlp.shapes[0].inputs, 7);
                let what = format!("7 inputs, {layers} hidden layers, {loss:?}");
                check_gradients_on(&mlp, &TrainLoss::Paper(loss), &what, &x, &y);
            }
        }
    }

    /// LDAM's normalised last layer: the norms' derivatives included, with the
    /// loss it trains with and with plain softmax, at every depth (0 hidden
    /// layers: the inputs themselves are normalised).
    #[test]
    fn cosine_logits_gradients_match_central_differences() {
        let ldam = TrainConfig {
            loss: LossKind::Ldam,
            scale: 5.0,
            ..TrainConfig::default()
        };
        let ldam = ldam.train_loss(&[40, 9, 2]).unwrap();
        for activation in [Activation::Relu, Activation::Tanh] {
            for layers in 0..=2 {
                let config = MlpConfig {
                    hidden: 6,
                    layers,
                    activation,
                };
                let mlp = Mlp::<f64>::new(&config, 2, 3, false, 5).with_cosine_logits(true);
                for loss in [&ldam, &TrainLoss::Paper(Loss::Softmax)] {
                    check_gradients(
                        &mlp,
                        loss,
                        &format!("cosine {activation:?} {layers} {loss:?}"),
                    );
                }
            }
        }
    }

    /// Cosine logits are the cosines of features and weight columns, a
    /// feature row of zeros gives zero logits (not NaN), and the biases
    /// neither count nor learn.
    #[test]
    fn cosine_logits_are_cosines() {
        let config = MlpConfig {
            hidden: 4,
            layers: 0,
            activation: Activation::Relu,
        };
        let mut mlp = Mlp::<f64>::new(&config, 2, 3, true, 2).with_cosine_logits(true);
        let out = *mlp.shapes.last().unwrap();
        assert!(mlp.params[out.bias_offset()..].iter().all(|&b| b == 0.0));
        mlp.params[out.bias_offset()] = 7.0;
        let x = Array2::from_shape_vec((2, 2), vec![3.0, -4.0, 0.0, 0.0]).unwrap();
        let mut work = Workspace::default();
        mlp.forward(x.view(), &mut work);
        for j in 0..3 {
            let (w0, w1) = (mlp.params[j], mlp.params[3 + j]);
            let cosine = (3.0 * w0 - 4.0 * w1) / (5.0 * (w0 * w0 + w1 * w1).sqrt());
            assert!((work.logits()[[0, j]] - cosine).abs() < 1e-12);
            assert_eq!(work.logits()[[1, j]], 0.0);
        }
        let (_, g) = work.logits_and_output_grad();
        g.fill(1.0);
        let mut grad = vec![0.0; mlp.params.len()];
        mlp.backward(x.view(), &mut work, &mut grad);
        assert!(grad.iter().all(|g| g.is_finite()));
        assert!(grad[out.bias_offset()..].iter().all(|&g| g == 0.0));
    }
}
