//! The ring as a product package: `ring.glb` + `product.json` with metal,
//! gem, cut and engraving options and five shots.

use super::{Cut, RingError, RingModel, RingSpec, Setting, build, build_all_cuts};
use crate::product::ProductDefinition;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

/// The model's file name in a package.
pub const MODEL_FILE: &str = "ring.glb";

/// Metal values: `(id, label, library preset, price delta, code)`.
const METALS: [(&str, &str, &str, i64, &str); 5] = [
    (
        "yellow-gold",
        "18k yellow gold",
        "library:yellow-gold",
        0,
        "MTL-YG",
    ),
    (
        "white-gold",
        "18k white gold",
        "library:white-gold",
        0,
        "MTL-WG",
    ),
    (
        "rose-gold",
        "18k rose gold",
        "library:rose-gold",
        0,
        "MTL-RG",
    ),
    (
        "silver",
        "Sterling silver",
        "library:silver",
        -45000,
        "MTL-AG",
    ),
    (
        "platinum",
        "Platinum 950",
        "library:platinum",
        60000,
        "MTL-PT",
    ),
];

/// Gem values: `(id, label, library preset, price per carat, code)`.
const GEMS: [(&str, &str, &str, f64, &str); 4] = [
    ("diamond", "Diamond", "library:diamond", 450000.0, "GEM-DIA"),
    (
        "sapphire",
        "Blue sapphire",
        "library:sapphire",
        150000.0,
        "GEM-SAP",
    ),
    ("ruby", "Ruby", "library:ruby", 180000.0, "GEM-RUB"),
    ("emerald", "Emerald", "library:emerald", 120000.0, "GEM-EME"),
];

fn round_price(x: f64) -> i64 {
    ((x / 1000.0).round() * 1000.0) as i64
}

/// Millimetres to metres, rounded to the micrometre (and no `-0`).
fn metres(mm: f64) -> f64 {
    (mm * 1e3).round() / 1e6 + 0.0
}

fn point(p: glam::DVec3) -> [f64; 3] {
    [p.x, p.y, p.z].map(metres)
}

/// The product definition (`product.json`) of a built ring whose model is
/// [`MODEL_FILE`]. Prices are illustrative (EUR): the setting, plus the
/// stone at a price per carat of its material, plus the metal's delta.
pub fn product_definition(ring: &RingModel) -> ProductDefinition {
    serde_json::from_value(definition_json(ring))
        .expect("the generated definition has the documented shape")
}

fn definition_json(ring: &RingModel) -> Value {
    let spec = &ring.spec;
    let carat = ring.stones.first().map_or(0.0, |s| s.carat);
    let mut options = vec![json!({
        "id": "metal",
        "label": "Metal",
        "kind": "material",
        "slot": {"material": "metal"},
        "values": METALS.iter().map(|(id, label, m, price, code)| json!({
            "id": id, "label": label, "material": m, "price": price, "code": code
        })).collect::<Vec<_>>(),
    })];
    if !ring.stones.is_empty() {
        let diamond = GEMS[0].3 * carat;
        options.push(json!({
            "id": "gem",
            "label": "Stone",
            "kind": "material",
            "slot": {"material": "gem"},
            "values": GEMS.iter().map(|(id, label, m, per_ct, code)| json!({
                "id": id, "label": label, "material": m,
                "price": round_price(per_ct * carat - diamond), "code": code
            })).collect::<Vec<_>>(),
        }));
    }
    if ring.all_cuts() {
        let mut cuts: Vec<Cut> = Cut::ALL.to_vec();
        // The default cut first (an option's default is its first value).
        if let Some(d) = ring.default_cut {
            cuts.retain(|c| *c != d);
            cuts.insert(0, d);
        }
        options.push(json!({
            "id": "cut",
            "label": "Cut",
            "kind": "variant",
            "values": cuts.iter().map(|c| {
                let s = ring.stone(*c).expect("every cut is built");
                let [x, _, z] = s.dimensions_mm();
                let (label, delta) = match c {
                    Cut::RoundBrilliant => (format!("Round brilliant, {:.1} mm", x), 0.0),
                    Cut::Princess => (format!("Princess, {:.1} × {:.1} mm", x, z), -0.10),
                    Cut::Oval => (format!("Oval, {:.1} × {:.1} mm", z, x), -0.05),
                };
                json!({
                    "id": c.id(), "label": label, "variant": c.id(),
                    "price": round_price(delta * GEMS[0].3 * carat),
                    "code": format!("CUT-{}", c.id().to_uppercase()),
                })
            }).collect::<Vec<_>>(),
        }));
    }
    let e = ring.engraving();
    let [w, h] = e.size_mm.map(|v| (v * 100.0).floor() / 100.0);
    options.push(json!({
        "id": "engraving",
        "label": "Engraving inside the band",
        "kind": "text",
        "description": "Engraved inside the band, opposite the stone",
        "max_length": 20,
        "max_lines": 1,
        "price": 4500,
        "code": "ENG-IN",
        "size_mm": [w, h],
        "placement": {"uv": {"material": "metal", "rect": e.rect}},
        "fonts": ["serif", "script"],
        "min_size_mm": 0.5,
        "letter_spacing": 0.05,
        "finish": "engrave",
    }));
    let setting_price = match spec.setting {
        Setting::Prong { .. } => 69000.0,
        Setting::Bezel { .. } => 79000.0,
    };
    let base = round_price(setting_price + GEMS[0].3 * carat);
    let mut shots = vec![
        json!({"id": "three-quarter", "label": "Three-quarter", "yaw": 35, "pitch": 20, "fov": 30, "distance": "fit"}),
        json!({"id": "top", "label": "Top", "yaw": 0, "pitch": 85, "fov": 30, "distance": "fit"}),
        json!({"id": "side", "label": "Side", "yaw": 90, "pitch": 5, "fov": 30, "distance": "fit"}),
    ];
    if let Some(s) = ring.stones.first() {
        // The largest stone and its claws fill about two thirds of a 25° view.
        let size = ring
            .stones
            .iter()
            .flat_map(|s| s.dimensions_mm())
            .fold(0.0f64, f64::max);
        shots.push(json!({
            "id": "gem", "label": "Stone close-up", "yaw": 30, "pitch": 35, "fov": 25,
            "distance": metres(4.5 * size),
            "target": point(s.position),
        }));
    }
    let d = ring.band.inner_radius * 2.0;
    shots.push(json!({
        "id": "inside", "label": "Inside the band", "yaw": 0, "pitch": 55, "fov": 30,
        "distance": metres(2.0 * d),
        "target": point(e.centre),
    }));
    let mut templates = Vec::new();
    if ring.all_cuts() {
        templates = vec![
            json!({"id": "classic", "label": "Classic solitaire",
                   "selections": {"metal": "yellow-gold", "gem": "diamond", "cut": "round"}}),
            json!({"id": "platinum-sapphire", "label": "Platinum and sapphire",
                   "selections": {"metal": "platinum", "gem": "sapphire", "cut": "oval"}}),
            json!({"id": "rose-ruby", "label": "Rose gold and ruby",
                   "selections": {"metal": "rose-gold", "gem": "ruby", "cut": "princess"}}),
        ];
    }
    let size = match spec.size {
        super::RingSize::Us(s) => format!("US {s}"),
        super::RingSize::InnerDiameterMm(d) => format!("{d} mm"),
    };
    let name = match (spec.gem, spec.setting) {
        (None, _) => format!("Band ring, {size}"),
        (Some(_), Setting::Prong { count, .. }) => {
            format!("Solitaire ring, {count}-prong, {carat:.2} ct, {size}")
        }
        (Some(_), Setting::Bezel { .. }) => format!("Solitaire ring, bezel, {carat:.2} ct, {size}"),
    };
    json!({
        "id": "ring",
        "name": name,
        "version": "1.0.0",
        "model": MODEL_FILE,
        "currency": "EUR",
        "base_price": base,
        "shots": shots,
        "default_shot": "three-quarter",
        "options": options,
        "rules": [],
        "templates": templates,
    })
}

/// What [`write_package`] wrote.
#[derive(Debug, Clone)]
pub struct PackageFiles {
    /// The GLB.
    pub model: PathBuf,
    /// `product.json`.
    pub definition: PathBuf,
    /// The ring it describes.
    pub ring: RingModel,
}

/// Builds the ring (every cut as variants when `all_cuts`) and writes
/// `dir/ring.glb` and `dir/product.json` (the folder is created).
pub fn write_package(
    spec: &RingSpec,
    dir: &Path,
    all_cuts: bool,
) -> Result<PackageFiles, RingError> {
    let ring = if all_cuts {
        build_all_cuts(spec)?
    } else {
        build(spec)?
    };
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| RingError::Io { path, source }
    };
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let model = dir.join(MODEL_FILE);
    std::fs::write(&model, ring.to_glb()).map_err(io(&model))?;
    let definition = dir.join("product.json");
    let mut text =
        serde_json::to_string_pretty(&product_definition(&ring)).expect("JSON values serialize");
    text.push('\n');
    std::fs::write(&definition, text).map_err(io(&definition))?;
    Ok(PackageFiles {
        model,
        definition,
        ring,
    })
}
