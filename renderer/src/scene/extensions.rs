//! The glTF material extensions beyond the core metallic-roughness model, as
//! plain data ([`Material`] holds one field per extension).
//!
//! Every value here has been checked against its Khronos specification's
//! valid range: out-of-range values were clamped (with a warning naming the
//! material) when the material was imported or built, so the renderer can use
//! them as they are. Defaults are the specifications' defaults. Texture
//! references are [`TextureRef`]s like the core slots (UV set,
//! KHR_texture_transform, sampler through [`super::Texture`]); which channel
//! each one is read from and whether it holds colour is said on each field
//! and by [`TextureSlot`].

use super::{Material, TextureRef};

/// KHR_materials_clearcoat: a clear dielectric layer (IOR 1.5) on top of the
/// material, with its own roughness and normal map.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Clearcoat {
    /// Layer intensity, 0–1 (`clearcoatFactor`, default 0).
    pub factor: f32,
    /// Intensity texture: R channel, linear, multiplies `factor`.
    pub texture: Option<TextureRef>,
    /// Perceptual roughness of the layer, 0–1 (`clearcoatRoughnessFactor`, default 0).
    pub roughness: f32,
    /// Roughness texture: G channel, linear, multiplies `roughness`.
    pub roughness_texture: Option<TextureRef>,
    /// Tangent-space normal map of the layer (linear, like the core normal
    /// map). Without it the layer uses the geometric normal, not the base
    /// material's normal map.
    pub normal_texture: Option<TextureRef>,
    /// XY scale of `normal_texture` (its `scale`, default 1).
    pub normal_scale: f32,
}

impl Default for Clearcoat {
    fn default() -> Self {
        Self {
            factor: 0.0,
            texture: None,
            roughness: 0.0,
            roughness_texture: None,
            normal_texture: None,
            normal_scale: 1.0,
        }
    }
}

/// KHR_materials_sheen: a back-scattering fibre layer (Charlie distribution).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Sheen {
    /// Linear sheen colour, each channel 0–1 (`sheenColorFactor`, default black).
    pub color: [f32; 3],
    /// Sheen colour texture: RGB, **sRGB**, multiplies `color`.
    pub color_texture: Option<TextureRef>,
    /// Sheen roughness, 0–1 (`sheenRoughnessFactor`, default 0).
    pub roughness: f32,
    /// Roughness texture: **A** channel, linear, multiplies `roughness`.
    pub roughness_texture: Option<TextureRef>,
}

/// KHR_materials_transmission: the share of light that passes through the
/// surface (thin-walled unless [`Volume`] gives the material a thickness).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Transmission {
    /// Transmission, 0–1 (`transmissionFactor`, default 0).
    pub factor: f32,
    /// Transmission texture: R channel, linear, multiplies `factor`.
    pub texture: Option<TextureRef>,
}

/// KHR_materials_volume: the mesh encloses a homogeneous absorbing medium.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Volume {
    /// Thickness in mesh-local units, ≥ 0 (`thicknessFactor`, default 0 =
    /// thin-walled: no refraction, no attenuation).
    pub thickness: f32,
    /// Thickness texture: G channel, linear, multiplies `thickness`.
    pub thickness_texture: Option<TextureRef>,
    /// Mean free path in world units, > 0; `f32::INFINITY` (the default, and
    /// what a missing or non-positive value becomes) = no absorption.
    pub attenuation_distance: f32,
    /// Linear colour white light turns into after `attenuation_distance`,
    /// each channel 0–1 (default white).
    pub attenuation_color: [f32; 3],
}

impl Default for Volume {
    fn default() -> Self {
        Self {
            thickness: 0.0,
            thickness_texture: None,
            attenuation_distance: f32::INFINITY,
            attenuation_color: [1.0; 3],
        }
    }
}

/// KHR_materials_specular: strength and colour of the dielectric specular
/// reflection (no effect on metals).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Specular {
    /// Specular strength, 0–1 (`specularFactor`, default 1).
    pub factor: f32,
    /// Strength texture: **A** channel, linear, multiplies `factor`.
    pub texture: Option<TextureRef>,
    /// Linear F0 colour, each channel ≥ 0 — values above 1 are legal
    /// (`specularColorFactor`, default white).
    pub color: [f32; 3],
    /// F0 colour texture: RGB, **sRGB**, multiplies `color`.
    pub color_texture: Option<TextureRef>,
}

impl Default for Specular {
    fn default() -> Self {
        Self {
            factor: 1.0,
            texture: None,
            color: [1.0; 3],
            color_texture: None,
        }
    }
}

/// KHR_materials_iridescence: a thin dielectric film on the surface.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Iridescence {
    /// Film intensity, 0–1 (`iridescenceFactor`, default 0).
    pub factor: f32,
    /// Intensity texture: R channel, linear, multiplies `factor`.
    pub texture: Option<TextureRef>,
    /// IOR of the film, ≥ 1 (`iridescenceIor`, default 1.3).
    pub ior: f32,
    /// Film thickness in nanometres where the thickness texture reads 0,
    /// ≥ 0 (`iridescenceThicknessMinimum`, default 100).
    pub thickness_min: f32,
    /// Film thickness in nanometres where the thickness texture reads 1, and
    /// everywhere when there is no texture, ≥ 0
    /// (`iridescenceThicknessMaximum`, default 400). May be below `thickness_min`.
    pub thickness_max: f32,
    /// Thickness texture: G channel, linear,
    /// `thickness = mix(thickness_min, thickness_max, g)`.
    pub thickness_texture: Option<TextureRef>,
}

impl Default for Iridescence {
    fn default() -> Self {
        Self {
            factor: 0.0,
            texture: None,
            ior: 1.3,
            thickness_min: 100.0,
            thickness_max: 400.0,
            thickness_texture: None,
        }
    }
}

/// KHR_materials_anisotropy: stretched specular highlights along a direction
/// in the tangent plane (needs the primitive's tangents).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Anisotropy {
    /// Strength, 0–1 (`anisotropyStrength`, default 0).
    pub strength: f32,
    /// Rotation of the direction in radians, counter-clockwise from the
    /// tangent towards the bitangent (`anisotropyRotation`, default 0; any value).
    pub rotation: f32,
    /// Direction and strength texture, linear: RG = direction in the tangent
    /// plane encoded from [-1, 1] to [0, 1] (then rotated by `rotation`),
    /// B = strength multiplying `strength`.
    pub texture: Option<TextureRef>,
}

/// Every texture slot of a [`Material`], core and extensions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TextureSlot {
    /// `baseColorTexture` (sRGB, RGBA).
    BaseColor,
    /// `metallicRoughnessTexture` (linear; B metal, G roughness).
    MetallicRoughness,
    /// `normalTexture` (linear).
    Normal,
    /// `occlusionTexture` (linear, R).
    Occlusion,
    /// `emissiveTexture` (sRGB, RGB).
    Emissive,
    /// KHR_materials_clearcoat `clearcoatTexture` (linear, R).
    Clearcoat,
    /// KHR_materials_clearcoat `clearcoatRoughnessTexture` (linear, G).
    ClearcoatRoughness,
    /// KHR_materials_clearcoat `clearcoatNormalTexture` (linear).
    ClearcoatNormal,
    /// KHR_materials_sheen `sheenColorTexture` (sRGB, RGB).
    SheenColor,
    /// KHR_materials_sheen `sheenRoughnessTexture` (linear, A).
    SheenRoughness,
    /// KHR_materials_transmission `transmissionTexture` (linear, R).
    Transmission,
    /// KHR_materials_volume `thicknessTexture` (linear, G).
    Thickness,
    /// KHR_materials_specular `specularTexture` (linear, A).
    Specular,
    /// KHR_materials_specular `specularColorTexture` (sRGB, RGB).
    SpecularColor,
    /// KHR_materials_iridescence `iridescenceTexture` (linear, R).
    Iridescence,
    /// KHR_materials_iridescence `iridescenceThicknessTexture` (linear, G).
    IridescenceThickness,
    /// KHR_materials_anisotropy `anisotropyTexture` (linear, RGB).
    Anisotropy,
}

impl TextureSlot {
    /// Every slot, core slots first.
    pub const ALL: [TextureSlot; 17] = [
        Self::BaseColor,
        Self::MetallicRoughness,
        Self::Normal,
        Self::Occlusion,
        Self::Emissive,
        Self::Clearcoat,
        Self::ClearcoatRoughness,
        Self::ClearcoatNormal,
        Self::SheenColor,
        Self::SheenRoughness,
        Self::Transmission,
        Self::Thickness,
        Self::Specular,
        Self::SpecularColor,
        Self::Iridescence,
        Self::IridescenceThickness,
        Self::Anisotropy,
    ];

    /// Whether the slot holds colour, sampled with sRGB decoding. Only base
    /// colour, emissive, sheen colour and specular colour do; everything else
    /// is linear data.
    pub fn is_srgb(self) -> bool {
        matches!(
            self,
            Self::BaseColor | Self::Emissive | Self::SheenColor | Self::SpecularColor
        )
    }

    /// The glTF property name of the slot.
    pub fn gltf_name(self) -> &'static str {
        match self {
            Self::BaseColor => "baseColorTexture",
            Self::MetallicRoughness => "metallicRoughnessTexture",
            Self::Normal => "normalTexture",
            Self::Occlusion => "occlusionTexture",
            Self::Emissive => "emissiveTexture",
            Self::Clearcoat => "clearcoatTexture",
            Self::ClearcoatRoughness => "clearcoatRoughnessTexture",
            Self::ClearcoatNormal => "clearcoatNormalTexture",
            Self::SheenColor => "sheenColorTexture",
            Self::SheenRoughness => "sheenRoughnessTexture",
            Self::Transmission => "transmissionTexture",
            Self::Thickness => "thicknessTexture",
            Self::Specular => "specularTexture",
            Self::SpecularColor => "specularColorTexture",
            Self::Iridescence => "iridescenceTexture",
            Self::IridescenceThickness => "iridescenceThicknessTexture",
            Self::Anisotropy => "anisotropyTexture",
        }
    }
}

impl Material {
    /// The texture in `slot` (`None` when the slot, or its extension, is empty).
    pub fn texture(&self, slot: TextureSlot) -> Option<TextureRef> {
        use TextureSlot as S;
        match slot {
            S::BaseColor => self.base_color_texture,
            S::MetallicRoughness => self.metallic_roughness_texture,
            S::Normal => self.normal_texture,
            S::Occlusion => self.occlusion_texture,
            S::Emissive => self.emissive_texture,
            S::Clearcoat => self.clearcoat.and_then(|c| c.texture),
            S::ClearcoatRoughness => self.clearcoat.and_then(|c| c.roughness_texture),
            S::ClearcoatNormal => self.clearcoat.and_then(|c| c.normal_texture),
            S::SheenColor => self.sheen.and_then(|s| s.color_texture),
            S::SheenRoughness => self.sheen.and_then(|s| s.roughness_texture),
            S::Transmission => self.transmission.and_then(|t| t.texture),
            S::Thickness => self.volume.and_then(|v| v.thickness_texture),
            S::Specular => self.specular.and_then(|s| s.texture),
            S::SpecularColor => self.specular.and_then(|s| s.color_texture),
            S::Iridescence => self.iridescence.and_then(|i| i.texture),
            S::IridescenceThickness => self.iridescence.and_then(|i| i.thickness_texture),
            S::Anisotropy => self.anisotropy.and_then(|a| a.texture),
        }
    }

    /// Every texture the material uses, with its slot.
    pub fn textures(&self) -> impl Iterator<Item = (TextureSlot, TextureRef)> + '_ {
        TextureSlot::ALL
            .into_iter()
            .filter_map(|s| self.texture(s).map(|t| (s, t)))
    }

    /// The UV set the primitive's tangent frame must follow, when the
    /// material needs one: its normal map's, else the clearcoat normal map's,
    /// else the anisotropy texture's, else 0 for anisotropy without a texture.
    pub fn tangent_uv_set(&self) -> Option<u32> {
        self.normal_texture
            .or(self.clearcoat.and_then(|c| c.normal_texture))
            .or(self.anisotropy.and_then(|a| a.texture))
            .map(|t| t.tex_coord)
            .or(self.anisotropy.map(|_| 0))
    }
}

/// Checks values against their specification's valid range; a value out of
/// it is replaced (clamped, or the default where no clamp makes sense) with a
/// warning naming the material, the property and both values.
#[derive(Debug, Clone, Copy)]
pub struct RangeCheck<'a> {
    /// How messages name the material, e.g. `material 3 "Glass"`.
    pub material: &'a str,
    /// The extension, e.g. `KHR_materials_clearcoat`.
    pub extension: &'a str,
}

impl RangeCheck<'_> {
    fn report(&self, property: &str, value: f32, used: f32) {
        tracing::warn!(
            material = %self.material,
            extension = %self.extension,
            property,
            value,
            used,
            "material value outside its valid range"
        );
    }

    /// `value` within `[min, max]`: clamped; NaN (and an infinity that
    /// clamping leaves infinite) become `default`.
    pub fn range(&self, property: &str, value: f32, default: f32, min: f32, max: f32) -> f32 {
        let clamped = value.clamp(min, max);
        let used = if clamped.is_finite() {
            clamped
        } else {
            default
        };
        // `!=` is true for NaN, so a NaN is reported too.
        if used != value {
            self.report(property, value, used);
        }
        used
    }

    /// A factor in `[0, 1]`.
    pub fn unit(&self, property: &str, value: f32, default: f32) -> f32 {
        self.range(property, value, default, 0.0, 1.0)
    }

    /// A finite value ≥ 0.
    pub fn non_negative(&self, property: &str, value: f32, default: f32) -> f32 {
        self.range(property, value, default, 0.0, f32::MAX)
    }

    /// Each channel of a colour within `[min, max]`.
    pub fn color(
        &self,
        property: &str,
        value: [f32; 3],
        default: [f32; 3],
        min: f32,
        max: f32,
    ) -> [f32; 3] {
        [0, 1, 2].map(|i| self.range(property, value[i], default[i], min, max))
    }

    /// An index of refraction: 0 (KHR_materials_ior's special value) or ≥ 1
    /// when `allow_zero`, else ≥ 1. Anything else below 1 becomes 1, a NaN or
    /// an infinity `default`.
    pub fn ior(&self, property: &str, value: f32, default: f32, allow_zero: bool) -> f32 {
        if allow_zero && value == 0.0 {
            return 0.0;
        }
        self.range(property, value, default, 1.0, f32::MAX)
    }
}

impl Clearcoat {
    /// The layer with every value in its valid range.
    pub fn checked(self, c: &RangeCheck) -> Self {
        Self {
            factor: c.unit("clearcoatFactor", self.factor, 0.0),
            roughness: c.unit("clearcoatRoughnessFactor", self.roughness, 0.0),
            normal_scale: c.range(
                "clearcoatNormalTexture.scale",
                self.normal_scale,
                1.0,
                f32::MIN,
                f32::MAX,
            ),
            ..self
        }
    }
}

impl Sheen {
    /// The layer with every value in its valid range.
    pub fn checked(self, c: &RangeCheck) -> Self {
        Self {
            color: c.color("sheenColorFactor", self.color, [0.0; 3], 0.0, 1.0),
            roughness: c.unit("sheenRoughnessFactor", self.roughness, 0.0),
            ..self
        }
    }
}

impl Transmission {
    /// The transmission with its factor in its valid range.
    pub fn checked(self, c: &RangeCheck) -> Self {
        Self {
            factor: c.unit("transmissionFactor", self.factor, 0.0),
            ..self
        }
    }
}

impl Volume {
    /// The volume with every value in its valid range. A distance ≤ 0 (the
    /// schema's minimum is exclusive) becomes infinite, as three.js reads it.
    pub fn checked(self, c: &RangeCheck) -> Self {
        let d = self.attenuation_distance;
        let attenuation_distance = if d > 0.0 {
            d
        } else {
            c.report("attenuationDistance", d, f32::INFINITY);
            f32::INFINITY
        };
        Self {
            thickness: c.non_negative("thicknessFactor", self.thickness, 0.0),
            attenuation_distance,
            attenuation_color: c.color(
                "attenuationColor",
                self.attenuation_color,
                [1.0; 3],
                0.0,
                1.0,
            ),
            ..self
        }
    }
}

impl Specular {
    /// The layer with every value in its valid range (colours above 1 are legal).
    pub fn checked(self, c: &RangeCheck) -> Self {
        Self {
            factor: c.unit("specularFactor", self.factor, 1.0),
            color: c.color("specularColorFactor", self.color, [1.0; 3], 0.0, f32::MAX),
            ..self
        }
    }
}

impl Iridescence {
    /// The film with every value in its valid range.
    pub fn checked(self, c: &RangeCheck) -> Self {
        Self {
            factor: c.unit("iridescenceFactor", self.factor, 0.0),
            ior: c.ior("iridescenceIor", self.ior, 1.3, false),
            thickness_min: c.non_negative("iridescenceThicknessMinimum", self.thickness_min, 100.0),
            thickness_max: c.non_negative("iridescenceThicknessMaximum", self.thickness_max, 400.0),
            ..self
        }
    }
}

impl Anisotropy {
    /// The anisotropy with every value in its valid range.
    pub fn checked(self, c: &RangeCheck) -> Self {
        Self {
            strength: c.unit("anisotropyStrength", self.strength, 0.0),
            rotation: c.range("anisotropyRotation", self.rotation, 0.0, f32::MIN, f32::MAX),
            ..self
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scene::TextureTransform;

    fn tex(i: usize) -> Option<TextureRef> {
        Some(TextureRef {
            texture: i,
            tex_coord: 0,
            transform: TextureTransform::default(),
        })
    }

    const CHECK: RangeCheck = RangeCheck {
        material: "material 0",
        extension: "test",
    };

    #[test]
    fn defaults_are_the_specifications() {
        let m = Material::default();
        assert_eq!((m.ior, m.dispersion), (1.5, 0.0));
        assert!(m.clearcoat.is_none() && m.sheen.is_none() && m.transmission.is_none());
        assert!(m.volume.is_none() && m.specular.is_none());
        assert!(m.iridescence.is_none() && m.anisotropy.is_none());
        assert_eq!(Volume::default().attenuation_distance, f32::INFINITY);
        assert_eq!(Volume::default().attenuation_color, [1.0; 3]);
        assert_eq!(
            (Specular::default().factor, Specular::default().color),
            (1.0, [1.0; 3])
        );
        let i = Iridescence::default();
        assert_eq!(
            (i.ior, i.thickness_min, i.thickness_max),
            (1.3, 100.0, 400.0)
        );
        assert_eq!(Clearcoat::default().normal_scale, 1.0);
        assert_eq!(m.textures().count(), 0);
        assert_eq!(m.tangent_uv_set(), None);
    }

    #[test]
    fn slots_colour_spaces_and_lookup() {
        let srgb: Vec<_> = TextureSlot::ALL.iter().filter(|s| s.is_srgb()).collect();
        assert_eq!(
            srgb,
            [
                &TextureSlot::BaseColor,
                &TextureSlot::Emissive,
                &TextureSlot::SheenColor,
                &TextureSlot::SpecularColor
            ]
        );
        let m = Material {
            sheen: Some(Sheen {
                color_texture: tex(3),
                roughness_texture: tex(4),
                ..Default::default()
            }),
            anisotropy: Some(Anisotropy::default()),
            ..Default::default()
        };
        let got: Vec<_> = m.textures().map(|(s, t)| (s, t.texture)).collect();
        assert_eq!(
            got,
            [
                (TextureSlot::SheenColor, 3),
                (TextureSlot::SheenRoughness, 4)
            ]
        );
        assert_eq!(
            TextureSlot::SheenRoughness.gltf_name(),
            "sheenRoughnessTexture"
        );
        // Anisotropy needs a tangent frame even without a texture.
        assert_eq!(m.tangent_uv_set(), Some(0));
    }

    #[test]
    fn out_of_range_values_are_clamped() {
        assert_eq!(CHECK.unit("f", -0.5, 0.0), 0.0);
        assert_eq!(CHECK.unit("f", 1.5, 0.0), 1.0);
        assert_eq!(CHECK.unit("f", f32::NAN, 0.25), 0.25);
        assert_eq!(CHECK.non_negative("f", f32::INFINITY, 2.0), f32::MAX);
        assert_eq!(CHECK.ior("ior", 0.0, 1.5, true), 0.0);
        assert_eq!(CHECK.ior("ior", 0.0, 1.3, false), 1.0);
        assert_eq!(CHECK.ior("ior", 0.7, 1.5, true), 1.0);
        assert_eq!(CHECK.ior("ior", -2.0, 1.5, true), 1.0);
        assert_eq!(CHECK.ior("ior", f32::NAN, 1.5, true), 1.5);
        assert_eq!(CHECK.ior("ior", 2.42, 1.5, true), 2.42);
        let v = Volume {
            thickness: -1.0,
            attenuation_distance: 0.0,
            attenuation_color: [2.0, -1.0, f32::NAN],
            ..Default::default()
        }
        .checked(&CHECK);
        assert_eq!(v.thickness, 0.0);
        assert_eq!(v.attenuation_distance, f32::INFINITY);
        assert_eq!(v.attenuation_color, [1.0, 0.0, 1.0]);
        let s = Specular {
            factor: 3.0,
            color: [25.0, -1.0, 0.5],
            ..Default::default()
        }
        .checked(&CHECK);
        assert_eq!((s.factor, s.color), (1.0, [25.0, 0.0, 0.5]));
        let i = Iridescence {
            ior: 0.5,
            thickness_min: -10.0,
            ..Default::default()
        }
        .checked(&CHECK);
        assert_eq!((i.ior, i.thickness_min, i.thickness_max), (1.0, 0.0, 400.0));
        let a = Anisotropy {
            strength: 2.0,
            rotation: -7.0,
            texture: None,
        }
        .checked(&CHECK);
        assert_eq!((a.strength, a.rotation), (1.0, -7.0));
    }
}
