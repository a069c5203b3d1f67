//! glTF 2.0 import: `.glb` and `.gltf` (external files or `data:` URIs) into a
//! plain [`Scene`].
//!
//! What the importer guarantees:
//! - Only the default scene is imported (`scene`, else scene 0, else every
//!   root node when the file has no scenes). Each node with a mesh becomes a
//!   [`MeshInstance`](super::MeshInstance) with its world matrix.
//! - [`Scene::meshes`], [`Scene::materials`], [`Scene::textures`] and the
//!   first `images.len()` of [`Scene::images`] are indexed exactly like the
//!   glTF arrays. Meshes no node of the default scene uses are left without
//!   primitives, images no texture uses are 1×1 white placeholders (not
//!   decoded), and a texture without a usable image points to one extra 1×1
//!   white image appended at the end.
//! - Primitives are triangle lists (strips and fans converted; points and
//!   lines skipped with a warning) whose `normals`, `tangents` and `uv0` are
//!   always filled: flat normals (vertices unwelded) when missing,
//!   MikkTSpace tangents when missing and a normal map needs them, an
//!   orthonormal tangent otherwise, zero UVs when missing.
//! - Images are decoded in parallel to RGBA8 exactly as stored (sRGB bytes
//!   stay sRGB), optionally downscaled ([`ImportOptions::max_texture_size`]).
//! - Skins and morph targets are ignored (rest pose); so are animations.
//! - Malformed input is an [`ImportError`], never a panic.

mod accessor;
mod geometry;
mod image;
mod material;
mod material_ext;
mod nodes;
pub(crate) mod source;

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use gltf::json;
use rayon::prelude::*;

use super::{Mesh, Scene};

/// Extensions the importer implements: a file may require them, and using
/// them causes no "unsupported optional extension" warning. The material
/// extensions after KHR_materials_unlit are read from the raw JSON (see
/// [`crate::scene::extensions`]).
pub const SUPPORTED_EXTENSIONS: &[&str] = &[
    "KHR_materials_variants",
    "KHR_lights_punctual",
    "KHR_texture_transform",
    "KHR_materials_emissive_strength",
    "KHR_materials_unlit",
    "KHR_mesh_quantization",
    "EXT_texture_webp",
    "KHR_materials_transmission",
    "KHR_materials_volume",
    "KHR_materials_ior",
    "KHR_materials_dispersion",
    "KHR_materials_clearcoat",
    "KHR_materials_sheen",
    "KHR_materials_specular",
    "KHR_materials_iridescence",
    "KHR_materials_anisotropy",
];

/// Options of an import.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportOptions {
    /// Downscale (keeping the aspect ratio) any image whose width or height is
    /// larger than this many pixels. `None`: keep full resolution.
    pub max_texture_size: Option<u32>,
}

/// Why an import failed. Messages name the offending glTF object (accessor,
/// buffer, image, node… by index) or file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ImportError {
    /// The bytes are neither a valid glTF JSON document nor a valid GLB
    /// container (garbage, truncated GLB, malformed JSON, wrong types).
    #[error("not a valid glTF/GLB: {0}")]
    Parse(String),
    /// A file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A buffer's bytes are unavailable: external file missing, bad `data:`
    /// URI, relative URI without a base directory, no GLB BIN chunk.
    #[error("buffer {index} ({uri}) is missing: {reason}")]
    MissingBuffer {
        /// Index of the buffer.
        index: usize,
        /// Its URI (shortened for `data:` URIs).
        uri: String,
        /// What went wrong.
        reason: String,
    },
    /// A buffer holds fewer bytes than its `byteLength` says.
    #[error("buffer {index} holds {actual} bytes, but its byteLength is {expected}")]
    BufferTooShort {
        /// Index of the buffer.
        index: usize,
        /// `byteLength` from the JSON.
        expected: u64,
        /// Bytes actually available.
        actual: u64,
    },
    /// A bufferView reaches past the end of its buffer.
    #[error(
        "bufferView {view} covers bytes {start}..{end} of buffer {buffer}, \
         which has only {buffer_len} bytes"
    )]
    BufferViewOutOfRange {
        /// Index of the bufferView.
        view: usize,
        /// Index of its buffer.
        buffer: usize,
        /// First byte of the view.
        start: u64,
        /// One past its last byte.
        end: u64,
        /// Length of the buffer.
        buffer_len: u64,
    },
    /// An accessor reaches past the end of its bufferView (or has a stride
    /// too small for its elements, or sparse indices past its count).
    #[error("accessor {accessor} is out of range: {reason}")]
    AccessorOutOfRange {
        /// Index of the accessor.
        accessor: usize,
        /// Details.
        reason: String,
    },
    /// An accessor's type or component type does not fit its use (e.g. a
    /// VEC2 POSITION, float indices), or its count differs from POSITION's.
    #[error("accessor {accessor} ({usage}): {reason}")]
    InvalidAccessor {
        /// Index of the accessor.
        accessor: usize,
        /// What it is used for, e.g. "mesh 0 primitive 1 NORMAL".
        usage: String,
        /// Details.
        reason: String,
    },
    /// A vertex index is not below the primitive's vertex count.
    #[error(
        "mesh {mesh} primitive {primitive}: index {index} is out of range ({vertex_count} vertices)"
    )]
    IndexOutOfRange {
        /// Index of the mesh.
        mesh: usize,
        /// Index of the primitive in the mesh.
        primitive: usize,
        /// The offending index value.
        index: u32,
        /// Number of vertices of the primitive.
        vertex_count: usize,
    },
    /// An object refers to another that does not exist.
    #[error("{from} refers to {kind} {index}, which does not exist")]
    MissingReference {
        /// The referring object, e.g. "node 3".
        from: String,
        /// The kind of object referred to, e.g. "mesh".
        kind: &'static str,
        /// The missing index.
        index: usize,
    },
    /// The node graph has a cycle (a node is its own ancestor).
    #[error("the node graph has a cycle through node {node}")]
    CyclicNodeGraph {
        /// A node on the cycle.
        node: usize,
    },
    /// A node is the child of more than one node (or listed twice).
    #[error("node {node} has more than one parent; glTF nodes must form trees")]
    MultipleParents {
        /// The node.
        node: usize,
    },
    /// An image could not be decoded.
    #[error("image {index} ({name}): cannot decode: {source}")]
    Image {
        /// Index of the image.
        index: usize,
        /// Its name or URI (empty when it has neither).
        name: String,
        /// The decoder's error.
        #[source]
        source: ::image::ImageError,
    },
    /// An image's encoded bytes are unavailable (no uri nor bufferView, bad
    /// `data:` URI, relative URI without a base directory).
    #[error("image {index} ({name}): {reason}")]
    ImageSource {
        /// Index of the image.
        index: usize,
        /// Its name or URI.
        name: String,
        /// What went wrong.
        reason: String,
    },
    /// The file requires an extension this importer does not implement.
    #[error("the file requires the unsupported glTF extension {0}")]
    UnsupportedRequiredExtension(String),
    /// The file has no scene and no node: nothing to render.
    #[error("the file has no scene and no node")]
    NoScene,
}

/// The parsed document and its loaded buffers.
pub(super) struct Doc<'a> {
    root: &'a json::Root,
    buffers: &'a [Cow<'a, [u8]>],
}

impl<'a> Doc<'a> {
    /// The bytes of bufferView `index` (bounds-checked) and its byteStride.
    fn view(
        &self,
        index: usize,
        from: impl FnOnce() -> String,
    ) -> Result<(&'a [u8], Option<usize>), ImportError> {
        let view =
            self.root
                .buffer_views
                .get(index)
                .ok_or_else(|| ImportError::MissingReference {
                    from: from(),
                    kind: "bufferView",
                    index,
                })?;
        let buffer_index = view.buffer.value();
        let buffers: &'a [Cow<'a, [u8]>] = self.buffers;
        let buffer: &'a [u8] =
            buffers
                .get(buffer_index)
                .ok_or_else(|| ImportError::MissingReference {
                    from: format!("bufferView {index}"),
                    kind: "buffer",
                    index: buffer_index,
                })?;
        let start = view.byte_offset.map_or(0, |o| o.0);
        let end = start.checked_add(view.byte_length.0);
        match end {
            Some(end) if end <= buffer.len() as u64 => Ok((
                &buffer[start as usize..end as usize],
                view.byte_stride.map(|s| s.0),
            )),
            _ => Err(ImportError::BufferViewOutOfRange {
                view: index,
                buffer: buffer_index,
                start,
                end: end.unwrap_or(u64::MAX),
                buffer_len: buffer.len() as u64,
            }),
        }
    }
}

/// Import a `.glb` or `.gltf` file; relative URIs resolve against its folder.
pub fn import_file(path: &Path, opts: &ImportOptions) -> Result<Scene, ImportError> {
    let bytes = std::fs::read(path).map_err(|source| ImportError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let base = path.parent().unwrap_or(Path::new("."));
    import_slice(&bytes, Some(base), opts)
}

/// Import GLB or glTF JSON bytes. Relative URIs resolve against `base_dir`;
/// with `None` they are an error (only GLB chunks and `data:` URIs work).
pub fn import_slice(
    bytes: &[u8],
    base_dir: Option<&Path>,
    opts: &ImportOptions,
) -> Result<Scene, ImportError> {
    let parsed = source::parse(bytes)?;
    let root = &parsed.root;
    let ignored_extensions = check_extensions(root)?;
    let buffers = source::load_buffers(root, parsed.blob, base_dir)?;
    let doc = Doc {
        root,
        buffers: &buffers,
    };

    let variants: Vec<String> = root
        .extensions
        .as_ref()
        .and_then(|e| e.khr_materials_variants.as_ref())
        .map(|v| v.variants.iter().map(|v| v.name.clone()).collect())
        .unwrap_or_default();
    let materials = root
        .materials
        .iter()
        .enumerate()
        .map(|(i, m)| material::convert_material(i, m, root.textures.len()))
        .collect::<Result<Vec<_>, _>>()?;

    // Which image each texture shows; textures without one share a placeholder.
    let n_images = root.images.len();
    let mut image_of = Vec::with_capacity(root.textures.len());
    let mut used = vec![false; n_images];
    let mut need_placeholder = false;
    for (i, t) in root.textures.iter().enumerate() {
        match material::texture_source(t) {
            Some(s) if s < n_images => {
                used[s] = true;
                image_of.push(s);
            }
            Some(s) => {
                return Err(ImportError::MissingReference {
                    from: format!("texture {i}"),
                    kind: "image",
                    index: s,
                });
            }
            None => {
                tracing::warn!(
                    texture = i,
                    "texture has no image we can decode; using white"
                );
                need_placeholder = true;
                image_of.push(n_images);
            }
        }
    }
    let textures = material::convert_textures(root, &image_of)?;

    let (nodes_placed, images) = rayon::join(
        || -> Result<_, ImportError> {
            let placed = nodes::traverse_default_scene(root)?;
            let ctx = geometry::MeshContext {
                materials: &materials,
                n_variants: variants.len(),
            };
            let mut meshes: Vec<Mesh> = root
                .meshes
                .iter()
                .map(|m| Mesh {
                    name: m.name.clone(),
                    primitives: Vec::new(),
                })
                .collect();
            let mut wanted: Vec<usize> = placed.iter().filter_map(|p| p.mesh).collect();
            wanted.sort_unstable();
            wanted.dedup();
            let built = wanted
                .par_iter()
                .map(|&m| geometry::build_mesh(&doc, &ctx, m))
                .collect::<Result<Vec<_>, _>>()?;
            for (m, mesh) in wanted.into_iter().zip(built) {
                meshes[m] = mesh;
            }
            Ok((placed, meshes))
        },
        || image::decode_images(&doc, base_dir, &used, opts),
    );
    let (placed, meshes) = nodes_placed?;
    let mut images = images?;
    if need_placeholder {
        images.push(image::placeholder("missing texture image"));
    }

    let mut scene = Scene {
        meshes,
        instances: Vec::new(),
        materials,
        textures,
        images,
        lights: Vec::new(),
        cameras: Vec::new(),
        variants,
        nodes: Vec::new(),
        bounds: Default::default(),
        ignored_extensions,
    };
    nodes::place(root, &placed, &mut scene)?;
    scene.compute_bounds();
    tracing::debug!(
        meshes = scene.meshes.len(),
        instances = scene.instances.len(),
        materials = scene.materials.len(),
        images = scene.images.len(),
        "glTF imported"
    );
    Ok(scene)
}

/// Fail on unsupported required extensions; list (and warn about) unknown
/// optional ones.
fn check_extensions(root: &json::Root) -> Result<Vec<String>, ImportError> {
    let known = |e: &str| SUPPORTED_EXTENSIONS.contains(&e);
    if let Some(e) = root.extensions_required.iter().find(|e| !known(e)) {
        return Err(ImportError::UnsupportedRequiredExtension(e.clone()));
    }
    let mut ignored: Vec<String> = Vec::new();
    for e in &root.extensions_used {
        if !known(e) && !ignored.contains(e) {
            tracing::warn!(extension = %e, "unsupported optional glTF extension ignored");
            ignored.push(e.clone());
        }
    }
    Ok(ignored)
}
