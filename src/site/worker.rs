//! The page's side of the training worker ([`crate::worker`]): starts it once
//! the page has drawn, sends it commands, hands each job's reports to the
//! panel that started the job, and keeps every job's last snapshot. If the
//! worker dies (it throws, or its wasm does not load), a new one starts and
//! the jobs carry on from their snapshots; the panels say so.

use std::cell::RefCell;
use std::rc::Rc;

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use super::backend::{Gpu, GpuStatus};
use super::dom;
use crate::explorer::training::Backend;
use crate::i18n::Message;
use crate::worker::protocol::{
    BenchResult, Command, Device, GpuProbe, JobId, JobSpec, MultiLabelReport, MultiLabelSpec,
    Report, Snapshot, decode, encode,
};

/// The worker's loader, written by `cargo xtask` next to trunk's output.
pub const SCRIPT: &str = "./worker.js";
/// More deaths than this within [`DEATH_WINDOW_MS`] and the page stops restarting it.
const MOST_DEATHS: usize = 3;
const DEATH_WINDOW_MS: f64 = 20_000.0;

/// A job the page started, as the page knows it.
struct Job {
    id: JobId,
    /// Its spec, without the one-time debugging aid `die_after`.
    spec: JobSpec,
    /// The last snapshot, to carry on from.
    snapshot: Option<Snapshot>,
    /// Whether the page wants it to train.
    playing: bool,
    on_report: Rc<dyn Fn(Report)>,
}

struct Client {
    worker: web_sys::Worker,
    /// Whether the worker's wasm runs (commands wait in `queue` until then).
    ready: bool,
    queue: Vec<Vec<u8>>,
    jobs: Vec<Job>,
    next_id: JobId,
    /// The URL's `worker_die_after`, given to the first worker's jobs only.
    die_after: Option<usize>,
    /// When the workers died.
    deaths: Vec<f64>,
    gpu: Gpu,
    /// Who waits for a benchmark's figure.
    bench: Option<futures_channel::oneshot::Sender<Result<BenchResult, Message>>>,
    /// Who hears of the multi-label comparison in progress.
    multi_label: Option<MultiLabelHandler>,
    /// The worker's handlers, kept alive with it.
    _handlers: Handlers,
}

/// A multi-label comparison's listener.
type MultiLabelHandler = Rc<dyn Fn(MultiLabelEvent)>;

/// What a multi-label comparison's listener hears.
pub enum MultiLabelEvent {
    /// A run finished (the report so far), or why the worker cannot train it.
    Report(Result<MultiLabelReport, String>),
    /// The worker died (why, in the browser's words): the comparison is lost.
    WorkerLost(String),
}

type Handlers = (
    Closure<dyn Fn(web_sys::MessageEvent)>,
    Closure<dyn Fn(web_sys::Event)>,
);

thread_local! {
    static CLIENT: RefCell<Option<Client>> = const { RefCell::new(None) };
}

/// Starts the worker once the page has drawn its first frames (its wasm is
/// fetched then, not before the page is usable).
pub fn start_when_idle(gpu: Gpu) {
    leptos::task::spawn_local(async move {
        dom::next_frame().await;
        dom::next_frame().await;
        ensure(gpu);
    });
}

/// Why a worker's error event came, in the browser's words: a script that
/// throws gives an ErrorEvent; one that does not load (offline, a 404) a
/// plain Event, with no message.
pub fn why_it_died(event: &web_sys::Event) -> String {
    event
        .dyn_ref::<web_sys::ErrorEvent>()
        .map(web_sys::ErrorEvent::message)
        .filter(|why| !why.is_empty())
        .unwrap_or_else(|| "its script or WebAssembly did not load".to_owned())
}

fn spawn() -> Result<(web_sys::Worker, Handlers), String> {
    let worker = web_sys::Worker::new(SCRIPT).map_err(|e| format!("{e:?}"))?;
    let on_message =
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(|event: web_sys::MessageEvent| {
            let bytes = js_sys::Uint8Array::new(&event.data()).to_vec();
            match decode::<Report>(&bytes) {
                Ok(report) => receive(report),
                Err(e) => web_sys::console::error_1(&e.to_string().into()),
            }
        });
    let on_error = Closure::<dyn Fn(web_sys::Event)>::new(|event: web_sys::Event| {
        // Handled here: the page says it in words and restarts the worker.
        event.prevent_default();
        let why = why_it_died(&event);
        // Later, outside this handler, which the restart replaces.
        leptos::task::spawn_local(async move { restart(why) });
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    Ok((worker, (on_message, on_error)))
}

/// Starts the worker if it is not running.
fn ensure(gpu: Gpu) {
    if CLIENT.with(|c| c.borrow().is_some()) {
        return;
    }
    match spawn() {
        Ok((worker, handlers)) => CLIENT.with(|c| {
            *c.borrow_mut() = Some(Client {
                worker,
                ready: false,
                queue: Vec::new(),
                jobs: Vec::new(),
                next_id: 1,
                die_after: gpu.die_after,
                deaths: Vec::new(),
                gpu,
                bench: None,
                multi_label: None,
                _handlers: handlers,
            })
        }),
        Err(why) => gpu.status.set(GpuStatus::Unavailable(why)),
    }
}

fn post(client: &mut Client, command: &Command) {
    let bytes = encode(command);
    if client.ready {
        let array = js_sys::Uint8Array::from(bytes.as_slice());
        let _ = client.worker.post_message(&array);
    } else {
        client.queue.push(bytes);
    }
}

/// Starts a job whose reports go to `on_report`; it waits for a
/// [`Command::Play`] or [`Command::Step`].
pub fn start(gpu: Gpu, mut spec: JobSpec, on_report: impl Fn(Report) + 'static) -> JobId {
    ensure(gpu);
    CLIENT.with(|c| {
        let mut c = c.borrow_mut();
        let client = c.as_mut().expect("the worker was just started");
        let id = client.next_id;
        client.next_id += 1;
        spec.debug.die_after = None;
        let mut sent = spec.clone();
        sent.debug.die_after = client.die_after;
        post(
            client,
            &Command::Start {
                job: id,
                spec: sent,
                resume: None,
            },
        );
        client.jobs.push(Job {
            id,
            spec,
            snapshot: None,
            playing: false,
            on_report: Rc::new(on_report),
        });
        id
    })
}

/// Trains a multi-label comparison in the worker (on the CPU or WebGPU, as
/// the spec says); `on_event` hears as the runs finish, or why they cannot
/// train, or that the worker died. A newer comparison replaces the listener
/// of an older one.
pub fn train_multi_label(
    gpu: Gpu,
    spec: MultiLabelSpec,
    on_event: impl Fn(MultiLabelEvent) + 'static,
) {
    ensure(gpu);
    CLIENT.with(|c| {
        let mut c = c.borrow_mut();
        let Some(client) = c.as_mut() else { return };
        client.multi_label = Some(Rc::new(on_event));
        post(client, &Command::TrainMultiLabel(spec));
    });
}

/// Has the worker compile the training kernels ahead of the first run when
/// `backend` trains on the device (about a second on SwiftShader, which would
/// otherwise delay the first run); `gpu.kernels_ready` turns true then.
pub fn prepare_gpu(gpu: Gpu, backend: Backend) {
    if gpu.device_for(backend) != Device::Cpu && !gpu.kernels_asked.get_value() {
        gpu.kernels_asked.set_value(true);
        send(Command::PrepareGpu);
    }
}

/// Sends `command` (play, pause, step, drop, prepare) to the worker.
pub fn send(command: Command) {
    CLIENT.with(|c| {
        let mut c = c.borrow_mut();
        let Some(client) = c.as_mut() else { return };
        match command {
            Command::Drop(id) => client.jobs.retain(|j| j.id != id),
            Command::Play(id) | Command::Pause(id) | Command::Step(id) => {
                if let Some(job) = client.jobs.iter_mut().find(|j| j.id == id) {
                    job.playing = matches!(command, Command::Play(_));
                }
            }
            _ => {}
        }
        post(client, &command);
    });
}

/// A report from the worker: the client's own business, or a job's.
fn receive(report: Report) {
    let handler = CLIENT.with(|c| {
        let mut c = c.borrow_mut();
        let client = c.as_mut()?;
        let job_of = |client: &mut Client, id: JobId| {
            client
                .jobs
                .iter_mut()
                .find(|j| j.id == id)
                .map(|j| j.on_report.clone())
        };
        match &report {
            Report::Ready(probe) => {
                client.ready = true;
                for bytes in std::mem::take(&mut client.queue) {
                    let _ = client
                        .worker
                        .post_message(&js_sys::Uint8Array::from(bytes.as_slice()));
                }
                // After a restart the page keeps what it learnt of a lost device.
                if !matches!(client.gpu.status.get_untracked(), GpuStatus::Lost(_)) {
                    client.gpu.status.set(match probe {
                        GpuProbe::Ready(adapter) => GpuStatus::Ready(adapter.clone()),
                        GpuProbe::Unavailable(why) => GpuStatus::Unavailable(why.clone()),
                    });
                }
                None
            }
            Report::KernelsReady => {
                client.gpu.kernels_ready.set(true);
                None
            }
            Report::GpuLost(why) => {
                client.gpu.status.set(GpuStatus::Lost(why.clone()));
                None
            }
            Report::Snapshot(id, states) => {
                if let Some(job) = client.jobs.iter_mut().find(|j| j.id == *id) {
                    job.snapshot = Some(states.clone());
                }
                None
            }
            Report::Update(id, update) => {
                if update.stopped.is_some()
                    && let Some(job) = client.jobs.iter_mut().find(|j| j.id == *id)
                {
                    job.playing = false;
                }
                job_of(client, *id)
            }
            Report::Notice(id, _) | Report::Failed(id, _) => job_of(client, *id),
            Report::Bench(result) => {
                if let Some(waiting) = client.bench.take() {
                    let _ = waiting.send(result.clone());
                }
                None
            }
            Report::MultiLabel(_) => None,
        }
    });
    // Called with the client free: a panel may send a command from it.
    if let Some(handler) = handler {
        handler(report);
    } else if let Report::MultiLabel(result) = report {
        let listener = CLIENT.with(|c| c.borrow().as_ref().and_then(|c| c.multi_label.clone()));
        if let Some(listener) = listener {
            listener(MultiLabelEvent::Report(result));
        }
    }
}

/// The worker died (`why`): a new one carries every job on from its last
/// snapshot, and each job hears why; after too many deaths, the jobs fail.
fn restart(why: String) {
    let now = dom::now_ms();
    let told = CLIENT.with(|c| {
        let mut c = c.borrow_mut();
        let client = c.as_mut()?;
        client.worker.terminate();
        client.deaths.retain(|&t| now - t < DEATH_WINDOW_MS);
        client.deaths.push(now);
        client.die_after = None;
        let give_up = client.deaths.len() > MOST_DEATHS;
        let spawned = if give_up { None } else { spawn().ok() };
        let Some((worker, handlers)) = spawned else {
            let failed = Message::new("training.worker_failed").with("why", &why);
            return Some(
                client
                    .jobs
                    .drain(..)
                    .map(|j| (j.on_report, Report::Failed(j.id, failed.clone())))
                    .collect::<Vec<_>>(),
            );
        };
        client.worker = worker;
        client._handlers = handlers;
        client.ready = false;
        client.queue.clear();
        let mut told = Vec::new();
        let commands: Vec<Command> = client
            .jobs
            .iter()
            .flat_map(|job| {
                let from = job.snapshot.as_ref().map_or(0, |s| s.steps);
                let notice = Message::new("training.worker_restarted")
                    .with("why", &why)
                    .with("from", from);
                told.push((job.on_report.clone(), Report::Notice(job.id, notice)));
                let start = Command::Start {
                    job: job.id,
                    spec: job.spec.clone(),
                    resume: job.snapshot.clone(),
                };
                std::iter::once(start).chain(job.playing.then_some(Command::Play(job.id)))
            })
            .collect();
        for command in &commands {
            post(client, command);
        }
        Some(told)
    });
    for (handler, report) in told.into_iter().flatten() {
        handler(report);
    }
    // A multi-label comparison in progress is lost with the worker: its
    // listener hears why (the reader starts it again).
    let listener = CLIENT.with(|c| c.borrow_mut().as_mut().and_then(|c| c.multi_label.take()));
    if let Some(listener) = listener {
        listener(MultiLabelEvent::WorkerLost(why.to_string()));
    }
}

/// Times the benchmark model (or its multi-label twin) in the worker (see
/// [`Command::Bench`]), once a panel has started it.
pub async fn bench(
    device: Device,
    batch: usize,
    millis: f64,
    multi_label: bool,
) -> Result<BenchResult, Message> {
    let (sender, receiver) = futures_channel::oneshot::channel();
    let sent = CLIENT.with(|c| {
        let mut c = c.borrow_mut();
        let client = c.as_mut()?;
        client.bench = Some(sender);
        post(
            client,
            &Command::Bench {
                device,
                batch,
                millis,
                multi_label,
            },
        );
        Some(())
    });
    let lost = || Message::new("training.worker_failed").with("why", "no answer");
    sent.ok_or_else(lost)?;
    receiver.await.map_err(|_| lost())?
}
