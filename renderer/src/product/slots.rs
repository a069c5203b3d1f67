//! Personalization slots: what a `text` or `image` option declares beyond
//! its price (physical size, placement on the product, finish, limits,
//! defaults), and the value a configuration gives a text or image slot.
//! Plain data: checks that need fonts or pixels are in
//! [`crate::personalize`].

use crate::personalize::fonts::{DEFAULT_FAMILY, bundled_family};
use crate::personalize::image::{Fit, ImageLimits};
use crate::personalize::limits::{
    CharSet, LimitError, check_color, check_range, check_text, normalize_color,
};
use crate::personalize::text::{Align, TextSpec};
use serde::{Deserialize, Serialize};

/// The size of a text slot that declares none, in millimetres.
pub const DEFAULT_TEXT_SLOT_MM: [f32; 2] = [100.0, 30.0];
/// The size of an image slot that declares none, in millimetres.
pub const DEFAULT_IMAGE_SLOT_MM: [f32; 2] = [80.0, 80.0];
/// The smallest text auto-fit may reach when a slot sets no `min_size_mm`.
pub const DEFAULT_MIN_TEXT_MM: f32 = 2.0;
/// Line height (a multiple of the size) when a slot sets none.
pub const DEFAULT_LINE_HEIGHT: f32 = 1.2;

/// Where a slot lies on the product.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Placement {
    /// A rectangle in a material's UV space.
    Uv {
        /// The glTF material name.
        material: String,
        /// `[u0, v0, u1, v1]`, each in [0, 1], u0 < u1, v0 < v1.
        rect: [f32; 4],
    },
    /// An oriented box projector onto the mesh.
    Projector {
        /// The box's centre on the surface, metres (model space).
        position: [f32; 3],
        /// Projection direction (into the surface).
        direction: [f32; 3],
        /// The decal's up direction (not parallel to `direction`).
        up: [f32; 3],
        /// Width and height of the projected area, millimetres.
        size_mm: [f32; 2],
        /// Depth of the box along `direction`, millimetres (clips the far side).
        depth_mm: f32,
        /// glTF mesh names the projector paints (empty: every mesh).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        meshes: Vec<String>,
    },
}

/// How a decal meets the material.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum FinishKind {
    /// Ink on the surface: replaces the albedo, keeps the surface's
    /// roughness unless one is set.
    #[default]
    Print,
    /// Raised thread relief with sheen.
    Embroidery,
    /// Relief pressed up out of the surface.
    Emboss,
    /// Relief pressed down into the surface (cavity darkening).
    Deboss,
    /// Cut into the surface: a darker, rougher cavity (leather, metal).
    Engrave,
    /// Metallic foil in the decal colour.
    Foil,
}

/// The JSON names of the finish kinds, in declaration order.
const FINISH_NAMES: [(&str, FinishKind); 6] = [
    ("print", FinishKind::Print),
    ("embroidery", FinishKind::Embroidery),
    ("emboss", FinishKind::Emboss),
    ("deboss", FinishKind::Deboss),
    ("engrave", FinishKind::Engrave),
    ("foil", FinishKind::Foil),
];

impl FinishKind {
    /// Relief height or depth in millimetres when a finish sets none.
    fn default_depth(self) -> f32 {
        match self {
            Self::Print => 0.0,
            Self::Embroidery => 0.8,
            Self::Emboss | Self::Deboss => 0.5,
            Self::Engrave => 0.3,
            Self::Foil => 0.05,
        }
    }

    /// Roughness of the decorated area when a finish sets none (`None`:
    /// the surface's own).
    fn default_roughness(self) -> Option<f32> {
        match self {
            Self::Embroidery => Some(0.8),
            Self::Foil => Some(0.2),
            Self::Print | Self::Emboss | Self::Deboss | Self::Engrave => None,
        }
    }
}

/// A slot's finish: its kind and optional physical parameters.
///
/// In JSON a plain kind (`"embroidery"`) or an object
/// (`{"kind": "engrave", "depth_mm": 0.2, "roughness": 0.4}`); written back
/// as the plain kind when it sets no parameters.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Finish {
    /// What kind of finish.
    pub kind: FinishKind,
    /// Relief height (emboss, embroidery, foil) or depth (deboss, engrave), millimetres.
    pub depth_mm: Option<f32>,
    /// Roughness of the decorated area (`None`: the finish's default, see `roughness()`).
    pub roughness: Option<f32>,
}

/// The object form of a [`Finish`].
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FinishObject {
    kind: FinishKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    depth_mm: Option<f32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    roughness: Option<f32>,
}

impl Finish {
    /// The relief height or depth in millimetres: `depth_mm`, else the
    /// kind's default (print 0, embroidery 0.8, emboss and deboss 0.5,
    /// engrave 0.3, foil 0.05).
    pub fn depth(&self) -> f32 {
        self.depth_mm.unwrap_or(self.kind.default_depth())
    }

    /// The roughness of the decorated area: `roughness`, else the kind's
    /// default (embroidery 0.8, foil 0.2; `None` for the others: the
    /// surface keeps its own).
    pub fn roughness(&self) -> Option<f32> {
        self.roughness.or(self.kind.default_roughness())
    }
}

impl Serialize for Finish {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.depth_mm.is_none() && self.roughness.is_none() {
            self.kind.serialize(s)
        } else {
            FinishObject {
                kind: self.kind,
                depth_mm: self.depth_mm,
                roughness: self.roughness,
            }
            .serialize(s)
        }
    }
}

impl<'de> Deserialize<'de> for Finish {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::{self, MapAccess, Visitor};
        struct FinishVisitor;
        impl<'de> Visitor<'de> for FinishVisitor {
            type Value = Finish;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(
                    "a finish: one of print, embroidery, emboss, deboss, engrave, foil, \
                     or an object {\"kind\", \"depth_mm\", \"roughness\"}",
                )
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Finish, E> {
                let kind = FINISH_NAMES
                    .iter()
                    .find(|(n, _)| *n == v)
                    .map(|(_, k)| *k)
                    .ok_or_else(|| {
                        let names: Vec<&str> = FINISH_NAMES.iter().map(|(n, _)| *n).collect();
                        E::custom(format!(
                            "unknown finish {v:?}; finishes: {}",
                            names.join(", ")
                        ))
                    })?;
                Ok(Finish {
                    kind,
                    ..Finish::default()
                })
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Finish, A::Error> {
                let o = FinishObject::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(Finish {
                    kind: o.kind,
                    depth_mm: o.depth_mm,
                    roughness: o.roughness,
                })
            }
        }
        d.deserialize_any(FinishVisitor)
    }
}

/// How far a customer may move, scale and rotate a decal within its slot.
/// Left out: not at all.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Adjust {
    /// Largest offset from the slot's centre, `[x, y]` millimetres each way.
    #[serde(default)]
    pub move_mm: [f32; 2],
    /// Allowed scale range `[min, max]`.
    #[serde(default = "unit_range")]
    pub scale: [f32; 2],
    /// Allowed rotation range `[min, max]` in degrees (counter-clockwise).
    #[serde(default)]
    pub rotate_deg: [f32; 2],
}

fn unit_range() -> [f32; 2] {
    [1.0, 1.0]
}

impl Default for Adjust {
    fn default() -> Self {
        Self {
            move_mm: [0.0, 0.0],
            scale: unit_range(),
            rotate_deg: [0.0, 0.0],
        }
    }
}

/// An outline under a text's fill.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StrokeDef {
    /// sRGB hex colour.
    pub color: String,
    /// Width outside the glyph edge, millimetres.
    pub width_mm: f32,
}

/// A `text` option: price, production code, the slot and its limits.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TextSlot {
    /// Longest text, in characters (grapheme clusters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<usize>,
    /// Price delta when non-empty.
    #[serde(default)]
    pub price: i64,
    /// Production code when non-empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Physical `[width, height]` in millimetres (default [`DEFAULT_TEXT_SLOT_MM`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size_mm: Option<[f32; 2]>,
    /// Where the slot lies on the product (`None`: artwork only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub placement: Option<Placement>,
    /// Move/scale/rotate limits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adjust: Option<Adjust>,
    /// Most lines (`\n`-separated); default 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_lines: Option<usize>,
    /// Allowed characters ([`CharSet`] syntax, e.g. `"A-Z0-9 "`); default any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_chars: Option<String>,
    /// Allowed fonts (role aliases, bundled or package families); empty:
    /// any bundled font.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fonts: Vec<String>,
    /// Allowed colours (`#rrggbb`); empty: any colour.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub colors: Vec<String>,
    /// Default font (else the first of `fonts`, else `sans`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub font: Option<String>,
    /// Default colour (else the first of `colors`, else black).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
    /// Default text size (em) in millimetres; `None`: auto-fit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text_size_mm: Option<f32>,
    /// Smallest text size in millimetres (default [`DEFAULT_MIN_TEXT_MM`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_size_mm: Option<f32>,
    /// Default outline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stroke: Option<StrokeDef>,
    /// Default alignment (centre).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub align: Option<Align>,
    /// Default letter spacing in em (0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub letter_spacing: Option<f32>,
    /// Default line height, a multiple of the size (1.2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line_height: Option<f32>,
    /// How the decal meets the material (default print).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finish: Option<Finish>,
}

/// An `image` option: price, production code, the slot and its limits.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImageSlot {
    /// Price delta when non-empty.
    #[serde(default)]
    pub price: i64,
    /// Production code when non-empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Physical `[width, height]` in millimetres (default [`DEFAULT_IMAGE_SLOT_MM`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size_mm: Option<[f32; 2]>,
    /// Where the slot lies on the product (`None`: artwork only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub placement: Option<Placement>,
    /// Move/scale/rotate limits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adjust: Option<Adjust>,
    /// How the image fills the slot (default contain).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fit: Option<Fit>,
    /// Largest upload in bytes (default 20 MB).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_bytes: Option<usize>,
    /// Most pixels of a raster upload (default 50 MP).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_pixels: Option<u64>,
    /// How the decal meets the material (default print).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finish: Option<Finish>,
}

impl ImageSlot {
    /// Physical size in millimetres.
    pub fn size(&self) -> [f32; 2] {
        self.size_mm.unwrap_or(DEFAULT_IMAGE_SLOT_MM)
    }

    /// The upload limits.
    pub fn limits(&self) -> ImageLimits {
        let d = ImageLimits::default();
        ImageLimits {
            max_bytes: self.max_bytes.unwrap_or(d.max_bytes),
            max_pixels: self.max_pixels.unwrap_or(d.max_pixels),
            ..d
        }
    }

    /// The finish (print when unset).
    pub fn finish(&self) -> Finish {
        self.finish.unwrap_or_default()
    }

    /// The move/scale/rotate limits (none when unset).
    pub fn adjust(&self) -> Adjust {
        self.adjust.clone().unwrap_or_default()
    }

    /// Checks a value's offset, scale and rotation against the slot's
    /// `adjust` limits (the image itself is checked when it is loaded).
    ///
    /// # Errors
    ///
    /// The first [`LimitError`]: move, scale, then rotate.
    pub fn check(&self, v: &ImageValue) -> Result<(), LimitError> {
        check_transform(&self.adjust(), &v.transform())
    }

    /// The canonical JSON of a value already [`Self::check`]ed: adjustments
    /// equal to the defaults dropped, and a plain string when none is left
    /// (an empty image has no content, so no adjustments either).
    pub fn canonical(&self, v: &ImageValue) -> serde_json::Value {
        let (offset_mm, scale, rotate_deg) =
            canonical_transform(v.offset_mm, v.scale, v.rotate_deg);
        let c = ImageValue {
            image: v.image.clone(),
            offset_mm,
            scale,
            rotate_deg,
        };
        if v.image.is_empty() || (offset_mm, scale, rotate_deg) == (None, None, None) {
            serde_json::Value::String(v.image.clone())
        } else {
            json_through_text(&c)
        }
    }
}

/// Where a decal lies within its slot: the value's adjustments with their
/// defaults filled in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DecalTransform {
    /// Offset from the slot's centre, `[x, y]` millimetres.
    pub offset_mm: [f32; 2],
    /// Scale (1: the slot's size).
    pub scale: f32,
    /// Rotation in degrees, counter-clockwise.
    pub rotate_deg: f32,
}

impl Default for DecalTransform {
    /// No offset, scale 1, no rotation.
    fn default() -> Self {
        Self {
            offset_mm: [0.0, 0.0],
            scale: 1.0,
            rotate_deg: 0.0,
        }
    }
}

impl DecalTransform {
    fn of(offset_mm: Option<[f32; 2]>, scale: Option<f32>, rotate_deg: Option<f32>) -> Self {
        let d = Self::default();
        Self {
            offset_mm: offset_mm.unwrap_or(d.offset_mm),
            scale: scale.unwrap_or(d.scale),
            rotate_deg: rotate_deg.unwrap_or(d.rotate_deg),
        }
    }
}

/// Checks a decal's offset, scale and rotation against a slot's limits.
fn check_transform(a: &Adjust, t: &DecalTransform) -> Result<(), LimitError> {
    let [ox, oy] = t.offset_mm;
    check_range(
        "offset x",
        ox,
        [-a.move_mm[0], a.move_mm[0]],
        "adjust.move_mm",
    )?;
    check_range(
        "offset y",
        oy,
        [-a.move_mm[1], a.move_mm[1]],
        "adjust.move_mm",
    )?;
    check_range("scale", t.scale, a.scale, "adjust.scale")?;
    check_range("rotation", t.rotate_deg, a.rotate_deg, "adjust.rotate_deg")
}

/// Offset, scale and rotation with the values equal to the defaults dropped.
fn canonical_transform(
    offset_mm: Option<[f32; 2]>,
    scale: Option<f32>,
    rotate_deg: Option<f32>,
) -> (Option<[f32; 2]>, Option<f32>, Option<f32>) {
    let d = DecalTransform::default();
    (
        offset_mm.filter(|o| *o != d.offset_mm),
        scale.filter(|s| *s != d.scale),
        rotate_deg.filter(|r| *r != d.rotate_deg),
    )
}

/// A value's JSON through text: an f32 becomes its shortest decimal (0.1,
/// not 0.10000000149011612), which parses back to the same f32.
fn json_through_text<T: Serialize>(v: &T) -> serde_json::Value {
    serde_json::to_string(v)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or(serde_json::Value::Null)
}

/// The value of an image option: a reference string, or an object with the
/// reference and adjustments.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImageValue {
    /// The image reference (a file path for the CLI, `sha256:<hex>` for the
    /// server); empty: no image.
    pub image: String,
    /// Offset from the slot's centre, millimetres.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset_mm: Option<[f32; 2]>,
    /// Scale.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale: Option<f32>,
    /// Rotation in degrees, counter-clockwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rotate_deg: Option<f32>,
}

impl ImageValue {
    /// A value from configuration JSON: a string or an object.
    ///
    /// # Errors
    ///
    /// The parse error's message (wrong type, unknown field).
    pub fn from_json(v: &serde_json::Value) -> Result<Self, String> {
        string_or_object(
            v,
            |image| Self {
                image,
                ..Self::default()
            },
            "an image reference (a string, or an object with \"image\")",
        )
    }

    /// The offset, scale and rotation, defaults filled in.
    pub fn transform(&self) -> DecalTransform {
        DecalTransform::of(self.offset_mm, self.scale, self.rotate_deg)
    }
}

/// The value of a text option: a plain string (the content, slot defaults
/// for the rest) or an object with the content and any overrides.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TextValue {
    /// The content; `\n` separates lines.
    pub text: String,
    /// Font (role alias or family).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub font: Option<String>,
    /// Fill colour, `#rrggbb`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
    /// Outline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stroke: Option<StrokeDef>,
    /// Letter spacing in em.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub letter_spacing: Option<f32>,
    /// Line height, a multiple of the size.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line_height: Option<f32>,
    /// Alignment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub align: Option<Align>,
    /// Text size (em) in millimetres (`None`: the slot's, or auto-fit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size_mm: Option<f32>,
    /// Offset from the slot's centre, millimetres.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset_mm: Option<[f32; 2]>,
    /// Scale.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale: Option<f32>,
    /// Rotation in degrees, counter-clockwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rotate_deg: Option<f32>,
}

/// A slot value from configuration JSON: a plain string through
/// `from_string`, an object deserialised field by field, anything else the
/// `expected` message.
fn string_or_object<T: serde::de::DeserializeOwned>(
    v: &serde_json::Value,
    from_string: impl FnOnce(String) -> T,
    expected: &str,
) -> Result<T, String> {
    match v {
        serde_json::Value::String(s) => Ok(from_string(s.clone())),
        serde_json::Value::Object(_) => {
            serde_json::from_value(v.clone()).map_err(|e| e.to_string())
        }
        _ => Err(expected.to_string()),
    }
}

/// The comparable identity of a font name (role aliases resolved).
fn font_key(name: &str) -> String {
    bundled_family(name).unwrap_or(name.trim()).to_lowercase()
}

impl TextValue {
    /// A value from configuration JSON: a string or an object.
    ///
    /// # Errors
    ///
    /// The parse error's message (wrong type, unknown field).
    pub fn from_json(v: &serde_json::Value) -> Result<Self, String> {
        string_or_object(
            v,
            |text| Self {
                text,
                ..Self::default()
            },
            "a text (a string, or an object with \"text\")",
        )
    }

    /// The offset, scale and rotation, defaults filled in.
    pub fn transform(&self) -> DecalTransform {
        DecalTransform::of(self.offset_mm, self.scale, self.rotate_deg)
    }
}

impl TextSlot {
    /// Physical size in millimetres.
    pub fn size(&self) -> [f32; 2] {
        self.size_mm.unwrap_or(DEFAULT_TEXT_SLOT_MM)
    }

    /// The default font.
    pub fn default_font(&self) -> &str {
        self.font
            .as_deref()
            .or(self.fonts.first().map(String::as_str))
            .unwrap_or(DEFAULT_FAMILY)
    }

    /// The default colour, `#rrggbb` (black when unset or invalid).
    pub fn default_color(&self) -> String {
        self.color
            .as_deref()
            .or(self.colors.first().map(String::as_str))
            .and_then(|c| normalize_color("colour", c).ok())
            .unwrap_or_else(|| "#000000".to_string())
    }

    /// The smallest text size in millimetres.
    pub fn min_size(&self) -> f32 {
        self.min_size_mm.unwrap_or(DEFAULT_MIN_TEXT_MM)
    }

    /// The move/scale/rotate limits (none when unset).
    pub fn adjust(&self) -> Adjust {
        self.adjust.clone().unwrap_or_default()
    }

    /// The finish (print when unset).
    pub fn finish(&self) -> Finish {
        self.finish.unwrap_or_default()
    }

    /// Checks a value against every limit that needs no fonts.
    ///
    /// # Errors
    ///
    /// The first [`LimitError`]: text (length, characters, lines), font,
    /// colours, size, then move/scale/rotate.
    pub fn check(&self, v: &TextValue) -> Result<(), LimitError> {
        let set = self
            .allowed_chars
            .as_deref()
            .and_then(|d| CharSet::parse(d).ok());
        check_text(
            &v.text,
            self.max_length,
            self.max_lines.unwrap_or(1),
            set.as_ref(),
        )?;
        if let Some(font) = &v.font {
            let key = font_key(font);
            let ok = if self.fonts.is_empty() {
                bundled_family(font).is_some() || key == font_key(self.default_font())
            } else {
                self.fonts.iter().any(|f| font_key(f) == key)
            };
            if !ok {
                let allowed = if self.fonts.is_empty() {
                    crate::personalize::fonts::bundled_names()
                        .into_iter()
                        .map(str::to_string)
                        .collect()
                } else {
                    self.fonts.clone()
                };
                return Err(LimitError::FontNotAllowed {
                    font: font.clone(),
                    allowed,
                });
            }
        }
        if let Some(c) = &v.color {
            check_color("colour", c, &self.colors)?;
        }
        if let Some(s) = &v.stroke {
            check_color("stroke colour", &s.color, &self.colors)?;
            check_range(
                "stroke width_mm",
                s.width_mm,
                [0.0, self.size()[1] / 4.0],
                "stroke",
            )?;
        }
        if let Some(size) = v.size_mm
            && !(size.is_finite() && size >= self.min_size())
        {
            return Err(LimitError::TooSmall {
                size_mm: size,
                min_mm: self.min_size(),
            });
        }
        check_range(
            "letter_spacing",
            v.letter_spacing.unwrap_or(0.0),
            [-0.5, 2.0],
            "letter_spacing",
        )?;
        check_range(
            "line_height",
            v.line_height.unwrap_or(1.2),
            [0.5, 4.0],
            "line_height",
        )?;
        check_transform(&self.adjust(), &v.transform())
    }

    /// The canonical JSON of a value already [`Self::check`]ed: colours
    /// lowercase `#rrggbb`, fonts spelt as the slot lists them, every field
    /// equal to the slot's default dropped, and a plain string when only the
    /// content is left.
    pub fn canonical(&self, v: &TextValue) -> serde_json::Value {
        let mut c = v.clone();
        let norm = |s: &str| normalize_color("colour", s).unwrap_or_else(|_| s.to_string());
        c.font = v.font.as_ref().and_then(|f| {
            let key = font_key(f);
            if key == font_key(self.default_font()) {
                return None;
            }
            let listed = self.fonts.iter().find(|g| font_key(g) == key);
            Some(
                listed
                    .cloned()
                    .unwrap_or_else(|| bundled_family(f).unwrap_or(f.trim()).to_string()),
            )
        });
        c.color = v
            .color
            .as_deref()
            .map(norm)
            .filter(|c| *c != self.default_color());
        c.stroke = v.stroke.as_ref().map(|s| StrokeDef {
            color: norm(&s.color),
            width_mm: s.width_mm,
        });
        let slot_stroke = self.stroke.as_ref().map(|s| StrokeDef {
            color: norm(&s.color),
            width_mm: s.width_mm,
        });
        if c.stroke == slot_stroke {
            c.stroke = None;
        }
        let same = |a: Option<f32>, b: f32| a.filter(|a| *a != b);
        c.letter_spacing = same(v.letter_spacing, self.letter_spacing.unwrap_or(0.0));
        c.line_height = same(
            v.line_height,
            self.line_height.unwrap_or(DEFAULT_LINE_HEIGHT),
        );
        c.align = v.align.filter(|a| *a != self.align.unwrap_or_default());
        c.size_mm = v.size_mm.filter(|s| Some(*s) != self.text_size_mm);
        (c.offset_mm, c.scale, c.rotate_deg) =
            canonical_transform(v.offset_mm, v.scale, v.rotate_deg);
        if c == (TextValue {
            text: v.text.clone(),
            ..TextValue::default()
        }) {
            serde_json::Value::String(v.text.clone())
        } else {
            json_through_text(&c)
        }
    }

    /// What to draw for a value: its overrides over the slot's defaults.
    pub fn spec(&self, v: &TextValue) -> TextSpec {
        let stroke = v.stroke.as_ref().or(self.stroke.as_ref());
        TextSpec {
            content: v.text.clone(),
            font: v
                .font
                .clone()
                .unwrap_or_else(|| self.default_font().to_string()),
            color: v.color.clone().unwrap_or_else(|| self.default_color()),
            stroke: stroke.map(|s| (s.color.clone(), s.width_mm)),
            letter_spacing: v.letter_spacing.or(self.letter_spacing).unwrap_or(0.0),
            line_height: v
                .line_height
                .or(self.line_height)
                .unwrap_or(DEFAULT_LINE_HEIGHT),
            align: v.align.or(self.align).unwrap_or_default(),
            size_mm: v.size_mm.or(self.text_size_mm),
            min_size_mm: self.min_size(),
            kerning: true,
            ligatures: true,
        }
    }
}
