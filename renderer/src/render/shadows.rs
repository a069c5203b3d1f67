//! Shadow maps for KHR_lights_punctual directional and spot lights: one
//! 2048² depth layer per light (the first [`MAX_SHADOWS`] of them), framed
//! on the product's bounds, filtered with 3×3 hardware-compared PCF in the
//! surface shader, with slope-scaled depth bias and a normal offset of
//! about one texel against acne and no peter-panning. Point lights cast
//! none (they would need cube maps).

use super::gpu_scene::GpuScene;
use super::layouts::{Layouts, Vertex, uniform};
use crate::scene::{Aabb, Light, LightKind};
use glam::{Mat4, Vec3};

/// Side of a shadow map, texels.
pub const SHADOW_SIZE: u32 = 2048;
/// Lights that cast shadows.
pub const MAX_SHADOWS: usize = 4;
/// Shadow map format.
pub const SHADOW_FORMAT: wgpu::TextureFormat = wgpu::TextureFormat::Depth32Float;
/// Uniform stride of the per-light matrices (dynamic offsets).
const STRIDE: u64 = 256;

/// How a light's shadow map is framed: its clip-from-world matrix, and the
/// world size of one texel (at unit distance from a spot light).
#[derive(Debug, Clone, Copy)]
pub struct ShadowFrame {
    /// Clip from world (depth 0..1).
    pub view_proj: Mat4,
    /// Texel size in world units (directional) or per unit distance (spot).
    pub texel: f32,
    /// Whether `texel` grows with distance (spot).
    pub perspective: bool,
}

/// The frame of a light's shadow map over `bounds`, or `None` for a point
/// light.
pub fn shadow_frame(light: &Light, bounds: &Aabb) -> Option<ShadowFrame> {
    let centre = 0.5 * (bounds.min + bounds.max);
    let radius = (0.5 * (bounds.max - bounds.min).length()).max(1e-4);
    let dir = light.direction.normalize_or_zero();
    if dir == Vec3::ZERO {
        return None;
    }
    let up = if dir.y.abs() > 0.99 { Vec3::Z } else { Vec3::Y };
    match light.kind {
        LightKind::Point => None,
        LightKind::Directional => {
            let eye = centre - dir * (2.0 * radius);
            let view = Mat4::look_at_rh(eye, centre, up);
            let proj =
                Mat4::orthographic_rh(-radius, radius, -radius, radius, radius * 0.5, radius * 3.5);
            Some(ShadowFrame {
                view_proj: proj * view,
                texel: 2.0 * radius / SHADOW_SIZE as f32,
                perspective: false,
            })
        }
        LightKind::Spot {
            outer_cone_angle, ..
        } => {
            let to_centre = centre - light.position;
            let dist = to_centre.length();
            let near = (dist - radius).max(dist * 0.01).max(1e-3);
            let far = dist + radius;
            let fov = (2.0 * outer_cone_angle).clamp(0.01, 170f32.to_radians());
            let view = Mat4::look_at_rh(light.position, light.position + dir, up);
            let proj = Mat4::perspective_rh(fov, 1.0, near, far);
            Some(ShadowFrame {
                view_proj: proj * view,
                texel: 2.0 * (0.5 * fov).tan() / SHADOW_SIZE as f32,
                perspective: true,
            })
        }
    }
}

/// The shadow pipeline, maps and their bindings.
#[derive(Debug)]
pub struct ShadowPass {
    pipeline: wgpu::RenderPipeline,
    casters: wgpu::Buffer,
    caster_bind: wgpu::BindGroup,
    layers: Vec<wgpu::TextureView>,
    /// All layers, for the frame bind group.
    pub array_view: wgpu::TextureView,
    /// Comparison sampler (less-equal, linear: bilinear PCF).
    pub sampler: wgpu::Sampler,
}

impl ShadowPass {
    /// Build once per renderer.
    pub fn new(device: &wgpu::Device, layouts: &Layouts) -> Self {
        let module = crate::shaders::SHADOW.create(device);
        let caster_layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("shadow caster"),
            entries: &[wgpu::BindGroupLayoutEntry {
                visibility: wgpu::ShaderStages::VERTEX,
                ..uniform(0, true)
            }],
        });
        let layout = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
            label: Some("shadow"),
            bind_group_layouts: &[Some(&caster_layout), Some(&layouts.draw)],
            immediate_size: 0,
        });
        let pipeline = device.create_render_pipeline(&wgpu::RenderPipelineDescriptor {
            label: Some("shadow"),
            layout: Some(&layout),
            vertex: wgpu::VertexState {
                module: &module,
                entry_point: Some("vs_main"),
                compilation_options: Default::default(),
                buffers: &[Some(Vertex::LAYOUT)],
            },
            // Both faces: thin products (a shoe's upper) must cast.
            primitive: wgpu::PrimitiveState::default(),
            depth_stencil: Some(wgpu::DepthStencilState {
                format: SHADOW_FORMAT,
                depth_write_enabled: Some(true),
                depth_compare: Some(wgpu::CompareFunction::Less),
                stencil: Default::default(),
                bias: wgpu::DepthBiasState {
                    constant: 2,
                    slope_scale: 2.0,
                    clamp: 0.0,
                },
            }),
            multisample: Default::default(),
            fragment: None,
            multiview_mask: None,
            cache: None,
        });
        let casters = device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("shadow casters"),
            size: STRIDE * MAX_SHADOWS as u64,
            usage: wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
        let caster_bind = device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some("shadow casters"),
            layout: &caster_layout,
            entries: &[wgpu::BindGroupEntry {
                binding: 0,
                resource: wgpu::BindingResource::Buffer(wgpu::BufferBinding {
                    buffer: &casters,
                    offset: 0,
                    size: wgpu::BufferSize::new(64),
                }),
            }],
        });
        let texture = device.create_texture(&wgpu::TextureDescriptor {
            label: Some("shadow maps"),
            size: wgpu::Extent3d {
                width: SHADOW_SIZE,
                height: SHADOW_SIZE,
                depth_or_array_layers: MAX_SHADOWS as u32,
            },
            mip_level_count: 1,
            sample_count: 1,
            dimension: wgpu::TextureDimension::D2,
            format: SHADOW_FORMAT,
            usage: wgpu::TextureUsages::RENDER_ATTACHMENT | wgpu::TextureUsages::TEXTURE_BINDING,
            view_formats: &[],
        });
        let layers = (0..MAX_SHADOWS as u32)
            .map(|i| {
                texture.create_view(&wgpu::TextureViewDescriptor {
                    dimension: Some(wgpu::TextureViewDimension::D2),
                    base_array_layer: i,
                    array_layer_count: Some(1),
                    ..Default::default()
                })
            })
            .collect();
        let array_view = texture.create_view(&wgpu::TextureViewDescriptor {
            dimension: Some(wgpu::TextureViewDimension::D2Array),
            ..Default::default()
        });
        let sampler = device.create_sampler(&wgpu::SamplerDescriptor {
            label: Some("shadow"),
            mag_filter: wgpu::FilterMode::Linear,
            min_filter: wgpu::FilterMode::Linear,
            compare: Some(wgpu::CompareFunction::LessEqual),
            ..Default::default()
        });
        Self {
            pipeline,
            casters,
            caster_bind,
            layers,
            array_view,
            sampler,
        }
    }

    /// Records the depth of `scene` from each frame (one layer each).
    pub fn record(
        &self,
        queue: &wgpu::Queue,
        enc: &mut wgpu::CommandEncoder,
        scene: &GpuScene,
        frames: &[ShadowFrame],
    ) {
        for (i, f) in frames.iter().take(MAX_SHADOWS).enumerate() {
            queue.write_buffer(
                &self.casters,
                i as u64 * STRIDE,
                bytemuck::bytes_of(&f.view_proj.to_cols_array_2d()),
            );
        }
        for (i, _) in frames.iter().take(MAX_SHADOWS).enumerate() {
            let mut pass = enc.begin_render_pass(&wgpu::RenderPassDescriptor {
                label: Some("shadow"),
                color_attachments: &[],
                depth_stencil_attachment: Some(wgpu::RenderPassDepthStencilAttachment {
                    view: &self.layers[i],
                    depth_ops: Some(wgpu::Operations {
                        load: wgpu::LoadOp::Clear(1.0),
                        store: wgpu::StoreOp::Store,
                    }),
                    stencil_ops: None,
                }),
                ..Default::default()
            });
            pass.set_pipeline(&self.pipeline);
            pass.set_bind_group(0, &self.caster_bind, &[(i as u64 * STRIDE) as u32]);
            pass.set_vertex_buffer(0, scene.vertices.slice(..));
            pass.set_index_buffer(scene.indices.slice(..), wgpu::IndexFormat::Uint32);
            let casting = scene.draws.iter().filter(|d| {
                d.visible && !scene.material_of(d).invisible && !scene.material_of(d).blend
            });
            for d in casting {
                pass.set_bind_group(1, &scene.draw_bind_group, &[d.draw_offset]);
                pass.draw_indexed(
                    d.first_index..d.first_index + d.index_count,
                    d.base_vertex,
                    0..1,
                );
            }
        }
    }
}
