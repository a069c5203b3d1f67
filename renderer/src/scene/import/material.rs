//! Materials, textures and samplers.

use gltf::json;
use gltf::json::texture::{MagFilter, MinFilter, WrappingMode};
use gltf::json::validation::Checked;

use super::{ImportError, material_ext};
use crate::scene::{
    AlphaMode, Filter, Material, Sampler, Texture, TextureRef, TextureTransform, Wrap,
};

/// KHR_texture_transform as it appears in JSON (used for the normal and
/// occlusion slots, whose typed extension structs do not carry it).
fn transform_from_value(
    value: &json::Value,
) -> Option<json::extensions::texture::TextureTransform> {
    json::deserialize::from_value(value.clone()).ok()
}

fn convert_transform(
    t: Option<&json::extensions::texture::TextureTransform>,
    tex_coord: u32,
) -> (TextureTransform, u32) {
    match t {
        None => (TextureTransform::default(), tex_coord),
        Some(t) => (
            TextureTransform {
                offset: t.offset.0,
                rotation: t.rotation.0,
                scale: t.scale.0,
            },
            t.tex_coord.unwrap_or(tex_coord),
        ),
    }
}

/// One texture slot of one material: turns the slot's glTF texture info into
/// a [`TextureRef`] (index check, texCoord, KHR_texture_transform). Core and
/// extension slots all go through it.
pub(super) struct Slot<'a> {
    pub(super) material: usize,
    pub(super) name: &'a str,
    pub(super) n_textures: usize,
}

impl Slot<'_> {
    fn texture_ref(
        &self,
        index: usize,
        tex_coord: u32,
        transform: Option<&json::extensions::texture::TextureTransform>,
    ) -> Result<TextureRef, ImportError> {
        if index >= self.n_textures {
            return Err(ImportError::MissingReference {
                from: format!("material {} {}", self.material, self.name),
                kind: "texture",
                index,
            });
        }
        let (transform, mut tex_coord) = convert_transform(transform, tex_coord);
        if tex_coord > 1 {
            tracing::warn!(
                material = self.material,
                slot = self.name,
                tex_coord,
                "only TEXCOORD_0 and TEXCOORD_1 are imported; using TEXCOORD_0"
            );
            tex_coord = 0;
        }
        Ok(TextureRef {
            texture: index,
            tex_coord,
            transform,
        })
    }

    /// A `textureInfo`.
    pub(super) fn info(&self, info: &json::texture::Info) -> Result<TextureRef, ImportError> {
        let transform = info
            .extensions
            .as_ref()
            .and_then(|e| e.texture_transform.as_ref());
        self.texture_ref(info.index.value(), info.tex_coord, transform)
    }

    /// A `normalTextureInfo` (its `scale` is the caller's).
    pub(super) fn normal(
        &self,
        t: &json::material::NormalTexture,
    ) -> Result<TextureRef, ImportError> {
        let tr = others_transform(t.extensions.as_ref());
        self.texture_ref(t.index.value(), t.tex_coord, tr.as_ref())
    }
}

fn others_transform(
    others: Option<&json::extensions::material::NormalTexture>,
) -> Option<json::extensions::texture::TextureTransform> {
    others
        .and_then(|e| e.others.get("KHR_texture_transform"))
        .and_then(transform_from_value)
}

fn occlusion_transform(
    others: Option<&json::extensions::material::OcclusionTexture>,
) -> Option<json::extensions::texture::TextureTransform> {
    others
        .and_then(|e| e.others.get("KHR_texture_transform"))
        .and_then(transform_from_value)
}

/// Convert material `index` of the document.
pub(super) fn convert_material(
    index: usize,
    m: &json::Material,
    n_textures: usize,
) -> Result<Material, ImportError> {
    let slot = |name| Slot {
        material: index,
        name,
        n_textures,
    };
    let pbr = &m.pbr_metallic_roughness;
    let ext = m.extensions.as_ref();
    let alpha_mode = match m.alpha_mode {
        Checked::Valid(json::material::AlphaMode::Opaque) => AlphaMode::Opaque,
        Checked::Valid(json::material::AlphaMode::Mask) => AlphaMode::Mask {
            cutoff: m.alpha_cutoff.map_or(0.5, |c| c.0),
        },
        Checked::Valid(json::material::AlphaMode::Blend) => AlphaMode::Blend,
        Checked::Invalid => {
            tracing::warn!(material = index, "unknown alphaMode, using OPAQUE");
            AlphaMode::Opaque
        }
    };
    let mut material = Material {
        name: m.name.clone(),
        base_color_factor: pbr.base_color_factor.0,
        base_color_texture: pbr
            .base_color_texture
            .as_ref()
            .map(|i| slot("baseColorTexture").info(i))
            .transpose()?,
        metallic_factor: pbr.metallic_factor.0,
        roughness_factor: pbr.roughness_factor.0,
        metallic_roughness_texture: pbr
            .metallic_roughness_texture
            .as_ref()
            .map(|i| slot("metallicRoughnessTexture").info(i))
            .transpose()?,
        normal_texture: m
            .normal_texture
            .as_ref()
            .map(|t| slot("normalTexture").normal(t))
            .transpose()?,
        normal_scale: m.normal_texture.as_ref().map_or(1.0, |t| t.scale),
        occlusion_texture: m
            .occlusion_texture
            .as_ref()
            .map(|t| {
                let tr = occlusion_transform(t.extensions.as_ref());
                slot("occlusionTexture").texture_ref(t.index.value(), t.tex_coord, tr.as_ref())
            })
            .transpose()?,
        occlusion_strength: m.occlusion_texture.as_ref().map_or(1.0, |t| t.strength.0),
        emissive_factor: m.emissive_factor.0,
        emissive_texture: m
            .emissive_texture
            .as_ref()
            .map(|i| slot("emissiveTexture").info(i))
            .transpose()?,
        emissive_strength: ext
            .and_then(|e| e.emissive_strength.as_ref())
            .map_or(1.0, |s| s.emissive_strength.0),
        alpha_mode,
        double_sided: m.double_sided,
        unlit: ext.is_some_and(|e| e.unlit.is_some()),
        ..Material::default()
    };
    if let Some(e) = ext {
        // The extensions the `gltf` crate does not type (its features for
        // them are off) stay as raw JSON in `others`.
        material_ext::read(&mut material, index, &e.others, n_textures)?;
    }
    Ok(material)
}

/// Map a glTF sampler (`None` = the texture has none) to ours.
pub(super) fn convert_sampler(s: Option<&json::texture::Sampler>) -> Sampler {
    let Some(s) = s else {
        return Sampler::default();
    };
    let d = Sampler::default();
    let mag_filter = match s.mag_filter {
        Some(Checked::Valid(MagFilter::Nearest)) => Filter::Nearest,
        Some(Checked::Valid(MagFilter::Linear)) => Filter::Linear,
        _ => d.mag_filter,
    };
    let (min_filter, mipmap_filter) = match s.min_filter {
        Some(Checked::Valid(f)) => match f {
            MinFilter::Nearest => (Filter::Nearest, None),
            MinFilter::Linear => (Filter::Linear, None),
            MinFilter::NearestMipmapNearest => (Filter::Nearest, Some(Filter::Nearest)),
            MinFilter::LinearMipmapNearest => (Filter::Linear, Some(Filter::Nearest)),
            MinFilter::NearestMipmapLinear => (Filter::Nearest, Some(Filter::Linear)),
            MinFilter::LinearMipmapLinear => (Filter::Linear, Some(Filter::Linear)),
        },
        _ => (d.min_filter, d.mipmap_filter),
    };
    let wrap = |w: &Checked<WrappingMode>| match w {
        Checked::Valid(WrappingMode::ClampToEdge) => Wrap::ClampToEdge,
        Checked::Valid(WrappingMode::MirroredRepeat) => Wrap::MirroredRepeat,
        _ => Wrap::Repeat,
    };
    Sampler {
        mag_filter,
        min_filter,
        mipmap_filter,
        wrap_u: wrap(&s.wrap_s),
        wrap_v: wrap(&s.wrap_t),
    }
}

/// The glTF image a texture shows: its EXT_texture_webp source when present
/// (we decode WebP), else its core `source`. `None` when it has neither.
pub(super) fn texture_source(t: &json::Texture) -> Option<usize> {
    let webp = t
        .extensions
        .as_ref()
        .and_then(|e| e.others.get("EXT_texture_webp"))
        .and_then(|w| w.get("source"))
        .and_then(|s| s.as_u64())
        .map(|s| s as usize);
    let core = Some(t.source.value()).filter(|&s| s != u32::MAX as usize);
    webp.or(core)
}

/// Convert the document's textures. `image_of` maps a texture to its index
/// in `Scene::images` (see `super::image`).
pub(super) fn convert_textures(
    root: &json::Root,
    image_of: &[usize],
) -> Result<Vec<Texture>, ImportError> {
    root.textures
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let sampler = match t.sampler {
                None => None,
                Some(s) => Some(root.samplers.get(s.value()).ok_or_else(|| {
                    ImportError::MissingReference {
                        from: format!("texture {i}"),
                        kind: "sampler",
                        index: s.value(),
                    }
                })?),
            };
            Ok(Texture {
                image: image_of[i],
                sampler: convert_sampler(sampler),
            })
        })
        .collect()
}
