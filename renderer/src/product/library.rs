//! The built-in physically based material library (`library:<name>` in a
//! product package).
//!
//! Sources:
//! - Metal F0 (normal-incidence reflectance, linear RGB): Naty Hoffman,
//!   "Physics and Math of Shading", *Physically Based Shading in Theory and
//!   Practice*, SIGGRAPH 2015 course (the table of F0 values, linear column),
//!   the same values the Filament material guide lists. Presets marked
//!   *approximation* are interpolated or estimated, not measured.
//! - Indices of refraction and gem dispersion: physicallybased.info and
//!   standard gemmological tables (diamond n = 2.417, corundum 1.77, beryl
//!   1.58, cubic zirconia 2.15). KHR_materials_dispersion takes 20 / V (V the
//!   Abbe number); where only the gemmological B–G dispersion is tabulated,
//!   V was estimated from it as `(n − 1) / (0.58 · dispersion_BG)` (0.58 is
//!   diamond's F–C / B–G ratio), which is marked as an estimate.
//! - Dielectric albedos and roughnesses of leather, fabric, rubber, plastic
//!   and ceramic are artistic approximations in the plausible ranges of
//!   physicallybased.info (no measured value exists for "leather" in
//!   general); a package overrides the colour with its own.

use super::look::MaterialParams;

/// What family a preset belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    /// Conductors (metallic = 1, base colour = F0).
    Metal,
    /// Leathers.
    Leather,
    /// Woven and knitted fabrics.
    Fabric,
    /// Rubber, plastics, ceramic.
    Solid,
    /// Glass and gemstones (transmissive).
    Transparent,
}

/// A library preset.
#[derive(Debug, Clone, Copy)]
pub struct Preset {
    /// The name used after `library:`.
    pub name: &'static str,
    /// One line for `showroom materials`.
    pub description: &'static str,
    /// The family.
    pub category: Category,
    build: fn() -> MaterialParams,
}

impl Preset {
    /// The preset's parameters (named after the preset).
    pub fn params(&self) -> MaterialParams {
        MaterialParams {
            name: self.name.to_string(),
            ..(self.build)()
        }
    }
}

/// The preset with this name (or an alias from [`ALIASES`]; case and `_`
/// for `-` are forgiven).
pub fn preset(name: &str) -> Option<MaterialParams> {
    find(name).map(Preset::params)
}

/// The preset a name or alias refers to.
pub fn find(name: &str) -> Option<&'static Preset> {
    let wanted = name.trim().to_ascii_lowercase().replace('_', "-");
    let wanted = ALIASES
        .iter()
        .find(|(alias, _)| *alias == wanted)
        .map_or(wanted.as_str(), |(_, target)| target);
    PRESETS.iter().find(|p| p.name == wanted)
}

/// Other accepted names: `(alias, preset)`.
pub const ALIASES: &[(&str, &str)] = &[
    ("gold", "yellow-gold"),
    ("steel", "stainless-steel"),
    ("aluminum", "aluminium"),
    ("brushed-aluminum", "brushed-aluminium"),
    ("smooth-leather", "leather"),
    ("plastic", "plastic-glossy"),
];

/// Every preset, in catalogue order.
pub fn presets() -> &'static [Preset] {
    PRESETS
}

/// The preset names, for error messages.
pub fn names() -> Vec<&'static str> {
    PRESETS.iter().map(|p| p.name).collect()
}

// Hoffman 2015, linear F0.
const GOLD: [f32; 3] = [1.000, 0.782, 0.344];
const SILVER: [f32; 3] = [0.972, 0.960, 0.915];
const PLATINUM: [f32; 3] = [0.673, 0.637, 0.585];
const TITANIUM: [f32; 3] = [0.542, 0.497, 0.449];
const BRASS: [f32; 3] = [0.910, 0.778, 0.423];
const COPPER: [f32; 3] = [0.955, 0.638, 0.538];
const ALUMINIUM: [f32; 3] = [0.913, 0.922, 0.924];
const IRON: [f32; 3] = [0.562, 0.565, 0.578];
const CHROMIUM: [f32; 3] = [0.549, 0.556, 0.554];

fn mix(a: [f32; 3], b: [f32; 3], t: f32) -> [f32; 3] {
    [0, 1, 2].map(|i| a[i] + (b[i] - a[i]) * t)
}

fn rgba(c: [f32; 3]) -> [f32; 4] {
    [c[0], c[1], c[2], 1.0]
}

fn metal(f0: [f32; 3], roughness: f32) -> MaterialParams {
    MaterialParams {
        base_color: rgba(f0),
        metallic: 1.0,
        roughness,
        ..MaterialParams::default()
    }
}

/// Brushed: rougher, with anisotropy along the tangent.
fn brushed(f0: [f32; 3]) -> MaterialParams {
    MaterialParams {
        anisotropy: Some((0.7, 0.0)),
        ..metal(f0, 0.38)
    }
}

fn dielectric(albedo: [f32; 3], roughness: f32, ior: f32) -> MaterialParams {
    MaterialParams {
        base_color: rgba(albedo),
        metallic: 0.0,
        roughness,
        ior,
        ..MaterialParams::default()
    }
}

/// A clear transmissive dielectric; `attenuation` tints it through its volume.
fn gem(ior: f32, dispersion: f32, attenuation: Option<[f32; 3]>) -> MaterialParams {
    MaterialParams {
        roughness: 0.0,
        ior,
        transmission: 1.0,
        dispersion,
        // Gems are small: the tint reaches its colour over a few millimetres.
        attenuation: attenuation.map(|c| (c, 0.004)),
        double_sided: false,
        ..dielectric([1.0; 3], 0.0, ior)
    }
}

const PRESETS: &[Preset] = &[
    Preset {
        name: "yellow-gold",
        description: "Polished 18k yellow gold (F0 of pure gold, Hoffman 2015)",
        category: Category::Metal,
        build: || metal(GOLD, 0.15),
    },
    Preset {
        name: "white-gold",
        description: "Rhodium-plated white gold; approximation: a neutral F0 of about 0.76 (rhodium reflects 0.75–0.8)",
        category: Category::Metal,
        build: || metal([0.77, 0.76, 0.74], 0.15),
    },
    Preset {
        name: "rose-gold",
        description: "Rose gold; approximation: F0 mixed 40 % gold, 60 % copper",
        category: Category::Metal,
        build: || metal(mix(GOLD, COPPER, 0.6), 0.15),
    },
    Preset {
        name: "silver",
        description: "Polished silver (Hoffman 2015)",
        category: Category::Metal,
        build: || metal(SILVER, 0.12),
    },
    Preset {
        name: "platinum",
        description: "Polished platinum (Hoffman 2015)",
        category: Category::Metal,
        build: || metal(PLATINUM, 0.15),
    },
    Preset {
        name: "titanium",
        description: "Polished titanium (Hoffman 2015)",
        category: Category::Metal,
        build: || metal(TITANIUM, 0.2),
    },
    Preset {
        name: "stainless-steel",
        description: "Stainless steel; approximation: between iron and chromium (Hoffman 2015)",
        category: Category::Metal,
        build: || metal(mix(IRON, CHROMIUM, 0.5), 0.2),
    },
    Preset {
        name: "brass",
        description: "Polished brass C260 (Hoffman 2015)",
        category: Category::Metal,
        build: || metal(BRASS, 0.18),
    },
    Preset {
        name: "copper",
        description: "Polished copper (Hoffman 2015)",
        category: Category::Metal,
        build: || metal(COPPER, 0.18),
    },
    Preset {
        name: "aluminium",
        description: "Polished aluminium (Hoffman 2015)",
        category: Category::Metal,
        build: || metal(ALUMINIUM, 0.2),
    },
    Preset {
        name: "brushed-steel",
        description: "Brushed stainless steel, anisotropic (F0 as stainless-steel)",
        category: Category::Metal,
        build: || brushed(mix(IRON, CHROMIUM, 0.5)),
    },
    Preset {
        name: "brushed-aluminium",
        description: "Brushed aluminium, anisotropic (Hoffman 2015 F0)",
        category: Category::Metal,
        build: || brushed(ALUMINIUM),
    },
    Preset {
        name: "brushed-gold",
        description: "Brushed yellow gold, anisotropic (Hoffman 2015 F0)",
        category: Category::Metal,
        build: || brushed(GOLD),
    },
    Preset {
        name: "brushed-silver",
        description: "Brushed silver, anisotropic (Hoffman 2015 F0)",
        category: Category::Metal,
        build: || brushed(SILVER),
    },
    Preset {
        name: "brushed-titanium",
        description: "Brushed titanium, anisotropic (Hoffman 2015 F0)",
        category: Category::Metal,
        build: || brushed(TITANIUM),
    },
    Preset {
        name: "brushed-brass",
        description: "Brushed brass, anisotropic (Hoffman 2015 F0)",
        category: Category::Metal,
        build: || brushed(BRASS),
    },
    Preset {
        name: "brushed-copper",
        description: "Brushed copper, anisotropic (Hoffman 2015 F0)",
        category: Category::Metal,
        build: || brushed(COPPER),
    },
    Preset {
        name: "leather",
        description: "Smooth finished leather, tan (approximation)",
        category: Category::Leather,
        build: || dielectric([0.20, 0.10, 0.05], 0.45, 1.5),
    },
    Preset {
        name: "suede",
        description: "Suede: very rough with a soft sheen (approximation)",
        category: Category::Leather,
        build: || MaterialParams {
            sheen: Some(([0.35, 0.30, 0.26], 0.6)),
            ..dielectric([0.22, 0.14, 0.09], 0.95, 1.5)
        },
    },
    Preset {
        name: "patent-leather",
        description: "Patent leather: glossy clearcoat over a smooth base (approximation)",
        category: Category::Leather,
        build: || MaterialParams {
            clearcoat: Some((1.0, 0.04)),
            ..dielectric([0.02, 0.02, 0.02], 0.3, 1.5)
        },
    },
    Preset {
        name: "canvas",
        description: "Cotton canvas, off-white (approximation)",
        category: Category::Fabric,
        build: || MaterialParams {
            sheen: Some(([0.1, 0.1, 0.1], 0.8)),
            ..dielectric([0.60, 0.56, 0.48], 0.9, 1.5)
        },
    },
    Preset {
        name: "knit",
        description: "Knitted polyester, with sheen (approximation)",
        category: Category::Fabric,
        build: || MaterialParams {
            sheen: Some(([0.3, 0.3, 0.3], 0.5)),
            ..dielectric([0.40, 0.40, 0.40], 0.85, 1.5)
        },
    },
    Preset {
        name: "velvet",
        description: "Velvet: dark base, strong grazing sheen (approximation)",
        category: Category::Fabric,
        build: || MaterialParams {
            sheen: Some(([0.8, 0.8, 0.8], 0.3)),
            ..dielectric([0.05, 0.05, 0.05], 1.0, 1.5)
        },
    },
    Preset {
        name: "rubber",
        description: "Black rubber (approximation; IOR 1.52)",
        category: Category::Solid,
        build: || dielectric([0.02, 0.02, 0.02], 0.8, 1.52),
    },
    Preset {
        name: "plastic-glossy",
        description: "Glossy plastic, white (approximation; IOR 1.5)",
        category: Category::Solid,
        build: || dielectric([0.8, 0.8, 0.8], 0.15, 1.5),
    },
    Preset {
        name: "plastic-matte",
        description: "Matte plastic, white (approximation; IOR 1.5)",
        category: Category::Solid,
        build: || dielectric([0.8, 0.8, 0.8], 0.6, 1.5),
    },
    Preset {
        name: "ceramic",
        description: "Glazed white ceramic: glossy glaze over a diffuse body (approximation)",
        category: Category::Solid,
        build: || MaterialParams {
            clearcoat: Some((1.0, 0.03)),
            ..dielectric([0.8, 0.8, 0.78], 0.4, 1.5)
        },
    },
    Preset {
        name: "glass",
        description: "Clear glass (transmission 1, IOR 1.5)",
        category: Category::Transparent,
        build: || MaterialParams {
            double_sided: true,
            ..gem(1.5, 0.0, None)
        },
    },
    Preset {
        name: "diamond",
        description: "Diamond: IOR 2.417, dispersion 20/55 (Abbe number 55)",
        category: Category::Transparent,
        build: || gem(2.417, 20.0 / 55.0, None),
    },
    Preset {
        name: "cubic-zirconia",
        description: "Cubic zirconia: IOR 2.15, dispersion 20/33 (Abbe number estimated from B–G 0.060)",
        category: Category::Transparent,
        build: || gem(2.15, 20.0 / 33.0, None),
    },
    Preset {
        name: "sapphire",
        description: "Blue sapphire (corundum): IOR 1.77, dispersion 20/72 (estimated Abbe number), blue attenuation (approximation)",
        category: Category::Transparent,
        build: || gem(1.77, 20.0 / 72.0, Some([0.10, 0.20, 0.85])),
    },
    Preset {
        name: "ruby",
        description: "Ruby (corundum): IOR 1.77, dispersion 20/72 (estimated Abbe number), red attenuation (approximation)",
        category: Category::Transparent,
        build: || gem(1.77, 20.0 / 72.0, Some([0.85, 0.05, 0.10])),
    },
    Preset {
        name: "emerald",
        description: "Emerald (beryl): IOR 1.58, dispersion 20/71 (estimated Abbe number), green attenuation (approximation)",
        category: Category::Transparent,
        build: || gem(1.58, 20.0 / 71.0, Some([0.10, 0.70, 0.30])),
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    fn in_unit(c: &[f32]) -> bool {
        c.iter().all(|v| (0.0..=1.0).contains(v))
    }

    #[test]
    fn every_preset_is_physically_plausible() {
        let mut names = std::collections::BTreeSet::new();
        for p in presets() {
            assert!(names.insert(p.name), "duplicate preset {}", p.name);
            let m = p.params();
            assert_eq!(m.name, p.name);
            assert!(in_unit(&m.base_color), "{}: base colour", p.name);
            assert!(in_unit(&m.emissive), "{}: emissive", p.name);
            assert!((0.0..=1.0).contains(&m.roughness), "{}: roughness", p.name);
            assert!((0.0..=1.0).contains(&m.transmission), "{}", p.name);
            assert!(m.ior >= 1.0 && m.ior < 3.0, "{}: ior", p.name);
            assert!(m.dispersion >= 0.0 && m.dispersion < 1.0, "{}", p.name);
            for (c, r) in [m.sheen, m.attenuation.map(|(c, _)| (c, 0.5))]
                .into_iter()
                .flatten()
            {
                assert!(in_unit(&c) && (0.0..=1.0).contains(&r), "{}", p.name);
            }
            if let Some((_, d)) = m.attenuation {
                assert!(d > 0.0, "{}", p.name);
            }
            if let Some((f, r)) = m.clearcoat {
                assert!(in_unit(&[f, r]), "{}", p.name);
            }
            if let Some((s, _)) = m.anisotropy {
                assert!((0.0..=1.0).contains(&s), "{}", p.name);
            }
            match p.category {
                Category::Metal => {
                    assert_eq!(m.metallic, 1.0, "{}", p.name);
                    // Metals reflect strongly: F0 well above any dielectric's 0.04–0.17.
                    assert!(m.base_color[..3].iter().all(|&c| c > 0.3), "{}", p.name);
                }
                Category::Transparent => {
                    assert_eq!(m.metallic, 0.0, "{}", p.name);
                    // The base colour tints transmission: white for clear stones.
                    assert_eq!(m.transmission, 1.0, "{}", p.name);
                }
                _ => {
                    assert_eq!(m.metallic, 0.0, "{}", p.name);
                    assert_eq!(m.transmission, 0.0, "{}", p.name);
                    // Darker than charcoal is implausible; brighter than fresh snow too.
                    let max = m.base_color[..3].iter().cloned().fold(0.0, f32::max);
                    assert!((0.01..=0.95).contains(&max), "{}: albedo", p.name);
                }
            }
        }
    }

    #[test]
    fn documented_values() {
        let d = preset("diamond").unwrap();
        assert_eq!(d.ior, 2.417);
        assert!((d.dispersion - 20.0 / 55.0).abs() < 1e-6);
        let g = preset("glass").unwrap();
        assert_eq!((g.transmission, g.ior), (1.0, 1.5));
        assert_eq!(
            preset("yellow-gold").unwrap().base_color,
            [1.0, 0.782, 0.344, 1.0]
        );
        let cz = preset("cubic-zirconia").unwrap();
        assert!(
            cz.dispersion > d.dispersion,
            "CZ is more dispersive than diamond"
        );
        let b = preset("brushed-steel").unwrap();
        assert!(
            b.anisotropy.is_some() && b.roughness > preset("stainless-steel").unwrap().roughness
        );
        assert!(preset("velvet").unwrap().sheen.is_some());
        assert!(preset("nonexistent").is_none());
        assert_eq!(preset("Gold").unwrap().name, "yellow-gold");
        assert_eq!(preset("stainless_steel").unwrap().name, "stainless-steel");
        for (alias, target) in ALIASES {
            assert_eq!(find(alias).map(|p| p.name), Some(*target));
        }
        for required in [
            "yellow-gold",
            "white-gold",
            "rose-gold",
            "silver",
            "platinum",
            "titanium",
            "stainless-steel",
            "brass",
            "copper",
            "aluminium",
            "leather",
            "suede",
            "patent-leather",
            "canvas",
            "knit",
            "velvet",
            "rubber",
            "plastic-glossy",
            "plastic-matte",
            "ceramic",
            "glass",
            "diamond",
            "sapphire",
            "ruby",
            "emerald",
            "cubic-zirconia",
        ] {
            assert!(preset(required).is_some(), "{required}");
        }
    }
}
