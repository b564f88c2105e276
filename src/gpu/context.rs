//! The GPU device: found once, shared by every trainer; its errors are
//! collected instead of panicking (wgpu's default), so a page can fall back.

use std::sync::{Arc, Mutex, OnceLock};

use super::GpuError;
use super::pipelines::Pipelines;

/// What the adapter is, for the page's badge and the benchmarks.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct AdapterSummary {
    /// The adapter's name ("llvmpipe (LLVM 15.0.7, 256 bits)", a GPU's name, or the
    /// browser's description).
    pub name: String,
    /// The API underneath ("vulkan", "webgpu").
    pub backend: String,
    /// Whether it runs on the CPU (lavapipe, SwiftShader).
    pub software: bool,
}

/// A device and its queue, with the last error or loss it reported.
#[derive(Clone, Debug)]
pub struct GpuContext {
    /// The device.
    pub device: wgpu::Device,
    /// Its queue.
    pub queue: wgpu::Queue,
    /// What it runs on.
    pub adapter: AdapterSummary,
    /// The training kernels, compiled once, when first needed.
    pipelines: Arc<OnceLock<Pipelines>>,
    failure: Arc<Mutex<Option<GpuError>>>,
}

impl GpuContext {
    /// The default adapter's device (WebGPU in a browser, Vulkan natively).
    pub async fn new() -> Result<Self, GpuError> {
        let instance = wgpu::Instance::new(wgpu::InstanceDescriptor::new_without_display_handle());
        let adapter = instance
            .request_adapter(&wgpu::RequestAdapterOptions {
                power_preference: wgpu::PowerPreference::HighPerformance,
                ..Default::default()
            })
            .await
            .map_err(|e| GpuError::NoAdapter(e.to_string()))?;
        let info = adapter.get_info();
        let name = [&info.name, &info.driver, &info.driver_info]
            .into_iter()
            .find(|s| !s.is_empty())
            .cloned()
            .unwrap_or_else(|| "unnamed adapter".to_owned());
        let lower = format!("{} {} {}", info.name, info.driver, info.driver_info).to_lowercase();
        let software = info.device_type == wgpu::DeviceType::Cpu
            || ["swiftshader", "llvmpipe", "lavapipe", "software"]
                .iter()
                .any(|s| lower.contains(s));
        let (device, queue) = adapter
            .request_device(&wgpu::DeviceDescriptor {
                label: Some("cblab"),
                // WebGPU's defaults (8 storage buffers per kernel, which the
                // kernels need), with the adapter's own buffer sizes for big grids.
                required_limits: wgpu::Limits {
                    max_storage_buffer_binding_size: adapter
                        .limits()
                        .max_storage_buffer_binding_size,
                    max_buffer_size: adapter.limits().max_buffer_size,
                    ..wgpu::Limits::default()
                },
                ..Default::default()
            })
            .await
            .map_err(|e| GpuError::NoDevice(e.to_string()))?;
        let failure = Arc::new(Mutex::new(None));
        let errors = Arc::clone(&failure);
        device.on_uncaptured_error(Arc::new(move |e: wgpu::Error| {
            let mut slot = errors.lock().expect("no panics while holding the lock");
            slot.get_or_insert(GpuError::Device(e.to_string()));
        }));
        let lost = Arc::clone(&failure);
        device.set_device_lost_callback(move |_reason, message| {
            let mut slot = lost.lock().expect("no panics while holding the lock");
            *slot = Some(GpuError::Lost(if message.is_empty() {
                "destroyed".to_owned()
            } else {
                message
            }));
        });
        Ok(Self {
            pipelines: Arc::default(),
            device,
            queue,
            adapter: AdapterSummary {
                name,
                backend: info.backend.to_string(),
                software,
            },
            failure,
        })
    }

    /// The training kernels, compiled on the first call.
    pub(super) fn pipelines(&self) -> &Pipelines {
        self.pipelines.get_or_init(|| Pipelines::new(&self.device))
    }

    /// Compiles the training kernels now and waits until the device has
    /// them, so that the first run does not wait: a browser's GPU process
    /// compiles them after the call that asks for them returns (about a
    /// second on SwiftShader).
    pub async fn prepare(&self) {
        self.pipelines();
        let (sender, receiver) = futures_channel::oneshot::channel();
        self.queue.on_submitted_work_done(move || {
            let _ = sender.send(());
        });
        #[cfg(not(target_arch = "wasm32"))]
        let _ = self.device.poll(wgpu::PollType::wait_indefinitely());
        let _ = receiver.await;
    }

    /// The first error or loss the device reported, if any.
    pub fn failure(&self) -> Option<GpuError> {
        self.failure
            .lock()
            .expect("no panics while holding the lock")
            .clone()
    }

    /// Destroys the device, as a driver reset would (for tests of the fallback).
    pub fn lose(&self) {
        self.device.destroy();
    }
}
