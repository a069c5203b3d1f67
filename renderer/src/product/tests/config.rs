//! Validation: defaults, every error kind, rules, visibility, templates,
//! canonical form and hash.

use super::{cfg, errors, fixture, package, package_at};
use crate::product::{ConfigError, Configuration};
use serde_json::json;
use std::collections::BTreeMap;
use std::path::Path;

fn one(p: &crate::product::ProductPackage, selections: serde_json::Value) -> ConfigError {
    let mut e = errors(p, selections);
    assert_eq!(e.len(), 1, "{e:#?}");
    e.remove(0)
}

#[test]
fn defaults_fill_everything_visible() {
    let r = package().validate(&cfg(json!({}))).unwrap();
    let want = json!({
        "colorway": "midnight", "lace_color": "white", "sole": "rubber", "print": "plain",
        "laces": true, "name": "", "logo": ""
    });
    assert_eq!(serde_json::to_value(r.selections()).unwrap(), want);
    assert_eq!(r.product(), "sneaker");
    assert_eq!(r.revision(), package().revision);
    // An explicit default is used.
    let mut d = fixture();
    d["options"][2]["default"] = json!("gum");
    d["options"][4]["default"] = json!(false);
    d["rules"] = json!([]);
    let r = package_at(&d, Path::new("/x"))
        .validate(&cfg(json!({})))
        .unwrap();
    assert_eq!(r.get("sole"), Some(&json!("gum")));
    assert_eq!(r.get("laces"), Some(&json!(false)));
    assert_eq!(r.get("name"), None, "hidden by laces = false: no default");
}

#[test]
fn wrong_product_and_unknown_template() {
    let p = package();
    let c = Configuration {
        product: "boot".into(),
        ..cfg(json!({}))
    };
    let e = p.validate(&c).unwrap_err();
    assert!(
        matches!(&e[..], [ConfigError::WrongProduct { .. }]),
        "{e:?}"
    );
    assert!(e[0].to_string().contains("boot") && e[0].to_string().contains("sneaker"));
    let e = p.from_template("modern", &BTreeMap::new()).unwrap_err();
    assert!(matches!(e, ConfigError::UnknownTemplate { .. }), "{e:?}");
    assert!(
        e.to_string().contains("modern") && e.to_string().contains("classic"),
        "{e}"
    );
}

#[test]
fn unknown_option_suggests_the_closest() {
    let e = one(&package(), json!({ "lace_colour": "white" }));
    assert_eq!(e.option(), Some("lace_colour"));
    let text = e.to_string();
    assert!(text.contains("did you mean \"lace_color\"?"), "{text}");
    assert!(text.contains("colorway, lace_color, sole"), "{text}");
    let e = one(&package(), json!({ "zzz": 1 }));
    assert!(
        matches!(
            e,
            ConfigError::UnknownOption {
                suggestion: None,
                ..
            }
        ),
        "{e:?}"
    );
}

#[test]
fn wrong_types_name_what_is_expected() {
    let p = package();
    for (option, value, expected) in [
        ("colorway", json!(1), "a value id"),
        (
            "lace_color",
            json!([255, 0, 0]),
            "palette id or \"#rrggbb\"",
        ),
        ("sole", json!(null), "a value id"),
        ("laces", json!("yes"), "true or false"),
        ("name", json!(42), "a text"),
        ("logo", json!({ "url": "x" }), "image reference"),
    ] {
        let e = one(&p, json!({ option: value }));
        assert!(matches!(e, ConfigError::WrongType { .. }), "{e:?}");
        let text = e.to_string();
        assert!(text.contains(option) && text.contains(expected), "{text}");
    }
}

#[test]
fn values_outside_the_domain_list_what_is_allowed() {
    let p = package();
    let e = one(&p, json!({ "sole": "leather" }));
    assert_eq!(
        e.to_string(),
        "option \"sole\": \"leather\" is not one of its values; allowed: rubber, gum, suede"
    );
    let e = one(&p, json!({ "print": "Tartan" }));
    assert!(e.to_string().contains("plain, tartan"), "{e}");
    let e = one(&p, json!({ "lace_color": "teal" }));
    assert!(e.to_string().contains("white, sand, red, #rrggbb"), "{e}");
}

#[test]
fn colours_free_hex_and_limits() {
    let p = package();
    // Free colours are canonical lowercase #rrggbb.
    let r = p
        .validate(&cfg(json!({ "lace_color": "#FF8800" })))
        .unwrap();
    assert_eq!(r.get("lace_color"), Some(&json!("#ff8800")));
    let r = p.validate(&cfg(json!({ "lace_color": "#F80" }))).unwrap();
    assert_eq!(r.get("lace_color"), Some(&json!("#ff8800")));
    // Bad hex.
    let e = one(&p, json!({ "lace_color": "#ff88zz" }));
    assert!(
        matches!(e, ConfigError::InvalidHex { .. }) && e.to_string().contains("#ff88zz"),
        "{e}"
    );
    // Lightness limits [0.1, 0.95].
    let e = one(&p, json!({ "lace_color": "#fefefe" }));
    assert!(matches!(e, ConfigError::ColorOutOfLimits { .. }), "{e:?}");
    let text = e.to_string();
    assert!(
        text.contains("lightness 0.996") && text.contains("[0.1, 0.95]"),
        "{text}"
    );
    assert!(
        p.validate(&cfg(json!({ "lace_color": "#000000" })))
            .is_err()
    );
    // Hue limits wrap through 0 when min > max; saturation limits.
    let mut d = fixture();
    d["options"][1]["free"] = json!({ "hue": [330, 30], "saturation": [0.5, 1] });
    let q = package_at(&d, Path::new("/x"));
    assert!(q.validate(&cfg(json!({ "lace_color": "#ff0000" }))).is_ok());
    assert!(
        q.validate(&cfg(json!({ "lace_color": "#ff0040" }))).is_ok(),
        "hue ≈ 345"
    );
    let e = one(&q, json!({ "lace_color": "#00ff00" }));
    assert!(e.to_string().contains("hue 120.000"), "{e}");
    let e = one(&q, json!({ "lace_color": "#806060" }));
    assert!(e.to_string().contains("saturation"), "{e}");
    // No free colours: a hex is refused, naming the palette.
    let mut d = fixture();
    d["options"][1].as_object_mut().unwrap().remove("free");
    let q = package_at(&d, Path::new("/x"));
    let e = one(&q, json!({ "lace_color": "#ff8800" }));
    assert!(
        matches!(e, ConfigError::FreeColorNotAllowed { .. }),
        "{e:?}"
    );
    assert!(e.to_string().contains("white, sand, red"), "{e}");
}

#[test]
fn hsl_known_values() {
    use crate::product::domain::hsl;
    assert_eq!(hsl([255, 0, 0]), (0.0, 1.0, 0.5));
    assert_eq!(hsl([0, 0, 255]), (240.0, 1.0, 0.5));
    let (h, s, l) = hsl([255, 136, 0]);
    assert!((h - 32.0).abs() < 0.01 && (s - 1.0).abs() < 1e-9 && (l - 0.5).abs() < 1e-9);
    assert_eq!(hsl([128, 128, 128]).1, 0.0);
}

#[test]
fn text_too_long_counts_characters() {
    let p = package();
    assert!(
        p.validate(&cfg(json!({ "name": "Zoë Ångström" }))).is_ok(),
        "12 characters, more bytes"
    );
    let e = one(&p, json!({ "name": "Zoë Ångström!" }));
    assert!(
        matches!(
            e,
            ConfigError::TextTooLong {
                length: 13,
                max: 12,
                ..
            }
        ),
        "{e:?}"
    );
    assert!(e.to_string().contains("at most 12"), "{e}");
}

#[test]
fn visible_when_hides_and_refuses_values() {
    let p = package();
    let r = p.validate(&cfg(json!({ "laces": false }))).unwrap();
    assert!(r.get("name").is_none(), "hidden options are dropped");
    let e = one(&p, json!({ "laces": false, "name": "Ann" }));
    assert!(matches!(e, ConfigError::Hidden { .. }), "{e:?}");
    let text = e.to_string();
    assert!(
        text.contains("laces in [true]") && text.contains("laces is false"),
        "{text}"
    );
    let r = p
        .validate(&cfg(json!({ "laces": true, "name": "Ann" })))
        .unwrap();
    assert_eq!(r.get("name"), Some(&json!("Ann")));
    // A wrong value for the controlling option does not also blame the hidden one.
    let e = one(&p, json!({ "laces": "no", "name": "Ann" }));
    assert!(matches!(e, ConfigError::WrongType { .. }), "{e:?}");
}

#[test]
fn requires_rule() {
    let p = package();
    assert!(
        p.validate(&cfg(json!({ "colorway": "beach", "lace_color": "sand" })))
            .is_ok()
    );
    let e = one(&p, json!({ "colorway": "beach", "lace_color": "red" }));
    let ConfigError::RuleBroken {
        index,
        if_option,
        then_option,
        ..
    } = &e
    else {
        panic!("{e:?}")
    };
    assert_eq!(
        (*index, if_option.as_str(), then_option.as_str()),
        (0, "colorway", "lace_color")
    );
    let text = e.to_string();
    assert!(text.contains("Beach laces come in white or sand"), "{text}");
    assert!(
        text.contains("colorway in [beach] requires lace_color in [white, sand]"),
        "{text}"
    );
    assert!(text.contains("lace_color is red"), "{text}");
    // A custom colour breaks it too; a hex in a condition matches canonically.
    assert!(
        p.validate(&cfg(
            json!({ "colorway": "beach", "lace_color": "#c2b280" })
        ))
        .is_err()
    );
    let mut d = fixture();
    d["rules"][0]["then"]["in"] = json!(["white", "#C2B280"]);
    let q = package_at(&d, Path::new("/x"));
    assert!(
        q.validate(&cfg(
            json!({ "colorway": "beach", "lace_color": "#c2b280" })
        ))
        .is_ok()
    );
    // A wrong value does not also break the rule.
    let e = one(&p, json!({ "colorway": "beach", "lace_color": "teal" }));
    assert!(matches!(e, ConfigError::NotInDomain { .. }), "{e:?}");
}

#[test]
fn excludes_rule() {
    let p = package();
    let e = one(&p, json!({ "sole": "gum" }));
    assert!(
        matches!(e, ConfigError::RuleBroken { index: 1, .. }),
        "{e:?}"
    );
    assert!(
        e.to_string()
            .contains("sole in [gum] excludes colorway in [midnight]"),
        "{e}"
    );
    assert!(
        p.validate(&cfg(json!({ "sole": "gum", "colorway": "beach" })))
            .is_ok()
    );
    // Rules on text with "*": non-empty.
    let mut d = fixture();
    d["rules"] = json!([{ "kind": "excludes", "if": { "option": "name", "in": ["*"] },
                          "then": { "option": "logo", "in": ["*"] }, "message": "Name or logo, not both" }]);
    let q = package_at(&d, Path::new("/x"));
    assert!(q.validate(&cfg(json!({ "name": "Ann" }))).is_ok());
    assert!(
        q.validate(&cfg(json!({ "name": "Ann", "logo": "upload:1" })))
            .is_err()
    );
    assert!(
        q.validate(&cfg(json!({ "name": "", "logo": "upload:1" })))
            .is_ok()
    );
}

#[test]
fn every_error_at_once() {
    let p = package();
    let c = Configuration {
        product: "boot".into(),
        selections: serde_json::from_value(json!({
            "colorway": 7, "lace_color": "#zzz", "sole": "leather", "laces": "maybe",
            "name": "far too long a name", "logo": false, "extra": true
        }))
        .unwrap(),
    };
    let e = p.validate(&c).unwrap_err();
    assert_eq!(e.len(), 8, "{e:#?}");
}

#[test]
fn templates_and_overrides() {
    let p = package();
    let t = p.template("classic").unwrap();
    assert_eq!(t.selections.get("lace_color"), Some(&json!("white")));
    assert!(p.template("nope").is_none());
    let overrides: BTreeMap<_, _> = [("lace_color".to_string(), json!("sand"))].into();
    let c = p.from_template("classic", &overrides).unwrap();
    let r = p.validate(&c).unwrap();
    assert_eq!(r.get("lace_color"), Some(&json!("sand")));
    assert_eq!(r.get("colorway"), Some(&json!("midnight")));
    let r = p
        .from_template(
            "classic",
            &[("lace_color".to_string(), json!("red"))].into(),
        )
        .unwrap();
    let r = p.validate(&r).unwrap();
    assert_eq!(r.get("lace_color"), Some(&json!("red")));
    let via_with = Configuration::new("sneaker")
        .with("colorway", "midnight")
        .with("lace_color", "red");
    assert_eq!(p.validate(&via_with).unwrap(), r);
}

#[test]
fn canonical_form_and_hash() {
    let p = package();
    let a = Configuration::from_json_str(r##"{"product":"sneaker","selections":{"lace_color":"#FF8800","name":"Ann","laces":true}}"##).unwrap();
    let b = Configuration::from_json_str(r##"{"selections":{"laces":true,"name":"Ann","lace_color":"#ff8800"},"product":"sneaker"}"##).unwrap();
    let (ra, rb) = (p.validate(&a).unwrap(), p.validate(&b).unwrap());
    let canon = ra.canonical_json();
    assert_eq!(canon, rb.canonical_json());
    assert_eq!(
        canon,
        r##"{"product":"sneaker","selections":{"colorway":"midnight","lace_color":"#ff8800","laces":true,"logo":"","name":"Ann","print":"plain","sole":"rubber"}}"##
    );
    let render = json!({ "width": 1024, "height": 1024, "shot": "front" });
    let render_reordered = json!({ "shot": "front", "height": 1024, "width": 1024.0 });
    let h = ra.hash(&render);
    assert_eq!(h.len(), 64);
    assert!(
        h.bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    );
    assert_eq!(h, rb.hash(&render_reordered));
    assert_eq!(h, ra.hash(&render), "stable");
    assert_ne!(
        h,
        ra.hash(&json!({ "width": 512, "height": 1024, "shot": "front" })),
        "render settings count"
    );
    // Another revision of the package gives another hash.
    let mut d = fixture();
    d["version"] = json!("1.0.1");
    let rc = package_at(&d, Path::new("/x")).validate(&a).unwrap();
    assert_eq!(rc.canonical_json(), canon);
    assert_ne!(rc.hash(&render), h);
    // The canonical configuration validates to itself.
    let again = Configuration::from_json_str(&canon).unwrap();
    assert_eq!(p.validate(&again).unwrap().canonical_json(), canon);
    assert_eq!(p.validate(&ra.to_configuration()).unwrap(), ra);
    // Defaults given explicitly or left out: the same configuration.
    let explicit = cfg(json!({ "colorway": "midnight", "sole": "rubber" }));
    assert_eq!(
        p.validate(&explicit).unwrap().hash(&render),
        p.validate(&cfg(json!({}))).unwrap().hash(&render)
    );
}

#[test]
fn invalid_definition_default_is_reported_not_panicked() {
    let mut d = fixture();
    d["options"][4]["default"] = json!("yes");
    let p = package_at(&d, Path::new("/x"));
    let e = one(&p, json!({}));
    assert!(matches!(e, ConfigError::InvalidDefault { .. }), "{e:?}");
    assert!(
        e.to_string().contains("laces") && e.to_string().contains("yes"),
        "{e}"
    );
}
