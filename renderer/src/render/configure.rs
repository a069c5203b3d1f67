//! Applying a configuration [`Look`] to a resident [`GpuScene`] in place.
//!
//! Nothing is re-imported and no pipeline is rebuilt: a look picks, for every
//! draw, which material bind group it uses and whether it is drawn. Materials
//! a look derives (a colour, a swapped texture, a library material) are built
//! once — a small uniform buffer and a bind group — and cached by their full
//! contents, so switching back and forth costs a hash lookup. Texture files
//! are decoded and uploaded (with GPU mips) once per scene.

use super::Renderer;
use super::gpu_scene::{self, GpuScene, GpuTexture};
use crate::product::look::{Look, MaterialChange, MaterialParams, Slot, TextureChannel};
use crate::scene::{ImageData, Material, Sampler, Scene, Texture, TextureRef, TextureTransform};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Largest side of a texture file a look may load.
pub const MAX_TEXTURE_SIDE: u32 = 8192;

/// Why a look cannot be applied.
#[derive(Debug, thiserror::Error)]
pub enum LookError {
    /// The model has no such KHR_materials_variants variant.
    #[error("the model has no variant {name:?} (variants: {available})")]
    UnknownVariant {
        /// Requested variant.
        name: String,
        /// The model's variants.
        available: String,
    },
    /// A hidden node name matches no node of the model.
    #[error("the model has no node named {0:?}")]
    UnknownNode(String),
    /// A texture file could not be read or decoded.
    #[error("texture {path}: {message}")]
    Texture {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
}

/// What a scene carries for configurations: the look applied now and the
/// GPU objects looks have made so far.
#[derive(Debug, Default)]
pub struct Configured {
    /// The look applied last.
    pub look: Look,
    /// Derived materials by content key → index into [`GpuScene::materials`].
    derived: HashMap<String, usize>,
    /// Texture files loaded so far → index into [`Scene::textures`].
    files: HashMap<PathBuf, usize>,
}

/// How many derived materials are kept before unused ones are dropped.
const MAX_DERIVED: usize = 256;

impl Renderer {
    /// Apply `look` to `scene`: the next frame shows it. Cheap when the
    /// look's materials and textures were seen before (no GPU allocation).
    pub fn apply_look(&mut self, scene: &mut GpuScene, look: &Look) -> Result<(), LookError> {
        let variant =
            match &look.variant {
                None => None,
                Some(name) => Some(scene.scene.variant_index(name).ok_or_else(|| {
                    LookError::UnknownVariant {
                        name: name.clone(),
                        available: scene.scene.variants.join(", "),
                    }
                })?),
            };
        for n in &look.hidden_nodes {
            if scene.scene.nodes_named(n).next().is_none() {
                return Err(LookError::UnknownNode(n.clone()));
            }
        }
        // Texture files first (they may fail; nothing is changed until all load).
        let mut files: Vec<(PathBuf, bool)> = Vec::new();
        for e in &look.edits {
            match &e.change {
                MaterialChange::Texture {
                    channel,
                    file: Some(f),
                } => files.push((f.clone(), channel.is_srgb())),
                MaterialChange::Replace(p) => {
                    for (f, srgb) in [
                        (&p.base_color_texture, true),
                        (&p.metallic_roughness_texture, false),
                        (&p.normal_texture, false),
                    ] {
                        if let Some(f) = f {
                            files.push((f.clone(), srgb));
                        }
                    }
                }
                _ => {}
            }
        }
        self.load_texture_files(scene, &files)?;

        scene.variant = variant;
        if scene.configured.derived.len() > MAX_DERIVED {
            self.drop_derived(scene);
        }
        for i in 0..scene.draws.len() {
            let instance = scene.draws[i].instance;
            let base_index = scene.variant_material_index(&scene.draws[i]);
            let base = scene.scene.material(Some(base_index)).clone();
            let mut m = base.clone();
            for e in &look.edits {
                if slot_matches(&scene.scene, &e.slot, instance, &base) {
                    apply_change(&mut m, &e.change, &scene.configured.files);
                }
            }
            let visible = !look
                .hidden_nodes
                .iter()
                .any(|n| scene.scene.instance_within_named(instance, n));
            let active = if m == base {
                base_index
            } else {
                self.derived_material(scene, &m)
            };
            let d = &mut scene.draws[i];
            d.active_material = active;
            d.visible = visible;
        }
        scene.configured.look = look.clone();
        // A variant may change which draws carry a UV slot's material.
        if scene.decals.is_some() {
            self.update_decal_masks(scene);
        }
        Ok(())
    }

    fn derived_material(&mut self, scene: &mut GpuScene, m: &Material) -> usize {
        let key = format!("{m:?}");
        if let Some(&i) = scene.configured.derived.get(&key) {
            return i;
        }
        let gm = gpu_scene::gpu_material(
            &self.ctx.device,
            &mut self.upload,
            &self.layouts.material,
            &scene.scene,
            &scene.textures,
            m,
        );
        scene.materials.push(gm);
        let i = scene.materials.len() - 1;
        scene.configured.derived.insert(key, i);
        i
    }

    /// Forget every derived material (they are rebuilt on demand).
    fn drop_derived(&mut self, scene: &mut GpuScene) {
        let base = scene.scene.materials.len() + 1;
        scene.materials.truncate(base);
        scene.configured.derived.clear();
        for d in &mut scene.draws {
            if d.active_material >= base {
                d.active_material = base - 1;
            }
        }
    }

    fn load_texture_files(
        &mut self,
        scene: &mut GpuScene,
        files: &[(PathBuf, bool)],
    ) -> Result<(), LookError> {
        let new: Vec<&(PathBuf, bool)> = files
            .iter()
            .filter(|(f, _)| !scene.configured.files.contains_key(f))
            .collect();
        if new.is_empty() {
            return Ok(());
        }
        let decoded = new
            .iter()
            .map(|(f, _)| load_image(f))
            .collect::<Result<Vec<_>, _>>()?;
        let device = &self.ctx.device;
        let mut enc = device.create_command_encoder(&Default::default());
        for ((path, srgb), img) in new.into_iter().zip(decoded) {
            let gt: GpuTexture = gpu_scene::upload_image(
                device,
                &self.ctx.queue,
                &mut self.mips,
                &mut enc,
                &img,
                *srgb,
            );
            scene.textures.push(gt);
            scene.scene.images.push(ImageData {
                name: Some(path.display().to_string()),
                width: img.width,
                height: img.height,
                rgba8: Vec::new(),
            });
            scene.scene.textures.push(Texture {
                image: scene.scene.images.len() - 1,
                sampler: Sampler::default(),
            });
            scene
                .configured
                .files
                .insert(path.clone(), scene.scene.textures.len() - 1);
        }
        self.ctx.queue.submit([enc.finish()]);
        Ok(())
    }
}

/// Decode an image file to RGBA8, refusing oversized images before decoding.
pub fn load_image(path: &Path) -> Result<ImageData, LookError> {
    let err = |message: String| LookError::Texture {
        path: path.to_path_buf(),
        message,
    };
    let reader = image::ImageReader::open(path)
        .map_err(|e| err(e.to_string()))?
        .with_guessed_format()
        .map_err(|e| err(e.to_string()))?;
    let (w, h) = reader
        .into_dimensions()
        .map_err(|e| err(format!("cannot read the image size: {e}")))?;
    if w > MAX_TEXTURE_SIDE || h > MAX_TEXTURE_SIDE {
        return Err(err(format!(
            "{w}×{h} is larger than {MAX_TEXTURE_SIDE}×{MAX_TEXTURE_SIDE}"
        )));
    }
    let img = image::ImageReader::open(path)
        .map_err(|e| err(e.to_string()))?
        .with_guessed_format()
        .map_err(|e| err(e.to_string()))?
        .decode()
        .map_err(|e| err(e.to_string()))?
        .into_rgba8();
    Ok(ImageData {
        name: Some(path.display().to_string()),
        width: img.width(),
        height: img.height(),
        rgba8: img.into_raw(),
    })
}

/// Whether an edit on `slot` applies to the primitives of `instance` whose
/// variant-resolved material is `base`.
pub fn slot_matches(scene: &Scene, slot: &Slot, instance: usize, base: &Material) -> bool {
    match slot {
        Slot::Material(name) => base.name.as_deref() == Some(name.as_str()),
        Slot::Mesh(name) => scene
            .instances
            .get(instance)
            .and_then(|i| scene.meshes.get(i.mesh))
            .is_some_and(|m| m.name.as_deref() == Some(name.as_str())),
        Slot::Node(name) => scene.instance_within_named(instance, name),
    }
}

/// Apply one change to a material. `files` maps loaded texture files to
/// texture indices (files not in it are left unchanged).
pub fn apply_change(m: &mut Material, change: &MaterialChange, files: &HashMap<PathBuf, usize>) {
    match change {
        MaterialChange::Replace(p) => {
            let keep_ao = (m.occlusion_texture, m.occlusion_strength);
            *m = material_from_params(p, files);
            (m.occlusion_texture, m.occlusion_strength) = keep_ao;
        }
        MaterialChange::BaseColor { linear, tint } => {
            for (c, l) in m.base_color_factor.iter_mut().zip(linear) {
                // Tint dyes what the model has (white = as modelled);
                // replace makes the colour exactly the chosen one.
                *c = if *tint { *c * l } else { *l };
            }
            if !tint {
                m.base_color_texture = None;
            }
        }
        MaterialChange::Texture { channel, file } => {
            let Some(t) = file.as_ref().and_then(|f| files.get(f)) else {
                return;
            };
            let slot = match channel {
                TextureChannel::BaseColor => &mut m.base_color_texture,
                TextureChannel::MetallicRoughness => &mut m.metallic_roughness_texture,
                TextureChannel::Normal => &mut m.normal_texture,
                TextureChannel::Occlusion => &mut m.occlusion_texture,
                TextureChannel::Emissive => &mut m.emissive_texture,
            };
            *slot = Some(match *slot {
                // Keep the model's UV set and KHR_texture_transform: the new
                // image is laid out like the one it replaces.
                Some(r) => TextureRef { texture: *t, ..r },
                None => TextureRef {
                    texture: *t,
                    tex_coord: 0,
                    transform: TextureTransform::default(),
                },
            });
        }
    }
}

/// The core material a [`MaterialParams`] describes (extension parameters
/// not drawn by the core shader are left out).
pub fn material_from_params(p: &MaterialParams, files: &HashMap<PathBuf, usize>) -> Material {
    let tex = |f: &Option<PathBuf>| {
        f.as_ref().and_then(|f| files.get(f)).map(|&t| TextureRef {
            texture: t,
            tex_coord: 0,
            transform: TextureTransform {
                scale: p.uv_scale,
                ..Default::default()
            },
        })
    };
    let mut m = Material {
        name: Some(p.name.clone()),
        base_color_factor: p.base_color,
        base_color_texture: tex(&p.base_color_texture),
        metallic_factor: p.metallic,
        roughness_factor: p.roughness,
        metallic_roughness_texture: tex(&p.metallic_roughness_texture),
        normal_texture: tex(&p.normal_texture),
        normal_scale: p.normal_scale,
        emissive_factor: p.emissive,
        double_sided: p.double_sided,
        alpha_mode: if p.base_color[3] < 1.0 {
            crate::scene::AlphaMode::Blend
        } else {
            crate::scene::AlphaMode::Opaque
        },
        ..Material::default()
    };
    // Sheen, clearcoat, IOR, transmission… of library presets.
    crate::product::apply_params_extensions(&mut m, p);
    m
}
