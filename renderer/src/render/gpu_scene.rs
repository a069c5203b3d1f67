//! A [`Scene`] uploaded to the GPU: one vertex and one index buffer, textures with
//! GPU-generated mips, a bind group per material (every variant's material is
//! uploaded, so switching a variant only changes which bind group a draw uses).

pub use super::gpu_material::{
    CORE_TEXTURES, TEXTURE_SLOTS, core_uv_plain, gpu_material, has_layers, material_uniform,
    texture_slots,
};
use super::layouts::{DrawUniform, Vertex};
use super::mipmap::MipGenerator;
use crate::scene::{Filter, Material, Sampler, Scene, Wrap};
use glam::{Mat4, Vec3};
use std::collections::HashMap;
use wgpu::util::DeviceExt;

/// One draw: a primitive of a mesh instance.
#[derive(Debug, Clone)]
pub struct DrawItem {
    /// First index in the shared index buffer.
    pub first_index: u32,
    /// Number of indices.
    pub index_count: u32,
    /// Added to every index.
    pub base_vertex: i32,
    /// Byte offset of this draw's [`DrawUniform`].
    pub draw_offset: u32,
    /// Default material (index into materials; `None` = glTF default).
    pub material: Option<usize>,
    /// Variant → material mappings.
    pub variant_materials: Vec<(usize, usize)>,
    /// Whether the instance transform mirrors.
    pub mirrored: bool,
    /// World-space centre of the primitive's bounds (for sorting blended draws).
    pub center: Vec3,
    /// Index into [`crate::scene::Scene::instances`].
    pub instance: usize,
    /// The GPU material drawn now (index into [`GpuScene::materials`]):
    /// the variant's material, or a configured one.
    pub active_material: usize,
    /// Whether the draw is shown (a configuration may hide its node).
    pub visible: bool,
    /// Which of the scene's decals the draw receives (bit per decal).
    pub decal_mask: u32,
    /// The primitive is a faceted stone (a closed convex polyhedron): its
    /// facet planes are in the scene's plane buffer.
    pub gem: bool,
}

impl DrawItem {
    /// The material index under `variant`.
    pub fn material_for(&self, variant: Option<usize>) -> Option<usize> {
        crate::scene::resolve_variant(self.material, &self.variant_materials, variant)
    }
}

/// A material on the GPU.
#[derive(Debug)]
pub struct GpuMaterial {
    /// Its uniform buffer.
    pub buffer: wgpu::Buffer,
    /// Group 1 bind group.
    pub bind_group: wgpu::BindGroup,
    /// Drawn in the blended (sorted) phase.
    pub blend: bool,
    /// Alpha tested (glTF MASK).
    pub mask: bool,
    /// Both faces drawn.
    pub double_sided: bool,
    /// Has layers the shader specialises for (clearcoat, sheen, specular,
    /// iridescence, anisotropy, transmission, an IOR other than 1.5).
    pub layers: bool,
    /// Presence bits of the core textures (base colour, metallic-roughness,
    /// normal, occlusion, emissive: bits 0–4 of the uniform's `flags.x`),
    /// which the surface pipeline specialises for.
    pub textures: u8,
    /// The occlusion texture is the metallic-roughness texture, read through
    /// the same UV set and transform (a packed ORM texture): sampled once.
    pub orm: bool,
    /// Every core texture reads UV set 0 untransformed (no
    /// KHR_texture_transform): the shader skips the per-slot transform.
    pub uv_plain: bool,
    /// KHR_materials_unlit.
    pub unlit: bool,
    /// Lets light through (KHR_materials_transmission): drawn after the
    /// opaque scene is copied into the backdrop it refracts.
    pub transmissive: bool,
    /// Draws nothing: alpha-tested or blended with an untextured alpha
    /// below the cutoff / of zero (how variants hide parts). Skipped by
    /// every pass, the ground shadow included.
    pub invisible: bool,
}

/// An uploaded texture with linear and sRGB views.
#[derive(Debug)]
pub struct GpuTexture {
    /// The texture (Rgba8Unorm, full mip chain).
    pub texture: wgpu::Texture,
    /// Linear view (data maps).
    pub linear: wgpu::TextureView,
    /// sRGB view (colour maps).
    pub srgb: wgpu::TextureView,
}

/// A scene resident on the GPU.
#[derive(Debug)]
pub struct GpuScene {
    /// The CPU scene it was made from (materials are kept for later overrides).
    /// Image pixels are released after upload — the GPU holds them — so a
    /// resident product does not keep a second copy of its textures; image
    /// names and sizes stay.
    pub scene: Scene,
    /// Shared vertex buffer.
    pub vertices: wgpu::Buffer,
    /// Shared index buffer (u32).
    pub indices: wgpu::Buffer,
    /// Per-draw uniforms (dynamic offsets).
    pub draw_uniforms: wgpu::Buffer,
    /// Group 2 bind group over [`Self::draw_uniforms`].
    pub draw_bind_group: wgpu::BindGroup,
    /// Every draw.
    pub draws: Vec<DrawItem>,
    /// Scene materials, then the glTF default material last.
    pub materials: Vec<GpuMaterial>,
    /// Uploaded images.
    pub textures: Vec<GpuTexture>,
    /// The active KHR_materials_variants variant.
    pub variant: Option<usize>,
    /// The applied configuration look and the GPU objects it made.
    pub configured: super::configure::Configured,
    /// Personalization decals placed on the scene.
    pub decals: Option<super::decals::GpuDecals>,
}

impl GpuScene {
    /// The GPU material a draw uses now.
    pub fn material_of(&self, draw: &DrawItem) -> &GpuMaterial {
        &self.materials[draw.active_material]
    }

    /// Index into [`Self::materials`] of the material a draw has under the
    /// current variant, before any configuration edit (the default material
    /// is last).
    pub fn variant_material_index(&self, draw: &DrawItem) -> usize {
        let default = self.scene.materials.len();
        draw.material_for(self.variant)
            .filter(|&i| i < default)
            .unwrap_or(default)
    }
}

/// Shared GPU objects for uploads: default textures and a sampler cache.
#[derive(Debug)]
pub struct UploadContext {
    pub(super) white: GpuTexture,
    samplers: HashMap<Sampler, wgpu::Sampler>,
    anisotropy: u16,
}

impl UploadContext {
    /// Create the defaults.
    pub fn new(device: &wgpu::Device, queue: &wgpu::Queue, anisotropy: u16) -> Self {
        let texture = device.create_texture_with_data(
            queue,
            &texture_desc(1, 1, 1),
            wgpu::util::TextureDataOrder::LayerMajor,
            &[255, 255, 255, 255],
        );
        Self {
            white: views(texture),
            samplers: HashMap::new(),
            anisotropy,
        }
    }

    pub(super) fn sampler(&mut self, device: &wgpu::Device, s: Sampler) -> wgpu::Sampler {
        let aniso = self.anisotropy;
        self.samplers
            .entry(s)
            .or_insert_with(|| {
                let filter = |f: Filter| match f {
                    Filter::Nearest => wgpu::FilterMode::Nearest,
                    Filter::Linear => wgpu::FilterMode::Linear,
                };
                let wrap = |w: Wrap| match w {
                    Wrap::Repeat => wgpu::AddressMode::Repeat,
                    Wrap::MirroredRepeat => wgpu::AddressMode::MirrorRepeat,
                    Wrap::ClampToEdge => wgpu::AddressMode::ClampToEdge,
                };
                let trilinear = s.mag_filter == Filter::Linear
                    && s.min_filter == Filter::Linear
                    && s.mipmap_filter == Some(Filter::Linear);
                device.create_sampler(&wgpu::SamplerDescriptor {
                    label: Some("material"),
                    address_mode_u: wrap(s.wrap_u),
                    address_mode_v: wrap(s.wrap_v),
                    mag_filter: filter(s.mag_filter),
                    min_filter: filter(s.min_filter),
                    mipmap_filter: match s.mipmap_filter {
                        Some(Filter::Linear) => wgpu::MipmapFilterMode::Linear,
                        _ => wgpu::MipmapFilterMode::Nearest,
                    },
                    // No mipmap filter in glTF means: sample the top level only.
                    lod_max_clamp: if s.mipmap_filter.is_some() { 32.0 } else { 0.0 },
                    anisotropy_clamp: if trilinear { aniso } else { 1 },
                    ..Default::default()
                })
            })
            .clone()
    }
}

fn texture_desc(width: u32, height: u32, mips: u32) -> wgpu::TextureDescriptor<'static> {
    wgpu::TextureDescriptor {
        label: Some("material texture"),
        size: wgpu::Extent3d {
            width,
            height,
            depth_or_array_layers: 1,
        },
        mip_level_count: mips,
        sample_count: 1,
        dimension: wgpu::TextureDimension::D2,
        format: wgpu::TextureFormat::Rgba8Unorm,
        usage: wgpu::TextureUsages::TEXTURE_BINDING
            | wgpu::TextureUsages::COPY_DST
            | wgpu::TextureUsages::RENDER_ATTACHMENT,
        view_formats: &[wgpu::TextureFormat::Rgba8UnormSrgb],
    }
}

fn views(texture: wgpu::Texture) -> GpuTexture {
    let srgb = texture.create_view(&wgpu::TextureViewDescriptor {
        format: Some(wgpu::TextureFormat::Rgba8UnormSrgb),
        ..Default::default()
    });
    GpuTexture {
        linear: texture.create_view(&Default::default()),
        srgb,
        texture,
    }
}

/// Which images are sampled as colour (sRGB) rather than data.
fn srgb_images(scene: &Scene) -> Vec<bool> {
    let mut srgb = vec![false; scene.images.len()];
    for m in &scene.materials {
        for t in [m.base_color_texture, m.emissive_texture]
            .into_iter()
            .flatten()
        {
            if let Some(tex) = scene.textures.get(t.texture)
                && let Some(s) = srgb.get_mut(tex.image)
            {
                *s = true;
            }
        }
    }
    srgb
}

/// Upload a scene. `draw_align` is the device's uniform offset alignment.
pub fn upload(
    device: &wgpu::Device,
    queue: &wgpu::Queue,
    ctx: &mut UploadContext,
    mips: &mut MipGenerator,
    material_layout: &wgpu::BindGroupLayout,
    draw_layout: &wgpu::BindGroupLayout,
    scene: Scene,
) -> GpuScene {
    // Geometry.
    let mut vertices: Vec<Vertex> = Vec::new();
    let mut indices: Vec<u32> = Vec::new();
    let mut ranges = Vec::new(); // per mesh, per primitive: (first_index, count, base_vertex)
    for mesh in &scene.meshes {
        let mut prims = Vec::new();
        for p in &mesh.primitives {
            let base = vertices.len() as i32;
            let first = indices.len() as u32;
            for i in 0..p.positions.len() {
                vertices.push(Vertex {
                    position: p.positions[i],
                    normal: p.normals.get(i).copied().unwrap_or([0.0, 1.0, 0.0]),
                    tangent: p.tangents.get(i).copied().unwrap_or([1.0, 0.0, 0.0, 1.0]),
                    uv0: p.uv0.get(i).copied().unwrap_or_default(),
                    uv1: p.uv1.get(i).copied().unwrap_or_default(),
                    color: p.colors.get(i).copied().unwrap_or([1.0; 4]),
                });
            }
            indices.extend_from_slice(&p.indices);
            prims.push((first, p.indices.len() as u32, base));
        }
        ranges.push(prims);
    }
    if vertices.is_empty() {
        vertices.push(Vertex::zeroed_vertex());
    }
    if indices.is_empty() {
        indices.push(0);
    }
    let vbuf = device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
        label: Some("vertices"),
        contents: bytemuck::cast_slice(&vertices),
        usage: wgpu::BufferUsages::VERTEX | wgpu::BufferUsages::COPY_DST,
    });
    let ibuf = device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
        label: Some("indices"),
        contents: bytemuck::cast_slice(&indices),
        usage: wgpu::BufferUsages::INDEX,
    });

    // Draws and their uniforms.
    let align = device.limits().min_uniform_buffer_offset_alignment.max(256) as usize;
    let mut draws = Vec::new();
    let mut uniform_bytes: Vec<u8> = Vec::new();
    let mut planes: Vec<glam::Vec4> = Vec::new();
    // A mesh's primitives are classified once, whatever its instance count.
    let mut gem_ranges: std::collections::HashMap<(usize, usize), Option<(u32, u32)>> =
        Default::default();
    for (ii, inst) in scene.instances.iter().enumerate() {
        let Some(mesh) = scene.meshes.get(inst.mesh) else {
            continue;
        };
        let m: Mat4 = inst.world;
        let nm = Mat4::from_mat3(glam::Mat3::from_mat4(m).inverse().transpose());
        let mirrored = m.determinant() < 0.0;
        for (pi, p) in mesh.primitives.iter().enumerate() {
            let (first_index, index_count, base_vertex) = ranges[inst.mesh][pi];
            if index_count == 0 {
                continue;
            }
            let gem = *gem_ranges.entry((inst.mesh, pi)).or_insert_with(|| {
                super::gems::convex_planes(&p.positions, &p.indices).map(|q| {
                    let first = planes.len() as u32;
                    planes.extend(q);
                    (first, planes.len() as u32 - first)
                })
            });
            // One uniform slot per primitive: the gem range is per primitive.
            let offset = uniform_bytes.len() as u32;
            let u = DrawUniform {
                model: m.to_cols_array_2d(),
                normal: nm.to_cols_array_2d(),
                flags: [if mirrored { -1.0 } else { 1.0 }, 0.0, 0.0, 0.0],
                inv_model: m.inverse().to_cols_array_2d(),
                gem: gem.map_or([0; 4], |(first, count)| [first, count, 0, 0]),
            };
            uniform_bytes.extend_from_slice(bytemuck::bytes_of(&u));
            uniform_bytes.resize(offset as usize + align, 0);
            let mut b = crate::scene::Aabb::EMPTY;
            for v in &p.positions {
                b.extend(Vec3::from(*v));
            }
            draws.push(DrawItem {
                first_index,
                index_count,
                base_vertex,
                draw_offset: offset,
                material: p.material,
                variant_materials: p.variant_materials.clone(),
                mirrored,
                center: m.transform_point3(b.center()),
                instance: ii,
                active_material: p
                    .material
                    .filter(|&i| i < scene.materials.len())
                    .unwrap_or(scene.materials.len()),
                visible: true,
                decal_mask: 0,
                gem: gem.is_some(),
            });
        }
    }
    if planes.is_empty() {
        // A storage binding needs at least one element.
        planes.push(glam::Vec4::ZERO);
    }
    let gem_planes = device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
        label: Some("gem planes"),
        contents: bytemuck::cast_slice(&planes),
        usage: wgpu::BufferUsages::STORAGE,
    });
    if uniform_bytes.is_empty() {
        uniform_bytes.resize(align, 0);
    }
    let draw_uniforms = device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
        label: Some("draw uniforms"),
        contents: &uniform_bytes,
        usage: wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
    });
    let draw_bind_group = device.create_bind_group(&wgpu::BindGroupDescriptor {
        label: Some("draws"),
        layout: draw_layout,
        entries: &[
            wgpu::BindGroupEntry {
                binding: 0,
                resource: wgpu::BindingResource::Buffer(wgpu::BufferBinding {
                    buffer: &draw_uniforms,
                    offset: 0,
                    size: wgpu::BufferSize::new(std::mem::size_of::<DrawUniform>() as u64),
                }),
            },
            wgpu::BindGroupEntry {
                binding: 1,
                resource: gem_planes.as_entire_binding(),
            },
        ],
    });

    // Textures, with mips generated on the GPU.
    let srgb = srgb_images(&scene);
    let mut enc = device.create_command_encoder(&Default::default());
    let textures: Vec<GpuTexture> = scene
        .images
        .iter()
        .enumerate()
        .map(|(i, img)| upload_image(device, queue, mips, &mut enc, img, srgb[i]))
        .collect();
    queue.submit([enc.finish()]);

    // Materials (+ the default material last).
    let default_material = Material::default();
    let materials = scene
        .materials
        .iter()
        .chain(std::iter::once(&default_material))
        .map(|m| gpu_material(device, ctx, material_layout, &scene, &textures, m))
        .collect();

    let mut scene = scene;
    for img in &mut scene.images {
        img.rgba8 = Vec::new();
    }
    GpuScene {
        vertices: vbuf,
        indices: ibuf,
        draw_uniforms,
        draw_bind_group,
        draws,
        materials,
        textures,
        variant: None,
        configured: Default::default(),
        decals: None,
        scene,
    }
}

/// Upload one image with a full mip chain generated on the GPU (filtered in
/// linear light when `srgb`). The mip passes are recorded into `enc`.
pub fn upload_image(
    device: &wgpu::Device,
    queue: &wgpu::Queue,
    mips: &mut MipGenerator,
    enc: &mut wgpu::CommandEncoder,
    img: &crate::scene::ImageData,
    srgb: bool,
) -> GpuTexture {
    let max_dim = device.limits().max_texture_dimension_2d;
    let (w, h) = (img.width.clamp(1, max_dim), img.height.clamp(1, max_dim));
    let levels = w.max(h).ilog2() + 1;
    let texture = device.create_texture(&texture_desc(w, h, levels));
    if img.rgba8.len() == (w * h * 4) as usize {
        queue.write_texture(
            texture.as_image_copy(),
            &img.rgba8,
            wgpu::TexelCopyBufferLayout {
                offset: 0,
                bytes_per_row: Some(w * 4),
                rows_per_image: Some(h),
            },
            wgpu::Extent3d {
                width: w,
                height: h,
                depth_or_array_layers: 1,
            },
        );
    } else {
        tracing::warn!(
            image = img.name.as_deref().unwrap_or("?"),
            "image larger than the device allows; left blank"
        );
    }
    let format = if srgb {
        wgpu::TextureFormat::Rgba8UnormSrgb
    } else {
        wgpu::TextureFormat::Rgba8Unorm
    };
    mips.generate(device, enc, &texture, format);
    views(texture)
}

impl Vertex {
    fn zeroed_vertex() -> Self {
        bytemuck::Zeroable::zeroed()
    }
}
