//! Checking a product definition: every problem at once, with and without
//! the model's names.

use super::config::Configuration;
use super::definition::{OptionKind, ProductDefinition};
use super::domain::suggest;
use super::look::Slot;
use super::package::{ProductPackage, material_color};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::path::{Component, Path};

/// The names a model offers, from its glTF (the renderer fills this from
/// the imported scene).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelInfo {
    /// KHR_materials_variants variant names.
    pub variants: Vec<String>,
    /// Material names (including materials only variants use).
    pub materials: Vec<String>,
    /// Mesh names.
    pub meshes: Vec<String>,
    /// Node names.
    pub nodes: Vec<String>,
}

/// What kind of problem a [`DefinitionProblem`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    /// An id has characters outside its allowed set, or is empty.
    InvalidId,
    /// A required text (name, version, label) is empty.
    Empty,
    /// The currency is not an ISO 4217 code.
    InvalidCurrency,
    /// A price is out of its range (the base price is negative).
    InvalidPrice,
    /// Two options, values, shots or templates share an id.
    DuplicateId,
    /// A choice option has nothing to choose, or a visibility option no node.
    EmptyDomain,
    /// A default outside the option's domain.
    InvalidDefault,
    /// A variant value names a variant the model lacks.
    UnknownVariant,
    /// A slot names a material, mesh or node the model lacks.
    UnknownSlotTarget,
    /// A visibility option names a node the model lacks.
    UnknownNode,
    /// A material value names no package material.
    UnknownMaterial,
    /// A `library:` reference or a `preset` names no library preset.
    UnknownPreset,
    /// A file the definition names does not exist.
    MissingFile,
    /// A path is absolute, leaves the package, or has the wrong extension.
    InvalidPath,
    /// A colour is not valid hex or its linear components are out of range.
    InvalidColor,
    /// A number is out of range (material parameters, shots, limits).
    InvalidNumber,
    /// A rule or `visible_when` names an unknown option.
    UnknownOption,
    /// A rule or `visible_when` names a value outside the option's domain.
    UnknownValue,
    /// `visible_when` conditions form a cycle.
    VisibilityCycle,
    /// A template is not a valid configuration.
    InvalidTemplate,
    /// `default_shot` names no shot.
    UnknownShot,
    /// More than one `variant` option (only one variant applies at a time).
    MultipleVariantOptions,
    /// A text slot's `allowed_chars` does not parse.
    InvalidCharSet,
    /// A text slot names a font that is neither bundled nor in the package.
    UnknownFont,
}

/// One problem of a product definition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DefinitionProblem {
    /// The kind of problem.
    pub kind: ProblemKind,
    /// Where: `option "sole" value "gum"`, `material "gum"`, `rule 2`…
    pub at: String,
    /// What is wrong, naming what is allowed.
    pub message: String,
}

impl DefinitionProblem {
    /// A problem.
    pub fn new(kind: ProblemKind, at: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            kind,
            at: at.into(),
            message: message.into(),
        }
    }
}

impl std::fmt::Display for DefinitionProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.at, self.message)
    }
}

/// The options in evaluation order (an option after the one its
/// `visible_when` tests) and the `visible_when` cycles (option ids).
/// Options on a cycle come last, in definition order.
pub(crate) fn evaluation_order(d: &ProductDefinition) -> (Vec<usize>, Vec<Vec<String>>) {
    let index = |id: &str| d.options.iter().position(|o| o.id == id);
    let mut state = vec![0u8; d.options.len()]; // 0 new, 1 on the path, 2 placed, 3 on a cycle
    let (mut order, mut cycles, mut late) = (Vec::new(), Vec::new(), Vec::new());
    for start in 0..d.options.len() {
        // Each option tests at most one option: follow the chain.
        let mut path = Vec::new();
        let mut at = Some(start);
        while let Some(i) = at.filter(|&i| state[i] == 0) {
            state[i] = 1;
            path.push(i);
            at = d.options[i]
                .visible_when
                .as_ref()
                .and_then(|c| index(&c.option));
        }
        if let Some(i) = at.filter(|&i| state[i] == 1) {
            let from = path.iter().position(|&p| p == i).unwrap_or(0);
            let cycle: Vec<usize> = path.drain(from..).collect();
            cycles.push(cycle.iter().map(|&c| d.options[c].id.clone()).collect());
            for c in cycle {
                state[c] = 3;
                late.push(c);
            }
        }
        // What remains depends on placed options (or on a cycle, and is
        // then evaluated after it).
        let after_cycle = at.is_some_and(|i| state[i] == 3);
        for &p in path.iter().rev() {
            state[p] = if after_cycle { 3 } else { 2 };
            if after_cycle {
                late.push(p)
            } else {
                order.push(p)
            }
        }
    }
    late.sort_unstable();
    order.extend(late);
    (order, cycles)
}

impl ProductPackage {
    /// Every problem of the definition that needs no model: ids, domains,
    /// defaults, references, files, colours, numbers, rules, templates,
    /// shots.
    pub fn check_self(&self) -> Vec<DefinitionProblem> {
        let mut out = Vec::new();
        let d = &self.definition;
        let mut push =
            |kind, at: &str, message: String| out.push(DefinitionProblem::new(kind, at, message));
        use ProblemKind::*;
        if !valid_id(&d.id) {
            push(
                InvalidId,
                "product",
                format!("id {:?} must be non-empty [a-z0-9-_]", d.id),
            );
        }
        for (field, v) in [("name", &d.name), ("version", &d.version)] {
            if v.trim().is_empty() {
                push(Empty, "product", format!("{field} is empty"));
            }
        }
        if d.currency.len() != 3 || !d.currency.bytes().all(|b| b.is_ascii_uppercase()) {
            push(
                InvalidCurrency,
                "product",
                format!(
                    "currency {:?} is not an ISO 4217 code like \"EUR\"",
                    d.currency
                ),
            );
        }
        if d.base_price < 0 {
            push(
                InvalidPrice,
                "product",
                format!("base_price {} is negative", d.base_price),
            );
        }
        let ext_ok = |p: &Path, exts: &[&str]| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| exts.contains(&e.to_ascii_lowercase().as_str()))
        };
        if !ext_ok(&d.model, &["glb", "gltf"]) {
            push(
                InvalidPath,
                "model",
                format!("{} is not a .glb or .gltf file", d.model.display()),
            );
        }
        if let Some(env) = &d.environment
            && !ext_ok(env, &["hdr", "exr"])
        {
            push(
                InvalidPath,
                "environment",
                format!("{} is not an .hdr or .exr file", env.display()),
            );
        }
        for (at, path) in self.referenced_files() {
            let rel = path.strip_prefix(&self.dir).unwrap_or(&path);
            if !path.starts_with(&self.dir)
                || rel.components().any(|c| !matches!(c, Component::Normal(_)))
            {
                push(
                    InvalidPath,
                    &at,
                    format!(
                        "{} must be relative to the package folder and stay inside it",
                        rel.display()
                    ),
                );
            } else if !path.is_file() {
                push(
                    MissingFile,
                    &at,
                    format!(
                        "file {} does not exist in {}",
                        rel.display(),
                        self.dir.display()
                    ),
                );
            }
        }
        duplicates(d.shots.iter().map(|s| s.id.as_str()), "shot", &mut push);
        for s in &d.shots {
            let at = format!("shot {:?}", s.id);
            let bad = |v: f32, lo: f32, hi: f32| !(v.is_finite() && v > lo && v < hi);
            let distance_bad =
                matches!(s.distance, super::ShotDistance::Metres(m) if !(m.is_finite() && m > 0.0));
            for (name, is_bad, range) in [
                ("fov", bad(s.fov, 0.0, 180.0), "(0, 180) degrees"),
                ("pitch", bad(s.pitch, -90.0, 90.0), "(-90, 90) degrees"),
                ("yaw", !s.yaw.is_finite(), "finite degrees"),
                ("distance", distance_bad, "\"fit\" or metres > 0"),
                (
                    "target",
                    s.target.is_some_and(|t| t.iter().any(|c| !c.is_finite())),
                    "finite [x, y, z]",
                ),
            ] {
                if is_bad {
                    push(InvalidNumber, &at, format!("{name} must be {range}"));
                }
            }
        }
        if let Some(id) = &d.default_shot
            && d.shot(id).is_none()
        {
            let known: Vec<&str> = d.shots.iter().map(|s| s.id.as_str()).collect();
            push(
                UnknownShot,
                "default_shot",
                format!("no shot {id:?} (shots: {})", known.join(", ")),
            );
        }
        for (id, m) in &d.materials {
            let at = format!("material {id:?}");
            for (field, c) in m.colors() {
                if let Err(msg) = material_color(c) {
                    push(InvalidColor, &at, format!("{field}: {msg}"));
                }
            }
            if let Some(name) = &m.preset
                && super::library::find(name).is_none()
            {
                let hint = suggest(name, super::library::names().into_iter());
                push(
                    UnknownPreset,
                    &at,
                    format!("no library preset {name:?}{}", did_you_mean(hint)),
                );
            }
            let unit = [
                ("metallic", m.metallic),
                ("roughness", m.roughness),
                ("transmission", m.transmission),
                ("sheen_roughness", m.sheen_roughness),
                ("clearcoat", m.clearcoat),
                ("clearcoat_roughness", m.clearcoat_roughness),
                ("anisotropy_strength", m.anisotropy_strength),
            ];
            for (field, v) in unit {
                if let Some(v) = v.filter(|v| !(0.0..=1.0).contains(v)) {
                    push(InvalidNumber, &at, format!("{field} {v} is outside [0, 1]"));
                }
            }
            let positive = [
                (
                    "ior",
                    m.ior.filter(|v| !(v.is_finite() && *v >= 1.0)),
                    "at least 1",
                ),
                (
                    "dispersion",
                    m.dispersion.filter(|v| !(v.is_finite() && *v >= 0.0)),
                    "at least 0",
                ),
                (
                    "attenuation_distance",
                    m.attenuation_distance.filter(|v| v.is_nan() || *v <= 0.0),
                    "positive",
                ),
                (
                    "normal_scale",
                    m.normal_scale.filter(|v| !v.is_finite()),
                    "finite",
                ),
                (
                    "anisotropy_rotation",
                    m.anisotropy_rotation.filter(|v| !v.is_finite()),
                    "finite",
                ),
                (
                    "uv_scale",
                    m.uv_scale
                        .filter(|s| s.iter().any(|v| !v.is_finite() || *v == 0.0))
                        .map(|_| 0.0),
                    "finite and non-zero",
                ),
            ];
            for (field, v, what) in positive {
                if let Some(v) = v {
                    push(InvalidNumber, &at, format!("{field} {v} must be {what}"));
                }
            }
        }
        self.check_options(&mut push);
        for (i, r) in d.rules.iter().enumerate() {
            let at = format!("rule {i}");
            self.check_condition(&r.when, &at, "if", &mut push);
            self.check_condition(&r.then, &at, "then", &mut push);
        }
        duplicates(
            d.templates.iter().map(|t| t.id.as_str()),
            "template",
            &mut push,
        );
        for t in &d.templates {
            let cfg = Configuration {
                product: d.id.clone(),
                selections: t.selections.clone(),
            };
            if let Err(errors) = self.validate(&cfg) {
                let msgs: Vec<String> = errors.iter().map(ToString::to_string).collect();
                push(
                    InvalidTemplate,
                    &format!("template {:?}", t.id),
                    msgs.join("; "),
                );
            }
        }
        out
    }

    /// [`Self::check_self`] plus every reference to the model: variants,
    /// slot materials/meshes/nodes, visibility nodes.
    pub fn check(&self, model: &ModelInfo) -> Vec<DefinitionProblem> {
        let mut out = self.check_self();
        let has = |list: &[String], name: &str| list.iter().any(|n| n == name);
        let missing = |what: &str, name: &str, list: &[String]| {
            let hint = suggest(name, list.iter().map(String::as_str));
            format!("the model has no {what} {name:?}{}", did_you_mean(hint))
        };
        for o in &self.definition.options {
            let at = format!("option {:?}", o.id);
            if let OptionKind::Variant { values } = &o.kind {
                for v in values {
                    if let Some(name) = &v.variant
                        && !has(&model.variants, name)
                    {
                        let msg = missing("variant", name, &model.variants);
                        out.push(DefinitionProblem::new(
                            ProblemKind::UnknownVariant,
                            format!("{at} value {:?}", v.id),
                            msg,
                        ));
                    }
                }
            }
            if let Some(slot) = o.slot() {
                let (what, name, list) = match slot {
                    Slot::Material(n) => ("material", n, &model.materials),
                    Slot::Mesh(n) => ("mesh", n, &model.meshes),
                    Slot::Node(n) => ("node", n, &model.nodes),
                };
                if !has(list, name) {
                    out.push(DefinitionProblem::new(
                        ProblemKind::UnknownSlotTarget,
                        at.clone(),
                        missing(what, name, list),
                    ));
                }
            }
            out.extend(super::check_slots::placement_problems(o, model));
            if let OptionKind::Visibility { nodes, .. } = &o.kind {
                for n in nodes.iter().filter(|n| !has(&model.nodes, n)) {
                    out.push(DefinitionProblem::new(
                        ProblemKind::UnknownNode,
                        at.clone(),
                        missing("node", n, &model.nodes),
                    ));
                }
            }
        }
        out
    }
}

pub(super) fn did_you_mean(hint: Option<&str>) -> String {
    hint.map(|h| format!(" (did you mean {h:?}?)"))
        .unwrap_or_default()
}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

pub(super) fn duplicates<'a>(
    ids: impl Iterator<Item = &'a str>,
    what: &str,
    push: &mut impl FnMut(ProblemKind, &str, String),
) {
    let mut seen = BTreeSet::new();
    let mut reported = BTreeSet::new();
    for id in ids {
        if !seen.insert(id) && reported.insert(id) {
            push(
                ProblemKind::DuplicateId,
                what,
                format!("id {id:?} is used more than once"),
            );
        }
    }
}
