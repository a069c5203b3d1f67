//! What comes out of a resolved configuration: look, price, production sheet.

use super::{cfg, fixture, package, package_at};
use crate::color::srgb8_to_linear;
use crate::product::look::{MaterialChange, Slot, TextureChannel};
use crate::product::{PriceError, format_money, minor_unit_digits};
use serde_json::json;
use std::path::{Path, PathBuf};

#[test]
fn look_of_defaults() {
    let p = package();
    let look = p.look(&p.validate(&cfg(json!({}))).unwrap());
    assert_eq!(look.variant.as_deref(), Some("midnight"));
    assert!(look.hidden_nodes.is_empty());
    // Colour (tint mode, palette hex upper case) then the library rubber; the
    // plain print keeps the model's texture (no edit).
    assert_eq!(look.edits.len(), 2, "{look:#?}");
    assert_eq!(look.edits[0].slot, Slot::Node("Laces".into()));
    assert_eq!(
        look.edits[0].change,
        MaterialChange::BaseColor {
            linear: srgb8_to_linear([0xf4, 0xf4, 0xf0]),
            tint: true
        }
    );
    let MaterialChange::Replace(m) = &look.edits[1].change else {
        panic!("{look:#?}")
    };
    assert_eq!(m.name, "rubber");
    assert_eq!(look.edits[1].slot, Slot::Material("sole".into()));
}

#[test]
fn look_of_every_kind() {
    let p = package();
    let r = p
        .validate(&cfg(json!({
            "colorway": "beach", "lace_color": "white", "sole": "suede", "print": "tartan",
            "laces": false
        })))
        .unwrap();
    let look = p.look(&r);
    assert_eq!(p.try_look(&r).unwrap(), look);
    assert_eq!(look.variant.as_deref(), Some("beach"));
    assert_eq!(look.hidden_nodes, ["Laces"]);
    let slots: Vec<&Slot> = look.edits.iter().map(|e| &e.slot).collect();
    assert_eq!(
        slots,
        [
            &Slot::Node("Laces".into()),
            &Slot::Material("sole".into()),
            &Slot::Mesh("seat".into())
        ]
    );
    let MaterialChange::Replace(m) = &look.edits[1].change else {
        panic!()
    };
    assert_eq!(m.name, "red-suede");
    assert_eq!(
        m.roughness,
        crate::product::library::preset("suede").unwrap().roughness
    );
    assert_eq!(
        look.edits[2].change,
        MaterialChange::Texture {
            channel: TextureChannel::BaseColor,
            file: Some(PathBuf::from("/nonexistent/sneaker/textures/tartan.png"))
        }
    );
    // A free colour: sRGB hex to linear once; replace mode drops the tint.
    let mut d = fixture();
    d["options"][1]["mode"] = json!("replace");
    let q = package_at(&d, Path::new("/x"));
    let look = q.look(
        &q.validate(&cfg(json!({ "lace_color": "#FF8800" })))
            .unwrap(),
    );
    let MaterialChange::BaseColor { linear, tint } = look.edits[0].change else {
        panic!()
    };
    assert!(!tint);
    assert_eq!(linear[0], 1.0);
    assert!((linear[1] - 0.246_201).abs() < 1e-5, "{linear:?}");
    assert_eq!(linear[2], 0.0);
    // `material: null` keeps the model's material: no edit.
    let mut d = fixture();
    d["options"][2]["values"][0]["material"] = json!(null);
    let q = package_at(&d, Path::new("/x"));
    assert!(
        q.check_self()
            .iter()
            .all(|p| p.kind == crate::product::ProblemKind::MissingFile)
    );
    let look = q.look(&q.validate(&cfg(json!({}))).unwrap());
    assert!(
        look.edits
            .iter()
            .all(|e| e.slot != Slot::Material("sole".into())),
        "{look:#?}"
    );
    // An unresolvable material (a definition with problems): try_look fails,
    // look leaves the edit out.
    let mut d = fixture();
    d["options"][2]["values"][1]["material"] = json!("missing");
    d["rules"] = json!([]);
    let q = package_at(&d, Path::new("/x"));
    let r = q.validate(&cfg(json!({ "sole": "gum" }))).unwrap();
    assert!(q.try_look(&r).is_err());
    assert_eq!(q.look(&r).edits.len(), 1, "only the lace colour");
}

#[test]
fn price_sums_deltas_including_negative() {
    let p = package();
    let r = p.validate(&cfg(json!({}))).unwrap();
    let b = p.price(&r).unwrap();
    assert_eq!(
        (b.currency.as_str(), b.base, b.total),
        ("EUR", 12900, 12900)
    );
    assert_eq!(b.lines.len(), 7);
    let r = p
        .validate(&cfg(json!({
            "colorway": "beach", "lace_color": "sand", "sole": "suede", "print": "tartan",
            "name": "Ann", "logo": "upload:42"
        })))
        .unwrap();
    let b = p.price(&r).unwrap();
    assert_eq!(b.total, 12900 + 500 + 1500 + 2000 + 1500 + 900);
    let deltas: Vec<(&str, i64)> = b
        .lines
        .iter()
        .map(|l| (l.option.as_str(), l.delta))
        .collect();
    assert_eq!(
        deltas,
        [
            ("colorway", 500),
            ("lace_color", 0),
            ("sole", 1500),
            ("print", 2000),
            ("laces", 0),
            ("name", 1500),
            ("logo", 900)
        ]
    );
    assert_eq!(b.lines[0].value_label, "Beach");
    // A negative delta and a custom colour.
    let red = p
        .price(&p.validate(&cfg(json!({ "lace_color": "red" }))).unwrap())
        .unwrap();
    assert_eq!(red.total, 12900 - 200);
    let custom = p
        .price(
            &p.validate(&cfg(json!({ "lace_color": "#ff8800" })))
                .unwrap(),
        )
        .unwrap();
    assert_eq!(custom.total, 12900 + 500);
    assert_eq!(custom.lines[1].value_label, "Custom #ff8800");
    let table = custom.to_table();
    assert!(
        table.contains("134.00 EUR") && table.contains("5.00 EUR"),
        "{table}"
    );
}

#[test]
fn price_overflow_is_an_error() {
    let mut d = fixture();
    d["base_price"] = json!(i64::MAX - 100);
    d["options"][6]["price"] = json!(101);
    let p = package_at(&d, Path::new("/x"));
    assert_eq!(
        p.price(&p.validate(&cfg(json!({}))).unwrap())
            .unwrap()
            .total,
        i64::MAX - 100
    );
    let r = p.validate(&cfg(json!({ "logo": "x" }))).unwrap();
    let e = p.price(&r).unwrap_err();
    assert!(
        matches!(e, PriceError::Overflow { ref option, delta: 101, .. } if option == "logo"),
        "{e:?}"
    );
    // Negative overflow too.
    let mut d = fixture();
    d["base_price"] = json!(0);
    d["options"][6]["price"] = json!(i64::MIN);
    d["options"][5]["price"] = json!(-1);
    let p = package_at(&d, Path::new("/x"));
    let r = p
        .validate(&cfg(json!({ "logo": "x", "name": "y" })))
        .unwrap();
    assert!(matches!(p.price(&r), Err(PriceError::Overflow { .. })));
    // Another product's configuration is refused.
    let mut other = fixture();
    other["id"] = json!("boot");
    let q = package_at(&other, Path::new("/x"));
    assert!(matches!(
        q.price(&package().validate(&cfg(json!({}))).unwrap()),
        Err(PriceError::WrongProduct { .. })
    ));
}

#[test]
fn money_formatting() {
    assert_eq!(format_money(12900, "EUR"), "129.00 EUR");
    assert_eq!(format_money(5, "USD"), "0.05 USD");
    assert_eq!(format_money(-250, "EUR"), "-2.50 EUR");
    assert_eq!(format_money(0, "GBP"), "0.00 GBP");
    assert_eq!(format_money(1500, "JPY"), "1500 JPY");
    assert_eq!(format_money(-7, "KRW"), "-7 KRW");
    assert_eq!(format_money(1234, "KWD"), "1.234 KWD");
    assert_eq!(format_money(i64::MIN, "EUR"), "-92233720368547758.08 EUR");
    assert_eq!((minor_unit_digits("jpy"), minor_unit_digits("CHF")), (0, 2));
}

#[test]
fn production_sheet_lists_codes_and_contents() {
    let p = package();
    let r = p
        .validate(&cfg(json!({ "colorway": "beach", "lace_color": "white", "name": "Ann", "logo": "upload:42" })))
        .unwrap();
    let sheet = p.production_sheet(&r);
    assert_eq!(
        (sheet.product.as_str(), sheet.revision.as_str()),
        ("sneaker", p.revision.as_str())
    );
    let get = |o: &str| sheet.lines.iter().find(|l| l.option == o).unwrap();
    assert_eq!(get("colorway").code.as_deref(), Some("SNK-BCH"));
    assert_eq!(get("lace_color").code.as_deref(), Some("LACE-01"));
    assert_eq!(get("sole").code, None);
    assert_eq!(get("laces").code.as_deref(), Some("LACES"));
    assert_eq!(get("name").code.as_deref(), Some("EMB-NAME"));
    assert_eq!(get("name").content.as_deref(), Some("Ann"));
    assert_eq!(get("logo").content.as_deref(), Some("upload:42"));
    let json = serde_json::to_value(&sheet).unwrap();
    assert_eq!(json["lines"][0]["option"], "colorway");
    assert!(json.to_string().find("hash").is_none());
    let table = sheet.to_string();
    assert!(
        table.contains("EMB-NAME") && table.contains("Ann") && table.contains("Test Sneaker"),
        "{table}"
    );
    // Hidden laces: no code, and the name is gone.
    let sheet = p.production_sheet(&p.validate(&cfg(json!({ "laces": false }))).unwrap());
    assert_eq!(
        sheet
            .lines
            .iter()
            .find(|l| l.option == "laces")
            .unwrap()
            .code,
        None
    );
    assert!(sheet.lines.iter().all(|l| l.option != "name"));
}
