//! A parametric ring generator (plain data, no GPU): a band swept from a
//! profile, a prong or bezel setting and a faceted gem, written as a GLB
//! and a product package (`showroom ring`).
//!
//! ```
//! use showroom::ring::{RingSpec, build};
//! let ring = build(&RingSpec::default()).unwrap();   // US 6, court, 4 prongs, 1 ct round
//! let glb: Vec<u8> = ring.to_glb();
//! assert_eq!(&glb[0..4], b"glTF");
//! ```
//!
//! # Frame and units
//!
//! The GLB is in metres, +Y up: the ring stands upright with the finger
//! axis along Z and the gem on top (+Y); the whole model (every cut, in a
//! multi-cut model) is centred on its bounding box, so the finger axis runs
//! through [`RingModel::axis`]. Internally everything is built in
//! millimetres.
//!
//! # Sizes
//!
//! - **Ring size**: US size `s` → inner diameter `d = 11.63 + 0.8128 s` mm
//!   (the standard US/Canada scale: US 6 = 16.51 mm), measured at the crest
//!   of the inner surface.
//! - **Carat ↔ size**: a stone's weight is its volume × the density of
//!   diamond (3.52 g/cm³; 1 ct = 0.2 g): `ct = 0.0176 × V` with `V` the
//!   volume in mm³ of the generated polyhedron, so `diameter = (ct /
//!   (0.0176 · k))^(1/3)` with `k` the cut's volume at unit width. For the
//!   round brilliant `k ≈ 0.2064`, so `ct ≈ 0.00363 × D³`: within 2 % of
//!   the trade's rule of thumb `ct ≈ 0.0037 × D³` (a 6.5 mm round weighs
//!   1.00 ct; a 1 ct princess is 5.69 mm, a 1 ct oval 8.14 × 5.81 mm); the same
//!   diamond-equivalent weight sizes the princess and the oval (the gem
//!   material option does not resize the stone).
//!
//! # Model
//!
//! | node | mesh | material | what |
//! |---|---|---|---|
//! | `Band` | `Band` | `metal` | two primitives: the inner (finger-side) surface, then the rest |
//! | `Setting` | `Setting` | `metal` | prongs or the bezel cup |
//! | `Gem` | `Gem` | `gem` | flat facets, one normal per facet |
//!
//! With all cuts ([`build_all_cuts`]) `Setting` and `Gem` are parents of
//! `Setting_Round`, `Setting_Princess`, `Setting_Oval` and `Gem_Round`, …
//! and the cut is a KHR_materials_variants variant (`round`, `princess`,
//! `oval`): the chosen cut's primitives use `metal` / `gem`, the others the
//! fully transparent alpha-masked material `hidden`.
//!
//! # The inside of the band (engraving)
//!
//! The inner surface has TEXCOORD_0 in the unit square: `u` around the
//! finger (0 at the top under the gem, 0.5 at the bottom, running towards
//! +X there), `v` across the width from the −Z edge (0) to the +Z edge (1),
//! both proportional to arc length; 1.0 of `u` is the inner circumference
//! `π d` and 1.0 of `v` is the inner surface's width ([`Band::inner_arc_mm`]).
//! Every other metal surface has `v ≥ 1`, so a UV decal in [0, 1]² on
//! material `metal` lands only inside the band. The engraving slot
//! ([`RingModel::engraving`]) is the bottom 40 % of the circumference and
//! the middle 80 % of the width: `[0.3, 0.1, 0.7, 0.9]`, read from inside
//! the ring with the text running towards +X and its top towards −Z.

mod band;
pub mod gem;
mod glb;
pub mod mesh;
pub mod product;
mod setting;

#[cfg(test)]
mod tests;

pub use band::Band;
pub use gem::{Facet, Polyhedron};
pub use mesh::MeshData;
pub use product::{product_definition, write_package};

use crate::product::MaterialParams;
use crate::product::library;
use glam::DVec3;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// Carats per mm³ of diamond (density 3.52 g/cm³, 1 ct = 0.2 g).
pub const CARAT_PER_MM3: f64 = 3.52e-3 / 0.2;

/// The inner diameter (mm) of a US ring size.
pub fn us_size_to_mm(size: f64) -> f64 {
    11.63 + 0.8128 * size
}

/// Why a ring cannot be built or written.
#[derive(Debug, thiserror::Error)]
pub enum RingError {
    /// A parameter is out of range.
    #[error("ring: {0}")]
    Invalid(String),
    /// A file could not be written.
    #[error("cannot write {}: {source}", path.display())]
    Io {
        /// The file.
        path: std::path::PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
}

/// A ring size: a US size or an inner diameter.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RingSize {
    /// US / Canada ring size (`{"us": 6}`).
    Us(f64),
    /// Inner diameter in millimetres (`{"inner_diameter_mm": 16.5}`).
    InnerDiameterMm(f64),
}

impl RingSize {
    /// The inner diameter in millimetres.
    pub fn inner_diameter_mm(self) -> f64 {
        match self {
            Self::Us(s) => us_size_to_mm(s),
            Self::InnerDiameterMm(d) => d,
        }
    }
}

/// The band's cross-section.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Profile {
    /// Flat inside and out, small rounded corners.
    Flat,
    /// Court / comfort fit: domed inside and out, round sides.
    #[default]
    #[serde(alias = "comfort")]
    Court,
    /// D-shape: flat inside, domed outside.
    #[serde(rename = "d_shape", alias = "d")]
    DShape,
}

/// How the stone is held.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Setting {
    /// Claws: 4 (on the diagonals) or 6.
    Prong {
        /// 4 or 6.
        count: u32,
        /// Claw diameter at the tip (default 13 % of the stone's width).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        prong_diameter_mm: Option<f64>,
    },
    /// A metal collar around the girdle.
    Bezel {
        /// Wall thickness (default 6 % of the stone's width, at least 0.35 mm).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        wall_mm: Option<f64>,
    },
}

impl Default for Setting {
    fn default() -> Self {
        Self::Prong {
            count: 4,
            prong_diameter_mm: None,
        }
    }
}

/// A gem cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum Cut {
    /// Round brilliant (57 facets).
    #[default]
    #[serde(rename = "round", alias = "round_brilliant")]
    RoundBrilliant,
    /// Princess (square, chevron pavilion).
    #[serde(rename = "princess")]
    Princess,
    /// Oval brilliant (length / width 1.4, along the finger).
    #[serde(rename = "oval")]
    Oval,
}

impl Cut {
    /// Every cut, in option order.
    pub const ALL: [Cut; 3] = [Cut::RoundBrilliant, Cut::Princess, Cut::Oval];

    /// The id used in JSON, variants and option values.
    pub fn id(self) -> &'static str {
        match self {
            Self::RoundBrilliant => "round",
            Self::Princess => "princess",
            Self::Oval => "oval",
        }
    }

    /// The name used in node and mesh names (`Gem_Round`).
    pub fn title(self) -> &'static str {
        match self {
            Self::RoundBrilliant => "Round",
            Self::Princess => "Princess",
            Self::Oval => "Oval",
        }
    }

    /// The polyhedron of this cut at width `w` mm (see [`gem`]).
    pub fn polyhedron(self, w: f64) -> Polyhedron {
        match self {
            Self::RoundBrilliant => gem::round_brilliant(w, &Default::default()),
            Self::Princess => gem::princess(w, &Default::default()),
            Self::Oval => gem::oval(w, gem::OVAL_RATIO, &Default::default()),
        }
    }

    /// Volume at unit width, mm³ (scales with width³).
    pub fn unit_volume(self) -> f64 {
        self.polyhedron(1.0).volume()
    }

    /// The width (mm) of a diamond of this cut weighing `carat`.
    pub fn width_for_carat(self, carat: f64) -> f64 {
        (carat / (CARAT_PER_MM3 * self.unit_volume())).cbrt()
    }

    /// The weight (ct) of a diamond of this cut `width` mm wide.
    pub fn carat_for_width(self, width: f64) -> f64 {
        CARAT_PER_MM3 * self.unit_volume() * width.powi(3)
    }
}

/// How big the stone is.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GemSize {
    /// Diamond-equivalent weight in carats (`"carat": 1.0`).
    Carat(f64),
    /// Girdle width in mm (`"diameter_mm": 6.5`): the round's diameter,
    /// the princess's side, the oval's width (its length is 1.4 ×).
    DiameterMm(f64),
}

/// The stone: its cut and size (`{"cut": "round", "carat": 1.0}`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GemSpec {
    /// The cut.
    #[serde(default)]
    pub cut: Cut,
    /// The size.
    #[serde(flatten)]
    pub size: GemSize,
}

impl Default for GemSpec {
    fn default() -> Self {
        Self {
            cut: Cut::RoundBrilliant,
            size: GemSize::Carat(1.0),
        }
    }
}

impl GemSpec {
    /// The girdle width in mm for `cut` (the spec's carat or diameter).
    pub fn width_mm(&self, cut: Cut) -> f64 {
        match self.size {
            GemSize::Carat(ct) => cut.width_for_carat(ct),
            GemSize::DiameterMm(d) => d,
        }
    }
}

/// Everything that defines a ring. Every field has a default (US 6,
/// 2.2 × 1.7 mm court band, 4 prongs, a 1 ct round brilliant), so `{}` is
/// a valid spec in JSON.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RingSpec {
    /// Ring size.
    pub size: RingSize,
    /// Band width along the finger, mm.
    pub band_width_mm: f64,
    /// Band thickness (radial, at the crest), mm.
    pub band_thickness_mm: f64,
    /// Band profile.
    pub profile: Profile,
    /// Setting.
    pub setting: Setting,
    /// The stone (`null`: a plain band, no setting).
    pub gem: Option<GemSpec>,
}

impl Default for RingSpec {
    fn default() -> Self {
        Self {
            size: RingSize::Us(6.0),
            band_width_mm: 2.2,
            band_thickness_mm: 1.7,
            profile: Profile::Court,
            setting: Setting::default(),
            gem: Some(GemSpec::default()),
        }
    }
}

impl RingSpec {
    /// Checks every parameter's range; the message names the field.
    pub fn validate(&self) -> Result<(), RingError> {
        let bad = |m: String| Err(RingError::Invalid(m));
        let d = self.size.inner_diameter_mm();
        if !(d.is_finite() && (10.0..=30.0).contains(&d)) {
            return bad(format!(
                "size: inner diameter {d:.2} mm is outside 10–30 mm (US 0–16 is 11.6–24.6 mm)"
            ));
        }
        let w = self.band_width_mm;
        if !(w.is_finite() && (1.0..=12.0).contains(&w)) {
            return bad(format!("band_width_mm {w} is outside 1–12 mm"));
        }
        let t = self.band_thickness_mm;
        if !(t.is_finite() && (0.8..=5.0).contains(&t)) {
            return bad(format!("band_thickness_mm {t} is outside 0.8–5 mm"));
        }
        match self.setting {
            Setting::Prong {
                count,
                prong_diameter_mm,
            } => {
                if count != 4 && count != 6 {
                    return bad(format!("setting: prong count {count} must be 4 or 6"));
                }
                if let Some(p) = prong_diameter_mm
                    && !(p.is_finite() && (0.3..=3.0).contains(&p))
                {
                    return bad(format!(
                        "setting: prong_diameter_mm {p} is outside 0.3–3 mm"
                    ));
                }
            }
            Setting::Bezel { wall_mm } => {
                if let Some(p) = wall_mm
                    && !(p.is_finite() && (0.2..=3.0).contains(&p))
                {
                    return bad(format!("setting: wall_mm {p} is outside 0.2–3 mm"));
                }
            }
        }
        if let Some(g) = &self.gem {
            match g.size {
                GemSize::Carat(ct) if !(ct.is_finite() && (0.05..=10.0).contains(&ct)) => {
                    return bad(format!("gem: carat {ct} is outside 0.05–10 ct"));
                }
                GemSize::DiameterMm(dm) if !(dm.is_finite() && (2.0..=20.0).contains(&dm)) => {
                    return bad(format!("gem: diameter_mm {dm} is outside 2–20 mm"));
                }
                _ => {}
            }
        }
        Ok(())
    }
}

/// One stone and its setting, placed in the ring.
#[derive(Debug, Clone)]
pub struct Stone {
    /// The cut.
    pub cut: Cut,
    /// The stone in its own frame (girdle centre at the origin, table up).
    pub gem: Polyhedron,
    /// Where the girdle centre is in the ring (mm, after centring).
    pub position: DVec3,
    /// The setting that holds it (mm, ring frame).
    pub setting: MeshData,
    /// Girdle width, mm.
    pub width_mm: f64,
    /// Diamond-equivalent weight, ct.
    pub carat: f64,
}

impl Stone {
    /// The stone in the ring frame.
    pub fn placed(&self) -> Polyhedron {
        let mut p = self.gem.clone();
        for v in &mut p.vertices {
            *v += self.position;
        }
        p
    }

    /// The overall dimensions `[x, y, z]` of the stone, mm.
    pub fn dimensions_mm(&self) -> [f64; 3] {
        let (lo, hi) = self.gem.bounds();
        (hi - lo).to_array()
    }
}

/// A built ring: band, stones (one, or one per cut) and measurements.
#[derive(Debug, Clone)]
pub struct RingModel {
    /// What it was built from.
    pub spec: RingSpec,
    /// The band (mm, ring frame).
    pub band: Band,
    /// The stones with their settings: one, or every cut.
    pub stones: Vec<Stone>,
    /// The cut shown by default (`None`: a plain band).
    pub default_cut: Option<Cut>,
    /// The centre of the band (the finger axis runs through it along Z),
    /// mm: the model is centred on its bounds, so this is `(0, y, 0)`.
    pub axis: DVec3,
}

/// The engraving slot inside the band.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Engraving {
    /// `[u0, v0, u1, v1]` on material `metal`.
    pub rect: [f64; 4],
    /// The rectangle's size in millimetres (along the circumference, across).
    pub size_mm: [f64; 2],
    /// The centre of the slot on the inner surface (mm, ring frame).
    pub centre: DVec3,
}

/// The engraving rectangle in the inner surface's UVs.
pub const ENGRAVING_RECT: [f64; 4] = [0.3, 0.1, 0.7, 0.9];

/// Builds the ring with the spec's stone.
pub fn build(spec: &RingSpec) -> Result<RingModel, RingError> {
    let cuts: Vec<Cut> = spec.gem.iter().map(|g| g.cut).collect();
    build_cuts(spec, &cuts)
}

/// Builds the ring with every cut (each with its own setting), the spec's
/// cut shown by default. The spec must have a gem.
pub fn build_all_cuts(spec: &RingSpec) -> Result<RingModel, RingError> {
    if spec.gem.is_none() {
        return Err(RingError::Invalid(
            "all cuts: the spec has no gem".to_string(),
        ));
    }
    build_cuts(spec, &Cut::ALL)
}

fn build_cuts(spec: &RingSpec, cuts: &[Cut]) -> Result<RingModel, RingError> {
    spec.validate()?;
    let mut band = band::band(
        spec.size.inner_diameter_mm(),
        spec.band_width_mm,
        spec.band_thickness_mm,
        spec.profile,
        192,
    );
    let mut stones = Vec::new();
    if let Some(g) = &spec.gem {
        for &cut in cuts {
            stones.push(place_stone(spec, g, cut, &band));
        }
    }
    // Centre the bounding box of everything on the origin.
    let mut lo = DVec3::splat(f64::INFINITY);
    let mut hi = DVec3::splat(f64::NEG_INFINITY);
    for m in [&band.inner, &band.outer]
        .into_iter()
        .chain(stones.iter().map(|s| &s.setting))
    {
        let (a, b) = m.bounds();
        lo = lo.min(a);
        hi = hi.max(b);
    }
    for s in &stones {
        let (a, b) = s.placed().bounds();
        lo = lo.min(a);
        hi = hi.max(b);
    }
    let shift = -0.5 * (lo + hi);
    band.inner.translate(shift);
    band.outer.translate(shift);
    for s in &mut stones {
        s.position += shift;
        s.setting.translate(shift);
    }
    Ok(RingModel {
        spec: *spec,
        band,
        default_cut: spec.gem.map(|g| g.cut),
        stones,
        axis: shift,
    })
}

fn place_stone(spec: &RingSpec, g: &GemSpec, cut: Cut, band: &Band) -> Stone {
    let width = g.width_mm(cut);
    let gem = cut.polyhedron(width);
    let (lo, _) = gem.bounds();
    // The culet sits just above the top of the band.
    let clearance = match spec.setting {
        Setting::Prong { .. } => 0.5,
        Setting::Bezel { .. } => 0.3,
    };
    let girdle_y = band.outer_radius + clearance - lo.y;
    let placed = setting::Placed::new(&gem, girdle_y);
    let setting = match spec.setting {
        Setting::Prong {
            count,
            prong_diameter_mm,
        } => {
            let r_tip = 0.5 * prong_diameter_mm.unwrap_or(0.13 * width);
            setting::prongs(&placed, band, count as usize, r_tip)
        }
        Setting::Bezel { wall_mm } => {
            let wall = wall_mm.unwrap_or((0.06 * width).max(0.35));
            let foot = band.outer_rho(0.6 * band.half_width) - 0.3;
            let (stretch, round) = match cut {
                Cut::RoundBrilliant => (1.0, true),
                Cut::Oval => (gem::OVAL_RATIO, true),
                Cut::Princess => (1.0, false),
            };
            setting::bezel(&placed, wall, foot, (0.04 * width).max(0.2), stretch, round)
        }
    };
    Stone {
        cut,
        carat: cut.carat_for_width(width),
        gem,
        position: DVec3::Y * girdle_y,
        setting,
        width_mm: width,
    }
}

impl RingModel {
    /// The stone of a cut.
    pub fn stone(&self, cut: Cut) -> Option<&Stone> {
        self.stones.iter().find(|s| s.cut == cut)
    }

    /// Whether this model holds every cut (as variants).
    pub fn all_cuts(&self) -> bool {
        self.stones.len() > 1
    }

    /// The engraving slot: [`ENGRAVING_RECT`] and its size in millimetres.
    pub fn engraving(&self) -> Engraving {
        let [u0, v0, u1, v1] = ENGRAVING_RECT;
        Engraving {
            rect: ENGRAVING_RECT,
            size_mm: [
                (u1 - u0) * self.band.inner_circumference_mm,
                (v1 - v0) * self.band.inner_arc_mm,
            ],
            centre: self.axis - DVec3::Y * self.band.inner_radius,
        }
    }

    /// The GLB (glTF 2.0 binary, metres, Y up).
    pub fn to_glb(&self) -> Vec<u8> {
        let mut glb = glb::Glb::default();
        let metal = self.metal_material(&mut glb);
        let band = {
            let inner = glb.primitive(&self.band.inner, metal);
            let outer = glb.primitive(&self.band.outer, metal);
            let mesh = glb.mesh("Band", vec![inner, outer]);
            glb.node(json!({"name": "Band", "mesh": mesh}))
        };
        let mut roots = vec![band];
        if self.stones.is_empty() {
            return glb.finish(&roots);
        }
        let gem = self.gem_material(&mut glb);
        if !self.all_cuts() {
            let s = &self.stones[0];
            let p = glb.primitive(&s.setting, metal);
            let mesh = glb.mesh("Setting", vec![p]);
            roots.push(glb.node(json!({"name": "Setting", "mesh": mesh})));
            let p = glb.primitive(&gem_mesh(s), gem);
            let mesh = glb.mesh("Gem", vec![p]);
            roots.push(glb.node(json!({"name": "Gem", "mesh": mesh})));
            return glb.finish(&roots);
        }
        // Every cut: variants pick which stone and setting are drawn.
        let hidden = glb.materials.len();
        glb.materials.push(json!({
            "name": "hidden",
            "alphaMode": "MASK",
            "pbrMetallicRoughness": {
                "baseColorFactor": [1.0, 1.0, 1.0, 0.0], "metallicFactor": 0.0, "roughnessFactor": 1.0
            }
        }));
        glb.use_extension("KHR_materials_variants");
        let variants: Vec<Value> = self
            .stones
            .iter()
            .map(|s| json!({"name": s.cut.id()}))
            .collect();
        glb.extensions.insert(
            "KHR_materials_variants".into(),
            json!({"variants": variants}),
        );
        let mut settings = Vec::new();
        let mut gems = Vec::new();
        for (vi, s) in self.stones.iter().enumerate() {
            let shown = Some(s.cut) == self.default_cut;
            let others: Vec<usize> = (0..self.stones.len()).filter(|&k| k != vi).collect();
            let with_variants = |mut p: Value, material: usize| {
                p["material"] = json!(if shown { material } else { hidden });
                p["extensions"] = json!({"KHR_materials_variants": {"mappings": [
                    {"material": material, "variants": [vi]},
                    {"material": hidden, "variants": others},
                ]}});
                p
            };
            let p = glb.primitive(&s.setting, metal);
            let name = format!("Setting_{}", s.cut.title());
            let mesh = glb.mesh(&name, vec![with_variants(p, metal)]);
            settings.push(glb.node(json!({"name": name, "mesh": mesh})));
            let p = glb.primitive(&gem_mesh(s), gem);
            let name = format!("Gem_{}", s.cut.title());
            let mesh = glb.mesh(&name, vec![with_variants(p, gem)]);
            gems.push(glb.node(json!({"name": name, "mesh": mesh})));
        }
        roots.push(glb.node(json!({"name": "Setting", "children": settings})));
        roots.push(glb.node(json!({"name": "Gem", "children": gems})));
        glb.finish(&roots)
    }

    fn metal_material(&self, glb: &mut glb::Glb) -> usize {
        let p = library::preset("yellow-gold").expect("library preset yellow-gold");
        glb.materials.push(json!({
            "name": "metal",
            "pbrMetallicRoughness": pbr(&p),
        }));
        glb.materials.len() - 1
    }

    fn gem_material(&self, glb: &mut glb::Glb) -> usize {
        let p = library::preset("diamond").expect("library preset diamond");
        // The volume's thickness: the stone's depth (metres).
        let depth = self
            .stones
            .iter()
            .map(|s| s.dimensions_mm()[1])
            .fold(0.0f64, f64::max)
            * 1e-3;
        let mut ext = serde_json::Map::new();
        ext.insert(
            "KHR_materials_transmission".into(),
            json!({"transmissionFactor": p.transmission}),
        );
        ext.insert("KHR_materials_ior".into(), json!({"ior": p.ior}));
        let mut volume = json!({"thicknessFactor": depth});
        if let Some((color, distance)) = p.attenuation {
            volume["attenuationColor"] = json!(color);
            volume["attenuationDistance"] = json!(distance);
        }
        ext.insert("KHR_materials_volume".into(), volume);
        if p.dispersion > 0.0 {
            ext.insert(
                "KHR_materials_dispersion".into(),
                json!({"dispersion": p.dispersion}),
            );
        }
        for k in [
            "KHR_materials_transmission",
            "KHR_materials_ior",
            "KHR_materials_volume",
            "KHR_materials_dispersion",
        ] {
            if ext.contains_key(k) {
                glb.use_extension(k);
            }
        }
        glb.materials.push(json!({
            "name": "gem",
            "pbrMetallicRoughness": pbr(&p),
            "extensions": ext,
        }));
        glb.materials.len() - 1
    }
}

fn pbr(p: &MaterialParams) -> Value {
    json!({
        "baseColorFactor": p.base_color,
        "metallicFactor": p.metallic,
        "roughnessFactor": p.roughness,
    })
}

/// The stone's flat-shaded triangles in the ring frame.
fn gem_mesh(s: &Stone) -> MeshData {
    let (pos, nor, idx) = s.gem.flat_triangles();
    MeshData {
        positions: pos.into_iter().map(|p| p + s.position).collect(),
        normals: nor,
        uvs: Vec::new(),
        indices: idx,
    }
}
