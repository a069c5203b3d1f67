//! Checks of the options and of conditions (rules, `visible_when`).

use super::check::{ProblemKind, did_you_mean, duplicates, evaluation_order};
use super::definition::{Condition, OptionKind};
use super::domain::{canonical_value, default_value, suggest};
use super::package::ProductPackage;
use crate::color::parse_hex_rgb;

impl ProductPackage {
    pub(super) fn check_options(&self, push: &mut impl FnMut(ProblemKind, &str, String)) {
        use ProblemKind::*;
        let d = &self.definition;
        duplicates(d.options.iter().map(|o| o.id.as_str()), "option", push);
        let variant_options = d
            .options
            .iter()
            .filter(|o| matches!(o.kind, OptionKind::Variant { .. }))
            .count();
        if variant_options > 1 {
            push(
                MultipleVariantOptions,
                "options",
                format!("{variant_options} variant options; only one variant applies at a time"),
            );
        }
        for o in &d.options {
            let at = format!("option {:?}", o.id);
            if o.id.is_empty() || o.id.chars().any(|c| c.is_whitespace() || c.is_control()) {
                push(
                    InvalidId,
                    &at,
                    "option ids must be non-empty, without spaces".to_string(),
                );
            }
            let values = o.values();
            duplicates(values.iter().map(|v| v.id), &format!("{at} value"), push);
            match &o.kind {
                OptionKind::Variant { values } if values.is_empty() => {
                    push(EmptyDomain, &at, "no values".into())
                }
                OptionKind::Material { values, .. } => {
                    if values.is_empty() {
                        push(EmptyDomain, &at, "no values".into());
                    }
                    for v in values {
                        // Package materials' own problems are reported once, above;
                        // no material keeps the model's.
                        let Some(material) = &v.material else {
                            continue;
                        };
                        let vat = format!("{at} value {:?}", v.id);
                        if let Some(name) = material.strip_prefix("library:") {
                            if super::library::find(name).is_none() {
                                let hint = suggest(name, super::library::names().into_iter());
                                push(
                                    UnknownPreset,
                                    &vat,
                                    format!("no library preset {name:?}{}", did_you_mean(hint)),
                                );
                            }
                        } else if !d.materials.contains_key(material) {
                            let known: Vec<&str> = d.materials.keys().map(String::as_str).collect();
                            push(
                                UnknownMaterial,
                                &vat,
                                format!(
                                    "no package material {material:?}{} (package materials: {}; or library:<preset>)",
                                    did_you_mean(suggest(material, known.iter().copied())),
                                    known.join(", ")
                                ),
                            );
                        }
                    }
                }
                OptionKind::Color { palette, free, .. } => {
                    if palette.is_empty() && free.is_none() {
                        push(
                            EmptyDomain,
                            &at,
                            "neither a palette nor free colours".into(),
                        );
                    }
                    if palette.is_empty() && o.default.is_none() {
                        push(
                            InvalidDefault,
                            &at,
                            "a colour option without a palette needs a default".into(),
                        );
                    }
                    for p in palette {
                        if parse_hex_rgb(&p.hex).is_err() {
                            push(
                                InvalidColor,
                                &format!("{at} value {:?}", p.id),
                                format!("{:?} is not \"#rrggbb\"", p.hex),
                            );
                        }
                    }
                    let limits = free.iter().flat_map(|f| {
                        [
                            ("hue", f.hue, 360.0),
                            ("saturation", f.saturation, 1.0),
                            ("lightness", f.lightness, 1.0),
                        ]
                    });
                    for (name, range, top) in limits {
                        if let Some([lo, hi]) = range
                            && !(0.0 <= lo
                                && lo <= top
                                && 0.0 <= hi
                                && hi <= top
                                && (name == "hue" || lo <= hi))
                        {
                            push(
                                InvalidNumber,
                                &at,
                                format!(
                                    "free {name} limits [{lo}, {hi}] must lie in [0, {top}] with min ≤ max"
                                ),
                            );
                        }
                    }
                }
                OptionKind::Texture { values, .. } if values.is_empty() => {
                    push(EmptyDomain, &at, "no values".into())
                }
                OptionKind::Visibility { nodes, .. } if nodes.is_empty() => {
                    push(EmptyDomain, &at, "names no nodes".into())
                }
                OptionKind::Text(slot) => self.check_text_slot(slot, &at, push),
                OptionKind::Image(slot) => self.check_image_slot(slot, &at, push),
                _ => {}
            }
            if o.default.is_some()
                && let Err(e) = default_value(o)
            {
                push(InvalidDefault, &at, e.to_string());
            }
            if let Some(c) = &o.visible_when {
                self.check_condition(c, &at, "visible_when", push);
            }
        }
        for cycle in evaluation_order(d).1 {
            let mut ids = cycle.clone();
            ids.push(cycle[0].clone());
            push(
                VisibilityCycle,
                "options",
                format!("visible_when conditions form a cycle: {}", ids.join(" → ")),
            );
        }
    }

    pub(super) fn check_condition(
        &self,
        c: &Condition,
        at: &str,
        what: &str,
        push: &mut impl FnMut(ProblemKind, &str, String),
    ) {
        let d = &self.definition;
        let Some(o) = d.option(&c.option) else {
            let hint = suggest(&c.option, d.options.iter().map(|o| o.id.as_str()));
            push(
                ProblemKind::UnknownOption,
                at,
                format!(
                    "{what} names unknown option {:?}{}",
                    c.option,
                    did_you_mean(hint)
                ),
            );
            return;
        };
        if c.values.is_empty() {
            push(
                ProblemKind::UnknownValue,
                at,
                format!("{what}: an empty \"in\" list never holds"),
            );
        }
        for v in &c.values {
            let ok = match &o.kind {
                OptionKind::Text(_) | OptionKind::Image(_) => v.is_string(),
                _ => canonical_value(o, v).is_ok(),
            };
            if !ok {
                let allowed: Vec<String> = match &o.kind {
                    OptionKind::Visibility { .. } => vec!["true".into(), "false".into()],
                    OptionKind::Text(_) | OptionKind::Image(_) => {
                        vec!["\"*\" (non-empty)".into(), "a string".into()]
                    }
                    _ => o.values().iter().map(|v| v.id.to_string()).collect(),
                };
                push(
                    ProblemKind::UnknownValue,
                    at,
                    format!(
                        "{what}: option {:?} has no value {v}; allowed: {}",
                        c.option,
                        allowed.join(", ")
                    ),
                );
            }
        }
    }
}
