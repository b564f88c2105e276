//! A panel's runs and how they train: the toy task made from the explorer's
//! counts, the engine that trains the runs on the CPU or the GPU, and the
//! loop that advances them a chunk at a time between animation frames.

use leptos::prelude::*;

use crate::data::toy_data::{ToyConfig, ToyTask, make_toy_task, scale_counts};
use crate::explorer::training::TrainingSettings;
use crate::i18n::Message;
use crate::site::backend::Gpu;
use crate::site::dom;
use crate::site::engine::{Engine, Order};
use crate::train::config::TrainConfig;
use crate::train::metrics::{Metrics, metrics};
use crate::train::prediction::predict_run;

/// The largest class of the toy task, after scaling the explorer's counts.
const TOY_MAX: u64 = 500;

/// The toy task and the runs of `configs` on it, on the GPU when one is given.
pub(super) struct Runs {
    pub(super) task: ToyTask,
    pub(super) engine: Engine,
}

impl Runs {
    pub(super) fn new(
        counts: &[u64],
        seed: u64,
        configs: &[TrainConfig],
        gpu: Option<&crate::gpu::GpuContext>,
        order: Order,
    ) -> Result<Self, Message> {
        let toy = ToyConfig {
            seed,
            ..ToyConfig::default()
        };
        let task = make_toy_task(&scale_counts(counts, TOY_MAX), &toy).map_err(|e| e.message())?;
        let engine = Engine::new(&task, configs, gpu, order)?;
        Ok(Self { task, engine })
    }

    /// One chunk; on a GPU failure, the runs carry on on the CPU and the
    /// notice says so.
    async fn advance(&mut self, gpu: Gpu, budget_ms: f64) -> Option<Message> {
        if let Some(k) = gpu.lose_after
            && self.engine.on_gpu()
            && self.engine.progress().0 >= k
        {
            self.engine.lose_device();
        }
        let error = self.engine.chunk(budget_ms).await.err()?;
        let error = error.message();
        gpu.lost(error.clone());
        Some(match self.engine.fall_back(&self.task) {
            Ok(from) => Message::new("training.gpu_fallback")
                .with_message("error", error)
                .with("from", from),
            Err(why) => Message::new("training.gpu_failed")
                .with_message("error", error)
                .with_message("why", why),
        })
    }

    pub(super) fn evaluate(&self, i: usize) -> Metrics {
        let model = self.engine.model(i);
        let config = self.engine.config(i);
        let predicted = predict_run(&config, &model, &self.task.test.points, &self.task.counts);
        metrics(&predicted, &self.task.test.labels, &self.task.counts)
    }
}

/// A panel's training session: its runs and the handles its training loop
/// reports through.
#[derive(Clone, Copy)]
pub(super) struct Session {
    pub(super) gpu: Gpu,
    /// The runs, when there are some and no chunk has them out.
    pub(super) slot: StoredValue<Option<Runs>, LocalStorage>,
    /// The generation whose chunk has the runs out of the slot (on the GPU
    /// for as long as the GPU works, even after a pause): the slot is empty
    /// then, but the runs are not gone.
    pub(super) busy: StoredValue<Option<u64>>,
    /// Whether training goes on; the loop clears it when the runs finish.
    pub(super) running: RwSignal<bool>,
    /// Bumped by a reset: a loop of an older generation stops.
    pub(super) generation: StoredValue<u64>,
    /// What happened to the GPU, for the page.
    pub(super) notice: RwSignal<Option<Message>>,
    /// Whether the runs are on the GPU (they may fall back to the CPU).
    pub(super) on_gpu: RwSignal<Option<bool>>,
    /// CPU time a frame's chunk may take.
    pub(super) budget_ms: f64,
}

impl Session {
    pub(super) fn new(gpu: Gpu, budget_ms: f64) -> Self {
        Self {
            gpu,
            slot: StoredValue::new_local(None),
            busy: StoredValue::new(None),
            running: RwSignal::new(false),
            generation: StoredValue::new(0),
            notice: RwSignal::new(None),
            on_gpu: RwSignal::new(None),
            budget_ms,
        }
    }
}

/// Trains the session's runs chunk by chunk between animation frames while
/// `running` holds and the generation is unchanged (a reset starts a new
/// one); `each` sees the runs after every chunk and says whether to stop.
pub(super) async fn train_loop(session: Session, mut each: impl FnMut(&Runs, usize) -> bool) {
    let Session {
        gpu,
        slot,
        busy,
        running,
        generation,
        notice,
        on_gpu,
        budget_ms,
    } = session;
    let mine = generation.get_value();
    let mut frame = 0usize;
    while running.get_untracked() {
        // The runs leave the slot while the GPU works, and come back after.
        let Some(mut runs) = slot.try_update_value(Option::take).flatten() else {
            break;
        };
        busy.set_value(Some(mine));
        let failed = runs.advance(gpu, budget_ms).await;
        busy.update_value(|b| {
            if *b == Some(mine) {
                *b = None;
            }
        });
        if generation.get_value() != mine {
            break;
        }
        let gpu_busy = runs.engine.on_gpu();
        on_gpu.set(Some(gpu_busy));
        frame += 1;
        // Still on the GPU after a failure: the CPU could not take over.
        let stuck = failed.is_some() && gpu_busy;
        if let Some(n) = failed {
            notice.set(Some(n));
        }
        let stop = each(&runs, frame) || runs.engine.finished() || stuck;
        slot.set_value(Some(runs));
        if stop {
            running.set(false);
            break;
        }
        // A GPU chunk waits for the GPU without holding the page (frames are
        // drawn meanwhile): the next one goes at once, keeping the GPU busy.
        if !gpu_busy {
            dom::next_frame().await;
        }
    }
}

/// The device to train on: the GPU's when there is one and the settings
/// want it (automatic choice: not a software adapter).
pub(super) fn chosen_device(
    settings: &TrainingSettings,
    gpu: &Gpu,
) -> Option<crate::gpu::GpuContext> {
    gpu.context()
        .filter(|ctx| settings.backend.uses_gpu(ctx.adapter.software))
}
