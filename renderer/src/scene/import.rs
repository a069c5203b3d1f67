//! glTF 2.0 import: `.glb` and `.gltf` (external files or `data:` URIs) into a
//! plain [`Scene`].
//!
//! What the importer guarantees:
//! - Only the default scene is imported (`scene`, else scene 0, else every
//!   root node when the file has no scenes). Each node with a mesh becomes a
//!   [`MeshInstance`] with its world matrix.
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
mod source;

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use glam::{Mat4, Quat, Vec3};
use gltf::json;
use gltf::json::validation::Checked;
use rayon::prelude::*;

use super::{CameraProjection, Light, LightKind, Mesh, MeshInstance, Scene, SceneCamera};

/// Extensions the importer implements.
pub const SUPPORTED_EXTENSIONS: &[&str] = &[
    "KHR_materials_variants",
    "KHR_lights_punctual",
    "KHR_texture_transform",
    "KHR_materials_emissive_strength",
    "KHR_materials_unlit",
    "KHR_mesh_quantization",
    "EXT_texture_webp",
];

/// Material extensions the importer does not read but that load without a
/// warning (they are read from the raw JSON by later material code and
/// degrade gracefully, so a file may even require them).
pub const KNOWN_MATERIAL_EXTENSIONS: &[&str] = &[
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
            let placed = traverse_default_scene(root)?;
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
        bounds: Default::default(),
        ignored_extensions,
    };
    place(root, &placed, &mut scene)?;
    scene.compute_bounds();
    Ok(scene)
}

/// Fail on unsupported required extensions; list (and warn about) unknown
/// optional ones.
fn check_extensions(root: &json::Root) -> Result<Vec<String>, ImportError> {
    let known =
        |e: &str| SUPPORTED_EXTENSIONS.contains(&e) || KNOWN_MATERIAL_EXTENSIONS.contains(&e);
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

/// A node of the default scene with its world transform.
struct Placed {
    node: usize,
    world: Mat4,
    mesh: Option<usize>,
}

fn local_transform(node: &json::Node) -> Mat4 {
    if let Some(m) = node.matrix {
        return Mat4::from_cols_array(&m);
    }
    let t = Vec3::from(node.translation.unwrap_or([0.0; 3]));
    let s = Vec3::from(node.scale.unwrap_or([1.0; 3]));
    let r = node.rotation.map_or(Quat::IDENTITY, |r| {
        let q = Quat::from_array(r.0);
        let len2 = q.length_squared();
        if len2.is_finite() && len2 > 1e-12 {
            q.normalize()
        } else {
            Quat::IDENTITY
        }
    });
    Mat4::from_scale_rotation_translation(s, r, t)
}

/// Check that the nodes form disjoint trees: every child index exists, no
/// node has two parents, no cycles. Returns each node's parent.
fn check_node_forest(nodes: &[json::Node]) -> Result<Vec<Option<usize>>, ImportError> {
    let mut parent = vec![None; nodes.len()];
    for (i, node) in nodes.iter().enumerate() {
        for c in node.children.iter().flatten() {
            let c = c.value();
            let slot = parent
                .get_mut(c)
                .ok_or_else(|| ImportError::MissingReference {
                    from: format!("node {i}"),
                    kind: "node",
                    index: c,
                })?;
            if c == i {
                return Err(ImportError::CyclicNodeGraph { node: i });
            }
            if slot.is_some() {
                return Err(ImportError::MultipleParents { node: c });
            }
            *slot = Some(i);
        }
    }
    // With at most one parent each, a node that no root reaches is on a cycle.
    let mut reached = vec![false; nodes.len()];
    let mut stack: Vec<usize> = (0..nodes.len()).filter(|&i| parent[i].is_none()).collect();
    while let Some(i) = stack.pop() {
        reached[i] = true;
        stack.extend(nodes[i].children.iter().flatten().map(|c| c.value()));
    }
    if let Some(node) = reached.iter().position(|r| !r) {
        return Err(ImportError::CyclicNodeGraph { node });
    }
    Ok(parent)
}

/// Every node of the default scene, parents before children, with world
/// transforms. Iterative: deep hierarchies cannot overflow the stack.
fn traverse_default_scene(root: &json::Root) -> Result<Vec<Placed>, ImportError> {
    let parent = check_node_forest(&root.nodes)?;
    let roots: Vec<usize> = match root.scene.map(|s| s.value()) {
        Some(s) => {
            let scene = root.scenes.get(s).ok_or(ImportError::MissingReference {
                from: "the document's `scene`".into(),
                kind: "scene",
                index: s,
            })?;
            scene.nodes.iter().map(|n| n.value()).collect()
        }
        None => match root.scenes.first() {
            Some(scene) => scene.nodes.iter().map(|n| n.value()).collect(),
            None if root.nodes.is_empty() => return Err(ImportError::NoScene),
            None => (0..root.nodes.len())
                .filter(|&i| parent[i].is_none())
                .collect(),
        },
    };
    let mut visited = vec![false; root.nodes.len()];
    let mut placed = Vec::new();
    let mut stack: Vec<(usize, Mat4)> = roots.iter().rev().map(|&n| (n, Mat4::IDENTITY)).collect();
    while let Some((n, parent_world)) = stack.pop() {
        let node = root
            .nodes
            .get(n)
            .ok_or_else(|| ImportError::MissingReference {
                from: "the default scene".into(),
                kind: "node",
                index: n,
            })?;
        // The forest check rules out cycles; a node reached twice was listed
        // twice by the scene (or as a root and below another root).
        if std::mem::replace(&mut visited[n], true) {
            return Err(ImportError::MultipleParents { node: n });
        }
        let world = parent_world * local_transform(node);
        placed.push(Placed {
            node: n,
            world,
            mesh: node.mesh.map(|m| m.value()),
        });
        for c in node.children.iter().flatten().rev() {
            stack.push((c.value(), world));
        }
    }
    for p in &placed {
        if let Some(m) = p.mesh
            && m >= root.meshes.len()
        {
            return Err(ImportError::MissingReference {
                from: format!("node {}", p.node),
                kind: "mesh",
                index: m,
            });
        }
    }
    Ok(placed)
}

/// Instances, lights and cameras of the placed nodes.
fn place(root: &json::Root, placed: &[Placed], scene: &mut Scene) -> Result<(), ImportError> {
    let lights: &[json::extensions::scene::khr_lights_punctual::Light] = root
        .extensions
        .as_ref()
        .and_then(|e| e.khr_lights_punctual.as_ref())
        .map_or(&[], |l| l.lights.as_slice());
    for p in placed {
        let node = &root.nodes[p.node];
        if let Some(mesh) = p.mesh {
            scene.instances.push(MeshInstance {
                mesh,
                world: p.world,
                node_name: node.name.clone(),
                node: p.node,
            });
        }
        if let Some(c) = node.camera {
            let cam = root
                .cameras
                .get(c.value())
                .ok_or_else(|| ImportError::MissingReference {
                    from: format!("node {}", p.node),
                    kind: "camera",
                    index: c.value(),
                })?;
            if let Some(camera) = convert_camera(cam, node, p.world) {
                scene.cameras.push(camera);
            } else {
                tracing::warn!(
                    camera = c.value(),
                    "camera without a valid projection skipped"
                );
            }
        }
        let light = node
            .extensions
            .as_ref()
            .and_then(|e| e.khr_lights_punctual.as_ref())
            .map(|l| l.light.value());
        if let Some(l) = light {
            let light = lights.get(l).ok_or_else(|| ImportError::MissingReference {
                from: format!("node {}", p.node),
                kind: "KHR_lights_punctual light",
                index: l,
            })?;
            match convert_light(light, p.world) {
                Some(light) => scene.lights.push(light),
                None => tracing::warn!(light = l, "light of unknown type skipped"),
            }
        }
    }
    Ok(())
}

fn convert_camera(cam: &json::Camera, node: &json::Node, world: Mat4) -> Option<SceneCamera> {
    use json::camera::Type;
    let projection = match (&cam.type_, &cam.perspective, &cam.orthographic) {
        (Checked::Valid(Type::Perspective), Some(p), _) => CameraProjection::Perspective {
            yfov: p.yfov,
            aspect_ratio: p.aspect_ratio,
            znear: p.znear,
            zfar: p.zfar,
        },
        (Checked::Valid(Type::Orthographic), _, Some(o)) => CameraProjection::Orthographic {
            xmag: o.xmag,
            ymag: o.ymag,
            znear: o.znear,
            zfar: o.zfar,
        },
        _ => return None,
    };
    let (_, rotation, translation) = world.to_scale_rotation_translation();
    Some(SceneCamera {
        name: cam.name.clone().or_else(|| node.name.clone()),
        world: Mat4::from_rotation_translation(rotation, translation),
        projection,
    })
}

fn convert_light(
    l: &json::extensions::scene::khr_lights_punctual::Light,
    world: Mat4,
) -> Option<Light> {
    use json::extensions::scene::khr_lights_punctual::Type;
    let kind = match l.type_ {
        Checked::Valid(Type::Directional) => LightKind::Directional,
        Checked::Valid(Type::Point) => LightKind::Point,
        Checked::Valid(Type::Spot) => {
            let (inner, outer) = l
                .spot
                .as_ref()
                .map_or((0.0, std::f32::consts::FRAC_PI_4), |s| {
                    (s.inner_cone_angle, s.outer_cone_angle)
                });
            LightKind::Spot {
                inner_cone_angle: inner,
                outer_cone_angle: outer,
            }
        }
        Checked::Invalid => return None,
    };
    let direction = world.transform_vector3(Vec3::NEG_Z);
    let direction = if direction.is_finite() && direction.length_squared() > 1e-24 {
        direction.normalize()
    } else {
        Vec3::NEG_Z
    };
    Some(Light {
        name: l.name.clone(),
        kind,
        color: l.color,
        intensity: l.intensity,
        range: l.range.filter(|r| *r > 0.0),
        position: world.transform_point3(Vec3::ZERO),
        direction,
    })
}
