//! The worker's side of the conversation: commands come in as bytes, are
//! queued, and the loop trains every active job a chunk at a time, letting
//! new commands in between chunks.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use super::clock;
use super::job::{Job, Mode};
use super::protocol::{BenchResult, Command, Device, GpuProbe, Report, Stop, decode, encode};
use crate::gpu::{GpuContext, GpuError, GpuTrainer};
use crate::i18n::Message;
use crate::train::benchmark;
use crate::train::trainer::CpuTrainer;

/// Commands not handled yet, and the loop's wake-up call while it is idle.
#[derive(Default)]
struct Inbox {
    commands: VecDeque<Command>,
    wake: Option<js_sys::Function>,
}

fn scope() -> web_sys::DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

fn post(report: Report) {
    let bytes = js_sys::Uint8Array::from(encode(&report).as_slice());
    let buffer = bytes.buffer();
    // The bytes are moved, not copied (snapshots are a few hundred kB).
    let _ = scope().post_message_with_transfer(&bytes, &js_sys::Array::of1(&buffer));
}

/// Starts the worker: listens for the page's commands and trains, or, when
/// the page named it so, counts a data set ([`super::file_reader`]).
pub fn run() {
    if scope().name() == super::data_set::COUNTING {
        return super::file_reader::run();
    }
    console_error_panic_hook::set_once();
    let inbox = Rc::new(RefCell::new(Inbox::default()));
    let receiver = inbox.clone();
    let on_message =
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            let bytes = js_sys::Uint8Array::new(&event.data()).to_vec();
            match decode::<Command>(&bytes) {
                Ok(command) => {
                    let mut inbox = receiver.borrow_mut();
                    inbox.commands.push_back(command);
                    if let Some(wake) = inbox.wake.take() {
                        let _ = wake.call0(&JsValue::NULL);
                    }
                }
                // The page and the worker come from one build: a bug, said aloud.
                Err(e) => web_sys::console::error_1(&e.to_string().into()),
            }
        });
    scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
    wasm_bindgen_futures::spawn_local(serve(inbox));
}

/// The next command, waiting for one when none is queued.
async fn next_command(inbox: &Rc<RefCell<Inbox>>) -> Command {
    loop {
        if let Some(command) = inbox.borrow_mut().commands.pop_front() {
            return command;
        }
        let promise = js_sys::Promise::new(&mut |resolve, _| {
            inbox.borrow_mut().wake = Some(resolve);
        });
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    }
}

/// WebGPU in this worker, with the browser's own words for the adapter.
async fn probe() -> Result<GpuContext, String> {
    let mut ctx = GpuContext::new().await.map_err(|e| e.to_string())?;
    if let Some(name) = adapter_description().await {
        ctx.adapter.name = name;
    }
    Ok(ctx)
}

/// `GPUAdapter.info` (vendor, architecture, description), which wgpu does not pass on.
async fn adapter_description() -> Option<String> {
    use js_sys::Reflect;
    let navigator = Reflect::get(&js_sys::global(), &"navigator".into()).ok()?;
    let gpu = Reflect::get(&navigator, &"gpu".into()).ok()?;
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

/// The worker's loop: probe WebGPU, then handle commands and train.
async fn serve(inbox: Rc<RefCell<Inbox>>) {
    let mut gpu = match probe().await {
        Ok(ctx) => {
            post(Report::Ready(GpuProbe::Ready(ctx.adapter.clone())));
            Some(ctx)
        }
        Err(why) => {
            post(Report::Ready(GpuProbe::Unavailable(why)));
            None
        }
    };
    let mut jobs: Vec<Job> = Vec::new();
    loop {
        if !jobs.iter().any(Job::active) {
            let command = next_command(&inbox).await;
            handle(command, &mut jobs, &mut gpu).await;
        }
        let queued: Vec<Command> = inbox.borrow_mut().commands.drain(..).collect();
        for command in queued {
            handle(command, &mut jobs, &mut gpu).await;
        }
        for job in jobs.iter_mut().filter(|j| j.active()) {
            if job.advance(&post).await.is_some() {
                // The device is gone for every job: later ones train on the CPU.
                gpu = None;
            }
        }
        clock::yield_now().await;
    }
}

async fn handle(command: Command, jobs: &mut Vec<Job>, gpu: &mut Option<GpuContext>) {
    let find = |jobs: &mut Vec<Job>, id| jobs.iter_mut().position(|j| j.id == id);
    match command {
        Command::Start { job, spec, resume } => {
            jobs.retain(|j| j.id != job);
            let resume = match resume.map(|s| s.states()).transpose() {
                Ok(resume) => resume,
                Err(e) => {
                    post(Report::Failed(
                        job,
                        Message::new("training.snapshot_damaged").with("why", e),
                    ));
                    return;
                }
            };
            match Job::start(job, spec, gpu.as_ref(), resume).await {
                Ok(mut new) => {
                    post(Report::Update(job, new.update(None)));
                    jobs.push(new);
                }
                Err(why) => post(Report::Failed(job, why)),
            }
        }
        Command::Play(id) | Command::Step(id) | Command::Pause(id) => {
            let Some(i) = find(jobs, id) else { return };
            let job = &mut jobs[i];
            job.mode = match command {
                Command::Play(_) => Mode::Playing,
                Command::Step(_) => Mode::Stepping,
                _ => Mode::Paused,
            };
            if job.finished() {
                // A pause sent as the runs took their last step: reported as a
                // pause, the page would take them for unfinished and send a
                // step that never comes back.
                job.mode = Mode::Paused;
                post(Report::Update(id, job.update(Some(Stop::Finished))));
            } else if job.mode == Mode::Paused {
                post(Report::Update(id, job.update(Some(Stop::Paused))));
                post(Report::Snapshot(id, job.snapshot()));
            }
        }
        Command::Drop(id) => jobs.retain(|j| j.id != id),
        Command::Bench {
            device,
            batch,
            millis,
            multi_label: false,
        } => post(Report::Bench(
            bench(device, batch, millis, gpu.as_ref()).await,
        )),
        Command::Bench {
            device,
            batch,
            millis,
            multi_label: true,
        } => post(Report::Bench(
            super::multi_label::bench(device, batch, millis, gpu.as_ref()).await,
        )),
        Command::TrainMultiLabel(spec) => {
            if super::multi_label::train(spec, gpu.as_ref(), post)
                .await
                .is_some()
            {
                // The device is gone for every job: later ones train on the CPU.
                *gpu = None;
            }
        }
        Command::PrepareGpu => {
            if let Some(ctx) = gpu {
                ctx.prepare().await;
                post(Report::KernelsReady);
            }
        }
    }
}

/// Times the benchmark model on one device, after its warm-up steps.
async fn bench(
    device: Device,
    batch: usize,
    millis: f64,
    gpu: Option<&GpuContext>,
) -> Result<BenchResult, Message> {
    let task = benchmark::task();
    let config = benchmark::config(batch);
    let (train, counts) = (&task.train, &task.counts);
    let mut steps = 0;
    let start;
    match (device, gpu) {
        (Device::Gpu, Some(ctx)) => {
            // One model, 32 steps a submission, read back at the end only.
            let mut trainer =
                GpuTrainer::new(ctx, train, counts, &[config], 32).map_err(|e| e.message())?;
            trainer
                .step(benchmark::WARM_UP_STEPS, false)
                .await
                .map_err(|e| e.message())?;
            start = clock::now_ms();
            while clock::now_ms() - start < millis {
                trainer.step(32, false).await.map_err(|e| e.message())?;
                steps += 32;
            }
        }
        (Device::Gpu, None) => {
            return Err(GpuError::NoAdapter("none in this worker".into()).message());
        }
        _ => {
            let mut trainer = CpuTrainer::new(train, counts, &config).map_err(|e| e.message())?;
            trainer.step(benchmark::WARM_UP_STEPS);
            return Ok(clock::time_cpu(batch, millis, |k| {
                trainer.step(k);
            }));
        }
    }
    let seconds = (clock::now_ms() - start) / 1000.0;
    Ok(BenchResult {
        samples_per_s: (steps * batch) as f64 / seconds,
        steps,
    })
}
