//! The ground contact shadow ("shadow catcher"): the product seen from
//! under the ground writes how near each surface comes to the ground, a
//! separable Gaussian softens it, and a quad on the ground draws it as
//! black with premultiplied alpha in the surface pass. Over a transparent
//! background the shadow lives in the alpha alone.

use super::gpu_scene::GpuScene;
use super::layouts::{Layouts, Vertex, sampler, texture_entry, uniform};
use super::pipelines::fullscreen_pipeline;
use super::targets::{DEPTH_FORMAT, HDR_FORMAT};
use crate::shaders;
use bytemuck::{Pod, Zeroable};
use glam::{Mat4, Vec4};

/// Side of the shadow map, texels.
const MAP_SIZE: u32 = 256;
const MAP_FORMAT: wgpu::TextureFormat = wgpu::TextureFormat::R16Float;

/// A soft shadow on the ground under the product.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GroundShadow {
    /// Opacity of the darkest part, 0..1.
    pub intensity: f32,
    /// Blur, 0..1: the penumbra is `softness` × 10 % of the footprint.
    pub softness: f32,
}

impl Default for GroundShadow {
    fn default() -> Self {
        Self {
            intensity: 0.6,
            softness: 0.5,
        }
    }
}

#[repr(C)]
#[derive(Debug, Clone, Copy, Pod, Zeroable)]
struct GroundUniform {
    view_proj: [[f32; 4]; 4],
    params: [f32; 4],
    rect: [f32; 4],
    blur: [f32; 4],
}

/// The pipelines, maps and bind groups of the ground shadow.
#[derive(Debug)]
pub struct GroundPass {
    occluder: wgpu::RenderPipeline,
    blur_h: wgpu::RenderPipeline,
    blur_v: wgpu::RenderPipeline,
    plane: wgpu::RenderPipeline,
    uniform: wgpu::Buffer,
    maps: [wgpu::TextureView; 2],
    occluder_bind: wgpu::BindGroup,
    blur_binds: [wgpu::BindGroup; 2],
    plane_bind: wgpu::BindGroup,
}

fn map(device: &wgpu::Device, label: &str) -> wgpu::TextureView {
    device
        .create_texture(&wgpu::TextureDescriptor {
            label: Some(label),
            size: wgpu::Extent3d {
                width: MAP_SIZE,
                height: MAP_SIZE,
                depth_or_array_layers: 1,
            },
            mip_level_count: 1,
            sample_count: 1,
            dimension: wgpu::TextureDimension::D2,
            format: MAP_FORMAT,
            usage: wgpu::TextureUsages::RENDER_ATTACHMENT | wgpu::TextureUsages::TEXTURE_BINDING,
            view_formats: &[],
        })
        .create_view(&Default::default())
}

fn entry(binding: u32, resource: wgpu::BindingResource<'_>) -> wgpu::BindGroupEntry<'_> {
    wgpu::BindGroupEntry { binding, resource }
}

impl GroundPass {
    /// Build the pipelines (once per renderer) for a surface pass of
    /// `samples` samples.
    pub fn new(device: &wgpu::Device, layouts: &Layouts, samples: u32) -> Self {
        let module = shaders::GROUND_SHADOW.create(device);
        let uniform_layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("ground"),
            entries: &[uniform(0, false)],
        });
        let tex_layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("ground map"),
            entries: &[
                uniform(0, false),
                texture_entry(1, wgpu::TextureViewDimension::D2, true),
                sampler(2),
            ],
        });
        let blur_layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("ground blur"),
            entries: &[
                texture_entry(1, wgpu::TextureViewDimension::D2, true),
                sampler(2),
            ],
        });
        let layout = |groups: &[Option<&wgpu::BindGroupLayout>]| {
            device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
                label: Some("ground"),
                bind_group_layouts: groups,
                immediate_size: 0,
            })
        };
        let map_target = [Some(wgpu::ColorTargetState {
            format: MAP_FORMAT,
            blend: Some(wgpu::BlendState {
                color: wgpu::BlendComponent {
                    src_factor: wgpu::BlendFactor::One,
                    dst_factor: wgpu::BlendFactor::One,
                    operation: wgpu::BlendOperation::Max,
                },
                alpha: wgpu::BlendComponent::REPLACE,
            }),
            write_mask: wgpu::ColorWrites::ALL,
        })];
        let occluder = device.create_render_pipeline(&wgpu::RenderPipelineDescriptor {
            label: Some("ground occluders"),
            layout: Some(&layout(&[Some(&uniform_layout), Some(&layouts.draw)])),
            vertex: wgpu::VertexState {
                module: &module,
                entry_point: Some("vs_occluder"),
                compilation_options: Default::default(),
                buffers: &[Some(Vertex::LAYOUT)],
            },
            primitive: wgpu::PrimitiveState::default(),
            depth_stencil: None,
            multisample: Default::default(),
            fragment: Some(wgpu::FragmentState {
                module: &module,
                entry_point: Some("fs_occluder"),
                compilation_options: Default::default(),
                targets: &map_target,
            }),
            multiview_mask: None,
            cache: None,
        });
        let blur_pl = layout(&[Some(&uniform_layout), Some(&blur_layout)]);
        let plain = [Some(wgpu::ColorTargetState::from(MAP_FORMAT))];
        let blur = |entry: &str| {
            device.create_render_pipeline(&wgpu::RenderPipelineDescriptor {
                label: Some("ground blur"),
                layout: Some(&blur_pl),
                vertex: wgpu::VertexState {
                    module: &module,
                    entry_point: Some("vs_blur"),
                    compilation_options: Default::default(),
                    buffers: &[],
                },
                primitive: Default::default(),
                depth_stencil: None,
                multisample: Default::default(),
                fragment: Some(wgpu::FragmentState {
                    module: &module,
                    entry_point: Some(entry),
                    compilation_options: Default::default(),
                    targets: &plain,
                }),
                multiview_mask: None,
                cache: None,
            })
        };
        let (blur_h, blur_v) = (blur("fs_blur_h"), blur("fs_blur_v"));
        let plane_module = shaders::GROUND.create(device);
        let plane = fullscreen_pipeline(
            device,
            "ground plane",
            &layout(&[Some(&layouts.frame), Some(&tex_layout)]),
            &plane_module,
            "fs_main",
            &[Some(wgpu::ColorTargetState {
                format: HDR_FORMAT,
                blend: Some(wgpu::BlendState::PREMULTIPLIED_ALPHA_BLENDING),
                write_mask: wgpu::ColorWrites::ALL,
            })],
            Some(wgpu::DepthStencilState {
                format: DEPTH_FORMAT,
                depth_write_enabled: Some(false),
                depth_compare: Some(wgpu::CompareFunction::Greater),
                stencil: Default::default(),
                bias: Default::default(),
            }),
            samples,
            &[],
        );
        let uniform = device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("ground"),
            size: std::mem::size_of::<GroundUniform>() as u64,
            usage: wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
        let maps = [map(device, "ground map a"), map(device, "ground map b")];
        let linear = device.create_sampler(&wgpu::SamplerDescriptor {
            label: Some("ground"),
            mag_filter: wgpu::FilterMode::Linear,
            min_filter: wgpu::FilterMode::Linear,
            ..Default::default()
        });
        let occluder_bind = device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some("ground"),
            layout: &uniform_layout,
            entries: &[entry(0, uniform.as_entire_binding())],
        });
        let blur_bind = |src: &wgpu::TextureView| {
            device.create_bind_group(&wgpu::BindGroupDescriptor {
                label: Some("ground blur"),
                layout: &blur_layout,
                entries: &[
                    entry(1, wgpu::BindingResource::TextureView(src)),
                    entry(2, wgpu::BindingResource::Sampler(&linear)),
                ],
            })
        };
        let blur_binds = [blur_bind(&maps[0]), blur_bind(&maps[1])];
        let plane_bind = device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some("ground plane"),
            layout: &tex_layout,
            entries: &[
                entry(0, uniform.as_entire_binding()),
                entry(1, wgpu::BindingResource::TextureView(&maps[0])),
                entry(2, wgpu::BindingResource::Sampler(&linear)),
            ],
        });
        Self {
            occluder,
            blur_h,
            blur_v,
            plane,
            uniform,
            maps,
            occluder_bind,
            blur_binds,
            plane_bind,
        }
    }

    /// Records the shadow map of `scene` (its visible draws) into `enc`.
    pub fn record_map(
        &self,
        queue: &wgpu::Queue,
        enc: &mut wgpu::CommandEncoder,
        scene: &GpuScene,
        shadow: &GroundShadow,
    ) {
        let b = &scene.scene.bounds;
        let size = b.max - b.min;
        let extent = size.x.max(size.z).max(1e-4);
        // The footprint leaves room for the penumbra around the product.
        let half = 0.5 * extent * (1.3 + 0.4 * shadow.softness.clamp(0.0, 1.0));
        let (cx, cz) = (0.5 * (b.min.x + b.max.x), 0.5 * (b.min.z + b.max.z));
        // clip x = (x − cx) / half, clip y = (z − cz) / half, depth 0.5.
        let view_proj = Mat4::from_cols(
            Vec4::new(1.0 / half, 0.0, 0.0, 0.0),
            Vec4::new(0.0, 0.0, 0.0, 0.0),
            Vec4::new(0.0, 1.0 / half, 0.0, 0.0),
            Vec4::new(-cx / half, -cz / half, 0.5, 1.0),
        );
        let penumbra_m = shadow.softness.clamp(0.0, 1.0) * 0.1 * extent;
        let radius = (penumbra_m / (2.0 * half) * MAP_SIZE as f32).clamp(1.0, 24.0);
        let u = GroundUniform {
            view_proj: view_proj.to_cols_array_2d(),
            params: [
                b.min.y,
                (0.5 * size.y).max(1e-3),
                shadow.intensity.clamp(0.0, 1.0),
                0.0,
            ],
            rect: [cx, cz, half, 0.0],
            blur: [1.0 / MAP_SIZE as f32, radius, 0.0, 0.0],
        };
        queue.write_buffer(&self.uniform, 0, bytemuck::bytes_of(&u));
        let attachment = |view| {
            Some(wgpu::RenderPassColorAttachment {
                view,
                depth_slice: None,
                resolve_target: None,
                ops: wgpu::Operations {
                    load: wgpu::LoadOp::Clear(wgpu::Color::TRANSPARENT),
                    store: wgpu::StoreOp::Store,
                },
            })
        };
        {
            let mut pass = enc.begin_render_pass(&wgpu::RenderPassDescriptor {
                label: Some("ground occluders"),
                color_attachments: &[attachment(&self.maps[0])],
                ..Default::default()
            });
            pass.set_pipeline(&self.occluder);
            pass.set_bind_group(0, &self.occluder_bind, &[]);
            pass.set_vertex_buffer(0, scene.vertices.slice(..));
            pass.set_index_buffer(scene.indices.slice(..), wgpu::IndexFormat::Uint32);
            let shown = scene
                .draws
                .iter()
                .filter(|d| d.visible && !scene.material_of(d).invisible);
            for d in shown {
                pass.set_bind_group(1, &scene.draw_bind_group, &[d.draw_offset]);
                pass.draw_indexed(
                    d.first_index..d.first_index + d.index_count,
                    d.base_vertex,
                    0..1,
                );
            }
        }
        for (pipeline, src, dst) in [(&self.blur_h, 0, 1), (&self.blur_v, 1, 0)] {
            let mut pass = enc.begin_render_pass(&wgpu::RenderPassDescriptor {
                label: Some("ground blur"),
                color_attachments: &[attachment(&self.maps[dst])],
                ..Default::default()
            });
            pass.set_pipeline(pipeline);
            pass.set_bind_group(0, &self.occluder_bind, &[]);
            pass.set_bind_group(1, &self.blur_binds[src], &[]);
            pass.draw(0..3, 0..1);
        }
    }

    /// Draws the shadow on the ground (in the surface pass, after opaque
    /// surfaces; group 0 is the frame).
    pub fn draw(&self, pass: &mut wgpu::RenderPass<'_>) {
        pass.set_pipeline(&self.plane);
        pass.set_bind_group(1, &self.plane_bind, &[]);
        pass.draw(0..6, 0..1);
    }
}
