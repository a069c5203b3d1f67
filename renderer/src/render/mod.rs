//! The renderer: owns the GPU context, every pipeline and layout (built once),
//! and turns a [`GpuScene`] + [`GpuEnvironment`] + [`RenderSettings`] into a [`Frame`].

pub mod configure;
pub mod decals;
pub mod gems;
pub mod gpu_scene;
pub mod ground;
pub mod layouts;
mod mipmap;
mod pipelines;
pub mod shadows;
pub mod ssao;
mod surface;
mod targets;

pub use configure::LookError;
pub use decals::{DecalGpuError, GpuDecals};
pub use gpu_scene::{DrawItem, GpuMaterial, GpuScene};
pub use ground::GroundShadow;
pub use ssao::Ssao;

use crate::camera::{CameraView, OrbitCamera, scene_camera_view};
use crate::gpu::{GpuContext, ReadbackError};
use crate::ibl::{GpuEnvironment, IblBaker, cache};
use crate::output::{Background, Frame};
use crate::scene::{LightKind, Scene};
use gpu_scene::UploadContext;
use layouts::{FrameUniform, Layouts, LightUniform};
use mipmap::MipGenerator;
use pipelines::{CullKey, PipelineKey, Pipelines};
use std::str::FromStr;
use std::time::{Duration, Instant};
use targets::Targets;

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
    fn index(self) -> u32 {
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

/// The renderer. Build once, render many.
#[derive(Debug)]
pub struct Renderer {
    /// The GPU.
    pub ctx: GpuContext,
    layouts: Layouts,
    pipelines: Pipelines,
    mips: MipGenerator,
    upload: UploadContext,
    ibl: IblBaker,
    brdf_lut_view: wgpu::TextureView,
    env_sampler: wgpu::Sampler,
    frame_buffer: wgpu::Buffer,
    lights_buffer: wgpu::Buffer,
    targets: Vec<Targets>,
    decal_sampler: wgpu::Sampler,
    empty_decals: Option<GpuDecals>,
    ground: Option<ground::GroundPass>,
    shadows: Option<shadows::ShadowPass>,
    no_shadows: (wgpu::TextureView, wgpu::Sampler),
    no_backdrop: wgpu::TextureView,
    ssao: Option<ssao::SsaoPass>,
    no_ssao: wgpu::TextureView,
    /// Stage timings of the last [`Renderer::render`].
    pub last_timings: RenderTimings,
}

impl Renderer {
    /// The frame's group 0.
    fn frame_bind_group(
        &self,
        env: &GpuEnvironment,
        (shadow_view, shadow_sampler): (&wgpu::TextureView, &wgpu::Sampler),
        backdrop: &wgpu::TextureView,
        ssao: &wgpu::TextureView,
    ) -> wgpu::BindGroup {
        let views = [
            (2, &env.specular_view),
            (3, &env.irradiance_view),
            (4, &self.brdf_lut_view),
            (6, shadow_view),
            (8, backdrop),
            (9, ssao),
        ];
        let mut entries = vec![
            wgpu::BindGroupEntry {
                binding: 0,
                resource: self.frame_buffer.as_entire_binding(),
            },
            wgpu::BindGroupEntry {
                binding: 1,
                resource: self.lights_buffer.as_entire_binding(),
            },
            wgpu::BindGroupEntry {
                binding: 5,
                resource: wgpu::BindingResource::Sampler(&self.env_sampler),
            },
            wgpu::BindGroupEntry {
                binding: 7,
                resource: wgpu::BindingResource::Sampler(shadow_sampler),
            },
        ];
        entries.extend(views.map(|(binding, view)| wgpu::BindGroupEntry {
            binding,
            resource: wgpu::BindingResource::TextureView(view),
        }));
        self.ctx
            .device
            .create_bind_group(&wgpu::BindGroupDescriptor {
                label: Some("frame"),
                layout: &self.layouts.frame,
                entries: &entries,
            })
    }

    /// Create the renderer: layouts, shader modules, the BRDF table (cached on disk).
    pub fn new(ctx: GpuContext) -> Self {
        let device = &ctx.device;
        let layouts = Layouts::new(device);
        let samples = targets::msaa_samples(&ctx.adapter);
        let pipelines = Pipelines::new(device, samples);
        let ibl = IblBaker::default();
        let cache_dir = cache::cache_dir();
        let lut = cache_dir
            .as_deref()
            .and_then(|d| cache::load_brdf_lut(device, &ctx.queue, &cache::brdf_lut_path(d)))
            .unwrap_or_else(|| {
                let lut = ibl.brdf_lut(device, &ctx.queue);
                if let Some(d) = &cache_dir
                    && let Err(e) =
                        cache::save_brdf_lut(device, &ctx.queue, &lut, &cache::brdf_lut_path(d))
                {
                    tracing::warn!("could not cache the BRDF table: {e}");
                }
                lut
            });
        let aniso = if ctx
            .adapter
            .get_downlevel_capabilities()
            .flags
            .contains(wgpu::DownlevelFlags::ANISOTROPIC_FILTERING)
        {
            // `SHOWROOM_ANISOTROPY` caps it (1, 2, 4, 8 or 16) for timing studies.
            std::env::var("SHOWROOM_ANISOTROPY")
                .ok()
                .and_then(|v| v.parse::<u16>().ok())
                .map_or(16, |v| v.clamp(1, 16))
        } else {
            1
        };
        let decal_sampler = device.create_sampler(&wgpu::SamplerDescriptor {
            label: Some("decals"),
            mag_filter: wgpu::FilterMode::Linear,
            min_filter: wgpu::FilterMode::Linear,
            ..Default::default()
        });
        let mut renderer = Self {
            decal_sampler,
            empty_decals: None,
            ground: None,
            shadows: None,
            no_shadows: no_shadow_map(device),
            no_backdrop: no_backdrop(device),
            ssao: None,
            no_ssao: no_ssao(device, &ctx.queue),
            layouts,
            pipelines,
            mips: MipGenerator::new(device),
            upload: UploadContext::new(device, &ctx.queue, aniso),
            brdf_lut_view: lut.create_view(&Default::default()),
            env_sampler: device.create_sampler(&wgpu::SamplerDescriptor {
                label: Some("environment"),
                mag_filter: wgpu::FilterMode::Linear,
                min_filter: wgpu::FilterMode::Linear,
                mipmap_filter: wgpu::MipmapFilterMode::Linear,
                ..Default::default()
            }),
            lights_buffer: lights_buffer(device, std::mem::size_of::<LightUniform>() as u64),
            frame_buffer: device.create_buffer(&wgpu::BufferDescriptor {
                label: Some("frame"),
                size: std::mem::size_of::<FrameUniform>() as u64,
                usage: wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
                mapped_at_creation: false,
            }),
            ibl,
            targets: Vec::new(),
            last_timings: RenderTimings::default(),
            ctx,
        };
        renderer.empty_decals = Some(renderer.empty_decals());
        renderer
    }

    /// MSAA sample count used for the surface pass (4, or 1 where unsupported).
    pub fn msaa_samples(&self) -> u32 {
        self.pipelines.samples
    }

    /// Upload a scene to the GPU.
    pub fn upload(&mut self, scene: Scene) -> GpuScene {
        gpu_scene::upload(
            &self.ctx.device,
            &self.ctx.queue,
            &mut self.upload,
            &mut self.mips,
            &self.layouts.material,
            &self.layouts.draw,
            scene,
        )
    }

    /// Bake an environment from equirectangular linear RGB (rows top-down).
    /// With a `cache_key` (the file's content hash) the bake is stored in and
    /// read from the on-disk cache.
    pub fn environment(
        &self,
        width: u32,
        height: u32,
        rgb: &[f32],
        cache_key: Option<&str>,
    ) -> GpuEnvironment {
        let (device, queue) = (&self.ctx.device, &self.ctx.queue);
        let path =
            cache_key.and_then(|k| cache::cache_dir().map(|d| cache::environment_path(&d, k)));
        if let Some(env) = path
            .as_deref()
            .and_then(|p| cache::load_environment(device, queue, p))
        {
            return env;
        }
        let env = self.ibl.bake(device, queue, width, height, rgb);
        if let Some(p) = path
            && let Err(e) = cache::save_environment(device, queue, &env, &p)
        {
            tracing::warn!("could not cache the environment: {e}");
        }
        env
    }

    /// The cached bake of the environment with content hash `hash`, if any.
    pub fn cached_environment(&self, hash: &str) -> Option<GpuEnvironment> {
        let dir = cache::cache_dir()?;
        cache::load_environment(
            &self.ctx.device,
            &self.ctx.queue,
            &cache::environment_path(&dir, hash),
        )
    }

    /// Bake an environment without touching the disk cache (bench/tests).
    pub fn bake_environment(&self, width: u32, height: u32, rgb: &[f32]) -> GpuEnvironment {
        self.ibl
            .bake(&self.ctx.device, &self.ctx.queue, width, height, rgb)
    }

    /// The camera `s` asks for, for an image `w` × `h` pixels.
    ///
    /// # Errors
    ///
    /// [`RenderError::NoCamera`] for an unknown glTF camera name.
    pub fn camera_view(
        &self,
        scene: &Scene,
        s: &RenderSettings,
        w: u32,
        h: u32,
    ) -> Result<CameraView, RenderError> {
        match &s.camera {
            CameraChoice::Orbit(c) => Ok(c.view(&scene.bounds, w, h)),
            CameraChoice::Named(name) => scene
                .cameras
                .iter()
                .find(|c| c.name.as_deref() == Some(name.as_str()))
                .map(|c| scene_camera_view(c, w, h))
                .ok_or_else(|| RenderError::NoCamera {
                    name: name.clone(),
                    available: scene
                        .cameras
                        .iter()
                        .filter_map(|c| c.name.clone())
                        .collect::<Vec<_>>()
                        .join(", "),
                }),
        }
    }

    /// Render one image and read it back.
    pub fn render(
        &mut self,
        scene: &GpuScene,
        env: &GpuEnvironment,
        s: &RenderSettings,
    ) -> Result<Frame, RenderError> {
        let t0 = Instant::now();
        self.submit(scene, env, s, true)?;
        let targets = self.targets.last().expect("submit cached the targets");
        let display_mapped = targets.display_staging.map();
        let linear = targets.linear().filter(|_| s.linear);
        let linear_mapped = linear.map(|l| l.staging.map());
        self.ctx.wait_idle();
        let t1 = Instant::now();

        let device = &self.ctx.device;
        let rgba8 = targets.display_staging.read(device, display_mapped)?;
        let linear = match (linear, linear_mapped) {
            (Some(l), Some(mapped)) => {
                let raw = l.staging.read(device, mapped)?;
                Some(
                    bytemuck::cast_slice::<u8, half::f16>(&raw)
                        .iter()
                        .map(|h| h.to_f32())
                        .collect(),
                )
            }
            _ => None,
        };
        self.last_timings = RenderTimings {
            render: t1 - t0,
            readback: t1.elapsed(),
        };
        Ok(Frame {
            width: s.width,
            height: s.height,
            rgba8,
            linear,
        })
    }

    /// Render one image into the display texture and submit it, without
    /// waiting or reading back: the viewer samples the returned view (an
    /// `Rgba8Unorm` texture holding sRGB-encoded, straight-alpha pixels,
    /// exactly what [`Renderer::render`] reads back). The view stays valid
    /// until a render of another size evicts it from the target cache.
    pub fn draw(
        &mut self,
        scene: &GpuScene,
        env: &GpuEnvironment,
        s: &RenderSettings,
    ) -> Result<&wgpu::TextureView, RenderError> {
        self.submit(scene, env, s, false)?;
        Ok(&self
            .targets
            .last()
            .expect("submit cached the targets")
            .display_view)
    }

    /// Record and submit one image; with `readback`, also the copies to the
    /// staging buffers (in the same submission: one round trip per image).
    fn submit(
        &mut self,
        scene: &GpuScene,
        env: &GpuEnvironment,
        s: &RenderSettings,
        readback: bool,
    ) -> Result<(), RenderError> {
        let ssaa = s.ssaa.max(1);
        let max = self.ctx.max_image_size();
        let (w, h) = (s.width.saturating_mul(ssaa), s.height.saturating_mul(ssaa));
        if s.width == 0 || s.height == 0 || w > max || h > max {
            return Err(RenderError::Size {
                width: s.width,
                height: s.height,
                ssaa,
                max,
            });
        }
        let cam = self.camera_view(&scene.scene, s, w, h)?;
        let device = self.ctx.device.clone();
        let queue = self.ctx.queue.clone();

        // Frame uniforms and lights.
        let mut lights: Vec<LightUniform> = if s.lights {
            scene.scene.lights.iter().map(light_uniform).collect()
        } else {
            Vec::new()
        };
        // Shadow maps for the first lights, within the layer budget (a point
        // light takes six layers: `shadows` explains the budget).
        let mut shadow_frames = Vec::new();
        let mut shadow_layers = 0;
        if s.lights {
            for (u, l) in lights.iter_mut().zip(&scene.scene.lights) {
                if shadow_frames.len() == shadows::MAX_SHADOWS {
                    break;
                }
                let Some(f) = shadows::shadow_frame(l, &scene.scene.bounds) else {
                    continue;
                };
                if shadow_layers + f.layers.len() > shadows::MAX_SHADOW_LAYERS {
                    continue;
                }
                u.shadow_view_proj = f.matrix.to_cols_array_2d();
                u.shadow = [shadow_layers as f32, f.texel, f.projection.code(), 0.0];
                shadow_layers += f.layers.len();
                shadow_frames.push(f);
            }
        }
        if shadow_layers > 0 {
            match &mut self.shadows {
                Some(sh) => sh.ensure_layers(&device, shadow_layers),
                None => {
                    self.shadows = Some(shadows::ShadowPass::new(
                        &device,
                        &self.layouts,
                        shadow_layers,
                    ))
                }
            }
        }
        let (shadow_view, shadow_sampler) = match (&self.shadows, shadow_frames.is_empty()) {
            (Some(sh), false) => (&sh.array_view, &sh.sampler),
            _ => (&self.no_shadows.0, &self.no_shadows.1),
        };
        let vp = cam.view_proj();
        let rot = s.env_rotation_deg.to_radians();
        let fu = FrameUniform {
            view_proj: vp.to_cols_array_2d(),
            inv_view_proj: vp.inverse().to_cols_array_2d(),
            camera_pos: cam.eye.extend(1.0).to_array(),
            env: [
                rot.cos(),
                rot.sin(),
                s.env_intensity,
                (env.specular_mips() - 1) as f32,
            ],
            counts: [lights.len() as u32, 0, 0, 0],
            pixel: [0.0; 4],
            viewport: [0.0; 4],
        };
        // The lights buffer is kept and only grows (a binding needs ≥ 1 light).
        let light_bytes = (lights.len().max(1) * std::mem::size_of::<LightUniform>()) as u64;
        if self.lights_buffer.size() < light_bytes {
            self.lights_buffer = lights_buffer(&device, light_bytes);
        }
        if !lights.is_empty() {
            queue.write_buffer(&self.lights_buffer, 0, bytemuck::cast_slice(&lights));
        }
        // Draw order: opaque and masked first, then transmissive (over the
        // backdrop of the opaque scene), then blended back to front.
        let mut opaque = Vec::new();
        let mut blended = Vec::new();
        let ssao_on = s.ssao.is_some_and(|a| a.intensity > 0.0);
        for d in scene.draws.iter().filter(|d| d.visible) {
            let m = scene.material_of(d);
            if m.invisible {
                continue;
            }
            let cull = match (m.double_sided, d.mirrored) {
                (true, _) => CullKey::None,
                (false, false) => CullKey::Back,
                (false, true) => CullKey::Front,
            };
            let key = PipelineKey {
                blend: m.blend,
                mask: m.mask,
                cull,
                layers: m.layers,
                decals: d.decal_mask != 0 && scene.decals.is_some(),
                gem: d.gem && m.layers,
                textures: m.textures,
                orm: m.orm,
                uv_plain: m.uv_plain,
                unlit: m.unlit,
                lights: !lights.is_empty(),
                // The shader applies it to the opaque surfaces only.
                ssao: ssao_on && !m.blend && !m.transmissive,
            };
            self.pipelines.surface(&device, &self.layouts, key);
            // View-space z: more negative is farther.
            let depth = cam.view.transform_point3(d.center).z;
            if m.blend {
                blended.push((depth, key, d));
            } else {
                opaque.push((depth, key, d));
            }
        }
        // Opaque: grouped by pipeline, front to back so early depth tests skip
        // hidden fragments; blended: back to front.
        opaque.sort_by(|a, b| a.1.cmp(&b.1).then(b.0.total_cmp(&a.0)));
        blended.sort_by(|a, b| a.0.total_cmp(&b.0));
        let (transmissive, opaque): (Vec<_>, Vec<_>) = opaque
            .into_iter()
            .map(|(_, k, d)| (k, d))
            .partition(|(_, d)| scene.material_of(d).transmissive);
        let draws = surface::SurfaceDraws {
            opaque,
            transmissive,
            blended: blended.into_iter().map(|(_, k, d)| (k, d)).collect(),
        };

        let samples = self.pipelines.samples;
        if s.background == Background::Environment {
            self.pipelines.ensure_skybox(&device, &self.layouts);
        }
        let backdrop = draws.needs_backdrop(scene);
        let ao = s
            .ssao
            .filter(|a| a.intensity > 0.0 && !draws.opaque.is_empty());
        if ao.is_some() {
            let pass = self
                .ssao
                .get_or_insert_with(|| ssao::SsaoPass::new(&device, self.pipelines.pbr_module()));
            for (k, _) in &draws.opaque {
                pass.ensure_prepass(&device, &self.layouts, k.mask, k.cull);
            }
        }
        {
            let targets =
                Targets::ensure(&mut self.targets, &device, w, h, s.width, s.height, samples)?;
            if s.linear {
                targets.ensure_linear(&device)?;
            }
            if backdrop {
                targets.ensure_backdrop(&device, &self.mips);
            }
            if let (Some(_), Some(pass)) = (ao, &self.ssao) {
                targets.ensure_ssao(&device, pass);
            }
        }
        let targets = self.targets.last().expect("the targets were just cached");
        let backdrop_view = match targets.backdrop() {
            Some(b) if backdrop => &b.view,
            _ => &self.no_backdrop,
        };
        let ao_view = match (ao, targets.ssao()) {
            (Some(_), Some(t)) => &t.ao,
            _ => &self.no_ssao,
        };
        let fu = FrameUniform {
            pixel: [
                cam.pixel_size(h),
                if backdrop { 1.0 } else { 0.0 },
                (w.max(h) as f32).log2(),
                0.0,
            ],
            viewport: [
                1.0 / w as f32,
                1.0 / h as f32,
                if ao.is_some() { 1.0 } else { 0.0 },
                0.0,
            ],
            ..fu
        };
        queue.write_buffer(&self.frame_buffer, 0, bytemuck::bytes_of(&fu));
        let frame_bind =
            self.frame_bind_group(env, (shadow_view, shadow_sampler), backdrop_view, ao_view);

        let mut enc = device.create_command_encoder(&Default::default());
        if let (Some(sh), false) = (&self.shadows, shadow_frames.is_empty()) {
            sh.record(&queue, &mut enc, scene, &shadow_frames);
        }
        let ground = s.ground_shadow.map(|shadow| {
            let g = self
                .ground
                .get_or_insert_with(|| ground::GroundPass::new(&device, &self.layouts, samples));
            g.record_map(&queue, &mut enc, scene, &shadow);
            &*g
        });
        let bindings = surface::SurfaceBindings {
            scene,
            frame: &frame_bind,
            decals: scene.decals.as_ref().or(self.empty_decals.as_ref()),
            skybox: self
                .pipelines
                .skybox()
                .filter(|_| s.background == Background::Environment),
            ground,
        };
        if let (Some(a), Some(pass), Some(t)) = (ao, &self.ssao, targets.ssao()) {
            pass.prepare(&queue, t, vp, &a, &scene.scene.bounds);
            pass.record(&mut enc, t, &draws.opaque, &bindings);
        }
        surface::record(
            &mut enc,
            &device,
            &self.pipelines,
            &mut self.mips,
            targets,
            &draws,
            &bindings,
        );
        let background = match s.background {
            Background::Color(c) => Some(c),
            _ => None,
        };
        // Outside the product's screen rectangle the image is the background:
        // the display pass clears it and tone maps the rectangle only (the
        // environment background and the ground shadow reach farther).
        let content = if s.background == Background::Environment || s.ground_shadow.is_some() {
            None
        } else {
            cam.screen_rect(&scene.scene.bounds, w, h)
                .map(|[x, y, rw, rh]| {
                    let (x1, y1) = ((x + rw).div_ceil(ssaa), (y + rh).div_ceil(ssaa));
                    let (x0, y0) = (x / ssaa, y / ssaa);
                    [x0, y0, x1 - x0, y1 - y0]
                })
        };
        self.pipelines.tonemap(
            &device,
            &queue,
            &mut enc,
            targets,
            &pipelines::Display {
                exposure: s.exposure,
                tonemap: s.tonemap.index(),
                ssaa,
                background,
                linear: s.linear,
                content,
            },
        );
        if readback {
            targets
                .display_staging
                .record_copy(&mut enc, &targets.display);
            if let Some(l) = targets.linear().filter(|_| s.linear) {
                l.staging.record_copy(&mut enc, &l.texture);
            }
        }
        queue.submit([enc.finish()]);
        Ok(())
    }
}

/// A 1×1 texture for a binding a frame does not use.
fn one_texel(
    device: &wgpu::Device,
    label: &str,
    format: wgpu::TextureFormat,
    usage: wgpu::TextureUsages,
) -> wgpu::Texture {
    targets::texture(device, label, (1, 1), 1, format, usage)
}

/// A 1×1 transparent backdrop for frames without transmissive surfaces
/// (refraction then sees the environment).
fn no_backdrop(device: &wgpu::Device) -> wgpu::TextureView {
    one_texel(
        device,
        "no backdrop",
        targets::HDR_FORMAT,
        wgpu::TextureUsages::TEXTURE_BINDING,
    )
    .create_view(&Default::default())
}

/// A 1×1 white occlusion map (nothing occluded) for frames without SSAO.
fn no_ssao(device: &wgpu::Device, queue: &wgpu::Queue) -> wgpu::TextureView {
    let texture = one_texel(
        device,
        "no ssao",
        wgpu::TextureFormat::R8Unorm,
        wgpu::TextureUsages::TEXTURE_BINDING | wgpu::TextureUsages::COPY_DST,
    );
    queue.write_texture(
        texture.as_image_copy(),
        &[255],
        wgpu::TexelCopyBufferLayout::default(),
        texture.size(),
    );
    texture.create_view(&Default::default())
}

/// A 1×1 shadow map array (everything lit) for frames without shadows.
fn no_shadow_map(device: &wgpu::Device) -> (wgpu::TextureView, wgpu::Sampler) {
    let texture = one_texel(
        device,
        "no shadows",
        shadows::SHADOW_FORMAT,
        wgpu::TextureUsages::TEXTURE_BINDING,
    );
    let view = texture.create_view(&wgpu::TextureViewDescriptor {
        dimension: Some(wgpu::TextureViewDimension::D2Array),
        ..Default::default()
    });
    let sampler = device.create_sampler(&wgpu::SamplerDescriptor {
        label: Some("no shadows"),
        compare: Some(wgpu::CompareFunction::LessEqual),
        ..Default::default()
    });
    (view, sampler)
}

fn lights_buffer(device: &wgpu::Device, size: u64) -> wgpu::Buffer {
    device.create_buffer(&wgpu::BufferDescriptor {
        label: Some("lights"),
        size,
        usage: wgpu::BufferUsages::STORAGE | wgpu::BufferUsages::COPY_DST,
        mapped_at_creation: false,
    })
}

fn light_uniform(l: &crate::scene::Light) -> LightUniform {
    let (kind, cone) = match l.kind {
        LightKind::Directional => (0.0, [0.0; 4]),
        LightKind::Point => (1.0, [0.0; 4]),
        LightKind::Spot {
            inner_cone_angle,
            outer_cone_angle,
        } => {
            // KHR_lights_punctual: scale = 1 / max(0.001, cos(inner) − cos(outer)).
            let scale = 1.0 / (inner_cone_angle.cos() - outer_cone_angle.cos()).max(0.001);
            (2.0, [scale, -outer_cone_angle.cos() * scale, 0.0, 0.0])
        }
    };
    let c = l.color.map(|c| c * l.intensity);
    LightUniform {
        position_range: [
            l.position.x,
            l.position.y,
            l.position.z,
            l.range.unwrap_or(0.0),
        ],
        direction_kind: [l.direction.x, l.direction.y, l.direction.z, kind],
        color: [c[0], c[1], c[2], 0.0],
        cone,
        shadow_view_proj: glam::Mat4::IDENTITY.to_cols_array_2d(),
        shadow: [-1.0, 0.0, 0.0, 0.0],
    }
}
