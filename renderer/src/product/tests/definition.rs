//! Parsing, loading, revision and definition checks.

use super::{fixture, package, package_at, package_dir};
use crate::product::look::{MaterialParams, Slot, TextureChannel};
use crate::product::{
    ModelInfo, OptionKind, ProblemKind, ProductError, ProductPackage, ShotDistance,
};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::path::Path;

fn model() -> ModelInfo {
    let s = |v: &[&str]| v.iter().map(|s| s.to_string()).collect();
    ModelInfo {
        variants: s(&["midnight", "beach"]),
        materials: s(&["sole", "upper"]),
        meshes: s(&["seat", "body"]),
        nodes: s(&["Laces", "Body"]),
    }
}

fn kinds(p: &ProductPackage, m: Option<&ModelInfo>) -> BTreeSet<ProblemKind> {
    let problems = match m {
        Some(m) => p.check(m),
        None => p.check_self(),
    };
    problems.iter().map(|p| p.kind).collect()
}

/// Checks a mutated fixture (with its files) and returns the problems.
fn problems_of(tag: &str, def: &Value) -> Vec<crate::product::DefinitionProblem> {
    let dir = package_dir(tag, def);
    let p = ProductPackage::load(&dir.0).unwrap();
    p.check(&model())
}

fn has(problems: &[crate::product::DefinitionProblem], kind: ProblemKind, text: &str) -> bool {
    problems
        .iter()
        .any(|p| p.kind == kind && p.to_string().contains(text))
}

#[test]
fn fixture_parses_with_every_kind() {
    let p = package();
    let d = &p.definition;
    assert_eq!(d.options.len(), 7);
    let kinds: Vec<&str> = d.options.iter().map(|o| o.kind.name()).collect();
    assert_eq!(
        kinds,
        [
            "variant",
            "color",
            "material",
            "texture",
            "visibility",
            "text",
            "image"
        ]
    );
    assert_eq!(d.options[2].slot(), Some(&Slot::Material("sole".into())));
    assert!(matches!(
        d.options[3].kind,
        OptionKind::Texture {
            channel: TextureChannel::BaseColor,
            ..
        }
    ));
    assert_eq!(d.shots[1].distance, ShotDistance::Metres(1.5));
    assert_eq!(d.default_shot().unwrap().id, "front");
    let orbit = d.shot("side").unwrap().orbit();
    assert_eq!(orbit.yaw_deg, 90.0);
    assert_eq!(
        orbit.pitch_deg, 15.0,
        "pitch defaults to the render default"
    );
    assert_eq!(
        orbit.target,
        crate::camera::Target::Point(glam::Vec3::new(0.0, 0.1, 0.0))
    );
    // Serializing and parsing again gives the same definition.
    let text = serde_json::to_string(d).unwrap();
    let again = ProductPackage::from_json_str(&text, Path::new("/x")).unwrap();
    assert_eq!(&again.definition, d);
}

#[test]
fn unknown_fields_are_parse_errors_with_line() {
    let mut def = fixture();
    def["options"][0]["vissible_when"] = json!({ "option": "laces", "in": [true] });
    let text = serde_json::to_string_pretty(&def).unwrap();
    match ProductPackage::from_json_str(&text, Path::new("/x")) {
        Err(e @ ProductError::Parse { line, .. }) => {
            assert!(line > 1, "{e}");
            assert!(e.to_string().contains("vissible_when"), "{e}");
            assert!(e.to_string().contains("colorway"), "names the option: {e}");
        }
        other => panic!("{other:?}"),
    }
    let mut def = fixture();
    def["currency_code"] = json!("EUR");
    assert!(ProductPackage::from_json_str(&def.to_string(), Path::new("/x")).is_err());
    let mut def = fixture();
    def["options"][1]["palette"][0]["colour"] = json!("#fff");
    let e = ProductPackage::from_json_str(&def.to_string(), Path::new("/x")).unwrap_err();
    assert!(e.to_string().contains("colour"), "{e}");
    let e = ProductPackage::from_json_str("{ \"id\": ", Path::new("/x")).unwrap_err();
    assert!(matches!(e, ProductError::Parse { line: 1, .. }), "{e}");
}

#[test]
fn load_resolves_paths_and_revision_tracks_every_file() {
    let def = fixture();
    let dir = package_dir("load", &def);
    let p = ProductPackage::load(&dir.0).unwrap();
    assert!(p.dir.is_absolute());
    assert_eq!(p.model_path(), dir.0.join("sneaker.glb"));
    assert_eq!(p.environment_path(), None);
    assert_eq!(p.revision.len(), 64);
    assert!(p.check(&model()).is_empty(), "{:?}", p.check(&model()));
    // Loading via product.json itself is the same package.
    let q = ProductPackage::load(&dir.0.join("product.json")).unwrap();
    assert_eq!(q.revision, p.revision);
    // Same contents → same revision; any change → another.
    assert_eq!(ProductPackage::load(&dir.0).unwrap().revision, p.revision);
    dir.write("textures/tartan.png", b"tartan v2");
    let r2 = ProductPackage::load(&dir.0).unwrap().revision;
    assert_ne!(r2, p.revision);
    dir.write("fonts/extra.ttf", b"font");
    let r3 = ProductPackage::load(&dir.0).unwrap().revision;
    assert_ne!(r3, r2);
    std::fs::rename(dir.0.join("fonts/extra.ttf"), dir.0.join("fonts/other.ttf")).unwrap();
    assert_ne!(
        ProductPackage::load(&dir.0).unwrap().revision,
        r3,
        "renames count"
    );
    // The version counts.
    let mut v2 = def.clone();
    v2["version"] = json!("1.0.1");
    assert_ne!(
        package_at(&v2, &dir.0).revision,
        package_at(&def, &dir.0).revision
    );
    // A missing folder is an I/O error naming the path.
    let e = ProductPackage::load(&dir.0.join("missing")).unwrap_err();
    assert!(
        matches!(e, ProductError::Io { .. }) && e.to_string().contains("missing"),
        "{e}"
    );
    assert!(ProductPackage::load_checked(&dir.0, Some(&model())).is_ok());
}

#[test]
fn load_checked_reports_all_problems() {
    let mut def = fixture();
    def["default_shot"] = json!("back");
    def["currency"] = json!("euro");
    let dir = package_dir("checked", &def);
    match ProductPackage::load_checked(&dir.0, None) {
        Err(e @ ProductError::Definition { .. }) => {
            let text = e.to_string();
            assert!(
                text.contains("2 problem(s)") && text.contains("back") && text.contains("euro"),
                "{text}"
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn check_self_finds_every_problem_at_once() {
    let mut d = fixture();
    d["id"] = json!("Sneaker!");
    d["name"] = json!(" ");
    d["currency"] = json!("eur");
    d["base_price"] = json!(-1);
    d["environment"] = json!("studio.png");
    d["default_shot"] = json!("back");
    d["shots"][1]["fov"] = json!(0);
    d["shots"]
        .as_array_mut()
        .unwrap()
        .push(json!({ "id": "front" }));
    d["materials"]["gum"]["preset"] = json!("chewing-gum");
    d["materials"]["gum"]["roughness"] = json!(1.5);
    d["materials"]["gum"]["normal_texture"] = json!("textures/missing_n.png");
    d["materials"]["red-suede"]["base_color"] = json!("#zz0000");
    d["materials"]["bad-linear"] = json!({ "base_color": [2.0, 0.0, 0.0] });
    d["materials"]["escape"] = json!({ "base_color_texture": "../outside.png" });
    let o = &mut d["options"];
    o[0]["values"][1]["id"] = json!("midnight"); // duplicate value id
    o[1]["palette"][2]["hex"] = json!("#ff00"); // invalid hex
    o[1]["free"]["lightness"] = json!([0.9, 0.1]); // min > max
    o[2]["values"][0]["material"] = json!("library:rubbr");
    o[2]["values"][1]["material"] = json!("gun");
    o[2]["default"] = json!("leather"); // outside the domain
    o[3]["values"][1]["file"] = json!("textures/plaid.png");
    o[4]["nodes"] = json!([]);
    o[5]["max_length"] = json!(0);
    o[6]["visible_when"] = json!({ "option": "logo_enabled", "in": [true] });
    o.as_array_mut()
        .unwrap()
        .push(json!({ "id": "laces", "label": "Dup", "kind": "image" }));
    o.as_array_mut()
        .unwrap()
        .push(json!({ "id": "edition", "label": "Edition", "kind": "variant", "values": [] }));
    d["rules"][0]["then"]["in"] = json!(["white", "teal"]);
    d["rules"][1]["if"]["option"] = json!("soles");
    d["templates"][0]["selections"]["lace_color"] = json!("teal");
    let problems = problems_of("all", &d);
    let expect = [
        (ProblemKind::InvalidId, "Sneaker!"),
        (ProblemKind::Empty, "name"),
        (ProblemKind::InvalidCurrency, "eur"),
        (ProblemKind::InvalidPrice, "-1"),
        (ProblemKind::InvalidPath, "studio.png"),
        (ProblemKind::MissingFile, "studio.png"),
        (ProblemKind::UnknownShot, "back"),
        (ProblemKind::InvalidNumber, "fov"),
        (ProblemKind::DuplicateId, "shot: id \"front\""),
        (ProblemKind::UnknownPreset, "chewing-gum"),
        (ProblemKind::InvalidNumber, "roughness 1.5"),
        (ProblemKind::MissingFile, "missing_n.png"),
        (ProblemKind::InvalidColor, "#zz0000"),
        (ProblemKind::InvalidColor, "bad-linear"),
        (ProblemKind::InvalidPath, "../outside.png"),
        (ProblemKind::DuplicateId, "value: id \"midnight\""),
        (ProblemKind::InvalidColor, "#ff00"),
        (ProblemKind::InvalidNumber, "lightness"),
        (ProblemKind::UnknownPreset, "did you mean \"rubber\""),
        (ProblemKind::UnknownMaterial, "did you mean \"gum\""),
        (ProblemKind::InvalidDefault, "leather"),
        (ProblemKind::MissingFile, "plaid.png"),
        (ProblemKind::EmptyDomain, "names no nodes"),
        (ProblemKind::InvalidNumber, "max_length"),
        (ProblemKind::UnknownOption, "logo_enabled"),
        (ProblemKind::DuplicateId, "option: id \"laces\""),
        (ProblemKind::EmptyDomain, "edition"),
        (ProblemKind::MultipleVariantOptions, "2 variant options"),
        (ProblemKind::UnknownValue, "teal"),
        (ProblemKind::UnknownOption, "did you mean \"sole\""),
        (ProblemKind::InvalidTemplate, "classic"),
    ];
    for (kind, text) in expect {
        assert!(
            has(&problems, kind, text),
            "missing {kind:?} {text:?} in:\n{problems:#?}"
        );
    }
}

#[test]
fn check_with_model_finds_missing_names() {
    let mut d = fixture();
    d["options"][0]["values"][1]["variant"] = json!("beech");
    d["options"][1]["slot"] = json!({ "node": "Lace" });
    d["options"][2]["slot"] = json!({ "material": "soles" });
    d["options"][3]["slot"] = json!({ "mesh": "saddle" });
    d["options"][4]["nodes"] = json!(["Laces", "Aglets"]);
    let problems = problems_of("model", &d);
    for (kind, text) in [
        (
            ProblemKind::UnknownVariant,
            "no variant \"beech\" (did you mean \"beach\"?)",
        ),
        (
            ProblemKind::UnknownSlotTarget,
            "no node \"Lace\" (did you mean \"Laces\"?)",
        ),
        (ProblemKind::UnknownSlotTarget, "no material \"soles\""),
        (ProblemKind::UnknownSlotTarget, "no mesh \"saddle\""),
        (ProblemKind::UnknownNode, "Aglets"),
    ] {
        assert!(
            has(&problems, kind, text),
            "missing {kind:?} {text:?} in:\n{problems:#?}"
        );
    }
    assert_eq!(problems.len(), 5, "{problems:#?}");
    // Without the model those are not problems.
    let dir = package_dir("model-self", &d);
    assert!(
        ProductPackage::load(&dir.0)
            .unwrap()
            .check_self()
            .is_empty()
    );
}

#[test]
fn visibility_cycles_are_problems_and_do_not_hang() {
    let mut d = fixture();
    d["options"][4]["visible_when"] = json!({ "option": "name", "in": ["*"] });
    let p = package_at(&d, Path::new("/x"));
    let problems = p.check_self();
    let cycle = problems
        .iter()
        .find(|p| p.kind == ProblemKind::VisibilityCycle)
        .expect("cycle");
    assert!(
        cycle.message.contains("laces → name → laces")
            || cycle.message.contains("name → laces → name"),
        "{cycle}"
    );
    // Validation still terminates: both options are hidden.
    let r = p.validate(&super::cfg(json!({}))).unwrap();
    assert!(r.get("laces").is_none() && r.get("name").is_none());
    // A self-reference is a cycle too.
    let mut d = fixture();
    d["options"][6]["visible_when"] = json!({ "option": "logo", "in": ["*"] });
    assert!(kinds(&package_at(&d, Path::new("/x")), None).contains(&ProblemKind::VisibilityCycle));
}

#[test]
fn evaluation_order_follows_visible_when() {
    // "name" depends on "laces", which comes after it in the definition.
    let mut d = fixture();
    let options = d["options"].as_array_mut().unwrap();
    let laces = options.remove(4);
    options.push(laces);
    let p = package_at(&d, Path::new("/x"));
    let (order, cycles) = crate::product::check::evaluation_order(&p.definition);
    assert!(cycles.is_empty());
    let pos = |id: &str| {
        order
            .iter()
            .position(|&i| p.definition.options[i].id == id)
            .unwrap()
    };
    assert!(pos("laces") < pos("name"));
    assert_eq!(order.len(), p.definition.options.len());
    let r = p.validate(&super::cfg(json!({ "laces": false }))).unwrap();
    assert!(r.get("name").is_none());
    let e = super::errors(&p, json!({ "laces": false, "name": "Ann" }));
    assert!(
        matches!(&e[..], [crate::product::ConfigError::Hidden { .. }]),
        "{e:?}"
    );
}

#[test]
fn materials_resolve_presets_overrides_and_paths() {
    let p = package();
    let suede = p.material("red-suede").unwrap();
    let lib = crate::product::library::preset("suede").unwrap();
    assert_eq!(suede.name, "red-suede");
    assert_eq!(suede.roughness, lib.roughness);
    assert_eq!(suede.sheen, lib.sheen);
    let want = crate::color::srgb8_to_linear([0x8e, 0x1b, 0x1b]);
    assert_eq!(&suede.base_color[..3], &want[..]);
    let gum = p.material("gum").unwrap();
    assert_eq!(gum.roughness, 0.7);
    assert_eq!(
        gum.base_color_texture.as_deref(),
        Some(Path::new("/nonexistent/sneaker/textures/gum.png"))
    );
    assert_eq!(gum.ior, MaterialParams::default().ior);
    assert_eq!(p.material("library:rubber").unwrap().name, "rubber");
    assert_eq!(
        p.material("library:nope").unwrap_err().kind,
        ProblemKind::UnknownPreset
    );
    assert_eq!(
        p.material("nope").unwrap_err().kind,
        ProblemKind::UnknownMaterial
    );
    // Paired extension fields and linear colours.
    let mut d = fixture();
    d["materials"]["gem"] = json!({ "preset": "sapphire", "attenuation_distance": 0.01,
        "base_color": [0.5, 0.25, 1.0, 0.5], "clearcoat": 1.0 });
    let gem = package_at(&d, Path::new("/x")).material("gem").unwrap();
    let sapphire = crate::product::library::preset("sapphire").unwrap();
    assert_eq!(
        gem.attenuation,
        Some((sapphire.attenuation.unwrap().0, 0.01))
    );
    assert_eq!(gem.base_color, [0.5, 0.25, 1.0, 0.5]);
    assert_eq!(gem.clearcoat, Some((1.0, 0.0)));
    assert_eq!(gem.ior, 1.77);
}
