//! The material extensions the `gltf` crate leaves as raw JSON: clearcoat,
//! sheen, transmission, volume, IOR, dispersion, specular, iridescence and
//! anisotropy (see [`crate::scene::extensions`]).
//!
//! Texture infos are deserialized into the crate's own `textureInfo` /
//! `normalTextureInfo` types and converted by the same [`Slot`] code as the
//! core slots. A property of the wrong JSON type is ignored (default used)
//! and an out-of-range value clamped, both with a warning naming the
//! material; a texture index past the document's textures is an error, as
//! it is for the core slots.

use gltf::json;
use serde_json::{Map, Value};

use super::ImportError;
use super::material::Slot;
use crate::scene::extensions::RangeCheck;
use crate::scene::{
    Anisotropy, Clearcoat, Iridescence, Material, Sheen, Specular, TextureRef, TextureSlot,
    Transmission, Volume,
};

/// Reads the properties of one extension object of one material.
struct Reader<'a> {
    obj: &'a Map<String, Value>,
    check: RangeCheck<'a>,
    material: usize,
    n_textures: usize,
}

impl Reader<'_> {
    fn ignored(&self, property: &str, why: &str) {
        tracing::warn!(
            material = %self.check.material,
            extension = %self.check.extension,
            property,
            "{why}; ignored"
        );
    }

    /// A number property (`default` when absent or not a number).
    fn num(&self, key: &str, default: f32) -> f32 {
        match self.obj.get(key) {
            None => default,
            Some(v) => v.as_f64().map_or_else(
                || {
                    self.ignored(key, "not a number");
                    default
                },
                |x| x as f32,
            ),
        }
    }

    /// A 3-number array property (`default` when absent or malformed).
    fn vec3(&self, key: &str, default: [f32; 3]) -> [f32; 3] {
        let Some(v) = self.obj.get(key) else {
            return default;
        };
        let nums: Option<Vec<f32>> = v
            .as_array()
            .map(|a| a.iter().map(|x| x.as_f64().map(|x| x as f32)).collect())
            .and_then(|n: Option<Vec<f32>>| n);
        match nums.as_deref() {
            Some(&[a, b, c]) => [a, b, c],
            _ => {
                self.ignored(key, "not an array of 3 numbers");
                default
            }
        }
    }

    fn slot(&self, s: TextureSlot) -> Slot<'static> {
        Slot {
            material: self.material,
            name: s.gltf_name(),
            n_textures: self.n_textures,
        }
    }

    /// The raw info of a texture slot, deserialized as `T`.
    fn info<T: serde::de::DeserializeOwned>(&self, s: TextureSlot) -> Option<T> {
        let v = self.obj.get(s.gltf_name())?;
        json::deserialize::from_value(v.clone())
            .map_err(|e| self.ignored(s.gltf_name(), &format!("not a valid texture info ({e})")))
            .ok()
    }

    /// A `textureInfo` property.
    fn texture(&self, s: TextureSlot) -> Result<Option<TextureRef>, ImportError> {
        self.info::<json::texture::Info>(s)
            .map(|i| self.slot(s).info(&i))
            .transpose()
    }

    /// A `normalTextureInfo` property and its scale.
    fn normal_texture(&self, s: TextureSlot) -> Result<Option<(TextureRef, f32)>, ImportError> {
        self.info::<json::material::NormalTexture>(s)
            .map(|n| Ok((self.slot(s).normal(&n)?, n.scale)))
            .transpose()
    }
}

/// Fill the extension fields of `m` (material `index`) from the raw JSON of
/// its `extensions` object.
pub(super) fn read(
    m: &mut Material,
    index: usize,
    exts: &Map<String, Value>,
    n_textures: usize,
) -> Result<(), ImportError> {
    let label = format!("{index} {:?}", m.name.as_deref().unwrap_or(""));
    let reader = |extension: &'static str| -> Option<Reader> {
        let v = exts.get(extension)?;
        let check = RangeCheck {
            material: &label,
            extension,
        };
        match v.as_object() {
            Some(obj) => Some(Reader {
                obj,
                check,
                material: index,
                n_textures,
            }),
            None => {
                tracing::warn!(material = %label, extension, "not a JSON object; ignored");
                None
            }
        }
    };
    use TextureSlot as S;
    if let Some(r) = reader("KHR_materials_clearcoat") {
        let normal = r.normal_texture(S::ClearcoatNormal)?;
        let c = Clearcoat {
            factor: r.num("clearcoatFactor", 0.0),
            texture: r.texture(S::Clearcoat)?,
            roughness: r.num("clearcoatRoughnessFactor", 0.0),
            roughness_texture: r.texture(S::ClearcoatRoughness)?,
            normal_texture: normal.map(|n| n.0),
            normal_scale: normal.map_or(1.0, |n| n.1),
        };
        m.clearcoat = Some(c.checked(&r.check));
    }
    if let Some(r) = reader("KHR_materials_sheen") {
        let s = Sheen {
            color: r.vec3("sheenColorFactor", [0.0; 3]),
            color_texture: r.texture(S::SheenColor)?,
            roughness: r.num("sheenRoughnessFactor", 0.0),
            roughness_texture: r.texture(S::SheenRoughness)?,
        };
        m.sheen = Some(s.checked(&r.check));
    }
    if let Some(r) = reader("KHR_materials_transmission") {
        let t = Transmission {
            factor: r.num("transmissionFactor", 0.0),
            texture: r.texture(S::Transmission)?,
        };
        m.transmission = Some(t.checked(&r.check));
    }
    if let Some(r) = reader("KHR_materials_volume") {
        let v = Volume {
            thickness: r.num("thicknessFactor", 0.0),
            thickness_texture: r.texture(S::Thickness)?,
            attenuation_distance: r.num("attenuationDistance", f32::INFINITY),
            attenuation_color: r.vec3("attenuationColor", [1.0; 3]),
        };
        m.volume = Some(v.checked(&r.check));
    }
    if let Some(r) = reader("KHR_materials_ior") {
        m.ior = r.check.ior("ior", r.num("ior", 1.5), 1.5, true);
    }
    if let Some(r) = reader("KHR_materials_dispersion") {
        m.dispersion = r
            .check
            .non_negative("dispersion", r.num("dispersion", 0.0), 0.0);
    }
    if let Some(r) = reader("KHR_materials_specular") {
        let s = Specular {
            factor: r.num("specularFactor", 1.0),
            texture: r.texture(S::Specular)?,
            color: r.vec3("specularColorFactor", [1.0; 3]),
            color_texture: r.texture(S::SpecularColor)?,
        };
        m.specular = Some(s.checked(&r.check));
    }
    if let Some(r) = reader("KHR_materials_iridescence") {
        let i = Iridescence {
            factor: r.num("iridescenceFactor", 0.0),
            texture: r.texture(S::Iridescence)?,
            ior: r.num("iridescenceIor", 1.3),
            thickness_min: r.num("iridescenceThicknessMinimum", 100.0),
            thickness_max: r.num("iridescenceThicknessMaximum", 400.0),
            thickness_texture: r.texture(S::IridescenceThickness)?,
        };
        m.iridescence = Some(i.checked(&r.check));
    }
    if let Some(r) = reader("KHR_materials_anisotropy") {
        let a = Anisotropy {
            strength: r.num("anisotropyStrength", 0.0),
            rotation: r.num("anisotropyRotation", 0.0),
            texture: r.texture(S::Anisotropy)?,
        };
        m.anisotropy = Some(a.checked(&r.check));
    }
    Ok(())
}
