//! Render parameters of a request: size, format, background and the camera,
//! checked against the limits and turned into the renderer's settings and
//! the JSON that enters the cache key (the ETag).

use crate::catalog::Product;
use crate::error::{AppError, ProblemKind};
use serde::Deserialize;
use serde_json::{Value, json};
use showroom::camera::{Distance, OrbitCamera, Target};
use showroom::output::{Background, ImageFormat};
use showroom::render::{CameraChoice, RenderSettings};
use std::str::FromStr;
use utoipa::ToSchema;

/// The default image side when neither width nor height is given.
pub const DEFAULT_SIZE: u32 = 1024;
/// The default JPEG quality.
pub const DEFAULT_QUALITY: u8 = 90;

/// An explicit orbit camera (degrees, metres), instead of a named shot.
#[derive(Debug, Clone, PartialEq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CameraSpec {
    /// Yaw in degrees (0 = camera on +Z, 90 = on +X).
    #[serde(default = "default_yaw")]
    pub yaw: f32,
    /// Pitch in degrees above the horizon, |pitch| < 90.
    #[serde(default = "default_pitch")]
    pub pitch: f32,
    /// Vertical field of view in degrees.
    #[serde(default = "default_fov")]
    pub fov: f32,
    /// `"fit"` (frame the bounds) or metres.
    #[serde(default = "fit")]
    #[schema(value_type = Object)]
    pub distance: Value,
    /// The orbit centre `[x, y, z]` in metres (`null` = the bounds centre).
    #[serde(default)]
    pub target: Option<[f32; 3]>,
}

fn default_yaw() -> f32 {
    35.0
}
fn default_pitch() -> f32 {
    15.0
}
fn default_fov() -> f32 {
    30.0
}
fn fit() -> Value {
    Value::String("fit".into())
}

impl Default for CameraSpec {
    fn default() -> Self {
        Self {
            yaw: default_yaw(),
            pitch: default_pitch(),
            fov: default_fov(),
            distance: fit(),
            target: None,
        }
    }
}

impl CameraSpec {
    fn orbit(&self) -> Result<OrbitCamera, AppError> {
        let bad = |f: &str, r: &str| {
            AppError::invalid_field(&format!("camera.{f}"), r)
                .with_status(axum::http::StatusCode::UNPROCESSABLE_ENTITY)
        };
        if !self.yaw.is_finite() {
            return Err(bad("yaw", "must be a finite number of degrees"));
        }
        if !(self.pitch.is_finite() && self.pitch.abs() < 90.0) {
            return Err(bad("pitch", "must be within (-90, 90) degrees"));
        }
        if !(self.fov.is_finite() && self.fov > 0.5 && self.fov < 170.0) {
            return Err(bad("fov", "must be within (0.5, 170) degrees"));
        }
        let distance = match &self.distance {
            Value::String(s) if s == "fit" => Distance::Fit(1.0),
            Value::Number(n) => match n.as_f64() {
                Some(m) if m.is_finite() && m > 0.0 && m < 1e6 => Distance::Metres(m as f32),
                _ => {
                    return Err(bad(
                        "distance",
                        "must be \"fit\" or a positive number of metres",
                    ));
                }
            },
            _ => {
                return Err(bad(
                    "distance",
                    "must be \"fit\" or a positive number of metres",
                ));
            }
        };
        if let Some(t) = self.target
            && t.iter().any(|c| !c.is_finite())
        {
            return Err(bad("target", "must be three finite numbers"));
        }
        Ok(OrbitCamera {
            yaw_deg: self.yaw,
            pitch_deg: self.pitch,
            distance,
            fov_y_deg: self.fov,
            target: self
                .target
                .map_or(Target::Auto, |p| Target::Point(p.into())),
        })
    }

    fn key(&self) -> Value {
        json!({ "yaw": self.yaw, "pitch": self.pitch, "fov": self.fov,
                "distance": self.distance, "target": self.target })
    }
}

/// The render parameters as a request gives them (all optional).
#[derive(Debug, Clone, Default)]
pub struct RawParams {
    /// A named shot of the product.
    pub shot: Option<String>,
    /// An explicit camera.
    pub camera: Option<CameraSpec>,
    /// Width in pixels.
    pub width: Option<u32>,
    /// Height in pixels.
    pub height: Option<u32>,
    /// `png`, `jpeg`/`jpg`, `webp` or `exr`.
    pub format: Option<String>,
    /// JPEG quality 1–100.
    pub quality: Option<u8>,
    /// `transparent`, `#rrggbb` or `env`.
    pub background: Option<String>,
    /// Ground contact shadow opacity 0–1 (absent: none).
    pub shadow: Option<f32>,
    /// Screen-space ambient occlusion strength 0–4 (absent: none).
    pub ssao: Option<f32>,
}

/// Checked render parameters.
#[derive(Debug, Clone)]
pub struct RenderParams {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Output format.
    pub format: ImageFormat,
    /// JPEG quality.
    pub quality: u8,
    /// Background.
    pub background: Background,
    /// Ground contact shadow opacity (`None`: no shadow).
    pub shadow: Option<f32>,
    /// Ambient occlusion strength (`None`: none).
    pub ssao: Option<f32>,
    camera: CameraChoice,
    view_key: (String, Value),
}

/// The size limits.
#[derive(Debug, Clone, Copy)]
pub struct SizeLimits {
    /// Largest width.
    pub max_width: u32,
    /// Largest height.
    pub max_height: u32,
}

fn field_422(field: &str, reason: impl Into<String>) -> AppError {
    AppError::invalid_field(field, reason).with_status(axum::http::StatusCode::UNPROCESSABLE_ENTITY)
}

impl RawParams {
    /// Checks the parameters against the limits and the product's shots.
    ///
    /// # Errors
    ///
    /// `422 size-limit` for a size of 0 or beyond the limits, `422
    /// invalid-field` for an unknown format, background or shot, a quality
    /// outside 1–100, or both `shot` and `camera`.
    pub fn check(&self, product: &Product, limits: SizeLimits) -> Result<RenderParams, AppError> {
        let (width, height) = match (self.width, self.height) {
            (Some(w), Some(h)) => (w, h),
            (Some(w), None) => (w, w),
            (None, Some(h)) => (h, h),
            (None, None) => (DEFAULT_SIZE, DEFAULT_SIZE),
        };
        let mut size_errors = Vec::new();
        for (field, v, max) in [
            ("width", width, limits.max_width),
            ("height", height, limits.max_height),
        ] {
            if v == 0 || v > max {
                size_errors.push(crate::error::FieldError::new(
                    field,
                    format!("{v} is outside 1..={max}"),
                ));
            }
        }
        if !size_errors.is_empty() {
            return Err(AppError::new(
                ProblemKind::SizeLimit,
                format!(
                    "{width}×{height} is beyond the limit of {}×{}",
                    limits.max_width, limits.max_height
                ),
            )
            .with_errors(size_errors));
        }
        let format = match &self.format {
            None => ImageFormat::Png,
            Some(f) => ImageFormat::from_str(f).map_err(|e| field_422("format", e.to_string()))?,
        };
        let quality = self.quality.unwrap_or(DEFAULT_QUALITY);
        if !(1..=100).contains(&quality) {
            return Err(field_422(
                "quality",
                format!("{quality} is outside 1..=100"),
            ));
        }
        let background = match &self.background {
            None => Background::Transparent,
            Some(b) => {
                Background::from_str(b).map_err(|e| field_422("background", e.to_string()))?
            }
        };
        if let Some(v) = self.shadow
            && !(0.0..=1.0).contains(&v)
        {
            return Err(field_422("shadow", format!("{v} is outside 0..=1")));
        }
        if let Some(v) = self.ssao
            && !(0.0..=4.0).contains(&v)
        {
            return Err(field_422("ssao", format!("{v} is outside 0..=4")));
        }
        let d = &product.package.definition;
        let (camera, view_key) = match (&self.shot, &self.camera) {
            (Some(_), Some(_)) => {
                return Err(field_422(
                    "camera",
                    "give either a shot or a camera, not both",
                ));
            }
            (Some(id), None) => {
                let shot = d.shot(id).ok_or_else(|| {
                    let shots: Vec<&str> = d.shots.iter().map(|s| s.id.as_str()).collect();
                    field_422(
                        "shot",
                        format!("no shot {id:?}; shots: {}", shots.join(", ")),
                    )
                })?;
                (
                    CameraChoice::Orbit(shot.orbit()),
                    ("shot".to_string(), json!(shot.id)),
                )
            }
            (None, Some(c)) => (
                CameraChoice::Orbit(c.orbit()?),
                ("camera".to_string(), c.key()),
            ),
            (None, None) => match d.default_shot() {
                Some(s) => (
                    CameraChoice::Orbit(s.orbit()),
                    ("shot".to_string(), json!(s.id)),
                ),
                None => {
                    let c = CameraSpec::default();
                    (
                        CameraChoice::Orbit(c.orbit()?),
                        ("camera".to_string(), c.key()),
                    )
                }
            },
        };
        Ok(RenderParams {
            width,
            height,
            format,
            quality,
            background,
            shadow: self.shadow.filter(|v| *v > 0.0),
            ssao: self.ssao.filter(|v| *v > 0.0),
            camera,
            view_key,
        })
    }
}

impl RenderParams {
    /// The render parameters as they enter the configuration hash (the cache
    /// key and ETag): what changes the bytes, nothing else (the quality only
    /// for JPEG).
    pub fn key_json(&self) -> Value {
        let mut v = json!({
            "width": self.width,
            "height": self.height,
            "format": self.format.extension(),
            "background": self.background.to_string(),
        });
        if self.format == ImageFormat::Jpeg {
            v["quality"] = json!(self.quality);
        }
        if let Some(shadow) = self.shadow {
            v["shadow"] = json!(shadow);
        }
        if let Some(ssao) = self.ssao {
            v["ssao"] = json!(ssao);
        }
        v[self.view_key.0.as_str()] = self.view_key.1.clone();
        v
    }

    /// The renderer's settings.
    pub fn settings(&self) -> RenderSettings {
        RenderSettings {
            width: self.width,
            height: self.height,
            camera: self.camera.clone(),
            background: self.background,
            linear: self.format == ImageFormat::Exr,
            ground_shadow: self.shadow.map(|intensity| showroom::render::GroundShadow {
                intensity,
                ..Default::default()
            }),
            ssao: self.ssao.map(|intensity| showroom::render::Ssao {
                intensity,
                ..Default::default()
            }),
            ..RenderSettings::default()
        }
    }
}
