//! Prometheus metrics of one service instance (its own registry, so several
//! instances in one process do not mix).

use prometheus::{
    Encoder, Histogram, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGauge, Opts,
    Registry, TextEncoder,
};

/// Every metric of the service.
#[derive(Clone)]
pub struct Metrics {
    registry: Registry,
    /// Requests by route, method and status.
    pub requests: IntCounterVec,
    /// Request latency by route.
    pub latency: HistogramVec,
    /// Render jobs waiting for the GPU.
    pub queue_depth: IntGauge,
    /// Cache lookups by result (`hit`, `miss`, `shared`).
    pub cache: IntCounterVec,
    /// Renders done.
    pub renders: IntCounter,
    /// GPU render time (product load + configure + render + readback).
    pub render_seconds: Histogram,
    /// Image encoding time.
    pub encode_seconds: Histogram,
    /// Device-lost callbacks.
    pub device_lost: IntCounter,
    /// Studio recreations after a loss.
    pub device_recoveries: IntCounter,
    /// Products resident on the GPU.
    pub resident_products: IntGauge,
    /// Estimated GPU bytes of resident products.
    pub resident_bytes: IntGauge,
    /// Bytes in the in-memory render cache.
    pub cache_memory_bytes: IntGauge,
    /// Bytes in the disk render cache.
    pub cache_disk_bytes: IntGauge,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics").finish_non_exhaustive()
    }
}

fn buckets() -> Vec<f64> {
    vec![
        0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
    ]
}

impl Metrics {
    /// A fresh registry with every metric registered.
    ///
    /// # Panics
    ///
    /// Never in practice: metric names are static and distinct.
    pub fn new() -> Self {
        let registry = Registry::new();
        let requests = IntCounterVec::new(
            Opts::new(
                "showroom_http_requests_total",
                "HTTP requests by route, method and status",
            ),
            &["route", "method", "status"],
        )
        .expect("metric");
        let latency = HistogramVec::new(
            HistogramOpts::new(
                "showroom_http_request_duration_seconds",
                "HTTP request latency by route",
            )
            .buckets(buckets()),
            &["route"],
        )
        .expect("metric");
        let queue_depth = IntGauge::new(
            "showroom_render_queue_depth",
            "Render jobs waiting for the GPU",
        )
        .expect("metric");
        let cache = IntCounterVec::new(
            Opts::new(
                "showroom_render_cache_total",
                "Render cache lookups by result",
            ),
            &["result"],
        )
        .expect("metric");
        let renders = IntCounter::new("showroom_renders_total", "Renders done").expect("metric");
        let render_seconds = Histogram::with_opts(
            HistogramOpts::new("showroom_render_seconds", "GPU render time per job")
                .buckets(buckets()),
        )
        .expect("metric");
        let encode_seconds = Histogram::with_opts(
            HistogramOpts::new("showroom_encode_seconds", "Image encoding time").buckets(buckets()),
        )
        .expect("metric");
        let device_lost = IntCounter::new(
            "showroom_gpu_device_lost_total",
            "GPU device losses reported",
        )
        .expect("metric");
        let device_recoveries = IntCounter::new(
            "showroom_gpu_recoveries_total",
            "Studio recreations after a device loss",
        )
        .expect("metric");
        let resident_products =
            IntGauge::new("showroom_resident_products", "Products resident on the GPU")
                .expect("metric");
        let resident_bytes = IntGauge::new(
            "showroom_resident_gpu_bytes",
            "Estimated GPU bytes of resident products",
        )
        .expect("metric");
        let cache_memory_bytes = IntGauge::new(
            "showroom_render_cache_memory_bytes",
            "Bytes in the memory render cache",
        )
        .expect("metric");
        let cache_disk_bytes = IntGauge::new(
            "showroom_render_cache_disk_bytes",
            "Bytes in the disk render cache",
        )
        .expect("metric");
        for c in [
            Box::new(requests.clone()) as Box<dyn prometheus::core::Collector>,
            Box::new(latency.clone()),
            Box::new(queue_depth.clone()),
            Box::new(cache.clone()),
            Box::new(renders.clone()),
            Box::new(render_seconds.clone()),
            Box::new(encode_seconds.clone()),
            Box::new(device_lost.clone()),
            Box::new(device_recoveries.clone()),
            Box::new(resident_products.clone()),
            Box::new(resident_bytes.clone()),
            Box::new(cache_memory_bytes.clone()),
            Box::new(cache_disk_bytes.clone()),
        ] {
            registry.register(c).expect("distinct metric names");
        }
        for r in ["hit", "miss", "shared"] {
            cache.with_label_values(&[r]);
        }
        Self {
            registry,
            requests,
            latency,
            queue_depth,
            cache,
            renders,
            render_seconds,
            encode_seconds,
            device_lost,
            device_recoveries,
            resident_products,
            resident_bytes,
            cache_memory_bytes,
            cache_disk_bytes,
        }
    }

    /// The Prometheus text exposition of every metric.
    pub fn render(&self) -> String {
        let mut buf = Vec::new();
        if let Err(e) = TextEncoder::new().encode(&self.registry.gather(), &mut buf) {
            tracing::error!("cannot encode metrics: {e}");
        }
        String::from_utf8(buf).unwrap_or_default()
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}
