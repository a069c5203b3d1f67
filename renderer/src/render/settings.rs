//! What one image is made with ([`RenderSettings`]: size, camera, tone
//! mapping, background, …) and what a render reports ([`RenderError`],
//! [`RenderTimings`]): plain data, apart from the GPU code.

use super::ground::GroundShadow;
use super::ssao::Ssao;
use crate::camera::OrbitCamera;
use crate::gpu::ReadbackError;
use crate::output::Background;
use std::str::FromStr;
use std::time::Duration;

/// The display transform applied after exposure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ToneMapping {
    /// Khronos PBR Neutral: keeps base colours true up to 0.8, then rolls off.
    #[default]
    Neutral,
    /// ACES filmic (Hill's RRT+ODT fit).
    Aces,
    /// AgX (Sobotka), Blender's default view since 4.0.
    Agx,
    /// Clamp only.
    None,
}

impl ToneMapping {
    pub(super) fn index(self) -> u32 {
        match self {
            ToneMapping::Neutral => 0,
            ToneMapping::Aces => 1,
            ToneMapping::Agx => 2,
            ToneMapping::None => 3,
        }
    }
}

impl FromStr for ToneMapping {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "neutral" | "pbr-neutral" | "khronos" => Ok(Self::Neutral),
            "aces" => Ok(Self::Aces),
            "agx" => Ok(Self::Agx),
            "none" | "linear" | "clamp" => Ok(Self::None),
            _ => Err(format!(
                "unknown tone mapper {s:?} (neutral, aces, agx, none)"
            )),
        }
    }
}

/// Which camera to render from.
#[derive(Debug, Clone, PartialEq)]
pub enum CameraChoice {
    /// An orbit camera around the product.
    Orbit(OrbitCamera),
    /// A camera of the glTF file, by camera or node name.
    Named(String),
}

impl Default for CameraChoice {
    fn default() -> Self {
        CameraChoice::Orbit(OrbitCamera::default())
    }
}

/// Everything about one image except the product and the environment.
#[derive(Debug, Clone, PartialEq)]
pub struct RenderSettings {
    /// Output width in pixels.
    pub width: u32,
    /// Output height in pixels.
    pub height: u32,
    /// Camera.
    pub camera: CameraChoice,
    /// Environment rotation about +Y in degrees (from +Z toward +X).
    pub env_rotation_deg: f32,
    /// Environment radiance multiplier.
    pub env_intensity: f32,
    /// Linear exposure multiplier before tone mapping.
    pub exposure: f32,
    /// Display transform.
    pub tonemap: ToneMapping,
    /// Background.
    pub background: Background,
    /// Supersampling factor per axis (1 = off), on top of MSAA.
    pub ssaa: u32,
    /// Use the file's KHR_lights_punctual lights.
    pub lights: bool,
    /// Also return the scene-referred linear image (for EXR).
    pub linear: bool,
    /// A soft contact shadow on the ground under the product.
    pub ground_shadow: Option<GroundShadow>,
    /// Screen-space ambient occlusion (`None`: off).
    pub ssao: Option<Ssao>,
}

impl Default for RenderSettings {
    fn default() -> Self {
        Self {
            width: 1024,
            height: 1024,
            camera: CameraChoice::default(),
            env_rotation_deg: 0.0,
            env_intensity: 1.0,
            exposure: 1.0,
            tonemap: ToneMapping::Neutral,
            background: Background::Transparent,
            ssaa: 1,
            lights: true,
            linear: false,
            ground_shadow: None,
            ssao: None,
        }
    }
}

/// Why a render failed.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// Width or height is zero or larger than the adapter allows.
    #[error(
        "image size {width}×{height} (×{ssaa} supersampling) is outside 1..={max} pixels per side on this adapter"
    )]
    Size {
        /// Requested width.
        width: u32,
        /// Requested height.
        height: u32,
        /// Supersampling factor.
        ssaa: u32,
        /// The adapter's limit.
        max: u32,
    },
    /// No camera of that name in the file.
    #[error("the model has no camera named {name:?} (cameras: {available})")]
    NoCamera {
        /// Requested name.
        name: String,
        /// Names in the file.
        available: String,
    },
    /// Reading the image back failed.
    #[error(transparent)]
    Readback(#[from] ReadbackError),
}

/// Time spent in the last render, by stage.
#[derive(Debug, Clone, Copy, Default)]
pub struct RenderTimings {
    /// Recording, submitting and waiting for the GPU.
    pub render: Duration,
    /// Copying the image back and unpadding rows.
    pub readback: Duration,
}
