//! Screen-space ambient occlusion: the crevices, contacts and folds of the
//! product darkened in its ambient (image-based) light, on top of any baked
//! occlusion texture.
//!
//! At half the image's resolution: a pre-pass draws the opaque surfaces'
//! depth and world-space normals, `fs_ao` (`shaders/ssao.wgsl`) estimates
//! the cosine-weighted visibility over a normal-oriented hemisphere of
//! radius R from [`SAMPLES`] points, and a depth-aware 4×4 blur removes the
//! sampling pattern. The surface shader takes the smaller of this and the
//! material's baked occlusion for opaque surfaces; blended and transmissive
//! surfaces, which the pre-pass does not draw, keep their own.
//!
//! Pipelines, layouts and the parameter buffer are built once; the targets
//! live with the image size's other targets.

use super::layouts::{Layouts, texture_entry, uniform};
use super::pipelines::{CullKey, MeshPass, fullscreen_pipeline, mesh_pipeline};
use super::surface::SurfaceBindings;
use super::targets::DEPTH_FORMAT;
use crate::shaders;
use bytemuck::{Pod, Zeroable};
use glam::Mat4;
use std::collections::HashMap;

/// Hemisphere samples per pixel.
pub const SAMPLES: u32 = 16;
const NORMAL_FORMAT: wgpu::TextureFormat = wgpu::TextureFormat::Rgba16Float;
const AO_FORMAT: wgpu::TextureFormat = wgpu::TextureFormat::R8Unorm;

/// Screen-space ambient occlusion settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ssao {
    /// Strength: the measured visibility is raised to this power (1 = as
    /// measured, 2 = darker, 0 = none).
    pub intensity: f32,
    /// Sampling radius as a fraction of the product's bounding-sphere
    /// radius (0.1: a tenth of the product's half-size), so the same value
    /// suits a ring and a sofa.
    pub radius: f32,
}

impl Default for Ssao {
    fn default() -> Self {
        Self {
            intensity: 1.0,
            radius: 0.1,
        }
    }
}

/// `Params` in `ssao.wgsl`.
#[repr(C)]
#[derive(Debug, Clone, Copy, Pod, Zeroable)]
struct Params {
    view_proj: [[f32; 4]; 4],
    inv_view_proj: [[f32; 4]; 4],
    ao: [f32; 4],
    size: [f32; 4],
}

/// The half-resolution textures of one image size.
#[derive(Debug)]
pub struct SsaoTargets {
    size: (u32, u32),
    normal: wgpu::TextureView,
    depth: wgpu::TextureView,
    raw: wgpu::TextureView,
    /// The blurred occlusion the surface pass samples.
    pub ao: wgpu::TextureView,
    ao_bind: wgpu::BindGroup,
    blur_bind: wgpu::BindGroup,
}

/// The pass: pre-pass pipelines (one per culling and alpha test), the
/// occlusion and blur pipelines, their layouts and parameters.
#[derive(Debug)]
pub struct SsaoPass {
    module: wgpu::ShaderModule,
    prepass: HashMap<(bool, CullKey), wgpu::RenderPipeline>,
    ao: wgpu::RenderPipeline,
    blur: wgpu::RenderPipeline,
    ao_layout: wgpu::BindGroupLayout,
    blur_layout: wgpu::BindGroupLayout,
    params: wgpu::Buffer,
}

fn half(v: u32) -> u32 {
    v.div_ceil(2).max(1)
}

impl SsaoPass {
    /// Build the occlusion and blur pipelines (the pre-pass pipelines are
    /// built on first use, from the surface shader module).
    pub fn new(device: &wgpu::Device, pbr: &wgpu::ShaderModule) -> Self {
        use wgpu::TextureViewDimension::D2;
        let depth_entry = wgpu::BindGroupLayoutEntry {
            binding: 2,
            visibility: wgpu::ShaderStages::FRAGMENT,
            ty: wgpu::BindingType::Texture {
                sample_type: wgpu::TextureSampleType::Depth,
                view_dimension: D2,
                multisampled: false,
            },
            count: None,
        };
        let entries = [
            uniform(0, false),
            texture_entry(1, D2, false),
            depth_entry,
            texture_entry(3, D2, false),
        ];
        let ao_layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("ssao"),
            entries: &entries[..3],
        });
        let blur_layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("ssao blur"),
            entries: &entries,
        });
        let module = shaders::SSAO.create(device);
        let pipeline = |label, layout: &wgpu::BindGroupLayout, entry| {
            let pl = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
                label: Some(label),
                bind_group_layouts: &[Some(layout)],
                immediate_size: 0,
            });
            fullscreen_pipeline(
                device,
                label,
                &pl,
                &module,
                entry,
                &[Some(AO_FORMAT.into())],
                None,
                1,
                &[],
            )
        };
        let ao = pipeline("ssao", &ao_layout, "fs_ao");
        let blur = pipeline("ssao blur", &blur_layout, "fs_blur");
        Self {
            module: pbr.clone(),
            prepass: HashMap::new(),
            ao,
            blur,
            ao_layout,
            blur_layout,
            params: device.create_buffer(&wgpu::BufferDescriptor {
                label: Some("ssao"),
                size: std::mem::size_of::<Params>() as u64,
                usage: wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
                mapped_at_creation: false,
            }),
        }
    }

    /// The pre-pass pipeline for an alpha test and culling, built once.
    pub fn ensure_prepass(
        &mut self,
        device: &wgpu::Device,
        layouts: &Layouts,
        mask: bool,
        cull: CullKey,
    ) {
        let module = &self.module;
        self.prepass.entry((mask, cull)).or_insert_with(|| {
            let constants = [("ALPHA_MASK", if mask { 1.0 } else { 0.0 })];
            mesh_pipeline(
                device,
                layouts,
                module,
                &MeshPass {
                    label: "ssao pre-pass",
                    fs_entry: "fs_normal",
                    constants: &constants,
                    target: NORMAL_FORMAT.into(),
                    cull,
                    depth_write: true,
                    samples: 1,
                },
            )
        });
    }

    /// Half-resolution targets for an image of `w` × `h`, with their bind
    /// groups.
    pub fn targets(&self, device: &wgpu::Device, w: u32, h: u32) -> SsaoTargets {
        let size = (half(w), half(h));
        let make = |label, format, usage| {
            super::targets::texture(device, label, size, 1, format, usage)
                .create_view(&Default::default())
        };
        use wgpu::TextureUsages as U;
        let both = U::RENDER_ATTACHMENT | U::TEXTURE_BINDING;
        let normal = make("ssao normals", NORMAL_FORMAT, both);
        let depth = make("ssao depth", DEPTH_FORMAT, both);
        let raw = make("ssao raw", AO_FORMAT, both);
        let ao = make("ssao", AO_FORMAT, both);
        let bind = |layout, views: &[&wgpu::TextureView]| {
            let mut entries = vec![wgpu::BindGroupEntry {
                binding: 0,
                resource: self.params.as_entire_binding(),
            }];
            entries.extend(views.iter().enumerate().map(|(i, v)| wgpu::BindGroupEntry {
                binding: i as u32 + 1,
                resource: wgpu::BindingResource::TextureView(v),
            }));
            device.create_bind_group(&wgpu::BindGroupDescriptor {
                label: Some("ssao"),
                layout,
                entries: &entries,
            })
        };
        SsaoTargets {
            size,
            ao_bind: bind(&self.ao_layout, &[&normal, &depth]),
            blur_bind: bind(&self.blur_layout, &[&normal, &depth, &raw]),
            normal,
            depth,
            raw,
            ao,
        }
    }

    /// Write this image's parameters: the camera, and the radius as
    /// `settings.radius` × the bounding-sphere radius of `bounds`.
    pub fn prepare(
        &self,
        queue: &wgpu::Queue,
        t: &SsaoTargets,
        view_proj: Mat4,
        settings: &Ssao,
        bounds: &crate::scene::Aabb,
    ) {
        let radius = settings.radius * (0.5 * (bounds.max - bounds.min).length()).max(1e-4);
        let params = Params {
            view_proj: view_proj.to_cols_array_2d(),
            inv_view_proj: view_proj.inverse().to_cols_array_2d(),
            ao: [radius, settings.intensity.max(0.0), SAMPLES as f32, 0.0],
            size: [
                t.size.0 as f32,
                t.size.1 as f32,
                1.0 / t.size.0 as f32,
                1.0 / t.size.1 as f32,
            ],
        };
        queue.write_buffer(&self.params, 0, bytemuck::bytes_of(&params));
    }

    /// Record the pre-pass of `draws` (opaque, made with
    /// [`Self::ensure_prepass`]), the occlusion and the blur, with the
    /// parameters of [`Self::prepare`].
    pub(super) fn record(
        &self,
        enc: &mut wgpu::CommandEncoder,
        t: &SsaoTargets,
        draws: &[super::surface::Draw<'_>],
        b: &SurfaceBindings<'_>,
    ) {
        {
            let mut pass = enc.begin_render_pass(&wgpu::RenderPassDescriptor {
                label: Some("ssao pre-pass"),
                color_attachments: &[Some(wgpu::RenderPassColorAttachment {
                    view: &t.normal,
                    depth_slice: None,
                    resolve_target: None,
                    ops: wgpu::Operations {
                        load: wgpu::LoadOp::Clear(wgpu::Color::TRANSPARENT),
                        store: wgpu::StoreOp::Store,
                    },
                })],
                depth_stencil_attachment: Some(wgpu::RenderPassDepthStencilAttachment {
                    view: &t.depth,
                    depth_ops: Some(wgpu::Operations {
                        load: wgpu::LoadOp::Clear(0.0),
                        store: wgpu::StoreOp::Store,
                    }),
                    stencil_ops: None,
                }),
                ..Default::default()
            });
            super::surface::bind_common(&mut pass, b);
            super::surface::draw_each(&mut pass, b.scene, draws, |key| {
                &self.prepass[&(key.mask, key.cull)]
            });
        }
        for (pipeline, bind, target) in [
            (&self.ao, &t.ao_bind, &t.raw),
            (&self.blur, &t.blur_bind, &t.ao),
        ] {
            let mut pass = enc.begin_render_pass(&wgpu::RenderPassDescriptor {
                label: Some("ssao"),
                color_attachments: &[Some(wgpu::RenderPassColorAttachment {
                    view: target,
                    depth_slice: None,
                    resolve_target: None,
                    ops: wgpu::Operations {
                        load: wgpu::LoadOp::Clear(wgpu::Color::WHITE),
                        store: wgpu::StoreOp::Store,
                    },
                })],
                ..Default::default()
            });
            pass.set_pipeline(pipeline);
            pass.set_bind_group(0, bind, &[]);
            pass.draw(0..3, 0..1);
        }
    }
}
