//! `showroom view PRODUCT`: the interactive viewer. A winit window with a
//! wgpu surface shows the product through the same renderer, materials and
//! decals as `showroom render`; an egui side panel, built from the product
//! definition, configures it live.
//!
//! The product image is rendered into the renderer's display texture (no
//! readback) and drawn 1:1 by egui (the texture holds sRGB-encoded values in
//! a plain unorm format, which is what egui's shader expects, and the
//! surface is a non-sRGB format, so the pixels pass through unchanged). On a
//! software adapter, frames in motion are rendered at a lower resolution,
//! chosen from the measured cost of a full one; at rest the view is redrawn
//! at full quality.

mod capture;
mod orbit;
mod panel;
mod picker;
mod script;
mod stats;
mod viewer;
mod window;

use crate::render::{parse_size, unit_interval};
use anyhow::Context;
use clap::Args;
use showroom::output::Background;
use showroom::render::ToneMapping;
use showroom::studio::{Studio, default_environment_path};
use std::path::{Path, PathBuf};
use viewer::{Look, Viewer};

/// Arguments of `showroom view`.
#[derive(Debug, Args)]
pub struct ViewArgs {
    /// The product package (a folder with product.json, or the product.json).
    pub product: PathBuf,
    /// Start from this configuration JSON (default: the product's defaults).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Start at this named shot (default: the product's default shot).
    #[arg(long)]
    pub shot: Option<String>,
    /// Environment (.hdr or .exr); default: the product's, else the studio HDR.
    #[arg(long)]
    pub env: Option<PathBuf>,
    /// Environment rotation in degrees.
    #[arg(long, default_value_t = 0.0, allow_negative_numbers = true)]
    pub env_rotation: f32,
    /// Exposure multiplier.
    #[arg(long, default_value_t = 1.0)]
    pub exposure: f32,
    /// Tone mapper: neutral, aces, agx or none.
    #[arg(long, default_value = "neutral")]
    pub tonemap: ToneMapping,
    /// Background: #rrggbb, env or transparent (shown over black).
    #[arg(long, default_value = "#f0f0f0")]
    pub background: Background,
    /// A ground shadow this opaque (0–1; alone: 0.6).
    #[arg(long, num_args = 0..=1, default_missing_value = "0.6", value_parser = unit_interval)]
    pub shadow: Option<f32>,
    /// Screen-space ambient occlusion at this strength (0–4; alone: 1).
    #[arg(long, num_args = 0..=1, default_missing_value = "1", value_parser = crate::render::ssao_strength)]
    pub ssao: Option<f32>,
    /// Supersampling of still frames and saved images (1–4).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=4))]
    pub ssaa: u32,
    /// Ignore the model's punctual lights.
    #[arg(long)]
    pub no_lights: bool,
    /// Window size in logical pixels, WIDTHxHEIGHT.
    #[arg(long, default_value = "1280x800", value_parser = parse_size)]
    pub size: (u32, u32),
    /// Width of the side panel in logical pixels.
    #[arg(long, default_value_t = 340.0)]
    pub panel_width: f32,
    /// Always render at full resolution, even in motion on a software adapter.
    #[arg(long)]
    pub no_progressive: bool,
    /// Print frame times once a second and a summary at exit.
    #[arg(long)]
    pub stats: bool,
    /// Run a scripted input sequence (see `docs/viewer.md`), then exit.
    #[arg(long)]
    pub script: Option<PathBuf>,
    /// Where "Save image" writes.
    #[arg(long, default_value = ".")]
    pub save_dir: PathBuf,
}

/// Environments offered in the panel: the given one, the product's, and
/// those shipped in `assets/environments`.
fn environments(first: &Path) -> Vec<PathBuf> {
    let mut v = vec![first.to_path_buf()];
    let dir = default_environment_path()
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    if let Ok(entries) = std::fs::read_dir(&dir) {
        let mut more: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| {
                p.extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("hdr") || e.eq_ignore_ascii_case("exr"))
            })
            .collect();
        more.sort();
        v.extend(more);
    }
    let canon = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
    let mut seen = Vec::new();
    v.retain(|p| {
        let c = canon(p);
        let new = !seen.contains(&c);
        seen.push(c);
        new
    });
    v
}

/// Run `showroom view`.
pub fn run(a: ViewArgs) -> anyhow::Result<()> {
    let script = match &a.script {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            Some(script::parse(&path.display().to_string(), &text)?)
        }
        None => None,
    };
    let event_loop = winit::event_loop::EventLoop::new().context(
        "cannot open a window: no display (set DISPLAY or WAYLAND_DISPLAY, or run under xvfb-run)",
    )?;
    let studio = Studio::new(&Default::default())?;
    let package = showroom::product::ProductPackage::load(&a.product)?;
    let env = a
        .env
        .clone()
        .or_else(|| package.environment_path())
        .unwrap_or_else(default_environment_path);
    let look = Look {
        env: env.clone(),
        env_rotation: a.env_rotation,
        exposure: a.exposure,
        tonemap: a.tonemap,
        background: a.background,
        shadow: a.shadow,
        shadow_softness: 0.5,
        ssaa: a.ssaa,
        lights: !a.no_lights,
        ssao: a.ssao,
    };
    let product_path = a
        .product
        .canonicalize()
        .unwrap_or_else(|_| a.product.clone());
    let config = a.config.clone();
    let viewer = Viewer::new(
        studio,
        &product_path,
        config.as_deref(),
        look,
        environments(&env),
    )?;
    let mut app = window::App::new(a, viewer, script);
    event_loop.run_app(&mut app)?;
    app.finish()
}
