//! Options of a product definition: the common fields ([`ProductOption`]),
//! what each kind changes ([`OptionKind`]) and the values of each kind.

use super::definition::Condition;
use super::look::{Slot, TextureChannel};
use super::slots::{ImageSlot, TextSlot};
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;
use std::path::PathBuf;

/// One configurable option. The common fields are here; what depends on the
/// kind is in [`OptionKind`] (`"kind"` in JSON).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProductOption {
    /// Unique id (the key in a configuration's selections).
    pub id: String,
    /// Display label.
    pub label: String,
    /// Longer help text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The value when a configuration does not give one (`None`: the first
    /// value; `true` for visibility; empty for text and image).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<Value>,
    /// The option exists only while this condition holds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub visible_when: Option<Condition>,
    /// What the option changes and its domain.
    #[serde(flatten)]
    pub kind: OptionKind,
}

impl<'de> Deserialize<'de> for ProductOption {
    /// The common fields are taken out first so the kind-specific part can
    /// refuse unknown fields (`deny_unknown_fields` does not combine with
    /// `flatten`).
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Common {
            id: String,
            label: String,
            #[serde(default)]
            description: Option<String>,
            #[serde(default)]
            default: Option<Value>,
            #[serde(default)]
            visible_when: Option<Condition>,
        }
        let mut rest = serde_json::Map::<String, Value>::deserialize(d)?;
        let mut common = serde_json::Map::new();
        for key in ["id", "label", "description", "default", "visible_when"] {
            if let Some(v) = rest.remove(key) {
                common.insert(key.to_string(), v);
            }
        }
        let name = common
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or("?")
            .to_string();
        let err = |e: serde_json::Error| D::Error::custom(format!("option {name:?}: {e}"));
        let c: Common = serde_json::from_value(Value::Object(common)).map_err(err)?;
        let kind: OptionKind = serde_json::from_value(Value::Object(rest)).map_err(err)?;
        Ok(Self {
            id: c.id,
            label: c.label,
            description: c.description,
            default: c.default,
            visible_when: c.visible_when,
            kind,
        })
    }
}

impl ProductOption {
    /// The choosable values of a `variant`, `material`, `color` (palette) or
    /// `texture` option; empty for the other kinds.
    pub fn values(&self) -> Vec<ValueInfo<'_>> {
        fn info<'a>(
            id: &'a str,
            label: &'a str,
            price: i64,
            code: &'a Option<String>,
        ) -> ValueInfo<'a> {
            ValueInfo {
                id,
                label,
                price,
                code: code.as_deref(),
            }
        }
        match &self.kind {
            OptionKind::Variant { values } => values
                .iter()
                .map(|v| info(&v.id, &v.label, v.price, &v.code))
                .collect(),
            OptionKind::Material { values, .. } => values
                .iter()
                .map(|v| info(&v.id, &v.label, v.price, &v.code))
                .collect(),
            OptionKind::Color { palette, .. } => palette
                .iter()
                .map(|v| info(&v.id, &v.label, v.price, &v.code))
                .collect(),
            OptionKind::Texture { values, .. } => values
                .iter()
                .map(|v| info(&v.id, &v.label, v.price, &v.code))
                .collect(),
            OptionKind::Visibility { .. } | OptionKind::Text(_) | OptionKind::Image(_) => {
                Vec::new()
            }
        }
    }

    /// The value with this id (see [`Self::values`]).
    pub fn value(&self, id: &str) -> Option<ValueInfo<'_>> {
        self.values().into_iter().find(|v| v.id == id)
    }

    /// The slot a `material`, `color` or `texture` option changes.
    pub fn slot(&self) -> Option<&Slot> {
        match &self.kind {
            OptionKind::Material { slot, .. }
            | OptionKind::Color { slot, .. }
            | OptionKind::Texture { slot, .. } => Some(slot),
            _ => None,
        }
    }
}

/// The common part of a choosable value, whatever the option kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ValueInfo<'a> {
    /// Value id.
    pub id: &'a str,
    /// Display label.
    pub label: &'a str,
    /// Price delta in minor units.
    pub price: i64,
    /// Production code.
    pub code: Option<&'a str>,
}

/// What an option changes, by kind, with its domain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum OptionKind {
    /// Chooses a KHR_materials_variants variant.
    Variant {
        /// The choices.
        values: Vec<VariantValue>,
    },
    /// Replaces the material of a slot.
    Material {
        /// What is changed.
        slot: Slot,
        /// The choices.
        values: Vec<MaterialValue>,
    },
    /// Sets the base colour of a slot.
    Color {
        /// What is changed.
        slot: Slot,
        /// Replace the base colour texture or multiply it.
        #[serde(default)]
        mode: ColorMode,
        /// Named colours.
        #[serde(default)]
        palette: Vec<PaletteColor>,
        /// Whether (and within what limits) any `#rrggbb` is allowed.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        free: Option<FreeColor>,
    },
    /// Swaps one texture of a slot's material.
    Texture {
        /// What is changed.
        slot: Slot,
        /// Which texture.
        channel: TextureChannel,
        /// The choices.
        values: Vec<TextureValue>,
    },
    /// Shows or hides nodes.
    Visibility {
        /// glTF node names (each with everything below it).
        nodes: Vec<String>,
        /// Price delta while shown.
        #[serde(default)]
        price: i64,
        /// Production code while shown.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        code: Option<String>,
    },
    /// A personalization text slot.
    Text(TextSlot),
    /// A personalization image slot (the value is an image reference, alone
    /// or with adjustments: [`super::slots::ImageValue`]).
    Image(ImageSlot),
}

impl OptionKind {
    /// The kind's name as written in JSON.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Variant { .. } => "variant",
            Self::Material { .. } => "material",
            Self::Color { .. } => "color",
            Self::Texture { .. } => "texture",
            Self::Visibility { .. } => "visibility",
            Self::Text(_) => "text",
            Self::Image(_) => "image",
        }
    }
}

/// A value of a `variant` option.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VariantValue {
    /// Value id.
    pub id: String,
    /// Display label.
    pub label: String,
    /// The glTF variant name (`None` = the model's default materials).
    #[serde(default)]
    pub variant: Option<String>,
    /// Price delta in minor units.
    #[serde(default)]
    pub price: i64,
    /// Production code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

/// A value of a `material` option.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MaterialValue {
    /// Value id.
    pub id: String,
    /// Display label.
    pub label: String,
    /// A package material id or `library:<preset>`; `None` (`null`) keeps
    /// the model's own material, as `file: null` does for textures.
    #[serde(default)]
    pub material: Option<String>,
    /// Price delta in minor units.
    #[serde(default)]
    pub price: i64,
    /// Production code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

/// A named colour of a `color` option's palette.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaletteColor {
    /// Value id.
    pub id: String,
    /// Display label.
    pub label: String,
    /// sRGB hex colour.
    pub hex: String,
    /// Price delta in minor units.
    #[serde(default)]
    pub price: i64,
    /// Production code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

/// A value of a `texture` option.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TextureValue {
    /// Value id.
    pub id: String,
    /// Display label.
    pub label: String,
    /// The image, relative to the package (`None` = keep the model's).
    #[serde(default)]
    pub file: Option<PathBuf>,
    /// Price delta in minor units.
    #[serde(default)]
    pub price: i64,
    /// Production code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

/// How a chosen colour combines with the base colour texture.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ColorMode {
    /// The colour replaces the base colour texture (other textures stay).
    #[default]
    Replace,
    /// The colour multiplies the base colour texture.
    Tint,
}

/// Custom colours allowed on a `color` option, within HSL limits (CSS HSL of
/// the sRGB-encoded colour; hue in degrees, saturation and lightness 0–1).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FreeColor {
    /// Price delta of a custom colour, in minor units.
    #[serde(default)]
    pub price: i64,
    /// Production code of a custom colour.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Hue range in degrees; `[330, 30]` (min > max) wraps through 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hue: Option<[f64; 2]>,
    /// Saturation range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub saturation: Option<[f64; 2]>,
    /// Lightness range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lightness: Option<[f64; 2]>,
}
