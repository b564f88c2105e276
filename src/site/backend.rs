//! Which trainer the page uses: WebGPU is probed once at start; the badge
//! says what was found, and a lost device sends the page back to the CPU.

use std::cell::RefCell;

use leptos::prelude::*;

use super::dom;
use crate::explorer::training::Backend;
use crate::gpu::{AdapterSummary, GpuContext};
use crate::i18n::{Lang, Message, tr, tr_with};

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

thread_local! {
    /// The device, once found (wgpu handles stay on the page's thread).
    static CONTEXT: RefCell<Option<GpuContext>> = const { RefCell::new(None) };
}

/// The page's GPU state, shared by the training panels.
#[derive(Clone, Copy)]
pub struct Gpu {
    /// What is known about WebGPU.
    pub status: RwSignal<GpuStatus>,
    /// A debugging aid for the fallback: the URL's `gpu_lose_after=k` destroys
    /// the device once a run has taken k steps.
    pub lose_after: Option<usize>,
    /// Whether the training kernels are compiled on the device.
    pub kernels_ready: RwSignal<bool>,
}

/// Starts the probe and shares the result.
pub fn provide_gpu() -> Gpu {
    let lose_after = dom::query_value("gpu_lose_after").and_then(|v| v.parse().ok());
    let gpu = Gpu {
        status: RwSignal::new(GpuStatus::Probing),
        lose_after,
        kernels_ready: RwSignal::new(false),
    };
    leptos::task::spawn_local(async move {
        match GpuContext::new().await {
            Ok(mut ctx) => {
                if let Some(name) = adapter_description().await {
                    ctx.adapter.name = name;
                }
                gpu.status.set(GpuStatus::Ready(ctx.adapter.clone()));
                CONTEXT.with(|c| *c.borrow_mut() = Some(ctx));
            }
            Err(e) => gpu.status.set(GpuStatus::Unavailable(e.to_string())),
        }
    });
    provide_context(gpu);
    gpu
}

/// The browser's own words for its adapter (`GPUAdapter.info`: vendor,
/// architecture, description), which wgpu does not pass on.
async fn adapter_description() -> Option<String> {
    use js_sys::Reflect;
    use wasm_bindgen::JsCast;
    let gpu = Reflect::get(&dom::window().navigator(), &"gpu".into()).ok()?;
    let request = Reflect::get(&gpu, &"requestAdapter".into())
        .ok()?
        .dyn_into::<js_sys::Function>()
        .ok()?;
    let promise = request
        .call0(&gpu)
        .ok()?
        .dyn_into::<js_sys::Promise>()
        .ok()?;
    let adapter = wasm_bindgen_futures::JsFuture::from(promise).await.ok()?;
    let info = Reflect::get(&adapter, &"info".into()).ok()?;
    let words: Vec<String> = ["vendor", "architecture", "description"]
        .into_iter()
        .filter_map(|key| Reflect::get(&info, &key.into()).ok()?.as_string())
        .filter(|s| !s.is_empty())
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// The page's GPU state.
pub fn use_gpu() -> Gpu {
    expect_context::<Gpu>()
}

impl Gpu {
    /// The device, when there is one and it has not been lost.
    pub fn context(&self) -> Option<GpuContext> {
        CONTEXT.with(|c| c.borrow().clone())
    }

    /// Compiles the training kernels ahead of the first run when `backend`
    /// trains on the device (about a second on SwiftShader, which would
    /// otherwise delay the first run); `kernels_ready` turns true then.
    pub fn prepare_for(&self, backend: Backend) {
        let Some(ctx) = self
            .context()
            .filter(|ctx| backend.uses_gpu(ctx.adapter.software))
        else {
            return;
        };
        if self.kernels_ready.get_untracked() {
            return;
        }
        let ready = self.kernels_ready;
        leptos::task::spawn_local(async move {
            ctx.prepare().await;
            ready.set(true);
        });
    }

    /// Forgets a lost device.
    pub fn lost(&self, reason: Message) {
        CONTEXT.with(|c| *c.borrow_mut() = None);
        self.status.set(GpuStatus::Lost(reason));
    }
}

/// The badge's words in `lang` for a backend in use, the one chosen, and what the browser has.
pub fn badge_text(lang: Lang, on_gpu: bool, chosen: Backend, status: &GpuStatus) -> String {
    match (on_gpu, status) {
        (true, GpuStatus::Ready(a)) => tr_with(
            lang,
            if a.software {
                "training.badge_gpu_software"
            } else {
                "training.badge_gpu"
            },
            &[("adapter", &a.name)],
        ),
        (_, GpuStatus::Probing) => tr(lang, "training.badge_probing").to_owned(),
        (false, GpuStatus::Ready(a)) if chosen == Backend::Auto && a.software => {
            tr_with(lang, "training.badge_cpu_faster", &[("adapter", &a.name)])
        }
        (false, GpuStatus::Ready(a)) => {
            tr_with(lang, "training.badge_cpu_chosen", &[("adapter", &a.name)])
        }
        (_, GpuStatus::Unavailable(_)) => tr(lang, "training.badge_no_adapter").to_owned(),
        (_, GpuStatus::Lost(why)) => {
            tr_with(lang, "training.badge_lost", &[("why", &why.in_lang(lang))])
        }
    }
}
