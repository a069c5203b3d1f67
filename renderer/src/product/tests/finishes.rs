//! Decal finishes, projector meshes and image values with adjustments:
//! parsing, defaults, definition checks, limits and canonical form.

use super::{cfg, fixture, package_at};
use crate::personalize::limits::LimitError;
use crate::product::{
    ConfigError, DecalTransform, Finish, FinishKind, ImageValue, ModelInfo, OptionKind, Placement,
    ProblemKind, ProductPackage, TextValue,
};
use serde_json::{Value, json};
use std::path::Path;

const KINDS: [&str; 6] = ["print", "embroidery", "emboss", "deboss", "engrave", "foil"];

/// The fixture with finishes on both slots, a projector image slot that
/// paints one mesh and may be moved, scaled and turned.
fn finished(text_finish: Value, image_finish: Value) -> ProductPackage {
    let mut d = fixture();
    d["options"][5]["finish"] = text_finish;
    d["options"][6] = json!({
        "id": "logo", "label": "Logo", "kind": "image", "price": 900, "size_mm": [30, 20],
        "adjust": { "move_mm": [4, 2], "scale": [0.5, 1.5], "rotate_deg": [-30, 30] },
        "finish": image_finish,
        "placement": { "projector": { "position": [0, 0.1, 0], "direction": [0, 0, -1],
                       "up": [0, 1, 0], "size_mm": [30, 20], "depth_mm": 10,
                       "meshes": ["tongue"] } }
    });
    package_at(&d, Path::new("/nonexistent/sneaker"))
}

fn parse_error(finish: Value) -> String {
    let mut d = fixture();
    d["options"][6]["finish"] = finish;
    ProductPackage::from_json_str(&d.to_string(), Path::new("/x"))
        .unwrap_err()
        .to_string()
}

fn text_finish(p: &ProductPackage) -> Finish {
    let OptionKind::Text(t) = &p.definition.option("name").unwrap().kind else {
        panic!()
    };
    t.finish()
}

fn image_finish(p: &ProductPackage) -> Finish {
    let OptionKind::Image(i) = &p.definition.option("logo").unwrap().kind else {
        panic!()
    };
    i.finish()
}

#[test]
fn finish_parses_as_a_kind_or_an_object() {
    let p = finished(
        json!("embroidery"),
        json!({ "kind": "engrave", "depth_mm": 0.2, "roughness": 0.4 }),
    );
    assert_eq!(
        text_finish(&p),
        Finish {
            kind: FinishKind::Embroidery,
            depth_mm: None,
            roughness: None,
        }
    );
    assert_eq!(
        image_finish(&p),
        Finish {
            kind: FinishKind::Engrave,
            depth_mm: Some(0.2),
            roughness: Some(0.4),
        }
    );
    // Every kind by name; an object with only a kind is the same finish.
    for name in KINDS {
        let plain: Finish = serde_json::from_value(json!(name)).unwrap();
        let object: Finish = serde_json::from_value(json!({ "kind": name })).unwrap();
        assert_eq!(plain, object);
        assert_eq!(serde_json::to_value(plain).unwrap(), json!(name));
    }
    // Round trip: the plain kind without parameters, the object with them.
    for f in [text_finish(&p), image_finish(&p)] {
        let v = serde_json::to_value(f).unwrap();
        assert_eq!(serde_json::from_value::<Finish>(v).unwrap(), f);
    }
    assert_eq!(
        serde_json::to_value(image_finish(&p)).unwrap(),
        json!({ "kind": "engrave", "depth_mm": 0.2f32, "roughness": 0.4f32 })
    );
    // A slot without one prints, and writes none back.
    let plain = super::package();
    assert_eq!(text_finish(&plain), Finish::default());
    assert_eq!(Finish::default().kind, FinishKind::Print);
    let OptionKind::Image(i) = &plain.definition.option("logo").unwrap().kind else {
        panic!()
    };
    assert!(serde_json::to_value(i).unwrap().get("finish").is_none());
    assert!(
        p.check_self()
            .iter()
            .all(|q| q.kind == ProblemKind::MissingFile),
        "{:?}",
        p.check_self()
    );
}

#[test]
fn a_wrong_finish_names_the_kinds() {
    for bad in [json!("velvet"), json!({ "kind": "velvet" })] {
        let e = parse_error(bad.clone());
        assert!(e.contains("velvet"), "{bad}: {e}");
        for k in KINDS {
            assert!(e.contains(k), "{bad}: {e} does not name {k}");
        }
    }
    // Unknown keys in the object form, a missing kind, a wrong type.
    let e = parse_error(json!({ "kind": "emboss", "height_mm": 1 }));
    assert!(e.contains("height_mm"), "{e}");
    let e = parse_error(json!({ "depth_mm": 1 }));
    assert!(e.contains("kind"), "{e}");
    let e = parse_error(json!(3));
    assert!(e.contains("finish"), "{e}");
}

#[test]
fn finish_defaults_by_kind() {
    let cases = [
        (FinishKind::Print, 0.0, None),
        (FinishKind::Embroidery, 0.8, Some(0.8)),
        (FinishKind::Emboss, 0.5, None),
        (FinishKind::Deboss, 0.5, None),
        (FinishKind::Engrave, 0.3, None),
        (FinishKind::Foil, 0.05, Some(0.2)),
    ];
    for (kind, depth, roughness) in cases {
        let f = Finish {
            kind,
            ..Finish::default()
        };
        assert_eq!(f.depth(), depth, "{kind:?}");
        assert_eq!(f.roughness(), roughness, "{kind:?}");
        // Given parameters win.
        let g = Finish {
            kind,
            depth_mm: Some(1.25),
            roughness: Some(0.35),
        };
        assert_eq!((g.depth(), g.roughness()), (1.25, Some(0.35)));
    }
}

#[test]
fn bad_finish_numbers_are_problems() {
    let p = finished(
        json!({ "kind": "emboss", "depth_mm": 6, "roughness": 1.5 }),
        json!({ "kind": "deboss", "depth_mm": 0, "roughness": -0.1 }),
    );
    let problems = p.check_self();
    let has = |at: &str, text: &str| {
        problems.iter().any(|q| {
            q.kind == ProblemKind::InvalidNumber && q.at.contains(at) && q.message.contains(text)
        })
    };
    assert!(has("\"name\"", "finish depth_mm 6"), "{problems:#?}");
    assert!(has("\"name\"", "finish roughness 1.5"), "{problems:#?}");
    assert!(has("\"logo\"", "finish depth_mm 0"), "{problems:#?}");
    assert!(has("\"logo\"", "finish roughness -0.1"), "{problems:#?}");
    // The limits themselves are fine.
    let ok = finished(
        json!({ "kind": "engrave", "depth_mm": 5, "roughness": 0 }),
        json!({ "kind": "foil", "depth_mm": 0.01, "roughness": 1 }),
    );
    let problems = ok.check_self();
    assert!(
        problems.iter().all(|q| q.kind == ProblemKind::MissingFile),
        "{problems:#?}"
    );
}

#[test]
fn projector_meshes_are_checked_against_the_model() {
    let p = finished(json!("print"), json!("print"));
    let OptionKind::Image(i) = &p.definition.option("logo").unwrap().kind else {
        panic!()
    };
    assert!(
        matches!(&i.placement, Some(Placement::Projector { meshes, .. }) if meshes == &["tongue"])
    );
    let model = |meshes: &[&str]| ModelInfo {
        meshes: meshes.iter().map(|m| m.to_string()).collect(),
        materials: vec!["sole".into(), "seat".into()],
        nodes: vec!["Laces".into()],
        ..ModelInfo::default()
    };
    let target = |m: &ModelInfo| -> Vec<String> {
        p.check(m)
            .into_iter()
            .filter(|q| q.kind == ProblemKind::UnknownSlotTarget && q.at == "option \"logo\"")
            .map(|q| q.message)
            .collect()
    };
    assert!(target(&model(&["seat", "tongue"])).is_empty());
    let problems = target(&model(&["seat", "tongues"]));
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].contains("no mesh \"tongue\"")
            && problems[0].contains("did you mean \"tongues\""),
        "{problems:?}"
    );
    // Left out: every mesh, nothing to check, nothing written back.
    let mut d = fixture();
    d["options"][6]["placement"] = json!({ "projector": { "position": [0, 0, 0],
        "direction": [0, 0, -1], "up": [0, 1, 0], "size_mm": [30, 20], "depth_mm": 10 } });
    let q = package_at(&d, Path::new("/x"));
    let OptionKind::Image(i) = &q.definition.option("logo").unwrap().kind else {
        panic!()
    };
    let Some(Placement::Projector { meshes, .. }) = &i.placement else {
        panic!()
    };
    assert!(meshes.is_empty());
    let back = serde_json::to_value(i.placement.as_ref().unwrap()).unwrap();
    assert!(back["projector"].get("meshes").is_none(), "{back}");
    assert!(
        q.check(&model(&[]))
            .iter()
            .all(|p| p.at != "option \"logo\"")
    );
}

fn logo(p: &ProductPackage, v: Value) -> Value {
    p.validate(&cfg(json!({ "logo": v })))
        .unwrap()
        .get("logo")
        .cloned()
        .unwrap()
}

#[test]
fn image_values_plain_or_object_and_canonical() {
    let p = finished(json!("print"), json!("print"));
    assert_eq!(logo(&p, json!("sha256:ab")), json!("sha256:ab"));
    // Default adjustments collapse to the plain reference, with the same hash.
    let same = json!({ "image": "sha256:ab", "offset_mm": [0, 0], "scale": 1, "rotate_deg": 0 });
    assert_eq!(logo(&p, same.clone()), json!("sha256:ab"));
    let h = |v: Value| {
        p.validate(&cfg(json!({ "logo": v })))
            .unwrap()
            .hash(&json!({ "width": 64 }))
    };
    assert_eq!(h(same), h(json!("sha256:ab")));
    // Real adjustments stay, as shortest decimals; canonical is a fixed point.
    let v = logo(
        &p,
        json!({ "image": "sha256:ab", "offset_mm": [1.1, 0], "scale": 1, "rotate_deg": -12.5 }),
    );
    assert_eq!(
        v,
        json!({ "image": "sha256:ab", "offset_mm": [1.1, 0.0], "rotate_deg": -12.5 })
    );
    assert_eq!(logo(&p, v.clone()), v);
    assert_ne!(h(v.clone()), h(json!("sha256:ab")));
    let parsed = ImageValue::from_json(&v).unwrap();
    assert_eq!(
        parsed.transform(),
        DecalTransform {
            offset_mm: [1.1, 0.0],
            scale: 1.0,
            rotate_deg: -12.5,
        }
    );
    // No image: nothing to adjust.
    assert_eq!(
        logo(&p, json!({ "image": "", "offset_mm": [1, 1] })),
        json!("")
    );
    // Conditions and the price see the reference inside an object.
    let mut d = fixture();
    d["options"][6]["adjust"] = json!({ "scale": [0.5, 2] });
    d["options"][5]["visible_when"] = json!({ "option": "logo", "in": ["*"] });
    let q = package_at(&d, Path::new("/x"));
    let r = q
        .validate(&cfg(json!({ "logo": { "image": "a.png", "scale": 2 } })))
        .unwrap();
    assert!(r.get("name").is_some(), "the logo is not empty");
    assert_eq!(q.price(&r).unwrap().total, 12900 + 900, "the name is empty");
    let sheet = q.production_sheet(&r);
    let line = sheet.lines.iter().find(|l| l.option == "logo").unwrap();
    assert_eq!(line.content.as_deref(), Some("a.png"));
    // Wrong shapes are type errors naming what is expected (and the field).
    for (bad, text) in [
        (json!(3), "an image reference"),
        (json!({ "img": "a.png" }), "img"),
        (json!({ "image": "a.png", "scale": "big" }), "\"big\""),
    ] {
        let e = p
            .validate(&cfg(json!({ "logo": bad.clone() })))
            .unwrap_err();
        assert!(
            matches!(&e[0], ConfigError::WrongType { expected, .. }
                if expected.contains("an image reference (a string, or an object with \"image\")")
                    && expected.contains(text)),
            "{bad}: {e:?}"
        );
    }
}

#[test]
fn image_adjustments_beyond_the_slot_are_limit_errors() {
    let p = finished(json!("print"), json!("print"));
    let cases = [
        (
            json!({ "offset_mm": [4.5, 0] }),
            "adjust.move_mm",
            "offset x 4.5",
        ),
        (
            json!({ "offset_mm": [0, -3] }),
            "adjust.move_mm",
            "offset y -3",
        ),
        (json!({ "scale": 2 }), "adjust.scale", "[0.5, 1.5]"),
        (
            json!({ "rotate_deg": 45 }),
            "adjust.rotate_deg",
            "rotation 45",
        ),
    ];
    for (mut value, key, text) in cases {
        value["image"] = json!("sha256:ab");
        let e = p
            .validate(&cfg(json!({ "logo": value.clone() })))
            .unwrap_err();
        let [ConfigError::SlotLimit { option, error }] = e.as_slice() else {
            panic!("{value}: {e:?}")
        };
        assert_eq!(option, "logo");
        assert!(matches!(error, LimitError::OutOfRange { .. }));
        assert_eq!(error.limit(), key, "{value}: {error}");
        let msg = e[0].to_string();
        assert!(
            msg.contains(text) && msg.contains("option \"logo\"") && msg.contains(key),
            "{value}: {msg}"
        );
    }
    // A slot without `adjust` allows no adjustment at all.
    let plain = super::package();
    let e = plain
        .validate(&cfg(json!({ "logo": { "image": "a.png", "scale": 1.1 } })))
        .unwrap_err();
    assert!(
        matches!(&e[0], ConfigError::SlotLimit { error, .. } if error.limit() == "adjust.scale"),
        "{e:?}"
    );
}

#[test]
fn transforms_default_to_identity() {
    let identity = DecalTransform {
        offset_mm: [0.0, 0.0],
        scale: 1.0,
        rotate_deg: 0.0,
    };
    assert_eq!(DecalTransform::default(), identity);
    assert_eq!(TextValue::default().transform(), identity);
    assert_eq!(ImageValue::default().transform(), identity);
    let t = TextValue::from_json(&json!({ "text": "A", "scale": 0.9, "rotate_deg": 5 }))
        .unwrap()
        .transform();
    assert_eq!(
        t,
        DecalTransform {
            scale: 0.9,
            rotate_deg: 5.0,
            ..identity
        }
    );
    let i = ImageValue::from_json(&json!("a.png")).unwrap();
    assert_eq!((i.image.as_str(), i.transform()), ("a.png", identity));
}
