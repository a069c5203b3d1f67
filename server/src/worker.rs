//! The render worker: one OS thread owns the GPU [`Studio`] and the resident
//! products; jobs arrive through a bounded channel, controls through another.
//!
//! The worker only renders (encoding happens on the blocking pool). A job past
//! its deadline is skipped. On device loss (wgpu's device-lost callback, a
//! panic in a render, or the test hook) the worker marks itself not ready,
//! drops every resident product, recreates the studio and goes on.

mod resident;

use crate::catalog::Product;
use crate::error::ServeError;
use crate::metrics::Metrics;
use resident::Residents;
use showroom::gpu::GpuOptions;
use showroom::output::Frame;
use showroom::product::{ConfigError, Configuration};
use showroom::render::RenderSettings;
use showroom::showcase::ProductSceneError;
use showroom::studio::Studio;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, oneshot};

/// One render.
#[derive(Debug)]
pub struct RenderJob {
    /// The product (its package and revision).
    pub product: Arc<Product>,
    /// The validated (canonical) configuration.
    pub configuration: Configuration,
    /// Size, camera, background…
    pub settings: RenderSettings,
    /// The uploaded images the configuration references, by reference.
    pub images: std::collections::HashMap<String, axum::body::Bytes>,
    /// When the answer is no longer wanted.
    pub deadline: Instant,
    /// Where the frame goes.
    pub reply: oneshot::Sender<Result<Frame, JobError>>,
}

/// Why a job gave no frame.
#[derive(Debug, Clone, thiserror::Error)]
pub enum JobError {
    /// The job waited past its deadline.
    #[error("deadline exceeded")]
    Deadline,
    /// The GPU is not available (recovering or shutting down).
    #[error("the renderer is not ready: {0}")]
    NotReady(String),
    /// The configuration was refused by the studio.
    #[error("invalid configuration")]
    Configuration(Vec<ConfigError>),
    /// A text or image of the configuration could not be made into a
    /// decal (a text that does not fit, an image that does not decode).
    #[error("option {option:?}: {message}")]
    Personalization {
        /// The option.
        option: String,
        /// Why.
        message: String,
    },
    /// Anything else (logged, answered as an internal error).
    #[error("{0}")]
    Failed(String),
}

/// Why [`Worker::try_submit`] refused a job.
#[derive(Debug)]
pub enum SubmitError {
    /// The queue is full; retry after this many seconds.
    Full {
        /// Suggested `Retry-After`.
        retry_after_s: u64,
    },
    /// The worker has stopped.
    Closed,
}

enum Control {
    Evict(String),
    DeviceLoss,
    Pause {
        entered: oneshot::Sender<()>,
        release: oneshot::Receiver<()>,
    },
    Shutdown,
}

/// State shared between the worker thread and the service.
#[derive(Debug)]
struct Shared {
    ready: AtomicBool,
    /// Exponentially weighted mean render time, in microseconds (0 = none yet).
    mean_render_us: AtomicU64,
    renders: AtomicU64,
    metrics: Metrics,
}

/// The handle of the render worker.
#[derive(Debug)]
pub struct Worker {
    jobs: mpsc::Sender<RenderJob>,
    control: mpsc::UnboundedSender<Control>,
    thread: Mutex<Option<std::thread::JoinHandle<()>>>,
    shared: Arc<Shared>,
}

/// The worker's settings.
#[derive(Debug, Clone)]
pub struct WorkerConfig {
    /// Jobs that may wait.
    pub queue_depth: usize,
    /// Estimated GPU bytes of resident products.
    pub gpu_memory_budget: u64,
}

impl Worker {
    /// Starts the worker thread and waits until the GPU is open.
    ///
    /// # Errors
    ///
    /// [`ServeError::Gpu`] when no GPU (or software driver) can be opened.
    pub async fn start(config: WorkerConfig, metrics: Metrics) -> Result<Self, ServeError> {
        let (jobs, job_rx) = mpsc::channel(config.queue_depth.max(1));
        let (control, ctrl_rx) = mpsc::unbounded_channel();
        let shared = Arc::new(Shared {
            ready: AtomicBool::new(false),
            mean_render_us: AtomicU64::new(0),
            renders: AtomicU64::new(0),
            metrics,
        });
        let (init_tx, init_rx) = oneshot::channel();
        let s = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name("showroom-render".into())
            .spawn(move || {
                let gpu = match Gpu::open(&s) {
                    Ok(g) => {
                        let _ = init_tx.send(Ok(()));
                        g
                    }
                    Err(e) => {
                        let _ = init_tx.send(Err(e));
                        return;
                    }
                };
                let mut state = WorkerState {
                    gpu: Some(gpu),
                    residents: Residents::new(config.gpu_memory_budget),
                    shared: s,
                };
                state.run(job_rx, ctrl_rx);
            })
            .map_err(|e| ServeError::Gpu(format!("cannot start the render thread: {e}")))?;
        match init_rx.await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => {
                let _ = thread.join();
                return Err(ServeError::Gpu(e));
            }
            Err(_) => return Err(ServeError::Gpu("the render thread died".into())),
        }
        Ok(Self {
            jobs,
            control,
            thread: Mutex::new(Some(thread)),
            shared,
        })
    }

    /// Queues a job without waiting.
    ///
    /// # Errors
    ///
    /// [`SubmitError::Full`] with a `Retry-After` estimate (queue length ×
    /// mean render time) when the queue is full.
    pub fn try_submit(&self, job: RenderJob) -> Result<(), SubmitError> {
        match self.jobs.try_send(job) {
            Ok(()) => {
                self.shared.metrics.queue_depth.set(self.queue_len() as i64);
                Ok(())
            }
            Err(mpsc::error::TrySendError::Full(_)) => Err(SubmitError::Full {
                retry_after_s: self.retry_after_s(),
            }),
            Err(mpsc::error::TrySendError::Closed(_)) => Err(SubmitError::Closed),
        }
    }

    /// Jobs waiting now.
    pub fn queue_len(&self) -> usize {
        self.jobs.max_capacity() - self.jobs.capacity()
    }

    /// Seconds until the queue has likely drained (at least 1).
    pub fn retry_after_s(&self) -> u64 {
        let mean = match self.shared.mean_render_us.load(Ordering::Relaxed) {
            0 => 500_000,
            m => m,
        };
        let total_us = mean.saturating_mul(self.queue_len().max(1) as u64);
        total_us.div_ceil(1_000_000).max(1)
    }

    /// Whether the GPU is up.
    pub fn is_ready(&self) -> bool {
        self.shared.ready.load(Ordering::SeqCst)
    }

    /// Renders done since the start.
    pub fn renders(&self) -> u64 {
        self.shared.renders.load(Ordering::SeqCst)
    }

    /// Drops a resident product (its package changed or is gone).
    pub fn evict(&self, id: &str) {
        let _ = self.control.send(Control::Evict(id.to_string()));
    }

    /// Test hook: destroys the GPU device as a driver reset would; the worker
    /// goes through its device-loss recovery. Not ready from this call until
    /// the studio is recreated.
    pub fn simulate_device_loss(&self) {
        self.shared.ready.store(false, Ordering::SeqCst);
        let _ = self.control.send(Control::DeviceLoss);
    }

    /// Test hook: holds the worker between jobs until the guard is dropped.
    /// Returns once the worker is held.
    pub async fn pause(&self) -> PauseGuard {
        let (entered_tx, entered_rx) = oneshot::channel();
        let (release_tx, release_rx) = oneshot::channel();
        let _ = self.control.send(Control::Pause {
            entered: entered_tx,
            release: release_rx,
        });
        let _ = entered_rx.await;
        PauseGuard {
            _release: release_tx,
        }
    }

    /// Stops the worker after the job it is rendering; queued jobs are
    /// answered "not ready". Waits for the thread to end.
    pub async fn shutdown(&self) {
        let _ = self.control.send(Control::Shutdown);
        let thread = self.thread.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(t) = thread {
            let _ = tokio::task::spawn_blocking(move || t.join()).await;
        }
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        let _ = self.control.send(Control::Shutdown);
    }
}

/// Holds the worker paused (test hook) until dropped.
#[derive(Debug)]
pub struct PauseGuard {
    _release: oneshot::Sender<()>,
}

/// The GPU studio and its loss flag.
struct Gpu {
    studio: Studio,
    lost: Arc<AtomicBool>,
    error: Arc<Mutex<Option<String>>>,
}

impl Gpu {
    fn open(shared: &Arc<Shared>) -> Result<Self, String> {
        let studio = Studio::new(&GpuOptions::default()).map_err(|e| e.to_string())?;
        let lost = Arc::new(AtomicBool::new(false));
        let error = Arc::new(Mutex::new(None));
        let device = &studio.renderer.ctx.device;
        let (l, m) = (Arc::clone(&lost), shared.metrics.clone());
        device.set_device_lost_callback(move |reason, message| {
            tracing::error!(?reason, message, "GPU device lost");
            m.device_lost.inc();
            l.store(true, Ordering::SeqCst);
        });
        let e = Arc::clone(&error);
        device.on_uncaptured_error(Arc::new(move |err: showroom::wgpu::Error| {
            tracing::error!("GPU error: {err}");
            *e.lock().unwrap_or_else(|p| p.into_inner()) = Some(err.to_string());
        }));
        shared.ready.store(true, Ordering::SeqCst);
        tracing::info!(adapter = %studio.renderer.ctx.summary, "render worker ready");
        Ok(Self {
            studio,
            lost,
            error,
        })
    }

    fn take_error(&self) -> Option<String> {
        self.error.lock().unwrap_or_else(|p| p.into_inner()).take()
    }
}

struct WorkerState {
    gpu: Option<Gpu>,
    residents: Residents,
    shared: Arc<Shared>,
}

enum Msg {
    Job(RenderJob),
    Control(Control),
    Closed,
}

impl WorkerState {
    fn run(
        &mut self,
        mut jobs: mpsc::Receiver<RenderJob>,
        mut ctrl: mpsc::UnboundedReceiver<Control>,
    ) {
        let rt = match tokio::runtime::Builder::new_current_thread().build() {
            Ok(rt) => rt,
            Err(e) => {
                tracing::error!("render worker: cannot build its runtime: {e}");
                return;
            }
        };
        loop {
            let msg = rt.block_on(async {
                tokio::select! {
                    biased;
                    c = ctrl.recv() => c.map_or(Msg::Closed, Msg::Control),
                    j = jobs.recv() => j.map_or(Msg::Closed, Msg::Job),
                }
            });
            self.shared.metrics.queue_depth.set(jobs.len() as i64);
            match msg {
                Msg::Job(job) => self.job(job),
                Msg::Control(Control::Evict(id)) => {
                    if self.residents.remove(&id) {
                        tracing::info!(product = id, "resident product dropped (package changed)");
                    }
                    self.update_gauges();
                }
                Msg::Control(Control::DeviceLoss) => {
                    if let Some(g) = &self.gpu {
                        tracing::warn!("test hook: destroying the GPU device");
                        g.studio.renderer.ctx.device.destroy();
                        g.studio.renderer.ctx.wait_idle();
                        g.lost.store(true, Ordering::SeqCst);
                    }
                    self.recover();
                }
                Msg::Control(Control::Pause { entered, release }) => {
                    let _ = entered.send(());
                    let _ = release.blocking_recv();
                }
                Msg::Control(Control::Shutdown) | Msg::Closed => break,
            }
        }
        jobs.close();
        while let Ok(job) = jobs.try_recv() {
            let _ = job.reply.send(Err(JobError::NotReady(
                "the service is shutting down".into(),
            )));
        }
        self.residents.clear();
        self.gpu = None;
        tracing::info!("render worker stopped");
    }

    fn job(&mut self, job: RenderJob) {
        if Instant::now() > job.deadline {
            let _ = job.reply.send(Err(JobError::Deadline));
            return;
        }
        if job.reply.is_closed() {
            return;
        }
        if self.gpu.is_none() {
            self.recover();
        }
        let Some(gpu) = self.gpu.as_mut() else {
            let _ = job
                .reply
                .send(Err(JobError::NotReady("the GPU is recovering".into())));
            return;
        };
        let t0 = Instant::now();
        let residents = &mut self.residents;
        let result = std::panic::catch_unwind(AssertUnwindSafe(|| {
            render(&mut gpu.studio, residents, &job)
        }));
        let elapsed = t0.elapsed();
        let mut lost = gpu.lost.load(Ordering::SeqCst);
        let gpu_error = gpu.take_error();
        let result = match (result, gpu_error) {
            (Err(panic), _) => {
                lost = true;
                Err(JobError::Failed(format!(
                    "the render panicked: {}",
                    panic_message(&panic)
                )))
            }
            (Ok(Ok(_)), Some(e)) => {
                lost |= e.to_ascii_lowercase().contains("out of memory");
                Err(JobError::Failed(format!(
                    "GPU error during the render: {e}"
                )))
            }
            (Ok(r), _) => r,
        };
        if result.is_ok() {
            self.record_render(elapsed);
        }
        self.update_gauges();
        let _ = job.reply.send(result);
        if lost {
            self.recover();
        }
    }

    fn record_render(&self, elapsed: Duration) {
        let s = &self.shared;
        s.renders.fetch_add(1, Ordering::SeqCst);
        s.metrics.renders.inc();
        s.metrics.render_seconds.observe(elapsed.as_secs_f64());
        let us = elapsed.as_micros().min(u64::MAX as u128) as u64;
        let old = s.mean_render_us.load(Ordering::Relaxed);
        let new = if old == 0 { us } else { (old * 7 + us) / 8 };
        s.mean_render_us.store(new.max(1), Ordering::Relaxed);
    }

    fn update_gauges(&self) {
        let m = &self.shared.metrics;
        m.resident_products.set(self.residents.len() as i64);
        m.resident_bytes.set(self.residents.bytes() as i64);
    }

    /// Device loss: not ready, drop every resident product and the studio,
    /// open a new one (a few tries), ready again.
    fn recover(&mut self) {
        self.shared.ready.store(false, Ordering::SeqCst);
        self.residents.clear();
        if self.gpu.take().is_some() {
            tracing::warn!("GPU lost: resident products dropped, recreating the studio");
        }
        for attempt in 0..5u32 {
            match Gpu::open(&self.shared) {
                Ok(g) => {
                    self.gpu = Some(g);
                    self.shared.metrics.device_recoveries.inc();
                    tracing::info!("GPU recovered");
                    break;
                }
                Err(e) => {
                    tracing::error!(attempt, "cannot reopen the GPU: {e}");
                    std::thread::sleep(Duration::from_millis(200 << attempt));
                }
            }
        }
        self.update_gauges();
    }
}

fn render(
    studio: &mut Studio,
    residents: &mut Residents,
    job: &RenderJob,
) -> Result<Frame, JobError> {
    let p = residents.get_or_load(studio, &job.product)?;
    let mut load = |reference: &str| {
        job.images
            .get(reference)
            .map(|b| b.to_vec())
            .ok_or_else(|| format!("image {reference} is not stored; send it again"))
    };
    let configured = studio.configure_with_images(&mut p.loaded, &job.configuration, &mut load);
    let result = configured.and_then(|_| studio.render_product(&mut p.loaded, &job.settings));
    residents.refresh_bytes(job.product.id());
    result.map_err(|e| match e {
        ProductSceneError::Configuration { errors } => JobError::Configuration(errors),
        ProductSceneError::Personalization(e) if e.option().is_some() => {
            JobError::Personalization {
                option: e.option().unwrap_or_default().to_string(),
                message: e.to_string(),
            }
        }
        ProductSceneError::Decal { option, source } => JobError::Personalization {
            option,
            message: source.to_string(),
        },
        other => JobError::Failed(other.to_string()),
    })
}

fn panic_message(p: &(dyn std::any::Any + Send)) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}
