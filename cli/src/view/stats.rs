//! `--stats`: frame times once a second and a summary at exit.

use std::time::{Duration, Instant};

/// One presented frame.
#[derive(Debug, Clone, Copy)]
pub struct FrameSample {
    /// From the start of this frame's work to the end of the previous one's.
    pub interval: Duration,
    /// Rendering the product (zero when the last image was reused).
    pub product: Duration,
    /// The product image's size.
    pub size: (u32, u32),
    /// Whether it was a reduced-resolution frame in motion.
    pub coarse: bool,
}

/// Collected samples.
#[derive(Debug)]
pub struct Stats {
    print: bool,
    since: Instant,
    window: Vec<FrameSample>,
    all: Vec<FrameSample>,
}

impl Stats {
    /// Collect; print once a second when `print`.
    pub fn new(print: bool) -> Self {
        Self {
            print,
            since: Instant::now(),
            window: Vec::new(),
            all: Vec::new(),
        }
    }

    /// Add a frame.
    pub fn push(&mut self, s: FrameSample) {
        self.window.push(s);
        self.all.push(s);
        if self.print && self.since.elapsed() >= Duration::from_secs(1) {
            eprintln!("{}", line(&self.window, self.since.elapsed()));
            self.window.clear();
            self.since = Instant::now();
        }
    }

    /// The full-resolution product render times seen so far (for the
    /// progressive-quality choice): the mean cost per pixel in seconds.
    pub fn seconds_per_pixel(&self) -> Option<f64> {
        let full: Vec<&FrameSample> = self
            .all
            .iter()
            .rev()
            .filter(|s| s.product > Duration::ZERO)
            .take(8)
            .collect();
        if full.is_empty() {
            return None;
        }
        let (t, px) = full.iter().fold((0.0, 0.0), |(t, px), s| {
            (
                t + s.product.as_secs_f64(),
                px + f64::from(s.size.0) * f64::from(s.size.1),
            )
        });
        Some(t / px.max(1.0))
    }

    /// The summary printed at exit.
    pub fn summary(&self) -> Option<String> {
        if !self.print || self.all.len() < 2 {
            return None;
        }
        let mut ms: Vec<f64> = self.all[1..]
            .iter()
            .map(|s| s.interval.as_secs_f64() * 1e3)
            .collect();
        ms.sort_by(f64::total_cmp);
        let pct = |p: f64| ms[((ms.len() - 1) as f64 * p).round() as usize];
        let renders: Vec<&FrameSample> = self
            .all
            .iter()
            .filter(|s| s.product > Duration::ZERO)
            .collect();
        let full: Vec<f64> = renders
            .iter()
            .filter(|s| !s.coarse)
            .map(|s| s.product.as_secs_f64() * 1e3)
            .collect();
        let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len().max(1) as f64;
        Some(format!(
            "frames {}: frame time p50 {:.1} ms, p95 {:.1} ms, mean {:.1} ms ({:.1} fps); \
             product renders {} ({} full resolution, mean {:.1} ms)",
            self.all.len(),
            pct(0.5),
            pct(0.95),
            mean(&ms),
            1e3 / mean(&ms).max(1e-9),
            renders.len(),
            full.len(),
            mean(&full),
        ))
    }
}

fn line(w: &[FrameSample], elapsed: Duration) -> String {
    let n = w.len().max(1) as f64;
    let frame = w.iter().map(|s| s.interval.as_secs_f64()).sum::<f64>() / n * 1e3;
    let rendered: Vec<&FrameSample> = w.iter().filter(|s| s.product > Duration::ZERO).collect();
    let product = rendered
        .iter()
        .map(|s| s.product.as_secs_f64())
        .sum::<f64>()
        / rendered.len().max(1) as f64
        * 1e3;
    let last = w.last().map(|s| s.size).unwrap_or_default();
    format!(
        "{:.1} fps · frame {frame:.1} ms · product render {product:.1} ms ×{} · {}×{}{}",
        w.len() as f64 / elapsed.as_secs_f64(),
        rendered.len(),
        last.0,
        last.1,
        if w.last().is_some_and(|s| s.coarse) {
            " (reduced while moving)"
        } else {
            ""
        }
    )
}
