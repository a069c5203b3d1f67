//! Writing configured materials (and the textures they use) into glTF JSON.

use super::{ExportError, array, push_view};
use crate::product::look::{MaterialChange, MaterialParams, TextureChannel};
use serde_json::{Map, Value, json};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The media type of PNG or JPEG bytes.
pub(super) fn sniff_mime(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else {
        None
    }
}

/// A primitive's material and its KHR_materials_variants `(variant, material)` mappings.
pub(super) type PrimitiveMaterials = (Option<usize>, Vec<(usize, usize)>);

/// Adds derived materials, textures and meshes to a document, deduplicated.
pub(super) struct MaterialWriter<'a> {
    doc: &'a mut Value,
    bin: &'a mut Vec<u8>,
    materials: HashMap<String, usize>,
    textures: HashMap<PathBuf, usize>,
    sampler: Option<usize>,
}

impl<'a> MaterialWriter<'a> {
    pub(super) fn new(doc: &'a mut Value, bin: &'a mut Vec<u8>) -> Self {
        Self {
            doc,
            bin,
            materials: HashMap::new(),
            textures: HashMap::new(),
            sampler: None,
        }
    }

    pub(super) fn doc(&mut self) -> &mut Value {
        self.doc
    }

    /// Each primitive of a mesh: its material and its variant mappings.
    pub(super) fn primitives(&self, mesh: usize) -> Vec<PrimitiveMaterials> {
        let prims = self.doc["meshes"][mesh]["primitives"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        prims
            .iter()
            .map(|p| {
                let material = p["material"].as_u64().map(|m| m as usize);
                let mut mappings = Vec::new();
                if let Some(list) = p["extensions"]["KHR_materials_variants"]["mappings"].as_array()
                {
                    for m in list {
                        let Some(mat) = m["material"].as_u64() else {
                            continue;
                        };
                        for v in m["variants"].as_array().into_iter().flatten() {
                            if let Some(v) = v.as_u64() {
                                mappings.push((v as usize, mat as usize));
                            }
                        }
                    }
                }
                (material, mappings)
            })
            .collect()
    }

    /// Set the materials of a mesh's primitives (`None` = the default material).
    pub(super) fn set_materials(&mut self, mesh: usize, chosen: &[Option<usize>]) {
        if let Some(prims) = self.doc["meshes"][mesh]["primitives"].as_array_mut() {
            for (p, m) in prims.iter_mut().zip(chosen) {
                let Some(o) = p.as_object_mut() else { continue };
                match m {
                    Some(m) => o.insert("material".into(), json!(m)),
                    None => o.remove("material"),
                };
            }
        }
    }

    /// Append a copy of a mesh; returns its index.
    pub(super) fn copy_mesh(&mut self, mesh: usize) -> usize {
        let copy = self.doc["meshes"][mesh].clone();
        let meshes = array(self.doc, "meshes");
        meshes.push(copy);
        meshes.len() - 1
    }

    /// The material `base` (a glTF material index, `None` = default) with
    /// `edits` applied, added once.
    pub(super) fn derived(
        &mut self,
        base: Option<usize>,
        edits: &[&MaterialChange],
    ) -> Result<usize, ExportError> {
        let mut m = match base {
            Some(i) => self.doc["materials"][i].clone(),
            None => json!({}),
        };
        if !m.is_object() {
            m = json!({});
        }
        for change in edits {
            self.apply(&mut m, change)?;
        }
        let name = m["name"].as_str().unwrap_or("material").to_string();
        if !name.ends_with("(configured)") {
            m["name"] = json!(format!("{name} (configured)"));
        }
        let key = serde_json::to_string(&m).expect("JSON values serialize");
        if let Some(&i) = self.materials.get(&key) {
            return Ok(i);
        }
        let list = array(self.doc, "materials");
        list.push(m);
        let i = list.len() - 1;
        self.materials.insert(key, i);
        Ok(i)
    }

    fn apply(&mut self, m: &mut Value, change: &MaterialChange) -> Result<(), ExportError> {
        match change {
            MaterialChange::Replace(p) => {
                let occlusion = m.get("occlusionTexture").cloned();
                *m = self.params_json(p)?;
                if let Some(o) = occlusion {
                    m["occlusionTexture"] = o;
                }
            }
            MaterialChange::BaseColor { linear, tint } => {
                let pbr = object(m, "pbrMetallicRoughness");
                let old: Vec<f64> = (0..4)
                    .map(|i| {
                        pbr.get("baseColorFactor")
                            .and_then(|f| f[i].as_f64())
                            .unwrap_or(1.0)
                    })
                    .collect();
                // As the renderer does: tint multiplies, replace sets.
                let c = |i: usize| {
                    let l = f64::from(linear[i]);
                    if *tint { old[i] * l } else { l }
                };
                pbr.insert("baseColorFactor".into(), json!([c(0), c(1), c(2), old[3]]));
                if !tint {
                    pbr.remove("baseColorTexture");
                }
            }
            MaterialChange::Texture {
                channel,
                file: Some(file),
            } => {
                let t = self.texture(file)?;
                let info = match channel {
                    TextureChannel::BaseColor => {
                        object(m, "pbrMetallicRoughness").entry("baseColorTexture")
                    }
                    TextureChannel::MetallicRoughness => {
                        object(m, "pbrMetallicRoughness").entry("metallicRoughnessTexture")
                    }
                    TextureChannel::Normal => root(m).entry("normalTexture"),
                    TextureChannel::Occlusion => root(m).entry("occlusionTexture"),
                    TextureChannel::Emissive => root(m).entry("emissiveTexture"),
                }
                .or_insert_with(|| json!({}));
                // Keep texCoord and KHR_texture_transform: the new image is laid
                // out like the one it replaces.
                info["index"] = json!(t);
            }
            MaterialChange::Texture { file: None, .. } => {}
        }
        Ok(())
    }

    /// A glTF material from library/package parameters, with the extensions
    /// that carry what the core model cannot.
    fn params_json(&mut self, p: &MaterialParams) -> Result<Value, ExportError> {
        let transform = (p.uv_scale != [1.0, 1.0])
            .then(|| json!({"KHR_texture_transform": {"scale": p.uv_scale}}));
        let tex = |w: &mut Self, f: &Option<PathBuf>| -> Result<Option<Value>, ExportError> {
            let Some(f) = f else { return Ok(None) };
            let mut info = json!({"index": w.texture(f)?});
            if let Some(t) = &transform {
                info["extensions"] = t.clone();
                w.use_extension("KHR_texture_transform");
            }
            Ok(Some(info))
        };
        let mut pbr = json!({
            "baseColorFactor": p.base_color,
            "metallicFactor": p.metallic,
            "roughnessFactor": p.roughness,
        });
        if let Some(t) = tex(self, &p.base_color_texture)? {
            pbr["baseColorTexture"] = t;
        }
        if let Some(t) = tex(self, &p.metallic_roughness_texture)? {
            pbr["metallicRoughnessTexture"] = t;
        }
        let mut m = json!({"name": p.name, "pbrMetallicRoughness": pbr});
        if let Some(mut t) = tex(self, &p.normal_texture)? {
            t["scale"] = json!(p.normal_scale);
            m["normalTexture"] = t;
        }
        let mut exts = Map::new();
        let peak = p.emissive.iter().cloned().fold(0.0f32, f32::max);
        if peak > 0.0 {
            let scale = peak.max(1.0);
            m["emissiveFactor"] = json!(p.emissive.map(|c| c / scale));
            if scale > 1.0 {
                exts.insert(
                    "KHR_materials_emissive_strength".into(),
                    json!({"emissiveStrength": scale}),
                );
            }
        }
        if p.double_sided {
            m["doubleSided"] = json!(true);
        }
        if p.base_color[3] < 1.0 {
            m["alphaMode"] = json!("BLEND");
        }
        if (p.ior - 1.5).abs() > 1e-6 {
            exts.insert("KHR_materials_ior".into(), json!({"ior": p.ior}));
        }
        if p.transmission > 0.0 {
            exts.insert(
                "KHR_materials_transmission".into(),
                json!({"transmissionFactor": p.transmission}),
            );
            // KHR_materials_dispersion needs KHR_materials_volume. The
            // thickness stays 0: a preset knows no geometry (a renderer that
            // traces the mesh, as ours does for gems, ignores it anyway).
            if p.attenuation.is_some() || p.dispersion > 0.0 {
                let mut volume = json!({"thicknessFactor": 0.0});
                if let Some((color, distance)) = p.attenuation {
                    volume["attenuationColor"] = json!(color);
                    volume["attenuationDistance"] = json!(distance);
                }
                exts.insert("KHR_materials_volume".into(), volume);
            }
        }
        if p.dispersion > 0.0 {
            exts.insert(
                "KHR_materials_dispersion".into(),
                json!({"dispersion": p.dispersion}),
            );
        }
        if let Some((color, roughness)) = p.sheen {
            exts.insert(
                "KHR_materials_sheen".into(),
                json!({"sheenColorFactor": color, "sheenRoughnessFactor": roughness}),
            );
        }
        if let Some((factor, roughness)) = p.clearcoat {
            exts.insert(
                "KHR_materials_clearcoat".into(),
                json!({"clearcoatFactor": factor, "clearcoatRoughnessFactor": roughness}),
            );
        }
        if let Some((strength, rotation)) = p.anisotropy {
            exts.insert(
                "KHR_materials_anisotropy".into(),
                json!({"anisotropyStrength": strength, "anisotropyRotation": rotation}),
            );
        }
        if !exts.is_empty() {
            for k in exts.keys() {
                self.use_extension(k);
            }
            m["extensions"] = Value::Object(exts);
        }
        Ok(m)
    }

    fn use_extension(&mut self, name: &str) {
        let used = array(self.doc, "extensionsUsed");
        if !used.iter().any(|e| e == name) {
            used.push(json!(name));
        }
    }

    /// A glTF texture showing an image file (added once).
    fn texture(&mut self, file: &Path) -> Result<usize, ExportError> {
        if let Some(&t) = self.textures.get(file) {
            return Ok(t);
        }
        let err = |message: String| ExportError::Texture {
            path: file.to_path_buf(),
            message,
        };
        let bytes = std::fs::read(file).map_err(|e| err(e.to_string()))?;
        let (bytes, mime) = match sniff_mime(&bytes) {
            Some(m) => (bytes, m),
            None => {
                // glTF core allows PNG and JPEG only: re-encode anything else.
                let img =
                    crate::render::configure::load_image(file).map_err(|e| err(e.to_string()))?;
                let mut png = Vec::new();
                image::codecs::png::PngEncoder::new(&mut png)
                    .write_image_rgba(&img)
                    .map_err(err)?;
                (png, "image/png")
            }
        };
        let view = push_view(self.doc, self.bin, &bytes);
        let images = array(self.doc, "images");
        images.push(json!({"bufferView": view, "mimeType": mime}));
        let image = images.len() - 1;
        let sampler = match self.sampler {
            Some(s) => s,
            None => {
                let samplers = array(self.doc, "samplers");
                samplers.push(json!({"magFilter": 9729, "minFilter": 9987,
                                     "wrapS": 10497, "wrapT": 10497}));
                self.sampler = Some(samplers.len() - 1);
                samplers.len() - 1
            }
        };
        let textures = array(self.doc, "textures");
        textures.push(json!({"sampler": sampler, "source": image}));
        let t = textures.len() - 1;
        self.textures.insert(file.to_path_buf(), t);
        Ok(t)
    }
}

trait WriteRgba {
    fn write_image_rgba(self, img: &crate::scene::ImageData) -> Result<(), String>;
}

impl<W: std::io::Write> WriteRgba for image::codecs::png::PngEncoder<W> {
    fn write_image_rgba(self, img: &crate::scene::ImageData) -> Result<(), String> {
        use image::ImageEncoder;
        self.write_image(
            &img.rgba8,
            img.width,
            img.height,
            image::ExtendedColorType::Rgba8,
        )
        .map_err(|e| e.to_string())
    }
}

/// `v[key]` as an object, created when missing or not an object.
fn object<'v>(v: &'v mut Value, key: &str) -> &'v mut Map<String, Value> {
    let o = root(v);
    let e = o.entry(key).or_insert_with(|| json!({}));
    if !e.is_object() {
        *e = json!({});
    }
    e.as_object_mut().expect("just made an object")
}

fn root(v: &mut Value) -> &mut Map<String, Value> {
    if !v.is_object() {
        *v = json!({});
    }
    v.as_object_mut().expect("just made an object")
}
