//! `showroom render`.

use anyhow::{Context, bail};
use clap::Args;
use glam::Vec3;
use showroom::camera::{Distance, OrbitCamera, Target};
use showroom::output::{Background, ImageFormat, save};
use showroom::render::{CameraChoice, GroundShadow, RenderSettings, Ssao, ToneMapping};
use showroom::studio::{Studio, default_environment_path};
use std::path::PathBuf;
use std::time::Instant;

/// Arguments of `showroom render`.
#[derive(Debug, Args)]
pub struct RenderArgs {
    /// The product: a .glb or .gltf file, or a product package (a folder with
    /// product.json, or the product.json itself).
    pub model: PathBuf,
    /// Configuration JSON (`{"product": …, "selections": {…}}`) for a product
    /// package; absent = the product's defaults.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// A named camera shot of the product package (default: its default shot).
    /// Orbit flags given explicitly override the shot's values.
    #[arg(long)]
    pub shot: Option<String>,
    /// Output image; the format follows the extension unless --format is given.
    #[arg(short, long, default_value = "out.png")]
    pub output: PathBuf,
    /// Equirectangular environment (.hdr or .exr). Default: the studio HDR in assets/.
    #[arg(long)]
    pub env: Option<PathBuf>,
    /// Rotate the environment about +Y by this many degrees (from +Z toward +X).
    #[arg(long, default_value_t = 0.0, allow_negative_numbers = true)]
    pub env_rotation: f32,
    /// Multiply the environment's radiance.
    #[arg(long, default_value_t = 1.0)]
    pub env_intensity: f32,
    /// Linear exposure multiplier applied before tone mapping.
    #[arg(long, default_value_t = 1.0)]
    pub exposure: f32,
    /// Output size as WIDTHxHEIGHT, e.g. 1024x1024.
    #[arg(long, default_value = "1024x1024", value_parser = parse_size)]
    pub size: (u32, u32),
    /// Camera yaw in degrees: 0 = on +Z looking toward −Z, 90 = on +X [default: 35, or the shot's].
    #[arg(long, allow_negative_numbers = true)]
    pub yaw: Option<f32>,
    /// Camera pitch in degrees above the horizon (positive looks down) [default: 15, or the shot's].
    #[arg(long, allow_negative_numbers = true)]
    pub pitch: Option<f32>,
    /// Camera distance from the target in metres. Absent: frame the product's bounds.
    #[arg(long)]
    pub distance: Option<f32>,
    /// With automatic framing: 1 = the bounding sphere fills the view; >1 adds padding.
    #[arg(long, default_value_t = 1.0)]
    pub distance_factor: f32,
    /// Vertical field of view in degrees [default: 30, or the shot's].
    #[arg(long)]
    pub fov: Option<f32>,
    /// Orbit target X,Y,Z in metres. Absent: the centre of the product's bounds.
    #[arg(long, value_parser = parse_vec3, allow_negative_numbers = true)]
    pub target: Option<Vec3>,
    /// Use the glTF file's camera of this name instead of the orbit camera.
    #[arg(long)]
    pub camera: Option<String>,
    /// KHR_materials_variants variant to apply.
    #[arg(long)]
    pub variant: Option<String>,
    /// Tone mapper: neutral (Khronos PBR Neutral), aces, agx or none.
    #[arg(long, default_value = "neutral")]
    pub tonemap: ToneMapping,
    /// Background: transparent, #rrggbb, or env (the environment itself).
    #[arg(long, default_value = "transparent")]
    pub background: Background,
    /// Supersampling factor per axis (on top of 4× MSAA): 2 renders 4× the pixels.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=4))]
    pub ssaa: u32,
    /// Output format: png, jpeg, webp or exr (linear, for compositing).
    #[arg(long)]
    pub format: Option<ImageFormat>,
    /// JPEG quality 1–100.
    #[arg(long, default_value_t = 90)]
    pub quality: u8,
    /// Ignore KHR_lights_punctual lights in the file (image-based lighting only).
    #[arg(long)]
    pub no_lights: bool,
    /// A soft contact shadow on the ground under the product, this opaque
    /// at its darkest (0–1; `--shadow` alone: 0.6). Over a transparent
    /// background it is in the alpha channel.
    #[arg(long, num_args = 0..=1, default_missing_value = "0.6", value_parser = unit_interval)]
    pub shadow: Option<f32>,
    /// Blur of the ground shadow, 0 (crisp) to 1 (soft).
    #[arg(long, default_value_t = 0.5, value_parser = unit_interval)]
    pub shadow_softness: f32,
    /// Screen-space ambient occlusion of the product's crevices and contacts,
    /// at this strength (0–4: the visibility is raised to this power;
    /// `--ssao` alone: 1). Combined with the model's baked occlusion by taking
    /// the darker of the two.
    #[arg(long, num_args = 0..=1, default_missing_value = "1", value_parser = ssao_strength)]
    pub ssao: Option<f32>,
    /// Reach of the ambient occlusion, as a fraction of the product's
    /// bounding-sphere radius.
    #[arg(long, default_value_t = 0.1, value_parser = ssao_radius)]
    pub ssao_radius: f32,
}

pub(crate) fn ssao_strength(s: &str) -> Result<f32, String> {
    let v: f32 = s.parse().map_err(|_| format!("{s:?} is not a number"))?;
    if (0.0..=4.0).contains(&v) {
        Ok(v)
    } else {
        Err(format!("{v} is outside 0..=4"))
    }
}

pub(crate) fn ssao_radius(s: &str) -> Result<f32, String> {
    let v: f32 = s.parse().map_err(|_| format!("{s:?} is not a number"))?;
    if v > 0.0 && v <= 1.0 {
        Ok(v)
    } else {
        Err(format!("{v} is outside (0, 1]"))
    }
}

pub(crate) fn unit_interval(s: &str) -> Result<f32, String> {
    let v: f32 = s.parse().map_err(|_| format!("{s:?} is not a number"))?;
    if (0.0..=1.0).contains(&v) {
        Ok(v)
    } else {
        Err(format!("{v} is outside 0..1"))
    }
}

pub(crate) fn parse_size(s: &str) -> Result<(u32, u32), String> {
    let (w, h) = s
        .split_once(['x', 'X', '×'])
        .ok_or_else(|| format!("{s:?} is not WIDTHxHEIGHT"))?;
    let w: u32 = w
        .trim()
        .parse()
        .map_err(|_| format!("bad width in {s:?}"))?;
    let h: u32 = h
        .trim()
        .parse()
        .map_err(|_| format!("bad height in {s:?}"))?;
    if w == 0 || h == 0 {
        return Err(format!("{s:?}: width and height must be at least 1"));
    }
    Ok((w, h))
}

fn parse_vec3(s: &str) -> Result<Vec3, String> {
    let v: Vec<f32> = s
        .split(',')
        .map(|p| p.trim().parse::<f32>())
        .collect::<Result<_, _>>()
        .map_err(|_| format!("{s:?} is not X,Y,Z"))?;
    match v[..] {
        [x, y, z] => Ok(Vec3::new(x, y, z)),
        _ => Err(format!("{s:?} is not X,Y,Z")),
    }
}

impl RenderArgs {
    /// The render settings these flags describe. `shot` is the product's
    /// camera shot, if any: explicit orbit flags override its values.
    pub fn settings(&self, format: ImageFormat, shot: Option<&OrbitCamera>) -> RenderSettings {
        let base = shot.copied().unwrap_or(OrbitCamera {
            yaw_deg: 35.0,
            pitch_deg: 15.0,
            distance: Distance::Fit(1.0),
            fov_y_deg: 30.0,
            target: Target::Auto,
        });
        let camera = match &self.camera {
            Some(name) => CameraChoice::Named(name.clone()),
            None => CameraChoice::Orbit(OrbitCamera {
                yaw_deg: self.yaw.unwrap_or(base.yaw_deg),
                pitch_deg: self.pitch.unwrap_or(base.pitch_deg),
                distance: match (self.distance, base.distance) {
                    (Some(m), _) => Distance::Metres(m),
                    (None, Distance::Fit(f)) => Distance::Fit(f * self.distance_factor),
                    (None, d) => d,
                },
                fov_y_deg: self.fov.unwrap_or(base.fov_y_deg),
                target: self.target.map_or(base.target, Target::Point),
            }),
        };
        RenderSettings {
            width: self.size.0,
            height: self.size.1,
            camera,
            env_rotation_deg: self.env_rotation,
            env_intensity: self.env_intensity,
            exposure: self.exposure,
            tonemap: self.tonemap,
            background: self.background,
            ssaa: self.ssaa,
            lights: !self.no_lights,
            linear: format == ImageFormat::Exr,
            ground_shadow: self.shadow.map(|intensity| GroundShadow {
                intensity,
                softness: self.shadow_softness,
            }),
            ssao: self.ssao.map(|intensity| Ssao {
                intensity,
                radius: self.ssao_radius,
            }),
        }
    }
}

/// Run `showroom render`.
pub fn run(a: RenderArgs) -> anyhow::Result<()> {
    let t0 = Instant::now();
    let format = match a.format {
        Some(f) => f,
        None => ImageFormat::from_path(&a.output).with_context(|| {
            format!("cannot tell the format from {:?}; pass --format", a.output)
        })?,
    };
    if !(1..=100).contains(&a.quality) {
        bail!("--quality must be 1..=100");
    }
    // Sequential on purpose: the import already decodes images on every core,
    // and overlapping it with GPU start-up measured slower on 2 cores.
    let mut studio = Studio::new(&Default::default())?;
    let t_gpu = t0.elapsed();
    let env_path = a.env.clone().unwrap_or_else(default_environment_path);
    let env = studio.environment(&env_path)?;
    let t_env = t0.elapsed();
    let (frame, t_model) = if crate::product::is_package(&a.model) {
        crate::product::render_product(&mut studio, &a, format, &mut || t0.elapsed())?
    } else {
        if a.config.is_some() || a.shot.is_some() {
            bail!("--config and --shot need a product package, not a model file");
        }
        let mut scene = studio.load_model(&a.model)?;
        studio.set_variant(&mut scene, a.variant.as_deref())?;
        let t_model = t0.elapsed();
        (
            studio.render(&scene, &env, &a.settings(format, None))?,
            t_model,
        )
    };
    let t_render = t0.elapsed();
    save(&frame, &a.output, format, a.quality)?;
    tracing::info!(
        gpu = ?t_gpu,
        environment = ?(t_env - t_gpu),
        model = ?(t_model - t_env),
        render = ?(t_render - t_model),
        save = ?(t0.elapsed() - t_render),
        "render stages"
    );
    eprintln!(
        "{} ({}×{}, {}) in {:.2} s on {}",
        a.output.display(),
        frame.width,
        frame.height,
        format.extension(),
        t0.elapsed().as_secs_f64(),
        studio.renderer.ctx.summary
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_vectors_parse() {
        assert_eq!(parse_size("1024x768"), Ok((1024, 768)));
        assert!(parse_size("0x5").is_err());
        assert!(parse_size("big").is_err());
        assert_eq!(parse_vec3("0,-1.5,2"), Ok(Vec3::new(0.0, -1.5, 2.0)));
        assert!(parse_vec3("1,2").is_err());
    }
}
