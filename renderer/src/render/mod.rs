//! The renderer: owns the GPU context, every pipeline and layout (built once),
//! and turns a [`GpuScene`] + [`GpuEnvironment`] + [`RenderSettings`] into a [`Frame`].

pub mod configure;
pub mod decals;
pub mod gems;
mod gpu_material;
pub mod gpu_scene;
pub mod ground;
pub mod layouts;
mod mipmap;
mod pipelines;
mod settings;
pub mod shadows;
pub mod ssao;
mod standins;
mod surface;
mod targets;

pub use configure::LookError;
pub use decals::{DecalGpuError, GpuDecals};
pub use gpu_scene::{DrawItem, GpuMaterial, GpuScene};
pub use ground::GroundShadow;
pub use settings::{CameraChoice, RenderError, RenderSettings, RenderTimings, ToneMapping};
pub use ssao::Ssao;

use crate::camera::{CameraView, scene_camera_view};
use crate::gpu::GpuContext;
use crate::ibl::{GpuEnvironment, IblBaker, cache};
use crate::output::{Background, Frame};
use crate::scene::Scene;
use gpu_scene::UploadContext;
use layouts::{FrameUniform, Layouts, LightUniform};
use mipmap::MipGenerator;
use pipelines::Pipelines;
use standins::{light_uniform, lights_buffer, no_backdrop, no_shadow_map, no_ssao};
use std::time::Instant;
use targets::Targets;

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
        let (shadow_frames, shadow_layers) = if s.lights {
            shadows::assign(&mut lights, &scene.scene.lights, &scene.scene.bounds)
        } else {
            (Vec::new(), 0)
        };
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
        let draws = surface::SurfaceDraws::collect(
            scene,
            &cam.view,
            !lights.is_empty(),
            s.ssao.is_some_and(|a| a.intensity > 0.0),
        );
        for (key, _) in draws.all() {
            self.pipelines.surface(&device, &self.layouts, *key);
        }

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
