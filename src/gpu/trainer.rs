//! Training many models of one shape on the GPU at once.
//!
//! Pipelines, bind groups and buffers are built once. A chunk of steps is
//! one submission: for each step, a few dispatches that each cover every
//! model (gather the batch, forward each layer, loss, parameter gradients,
//! back-propagation, optimiser update). Nothing is read back between steps;
//! after a chunk, only the chunk's per-step losses come back, and the
//! parameters and optimiser moments when asked for.
//!
//! The host draws each model's batches with the CPU trainer's sampler and
//! computes Adam's bias corrections in f32 as the CPU does, so both trainers
//! take the same steps; `tests/gpu.rs` checks they end up at the same numbers.

use std::num::NonZeroU64;

use wgpu::util::DeviceExt;

use super::layout::Layout;
use super::{GpuContext, GpuError};
use crate::losses::LossKind;
use crate::mlp::{Mlp, layer_shapes};
use crate::optimizer::{Optimizer, OptimizerKind};
use crate::toy_data::Dataset;
use crate::trainer::{BatchSampler, CpuTrainer, Progress, TrainConfig, TrainState, validate};

/// Threads per workgroup (`WORKGROUP` in common.wgsl).
const WORKGROUP: usize = 64;
/// The most workgroups in one dimension of a dispatch.
const MAX_GROUPS: usize = 65_535;
/// Distance between two step slots in the step uniform buffer (WebGPU's
/// minimum dynamic-offset alignment).
const STEP_STRIDE: u64 = 256;

/// One model's loss and optimiser (`struct Model` in common.wgsl).
#[repr(C)]
#[derive(Clone, Copy, Debug, bytemuck::Pod, bytemuck::Zeroable)]
struct ModelInfo {
    loss: u32,
    optimizer: u32,
    gamma: f32,
    lr: f32,
    decay1: f32,
    decay2: f32,
    epsilon: f32,
    _pad: u32,
}

impl ModelInfo {
    fn new(config: &TrainConfig) -> Self {
        let loss = match config.loss {
            LossKind::Softmax => 0,
            LossKind::Sigmoid => 1,
            LossKind::Focal => 2,
        };
        let (optimizer, decay1, decay2, epsilon) = match config.optimizer {
            OptimizerKind::Sgd { momentum } => (0, momentum, 0.0, 0.0),
            OptimizerKind::Adam {
                beta1,
                beta2,
                epsilon,
            } => (1, beta1, beta2, epsilon),
        };
        Self {
            loss,
            optimizer,
            gamma: config.gamma as f32,
            lr: config.learning_rate as f32,
            decay1: decay1 as f32,
            decay2: decay2 as f32,
            epsilon: epsilon as f32,
            _pad: 0,
        }
    }
}

/// Adam's bias corrections 1/(1 - beta1^t) and 1/(1 - beta2^t) in f32, as
/// [`Optimizer::update`] computes them (unused for SGD).
fn corrections(kind: OptimizerKind, t: u32) -> [f32; 2] {
    match kind {
        OptimizerKind::Adam { beta1, beta2, .. } => {
            let t = t as i32;
            [
                1.0 / (1.0 - (beta1 as f32).powi(t)),
                1.0 / (1.0 - (beta2 as f32).powi(t)),
            ]
        }
        OptimizerKind::Sgd { .. } => [1.0, 1.0],
    }
}

/// What a call to [`GpuTrainer::step`] did.
#[derive(Clone, Debug, PartialEq)]
pub struct GpuReport {
    /// Steps done since the start (the same for every model).
    pub steps: usize,
    /// Steps the whole run takes.
    pub total_steps: usize,
    /// Each model's mean training loss over the steps of this call.
    pub loss: Vec<f32>,
}

/// How a binding is used by a kernel.
#[derive(Clone, Copy)]
enum Slot {
    /// A uniform bound whole.
    Uniform,
    /// The step uniform, one 16-byte slot picked by a dynamic offset.
    Step,
    /// A read-only storage buffer.
    Read,
    /// A read-write storage buffer.
    Write,
}

/// A compute pipeline and the layout of its bind group.
struct Kernel {
    pipeline: wgpu::ComputePipeline,
    layout: wgpu::BindGroupLayout,
}

impl Kernel {
    fn new(device: &wgpu::Device, name: &str, kernel: &str, slots: &[Slot]) -> Self {
        // WGSL has no includes: every kernel starts with the shared structs.
        let source = format!("{}\n{kernel}", include_str!("kernels/common.wgsl"));
        let module = device.create_shader_module(wgpu::ShaderModuleDescriptor {
            label: Some(name),
            source: wgpu::ShaderSource::Wgsl(source.into()),
        });
        let entries: Vec<_> = slots
            .iter()
            .enumerate()
            .map(|(i, slot)| wgpu::BindGroupLayoutEntry {
                binding: i as u32,
                visibility: wgpu::ShaderStages::COMPUTE,
                ty: wgpu::BindingType::Buffer {
                    ty: match slot {
                        Slot::Uniform | Slot::Step => wgpu::BufferBindingType::Uniform,
                        Slot::Read => wgpu::BufferBindingType::Storage { read_only: true },
                        Slot::Write => wgpu::BufferBindingType::Storage { read_only: false },
                    },
                    has_dynamic_offset: matches!(slot, Slot::Step),
                    min_binding_size: None,
                },
                count: None,
            })
            .collect();
        let layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some(name),
            entries: &entries,
        });
        let pipeline_layout = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
            label: Some(name),
            bind_group_layouts: &[Some(&layout)],
            immediate_size: 0,
        });
        let pipeline = device.create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
            label: Some(name),
            layout: Some(&pipeline_layout),
            module: &module,
            entry_point: Some("main"),
            compilation_options: Default::default(),
            cache: None,
        });
        Self { pipeline, layout }
    }

    /// A bind group of these buffers, in binding order (the step uniform's
    /// binding covers one slot).
    fn bind(
        &self,
        device: &wgpu::Device,
        name: &str,
        buffers: &[&wgpu::Buffer],
    ) -> wgpu::BindGroup {
        let entries: Vec<_> = buffers
            .iter()
            .enumerate()
            .map(|(i, buffer)| wgpu::BindGroupEntry {
                binding: i as u32,
                // The step slots are the only uniform as big as a stride.
                resource: if buffer.usage().contains(wgpu::BufferUsages::UNIFORM)
                    && buffer.size() >= STEP_STRIDE
                {
                    wgpu::BindingResource::Buffer(wgpu::BufferBinding {
                        buffer,
                        offset: 0,
                        size: NonZeroU64::new(16),
                    })
                } else {
                    buffer.as_entire_binding()
                },
            })
            .collect();
        device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some(name),
            layout: &self.layout,
            entries: &entries,
        })
    }
}

/// A pipeline with its bind group, ready to dispatch over `threads` threads.
struct Dispatch {
    pipeline: wgpu::ComputePipeline,
    group: wgpu::BindGroup,
    threads: usize,
    /// Whether the bind group takes the step slot's dynamic offset.
    per_step: bool,
}

impl Dispatch {
    fn record(&self, pass: &mut wgpu::ComputePass<'_>, slot: u32) {
        pass.set_pipeline(&self.pipeline);
        let offset = [slot * STEP_STRIDE as u32];
        pass.set_bind_group(0, &self.group, if self.per_step { &offset } else { &[] });
        let groups = self.threads.div_ceil(WORKGROUP).max(1);
        let x = groups.min(MAX_GROUPS);
        pass.dispatch_workgroups(x as u32, groups.div_ceil(x) as u32, 1);
    }
}

/// The buffers read back after a chunk.
struct ReadBack {
    step_loss: wgpu::Buffer,
    params: wgpu::Buffer,
    first: wgpu::Buffer,
    second: wgpu::Buffer,
    staging: wgpu::Buffer,
}

/// Many models of one shape, trained together on one device.
pub struct GpuTrainer {
    ctx: GpuContext,
    configs: Vec<TrainConfig>,
    samplers: Vec<BatchSampler>,
    progress: Vec<Progress>,
    /// Optimiser updates done (the same for every model).
    updates: u32,
    batch: usize,
    classes: usize,
    /// Most steps in one submission.
    capacity: usize,
    params_per_model: usize,
    /// The step's dispatches, in order; the backward ones come after `forward_end`.
    dispatches: Vec<Dispatch>,
    indices: wgpu::Buffer,
    corrections: wgpu::Buffer,
    read: ReadBack,
    /// Scratch for the next chunk's batch indices.
    index_scratch: Vec<u32>,
    /// Every model's state at the last read-back (at the start, before any).
    states: Vec<TrainState>,
}

impl GpuTrainer {
    /// Trainers for `configs` on `train` (whose class counts are `counts`),
    /// taking at most `capacity` steps per submission. The configurations may
    /// differ in loss, weights, beta, gamma, optimiser, learning rate and
    /// seed, not in network shape, batch size or epochs.
    pub fn new(
        ctx: &GpuContext,
        train: &Dataset,
        counts: &[u64],
        configs: &[TrainConfig],
        capacity: usize,
    ) -> Result<Self, GpuError> {
        let first = configs
            .first()
            .ok_or_else(|| GpuError::Mismatch("no models".into()))?;
        if let Some(c) = configs
            .iter()
            .find(|c| c.model != first.model || c.batch != first.batch || c.epochs != first.epochs)
        {
            return Err(GpuError::Mismatch(format!(
                "{} differs from {} in network, batch or epochs",
                c.label(),
                first.label()
            )));
        }
        // The CPU trainer's checks and starting state, one per model.
        let starts = configs
            .iter()
            .map(|c| CpuTrainer::new(train, counts, c).map(|t| t.state()))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| GpuError::Config(e.to_string()))?;
        let weights = configs
            .iter()
            .map(|c| validate(c, counts).map(|(_, w)| w))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| GpuError::Config(e.to_string()))?;
        let n = train.points.len();
        let batch = first.batch.unwrap_or(n).min(n);
        let models = configs.len();
        let capacity = capacity.max(1);
        let shapes = layer_shapes(&first.model, train.classes);
        let layout = Layout::new(&shapes, first.model.activation, models, batch);
        let params_per_model = layout.params;
        let rows = models * batch;

        let device = &ctx.device;
        let storage = |name: &str, bytes: &[u8], extra: wgpu::BufferUsages| {
            device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
                label: Some(name),
                contents: bytes,
                usage: wgpu::BufferUsages::STORAGE | extra,
            })
        };
        let zeros = |name: &str, floats: usize, extra: wgpu::BufferUsages| {
            device.create_buffer(&wgpu::BufferDescriptor {
                label: Some(name),
                size: (floats.max(1) * 4) as u64,
                usage: wgpu::BufferUsages::STORAGE | extra,
                mapped_at_creation: false,
            })
        };
        let none = wgpu::BufferUsages::empty();
        let copy_src = wgpu::BufferUsages::COPY_SRC;
        let copy_dst = wgpu::BufferUsages::COPY_DST;

        let all_params: Vec<f32> = starts
            .iter()
            .flat_map(|s| s.params.iter().copied())
            .collect();
        let params = storage("params", bytemuck::cast_slice(&all_params), copy_src);
        let grads = zeros("grads", models * params_per_model, none);
        let first_moment = zeros("first moment", models * params_per_model, copy_src);
        let second_moment = zeros("second moment", models * params_per_model, copy_src);
        let acts = zeros("activations", layout.activations, none);
        let deltas = zeros("deltas", layout.activations, none);
        let points = storage("points", bytemuck::cast_slice(&train.points), none);
        let labels: Vec<u32> = train.labels.iter().map(|&y| y as u32).collect();
        let labels = storage("labels", bytemuck::cast_slice(&labels), none);
        let indices = zeros("batch indices", capacity * rows, copy_dst);
        let batch_labels = zeros("batch labels", rows, none);
        let infos: Vec<ModelInfo> = configs.iter().map(ModelInfo::new).collect();
        let model_infos = storage("models", bytemuck::cast_slice(&infos), none);
        let class_weights: Vec<f32> = weights.iter().flatten().map(|&w| w as f32).collect();
        let class_weights = storage("class weights", bytemuck::cast_slice(&class_weights), none);
        let corrections = zeros("adam corrections", 2 * capacity * models, copy_dst);
        let sample_loss = zeros("sample losses", rows, none);
        let step_loss = zeros("step losses", capacity * models, copy_src);
        let slots: Vec<u32> = (0..capacity as u32)
            .flat_map(|s| {
                let mut slot = [0u32; STEP_STRIDE as usize / 4];
                slot[0] = s;
                slot
            })
            .collect();
        let step = device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
            label: Some("step slots"),
            contents: bytemuck::cast_slice(&slots),
            usage: wgpu::BufferUsages::UNIFORM,
        });
        let layer_uniforms: Vec<wgpu::Buffer> = layout
            .layers
            .iter()
            .enumerate()
            .map(|(l, layer)| {
                device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
                    label: Some(&format!("layer {l}")),
                    contents: bytemuck::bytes_of(layer),
                    usage: wgpu::BufferUsages::UNIFORM,
                })
            })
            .collect();
        let output = layer_uniforms
            .last()
            .expect("a network has an output layer");
        let state_floats = models * params_per_model;
        let staging = device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("read-back"),
            size: ((capacity * models + 3 * state_floats) * 4) as u64,
            usage: wgpu::BufferUsages::MAP_READ | copy_dst,
            mapped_at_creation: false,
        });

        use Slot::{Read, Step, Uniform, Write};
        let k = |name, source, slots: &[Slot]| Kernel::new(device, name, source, slots);
        let gather = k(
            "gather",
            include_str!("kernels/gather.wgsl"),
            &[Uniform, Step, Read, Read, Read, Write, Write],
        );
        let forward = k(
            "forward",
            include_str!("kernels/forward.wgsl"),
            &[Uniform, Read, Write],
        );
        let loss = k(
            "loss",
            include_str!("kernels/loss.wgsl"),
            &[Uniform, Read, Write, Read, Read, Read, Write],
        );
        let loss_sum = k(
            "loss sum",
            include_str!("kernels/loss_sum.wgsl"),
            &[Uniform, Step, Read, Write],
        );
        let weight_grad = k(
            "weight grad",
            include_str!("kernels/weight_grad.wgsl"),
            &[Uniform, Read, Read, Write],
        );
        let backprop = k(
            "backprop",
            include_str!("kernels/backprop.wgsl"),
            &[Uniform, Read, Read, Write],
        );
        let optimizer = k(
            "optimizer",
            include_str!("kernels/optimizer.wgsl"),
            &[Uniform, Step, Write, Read, Write, Write, Read, Read],
        );

        let dispatch = |kernel: &Kernel, name: &str, buffers: &[&wgpu::Buffer], threads| Dispatch {
            pipeline: kernel.pipeline.clone(),
            group: kernel.bind(device, name, buffers),
            threads,
            per_step: buffers.iter().any(|b| std::ptr::eq(*b, &step)),
        };
        let mut dispatches = vec![dispatch(
            &gather,
            "gather",
            &[
                &layer_uniforms[0],
                &step,
                &points,
                &labels,
                &indices,
                &acts,
                &batch_labels,
            ],
            rows,
        )];
        for (l, layer) in layout.layers.iter().enumerate() {
            dispatches.push(dispatch(
                &forward,
                &format!("forward {l}"),
                &[&layer_uniforms[l], &params, &acts],
                rows * layer.outputs as usize,
            ));
        }
        dispatches.push(dispatch(
            &loss,
            "loss",
            &[
                output,
                &acts,
                &deltas,
                &batch_labels,
                &model_infos,
                &class_weights,
                &sample_loss,
            ],
            rows,
        ));
        dispatches.push(dispatch(
            &loss_sum,
            "loss sum",
            &[output, &step, &sample_loss, &step_loss],
            models,
        ));
        for (l, layer) in layout.layers.iter().enumerate().rev() {
            let (inputs, outputs) = (layer.inputs as usize, layer.outputs as usize);
            dispatches.push(dispatch(
                &weight_grad,
                &format!("weight grad {l}"),
                &[&layer_uniforms[l], &acts, &deltas, &grads],
                models * (inputs + 1) * outputs,
            ));
            if l > 0 {
                dispatches.push(dispatch(
                    &backprop,
                    &format!("backprop {l}"),
                    &[&layer_uniforms[l], &params, &acts, &deltas],
                    rows * inputs,
                ));
            }
        }
        dispatches.push(dispatch(
            &optimizer,
            "optimizer",
            &[
                output,
                &step,
                &params,
                &grads,
                &first_moment,
                &second_moment,
                &model_infos,
                &corrections,
            ],
            models * params_per_model,
        ));

        Ok(Self {
            ctx: ctx.clone(),
            configs: configs.to_vec(),
            samplers: configs
                .iter()
                .map(|c| BatchSampler::new(n, c.seed))
                .collect(),
            progress: starts.iter().map(|s| s.progress.clone()).collect(),
            updates: 0,
            batch,
            classes: train.classes,
            capacity,
            params_per_model,
            dispatches,
            indices,
            corrections,
            read: ReadBack {
                step_loss,
                params,
                first: first_moment,
                second: second_moment,
                staging,
            },
            index_scratch: vec![0; capacity * rows],
            states: starts,
        })
    }

    /// The models' configurations.
    pub fn configs(&self) -> &[TrainConfig] {
        &self.configs
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

    /// Model `i`'s network at the last read-back.
    pub fn model(&self, i: usize) -> Mlp<f32> {
        let config = &self.configs[i];
        let shapes = layer_shapes(&config.model, self.classes);
        Mlp {
            shapes,
            activation: config.model.activation,
            params: self.states[i].params.clone(),
        }
    }

    /// The device this trainer runs on.
    pub fn context(&self) -> &GpuContext {
        &self.ctx
    }

    /// CPU trainers that carry on from the last read-back (after a lost device).
    pub fn to_cpu(&self, train: &Dataset, counts: &[u64]) -> Result<Vec<CpuTrainer>, GpuError> {
        self.configs
            .iter()
            .zip(&self.states)
            .map(|(c, s)| CpuTrainer::resume(train, counts, c, s.clone()))
            .collect::<Result<_, _>>()
            .map_err(|e| GpuError::Config(e.to_string()))
    }

    /// Runs up to `k` more steps (fewer at the end), `capacity` per
    /// submission, reading back each submission's losses; with `read_state`,
    /// also reads back every model's parameters and optimiser state at the end.
    pub async fn step(&mut self, k: usize, read_state: bool) -> Result<GpuReport, GpuError> {
        let k = k.min(self.progress[0].remaining());
        let models = self.configs.len();
        let mut sums = vec![0.0f64; models];
        let mut done = 0;
        loop {
            let n = self.capacity.min(k - done);
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

    /// One submission of `n` steps; gives their losses, step by step, model by model.
    async fn submit(&mut self, n: usize, read_state: bool) -> Result<Vec<f32>, GpuError> {
        if let Some(e) = self.ctx.failure() {
            return Err(e);
        }
        let models = self.configs.len();
        let rows = models * self.batch;
        let indices = &mut self.index_scratch[..n * rows];
        for step in indices.chunks_mut(rows) {
            for (sampler, batch) in self.samplers.iter_mut().zip(step.chunks_mut(self.batch)) {
                sampler.next_batch(batch);
            }
        }
        let corrections: Vec<[f32; 2]> = (0..n)
            .flat_map(|s| {
                let t = self.updates + s as u32 + 1;
                self.configs
                    .iter()
                    .map(move |c| corrections(c.optimizer, t))
            })
            .collect();
        let queue = &self.ctx.queue;
        if n > 0 {
            queue.write_buffer(&self.indices, 0, bytemuck::cast_slice(indices));
            queue.write_buffer(&self.corrections, 0, bytemuck::cast_slice(&corrections));
        }
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
            for slot in 0..n as u32 {
                for d in &self.dispatches {
                    d.record(&mut pass, slot);
                }
            }
        }
        let loss_bytes = (n * models * 4) as u64;
        let state_bytes = (models * self.params_per_model * 4) as u64;
        let r = &self.read;
        if n > 0 {
            encoder.copy_buffer_to_buffer(&r.step_loss, 0, &r.staging, 0, loss_bytes);
        }
        let state_start = (self.capacity * models * 4) as u64;
        if read_state {
            for (i, b) in [&r.params, &r.first, &r.second].into_iter().enumerate() {
                let at = state_start + i as u64 * state_bytes;
                encoder.copy_buffer_to_buffer(b, 0, &r.staging, at, state_bytes);
            }
        }
        queue.submit([encoder.finish()]);
        let end = if read_state {
            state_start + 3 * state_bytes
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
            let floats = models * self.params_per_model;
            let at = state_start as usize / 4;
            let part = |i: usize| &data[at + i * floats..at + (i + 1) * floats];
            let per = self.params_per_model;
            for (m, state) in self.states.iter_mut().enumerate() {
                let kind = self.configs[m].optimizer;
                let second = match kind {
                    OptimizerKind::Adam { .. } => part(2)[m * per..(m + 1) * per].to_vec(),
                    OptimizerKind::Sgd { .. } => Vec::new(),
                };
                *state = TrainState {
                    params: part(0)[m * per..(m + 1) * per].to_vec(),
                    optimizer: Optimizer::from_moments(
                        kind,
                        part(1)[m * per..(m + 1) * per].to_vec(),
                        second,
                        self.updates,
                    ),
                    progress: self.progress[m].clone(),
                };
            }
        }
        if let Some(e) = self.ctx.failure() {
            return Err(e);
        }
        Ok(losses)
    }

    /// The first `bytes` of the staging buffer, once the GPU has written them.
    async fn map(&self, bytes: u64) -> Result<Vec<f32>, GpuError> {
        if bytes == 0 {
            return Ok(Vec::new());
        }
        let slice = self.read.staging.slice(..bytes);
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
        self.read.staging.unmap();
        Ok(data)
    }
}
