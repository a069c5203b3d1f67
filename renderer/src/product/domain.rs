//! The domain of each option kind: canonical values, defaults, condition
//! matching, HSL limits and "did you mean" suggestions.

use super::config::ConfigError;
use super::definition::{Condition, OptionKind, ProductDefinition, ProductOption, short_value};
use super::slots::{ImageValue, TextValue};
use crate::color::parse_hex_rgb;
use crate::personalize::limits::LimitError;
use serde_json::Value;
use std::collections::BTreeMap;

/// Whether a condition holds for the options chosen so far (a missing
/// option, hidden or unknown, never satisfies it).
pub(crate) fn holds(
    d: &ProductDefinition,
    c: &Condition,
    chosen: &BTreeMap<String, Value>,
) -> bool {
    let (Some(v), Some(o)) = (chosen.get(&c.option), d.option(&c.option)) else {
        return false;
    };
    c.values.iter().any(|want| matches(o, want, v))
}

fn matches(o: &ProductOption, want: &Value, have: &Value) -> bool {
    match (&o.kind, want, have) {
        (OptionKind::Text(_), Value::String(w), have) => {
            let text = text_content(have);
            if w == "*" {
                !text.is_empty()
            } else {
                w == text
            }
        }
        (OptionKind::Image(_), Value::String(w), have) => {
            let image = image_reference(have);
            if w == "*" {
                !image.is_empty()
            } else {
                w == image
            }
        }
        (OptionKind::Color { .. }, Value::String(w), Value::String(h)) if w.starts_with('#') => {
            parse_hex_rgb(w).map(hex_string).is_ok_and(|w| &w == h)
        }
        _ => want == have,
    }
}

/// The content of a (canonical) text value: the string, or the object's
/// `text`.
pub(crate) fn text_content(v: &Value) -> &str {
    match v {
        Value::String(s) => s,
        Value::Object(m) => m.get("text").and_then(Value::as_str).unwrap_or(""),
        _ => "",
    }
}

/// The reference of a (canonical) image value: the string, or the
/// object's `image`.
pub(crate) fn image_reference(v: &Value) -> &str {
    match v {
        Value::String(s) => s,
        Value::Object(m) => m.get("image").and_then(Value::as_str).unwrap_or(""),
        _ => "",
    }
}

/// `#rrggbb`, lowercase.
pub(crate) fn hex_string(rgb: [u8; 3]) -> String {
    format!("#{:02x}{:02x}{:02x}", rgb[0], rgb[1], rgb[2])
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

const TEXT_VALUE: &str = "a text (a string, or an object with \"text\")";
const IMAGE_VALUE: &str = "an image reference (a string, or an object with \"image\")";

/// The canonical form of a value given for an option, or why it is not one.
pub(crate) fn canonical_value(o: &ProductOption, v: &Value) -> Result<Value, ConfigError> {
    let wrong = |expected: &str| ConfigError::WrongType {
        option: o.id.clone(),
        value: format!("{} ({})", short_value(v), type_name(v)),
        expected: expected.to_string(),
    };
    // An object names what is wrong inside it (a field, a type).
    let wrong_object = |expected: &str, e: String| {
        if v.is_object() {
            wrong(&format!("{expected}: {e}"))
        } else {
            wrong(expected)
        }
    };
    let ids = || {
        o.values()
            .iter()
            .map(|v| v.id.to_string())
            .collect::<Vec<_>>()
    };
    match &o.kind {
        OptionKind::Visibility { .. } => v
            .as_bool()
            .map(Value::Bool)
            .ok_or_else(|| wrong("true or false")),
        OptionKind::Image(slot) => {
            let value = ImageValue::from_json(v).map_err(|e| wrong_object(IMAGE_VALUE, e))?;
            match slot.check(&value) {
                Ok(()) => Ok(slot.canonical(&value)),
                Err(error) => Err(ConfigError::SlotLimit {
                    option: o.id.clone(),
                    error,
                }),
            }
        }
        OptionKind::Text(slot) => {
            let value = TextValue::from_json(v).map_err(|e| wrong_object(TEXT_VALUE, e))?;
            match slot.check(&value) {
                Ok(()) => Ok(slot.canonical(&value)),
                Err(LimitError::TooLong { length, max }) => Err(ConfigError::TextTooLong {
                    option: o.id.clone(),
                    value: short_value(&Value::String(value.text)),
                    length,
                    max,
                }),
                Err(error) => Err(ConfigError::SlotLimit {
                    option: o.id.clone(),
                    error,
                }),
            }
        }
        OptionKind::Color { free, .. } => {
            let s = v
                .as_str()
                .ok_or_else(|| wrong("a palette id or \"#rrggbb\" (a string)"))?;
            if o.value(s).is_some() {
                return Ok(Value::String(s.to_string()));
            }
            let looks_hex = s.trim_start().starts_with('#');
            let Some(free) = free else {
                return Err(if looks_hex {
                    ConfigError::FreeColorNotAllowed {
                        option: o.id.clone(),
                        value: s.to_string(),
                        allowed: ids(),
                    }
                } else {
                    ConfigError::NotInDomain {
                        option: o.id.clone(),
                        value: s.to_string(),
                        allowed: ids(),
                    }
                });
            };
            let rgb = match parse_hex_rgb(s) {
                Ok(rgb) => rgb,
                Err(_) if looks_hex => {
                    return Err(ConfigError::InvalidHex {
                        option: o.id.clone(),
                        value: s.to_string(),
                    });
                }
                Err(_) => {
                    let mut allowed = ids();
                    allowed.push("#rrggbb".to_string());
                    return Err(ConfigError::NotInDomain {
                        option: o.id.clone(),
                        value: s.to_string(),
                        allowed,
                    });
                }
            };
            let hex = hex_string(rgb);
            let (h, sat, l) = hsl(rgb);
            for (component, actual, limit) in [
                ("hue", h, free.hue),
                ("saturation", sat, free.saturation),
                ("lightness", l, free.lightness),
            ] {
                let Some([min, max]) = limit else { continue };
                const EPS: f64 = 1e-9;
                let inside = if component == "hue" && min > max {
                    actual >= min - EPS || actual <= max + EPS
                } else {
                    actual >= min - EPS && actual <= max + EPS
                };
                if !inside {
                    return Err(ConfigError::ColorOutOfLimits {
                        option: o.id.clone(),
                        value: hex,
                        component: component.to_string(),
                        actual,
                        min,
                        max,
                    });
                }
            }
            Ok(Value::String(hex))
        }
        OptionKind::Variant { .. } | OptionKind::Material { .. } | OptionKind::Texture { .. } => {
            let s = v.as_str().ok_or_else(|| wrong("a value id (a string)"))?;
            if o.value(s).is_some() {
                Ok(Value::String(s.to_string()))
            } else {
                Err(ConfigError::NotInDomain {
                    option: o.id.clone(),
                    value: s.to_string(),
                    allowed: ids(),
                })
            }
        }
    }
}

impl ProductOption {
    /// The canonical value the option takes when a configuration does not
    /// give one (the `default`, else the first value, `true` for
    /// visibility, empty for text and image).
    ///
    /// # Errors
    ///
    /// [`ConfigError::InvalidDefault`] when the definition's default is not
    /// in the domain, or there is nothing to default to.
    pub fn default_value(&self) -> Result<Value, ConfigError> {
        default_value(self)
    }
}

/// The value an option takes when a configuration does not give one.
pub(crate) fn default_value(o: &ProductOption) -> Result<Value, ConfigError> {
    let invalid = |value: String, reason: String| ConfigError::InvalidDefault {
        option: o.id.clone(),
        value,
        reason,
    };
    if let Some(d) = &o.default {
        return canonical_value(o, d).map_err(|e| invalid(short_value(d), e.to_string()));
    }
    match &o.kind {
        OptionKind::Visibility { .. } => Ok(Value::Bool(true)),
        OptionKind::Text(_) | OptionKind::Image(_) => Ok(Value::String(String::new())),
        _ => o
            .values()
            .first()
            .map(|v| Value::String(v.id.to_string()))
            .ok_or_else(|| {
                invalid(
                    "(none)".to_string(),
                    "the option has no values and no default".to_string(),
                )
            }),
    }
}

/// CSS HSL of an sRGB-encoded colour: hue in degrees [0, 360), saturation
/// and lightness in [0, 1].
pub fn hsl(rgb: [u8; 3]) -> (f64, f64, f64) {
    let [r, g, b] = rgb.map(|c| f64::from(c) / 255.0);
    let (max, min) = (r.max(g).max(b), r.min(g).min(b));
    let l = (max + min) / 2.0;
    let d = max - min;
    if d == 0.0 {
        return (0.0, 0.0, l);
    }
    let s = d / (1.0 - (2.0 * l - 1.0).abs());
    let h = if max == r {
        60.0 * ((g - b) / d).rem_euclid(6.0)
    } else if max == g {
        60.0 * ((b - r) / d + 2.0)
    } else {
        60.0 * ((r - g) / d + 4.0)
    };
    (h, s.min(1.0), l)
}

/// The candidate closest to `name` by edit distance, if close enough to be
/// a likely typo.
pub(crate) fn suggest<'a>(
    name: &str,
    candidates: impl Iterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = (name.chars().count() / 3).max(1);
    candidates
        .map(|c| (levenshtein(&name.to_lowercase(), &c.to_lowercase()), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}
