//! The Showroom HTTP render service (axum): configurations in, product images
//! out. The API is `docs/api.md`.
//!
//! [`AppState::start`] opens the GPU on one render-worker thread, scans the
//! product folder and starts its poller; [`app`] is the router; [`serve`]
//! binds, serves and shuts down gracefully on SIGTERM / Ctrl-C.
//! [`sign_url`] signs `…/image` URLs for `showroom sign-url`.

pub mod cache;
pub mod catalog;
pub mod config;
pub mod error;
pub mod metrics;
pub mod params;
pub mod pipeline;
pub mod request;
pub mod routes;
pub mod signing;
pub mod uploads;
pub mod worker;

pub use config::ServeConfig;
pub use error::{AppError, ServeError};
pub use routes::app;
pub use showroom;
pub use signing::sign_url;

use cache::RenderCache;
use catalog::Catalog;
use metrics::Metrics;
use params::SizeLimits;
use pipeline::Flight;
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::time::Duration;
use uploads::{UploadLimits, UploadStore};
use worker::{Worker, WorkerConfig};

/// The service state: configuration, catalogue, render worker, caches and
/// metrics. Cheap to clone (one `Arc`).
#[derive(Clone, Debug)]
pub struct AppState {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    config: ServeConfig,
    catalog: Arc<Catalog>,
    worker: Worker,
    cache: RenderCache,
    uploads: UploadStore,
    metrics: Metrics,
    inflight: Mutex<HashMap<String, Flight>>,
    poller: Mutex<Option<tokio::task::JoinHandle<()>>>,
}

impl AppState {
    /// Starts the service state: scans the products, opens the disk cache,
    /// starts the render worker (waits until the GPU is open) and the
    /// product-folder poller.
    ///
    /// # Errors
    ///
    /// [`ServeError::Config`] for an invalid configuration,
    /// [`ServeError::Gpu`] when no GPU can be opened.
    pub async fn start(config: ServeConfig) -> Result<Self, ServeError> {
        config.check()?;
        let metrics = Metrics::new();
        let dir = config.products_dir();
        let catalog = tokio::task::spawn_blocking(move || Arc::new(Catalog::load(&dir)))
            .await
            .map_err(|e| ServeError::Gpu(format!("catalogue task: {e}")))?;
        let snap = catalog.snapshot();
        tracing::info!(
            dir = %catalog.dir().display(),
            products = snap.products.len(),
            unavailable = snap.unavailable.len(),
            "products scanned"
        );
        let (mem, disk_dir, disk) = (
            config.cache_memory_bytes,
            config.cache_path(),
            config.cache_disk_bytes,
        );
        let m = metrics.clone();
        let cache = tokio::task::spawn_blocking(move || RenderCache::new(mem, disk_dir, disk, m))
            .await
            .map_err(|e| ServeError::Gpu(format!("cache task: {e}")))?;
        let worker = Worker::start(
            WorkerConfig {
                queue_depth: config.queue_depth,
                gpu_memory_budget: config.gpu_memory_budget,
            },
            metrics.clone(),
        )
        .await?;
        let uploads = UploadStore::new((config.max_upload_bytes as u64).saturating_mul(16));
        let state = Self {
            inner: Arc::new(Inner {
                config,
                catalog,
                worker,
                cache,
                uploads,
                metrics,
                inflight: Mutex::new(HashMap::new()),
                poller: Mutex::new(None),
            }),
        };
        let poller = tokio::spawn(poll(
            Arc::downgrade(&state.inner),
            Duration::from_millis(state.inner.config.reload_interval_ms),
        ));
        *state.inner.poller.lock().unwrap_or_else(|e| e.into_inner()) = Some(poller);
        Ok(state)
    }

    /// The configuration.
    pub fn config(&self) -> &ServeConfig {
        &self.inner.config
    }

    /// The product catalogue.
    pub fn catalog(&self) -> &Catalog {
        &self.inner.catalog
    }

    /// The render worker (queue, readiness, test hooks).
    pub fn worker(&self) -> &Worker {
        &self.inner.worker
    }

    /// The render cache.
    pub fn cache(&self) -> &RenderCache {
        &self.inner.cache
    }

    /// The upload store.
    pub fn uploads(&self) -> &UploadStore {
        &self.inner.uploads
    }

    /// The metrics.
    pub fn metrics(&self) -> &Metrics {
        &self.inner.metrics
    }

    /// Renders done by this instance's worker (for tests and logs).
    pub fn renders(&self) -> u64 {
        self.inner.worker.renders()
    }

    /// Whether the GPU is up and at least one product is loaded.
    pub fn is_ready(&self) -> bool {
        self.inner.worker.is_ready() && !self.inner.catalog.snapshot().products.is_empty()
    }

    /// Rescans the product folder now (the poller does it every
    /// `reload_interval_ms`); changed products are dropped from the GPU.
    pub async fn reload_products(&self) -> catalog::Changes {
        reload(&self.inner).await
    }

    /// Stops the poller and the render worker (after its current job).
    pub async fn shutdown(&self) {
        let poller = self
            .inner
            .poller
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take();
        if let Some(p) = poller {
            p.abort();
        }
        self.inner.worker.shutdown().await;
    }

    pub(crate) fn size_limits(&self) -> SizeLimits {
        SizeLimits {
            max_width: self.inner.config.max_width,
            max_height: self.inner.config.max_height,
        }
    }

    pub(crate) fn upload_limits(&self) -> UploadLimits {
        UploadLimits {
            max_bytes: self.inner.config.max_upload_bytes,
            max_pixels: self.inner.config.max_upload_pixels,
        }
    }

    pub(crate) fn inflight(&self) -> MutexGuard<'_, HashMap<String, Flight>> {
        self.inner
            .inflight
            .lock()
            .unwrap_or_else(|e| e.into_inner())
    }
}

async fn reload(inner: &Arc<Inner>) -> catalog::Changes {
    let catalog = Arc::clone(&inner.catalog);
    let changes = tokio::task::spawn_blocking(move || catalog.rescan())
        .await
        .unwrap_or_default();
    for id in changes.changed.iter().chain(&changes.removed) {
        inner.worker.evict(id);
    }
    changes
}

async fn poll(inner: Weak<Inner>, every: Duration) {
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    tick.tick().await;
    loop {
        tick.tick().await;
        let Some(inner) = inner.upgrade() else {
            return;
        };
        reload(&inner).await;
    }
}

/// Binds `config.addr` and serves until SIGTERM or Ctrl-C; in-flight
/// requests finish, then the worker stops.
///
/// # Errors
///
/// [`ServeError`] when the state cannot start or the address cannot be bound.
pub async fn serve(config: ServeConfig) -> Result<(), ServeError> {
    config.check()?;
    let addr = config.addr.clone();
    // Bind first: a taken port fails before the GPU is opened.
    let listener = tokio::net::TcpListener::bind(&addr)
        .await
        .map_err(|source| ServeError::Io {
            context: format!("cannot listen on {addr}"),
            source,
        })?;
    let state = AppState::start(config).await?;
    tracing::info!(addr = %listener.local_addr().map(|a| a.to_string()).unwrap_or(addr), "serving");
    serve_on(state, listener, shutdown_signal()).await
}

/// Serves `state` on a bound listener until `shutdown` completes; in-flight
/// requests (and their renders) finish first, then the worker stops.
///
/// # Errors
///
/// [`ServeError::Io`] when the server fails.
pub async fn serve_on(
    state: AppState,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    let result = axum::serve(listener, app(state.clone()))
        .with_graceful_shutdown(shutdown)
        .await
        .map_err(|source| ServeError::Io {
            context: "server error".into(),
            source,
        });
    tracing::info!("server stopped; stopping the render worker");
    state.shutdown().await;
    result
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutdown requested");
}
