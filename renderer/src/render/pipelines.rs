//! Render pipelines of the surface, background and display passes. Surface
//! pipelines are specialised by a small [`PipelineKey`] and built once per key.

use super::layouts::{Layouts, Vertex, texture_entry, uniform};
use super::targets::{DEPTH_FORMAT, DISPLAY_FORMAT, HDR_FORMAT, LINEAR_FORMAT, Targets};
use crate::shaders;
use std::collections::HashMap;

/// Face culling of a surface pipeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CullKey {
    /// Double-sided material.
    None,
    /// Single-sided.
    Back,
    /// Single-sided under a mirroring transform (winding flipped).
    Front,
}

/// A pipeline that draws the scene's meshes with the surface shader module
/// (its `vs_main`, reversed-Z depth test): the surface pass and the AO
/// pre-pass.
pub struct MeshPass<'a> {
    /// Label.
    pub label: &'a str,
    /// Fragment entry point.
    pub fs_entry: &'a str,
    /// Override constants.
    pub constants: &'a [(&'a str, f64)],
    /// The colour target.
    pub target: wgpu::ColorTargetState,
    /// Culling.
    pub cull: CullKey,
    /// Whether depth is written.
    pub depth_write: bool,
    /// MSAA samples.
    pub samples: u32,
}

/// Build a [`MeshPass`] pipeline.
pub fn mesh_pipeline(
    device: &wgpu::Device,
    layouts: &Layouts,
    module: &wgpu::ShaderModule,
    p: &MeshPass<'_>,
) -> wgpu::RenderPipeline {
    device.create_render_pipeline(&wgpu::RenderPipelineDescriptor {
        label: Some(p.label),
        layout: Some(&layouts.pipeline),
        vertex: wgpu::VertexState {
            module,
            entry_point: Some("vs_main"),
            compilation_options: Default::default(),
            buffers: &[Some(Vertex::LAYOUT)],
        },
        primitive: wgpu::PrimitiveState {
            topology: wgpu::PrimitiveTopology::TriangleList,
            front_face: wgpu::FrontFace::Ccw,
            cull_mode: p.cull.face(),
            ..Default::default()
        },
        depth_stencil: Some(wgpu::DepthStencilState {
            format: DEPTH_FORMAT,
            depth_write_enabled: Some(p.depth_write),
            depth_compare: Some(wgpu::CompareFunction::Greater),
            stencil: Default::default(),
            bias: Default::default(),
        }),
        multisample: wgpu::MultisampleState {
            count: p.samples,
            ..Default::default()
        },
        fragment: Some(wgpu::FragmentState {
            module,
            entry_point: Some(p.fs_entry),
            compilation_options: wgpu::PipelineCompilationOptions {
                constants: p.constants,
                ..Default::default()
            },
            targets: &[Some(p.target.clone())],
        }),
        multiview_mask: None,
        cache: None,
    })
}

impl CullKey {
    /// The faces the rasteriser drops.
    pub fn face(self) -> Option<wgpu::Face> {
        match self {
            CullKey::None => None,
            CullKey::Back => Some(wgpu::Face::Back),
            CullKey::Front => Some(wgpu::Face::Front),
        }
    }
}

/// What distinguishes one surface pipeline from another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PipelineKey {
    /// Alpha blended (premultiplied), no depth write.
    pub blend: bool,
    /// Alpha tested (glTF MASK): the only pipelines whose shader may discard.
    pub mask: bool,
    /// Culling.
    pub cull: CullKey,
    /// The material has layers (clearcoat, sheen, specular, iridescence,
    /// anisotropy, transmission, IOR ≠ 1.5).
    pub layers: bool,
    /// The draw receives decals.
    pub decals: bool,
    /// The draw is a faceted stone with a layered (transmissive) material:
    /// light is traced inside it.
    pub gem: bool,
    /// The material's core textures ([`super::gpu_scene::GpuMaterial::textures`]).
    pub textures: u8,
    /// The material's occlusion is read from its metallic-roughness texture
    /// ([`super::gpu_scene::GpuMaterial::orm`]).
    pub orm: bool,
    /// The core textures read UV set 0 untransformed
    /// ([`super::gpu_scene::GpuMaterial::uv_plain`]).
    pub uv_plain: bool,
    /// The material is unlit.
    pub unlit: bool,
    /// The frame has punctual lights.
    pub lights: bool,
    /// The frame has screen-space ambient occlusion.
    pub ssao: bool,
}

/// A pipeline drawing one full-screen triangle (`vs_main` of `module`, no vertex buffers).
#[allow(clippy::too_many_arguments)]
pub fn fullscreen_pipeline(
    device: &wgpu::Device,
    label: &str,
    layout: &wgpu::PipelineLayout,
    module: &wgpu::ShaderModule,
    fs_entry: &str,
    targets: &[Option<wgpu::ColorTargetState>],
    depth_stencil: Option<wgpu::DepthStencilState>,
    samples: u32,
    constants: &[(&str, f64)],
) -> wgpu::RenderPipeline {
    device.create_render_pipeline(&wgpu::RenderPipelineDescriptor {
        label: Some(label),
        layout: Some(layout),
        vertex: wgpu::VertexState {
            module,
            entry_point: Some("vs_main"),
            compilation_options: Default::default(),
            buffers: &[],
        },
        primitive: wgpu::PrimitiveState::default(),
        depth_stencil,
        multisample: wgpu::MultisampleState {
            count: samples,
            ..Default::default()
        },
        fragment: Some(wgpu::FragmentState {
            module,
            entry_point: Some(fs_entry),
            compilation_options: wgpu::PipelineCompilationOptions {
                constants,
                ..Default::default()
            },
            targets,
        }),
        multiview_mask: None,
        cache: None,
    })
}

#[repr(C)]
#[derive(Clone, Copy, bytemuck::Pod, bytemuck::Zeroable)]
struct TonemapParams {
    exposure: f32,
    _pad: [f32; 3],
    background: [f32; 4],
}

/// What the display pass makes of the HDR image.
#[derive(Debug, Clone, Copy)]
pub struct Display {
    /// Exposure multiplier.
    pub exposure: f32,
    /// Tone mapper (0 PBR Neutral, 1 ACES, 2 AgX, 3 none).
    pub tonemap: u32,
    /// Supersampling factor to box-filter.
    pub ssaa: u32,
    /// Solid background composited under the image (else alpha is kept).
    pub background: Option<[u8; 3]>,
    /// Also write the scene-referred linear image.
    pub linear: bool,
    /// The output pixels (x, y, width, height) outside which the image is
    /// known to be empty; `None` for all of them.
    pub content: Option<[u32; 4]>,
}

/// What distinguishes one display pipeline from another (its override
/// constants, and whether it also writes the linear image).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct DisplayKey {
    tonemap: u32,
    ssaa: u32,
    background: bool,
    linear: bool,
}

/// Every pipeline of the renderer.
#[derive(Debug)]
pub struct Pipelines {
    /// MSAA sample count of the surface pass.
    pub samples: u32,
    pbr: wgpu::ShaderModule,
    surface: HashMap<PipelineKey, wgpu::RenderPipeline>,
    skybox: Option<wgpu::RenderPipeline>,
    tonemap_layout: wgpu::BindGroupLayout,
    tonemap_pipeline_layout: wgpu::PipelineLayout,
    tonemap_module: wgpu::ShaderModule,
    display: HashMap<DisplayKey, wgpu::RenderPipeline>,
    tonemap_params: wgpu::Buffer,
}

impl Pipelines {
    /// Create the shader modules and the display layouts (pipelines are built
    /// on first use, per key).
    pub fn new(device: &wgpu::Device, samples: u32) -> Self {
        // With MSAA the display pass reads the samples and resolves them
        // itself (`Targets::display_source`).
        let mut source = texture_entry(0, wgpu::TextureViewDimension::D2, false);
        if let wgpu::BindingType::Texture { multisampled, .. } = &mut source.ty {
            *multisampled = samples > 1;
        }
        let tonemap_layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("tonemap"),
            entries: &[source, uniform(1, false)],
        });
        let tonemap_pipeline_layout =
            device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
                label: Some("tonemap"),
                bind_group_layouts: &[Some(&tonemap_layout)],
                immediate_size: 0,
            });
        Self {
            samples,
            pbr: shaders::PBR.create(device),
            surface: HashMap::new(),
            skybox: None,
            tonemap_layout,
            tonemap_pipeline_layout,
            tonemap_module: if samples > 1 {
                shaders::TONEMAP_MSAA.create(device)
            } else {
                shaders::TONEMAP.create(device)
            },
            display: HashMap::new(),
            tonemap_params: device.create_buffer(&wgpu::BufferDescriptor {
                label: Some("tonemap params"),
                size: std::mem::size_of::<TonemapParams>() as u64,
                usage: wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
                mapped_at_creation: false,
            }),
        }
    }

    /// Build the surface pipeline for `key` if it does not exist yet.
    pub fn surface(&mut self, device: &wgpu::Device, layouts: &Layouts, key: PipelineKey) {
        let (module, samples) = (&self.pbr, self.samples);
        self.surface.entry(key).or_insert_with(|| {
            let blend = key
                .blend
                .then_some(wgpu::BlendState::PREMULTIPLIED_ALPHA_BLENDING);
            let flag = |b: bool| if b { 1.0 } else { 0.0 };
            let constants = [
                ("ALPHA_MASK", flag(key.mask)),
                ("LAYERS", flag(key.layers)),
                ("DECALS", flag(key.decals)),
                ("GEM", flag(key.gem)),
                ("TEXTURES", f64::from(key.textures)),
                ("ORM", flag(key.orm)),
                ("UV_PLAIN", flag(key.uv_plain)),
                ("UNLIT", flag(key.unlit)),
                ("LIGHTS", flag(key.lights)),
                ("SSAO", flag(key.ssao)),
            ];
            mesh_pipeline(
                device,
                layouts,
                module,
                &MeshPass {
                    label: "surface",
                    fs_entry: "fs_main",
                    constants: &constants,
                    target: wgpu::ColorTargetState {
                        format: HDR_FORMAT,
                        blend,
                        write_mask: wgpu::ColorWrites::ALL,
                    },
                    cull: key.cull,
                    depth_write: !key.blend,
                    samples,
                },
            )
        });
    }

    /// The surface shader module (the AO pre-pass draws with it too).
    pub fn pbr_module(&self) -> &wgpu::ShaderModule {
        &self.pbr
    }

    /// A surface pipeline made earlier by [`Self::surface`].
    pub fn get(&self, key: PipelineKey) -> &wgpu::RenderPipeline {
        &self.surface[&key]
    }

    /// Build the background pipeline if needed.
    pub fn ensure_skybox(&mut self, device: &wgpu::Device, layouts: &Layouts) {
        if self.skybox.is_some() {
            return;
        }
        let module = shaders::SKYBOX.create(device);
        let layout = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
            label: Some("skybox"),
            bind_group_layouts: &[Some(&layouts.frame)],
            immediate_size: 0,
        });
        self.skybox = Some(fullscreen_pipeline(
            device,
            "skybox",
            &layout,
            &module,
            "fs_main",
            &[Some(HDR_FORMAT.into())],
            Some(wgpu::DepthStencilState {
                format: DEPTH_FORMAT,
                depth_write_enabled: Some(false),
                depth_compare: Some(wgpu::CompareFunction::Always),
                stencil: Default::default(),
                bias: Default::default(),
            }),
            self.samples,
            &[],
        ));
    }

    /// The background pipeline (after [`Self::ensure_skybox`]).
    pub fn skybox(&self) -> Option<&wgpu::RenderPipeline> {
        self.skybox.as_ref()
    }

    /// Record the display pass: resolve supersampling, expose, tone map, encode.
    pub fn tonemap(
        &mut self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        enc: &mut wgpu::CommandEncoder,
        targets: &Targets,
        d: &Display,
    ) {
        let &Display {
            exposure,
            tonemap,
            ssaa,
            background,
            linear,
            content,
        } = d;
        let bg = background.unwrap_or([0; 3]);
        let params = TonemapParams {
            exposure,
            _pad: [0.0; 3],
            background: [
                bg[0] as f32 / 255.0,
                bg[1] as f32 / 255.0,
                bg[2] as f32 / 255.0,
                1.0,
            ],
        };
        queue.write_buffer(&self.tonemap_params, 0, bytemuck::bytes_of(&params));
        let bind = device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some("tonemap"),
            layout: &self.tonemap_layout,
            entries: &[
                wgpu::BindGroupEntry {
                    binding: 0,
                    resource: wgpu::BindingResource::TextureView(targets.display_source()),
                },
                wgpu::BindGroupEntry {
                    binding: 1,
                    resource: self.tonemap_params.as_entire_binding(),
                },
            ],
        });
        // The linear target is written only when this image asks for it.
        let linear_view = targets.linear().filter(|_| linear).map(|l| &l.view);
        let key = DisplayKey {
            tonemap,
            ssaa,
            background: background.is_some(),
            linear: linear_view.is_some(),
        };
        let (layout, module) = (&self.tonemap_pipeline_layout, &self.tonemap_module);
        let samples = self.samples;
        let pipeline = self.display.entry(key).or_insert_with(|| {
            let (entry, targets): (_, &[_]) = if key.linear {
                (
                    "fs_main_linear",
                    &[Some(DISPLAY_FORMAT.into()), Some(LINEAR_FORMAT.into())],
                )
            } else {
                ("fs_main", &[Some(DISPLAY_FORMAT.into())])
            };
            let mut constants = vec![
                ("TONEMAP", f64::from(key.tonemap)),
                ("SSAA", f64::from(key.ssaa)),
                ("BACKGROUND", if key.background { 1.0 } else { 0.0 }),
            ];
            if samples > 1 {
                constants.push(("SAMPLES", f64::from(samples)));
            }
            fullscreen_pipeline(
                device, entry, layout, module, entry, targets, None, 1, &constants,
            )
        });
        // The full-screen triangle writes every pixel, or, with a content
        // rectangle, the rest is cleared to what the pass gives an empty
        // pixel: the background colour (opaque), else transparent black.
        let attach = |view, empty: wgpu::Color| {
            Some(wgpu::RenderPassColorAttachment {
                view,
                depth_slice: None,
                resolve_target: None,
                ops: wgpu::Operations {
                    load: match content {
                        Some(_) => wgpu::LoadOp::Clear(empty),
                        None => wgpu::LoadOp::Load,
                    },
                    store: wgpu::StoreOp::Store,
                },
            })
        };
        let empty = match background {
            Some(_) => wgpu::Color {
                r: f64::from(bg[0]) / 255.0,
                g: f64::from(bg[1]) / 255.0,
                b: f64::from(bg[2]) / 255.0,
                a: 1.0,
            },
            None => wgpu::Color::TRANSPARENT,
        };
        let mut attachments = vec![attach(&targets.display_view, empty)];
        if let Some(v) = linear_view {
            attachments.push(attach(v, wgpu::Color::TRANSPARENT));
        }
        let mut pass = enc.begin_render_pass(&wgpu::RenderPassDescriptor {
            label: Some("tonemap"),
            color_attachments: &attachments,
            ..Default::default()
        });
        if let Some([x, y, w, h]) = content {
            if w == 0 || h == 0 {
                return;
            }
            pass.set_scissor_rect(x, y, w, h);
        }
        pass.set_pipeline(pipeline);
        pass.set_bind_group(0, &bind, &[]);
        pass.draw(0..3, 0..1);
    }
}
