//! Property tests of configuration validation and canonical form: random
//! configurations built from a product's domains, junk values, wrong JSON
//! types and extra keys never panic; valid ones have a stable hash whatever
//! the key order; canonical forms are fixed points.

use proptest::prelude::*;
use serde_json::{Value, json};
use showroom::product::{Configuration, ProductPackage, canonical};
use std::path::Path;

fn package() -> ProductPackage {
    let def = json!({
        "id": "mug", "name": "Mug", "version": "2.0.0", "model": "mug.glb",
        "currency": "JPY", "base_price": 1800,
        "materials": { "glaze": { "preset": "ceramic", "base_color": "#203040" } },
        "options": [
            { "id": "style", "label": "Style", "kind": "variant", "values": [
                { "id": "classic", "label": "Classic", "variant": "classic" },
                { "id": "tall", "label": "Tall", "variant": "tall", "price": 300 } ] },
            { "id": "body", "label": "Body", "kind": "material", "slot": { "material": "body" },
              "values": [
                { "id": "plain", "label": "Plain", "material": "library:ceramic" },
                { "id": "glazed", "label": "Glazed", "material": "glaze", "price": 500 },
                { "id": "steel", "label": "Steel", "material": "library:brushed-steel", "price": -100 } ] },
            { "id": "rim", "label": "Rim", "kind": "color", "slot": { "node": "Rim" },
              "palette": [
                { "id": "gold", "label": "Gold", "hex": "#d4af37" },
                { "id": "black", "label": "Black", "hex": "#111111" } ],
              "free": { "price": 200, "hue": [300, 60], "lightness": [0.2, 0.9] } },
            { "id": "decal", "label": "Decal", "kind": "texture", "slot": { "mesh": "cup" },
              "channel": "base_color", "values": [
                { "id": "none", "label": "None", "file": null },
                { "id": "dots", "label": "Dots", "file": "dots.png", "price": 100 } ] },
            { "id": "handle", "label": "Handle", "kind": "visibility", "nodes": ["Handle"], "price": 150 },
            { "id": "engraving", "label": "Engraving", "kind": "text", "max_length": 8, "price": 700,
              "visible_when": { "option": "handle", "in": [true] } },
            { "id": "photo", "label": "Photo", "kind": "image", "price": 900,
              "visible_when": { "option": "decal", "in": ["none"] } }
        ],
        "rules": [
            { "kind": "requires", "if": { "option": "style", "in": ["tall"] },
              "then": { "option": "handle", "in": [true] } },
            { "kind": "excludes", "if": { "option": "body", "in": ["steel"] },
              "then": { "option": "rim", "in": ["gold"] }, "message": "No gold on steel" }
        ],
        "templates": [ { "id": "office", "label": "Office", "selections": { "style": "tall" } } ]
    });
    ProductPackage::from_json_str(&def.to_string(), Path::new("/packages/mug")).unwrap()
}

/// Any JSON value, small.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        (-1e6f64..1e6).prop_map(|f| json!(f)),
        ".{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-z]{1,6}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn hex_colour() -> impl Strategy<Value = Value> {
    (any::<[u8; 3]>(), any::<bool>()).prop_map(|(c, upper)| {
        let s = format!("#{:02x}{:02x}{:02x}", c[0], c[1], c[2]);
        Value::String(if upper { s.to_uppercase() } else { s })
    })
}

/// A text value in object form: content plus overrides, some equal to the
/// slot's defaults (spelt differently), some not, some invalid.
fn text_object() -> impl Strategy<Value = Value> {
    let font = prop::sample::select(vec![
        None,
        Some("sans"),
        Some("Noto Sans"),
        Some("SERIF"),
        Some("script"),
        Some("Papyrus"),
    ]);
    let color = prop::option::of(hex_colour());
    let scale = prop::sample::select(vec![None, Some(1.0), Some(1.0000), Some(0.9)]);
    ("[a-zA-Z ]{0,9}", font, color, scale).prop_map(|(text, font, color, scale)| {
        let mut o = serde_json::Map::new();
        o.insert("text".into(), json!(text));
        if let Some(f) = font {
            o.insert("font".into(), json!(f));
        }
        if let Some(c) = color {
            o.insert("color".into(), c);
        }
        if let Some(s) = scale {
            o.insert("scale".into(), json!(s));
        }
        Value::Object(o)
    })
}

/// A value for an option: mostly from its domain, sometimes junk.
fn value_for(option: &'static str) -> BoxedStrategy<Value> {
    let domain: Vec<Value> = match option {
        "style" => vec![json!("classic"), json!("tall")],
        "body" => vec![json!("plain"), json!("glazed"), json!("steel")],
        "rim" => vec![json!("gold"), json!("black")],
        "decal" => vec![json!("none"), json!("dots")],
        "handle" => vec![json!(true), json!(false)],
        _ => vec![json!("")],
    };
    let good = prop::sample::select(domain);
    let special: BoxedStrategy<Value> = match option {
        "rim" => hex_colour().boxed(),
        "engraving" => {
            prop_oneof!["[a-zA-Zé ]{0,11}".prop_map(Value::String), text_object(),].boxed()
        }
        "photo" => "[a-zA-Zé ]{0,11}".prop_map(Value::String).boxed(),
        _ => "[a-z#]{0,8}".prop_map(Value::String).boxed(),
    };
    prop_oneof![16 => good, 3 => special, 1 => any_json()].boxed()
}

const OPTIONS: [&str; 7] = [
    "style",
    "body",
    "rim",
    "decal",
    "handle",
    "engraving",
    "photo",
];

/// Selections: each option present or not, plus random extra keys.
fn selections() -> impl Strategy<Value = Vec<(String, Value)>> {
    let per_option: Vec<BoxedStrategy<Option<Value>>> = OPTIONS
        .iter()
        .map(|o| prop::option::weighted(0.6, value_for(o)).boxed())
        .collect();
    let extra = prop::collection::btree_map("[a-z_]{1,10}", any_json(), 0..3);
    (per_option, extra, prop::bool::weighted(0.2)).prop_map(|(values, extra, with_extra)| {
        let mut out: Vec<(String, Value)> = OPTIONS
            .iter()
            .zip(values)
            .filter_map(|(o, v)| v.map(|v| (o.to_string(), v)))
            .collect();
        if with_extra {
            out.extend(
                extra
                    .into_iter()
                    .filter(|(k, _)| !OPTIONS.contains(&k.as_str())),
            );
        }
        out
    })
}

/// Configuration JSON text with the selections in the given order.
fn config_text(product: &str, entries: &[(String, Value)], product_first: bool) -> String {
    let body: Vec<String> = entries
        .iter()
        .map(|(k, v)| format!("{}: {}", serde_json::to_string(k).unwrap(), v))
        .collect();
    let selections = format!("\"selections\": {{ {} }}", body.join(", "));
    let product = format!("\"product\": {}", serde_json::to_string(product).unwrap());
    if product_first {
        format!("{{ {product}, {selections} }}")
    } else {
        format!("{{ {selections}, {product} }}")
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn validation_never_panics_and_valid_hashes_are_stable(
        entries in selections(),
        seed in any::<u64>(),
        wrong_product in prop::bool::weighted(0.05),
        template in prop::bool::weighted(0.1),
    ) {
        let p = package();
        let product = if wrong_product { "cup" } else { "mug" };
        let text = config_text(product, &entries, true);
        // Optionally start from the template, the generated selections winning.
        let with_template = |c: Configuration| {
            if template {
                let mut t = p.from_template("office", &c.selections).unwrap();
                t.product = c.product;
                t
            } else {
                c
            }
        };
        let cfg = with_template(Configuration::from_json_str(&text).unwrap());
        let render = json!({ "width": 800, "shot": "front" });
        match p.validate(&cfg) {
            Err(errors) => {
                prop_assert!(!errors.is_empty());
                for e in &errors {
                    prop_assert!(!e.to_string().is_empty());
                }
            }
            Ok(r) => {
                prop_assert!(!wrong_product);
                let h = r.hash(&render);
                prop_assert_eq!(&h, &r.hash(&render));
                // Shuffled key order in the input: the same hash.
                let mut shuffled = entries.clone();
                let n = shuffled.len();
                let mut s = seed;
                for i in (1..n).rev() {
                    s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    shuffled.swap(i, (s >> 33) as usize % (i + 1));
                }
                let again = with_template(Configuration::from_json_str(&config_text(product, &shuffled, seed % 2 == 0)).unwrap());
                let r2 = p.validate(&again).unwrap();
                prop_assert_eq!(&h, &r2.hash(&render));
                // The canonical configuration is a fixed point.
                let canon = r.canonical_json();
                let reparsed: Value = serde_json::from_str(&canon).unwrap();
                prop_assert_eq!(&canonical::to_string(&reparsed), &canon);
                let r3 = p.validate(&Configuration::from_json_str(&canon).unwrap()).unwrap();
                prop_assert_eq!(&r3.canonical_json(), &canon);
                prop_assert_eq!(&r3.hash(&render), &h);
                // Every visible option is present; colours are lowercase.
                for o in ["style", "body", "rim", "decal", "handle"] {
                    prop_assert!(r.get(o).is_some());
                }
                let rim = r.get("rim").and_then(Value::as_str).unwrap();
                prop_assert!(!rim.starts_with('#') || (rim.len() == 7 && rim == rim.to_lowercase()));
                // Outputs work on any valid configuration.
                let price = p.price(&r).unwrap();
                prop_assert_eq!(price.total, price.base + price.lines.iter().map(|l| l.delta).sum::<i64>());
                prop_assert!(p.try_look(&r).is_ok());
                prop_assert_eq!(p.production_sheet(&r).lines.len(), r.selections().len());
            }
        }
    }

    #[test]
    fn canonical_json_is_idempotent_and_order_free(v in any_json()) {
        let text = canonical::to_string(&v);
        let back: Value = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(&canonical::to_string(&back), &text);
        prop_assert_eq!(canonical::hash(&back), canonical::hash(&v));
        prop_assert!(!text.contains(' ') || text.contains('"'), "no whitespace outside strings: {}", text);
    }
}

/// The generator is useful only if it yields both outcomes often.
#[test]
fn generator_yields_valid_and_invalid_configurations() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let p = package();
    let mut runner = TestRunner::deterministic();
    let strategy = selections();
    let (mut ok, mut err) = (0, 0);
    for _ in 0..1000 {
        let entries = strategy.new_tree(&mut runner).unwrap().current();
        let cfg = Configuration::from_json_str(&config_text("mug", &entries, true)).unwrap();
        match p.validate(&cfg) {
            Ok(_) => ok += 1,
            Err(_) => err += 1,
        }
    }
    assert!(ok >= 100 && err >= 100, "{ok} valid, {err} invalid");
}
