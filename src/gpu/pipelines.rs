//! The training kernels, compiled once per device: a CPU emulator of a GPU
//! (SwiftShader, lavapipe) takes about a second to compile them, so every
//! trainer on the device shares them instead of compiling its own.

/// The kernels of one training step (kernels/train.wgsl) and the layout of
/// the buffers they see.
#[derive(Debug)]
pub struct Pipelines {
    /// Bindings 0 and 1 uniforms, 2 to 4 read-write storage, 5 to 9
    /// read-only storage, 10 the step slot at a dynamic offset.
    pub bind_group_layout: wgpu::BindGroupLayout,
    pub gather: wgpu::ComputePipeline,
    pub forward: wgpu::ComputePipeline,
    pub loss: wgpu::ComputePipeline,
    pub weight_grads: wgpu::ComputePipeline,
    pub input_grads: wgpu::ComputePipeline,
    pub cosine_norms: wgpu::ComputePipeline,
    pub cosine_columns: wgpu::ComputePipeline,
    pub cosine_rows: wgpu::ComputePipeline,
    pub optimize: wgpu::ComputePipeline,
}

impl Pipelines {
    /// Compiles the kernels for `device`.
    pub fn new(device: &wgpu::Device) -> Self {
        // WGSL has no includes: the kernels start with the core's flushing
        // threshold, its smallest norm, and the shared structs.
        let source = format!(
            "const TINY: f32 = {:e};\nconst NORM_EPS: f32 = {:e};\n{}\n{}",
            crate::train::flush::TINY,
            crate::train::mlp::NORM_EPS,
            include_str!("kernels/common.wgsl"),
            include_str!("kernels/train.wgsl")
        );
        let module = device.create_shader_module(wgpu::ShaderModuleDescriptor {
            label: Some("train"),
            source: wgpu::ShaderSource::Wgsl(source.into()),
        });
        let entries: Vec<_> = (0..11)
            .map(|binding| wgpu::BindGroupLayoutEntry {
                binding,
                visibility: wgpu::ShaderStages::COMPUTE,
                ty: wgpu::BindingType::Buffer {
                    ty: match binding {
                        0 | 1 | 10 => wgpu::BufferBindingType::Uniform,
                        2..=4 => wgpu::BufferBindingType::Storage { read_only: false },
                        _ => wgpu::BufferBindingType::Storage { read_only: true },
                    },
                    has_dynamic_offset: binding == 10,
                    min_binding_size: None,
                },
                count: None,
            })
            .collect();
        let bind_group_layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("train"),
            entries: &entries,
        });
        let pipeline_layout = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
            label: Some("train"),
            bind_group_layouts: &[Some(&bind_group_layout)],
            immediate_size: 0,
        });
        let pipeline = |entry: &str| {
            device.create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
                label: Some(entry),
                layout: Some(&pipeline_layout),
                module: &module,
                entry_point: Some(entry),
                compilation_options: Default::default(),
                cache: None,
            })
        };
        Self {
            gather: pipeline("gather"),
            forward: pipeline("forward"),
            loss: pipeline("loss"),
            weight_grads: pipeline("weight_grads"),
            input_grads: pipeline("input_grads"),
            cosine_norms: pipeline("cosine_norms"),
            cosine_columns: pipeline("cosine_columns"),
            cosine_rows: pipeline("cosine_rows"),
            optimize: pipeline("optimize"),
            bind_group_layout,
        }
    }
}
