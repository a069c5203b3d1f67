//! Checks of personalization slots (`text` and `image` options): sizes,
//! placement, finish, move/scale/rotate limits, character sets, fonts and
//! colours.

use super::check::{DefinitionProblem, ModelInfo, ProblemKind};
use super::definition::{OptionKind, ProductOption};
use super::package::ProductPackage;
use super::slots::{Adjust, Finish, ImageSlot, Placement, TextSlot};
use crate::personalize::fonts::bundled_family;
use crate::personalize::limits::{CharSet, normalize_color};

type Push<'a> = dyn FnMut(ProblemKind, &str, String) + 'a;

fn finite_positive(v: f32) -> bool {
    v.is_finite() && v > 0.0
}

impl ProductPackage {
    /// The families of the fonts in the package's `fonts/` folder.
    pub fn package_font_families(&self) -> Vec<String> {
        let mut db = cosmic_text::fontdb::Database::new();
        db.load_fonts_dir(self.dir.join("fonts"));
        let mut names: Vec<String> = db
            .faces()
            .filter_map(|f| f.families.first().map(|(n, _)| n.clone()))
            .collect();
        names.sort();
        names.dedup();
        names
    }

    pub(super) fn check_text_slot(&self, s: &TextSlot, at: &str, push: &mut Push<'_>) {
        use ProblemKind::*;
        for (name, v) in [("max_length", s.max_length), ("max_lines", s.max_lines)] {
            if v == Some(0) {
                push(InvalidNumber, at, format!("{name} must be at least 1"));
            }
        }
        check_geometry(s.size_mm, s.placement.as_ref(), s.adjust.as_ref(), at, push);
        check_finish(s.finish.as_ref(), at, push);
        if let Some(d) = &s.allowed_chars
            && let Err(e) = CharSet::parse(d)
        {
            push(InvalidCharSet, at, format!("allowed_chars {d:?}: {e}"));
        }
        let package_fonts = if s
            .fonts
            .iter()
            .chain(&s.font)
            .any(|f| bundled_family(f).is_none())
        {
            self.package_font_families()
        } else {
            Vec::new()
        };
        for f in s.fonts.iter().chain(&s.font) {
            if bundled_family(f).is_none()
                && !package_fonts.iter().any(|p| p.eq_ignore_ascii_case(f))
            {
                let mut known: Vec<String> = crate::personalize::fonts::bundled_names()
                    .into_iter()
                    .map(str::to_string)
                    .collect();
                known.extend(package_fonts.iter().cloned());
                push(
                    UnknownFont,
                    at,
                    format!(
                        "no font {f:?} (bundled or in the package's fonts/): {}",
                        known.join(", ")
                    ),
                );
            }
        }
        let key = |f: &str| bundled_family(f).unwrap_or(f).to_lowercase();
        if let Some(f) = &s.font
            && !s.fonts.is_empty()
            && !s.fonts.iter().any(|g| key(g) == key(f))
        {
            push(
                InvalidDefault,
                at,
                format!("default font {f:?} is not in fonts"),
            );
        }
        let stroke_color = s.stroke.as_ref().map(|st| &st.color);
        for c in s.colors.iter().chain(&s.color).chain(stroke_color) {
            if normalize_color("colour", c).is_err() {
                push(InvalidColor, at, format!("{c:?} is not \"#rrggbb\""));
            }
        }
        if let Some(c) = &s.color
            && !s.colors.is_empty()
            && crate::personalize::limits::check_color("colour", c, &s.colors).is_err()
        {
            push(
                InvalidDefault,
                at,
                format!("default colour {c} is not in colors"),
            );
        }
        let min = s.min_size();
        let numbers = [
            (
                "min_size_mm",
                Some(min),
                finite_positive(min),
                "a positive number of millimetres",
            ),
            (
                "text_size_mm",
                s.text_size_mm,
                s.text_size_mm.is_none_or(|t| t.is_finite() && t >= min),
                "at least min_size_mm",
            ),
            (
                "stroke width_mm",
                s.stroke.as_ref().map(|st| st.width_mm),
                s.stroke
                    .as_ref()
                    .is_none_or(|st| finite_positive(st.width_mm)),
                "a positive number of millimetres",
            ),
            (
                "letter_spacing",
                s.letter_spacing,
                s.letter_spacing.is_none_or(|l| (-0.5..=2.0).contains(&l)),
                "in [-0.5, 2] em",
            ),
            (
                "line_height",
                s.line_height,
                s.line_height.is_none_or(|l| (0.5..=4.0).contains(&l)),
                "in [0.5, 4]",
            ),
        ];
        for (name, v, ok, what) in numbers {
            if !ok {
                push(
                    InvalidNumber,
                    at,
                    format!("{name} {} must be {what}", v.unwrap_or(f32::NAN)),
                );
            }
        }
    }

    pub(super) fn check_image_slot(&self, s: &ImageSlot, at: &str, push: &mut Push<'_>) {
        check_geometry(s.size_mm, s.placement.as_ref(), s.adjust.as_ref(), at, push);
        check_finish(s.finish.as_ref(), at, push);
        if s.max_bytes == Some(0) || s.max_pixels == Some(0) {
            push(
                ProblemKind::InvalidNumber,
                at,
                "max_bytes and max_pixels must be positive".into(),
            );
        }
    }
}

/// A finish's depth lies in (0, 5] mm, its roughness in [0, 1].
fn check_finish(finish: Option<&Finish>, at: &str, push: &mut Push<'_>) {
    let Some(f) = finish else { return };
    if let Some(d) = f.depth_mm
        && !(finite_positive(d) && d <= 5.0)
    {
        push(
            ProblemKind::InvalidNumber,
            at,
            format!("finish depth_mm {d} must be positive, at most 5 mm"),
        );
    }
    if let Some(r) = f.roughness
        && !(0.0..=1.0).contains(&r)
    {
        push(
            ProblemKind::InvalidNumber,
            at,
            format!("finish roughness {r} must be in [0, 1]"),
        );
    }
}

fn check_geometry(
    size: Option<[f32; 2]>,
    placement: Option<&Placement>,
    adjust: Option<&Adjust>,
    at: &str,
    push: &mut Push<'_>,
) {
    use ProblemKind::InvalidNumber;
    if let Some([w, h]) = size
        && !(finite_positive(w) && finite_positive(h) && w <= 5000.0 && h <= 5000.0)
    {
        push(
            InvalidNumber,
            at,
            format!("size_mm [{w}, {h}] must be positive, at most 5000 mm"),
        );
    }
    match placement {
        Some(Placement::Uv {
            rect: [u0, v0, u1, v1],
            ..
        }) => {
            let unit = |v: f32| (0.0..=1.0).contains(&v);
            if !(unit(*u0) && unit(*v0) && unit(*u1) && unit(*v1) && u0 < u1 && v0 < v1) {
                push(
                    InvalidNumber,
                    at,
                    format!(
                        "placement uv rect [{u0}, {v0}, {u1}, {v1}] must lie in [0, 1] with u0 < u1 and v0 < v1"
                    ),
                );
            }
        }
        Some(Placement::Projector {
            position,
            direction,
            up,
            size_mm,
            depth_mm,
            ..
        }) => {
            let d = glam::Vec3::from_array(*direction);
            let u = glam::Vec3::from_array(*up);
            let finite = position
                .iter()
                .chain(direction)
                .chain(up)
                .all(|v| v.is_finite());
            if !finite || d.length() < 1e-6 || u.length() < 1e-6 {
                push(InvalidNumber, at, "projector position, direction and up must be finite, direction and up non-zero".into());
            } else if d.normalize().cross(u.normalize()).length() < 1e-3 {
                push(
                    InvalidNumber,
                    at,
                    "projector up must not be parallel to its direction".into(),
                );
            }
            if !(size_mm.iter().all(|v| finite_positive(*v)) && finite_positive(*depth_mm)) {
                push(
                    InvalidNumber,
                    at,
                    "projector size_mm and depth_mm must be positive".into(),
                );
            }
        }
        None => {}
    }
    if let Some(a) = adjust {
        let ok = a.move_mm.iter().all(|v| v.is_finite() && *v >= 0.0)
            && a.scale[0] > 0.0
            && a.scale[0] <= 1.0
            && a.scale[1] >= 1.0
            && a.scale[1].is_finite()
            && a.rotate_deg[0] >= -180.0
            && a.rotate_deg[0] <= 0.0
            && a.rotate_deg[1] >= 0.0
            && a.rotate_deg[1] <= 180.0;
        if !ok {
            push(
                InvalidNumber,
                at,
                "adjust: move_mm ≥ 0, scale [min ≤ 1 ≤ max] with min > 0, rotate_deg [min ≤ 0 ≤ max] within ±180".into(),
            );
        }
    }
}

/// Placement references to the model: a UV slot's material and a
/// projector's meshes must exist.
pub(super) fn placement_problems(o: &ProductOption, model: &ModelInfo) -> Vec<DefinitionProblem> {
    let placement = match &o.kind {
        OptionKind::Text(s) => s.placement.as_ref(),
        OptionKind::Image(s) => s.placement.as_ref(),
        _ => None,
    };
    let (what, names, known) = match placement {
        Some(Placement::Uv { material, .. }) => {
            ("material", std::slice::from_ref(material), &model.materials)
        }
        Some(Placement::Projector { meshes, .. }) => ("mesh", meshes.as_slice(), &model.meshes),
        None => return Vec::new(),
    };
    names
        .iter()
        .filter(|n| !known.contains(n))
        .map(|name| {
            let hint = super::domain::suggest(name, known.iter().map(String::as_str));
            DefinitionProblem::new(
                ProblemKind::UnknownSlotTarget,
                format!("option {:?}", o.id),
                format!(
                    "placement: the model has no {what} {name:?}{}",
                    super::check::did_you_mean(hint)
                ),
            )
        })
        .collect()
}
