//! Export a configured product as a standalone GLB.
//!
//! The export works on the model's own glTF JSON, so everything the renderer
//! does not model (extensions, extras, names, animations) survives. The
//! [`Look`] is baked in: the chosen KHR_materials_variants variant becomes the
//! primitives' materials (and the variants extension is removed), colour,
//! texture and material edits become new materials, and hidden nodes are
//! detached from the scene. External and `data:` buffers and images are
//! packed into the single BIN chunk. The result is meant to pass the Khronos
//! glTF-Validator with no errors.

mod materials;

use crate::product::look::Look;
use crate::render::configure::slot_matches;
use crate::scene::Scene;
use crate::scene::import::source::{UriTarget, json_and_blob, resolve_uri};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The model file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The model is not valid glTF JSON / GLB.
    #[error("{path}: {message}")]
    Model {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A texture file of the look could not be used.
    #[error("texture {path}: {message}")]
    Texture {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The look names a variant the model lacks.
    #[error("the model has no variant {0:?}")]
    UnknownVariant(String),
}

/// The configured model as GLB bytes. `scene` is the model imported (for
/// names, hierarchy and materials); `look` what the configuration asks for.
pub fn export_glb(model: &Path, scene: &Scene, look: &Look) -> Result<Vec<u8>, ExportError> {
    let model_err = |message: String| ExportError::Model {
        path: model.to_path_buf(),
        message,
    };
    let bytes = std::fs::read(model).map_err(|source| ExportError::Io {
        path: model.to_path_buf(),
        source,
    })?;
    let (json_bytes, blob) = json_and_blob(&bytes).map_err(|e| model_err(e.to_string()))?;
    let mut doc: Value =
        serde_json::from_slice(json_bytes).map_err(|e| model_err(e.to_string()))?;
    let base_dir = model.parent().unwrap_or(Path::new("."));
    let mut bin = pack_buffers(&mut doc, blob, base_dir).map_err(model_err)?;
    pack_images(&mut doc, &mut bin, base_dir).map_err(model_err)?;

    let variant = match &look.variant {
        None => None,
        Some(v) => Some(
            scene
                .variant_index(v)
                .ok_or_else(|| ExportError::UnknownVariant(v.clone()))?,
        ),
    };
    let mut mats = materials::MaterialWriter::new(&mut doc, &mut bin);
    bake_materials(&mut mats, scene, look, variant)?;
    drop(mats);
    remove_variants(&mut doc);
    hide_nodes(&mut doc, scene, look);
    set(&mut doc, "asset", "generator", json!("Showroom export"));
    Ok(write_glb(&doc, &bin))
}

fn set(doc: &mut Value, object: &str, key: &str, v: Value) {
    if let Some(o) = doc.get_mut(object).and_then(Value::as_object_mut) {
        o.insert(key.to_string(), v);
    }
}

/// Align `bin` to 4 bytes, append `data`, and add a bufferView over it.
fn push_view(doc: &mut Value, bin: &mut Vec<u8>, data: &[u8]) -> usize {
    bin.resize(bin.len().div_ceil(4) * 4, 0);
    let offset = bin.len();
    bin.extend_from_slice(data);
    let views = array(doc, "bufferViews");
    views.push(json!({"buffer": 0, "byteOffset": offset, "byteLength": data.len()}));
    views.len() - 1
}

/// The array `doc[key]`, created when missing.
fn array<'a>(doc: &'a mut Value, key: &str) -> &'a mut Vec<Value> {
    let o = doc
        .as_object_mut()
        .expect("a glTF document is a JSON object");
    let v = o.entry(key).or_insert_with(|| json!([]));
    if !v.is_array() {
        *v = json!([]);
    }
    v.as_array_mut().expect("just made an array")
}

/// Concatenate every buffer into one BIN and re-point the buffer views.
fn pack_buffers(doc: &mut Value, blob: Option<&[u8]>, base_dir: &Path) -> Result<Vec<u8>, String> {
    let buffers = doc["buffers"].as_array().cloned().unwrap_or_default();
    let mut bin = Vec::new();
    let mut offsets = Vec::with_capacity(buffers.len());
    for (i, b) in buffers.iter().enumerate() {
        let len = b["byteLength"]
            .as_u64()
            .ok_or(format!("buffer {i} has no byteLength"))? as usize;
        let data: Vec<u8> = match b["uri"].as_str() {
            None if i == 0 => blob
                .ok_or("buffer 0 has no uri and no GLB BIN chunk")?
                .to_vec(),
            None => return Err(format!("buffer {i} has no uri")),
            Some(uri) => {
                read_uri(uri, base_dir)
                    .map_err(|e| format!("buffer {i}: {e}"))?
                    .0
            }
        };
        if data.len() < len {
            return Err(format!(
                "buffer {i} is {} bytes, expected {len}",
                data.len()
            ));
        }
        bin.resize(bin.len().div_ceil(8) * 8, 0);
        offsets.push(bin.len());
        bin.extend_from_slice(&data[..len]);
    }
    for v in array(doc, "bufferViews") {
        let b = v["buffer"].as_u64().unwrap_or(0) as usize;
        let off = v["byteOffset"].as_u64().unwrap_or(0) as usize;
        let base = *offsets
            .get(b)
            .ok_or(format!("bufferView refers to missing buffer {b}"))?;
        v["buffer"] = json!(0);
        v["byteOffset"] = json!(base + off);
    }
    doc["buffers"] = json!([{"byteLength": bin.len()}]);
    Ok(bin)
}

/// Bytes of a URI (data or file) and its media type if known.
fn read_uri(uri: &str, base_dir: &Path) -> Result<(Vec<u8>, Option<String>), String> {
    match resolve_uri(uri, Some(base_dir))? {
        UriTarget::Data(bytes, media) => Ok((bytes, media.map(str::to_string))),
        UriTarget::File(path) => std::fs::read(&path)
            .map(|b| (b, None))
            .map_err(|e| format!("cannot read {}: {e}", path.display())),
    }
}

/// Images given by URI become bufferViews of the BIN.
fn pack_images(doc: &mut Value, bin: &mut Vec<u8>, base_dir: &Path) -> Result<(), String> {
    let n = doc["images"].as_array().map_or(0, Vec::len);
    for i in 0..n {
        let Some(uri) = doc["images"][i]["uri"].as_str().map(str::to_string) else {
            continue;
        };
        let (bytes, media) = read_uri(&uri, base_dir).map_err(|e| format!("image {i}: {e}"))?;
        let mime = media
            .filter(|m| m.starts_with("image/"))
            .or_else(|| materials::sniff_mime(&bytes).map(str::to_string))
            .ok_or(format!("image {i}: not PNG or JPEG"))?;
        let view = push_view(doc, bin, &bytes);
        let img = doc["images"][i]
            .as_object_mut()
            .ok_or("image is not an object")?;
        img.remove("uri");
        img.insert("bufferView".into(), json!(view));
        img.insert("mimeType".into(), json!(mime));
    }
    Ok(())
}

/// Give every primitive of every placed node the material the look asks for.
fn bake_materials(
    w: &mut materials::MaterialWriter<'_>,
    scene: &Scene,
    look: &Look,
    variant: Option<usize>,
) -> Result<(), ExportError> {
    // For each mesh: the material list per node that draws it.
    type NodeMaterials = (usize, Vec<Option<usize>>);
    let mut by_mesh: HashMap<usize, Vec<NodeMaterials>> = HashMap::new();
    for (ii, inst) in scene.instances.iter().enumerate() {
        let prims = w.primitives(inst.mesh);
        let mut chosen = Vec::with_capacity(prims.len());
        for (material, mappings) in prims {
            let base_index = crate::scene::resolve_variant(material, &mappings, variant);
            let base = scene.material(base_index);
            let edits: Vec<_> = look
                .edits
                .iter()
                .filter(|e| slot_matches(scene, &e.slot, ii, base))
                .map(|e| &e.change)
                .collect();
            chosen.push(if edits.is_empty() {
                base_index
            } else {
                Some(w.derived(base_index, &edits)?)
            });
        }
        by_mesh
            .entry(inst.mesh)
            .or_default()
            .push((inst.node, chosen));
    }
    let mut meshes: Vec<_> = by_mesh.into_iter().collect();
    meshes.sort_by_key(|(m, _)| *m);
    for (mesh, nodes) in meshes {
        let mut first: Option<&Vec<Option<usize>>> = None;
        for (node, chosen) in &nodes {
            match first {
                None => {
                    w.set_materials(mesh, chosen);
                    first = Some(chosen);
                }
                Some(f) if f == chosen => {}
                // Another node draws the mesh with other materials: it gets a copy.
                Some(_) => {
                    let copy = w.copy_mesh(mesh);
                    w.set_materials(copy, chosen);
                    w.doc()["nodes"][*node]["mesh"] = json!(copy);
                }
            }
        }
    }
    Ok(())
}

/// Drop KHR_materials_variants: the chosen variant is now the default.
fn remove_variants(doc: &mut Value) {
    const EXT: &str = "KHR_materials_variants";
    for mesh in array(doc, "meshes") {
        if let Some(prims) = mesh["primitives"].as_array_mut() {
            for p in prims {
                remove_extension(p, EXT);
            }
        }
    }
    remove_extension(doc, EXT);
    for key in ["extensionsUsed", "extensionsRequired"] {
        if let Some(list) = doc.get_mut(key).and_then(Value::as_array_mut) {
            list.retain(|e| e != EXT);
            if list.is_empty() {
                doc.as_object_mut().map(|o| o.remove(key));
            }
        }
    }
}

fn remove_extension(v: &mut Value, ext: &str) {
    if let Some(exts) = v.get_mut("extensions").and_then(Value::as_object_mut) {
        exts.remove(ext);
        if exts.is_empty() {
            v.as_object_mut().map(|o| o.remove("extensions"));
        }
    }
}

/// Detach hidden nodes (with their subtrees) from their parents and scenes.
fn hide_nodes(doc: &mut Value, scene: &Scene, look: &Look) {
    let hidden: Vec<usize> = look
        .hidden_nodes
        .iter()
        .flat_map(|n| scene.nodes_named(n).collect::<Vec<_>>())
        .collect();
    if hidden.is_empty() {
        return;
    }
    let detach = |list: &mut Value| {
        if let Some(a) = list.as_array_mut() {
            a.retain(|c| !c.as_u64().is_some_and(|c| hidden.contains(&(c as usize))));
        }
    };
    for node in array(doc, "nodes") {
        if let Some(children) = node.get_mut("children") {
            detach(children);
            if children.as_array().is_some_and(Vec::is_empty) {
                node.as_object_mut().map(|o| o.remove("children"));
            }
        }
    }
    for s in array(doc, "scenes") {
        if let Some(nodes) = s.get_mut("nodes") {
            detach(nodes);
        }
    }
}

/// Serialize a GLB: header, JSON chunk (space padded), BIN chunk (zero padded).
fn write_glb(doc: &Value, bin: &[u8]) -> Vec<u8> {
    let mut doc = doc.clone();
    let mut bin = bin.to_vec();
    bin.resize(bin.len().div_ceil(4) * 4, 0);
    doc["buffers"] = json!([{"byteLength": bin.len()}]);
    let mut js = serde_json::to_vec(&doc).expect("JSON values serialize");
    js.resize(js.len().div_ceil(4) * 4, b' ');
    let total = 12 + 8 + js.len() + 8 + bin.len();
    let mut out = Vec::with_capacity(total);
    out.extend_from_slice(b"glTF");
    out.extend_from_slice(&2u32.to_le_bytes());
    out.extend_from_slice(&(total as u32).to_le_bytes());
    out.extend_from_slice(&(js.len() as u32).to_le_bytes());
    out.extend_from_slice(&0x4E4F_534Au32.to_le_bytes());
    out.extend_from_slice(&js);
    out.extend_from_slice(&(bin.len() as u32).to_le_bytes());
    out.extend_from_slice(&0x004E_4942u32.to_le_bytes());
    out.extend_from_slice(&bin);
    out
}
