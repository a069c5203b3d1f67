//! Shadow maps for KHR_lights_punctual lights, all in one array of 2048²
//! `Depth32Float` layers:
//!
//! - a directional light takes one orthographic layer framed on the
//!   product's bounding sphere;
//! - a spot light takes one perspective layer over its outer cone;
//! - a point light takes six consecutive layers, the faces of a cube
//!   (+X, −X, +Y, −Y, +Z, −Z, see [`CUBE_FACES`]), each a perspective
//!   frustum a few texels wider than 90° and with near/far taken from the
//!   light's distance to the bounds (the light may be inside them).
//!
//! Six layers of the existing array rather than a cube texture: the surface
//! shader keeps one `texture_depth_2d_array` binding for every kind of
//! light (a cube array would be a second binding and needs the
//! `CUBE_ARRAY_TEXTURES` downlevel feature), and the lookup stays the same
//! 3×3 hardware-compared PCF as the other maps. The face is chosen from the
//! direction of the (normal-offset) point from the light; a cube face's
//! frustum covers [`CUBE_GUARD_TEXELS`] texels beyond the 90° square, with
//! real depth rendered there, so every filter tap of a point near a seam or
//! corner reads its own face and nothing leaks across the seam.
//!
//! Against acne and peter-panning all maps use the same recipe: a small
//! slope-scaled depth bias when rendering (constant 2, slope 2) and, in the
//! lookup, a normal offset of 1.5 texels (at the point's depth for the
//! perspective and cube maps) instead of a large depth bias.
//!
//! Budget: the first [`MAX_SHADOWS`] lights with a shadow frame, in file
//! order, as long as their layers fit in [`MAX_SHADOW_LAYERS`] (a point
//! light that no longer fits casts none; a later directional or spot light
//! may still take a free layer). A layer is 2048² × 4 bytes = 16 MiB: a
//! directional or spot light costs 16 MiB, a point light 96 MiB, the cap
//! of 12 layers 192 MiB (e.g. two point lights, or one point light and
//! three others). The array is allocated on the first frame that needs a
//! shadow, with as many layers as that frame uses, and reallocated only
//! when a later frame needs more (it never shrinks); the pipeline, the
//! sampler and the per-layer matrix buffer are built once per pass.

use super::gpu_scene::GpuScene;
use super::layouts::{Layouts, LightUniform, Vertex, uniform};
use crate::scene::{Aabb, Light, LightKind};
use glam::{Mat4, Vec3};

/// Side of a shadow map, texels.
pub const SHADOW_SIZE: u32 = 2048;
/// Lights that cast shadows.
pub const MAX_SHADOWS: usize = 4;
/// Layers of the shadow map array at most (16 MiB each).
pub const MAX_SHADOW_LAYERS: usize = 12;
/// Texels a cube face's frustum extends beyond its 90° square on every side:
/// more than the 3×3 PCF kernel with bilinear taps reaches (1.5 texels).
pub const CUBE_GUARD_TEXELS: u32 = 3;
/// Shadow map format.
pub const SHADOW_FORMAT: wgpu::TextureFormat = wgpu::TextureFormat::Depth32Float;
/// Uniform stride of the per-layer matrices (dynamic offsets).
const STRIDE: u64 = 256;

/// The cube faces of a point light's shadow, in layer order: the axis each
/// looks along and its up vector (`Mat4::look_to_rh`). `cube_face_local` in
/// `shaders/punctual.wgsl` hard-codes the same frames.
pub const CUBE_FACES: [(Vec3, Vec3); 6] = [
    (Vec3::X, Vec3::Y),
    (Vec3::NEG_X, Vec3::Y),
    (Vec3::Y, Vec3::Z),
    (Vec3::NEG_Y, Vec3::Z),
    (Vec3::Z, Vec3::Y),
    (Vec3::NEG_Z, Vec3::Y),
];

/// How a shadow map projects, as the surface shader reads it
/// (`Light.shadow.z`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShadowProjection {
    /// Directional light: one orthographic layer.
    Orthographic,
    /// Spot light: one perspective layer.
    Perspective,
    /// Point light: six cube-face layers.
    Cube,
}

impl ShadowProjection {
    /// The code in `Light.shadow.z`.
    pub fn code(self) -> f32 {
        match self {
            Self::Orthographic => 0.0,
            Self::Perspective => 1.0,
            Self::Cube => 2.0,
        }
    }
}

/// How a light's shadow map is framed.
#[derive(Debug, Clone)]
pub struct ShadowFrame {
    /// Clip from world (depth 0..1) of each layer the light renders: one,
    /// or the six cube faces in [`CUBE_FACES`] order.
    pub layers: Vec<Mat4>,
    /// The matrix of the light's uniform: the layer's clip from world for a
    /// directional or spot light; for a point light the faces' common
    /// clip-from-view projection (the shader builds the face's view itself).
    pub matrix: Mat4,
    /// World size of one texel: absolute (directional), per unit distance
    /// (spot) or per unit depth along the face's axis (cube).
    pub texel: f32,
    /// Which of the three.
    pub projection: ShadowProjection,
}

/// The half-width of a cube face's frustum at unit depth (tan of half its
/// field of view): 1 plus the guard band, `t = 1 + G·2t/N`.
pub fn cube_half_extent() -> f32 {
    1.0 / (1.0 - 2.0 * CUBE_GUARD_TEXELS as f32 / SHADOW_SIZE as f32)
}

/// Shadow maps for the first of `scene_lights` (with their uniforms
/// `lights`), within the layer budget: a point light takes six layers. Each
/// shadowed light's uniform gets its matrix, first layer, texel size and
/// projection. Returns the frames and the layers they take.
pub fn assign(
    lights: &mut [LightUniform],
    scene_lights: &[Light],
    bounds: &Aabb,
) -> (Vec<ShadowFrame>, usize) {
    let mut frames = Vec::new();
    let mut layers = 0;
    for (u, l) in lights.iter_mut().zip(scene_lights) {
        if frames.len() == MAX_SHADOWS {
            break;
        }
        let Some(f) = shadow_frame(l, bounds) else {
            continue;
        };
        if layers + f.layers.len() > MAX_SHADOW_LAYERS {
            continue;
        }
        u.shadow_view_proj = f.matrix.to_cols_array_2d();
        u.shadow = [layers as f32, f.texel, f.projection.code(), 0.0];
        layers += f.layers.len();
        frames.push(f);
    }
    (frames, layers)
}

/// The frame of a light's shadow map over `bounds`, or `None` without one
/// (a directional or spot light with no direction).
pub fn shadow_frame(light: &Light, bounds: &Aabb) -> Option<ShadowFrame> {
    let centre = 0.5 * (bounds.min + bounds.max);
    let radius = (0.5 * (bounds.max - bounds.min).length()).max(1e-4);
    if matches!(light.kind, LightKind::Point) {
        return Some(point_frame(light.position, bounds));
    }
    let dir = light.direction.normalize_or_zero();
    if dir == Vec3::ZERO {
        return None;
    }
    let up = if dir.y.abs() > 0.99 { Vec3::Z } else { Vec3::Y };
    match light.kind {
        LightKind::Point => unreachable!("handled above"),
        LightKind::Directional => {
            let eye = centre - dir * (2.0 * radius);
            let view = Mat4::look_at_rh(eye, centre, up);
            let proj =
                Mat4::orthographic_rh(-radius, radius, -radius, radius, radius * 0.5, radius * 3.5);
            let view_proj = proj * view;
            Some(ShadowFrame {
                layers: vec![view_proj],
                matrix: view_proj,
                texel: 2.0 * radius / SHADOW_SIZE as f32,
                projection: ShadowProjection::Orthographic,
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
            let view_proj = proj * view;
            Some(ShadowFrame {
                layers: vec![view_proj],
                matrix: view_proj,
                texel: 2.0 * (0.5 * fov).tan() / SHADOW_SIZE as f32,
                projection: ShadowProjection::Perspective,
            })
        }
    }
}

/// The six cube faces of a point light at `position` over `bounds`.
///
/// Far: the farthest corner of the bounds (a face's depth never exceeds
/// the distance). Near: inside a face's frustum a point's depth along the
/// axis is at least its distance / √(1 + 2t²), so the distance to the
/// closest point of the bounds divided by that keeps every caster; with
/// the light inside the bounds (distance 0) it is far / 1000, which
/// `Depth32Float` still resolves to ~1e-5 × far at the far end.
fn point_frame(position: Vec3, bounds: &Aabb) -> ShadowFrame {
    let t = cube_half_extent();
    let closest = (position.clamp(bounds.min, bounds.max) - position).length();
    let farthest = bounds
        .corners()
        .iter()
        .map(|c| (*c - position).length())
        .fold(0.0f32, f32::max);
    let far = (farthest * 1.01).max(1e-3);
    let near = (0.99 * closest / (1.0 + 2.0 * t * t).sqrt()).max(far * 1e-3);
    let proj = Mat4::perspective_rh(2.0 * t.atan(), 1.0, near, far);
    ShadowFrame {
        layers: CUBE_FACES
            .iter()
            .map(|&(axis, up)| proj * Mat4::look_to_rh(position, axis, up))
            .collect(),
        matrix: proj,
        texel: 2.0 * t / SHADOW_SIZE as f32,
        projection: ShadowProjection::Cube,
    }
}

/// Whether any part of `bounds` lies inside the frustum `view_proj`
/// (conservative: false only when all eight corners are outside one plane).
fn frustum_sees(view_proj: &Mat4, bounds: &Aabb) -> bool {
    let corners: Vec<glam::Vec4> = bounds
        .corners()
        .iter()
        .map(|c| view_proj.mul_vec4(c.extend(1.0)))
        .collect();
    let outside = |f: &dyn Fn(&glam::Vec4) -> bool| corners.iter().all(f);
    !(outside(&|c| c.x < -c.w)
        || outside(&|c| c.x > c.w)
        || outside(&|c| c.y < -c.w)
        || outside(&|c| c.y > c.w)
        || outside(&|c| c.z < 0.0)
        || outside(&|c| c.z > c.w))
}

/// The shadow pipeline, maps and their bindings.
#[derive(Debug)]
pub struct ShadowPass {
    pipeline: wgpu::RenderPipeline,
    casters: wgpu::Buffer,
    caster_bind: wgpu::BindGroup,
    /// One view per layer (render targets).
    layers: Vec<wgpu::TextureView>,
    /// All layers, for the frame bind group.
    pub array_view: wgpu::TextureView,
    /// Comparison sampler (less-equal, linear: bilinear PCF).
    pub sampler: wgpu::Sampler,
}

impl ShadowPass {
    /// Build once per renderer, with room for `layers` layers (at least 1;
    /// [`ShadowPass::ensure_layers`] grows it).
    pub fn new(device: &wgpu::Device, layouts: &Layouts, layers: usize) -> Self {
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
            size: STRIDE * MAX_SHADOW_LAYERS as u64,
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
        let (layer_views, array_view) = maps(device, layers);
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
            layers: layer_views,
            array_view,
            sampler,
        }
    }

    /// Layers the array holds now.
    pub fn layer_count(&self) -> usize {
        self.layers.len()
    }

    /// Make room for `layers` layers: reallocates the array only when it
    /// holds fewer (it never shrinks).
    pub fn ensure_layers(&mut self, device: &wgpu::Device, layers: usize) {
        if layers > self.layers.len() {
            (self.layers, self.array_view) = maps(device, layers);
        }
    }

    /// Records the depth of `scene` from each frame: one layer each, six for
    /// a point light, in order from layer 0 (the layers the light uniforms
    /// name). The array must hold them all ([`ShadowPass::ensure_layers`]).
    pub fn record(
        &self,
        queue: &wgpu::Queue,
        enc: &mut wgpu::CommandEncoder,
        scene: &GpuScene,
        frames: &[ShadowFrame],
    ) {
        let layers: Vec<&Mat4> = frames
            .iter()
            .flat_map(|f| &f.layers)
            .take(MAX_SHADOW_LAYERS.min(self.layers.len()))
            .collect();
        for (i, m) in layers.iter().enumerate() {
            queue.write_buffer(
                &self.casters,
                i as u64 * STRIDE,
                bytemuck::bytes_of(&m.to_cols_array_2d()),
            );
        }
        let bounds = &scene.scene.bounds;
        for (i, m) in layers.iter().enumerate() {
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
            // A cube face that sees none of the product stays clear (no
            // lookup lands there either: every shaded point is inside).
            if !frustum_sees(m, bounds) {
                continue;
            }
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

/// The shadow map array with `layers` layers (at least 1): one view per
/// layer and the array view.
fn maps(device: &wgpu::Device, layers: usize) -> (Vec<wgpu::TextureView>, wgpu::TextureView) {
    let layers = layers.clamp(1, MAX_SHADOW_LAYERS) as u32;
    let texture = device.create_texture(&wgpu::TextureDescriptor {
        label: Some("shadow maps"),
        size: wgpu::Extent3d {
            width: SHADOW_SIZE,
            height: SHADOW_SIZE,
            depth_or_array_layers: layers,
        },
        mip_level_count: 1,
        sample_count: 1,
        dimension: wgpu::TextureDimension::D2,
        format: SHADOW_FORMAT,
        usage: wgpu::TextureUsages::RENDER_ATTACHMENT | wgpu::TextureUsages::TEXTURE_BINDING,
        view_formats: &[],
    });
    let views = (0..layers)
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
    (views, array_view)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `cube_face_local` of `shaders/punctual.wgsl`, transcribed: the face of the
    /// direction `d` from the light and `d` in that face's view space.
    fn cube_face_local(d: Vec3) -> (Vec3, usize) {
        let a = d.abs();
        if a.x >= a.y && a.x >= a.z {
            let s = if d.x >= 0.0 { 1.0 } else { -1.0 };
            (
                Vec3::new(d.z * s, d.y, -a.x),
                if d.x >= 0.0 { 0 } else { 1 },
            )
        } else if a.y >= a.z {
            let s = if d.y >= 0.0 { 1.0 } else { -1.0 };
            (
                Vec3::new(d.x * s, d.z, -a.y),
                if d.y >= 0.0 { 2 } else { 3 },
            )
        } else {
            let s = if d.z >= 0.0 { 1.0 } else { -1.0 };
            (
                Vec3::new(-d.x * s, d.y, -a.z),
                if d.z >= 0.0 { 4 } else { 5 },
            )
        }
    }

    fn directions() -> impl Iterator<Item = Vec3> {
        // A lattice of directions, seams and corners included.
        let steps = [-1.0, -0.99, -0.7, -0.3, 0.0, 0.3, 0.7, 0.99, 1.0];
        steps.into_iter().flat_map(move |x| {
            steps.into_iter().flat_map(move |y| {
                steps
                    .into_iter()
                    .map(move |z| Vec3::new(x, y, z))
                    .filter(|d| d.length() > 0.1)
            })
        })
    }

    #[test]
    fn the_shader_cube_faces_match_the_rendered_faces() {
        let bounds = Aabb {
            min: Vec3::splat(-1.0),
            max: Vec3::splat(1.0),
        };
        let light = Vec3::new(0.2, -0.3, 0.1);
        let f = point_frame(light, &bounds);
        let t = cube_half_extent();
        for d in directions() {
            let (local, face) = cube_face_local(d);
            let (axis, up) = CUBE_FACES[face];
            let view = Mat4::look_to_rh(light, axis, up);
            let want = view.transform_point3(light + d);
            assert!((local - want).length() < 1e-5, "{d}: {local} vs {want}");
            // The face's projection (the uniform's matrix) after the view
            // is the layer's matrix, and the point lands inside the 90°
            // square, the guard band all round.
            let c = f.matrix * local.extend(1.0);
            let c2 = f.layers[face] * (light + d).extend(1.0);
            assert!((c - c2).abs().max_element() < 1e-4, "{c} vs {c2}");
            let ndc = c.truncate() / c.w;
            assert!(ndc.x.abs() <= 1.0 / t + 1e-6 && ndc.y.abs() <= 1.0 / t + 1e-6);
        }
        // The guard band is CUBE_GUARD_TEXELS texels wide.
        let guard = (1.0 - 1.0 / t) * 0.5 * SHADOW_SIZE as f32;
        assert!((guard - CUBE_GUARD_TEXELS as f32).abs() < 1e-2, "{guard}");
    }

    #[test]
    fn cube_faces_keep_the_whole_product_between_near_and_far() {
        let bounds = Aabb {
            min: Vec3::new(-1.0, -0.5, -2.0),
            max: Vec3::new(1.0, 0.5, 2.0),
        };
        // Outside, close, on a corner's diagonal, and inside.
        for light in [
            Vec3::new(-10.0, 0.0, 0.0),
            Vec3::new(1.3, 0.8, 2.2),
            Vec3::new(0.0, 0.0, 0.0),
            Vec3::new(0.9, 0.0, -1.9),
        ] {
            let f = point_frame(light, &bounds);
            assert_eq!(f.layers.len(), 6);
            // Points of the bounds' surface and inside.
            for i in 0..=10 {
                for j in 0..=10 {
                    for k in 0..=10 {
                        let s = Vec3::new(i as f32, j as f32, k as f32) / 10.0;
                        let p = bounds.min + s * (bounds.max - bounds.min);
                        if (p - light).length() < 1e-2 {
                            continue;
                        }
                        let (_, face) = cube_face_local(p - light);
                        let c = f.layers[face] * p.extend(1.0);
                        let z = c.z / c.w;
                        assert!(
                            c.w > 0.0 && (0.0..=1.0).contains(&z),
                            "light {light}, point {p}: depth {z}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn far_cube_faces_are_skipped() {
        let bounds = Aabb {
            min: Vec3::splat(-1.0),
            max: Vec3::splat(1.0),
        };
        // From far along −X only the +X face sees the product.
        let f = point_frame(Vec3::new(-20.0, 0.0, 0.0), &bounds);
        let seen: Vec<bool> = f.layers.iter().map(|m| frustum_sees(m, &bounds)).collect();
        assert_eq!(seen, [true, false, false, false, false, false]);
        // From inside every face does.
        let f = point_frame(Vec3::ZERO, &bounds);
        assert!(f.layers.iter().all(|m| frustum_sees(m, &bounds)));
    }
}
