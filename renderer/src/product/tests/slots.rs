//! Personalization slots: parsing, definition checks, text values (plain
//! and object), every limit error, canonical form and hashing.

use super::{cfg, fixture, package_at};
use crate::personalize::limits::LimitError;
use crate::product::{ConfigError, ModelInfo, OptionKind, Placement, ProblemKind, ProductPackage};
use serde_json::{Value, json};
use std::path::Path;

/// The fixture with a fully specified text slot and an image slot.
fn slotted() -> ProductPackage {
    let mut d = fixture();
    d["options"][5] = json!({
        "id": "name", "label": "Name", "kind": "text", "max_length": 8, "price": 1500,
        "code": "EMB-NAME", "size_mm": [60, 12],
        "placement": { "uv": { "material": "heel", "rect": [0.1, 0.6, 0.4, 0.7] } },
        "adjust": { "move_mm": [5, 2], "scale": [0.8, 1.2], "rotate_deg": [-10, 10] },
        "max_lines": 2, "allowed_chars": "A-Za-z .'-", "fonts": ["sans", "script"],
        "colors": ["#1C1C1E", "#ffffff"], "min_size_mm": 3,
        "stroke": { "color": "#ffffff", "width_mm": 0.5 }
    });
    d["options"][6] = json!({
        "id": "logo", "label": "Logo", "kind": "image", "price": 900, "size_mm": [30, 20],
        "fit": "cover", "max_bytes": 1000,
        "placement": { "projector": { "position": [0, 0.1, 0], "direction": [0, 0, -1],
                       "up": [0, 1, 0], "size_mm": [30, 20], "depth_mm": 10 } }
    });
    package_at(&d, Path::new("/nonexistent/sneaker"))
}

fn limit(p: &ProductPackage, name: Value) -> LimitError {
    match p.validate(&cfg(json!({ "name": name.clone() }))) {
        Err(mut e) if e.len() == 1 => match e.remove(0) {
            ConfigError::SlotLimit { option, error } => {
                assert_eq!(option, "name");
                error
            }
            other => panic!("{name}: {other:?}"),
        },
        other => panic!("{name}: {other:?}"),
    }
}

#[test]
fn slots_parse_with_defaults_and_placements() {
    let p = slotted();
    let problems: Vec<_> = p
        .check_self()
        .into_iter()
        .filter(|q| q.kind != ProblemKind::MissingFile)
        .collect();
    assert!(problems.is_empty(), "{problems:?}");
    let OptionKind::Text(t) = &p.definition.option("name").unwrap().kind else {
        panic!()
    };
    assert_eq!(t.size(), [60.0, 12.0]);
    assert_eq!(t.default_font(), "sans");
    assert_eq!(t.default_color(), "#1c1c1e");
    assert!(matches!(t.placement, Some(Placement::Uv { .. })));
    let OptionKind::Image(i) = &p.definition.option("logo").unwrap().kind else {
        panic!()
    };
    assert_eq!(i.limits().max_bytes, 1000);
    assert!(matches!(i.placement, Some(Placement::Projector { depth_mm, .. }) if depth_mm == 10.0));
    // The plain fixture's slots take the defaults.
    let plain = super::package();
    let OptionKind::Text(t) = &plain.definition.option("name").unwrap().kind else {
        panic!()
    };
    assert_eq!(t.size(), crate::product::slots::DEFAULT_TEXT_SLOT_MM);
    // A UV slot's material is checked against the model.
    let model = ModelInfo {
        materials: vec!["sole".into(), "heels".into()],
        ..ModelInfo::default()
    };
    let problems = p.check(&model);
    assert!(
        problems
            .iter()
            .any(|q| q.kind == ProblemKind::UnknownSlotTarget
                && q.message.contains("\"heel\"")
                && q.message.contains("did you mean")),
        "{problems:?}"
    );
    // Unknown keys in a slot are parse errors.
    let mut d = fixture();
    d["options"][6]["fits"] = json!("cover");
    let e = ProductPackage::from_json_str(&d.to_string(), Path::new("/x"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("fits"), "{e}");
}

#[test]
fn bad_slot_definitions_are_problems() {
    let mut d = fixture();
    d["options"][5] = json!({
        "id": "name", "label": "Name", "kind": "text", "max_length": 0, "size_mm": [0, 12],
        "allowed_chars": "Z-A", "fonts": ["sans", "Papyrus"], "font": "serif",
        "colors": ["red"], "text_size_mm": 1, "min_size_mm": 2,
        "adjust": { "scale": [1.2, 2] },
        "placement": { "uv": { "material": "heel", "rect": [0.5, 0, 0.4, 1] } }
    });
    d["options"][6] = json!({
        "id": "logo", "label": "Logo", "kind": "image",
        "placement": { "projector": { "position": [0, 0, 0], "direction": [0, 0, 1],
                       "up": [0, 0, 2], "size_mm": [30, 0], "depth_mm": 10 } }
    });
    let problems = package_at(&d, Path::new("/nonexistent")).check_self();
    let has = |kind: ProblemKind, text: &str| {
        problems
            .iter()
            .any(|p| p.kind == kind && p.message.contains(text))
    };
    assert!(
        has(ProblemKind::InvalidNumber, "max_length"),
        "{problems:#?}"
    );
    assert!(has(ProblemKind::InvalidNumber, "size_mm"));
    assert!(has(ProblemKind::InvalidCharSet, "backwards"));
    assert!(has(ProblemKind::UnknownFont, "Papyrus"));
    assert!(has(ProblemKind::InvalidDefault, "default font"));
    assert!(has(ProblemKind::InvalidColor, "red"));
    assert!(has(ProblemKind::InvalidNumber, "text_size_mm"));
    assert!(has(ProblemKind::InvalidNumber, "adjust"));
    assert!(has(ProblemKind::InvalidNumber, "uv rect"));
    assert!(has(ProblemKind::InvalidNumber, "parallel"));
    assert!(has(ProblemKind::InvalidNumber, "size_mm and depth_mm"));
}

#[test]
fn text_values_plain_or_object_and_canonical() {
    let p = slotted();
    let get = |v: Value| {
        p.validate(&cfg(json!({ "name": v })))
            .unwrap()
            .get("name")
            .cloned()
            .unwrap()
    };
    assert_eq!(get(json!("Anna")), json!("Anna"));
    // Defaults spelt out (alias, colour case, slot stroke) collapse to the plain string.
    let same = json!({ "text": "Anna", "font": "Noto Sans", "color": "#1C1C1E",
                       "stroke": { "color": "#FFF", "width_mm": 0.5 }, "scale": 1, "offset_mm": [0, 0] });
    assert_eq!(get(same.clone()), json!("Anna"));
    let render = json!({ "width": 64 });
    let h = |v: Value| {
        p.validate(&cfg(json!({ "name": v })))
            .unwrap()
            .hash(&render)
    };
    assert_eq!(h(same), h(json!("Anna")));
    // Real overrides stay, normalised.
    let v = get(
        json!({ "text": "Anna", "font": "Dancing Script", "color": "#FFFFFF", "rotate_deg": -5, "offset_mm": [1.5, 0] }),
    );
    assert_eq!(
        v,
        json!({ "text": "Anna", "font": "script", "color": "#ffffff", "rotate_deg": -5.0, "offset_mm": [1.5, 0.0] })
    );
    assert_ne!(h(v.clone()), h(json!("Anna")));
    // The canonical value validates to itself.
    assert_eq!(get(v.clone()), v);
    // Conditions see the text inside an object.
    let mut d = fixture();
    d["options"][6]["visible_when"] = json!({ "option": "name", "in": ["*"] });
    let q = package_at(&d, Path::new("/x"));
    let r = q
        .validate(&cfg(json!({ "name": { "text": "Bo", "align": "left" } })))
        .unwrap();
    assert!(r.get("logo").is_some());
    assert!(
        q.validate(&cfg(json!({ "name": "" })))
            .unwrap()
            .get("logo")
            .is_none()
    );
    // Price and production sheet read the text.
    let sheet = q.production_sheet(&r);
    let line = sheet.lines.iter().find(|l| l.option == "name").unwrap();
    assert_eq!(line.content.as_deref(), Some("Bo"));
    assert_eq!(
        q.price(&r).unwrap().total,
        12900 + 1500,
        "the logo is empty: no price"
    );
    // Wrong shapes are type errors naming what is expected.
    for bad in [json!(3), json!({ "txt": "Anna" }), json!({ "text": 5 })] {
        let e = p
            .validate(&cfg(json!({ "name": bad.clone() })))
            .unwrap_err();
        assert!(
            matches!(&e[0], ConfigError::WrongType { expected, .. } if expected.contains("text")),
            "{bad}: {e:?}"
        );
    }
}

#[test]
fn every_limit_is_an_error_naming_it() {
    let p = slotted();
    let cases: Vec<(Value, &str, &str)> = vec![
        (json!("Anna3"), "allowed_chars", "\"3\""),
        (json!("Anna\tB"), "allowed_chars", "U+0009"),
        (json!("A\nB\nC"), "max_lines", "3 lines"),
        (
            json!({ "text": "Anna", "font": "slab" }),
            "fonts",
            "sans, script",
        ),
        (
            json!({ "text": "Anna", "color": "#ff0000" }),
            "colors",
            "#ff0000",
        ),
        (
            json!({ "text": "Anna", "color": "crimson" }),
            "colors",
            "crimson",
        ),
        (
            json!({ "text": "Anna", "stroke": { "color": "#00ff00", "width_mm": 0.5 } }),
            "colors",
            "stroke colour",
        ),
        (
            json!({ "text": "Anna", "size_mm": 2 }),
            "min_size_mm",
            "minimum of 3 mm",
        ),
        (
            json!({ "text": "Anna", "offset_mm": [6, 0] }),
            "adjust.move_mm",
            "offset x 6",
        ),
        (
            json!({ "text": "Anna", "scale": 1.5 }),
            "adjust.scale",
            "[0.8, 1.2]",
        ),
        (
            json!({ "text": "Anna", "rotate_deg": 45 }),
            "adjust.rotate_deg",
            "rotation 45",
        ),
    ];
    for (value, key, text) in cases {
        let e = limit(&p, value.clone());
        assert_eq!(e.limit(), key, "{value}: {e}");
        let msg = ConfigError::SlotLimit {
            option: "name".into(),
            error: e,
        }
        .to_string();
        assert!(
            msg.contains(text) && msg.contains("option \"name\""),
            "{value}: {msg}"
        );
    }
    // Too long: in grapheme clusters (e + combining accent is one), named too.
    assert!(
        p.validate(&cfg(json!({ "name": "Ame\u{301}lie A" })))
            .is_ok()
    );
    let e = p
        .validate(&cfg(json!({ "name": "Annabelle" })))
        .unwrap_err();
    assert!(
        matches!(
            e[0],
            ConfigError::TextTooLong {
                length: 9,
                max: 8,
                ..
            }
        ),
        "{e:?}"
    );
    // A 10 MB string is refused at once, whatever the slot says.
    let huge = "x".repeat(10 << 20);
    let q = super::package();
    let t = std::time::Instant::now();
    let e = q
        .validate(&cfg(json!({ "logo": "", "name": huge })))
        .unwrap_err();
    assert!(
        matches!(e[0], ConfigError::TextTooLong { max: 12, .. }),
        "{e:?}"
    );
    assert!(t.elapsed().as_secs() < 20);
}

#[test]
fn sample_packages_stay_valid() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/products");
    for name in ["sneaker", "sheen-chair"] {
        let p = ProductPackage::load(&root.join(name)).unwrap();
        assert!(p.check_self().is_empty(), "{name}: {:?}", p.check_self());
    }
}
