//! The viewer's state apart from the window: the product on the GPU, its
//! configuration, the look (environment, exposure, …) and the camera. Every
//! image it shows or saves comes from the same [`RenderSettings`] that
//! `showroom render` builds from the equivalent flags ([`Viewer::render_args`]).

use super::orbit::{OrbitController, Pose};
use anyhow::Context;
use serde_json::{Value, json};
use showroom::ibl::GpuEnvironment;
use showroom::output::{Background, ImageFormat};
use showroom::product::config::{ConfigError, Configuration};
use showroom::render::{CameraChoice, GroundShadow, RenderSettings, Ssao, ToneMapping};
use showroom::showcase::{LoadedProduct, ProductSceneError, file_loader};
use showroom::studio::Studio;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What the image looks like apart from the product and the camera.
#[derive(Debug, Clone, PartialEq)]
pub struct Look {
    /// Environment file.
    pub env: PathBuf,
    /// Rotation of the environment in degrees.
    pub env_rotation: f32,
    /// Exposure multiplier.
    pub exposure: f32,
    /// Tone mapper.
    pub tonemap: ToneMapping,
    /// Background.
    pub background: Background,
    /// Ground shadow opacity (`None`: off).
    pub shadow: Option<f32>,
    /// Ground shadow softness.
    pub shadow_softness: f32,
    /// Supersampling of still frames and saved images.
    pub ssaa: u32,
    /// The model's punctual lights.
    pub lights: bool,
    /// Screen-space ambient occlusion strength (`None`: off).
    pub ssao: Option<f32>,
}

/// The command-line name of a tone mapper.
pub fn tonemap_name(t: ToneMapping) -> &'static str {
    match t {
        ToneMapping::Neutral => "neutral",
        ToneMapping::Aces => "aces",
        ToneMapping::Agx => "agx",
        ToneMapping::None => "none",
    }
}

/// The product, its configuration, the look and the camera.
pub struct Viewer {
    /// Renderer and baked environments.
    pub studio: Studio,
    /// The product on the GPU.
    pub product: LoadedProduct,
    /// The package folder (for `showroom render`).
    pub product_path: PathBuf,
    /// The baked environment of `look.env`.
    env: Arc<GpuEnvironment>,
    /// The look.
    pub look: Look,
    /// Environments offered in the panel.
    pub environments: Vec<PathBuf>,
    /// The camera, once the viewport's aspect ratio is known.
    pub camera: Option<OrbitController>,
    /// Texts as typed (they may not be valid yet), by option.
    pub text_edits: HashMap<String, String>,
    /// The last refusal per option (shown under it).
    pub errors: HashMap<String, String>,
    /// Why each choosable value is unavailable now (option → value → rule).
    blocked: HashMap<(String, String), String>,
    /// Image references are resolved from here.
    base_dir: PathBuf,
}

impl Viewer {
    /// Load the product with a configuration file (or its defaults).
    pub fn new(
        mut studio: Studio,
        product_path: &Path,
        config: Option<&Path>,
        look: Look,
        environments: Vec<PathBuf>,
    ) -> anyhow::Result<Self> {
        let product = crate::product::load_configured(&mut studio, product_path, config)?;
        let env = studio.environment(&look.env)?;
        let base_dir = match config.and_then(Path::parent) {
            Some(p) => p.to_path_buf(),
            None => std::env::current_dir().context("no current directory")?,
        };
        let mut v = Self {
            studio,
            product,
            product_path: product_path.to_path_buf(),
            env,
            look,
            environments,
            camera: None,
            text_edits: HashMap::new(),
            errors: HashMap::new(),
            blocked: HashMap::new(),
            base_dir,
        };
        v.after_configure();
        Ok(v)
    }

    /// The pose of a named shot (`None`: the default shot) for this aspect.
    pub fn shot_pose(&self, shot: Option<&str>, aspect: f32) -> anyhow::Result<Pose> {
        let orbit = match self.product.shot_camera(shot)? {
            CameraChoice::Orbit(o) => o,
            CameraChoice::Named(_) => Default::default(),
        };
        Ok(Pose::from_orbit(
            &orbit,
            &self.product.scene.scene.bounds,
            aspect,
        ))
    }

    /// Keep the current angles and field of view, re-centre on the
    /// product and fit it (the double-click of model viewers).
    pub fn reframed(&self, aspect: f32) -> Option<Pose> {
        let cam = self.camera.as_ref()?;
        let fit = showroom::camera::OrbitCamera {
            yaw_deg: cam.goal.yaw,
            pitch_deg: cam.goal.pitch,
            fov_y_deg: cam.goal.fov,
            ..Default::default()
        };
        Some(Pose::from_orbit(
            &fit,
            &self.product.scene.scene.bounds,
            aspect,
        ))
    }

    /// Choose `value` for `option`, as the panel does: options that the
    /// change hides are dropped. On refusal the configuration is unchanged
    /// and the reason is kept for the panel (and returned).
    pub fn select(&mut self, option: &str, value: Value) -> Result<(), String> {
        let result = self.try_select(option, value);
        match &result {
            Ok(()) => {
                self.errors.remove(option);
            }
            Err(e) => {
                self.errors.insert(option.to_string(), e.clone());
            }
        }
        result
    }

    fn try_select(&mut self, option: &str, value: Value) -> Result<(), String> {
        let cfg = self.candidate(option, value).map_err(|e| describe(&e))?;
        let mut load = file_loader(&self.base_dir);
        let configured = self
            .studio
            .configure_with_images(&mut self.product, &cfg, &mut load);
        drop(load);
        configured.map_err(|e| describe_scene(&e))?;
        self.after_configure();
        Ok(())
    }

    /// The current selections with `option = value`, minus the options
    /// that this hides (`Err`: the first error that remains).
    fn candidate(&self, option: &str, value: Value) -> Result<Configuration, ConfigError> {
        let mut sel: BTreeMap<String, Value> = self.product.configuration.selections().clone();
        sel.insert(option.to_string(), value);
        let mut cfg = Configuration {
            product: self.product.package.definition.id.clone(),
            selections: sel,
        };
        // Each round drops what the previous hid; options nest only so deep.
        for _ in 0..8 {
            match self.product.package.validate(&cfg) {
                Ok(_) => return Ok(cfg),
                Err(errors) => {
                    let hidden: Vec<String> = errors
                        .iter()
                        .filter_map(|e| match e {
                            ConfigError::Hidden { option: o, .. } if o != option => Some(o.clone()),
                            _ => None,
                        })
                        .collect();
                    if hidden.is_empty() {
                        return Err(errors.into_iter().next().expect("validate gave errors"));
                    }
                    for o in hidden {
                        cfg.selections.remove(&o);
                    }
                }
            }
        }
        Ok(cfg)
    }

    /// After a configuration change: the text fields follow it and every
    /// choosable value is checked against the rules.
    fn after_configure(&mut self) {
        let d = &self.product.package.definition;
        let mut blocked = HashMap::new();
        for o in &d.options {
            for v in o.values() {
                let value = Value::String(v.id.to_string());
                if self.product.configuration.get(&o.id) == Some(&value) {
                    continue;
                }
                if let Err(ConfigError::RuleBroken {
                    message, detail, ..
                }) = self.candidate(&o.id, value)
                {
                    blocked.insert((o.id.clone(), v.id.to_string()), message.unwrap_or(detail));
                }
            }
            if let showroom::product::OptionKind::Text(_) = o.kind {
                let text = match self.product.configuration.get(&o.id) {
                    Some(Value::String(s)) => s.clone(),
                    Some(Value::Object(m)) => m
                        .get("text")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_string(),
                    _ => String::new(),
                };
                if !self.errors.contains_key(&o.id) {
                    self.text_edits.insert(o.id.clone(), text);
                }
            }
        }
        self.blocked = blocked;
    }

    /// Why `value` of `option` cannot be chosen now (the rule's message).
    pub fn blocked(&self, option: &str, value: &str) -> Option<&str> {
        self.blocked
            .get(&(option.to_string(), value.to_string()))
            .map(String::as_str)
    }

    /// Set a text option from what was typed: the text replaces the current
    /// one (keeping a styled value's font, colour and placement).
    pub fn type_text(&mut self, option: &str, text: String) -> Result<(), String> {
        self.text_edits.insert(option.to_string(), text.clone());
        let value = match self.product.configuration.get(option) {
            Some(Value::Object(m)) => {
                let mut m = m.clone();
                m.insert("text".into(), Value::String(text));
                Value::Object(m)
            }
            _ => Value::String(text),
        };
        self.select(option, value)
    }

    /// Switch environment (baked once, then cached).
    pub fn set_environment(&mut self, path: PathBuf) -> anyhow::Result<()> {
        self.env = self.studio.environment(&path)?;
        self.look.env = path;
        Ok(())
    }

    /// The settings of an image `w`×`h` pixels from the current camera;
    /// `still` frames (and saved images) get the look's supersampling.
    pub fn settings(&self, w: u32, h: u32, still: bool) -> RenderSettings {
        let camera = match &self.camera {
            Some(c) => CameraChoice::Orbit(c.current.orbit()),
            None => CameraChoice::default(),
        };
        RenderSettings {
            width: w.max(1),
            height: h.max(1),
            camera,
            env_rotation_deg: self.look.env_rotation,
            env_intensity: 1.0,
            exposure: self.look.exposure,
            tonemap: self.look.tonemap,
            background: self.look.background,
            ssaa: if still { self.look.ssaa } else { 1 },
            lights: self.look.lights,
            linear: false,
            ground_shadow: self.look.shadow.map(|intensity| GroundShadow {
                intensity,
                softness: self.look.shadow_softness,
            }),
            ssao: self.look.ssao.map(|intensity| Ssao {
                intensity,
                ..Ssao::default()
            }),
        }
    }

    /// Render into the display texture (no readback) and return its view.
    pub fn draw(&mut self, s: &RenderSettings) -> anyhow::Result<showroom::wgpu::TextureView> {
        self.studio.place_decals(&mut self.product, s)?;
        let view = self
            .studio
            .renderer
            .draw(&self.product.scene, &self.env, s)?;
        Ok(view.clone())
    }

    /// "Save image": what `showroom render` writes for the same
    /// configuration, camera and look, at `w`×`h`.
    pub fn save(&mut self, path: &Path, w: u32, h: u32) -> anyhow::Result<()> {
        let s = self.settings(w, h, true);
        self.studio.place_decals(&mut self.product, &s)?;
        let frame = self.studio.render(&self.product.scene, &self.env, &s)?;
        let format = ImageFormat::from_path(path).unwrap_or(ImageFormat::Png);
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        showroom::output::save(&frame, path, format, 92)?;
        Ok(())
    }

    /// The configuration as JSON ("Copy configuration").
    pub fn configuration_json(&self) -> String {
        serde_json::to_string_pretty(&self.product.configuration.to_configuration())
            .expect("a configuration serialises")
    }

    /// The price of the current configuration, formatted.
    pub fn price(&self) -> String {
        let d = &self.product.package.definition;
        match self.product.package.price(&self.product.configuration) {
            Ok(p) => showroom::product::format_money(p.total, &d.currency),
            Err(e) => format!("({e})"),
        }
    }

    /// The `showroom render` arguments that give the same image at `w`×`h`
    /// (the configuration is read from `config_path`).
    pub fn render_args(&self, w: u32, h: u32, config_path: &Path) -> Vec<String> {
        let p = self
            .camera
            .as_ref()
            .map(|c| c.current)
            .unwrap_or_else(|| Pose::from_orbit(&Default::default(), &Default::default(), 1.0));
        let l = &self.look;
        let mut a: Vec<String> = vec![
            "render".into(),
            self.product_path.display().to_string(),
            "--config".into(),
            config_path.display().to_string(),
            "--size".into(),
            format!("{w}x{h}"),
            "--yaw".into(),
            p.yaw.to_string(),
            "--pitch".into(),
            p.pitch.to_string(),
            "--distance".into(),
            p.distance.to_string(),
            "--fov".into(),
            p.fov.to_string(),
            "--target".into(),
            format!("{},{},{}", p.target.x, p.target.y, p.target.z),
            "--env".into(),
            l.env.display().to_string(),
            "--env-rotation".into(),
            l.env_rotation.to_string(),
            "--exposure".into(),
            l.exposure.to_string(),
            "--tonemap".into(),
            tonemap_name(l.tonemap).into(),
            "--background".into(),
            l.background.to_string(),
            "--ssaa".into(),
            l.ssaa.to_string(),
        ];
        if let Some(s) = l.shadow {
            a.extend([
                "--shadow".into(),
                s.to_string(),
                "--shadow-softness".into(),
                l.shadow_softness.to_string(),
            ]);
        }
        if let Some(s) = l.ssao {
            a.extend(["--ssao".into(), s.to_string()]);
        }
        if !l.lights {
            a.push("--no-lights".into());
        }
        a
    }

    /// Everything a script or a support ticket needs to reproduce the view.
    pub fn state(&self, viewport: [u32; 4], config_path: &Path) -> Value {
        let p = self.camera.as_ref().map(|c| c.current);
        json!({
            "configuration": self.product.configuration.to_configuration(),
            "price": self.price(),
            "camera": p.map(|p| json!({
                "yaw": p.yaw, "pitch": p.pitch, "distance": p.distance,
                "fov": p.fov, "target": [p.target.x, p.target.y, p.target.z],
            })),
            "viewport": {"x": viewport[0], "y": viewport[1], "width": viewport[2], "height": viewport[3]},
            "render_args": self.render_args(viewport[2], viewport[3], config_path),
        })
    }
}

/// A configuration error for the panel.
fn describe(e: &ConfigError) -> String {
    e.to_string()
}

/// A configure error for the panel: the configuration errors one a line.
fn describe_scene(e: &ProductSceneError) -> String {
    match e {
        ProductSceneError::Configuration { errors } => errors
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n"),
        other => other.to_string(),
    }
}
