//! The serde types of `product.json`, exactly as `docs/products.md` describes
//! them. Unknown fields are errors (a misspelt key would otherwise be
//! silently ignored). Paths are kept as written (relative to the package
//! folder); [`super::ProductPackage`] resolves them.

pub use super::options::{
    ColorMode, FreeColor, MaterialValue, OptionKind, PaletteColor, ProductOption, TextureValue,
    ValueInfo, VariantValue,
};
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// A product definition: the contents of `product.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProductDefinition {
    /// Catalogue id, `[a-z0-9-_]+`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// The author's version string.
    pub version: String,
    /// The model (`.glb` or `.gltf`), relative to the package folder.
    pub model: PathBuf,
    /// An `.hdr`/`.exr` environment relative to the package folder, or
    /// `None` for the built-in studio.
    #[serde(default)]
    pub environment: Option<PathBuf>,
    /// ISO 4217 currency code of every price.
    pub currency: String,
    /// Price of the product before option deltas, in minor units.
    #[serde(default)]
    pub base_price: i64,
    /// Named cameras.
    #[serde(default)]
    pub shots: Vec<Shot>,
    /// The shot used when none is asked for (`None` = the first shot).
    #[serde(default)]
    pub default_shot: Option<String>,
    /// Package materials that `material` options reference by id.
    #[serde(default)]
    pub materials: BTreeMap<String, PackageMaterial>,
    /// The options, in display (and evaluation) order.
    #[serde(default)]
    pub options: Vec<ProductOption>,
    /// Constraints between options.
    #[serde(default)]
    pub rules: Vec<Rule>,
    /// Named starting configurations.
    #[serde(default)]
    pub templates: Vec<Template>,
}

impl ProductDefinition {
    /// The option with this id.
    pub fn option(&self, id: &str) -> Option<&ProductOption> {
        self.options.iter().find(|o| o.id == id)
    }

    /// The shot with this id.
    pub fn shot(&self, id: &str) -> Option<&Shot> {
        self.shots.iter().find(|s| s.id == id)
    }

    /// The default shot: `default_shot`, else the first one.
    pub fn default_shot(&self) -> Option<&Shot> {
        match &self.default_shot {
            Some(id) => self.shot(id),
            None => self.shots.first(),
        }
    }

    /// The template with this id.
    pub fn template(&self, id: &str) -> Option<&Template> {
        self.templates.iter().find(|t| t.id == id)
    }
}

/// A named camera in the orbit convention of `showroom render`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Shot {
    /// Unique id.
    pub id: String,
    /// Display label.
    #[serde(default)]
    pub label: String,
    /// Yaw in degrees (0 = camera on +Z, 90 = on +X).
    #[serde(default = "default_yaw")]
    pub yaw: f32,
    /// Pitch in degrees above the horizon, |pitch| < 90.
    #[serde(default = "default_pitch")]
    pub pitch: f32,
    /// Vertical field of view in degrees.
    #[serde(default = "default_fov")]
    pub fov: f32,
    /// How far the camera is from the target.
    #[serde(default)]
    pub distance: ShotDistance,
    /// The orbit centre in metres (`None` = the bounds centre).
    #[serde(default)]
    pub target: Option<[f32; 3]>,
}

fn default_yaw() -> f32 {
    35.0
}
fn default_pitch() -> f32 {
    15.0
}
fn default_fov() -> f32 {
    30.0
}

impl Shot {
    /// The orbit camera this shot describes.
    pub fn orbit(&self) -> crate::camera::OrbitCamera {
        use crate::camera::{Distance, OrbitCamera, Target};
        OrbitCamera {
            yaw_deg: self.yaw,
            pitch_deg: self.pitch,
            distance: match self.distance {
                ShotDistance::Fit => Distance::Fit(1.0),
                ShotDistance::Metres(m) => Distance::Metres(m),
            },
            fov_y_deg: self.fov,
            target: match self.target {
                None => Target::Auto,
                Some(p) => Target::Point(glam::Vec3::from_array(p)),
            },
        }
    }
}

/// A shot's camera distance: `"fit"` or metres.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum ShotDistance {
    /// Frame the model's bounds.
    #[default]
    Fit,
    /// An explicit distance in metres.
    Metres(f32),
}

impl Serialize for ShotDistance {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Fit => s.serialize_str("fit"),
            Self::Metres(m) => s.serialize_f32(*m),
        }
    }
}

impl<'de> Deserialize<'de> for ShotDistance {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Value::deserialize(d)? {
            Value::String(s) if s == "fit" => Ok(Self::Fit),
            Value::Number(n) => n
                .as_f64()
                .map(|m| Self::Metres(m as f32))
                .ok_or_else(|| D::Error::custom("distance out of range")),
            other => Err(D::Error::custom(format!(
                "distance must be \"fit\" or a number of metres, not {other}"
            ))),
        }
    }
}

/// A colour in a package material: sRGB hex (`"#rrggbb"`) or linear
/// components (`[r, g, b]` or `[r, g, b, a]`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum MaterialColor {
    /// sRGB-encoded hexadecimal, converted to linear once.
    Hex(String),
    /// Linear components.
    Linear(Vec<f32>),
}

/// A package material: a library preset with overrides
/// (`{"preset": "suede", "base_color": "#8e1b1b"}`) or complete parameters.
/// Texture paths are relative to the package folder. Every field left out
/// keeps the preset's value (or the glTF default without a preset).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackageMaterial {
    /// A [`super::library`] preset to start from.
    pub preset: Option<String>,
    /// Display name (default: the package material id).
    pub name: Option<String>,
    /// Base colour (alpha 1 unless given as `[r, g, b, a]`).
    pub base_color: Option<MaterialColor>,
    /// Metalness 0–1.
    pub metallic: Option<f32>,
    /// Perceptual roughness 0–1.
    pub roughness: Option<f32>,
    /// Emissive colour.
    pub emissive: Option<MaterialColor>,
    /// Base colour texture (sRGB).
    pub base_color_texture: Option<PathBuf>,
    /// Metallic (B) + roughness (G) texture.
    pub metallic_roughness_texture: Option<PathBuf>,
    /// Tangent-space normal map.
    pub normal_texture: Option<PathBuf>,
    /// Normal map strength.
    pub normal_scale: Option<f32>,
    /// UV repeat of the textures.
    pub uv_scale: Option<[f32; 2]>,
    /// Index of refraction.
    pub ior: Option<f32>,
    /// Specular transmission 0–1.
    pub transmission: Option<f32>,
    /// Dispersion, 20 / Abbe number.
    pub dispersion: Option<f32>,
    /// Volume attenuation colour.
    pub attenuation_color: Option<MaterialColor>,
    /// Volume attenuation distance in metres.
    pub attenuation_distance: Option<f32>,
    /// Sheen colour.
    pub sheen_color: Option<MaterialColor>,
    /// Sheen roughness 0–1.
    pub sheen_roughness: Option<f32>,
    /// Clearcoat factor 0–1.
    pub clearcoat: Option<f32>,
    /// Clearcoat roughness 0–1.
    pub clearcoat_roughness: Option<f32>,
    /// Anisotropy strength 0–1.
    pub anisotropy_strength: Option<f32>,
    /// Anisotropy rotation in radians.
    pub anisotropy_rotation: Option<f32>,
    /// Draw both faces.
    pub double_sided: Option<bool>,
}

impl PackageMaterial {
    /// The texture paths this material names (relative to the package).
    pub fn textures(&self) -> impl Iterator<Item = &PathBuf> {
        [
            &self.base_color_texture,
            &self.metallic_roughness_texture,
            &self.normal_texture,
        ]
        .into_iter()
        .flatten()
    }

    /// The colours this material names, with their field names.
    pub fn colors(&self) -> impl Iterator<Item = (&'static str, &MaterialColor)> {
        [
            ("base_color", &self.base_color),
            ("emissive", &self.emissive),
            ("attenuation_color", &self.attenuation_color),
            ("sheen_color", &self.sheen_color),
        ]
        .into_iter()
        .filter_map(|(n, c)| c.as_ref().map(|c| (n, c)))
    }
}

/// `{"option": id, "in": [values]}`: holds when the option is part of the
/// configuration and its value is one of `values` (booleans for visibility;
/// `"*"` means "non-empty" for text and image).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    /// The option tested.
    pub option: String,
    /// The values for which the condition holds.
    #[serde(rename = "in")]
    pub values: Vec<Value>,
}

impl std::fmt::Display for Condition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let values: Vec<String> = self.values.iter().map(short_value).collect();
        write!(f, "{} in [{}]", self.option, values.join(", "))
    }
}

/// A value for messages: strings unquoted, anything else as compact JSON,
/// cut to 60 characters.
pub(crate) fn short_value(v: &Value) -> String {
    let s = match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    if s.chars().count() > 60 {
        format!("{}…", s.chars().take(59).collect::<String>())
    } else {
        s
    }
}

/// A constraint between two options.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// How `if` and `then` relate.
    pub kind: RuleKind,
    /// The premise.
    #[serde(rename = "if")]
    pub when: Condition,
    /// What must (requires) or must not (excludes) hold with the premise.
    pub then: Condition,
    /// The message shown when the rule is broken.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// The kinds of [`Rule`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleKind {
    /// If `if` holds, `then` must hold.
    Requires,
    /// If `if` holds, `then` must not hold.
    Excludes,
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let verb = match self.kind {
            RuleKind::Requires => "requires",
            RuleKind::Excludes => "excludes",
        };
        write!(f, "{} {verb} {}", self.when, self.then)
    }
}

/// A named starting configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Template {
    /// Unique id.
    pub id: String,
    /// Display label.
    #[serde(default)]
    pub label: String,
    /// Longer help text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The selections (options left out take their defaults).
    #[serde(default)]
    pub selections: BTreeMap<String, Value>,
}
