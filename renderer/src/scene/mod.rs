//! Plain scene data: what a glTF product becomes after import.
//!
//! Nothing here touches the GPU. The importer ([`import`]) fills these types;
//! the render passes upload them. All geometry is kept in the primitive's own
//! (mesh-local) space; each [`MeshInstance`] carries the world transform of the
//! node that references the mesh.

pub mod extensions;
pub mod import;
pub mod shapes;
mod tangents;

pub use extensions::{
    Anisotropy, Clearcoat, Iridescence, Sheen, Specular, TextureSlot, Transmission, Volume,
};
pub use import::{ImportError, ImportOptions, import_file, import_slice};

use glam::{Mat4, Vec3};

/// A whole imported product: geometry, materials, textures, lights, cameras.
#[derive(Debug, Clone, Default)]
pub struct Scene {
    /// Meshes, indexed by [`MeshInstance::mesh`].
    pub meshes: Vec<Mesh>,
    /// Every placement of a mesh in the default scene, with its world transform.
    pub instances: Vec<MeshInstance>,
    /// Materials, indexed by [`Primitive::material`]. Index `materials.len()`
    /// never appears: a primitive without a material uses [`Material::default`].
    pub materials: Vec<Material>,
    /// Textures (an image plus a sampler), indexed by [`TextureRef::texture`].
    pub textures: Vec<Texture>,
    /// Decoded images, indexed by [`Texture::image`].
    pub images: Vec<ImageData>,
    /// Punctual lights (KHR_lights_punctual) placed in world space.
    pub lights: Vec<Light>,
    /// Cameras of the file placed in world space (for `--camera NAME`).
    pub cameras: Vec<SceneCamera>,
    /// KHR_materials_variants variant names, in file order.
    pub variants: Vec<String>,
    /// Every glTF node (by glTF index): names and hierarchy, for
    /// configurations that select or hide parts by node.
    pub nodes: Vec<Node>,
    /// World-space bounds of every POSITION vertex of every instance
    /// (not the accessor min/max boxes).
    pub bounds: Aabb,
    /// Optional extensions that were present but are not supported (warned about).
    pub ignored_extensions: Vec<String>,
}

/// A named group of primitives.
#[derive(Debug, Clone, Default)]
pub struct Mesh {
    /// The glTF mesh name, if any.
    pub name: Option<String>,
    /// Triangle lists, one per glTF primitive.
    pub primitives: Vec<Primitive>,
}

/// One indexed triangle list with one material.
///
/// All attribute vectors are either empty or as long as `positions`.
/// After import `normals`, `tangents` and `uv0` are always filled (flat normals,
/// MikkTSpace tangents and zero UVs are generated when missing).
#[derive(Debug, Clone, Default)]
pub struct Primitive {
    /// Mesh-local positions in metres.
    pub positions: Vec<[f32; 3]>,
    /// Unit normals.
    pub normals: Vec<[f32; 3]>,
    /// Tangents, xyz unit + w = bitangent sign (glTF convention).
    pub tangents: Vec<[f32; 4]>,
    /// TEXCOORD_0.
    pub uv0: Vec<[f32; 2]>,
    /// TEXCOORD_1 (empty when absent).
    pub uv1: Vec<[f32; 2]>,
    /// COLOR_0 as linear RGBA (empty when absent).
    pub colors: Vec<[f32; 4]>,
    /// Triangle list indices (strips and fans are converted to lists).
    pub indices: Vec<u32>,
    /// Default material index into [`Scene::materials`]; `None` = glTF default material.
    pub material: Option<usize>,
    /// KHR_materials_variants mappings: `(variant index, material index)`.
    pub variant_materials: Vec<(usize, usize)>,
}

impl Primitive {
    /// The material this primitive uses under `variant` (index into [`Scene::variants`]).
    pub fn material_for(&self, variant: Option<usize>) -> Option<usize> {
        resolve_variant(self.material, &self.variant_materials, variant)
    }
}

/// KHR_materials_variants resolution: the mapped material of `variant` if the
/// primitive has one, else its default material.
pub fn resolve_variant(
    default: Option<usize>,
    mappings: &[(usize, usize)],
    variant: Option<usize>,
) -> Option<usize> {
    variant
        .and_then(|v| mappings.iter().find(|(vi, _)| *vi == v).map(|(_, m)| *m))
        .or(default)
}

/// A glTF node: its name and place in the hierarchy.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Node {
    /// The node name, if any.
    pub name: Option<String>,
    /// The parent node's index.
    pub parent: Option<usize>,
    /// The mesh it draws.
    pub mesh: Option<usize>,
}

/// A mesh placed in the world by a node.
#[derive(Debug, Clone)]
pub struct MeshInstance {
    /// Index into [`Scene::meshes`].
    pub mesh: usize,
    /// Node-to-world transform (the whole hierarchy applied).
    pub world: Mat4,
    /// Name of the node, if any.
    pub node_name: Option<String>,
    /// Index of the glTF node.
    pub node: usize,
}

/// How a material's alpha is used.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum AlphaMode {
    /// Alpha ignored; fully opaque.
    #[default]
    Opaque,
    /// Alpha-tested against the cutoff (glTF default 0.5).
    Mask {
        /// Fragments with alpha below this are discarded.
        cutoff: f32,
    },
    /// Alpha-blended, drawn after opaque geometry, sorted back to front.
    Blend,
}

/// A reference from a material to a texture, with its UV set and transform.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextureRef {
    /// Index into [`Scene::textures`].
    pub texture: usize,
    /// Which UV set: 0 or 1 (after KHR_texture_transform's texCoord override).
    pub tex_coord: u32,
    /// KHR_texture_transform (identity when absent).
    pub transform: TextureTransform,
}

/// KHR_texture_transform: `uv' = T(offset) * R(rotation) * S(scale) * uv`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextureTransform {
    /// UV offset.
    pub offset: [f32; 2],
    /// Rotation in radians (counter-clockwise in UV space, as the extension defines).
    pub rotation: f32,
    /// UV scale.
    pub scale: [f32; 2],
}

impl Default for TextureTransform {
    fn default() -> Self {
        Self {
            offset: [0.0, 0.0],
            rotation: 0.0,
            scale: [1.0, 1.0],
        }
    }
}

impl TextureTransform {
    /// The 3×3 matrix (column-major, as three columns of `[f32; 3]`) that
    /// KHR_texture_transform defines.
    pub fn matrix(&self) -> [[f32; 3]; 3] {
        let (s, c) = self.rotation.sin_cos();
        let [sx, sy] = self.scale;
        let [ox, oy] = self.offset;
        // T * R * S with R = [[c, s], [-s, c]] as the extension specifies.
        [[c * sx, -s * sx, 0.0], [s * sy, c * sy, 0.0], [ox, oy, 1.0]]
    }
}

/// A glTF PBR metallic-roughness material with its extensions.
///
/// Each extension field is `None` (or its default) when the material lacks
/// the extension; see [`extensions`] for the types, their ranges and which
/// channel and colour space each texture has.
#[derive(Debug, Clone, PartialEq)]
pub struct Material {
    /// Material name.
    pub name: Option<String>,
    /// Linear base colour factor (RGBA).
    pub base_color_factor: [f32; 4],
    /// Base colour texture (sRGB).
    pub base_color_texture: Option<TextureRef>,
    /// Metallic factor.
    pub metallic_factor: f32,
    /// Roughness factor (perceptual).
    pub roughness_factor: f32,
    /// Metallic (B) and roughness (G) texture (linear).
    pub metallic_roughness_texture: Option<TextureRef>,
    /// Tangent-space normal map (linear).
    pub normal_texture: Option<TextureRef>,
    /// Normal map XY scale.
    pub normal_scale: f32,
    /// Occlusion map, R channel (linear).
    pub occlusion_texture: Option<TextureRef>,
    /// Occlusion strength.
    pub occlusion_strength: f32,
    /// Linear emissive factor.
    pub emissive_factor: [f32; 3],
    /// Emissive texture (sRGB).
    pub emissive_texture: Option<TextureRef>,
    /// KHR_materials_emissive_strength multiplier (1 when absent).
    pub emissive_strength: f32,
    /// Alpha mode.
    pub alpha_mode: AlphaMode,
    /// Render back faces too (with flipped normals).
    pub double_sided: bool,
    /// KHR_materials_unlit: base colour is the output radiance.
    pub unlit: bool,
    /// KHR_materials_clearcoat.
    pub clearcoat: Option<Clearcoat>,
    /// KHR_materials_sheen.
    pub sheen: Option<Sheen>,
    /// KHR_materials_transmission.
    pub transmission: Option<Transmission>,
    /// KHR_materials_volume.
    pub volume: Option<Volume>,
    /// KHR_materials_ior: index of refraction of the dielectric part (1.5,
    /// the core glTF value, when absent). Either ≥ 1 or exactly 0: the
    /// specification's special value for a Fresnel term of 1 at every angle
    /// (full weight to the specular layer; with KHR_materials_specular it
    /// expresses specular-glossiness materials).
    pub ior: f32,
    /// KHR_materials_dispersion: `20 / V` with V the Abbe number, ≥ 0 (0 =
    /// none, the default). Only affects refraction through a [`Volume`].
    pub dispersion: f32,
    /// KHR_materials_specular.
    pub specular: Option<Specular>,
    /// KHR_materials_iridescence.
    pub iridescence: Option<Iridescence>,
    /// KHR_materials_anisotropy.
    pub anisotropy: Option<Anisotropy>,
}

impl Default for Material {
    /// The glTF default material.
    fn default() -> Self {
        Self {
            name: None,
            base_color_factor: [1.0; 4],
            base_color_texture: None,
            metallic_factor: 1.0,
            roughness_factor: 1.0,
            metallic_roughness_texture: None,
            normal_texture: None,
            normal_scale: 1.0,
            occlusion_texture: None,
            occlusion_strength: 1.0,
            emissive_factor: [0.0; 3],
            emissive_texture: None,
            emissive_strength: 1.0,
            alpha_mode: AlphaMode::Opaque,
            double_sided: false,
            unlit: false,
            clearcoat: None,
            sheen: None,
            transmission: None,
            volume: None,
            ior: 1.5,
            dispersion: 0.0,
            specular: None,
            iridescence: None,
            anisotropy: None,
        }
    }
}

/// Texture wrap mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Wrap {
    /// Tile.
    #[default]
    Repeat,
    /// Tile, mirrored every other repeat.
    MirroredRepeat,
    /// Clamp to the edge texel.
    ClampToEdge,
}

/// Texture filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Filter {
    /// Nearest texel.
    Nearest,
    /// Bilinear.
    #[default]
    Linear,
}

/// Sampler state of a texture.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Sampler {
    /// Magnification filter.
    pub mag_filter: Filter,
    /// Minification filter within a mip level.
    pub min_filter: Filter,
    /// Filter between mip levels; `None` = no mipmaps (glTF NEAREST/LINEAR min filters).
    pub mipmap_filter: Option<Filter>,
    /// Wrap along U.
    pub wrap_u: Wrap,
    /// Wrap along V.
    pub wrap_v: Wrap,
}

impl Default for Sampler {
    /// glTF leaves an undefined sampler to the implementation: we use trilinear + repeat.
    fn default() -> Self {
        Self {
            mag_filter: Filter::Linear,
            min_filter: Filter::Linear,
            mipmap_filter: Some(Filter::Linear),
            wrap_u: Wrap::Repeat,
            wrap_v: Wrap::Repeat,
        }
    }
}

/// An image plus how it is sampled.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Texture {
    /// Index into [`Scene::images`].
    pub image: usize,
    /// Sampler state.
    pub sampler: Sampler,
}

/// A decoded image, always 8-bit RGBA as stored in the file (not linearised:
/// the GPU decodes sRGB where the material slot says so).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageData {
    /// Image name or URI, for messages.
    pub name: Option<String>,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// `width * height * 4` bytes, rows top to bottom.
    pub rgba8: Vec<u8>,
}

/// Kind of punctual light.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LightKind {
    /// Parallel rays along the node's −Z; intensity in lux.
    Directional,
    /// Point light; intensity in candela.
    Point,
    /// Spot light along −Z; intensity in candela.
    Spot {
        /// Inner cone angle (radians).
        inner_cone_angle: f32,
        /// Outer cone angle (radians).
        outer_cone_angle: f32,
    },
}

/// A KHR_lights_punctual light in world space.
#[derive(Debug, Clone, PartialEq)]
pub struct Light {
    /// Light name.
    pub name: Option<String>,
    /// Type and cone.
    pub kind: LightKind,
    /// Linear RGB colour.
    pub color: [f32; 3],
    /// Intensity (lux for directional, candela otherwise).
    pub intensity: f32,
    /// Range in metres; `None` = infinite.
    pub range: Option<f32>,
    /// World position.
    pub position: Vec3,
    /// World direction the light points to (the node's −Z), normalised.
    pub direction: Vec3,
}

/// A glTF camera placed in the world.
#[derive(Debug, Clone, PartialEq)]
pub struct SceneCamera {
    /// Camera (or node) name.
    pub name: Option<String>,
    /// Camera-to-world transform (camera looks along its −Z, +Y up).
    pub world: Mat4,
    /// Projection.
    pub projection: CameraProjection,
}

/// A glTF camera projection.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CameraProjection {
    /// Perspective.
    Perspective {
        /// Vertical field of view in radians.
        yfov: f32,
        /// Aspect ratio from the file, if given.
        aspect_ratio: Option<f32>,
        /// Near plane.
        znear: f32,
        /// Far plane (`None` = infinite).
        zfar: Option<f32>,
    },
    /// Orthographic.
    Orthographic {
        /// Half width.
        xmag: f32,
        /// Half height.
        ymag: f32,
        /// Near plane.
        znear: f32,
        /// Far plane.
        zfar: f32,
    },
}

/// An axis-aligned bounding box.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Aabb {
    /// Minimum corner.
    pub min: Vec3,
    /// Maximum corner.
    pub max: Vec3,
}

impl Default for Aabb {
    fn default() -> Self {
        Self::EMPTY
    }
}

impl Aabb {
    /// The empty box (min = +inf, max = −inf).
    pub const EMPTY: Aabb = Aabb {
        min: Vec3::splat(f32::INFINITY),
        max: Vec3::splat(f32::NEG_INFINITY),
    };

    /// Whether no point was added.
    pub fn is_empty(&self) -> bool {
        self.min.x > self.max.x
    }

    /// Grow to contain `p`.
    pub fn extend(&mut self, p: Vec3) {
        self.min = self.min.min(p);
        self.max = self.max.max(p);
    }

    /// Centre of the box.
    pub fn center(&self) -> Vec3 {
        (self.min + self.max) * 0.5
    }

    /// The 8 corners.
    pub fn corners(&self) -> [Vec3; 8] {
        let (a, b) = (self.min, self.max);
        [
            Vec3::new(a.x, a.y, a.z),
            Vec3::new(b.x, a.y, a.z),
            Vec3::new(a.x, b.y, a.z),
            Vec3::new(b.x, b.y, a.z),
            Vec3::new(a.x, a.y, b.z),
            Vec3::new(b.x, a.y, b.z),
            Vec3::new(a.x, b.y, b.z),
            Vec3::new(b.x, b.y, b.z),
        ]
    }
}

impl Scene {
    /// Index of the variant called `name`.
    pub fn variant_index(&self, name: &str) -> Option<usize> {
        self.variants.iter().position(|v| v == name)
    }

    /// The material a primitive resolves to (the glTF default material for `None`).
    pub fn material(&self, index: Option<usize>) -> &Material {
        static DEFAULT: std::sync::OnceLock<Material> = std::sync::OnceLock::new();
        index
            .and_then(|i| self.materials.get(i))
            .unwrap_or_else(|| DEFAULT.get_or_init(Material::default))
    }

    /// Whether node `node` is `ancestor` or lies below it.
    pub fn node_is_within(&self, mut node: usize, ancestor: usize) -> bool {
        // Bounded walk: the importer rejects cycles, but a hand-built scene may not.
        for _ in 0..=self.nodes.len() {
            if node == ancestor {
                return true;
            }
            match self.nodes.get(node).and_then(|n| n.parent) {
                Some(p) => node = p,
                None => return false,
            }
        }
        false
    }

    /// Indices of the nodes called `name`.
    pub fn nodes_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = usize> + 'a {
        self.nodes
            .iter()
            .enumerate()
            .filter(move |(_, n)| n.name.as_deref() == Some(name))
            .map(|(i, _)| i)
    }

    /// Whether instance `instance` is drawn by a node called `name` or a node below one.
    pub fn instance_within_named(&self, instance: usize, name: &str) -> bool {
        self.instances.get(instance).is_some_and(|inst| {
            self.nodes_named(name)
                .any(|n| self.node_is_within(inst.node, n))
        })
    }

    /// Recompute [`Scene::bounds`] from every instance's vertices.
    pub fn compute_bounds(&mut self) {
        let mut b = Aabb::EMPTY;
        for inst in &self.instances {
            for prim in &self.meshes[inst.mesh].primitives {
                for p in &prim.positions {
                    b.extend(inst.world.transform_point3(Vec3::from(*p)));
                }
            }
        }
        self.bounds = b;
    }
}
