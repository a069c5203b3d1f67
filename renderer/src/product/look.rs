//! What a configuration does to a loaded model, as plain data: the variant,
//! material edits on slots, and hidden nodes. [`crate::product`] turns a
//! validated configuration into a [`Look`]; the renderer applies it to a
//! resident scene without re-importing anything, and the exporter bakes it
//! into a standalone GLB.

use serde::{Deserialize, Serialize};
use std::path::PathBuf;

use crate::scene::extensions::RangeCheck;
use crate::scene::{Anisotropy, Clearcoat, Material, Sheen, Transmission, Volume};

/// The visual state a configuration asks for.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Look {
    /// The KHR_materials_variants variant (`None` = the model's default materials).
    pub variant: Option<String>,
    /// Material edits, applied in order (later edits win on the same slot).
    pub edits: Vec<SlotEdit>,
    /// Nodes hidden with everything below them, by glTF node name.
    pub hidden_nodes: Vec<String>,
}

/// One change to the material of the primitives a [`Slot`] selects.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SlotEdit {
    /// Which primitives.
    pub slot: Slot,
    /// What changes.
    pub change: MaterialChange,
}

/// Selects primitives by glTF name. Matching uses the material a primitive
/// has after the variant is applied.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Slot {
    /// Every primitive whose (variant-resolved) material has this name.
    Material(String),
    /// Every primitive of the mesh with this name.
    Mesh(String),
    /// Every primitive drawn by this node or a node below it.
    Node(String),
}

/// A material change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MaterialChange {
    /// The whole material is replaced (the primitive's occlusion texture is
    /// kept: baked AO belongs to the geometry, not the material).
    Replace(Box<MaterialParams>),
    /// The base colour factor becomes `linear` (alpha kept).
    BaseColor {
        /// Linear RGB (converted from sRGB hex once, by the configuration).
        linear: [f32; 3],
        /// `false`: the base colour texture is dropped so the colour is
        /// exactly the chosen one; `true`: the texture is kept and multiplied.
        tint: bool,
    },
    /// A texture of the material is swapped.
    Texture {
        /// Which texture.
        channel: TextureChannel,
        /// The image file (absolute, or relative to the working directory);
        /// `None` keeps the model's own.
        file: Option<PathBuf>,
    },
}

/// A material's texture slots.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TextureChannel {
    /// Base colour (sRGB).
    BaseColor,
    /// Metallic (B) + roughness (G), linear.
    MetallicRoughness,
    /// Tangent-space normal map, linear.
    Normal,
    /// Ambient occlusion (R), linear.
    Occlusion,
    /// Emissive (sRGB).
    Emissive,
}

impl TextureChannel {
    /// Whether the channel holds colour (decoded as sRGB).
    pub fn is_srgb(self) -> bool {
        matches!(self, Self::BaseColor | Self::Emissive)
    }
}

/// A complete physically based material as the library and product packages
/// describe it. Colours are linear. The core metallic-roughness part is drawn
/// today; the extension parameters (IOR, transmission, sheen, clearcoat,
/// dispersion…) are carried for the materials that use them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MaterialParams {
    /// Display name (also the glTF material name on export).
    pub name: String,
    /// Linear base colour (RGBA). For metals this is the measured F0.
    pub base_color: [f32; 4],
    /// Metalness 0–1.
    pub metallic: f32,
    /// Perceptual roughness 0–1.
    pub roughness: f32,
    /// Linear emissive colour.
    pub emissive: [f32; 3],
    /// Base colour texture file.
    pub base_color_texture: Option<PathBuf>,
    /// Metallic-roughness texture file.
    pub metallic_roughness_texture: Option<PathBuf>,
    /// Normal map file.
    pub normal_texture: Option<PathBuf>,
    /// Normal map strength.
    pub normal_scale: f32,
    /// UV repeat applied to this material's textures (KHR_texture_transform scale).
    pub uv_scale: [f32; 2],
    /// Index of refraction (KHR_materials_ior; 1.5 = glTF default).
    pub ior: f32,
    /// Specular transmission 0–1 (KHR_materials_transmission).
    pub transmission: f32,
    /// Abbe-number based dispersion (KHR_materials_dispersion: 20/V).
    pub dispersion: f32,
    /// Volume attenuation colour (linear) and distance in metres.
    pub attenuation: Option<([f32; 3], f32)>,
    /// Sheen colour (linear) and roughness (KHR_materials_sheen).
    pub sheen: Option<([f32; 3], f32)>,
    /// Clearcoat factor and roughness (KHR_materials_clearcoat).
    pub clearcoat: Option<(f32, f32)>,
    /// Anisotropy strength and rotation in radians (KHR_materials_anisotropy).
    pub anisotropy: Option<(f32, f32)>,
    /// Draw both faces.
    pub double_sided: bool,
}

impl Default for MaterialParams {
    fn default() -> Self {
        Self {
            name: String::new(),
            base_color: [1.0; 4],
            metallic: 0.0,
            roughness: 0.5,
            emissive: [0.0; 3],
            base_color_texture: None,
            metallic_roughness_texture: None,
            normal_texture: None,
            normal_scale: 1.0,
            uv_scale: [1.0, 1.0],
            ior: 1.5,
            transmission: 0.0,
            dispersion: 0.0,
            attenuation: None,
            sheen: None,
            clearcoat: None,
            anisotropy: None,
            double_sided: false,
        }
    }
}

/// Set every extension field of `m` (clearcoat, sheen, transmission, volume,
/// IOR, dispersion, specular, iridescence, anisotropy) from a preset's
/// parameters, exactly as the exporter writes them as KHR extensions, so an
/// exported GLB imports to the same values:
/// - `transmission` only when `p.transmission > 0`, and `volume` only then
///   and with `p.attenuation` or a dispersion (which needs a volume):
///   thickness 0 (the preset has no geometry to measure) with the
///   attenuation colour and distance (none: white and infinite);
/// - `sheen`, `clearcoat` and `anisotropy` from their tuples, without textures;
/// - `ior` and `dispersion` as given;
/// - `specular` and `iridescence` cleared (presets have none).
///
/// Values outside the specifications' ranges are clamped with a warning
/// naming the preset, as the importer does. The core fields are left alone.
pub fn apply_params_extensions(m: &mut Material, p: &MaterialParams) {
    let label = format!("preset {:?}", p.name);
    let check = |extension| RangeCheck {
        material: &label,
        extension,
    };
    m.ior = check("KHR_materials_ior").ior("ior", p.ior, 1.5, true);
    m.dispersion = check("KHR_materials_dispersion").non_negative("dispersion", p.dispersion, 0.0);
    m.transmission = (p.transmission > 0.0).then(|| {
        Transmission {
            factor: p.transmission,
            texture: None,
        }
        .checked(&check("KHR_materials_transmission"))
    });
    let volume = p.attenuation.is_some() || p.dispersion > 0.0;
    m.volume = (m.transmission.is_some() && volume).then(|| {
        let (color, distance) = p.attenuation.unwrap_or(([1.0; 3], f32::INFINITY));
        Volume {
            attenuation_color: color,
            attenuation_distance: distance,
            ..Volume::default()
        }
        .checked(&check("KHR_materials_volume"))
    });
    m.sheen = p.sheen.map(|(color, roughness)| {
        Sheen {
            color,
            roughness,
            ..Sheen::default()
        }
        .checked(&check("KHR_materials_sheen"))
    });
    m.clearcoat = p.clearcoat.map(|(factor, roughness)| {
        Clearcoat {
            factor,
            roughness,
            ..Clearcoat::default()
        }
        .checked(&check("KHR_materials_clearcoat"))
    });
    m.anisotropy = p.anisotropy.map(|(strength, rotation)| {
        Anisotropy {
            strength,
            rotation,
            texture: None,
        }
        .checked(&check("KHR_materials_anisotropy"))
    });
    m.specular = None;
    m.iridescence = None;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::product::library::preset;
    use crate::scene::Specular;

    fn applied(name: &str) -> Material {
        let mut m = Material {
            specular: Some(Specular::default()),
            ..Material::default()
        };
        apply_params_extensions(&mut m, &preset(name).unwrap());
        m
    }

    #[test]
    fn presets_set_the_extension_fields() {
        let d = applied("diamond");
        assert_eq!((d.ior, d.dispersion), (2.417, 20.0 / 55.0));
        assert_eq!(d.transmission.map(|t| t.factor), Some(1.0));
        // Dispersion needs a volume: thin, colourless.
        assert_eq!(d.volume, Some(Volume::default()));
        assert!(d.specular.is_none() && d.sheen.is_none());
        assert!(applied("glass").volume.is_none());

        let s = applied("sapphire");
        let v = s.volume.unwrap();
        assert_eq!(v.attenuation_color, [0.10, 0.20, 0.85]);
        assert_eq!((v.attenuation_distance, v.thickness), (0.004, 0.0));

        let velvet = applied("velvet");
        let sheen = velvet.sheen.unwrap();
        assert_eq!((sheen.color, sheen.roughness), ([0.8; 3], 0.3));
        assert!(velvet.transmission.is_none() && velvet.clearcoat.is_none());
        assert_eq!(velvet.ior, 1.5);

        let c = applied("patent-leather").clearcoat.unwrap();
        assert_eq!((c.factor, c.roughness, c.normal_texture), (1.0, 0.04, None));
        let a = applied("brushed-aluminium").anisotropy.unwrap();
        assert_eq!((a.strength, a.rotation), (0.7, 0.0));

        // The core part is untouched.
        assert_eq!(d.base_color_factor, Material::default().base_color_factor);
    }

    #[test]
    fn bad_parameters_are_clamped() {
        let p = MaterialParams {
            ior: 0.5,
            dispersion: -1.0,
            transmission: 3.0,
            attenuation: Some(([2.0, 0.5, -1.0], 0.0)),
            sheen: Some(([f32::NAN, 0.5, 0.5], 4.0)),
            ..MaterialParams::default()
        };
        let mut m = Material::default();
        apply_params_extensions(&mut m, &p);
        assert_eq!((m.ior, m.dispersion), (1.0, 0.0));
        assert_eq!(m.transmission.unwrap().factor, 1.0);
        let v = m.volume.unwrap();
        assert_eq!(v.attenuation_color, [1.0, 0.5, 0.0]);
        assert_eq!(v.attenuation_distance, f32::INFINITY);
        let s = m.sheen.unwrap();
        assert_eq!((s.color, s.roughness), ([0.0, 0.5, 0.5], 1.0));
        // IOR 0 is the specification's special value and survives.
        apply_params_extensions(
            &mut m,
            &MaterialParams {
                ior: 0.0,
                ..MaterialParams::default()
            },
        );
        assert_eq!(m.ior, 0.0);
        assert!(m.volume.is_none() && m.sheen.is_none());
    }
}
