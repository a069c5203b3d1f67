//! Bind group layouts of the surface pass (built once per renderer) and the
//! uniform structs that fill them, laid out to match `shaders/frame.wgsl` and
//! `shaders/pbr.wgsl`.

use bytemuck::{Pod, Zeroable};

/// Group 0: frame uniforms, lights, environment and BRDF table.
/// Group 1: one material. Group 2: one draw (dynamic offset).
/// Group 3: the scene's personalization decals.
#[derive(Debug)]
pub struct Layouts {
    /// Group 0.
    pub frame: wgpu::BindGroupLayout,
    /// Group 1.
    pub material: wgpu::BindGroupLayout,
    /// Group 2.
    pub draw: wgpu::BindGroupLayout,
    /// Group 3.
    pub decals: wgpu::BindGroupLayout,
    /// Groups 0–3 together.
    pub pipeline: wgpu::PipelineLayout,
}

fn tex(binding: u32, dim: wgpu::TextureViewDimension) -> wgpu::BindGroupLayoutEntry {
    texture_entry(binding, dim, true)
}

/// A fragment-stage float texture binding.
pub fn texture_entry(
    binding: u32,
    dim: wgpu::TextureViewDimension,
    filterable: bool,
) -> wgpu::BindGroupLayoutEntry {
    wgpu::BindGroupLayoutEntry {
        binding,
        visibility: wgpu::ShaderStages::FRAGMENT,
        ty: wgpu::BindingType::Texture {
            sample_type: wgpu::TextureSampleType::Float { filterable },
            view_dimension: dim,
            multisampled: false,
        },
        count: None,
    }
}

/// A fragment-stage filtering sampler binding.
pub fn sampler(binding: u32) -> wgpu::BindGroupLayoutEntry {
    wgpu::BindGroupLayoutEntry {
        binding,
        visibility: wgpu::ShaderStages::FRAGMENT,
        ty: wgpu::BindingType::Sampler(wgpu::SamplerBindingType::Filtering),
        count: None,
    }
}

/// A read-only storage buffer binding of the fragment stage.
pub fn storage(binding: u32) -> wgpu::BindGroupLayoutEntry {
    wgpu::BindGroupLayoutEntry {
        binding,
        visibility: wgpu::ShaderStages::FRAGMENT,
        ty: wgpu::BindingType::Buffer {
            ty: wgpu::BufferBindingType::Storage { read_only: true },
            has_dynamic_offset: false,
            min_binding_size: None,
        },
        count: None,
    }
}

/// A uniform buffer binding visible to both stages.
pub fn uniform(binding: u32, dynamic: bool) -> wgpu::BindGroupLayoutEntry {
    wgpu::BindGroupLayoutEntry {
        binding,
        visibility: wgpu::ShaderStages::VERTEX_FRAGMENT,
        ty: wgpu::BindingType::Buffer {
            ty: wgpu::BufferBindingType::Uniform,
            has_dynamic_offset: dynamic,
            min_binding_size: None,
        },
        count: None,
    }
}

impl Layouts {
    /// Create the three layouts and the pipeline layout.
    pub fn new(device: &wgpu::Device) -> Self {
        use wgpu::TextureViewDimension::{Cube, D2};
        let frame = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("frame"),
            entries: &[
                uniform(0, false),
                storage(1),
                tex(2, Cube),
                tex(3, Cube),
                tex(4, D2),
                sampler(5),
                wgpu::BindGroupLayoutEntry {
                    binding: 6,
                    visibility: wgpu::ShaderStages::FRAGMENT,
                    ty: wgpu::BindingType::Texture {
                        sample_type: wgpu::TextureSampleType::Depth,
                        view_dimension: wgpu::TextureViewDimension::D2Array,
                        multisampled: false,
                    },
                    count: None,
                },
                wgpu::BindGroupLayoutEntry {
                    binding: 7,
                    visibility: wgpu::ShaderStages::FRAGMENT,
                    ty: wgpu::BindingType::Sampler(wgpu::SamplerBindingType::Comparison),
                    count: None,
                },
                // What lies behind transmissive surfaces (`render::backdrop`).
                tex(8, D2),
                // Screen-space ambient occlusion (`render::ssao`).
                tex(9, D2),
            ],
        });
        let n = super::gpu_scene::TEXTURE_SLOTS as u32;
        let mut entries = vec![uniform(0, false)];
        entries.extend((1..=n).map(|b| tex(b, D2)));
        entries.extend((n + 1..=2 * n).map(sampler));
        let material = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("material"),
            entries: &entries,
        });
        let draw = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("draw"),
            entries: &[
                uniform(0, true),
                // The scene's gem facet planes (`render::gems`).
                storage(1),
            ],
        });
        let decals = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("decals"),
            entries: &[uniform(0, false), tex(1, D2), tex(2, D2), sampler(3)],
        });
        let pipeline = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
            label: Some("surface"),
            bind_group_layouts: &[Some(&frame), Some(&material), Some(&draw), Some(&decals)],
            immediate_size: 0,
        });
        Self {
            frame,
            material,
            draw,
            decals,
            pipeline,
        }
    }
}

/// `Frame` in `frame.wgsl`.
#[repr(C)]
#[derive(Debug, Clone, Copy, Pod, Zeroable)]
pub struct FrameUniform {
    /// Clip from world.
    pub view_proj: [[f32; 4]; 4],
    /// World from clip.
    pub inv_view_proj: [[f32; 4]; 4],
    /// Eye position.
    pub camera_pos: [f32; 4],
    /// cos/sin of the environment rotation, intensity, specular mips − 1.
    pub env: [f32; 4],
    /// Light count.
    pub counts: [u32; 4],
    /// x: a pixel's size in world units at unit distance from the eye;
    /// y: 1 when the backdrop (binding 8) holds the opaque scene, else 0;
    /// z: log2 of the backdrop's width (its roughness-to-LOD scale).
    pub pixel: [f32; 4],
    /// 1 / width, 1 / height; z: 1 when binding 9 holds the screen-space
    /// ambient occlusion.
    pub viewport: [f32; 4],
}

/// `Light` in `frame.wgsl`.
#[repr(C)]
#[derive(Debug, Clone, Copy, Pod, Zeroable)]
pub struct LightUniform {
    /// Position and range (0 = infinite).
    pub position_range: [f32; 4],
    /// Direction and kind (0 directional, 1 point, 2 spot).
    pub direction_kind: [f32; 4],
    /// Colour × intensity.
    pub color: [f32; 4],
    /// Spot cone scale and offset.
    pub cone: [f32; 4],
    /// Shadow map clip from world (a point light: the cube faces' common
    /// projection, see [`super::shadows::ShadowFrame::matrix`]).
    pub shadow_view_proj: [[f32; 4]; 4],
    /// Shadow layer (< 0: none; a point light's first of six), texel size,
    /// [`super::shadows::ShadowProjection::code`].
    pub shadow: [f32; 4],
}

/// `TexSlot` in `pbr.wgsl`.
#[repr(C)]
#[derive(Debug, Clone, Copy, Pod, Zeroable)]
pub struct TexSlot {
    /// First row of the UV transform; w = UV set.
    pub row0: [f32; 4],
    /// Second row of the UV transform.
    pub row1: [f32; 4],
}

/// `Material` in `pbr.wgsl`.
#[repr(C)]
#[derive(Debug, Clone, Copy, Pod, Zeroable)]
pub struct MaterialUniform {
    /// Base colour factor.
    pub base_color: [f32; 4],
    /// Emissive × strength.
    pub emissive: [f32; 4],
    /// Metallic, roughness, normal scale, occlusion strength.
    pub params: [f32; 4],
    /// Alpha mode, cutoff, unlit, double sided.
    pub alpha: [f32; 4],
    /// Texture presence bits.
    pub flags: [u32; 4],
    /// KHR_materials_clearcoat: factor, roughness, normal scale, present.
    pub clearcoat: [f32; 4],
    /// KHR_materials_sheen: colour, roughness.
    pub sheen: [f32; 4],
    /// KHR_materials_specular: factor, colour.
    pub specular: [f32; 4],
    /// IOR, transmission factor, volume thickness, attenuation distance (0: none).
    pub dielectric: [f32; 4],
    /// Volume attenuation colour.
    pub attenuation: [f32; 4],
    /// KHR_materials_iridescence: factor, film IOR, maximum and minimum film
    /// thickness (nm).
    pub iridescence: [f32; 4],
    /// KHR_materials_anisotropy: strength, cos and sin of the rotation,
    /// 1 when shaded (strength above 0).
    pub anisotropy: [f32; 4],
    /// UV transforms of the texture slots.
    pub slots: [TexSlot; super::gpu_scene::TEXTURE_SLOTS],
}

/// `Draw` in `pbr.wgsl`.
#[repr(C)]
#[derive(Debug, Clone, Copy, Pod, Zeroable)]
pub struct DrawUniform {
    /// World from model.
    pub model: [[f32; 4]; 4],
    /// Normal matrix (inverse transpose of the model's 3×3), padded.
    pub normal: [[f32; 4]; 4],
    /// x = −1 when the transform mirrors.
    pub flags: [f32; 4],
    /// Model from world (gems trace in the mesh's own space).
    pub inv_model: [[f32; 4]; 4],
    /// Gem facet planes: first index into the scene's plane buffer, count
    /// (0: not a gem).
    pub gem: [u32; 4],
}

/// `Decal` in `decal.wgsl`.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, Pod, Zeroable)]
pub struct DecalUniform {
    /// Projector: world → decal x (mm).
    pub proj_x: [f32; 4],
    /// Projector: world → decal y (mm).
    pub proj_y: [f32; 4],
    /// Projector: world → depth along the axis from the box centre (mm).
    pub proj_z: [f32; 4],
    /// UV slot: centre u, v and millimetres per UV unit along u, v.
    pub uv: [f32; 4],
    /// cos θ, sin θ, offset x, offset y (mm).
    pub xform: [f32; 4],
    /// Content half size (mm), slot clip half size (mm).
    pub size: [f32; 4],
    /// Atlas rectangle (u0, v0, width, height).
    pub atlas: [f32; 4],
    /// Finish kind, depth (mm), roughness (< 0 keep), atlas texel (content UV).
    pub finish: [f32; 4],
    /// Placement (0 UV, 1 projector), UV set, box half depth (mm).
    pub kind: [f32; 4],
}

/// The most decals one scene draws (`MAX_DECALS` in `decal.wgsl`).
pub const MAX_DECALS: usize = 8;

/// `Decals` in `decal.wgsl`.
#[repr(C)]
#[derive(Debug, Clone, Copy, Pod, Zeroable)]
pub struct DecalsUniform {
    /// x: decal count.
    pub count: [u32; 4],
    /// The decals.
    pub items: [DecalUniform; MAX_DECALS],
}

/// The vertex layout of every mesh (interleaved, 72 bytes).
#[repr(C)]
#[derive(Debug, Clone, Copy, Pod, Zeroable)]
pub struct Vertex {
    /// Position.
    pub position: [f32; 3],
    /// Normal.
    pub normal: [f32; 3],
    /// Tangent with bitangent sign.
    pub tangent: [f32; 4],
    /// TEXCOORD_0.
    pub uv0: [f32; 2],
    /// TEXCOORD_1.
    pub uv1: [f32; 2],
    /// COLOR_0 (linear).
    pub color: [f32; 4],
}

impl Vertex {
    /// The wgpu vertex buffer layout.
    pub const LAYOUT: wgpu::VertexBufferLayout<'static> = wgpu::VertexBufferLayout {
        array_stride: std::mem::size_of::<Vertex>() as u64,
        step_mode: wgpu::VertexStepMode::Vertex,
        attributes: &wgpu::vertex_attr_array![
            0 => Float32x3, 1 => Float32x3, 2 => Float32x4, 3 => Float32x2, 4 => Float32x2, 5 => Float32x4
        ],
    };
}
