//! Reference scenarios (`shared/reference/scenarios.json`): a model, variant,
//! environment, camera, size, exposure and background, specified independently
//! of any renderer, so Showroom's images can be scored against Cycles and peers.

use crate::camera::{Distance, OrbitCamera, Target};
use crate::output::Background;
use crate::render::{CameraChoice, RenderSettings, ToneMapping};
use glam::Vec3;
use serde::Deserialize;
use std::path::Path;

/// One scenario.
#[derive(Debug, Clone, Deserialize)]
pub struct Scenario {
    /// Unique name (folder under `renders/`).
    pub name: String,
    /// Model path relative to the assets folder.
    pub model: String,
    /// Environment path relative to the assets folder.
    pub env: String,
    /// Environment rotation in degrees.
    #[serde(default)]
    pub env_rotation_deg: f32,
    /// Exposure multiplier.
    #[serde(default = "one")]
    pub exposure: f32,
    /// Camera.
    pub camera: ScenarioCamera,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// KHR_materials_variants variant.
    pub variant: Option<String>,
    /// `"transparent"` or `[r, g, b]` sRGB-encoded 0..1.
    pub background: serde_json::Value,
}

fn one() -> f32 {
    1.0
}

/// The scenario camera.
#[derive(Debug, Clone, Deserialize)]
pub struct ScenarioCamera {
    /// Yaw in degrees.
    pub yaw_deg: f32,
    /// Pitch in degrees.
    pub pitch_deg: f32,
    /// Explicit radius, or null.
    pub radius_m: Option<f32>,
    /// Framing factor, or null.
    pub distance_factor: Option<f32>,
    /// Vertical field of view in degrees.
    pub fov_y_deg: f32,
    /// `"auto"` or `[x, y, z]`.
    pub target: serde_json::Value,
}

/// A scenarios file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    /// File system error.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// Not valid scenario JSON.
    #[error("{path}: {source}")]
    Json {
        /// The file.
        path: String,
        /// The cause.
        source: serde_json::Error,
    },
}

/// Read a `scenarios.json`.
pub fn load(path: &Path) -> Result<Vec<Scenario>, ScenarioError> {
    let text = std::fs::read_to_string(path).map_err(|source| ScenarioError::Io {
        path: path.display().to_string(),
        source,
    })?;
    serde_json::from_str(&text).map_err(|source| ScenarioError::Json {
        path: path.display().to_string(),
        source,
    })
}

impl Scenario {
    /// The render settings of this scenario (image-based lighting only, PBR Neutral).
    pub fn settings(&self) -> RenderSettings {
        let target = match &self.camera.target {
            serde_json::Value::Array(v) if v.len() == 3 => {
                let f = |i: usize| v[i].as_f64().unwrap_or(0.0) as f32;
                Target::Point(Vec3::new(f(0), f(1), f(2)))
            }
            _ => Target::Auto,
        };
        let distance = match (self.camera.radius_m, self.camera.distance_factor) {
            (Some(r), _) => Distance::Metres(r),
            (None, Some(f)) => Distance::Fit(f),
            (None, None) => Distance::Fit(1.0),
        };
        let background = match &self.background {
            serde_json::Value::Array(v) if v.len() == 3 => {
                let c =
                    |i: usize| (v[i].as_f64().unwrap_or(0.0).clamp(0.0, 1.0) * 255.0).round() as u8;
                Background::Color([c(0), c(1), c(2)])
            }
            _ => Background::Transparent,
        };
        RenderSettings {
            width: self.width,
            height: self.height,
            camera: CameraChoice::Orbit(OrbitCamera {
                yaw_deg: self.camera.yaw_deg,
                pitch_deg: self.camera.pitch_deg,
                distance,
                fov_y_deg: self.camera.fov_y_deg,
                target,
            }),
            env_rotation_deg: self.env_rotation_deg,
            env_intensity: 1.0,
            exposure: self.exposure,
            tonemap: ToneMapping::Neutral,
            background,
            ssaa: 1,
            lights: false,
            linear: false,
            ground_shadow: None,
            ssao: None,
        }
    }
}
