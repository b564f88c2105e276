//! Many models of one shape on one device, whatever their targets: the
//! buffers, the bind group and the chunks of steps. The trainers
//! ([`super::GpuTrainer`] for one label a sample,
//! [`super::GpuMultiLabelTrainer`] for several) say what each model starts
//! from and what its loss reads, as a [`Plan`].
//!
//! A chunk of steps is one submission; each step is a chain of dispatches
//! that each cover every model (gather the batch, forward per layer, loss,
//! gradients per layer, optimiser update; kernels/train.wgsl). Nothing is
//! read back between steps; after a chunk, only the chunk's per-step losses
//! come back, and the parameters and optimiser moments when asked for.
//!
//! The host draws each model's batches with the CPU trainer's sampler and
//! computes Adam's bias corrections in f32 as the CPU does, so both trainers
//! take the same steps; `tests/gpu.rs` checks they end up at the same numbers.

use bytemuck::Zeroable;
use wgpu::util::DeviceExt;

use super::host_data::{ModelInfo, adam_corrections, phase_weights};
use super::layout::{Layout, ROW_TILE};
use super::{GpuContext, GpuError, Mismatch};
use crate::train::batches::BatchSampler;
use crate::train::mlp::{Activation, LayerShape};
use crate::train::optimizer::{Optimizer, OptimizerKind};
use crate::train::progress::{Progress, TrainState};

/// The most workgroups in one dimension of a dispatch.
const MAX_GROUPS: usize = 65_535;
/// The most dense layers a network may have (`MAX_LAYERS` in common.wgsl).
pub(super) const MAX_LAYERS: usize = 4;
/// Distance between two (step, layer) slots in the step uniform buffer
/// (WebGPU's minimum dynamic-offset alignment).
const STEP_STRIDE: u64 = 256;
/// Invocations per workgroup (`WORKGROUP` in train.wgsl).
const WORKGROUP: usize = 64;

/// What a call to [`Engine::step`] did.
#[derive(Clone, Debug, PartialEq)]
pub struct GpuReport {
    /// Steps done since the start (the same for every model).
    pub steps: usize,
    /// Steps the whole run takes.
    pub total_steps: usize,
    /// Each model's mean training loss over the steps of this call.
    pub loss: Vec<f32>,
}

/// The sizes of everything and where each region starts in the buffers
/// that hold several (`struct Sizes` in common.wgsl).
#[repr(C)]
#[derive(Clone, Copy, Debug, bytemuck::Pod, bytemuck::Zeroable)]
struct Sizes {
    models: u32,
    batch: u32,
    rows: u32,
    params: u32,
    layers: u32,
    classes: u32,
    first_moment: u32,
    second_moment: u32,
    grads: u32,
    deltas: u32,
    step_loss: u32,
    corrections: u32,
    row_norms: u32,
    column_norms: u32,
    weights: u32,
    words: u32,
}

/// One model of a [`Plan`].
pub(super) struct PlannedModel {
    /// Where it starts (or carries on from).
    pub start: TrainState,
    /// Its batches, already past the steps `start` has taken.
    pub sampler: BatchSampler,
    /// Its loss and optimiser, as the kernels read them.
    pub info: ModelInfo,
    /// Its weights: a weight a class (one label a sample) or a weight a term
    /// of every training sample (several), `Plan::weights` of them.
    pub weights: Vec<f32>,
    /// The step from which `weights` apply; all ones before (deferred
    /// re-weighting; 0 for the others).
    pub reweight_from: usize,
    /// Whether its last layer gives cosine logits (LDAM's).
    pub cosine: bool,
}

/// What the engine needs to train models of one shape together.
pub(super) struct Plan<'a> {
    /// The network's layers and hidden activation.
    pub shapes: Vec<LayerShape>,
    pub activation: Activation,
    /// Samples a step (at most the training set).
    pub batch: usize,
    /// The training samples' features, `dim` a sample.
    pub features: &'a [f32],
    pub dim: usize,
    /// The loss's classes (the output layer's width).
    pub classes: usize,
    /// What the loss reads of each training sample: its class, or (several
    /// labels a sample) `words` u32s of its classes' bits.
    pub labels: Vec<u32>,
    pub words: usize,
    /// Floats of weights a model.
    pub weights: usize,
    /// After every model's weights: every model's logit offsets then margins
    /// (adjusted softmaxes), or every model's logit shifts (DB's bias).
    pub extra: Vec<f32>,
    /// The models.
    pub models: Vec<PlannedModel>,
}

/// Many models of one shape, trained together on one device.
pub(super) struct Engine {
    ctx: GpuContext,
    samplers: Vec<BatchSampler>,
    progress: Vec<Progress>,
    optimizers: Vec<OptimizerKind>,
    /// Optimiser updates done (the same for every model).
    updates: u32,
    batch: usize,
    /// Most steps in one submission.
    capacity: usize,
    layout: Layout,
    sizes: Sizes,
    bind_group: wgpu::BindGroup,
    state: wgpu::Buffer,
    losses: wgpu::Buffer,
    chunk: wgpu::Buffer,
    staging: wgpu::Buffer,
    /// Scratch for the next chunk's batch indices and corrections.
    chunk_scratch: Vec<u32>,
    /// Every model's state at the last read-back (at the start, before any).
    states: Vec<TrainState>,
    /// Every model's weights once re-weighted, and the step from which
    /// they are (0 but for deferred re-weighting).
    weights: Vec<Vec<f32>>,
    reweight_from: Vec<usize>,
    class_weights: wgpu::Buffer,
    /// Which models' uploaded weights are their re-weighted ones.
    reweighted: Vec<bool>,
    /// Whether some model has cosine logits (and the step their kernels).
    cosine: bool,
    /// Every buffer the engine made, destroyed when it goes: in a browser
    /// dropping a wgpu buffer frees nothing until the JS garbage collector
    /// finds its `GPUBuffer` (`benches/memory.mjs` saw the GPU process grow
    /// 5 MB a training before this).
    buffers: Vec<wgpu::Buffer>,
}

impl Drop for Engine {
    fn drop(&mut self) {
        for buffer in &self.buffers {
            buffer.destroy();
        }
    }
}

impl Engine {
    /// The buffers for `plan`'s models, at most `capacity` steps per submission.
    pub fn new(ctx: &GpuContext, plan: Plan<'_>, capacity: usize) -> Result<Self, GpuError> {
        let Plan {
            shapes,
            activation,
            batch,
            features,
            dim,
            classes,
            labels,
            words,
            weights: weights_per_model,
            extra,
            models: planned,
        } = plan;
        if planned.is_empty() {
            return Err(GpuError::Mismatch(Mismatch::NoModels));
        }
        if shapes.len() > MAX_LAYERS {
            return Err(GpuError::Mismatch(Mismatch::TooManyLayers {
                layers: shapes.len(),
                most: MAX_LAYERS,
            }));
        }
        let n = features.len() / dim.max(1);
        let models = planned.len();
        let capacity = capacity.max(1);
        let layout = Layout::new(&shapes, activation, models, batch);
        let rows = models * batch;
        let state4 = models * layout.params4;
        let sizes = Sizes {
            models: models as u32,
            batch: batch as u32,
            rows: layout.rows as u32,
            params: layout.params4 as u32,
            layers: shapes.len() as u32,
            classes: classes as u32,
            first_moment: state4 as u32,
            second_moment: 2 * state4 as u32,
            grads: 3 * state4 as u32,
            deltas: layout.activations4 as u32,
            step_loss: (models * layout.rows) as u32,
            corrections: (capacity * rows) as u32,
            row_norms: (models * layout.rows + capacity * models) as u32,
            column_norms: (models * layout.rows * 3 + capacity * models) as u32,
            weights: weights_per_model as u32,
            words: words as u32,
        };
        let column_norms = 2 * models * 4 * layout.layers.last().map_or(0, |l| l.out4 as usize);

        let device = &ctx.device;
        let init = |name: &str, bytes: &[u8], usage: wgpu::BufferUsages| {
            device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
                label: Some(name),
                contents: bytes,
                usage,
            })
        };
        let storage = wgpu::BufferUsages::STORAGE;
        let copy_dst = wgpu::BufferUsages::COPY_DST;
        let sizes_buffer = init(
            "sizes",
            bytemuck::bytes_of(&sizes),
            wgpu::BufferUsages::UNIFORM,
        );
        let mut layers = [super::KernelLayer::zeroed(); MAX_LAYERS];
        layers[..shapes.len()].copy_from_slice(&layout.layers);
        let layers = init(
            "layers",
            bytemuck::cast_slice(&layers),
            wgpu::BufferUsages::UNIFORM,
        );
        // Parameters, then first and second moments (zero at the start), then gradients.
        let starts: Vec<&TrainState> = planned.iter().map(|p| &p.start).collect();
        let mut state_init: Vec<f32> = starts.iter().flat_map(|s| layout.pad(&s.params)).collect();
        for moment in [0, 1] {
            for s in &starts {
                let m = [s.optimizer.moments().0, s.optimizer.moments().1][moment];
                state_init.extend(if m.is_empty() {
                    vec![0.0; 4 * layout.params4]
                } else {
                    layout.pad(m)
                });
            }
        }
        state_init.resize(4 * 4 * state4, 0.0);
        let state = init(
            "params, moments, gradients",
            bytemuck::cast_slice(&state_init),
            storage | wgpu::BufferUsages::COPY_SRC,
        );
        let activations = device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("activations, deltas"),
            size: (2 * layout.activations4 * 16) as u64,
            usage: storage,
            mapped_at_creation: false,
        });
        let losses = device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("row and step losses, cosine logits' norms"),
            size: ((sizes.column_norms as usize + column_norms) * 4) as u64,
            usage: storage | wgpu::BufferUsages::COPY_SRC,
            mapped_at_creation: false,
        });
        // Each sample padded to the input layer's width (zeros after its features).
        let width = 4 * layout.layers[0].in4 as usize;
        let mut samples = vec![0.0f32; n * width];
        for (row, x) in samples
            .chunks_exact_mut(width)
            .zip(features.chunks_exact(dim))
        {
            row[..dim].copy_from_slice(x);
        }
        let samples = init("samples", bytemuck::cast_slice(&samples), storage);
        // wgpu refuses an empty binding.
        let labels = if labels.is_empty() { vec![0] } else { labels };
        let labels = init("labels", bytemuck::cast_slice(&labels), storage);
        let chunk = device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("batch indices, corrections"),
            size: ((capacity * rows + 2 * capacity * models) * 4) as u64,
            usage: storage | copy_dst,
            mapped_at_creation: false,
        });
        let infos: Vec<ModelInfo> = planned.iter().map(|p| p.info).collect();
        let infos = init("models", bytemuck::cast_slice(&infos), storage);
        let now = starts[0].progress.steps();
        let reweight_from: Vec<usize> = planned.iter().map(|p| p.reweight_from).collect();
        let reweighted: Vec<bool> = reweight_from.iter().map(|&from| now >= from).collect();
        let weights: Vec<Vec<f32>> = planned.iter().map(|p| p.weights.clone()).collect();
        let mut uploaded = phase_weights(&weights, &reweighted);
        uploaded.extend(&extra);
        if uploaded.is_empty() {
            uploaded.push(0.0);
        }
        let class_weights = init(
            "class weights",
            bytemuck::cast_slice(&uploaded),
            storage | copy_dst,
        );
        let staging = device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("read-back"),
            size: ((capacity * models + 3 * 4 * state4) * 4) as u64,
            usage: wgpu::BufferUsages::MAP_READ | copy_dst,
            mapped_at_creation: false,
        });

        // A slot per (step, layer): the dynamic offset a dispatch binds.
        let slots: Vec<u32> = (0..capacity as u32)
            .flat_map(|s| (0..MAX_LAYERS as u32).map(move |l| (s, l)))
            .flat_map(|(s, l)| {
                let mut slot = [0u32; STEP_STRIDE as usize / 4];
                slot[..2].copy_from_slice(&[s, l]);
                slot
            })
            .collect();
        let steps = init(
            "step slots",
            bytemuck::cast_slice(&slots),
            wgpu::BufferUsages::UNIFORM,
        );
        // Bindings 0 to 9, in order.
        let bound = [
            &sizes_buffer,
            &layers,
            &state,
            &activations,
            &losses,
            &samples,
            &labels,
            &chunk,
            &infos,
            &class_weights,
        ];
        let mut entries: Vec<_> = bound
            .iter()
            .enumerate()
            .map(|(i, b)| wgpu::BindGroupEntry {
                binding: i as u32,
                resource: b.as_entire_binding(),
            })
            .collect();
        entries.push(wgpu::BindGroupEntry {
            binding: 10,
            resource: wgpu::BindingResource::Buffer(wgpu::BufferBinding {
                buffer: &steps,
                offset: 0,
                size: std::num::NonZeroU64::new(16),
            }),
        });
        let bind_group = device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some("train"),
            layout: &ctx.pipelines().bind_group_layout,
            entries: &entries,
        });

        let buffers = bound
            .into_iter()
            .chain([&staging, &steps])
            .cloned()
            .collect();
        let cosine = planned.iter().any(|p| p.cosine);
        let optimizers = planned.iter().map(|p| p.start.optimizer.kind()).collect();
        let updates = starts[0].optimizer.steps();
        let (samplers, states): (Vec<_>, Vec<_>) =
            planned.into_iter().map(|p| (p.sampler, p.start)).unzip();
        Ok(Self {
            buffers,
            ctx: ctx.clone(),
            progress: states.iter().map(|s| s.progress.clone()).collect(),
            samplers,
            optimizers,
            updates,
            batch,
            capacity,
            layout,
            sizes,
            bind_group,
            state,
            losses,
            chunk,
            staging,
            chunk_scratch: vec![0; capacity * rows + 2 * capacity * models],
            states,
            weights,
            reweight_from,
            class_weights,
            reweighted,
            cosine,
        })
    }

    /// How many models.
    pub fn models(&self) -> usize {
        self.optimizers.len()
    }

    /// Steps done.
    pub fn steps(&self) -> usize {
        self.progress[0].steps()
    }

    /// Steps the whole run takes.
    pub fn total_steps(&self) -> usize {
        self.progress[0].total_steps()
    }

    /// Whether every step has run.
    pub fn finished(&self) -> bool {
        self.progress[0].remaining() == 0
    }

    /// Each model's loss history (mean loss of each finished epoch).
    pub fn history(&self, model: usize) -> &[f32] {
        self.progress[model].history()
    }

    /// Every model's state at the last read-back of parameters.
    pub fn states(&self) -> &[TrainState] {
        &self.states
    }

    /// The device.
    pub fn context(&self) -> &GpuContext {
        &self.ctx
    }

    /// Runs up to `k` more steps (fewer at the end), `capacity` per
    /// submission, reading back each submission's losses; with `read_state`,
    /// also reads back every model's parameters and optimiser state at the end.
    pub async fn step(&mut self, k: usize, read_state: bool) -> Result<GpuReport, GpuError> {
        let k = k.min(self.progress[0].remaining());
        let models = self.models();
        let mut sums = vec![0.0f64; models];
        let mut done = 0;
        loop {
            self.upload_phase();
            // A submission does not cross a model's switch to re-weighting.
            let now = self.steps();
            let switch = self
                .reweight_from
                .iter()
                .filter(|&&from| from > now)
                .map(|&from| from - now)
                .min()
                .unwrap_or(usize::MAX);
            let n = self.capacity.min(k - done).min(switch);
            let last = done + n == k;
            let losses = self.submit(n, read_state && last).await?;
            for step in losses.chunks(models) {
                for (sum, &loss) in sums.iter_mut().zip(step) {
                    *sum += loss as f64;
                }
            }
            done += n;
            if last {
                break;
            }
        }
        Ok(GpuReport {
            steps: self.steps(),
            total_steps: self.total_steps(),
            loss: sums
                .iter()
                .map(|&s| {
                    if k == 0 {
                        f32::NAN
                    } else {
                        (s / k as f64) as f32
                    }
                })
                .collect(),
        })
    }

    /// Uploads the weights of the next step where a model's deferred
    /// re-weighting starts with it.
    fn upload_phase(&mut self) {
        let now = self.steps();
        let phase: Vec<bool> = self.reweight_from.iter().map(|&from| now >= from).collect();
        if phase != self.reweighted {
            let uploaded = phase_weights(&self.weights, &phase);
            self.ctx
                .queue
                .write_buffer(&self.class_weights, 0, bytemuck::cast_slice(&uploaded));
            self.reweighted = phase;
        }
    }

    /// One submission of `n` steps; gives their losses, step by step, model by model.
    async fn submit(&mut self, n: usize, read_state: bool) -> Result<Vec<f32>, GpuError> {
        if let Some(e) = self.ctx.failure() {
            return Err(e);
        }
        let models = self.models();
        let rows = models * self.batch;
        let (indices, corrections) = self.chunk_scratch.split_at_mut(self.capacity * rows);
        for step in indices[..n * rows].chunks_mut(rows) {
            for (sampler, batch) in self.samplers.iter_mut().zip(step.chunks_mut(self.batch)) {
                sampler.next_batch(batch);
            }
        }
        for (s, step) in corrections[..2 * n * models]
            .chunks_mut(2 * models)
            .enumerate()
        {
            let t = self.updates + s as u32 + 1;
            for (&kind, pair) in self.optimizers.iter().zip(step.chunks_mut(2)) {
                let [c1, c2] = adam_corrections(kind, t);
                pair.copy_from_slice(&[c1.to_bits(), c2.to_bits()]);
            }
        }
        let queue = &self.ctx.queue;
        // Only this chunk's part: all `capacity` steps' would be megabytes.
        let (indices, corrections) = self.chunk_scratch.split_at(self.capacity * rows);
        let corrections_at = (indices.len() * 4) as u64;
        queue.write_buffer(&self.chunk, 0, bytemuck::cast_slice(&indices[..n * rows]));
        queue.write_buffer(
            &self.chunk,
            corrections_at,
            bytemuck::cast_slice(&corrections[..2 * n * models]),
        );
        let mut encoder = self
            .ctx
            .device
            .create_command_encoder(&wgpu::CommandEncoderDescriptor {
                label: Some("training chunk"),
            });
        if n > 0 {
            let mut pass = encoder.begin_compute_pass(&wgpu::ComputePassDescriptor {
                label: Some("training steps"),
                timestamp_writes: None,
            });
            for slot in 0..n {
                self.encode_step(&mut pass, slot);
            }
        }
        let loss_bytes = (n * models * 4) as u64;
        let state_bytes = (3 * models * self.layout.params4 * 16) as u64;
        let state_at = (self.capacity * models * 4) as u64;
        if n > 0 {
            let from = self.sizes.step_loss as u64 * 4;
            encoder.copy_buffer_to_buffer(&self.losses, from, &self.staging, 0, loss_bytes);
        }
        if read_state {
            encoder.copy_buffer_to_buffer(&self.state, 0, &self.staging, state_at, state_bytes);
        }
        queue.submit([encoder.finish()]);
        let end = if read_state {
            state_at + state_bytes
        } else {
            loss_bytes
        };
        let data = self.map(end).await?;
        self.updates += n as u32;
        let losses = data[..n * models].to_vec();
        for step in losses.chunks(models) {
            for (progress, &loss) in self.progress.iter_mut().zip(step) {
                progress.record(loss);
            }
        }
        if read_state {
            let floats = 4 * models * self.layout.params4;
            let at = state_at as usize / 4;
            let per = 4 * self.layout.params4;
            let part = |i: usize, m: usize| {
                let start = at + i * floats + m * per;
                self.layout.unpad(&data[start..start + per])
            };
            for (m, state) in self.states.iter_mut().enumerate() {
                let kind = self.optimizers[m];
                let second = match kind {
                    OptimizerKind::Adam { .. } => part(2, m),
                    OptimizerKind::Sgd { .. } => Vec::new(),
                };
                *state = TrainState {
                    params: part(0, m),
                    optimizer: Optimizer::from_moments(kind, part(1, m), second, self.updates),
                    progress: self.progress[m].clone(),
                };
            }
        }
        if let Some(e) = self.ctx.failure() {
            return Err(e);
        }
        Ok(losses)
    }

    /// One step of every model: the chain of dispatches of train.wgsl, each
    /// seeing its (step, layer) slot.
    fn encode_step(&self, pass: &mut wgpu::ComputePass<'_>, slot: usize) {
        let p = self.ctx.pipelines();
        let models = self.models();
        let row_tiles = models * self.layout.rows / ROW_TILE;
        let last = self.layout.layers.len() - 1;
        let mut dispatch = |pipeline: &wgpu::ComputePipeline, layer: usize, invocations: usize| {
            let offset = (slot * MAX_LAYERS + layer) as u64 * STEP_STRIDE;
            pass.set_pipeline(pipeline);
            pass.set_bind_group(0, &self.bind_group, &[offset as u32]);
            let groups = invocations.div_ceil(WORKGROUP);
            let x = groups.clamp(1, MAX_GROUPS);
            pass.dispatch_workgroups(x as u32, groups.div_ceil(x) as u32, 1);
        };
        // An invocation per row, per tile of 8 x 8 (widths are in pairs of
        // vec4s), or per 8 parameters: extra ones would return at once, but
        // an emulator pays for each.
        let eights = |width4: u32| width4 as usize / 2;
        let rows = models * self.layout.rows;
        // The cosine logits' kernels, only when a model has them (LDAM's).
        let cosine = self.cosine;
        let out4 = self.layout.layers[last].out4 as usize;
        dispatch(&p.gather, 0, rows);
        for (l, layer) in self.layout.layers.iter().enumerate() {
            if cosine && l == last {
                dispatch(&p.cosine_norms, l, rows + models * 4 * out4);
            }
            dispatch(&p.forward, l, row_tiles * eights(layer.out4));
        }
        dispatch(&p.loss, last, rows);
        for (l, layer) in self.layout.layers.iter().enumerate().rev() {
            let (in8, out8) = (eights(layer.in4), eights(layer.out4));
            dispatch(&p.weight_grads, l, models * (in8 + 1) * out8);
            if cosine && l == last {
                dispatch(&p.cosine_columns, l, models * out4);
            }
            if l > 0 {
                dispatch(&p.input_grads, l, row_tiles * in8);
                if cosine && l == last {
                    dispatch(&p.cosine_rows, l, rows);
                }
            }
        }
        dispatch(&p.optimize, 0, models * self.layout.params4 / 2);
    }

    /// The first `bytes` of the staging buffer, once the GPU has written them.
    async fn map(&self, bytes: u64) -> Result<Vec<f32>, GpuError> {
        if bytes == 0 {
            return Ok(Vec::new());
        }
        let slice = self.staging.slice(..bytes);
        let (sender, receiver) = futures_channel::oneshot::channel();
        slice.map_async(wgpu::MapMode::Read, move |result| {
            // The receiver is gone only if the trainer was dropped mid-read.
            let _ = sender.send(result);
        });
        #[cfg(not(target_arch = "wasm32"))]
        self.ctx
            .device
            .poll(wgpu::PollType::wait_indefinitely())
            .map_err(|e| GpuError::Lost(e.to_string()))?;
        let mapped = receiver
            .await
            .map_err(|_| GpuError::Lost("the read-back was cancelled".into()))?;
        if let Err(e) = mapped {
            return Err(self
                .ctx
                .failure()
                .unwrap_or_else(|| GpuError::Lost(e.to_string())));
        }
        let view = slice
            .get_mapped_range()
            .map_err(|e| GpuError::Lost(e.to_string()))?;
        let data = bytemuck::cast_slice(&view).to_vec();
        drop(view);
        self.staging.unmap();
        Ok(data)
    }
}
