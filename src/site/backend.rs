//! Which trainer the page uses: the training worker probes WebGPU once it
//! starts; the badge says what was found, and a lost device sends the page
//! back to the CPU.

use leptos::prelude::*;

use super::dom;
use crate::explorer::training::Backend;
use crate::gpu::AdapterSummary;
use crate::i18n::{Lang, Message, tr, tr_with};
use crate::worker::protocol::{Debug, Device, Measured};

/// What the page knows about WebGPU.
#[derive(Clone, Debug, PartialEq)]
pub enum GpuStatus {
    /// Still asking the browser.
    Probing,
    /// An adapter and device are ready.
    Ready(AdapterSummary),
    /// The browser gave none (the reason).
    Unavailable(String),
    /// The device was lost (why); the page uses the CPU from then on.
    Lost(Message),
}

/// The page's GPU state, shared by the training panels.
#[derive(Clone, Copy)]
pub struct Gpu {
    /// What is known about WebGPU.
    pub status: RwSignal<GpuStatus>,
    /// A debugging aid for the fallback: the URL's `gpu_lose_after=k` destroys
    /// the device once a run has taken k steps.
    pub lose_after: Option<usize>,
    /// A debugging aid for the worker's restart: the URL's `worker_die_after=k`
    /// has the first training worker throw once a run has taken k steps.
    pub die_after: Option<usize>,
    /// Whether the training kernels are compiled on the device.
    pub kernels_ready: RwSignal<bool>,
    /// Whether the worker was asked to compile them ([`crate::site::worker::prepare_gpu`]).
    pub kernels_asked: StoredValue<bool>,
}

/// Shares the page's GPU state; the training worker probes WebGPU once it
/// starts, when the training panels' code has arrived (site::deferred).
pub fn provide_gpu() -> Gpu {
    let gpu = Gpu {
        status: RwSignal::new(GpuStatus::Probing),
        // Read before the page rewrites its URL from its state.
        lose_after: dom::query_value("gpu_lose_after").and_then(|v| v.parse().ok()),
        die_after: dom::query_value("worker_die_after").and_then(|v| v.parse().ok()),
        kernels_ready: RwSignal::new(false),
        kernels_asked: StoredValue::new(false),
    };
    provide_context(gpu);
    gpu
}

/// The page's GPU state.
pub fn use_gpu() -> Gpu {
    expect_context::<Gpu>()
}

impl Gpu {
    /// Where runs with these settings train: the GPU when the worker has an
    /// adapter and the settings want it; the automatic choice times both.
    pub fn device_for(&self, backend: Backend) -> Device {
        match (backend, self.status.get_untracked()) {
            (Backend::Gpu, GpuStatus::Ready(_)) => Device::Gpu,
            (Backend::Auto, GpuStatus::Ready(_)) => Device::Auto,
            _ => Device::Cpu,
        }
    }

    /// The URL's debugging aids for a job.
    pub fn debug(&self) -> Debug {
        Debug {
            gpu_lose_after: self.lose_after,
            die_after: None,
        }
    }
}

/// The badge's words in `lang` for a backend in use, the one chosen, what the
/// browser has, and what the automatic choice measured.
pub fn badge_text(
    lang: Lang,
    on_gpu: bool,
    chosen: Backend,
    status: &GpuStatus,
    measured: Option<Measured>,
) -> String {
    let steps = |x: f64| format!("{x:.0}");
    match (on_gpu, status, measured) {
        (_, GpuStatus::Ready(a), Some(m)) if chosen == Backend::Auto => tr_with(
            lang,
            if on_gpu {
                "training.badge_auto_gpu"
            } else {
                "training.badge_auto_cpu"
            },
            &[
                ("adapter", &adapter_words(lang, a)),
                ("cpu", &steps(m.cpu)),
                ("gpu", &steps(m.gpu)),
            ],
        ),
        (true, GpuStatus::Ready(a), _) => tr_with(
            lang,
            if a.software {
                "training.badge_gpu_software"
            } else {
                "training.badge_gpu"
            },
            &[("adapter", &a.name)],
        ),
        (_, GpuStatus::Probing, _) => tr(lang, "training.badge_probing").to_owned(),
        (false, GpuStatus::Ready(a), _) if chosen == Backend::Auto => tr_with(
            lang,
            "training.badge_auto_pending",
            &[("adapter", &adapter_words(lang, a))],
        ),
        (false, GpuStatus::Ready(a), _) => {
            tr_with(lang, "training.badge_cpu_chosen", &[("adapter", &a.name)])
        }
        (_, GpuStatus::Unavailable(_), _) => tr(lang, "training.badge_no_adapter").to_owned(),
        (_, GpuStatus::Lost(why), _) => {
            tr_with(lang, "training.badge_lost", &[("why", &why.in_lang(lang))])
        }
    }
}

/// The adapter's name, marked as software where it is.
fn adapter_words(lang: Lang, adapter: &AdapterSummary) -> String {
    if adapter.software {
        tr_with(
            lang,
            "training.adapter_software",
            &[("adapter", &adapter.name)],
        )
    } else {
        adapter.name.clone()
    }
}
