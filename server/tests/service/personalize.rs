//! Personalization through the service: a name and a number rendered as
//! decals, a text that cannot fit answered as a 422 naming its option, and
//! the service serving on afterwards.

use crate::common::*;
use serde_json::{Value, json};

fn sneaker(selections: Value) -> Value {
    json!({ "product": "sneaker", "selections": selections, "width": 96, "height": 96, "shot": "heel" })
}

fn pixels(r: &Res) -> Vec<u8> {
    image::load_from_memory(&r.body)
        .unwrap()
        .to_rgba8()
        .into_raw()
}

#[tokio::test]
async fn a_name_is_rendered_on_the_product() {
    let (_state, app) = start(config()).await;
    let plain = render(&app, sneaker(json!({}))).await;
    plain.image("image/png");
    let named = render(&app, sneaker(json!({"name": "ALEXANDRA 23"}))).await;
    assert_eq!(named.image("image/png"), (96, 96));
    assert_ne!(named.etag(), plain.etag());
    let (a, b) = (pixels(&plain), pixels(&named));
    let changed = a
        .chunks_exact(4)
        .zip(b.chunks_exact(4))
        .filter(|(p, q)| p.iter().zip(q.iter()).any(|(x, y)| x.abs_diff(*y) > 24))
        .count();
    assert!(changed > 20, "the name changed {changed} pixels");
}

#[tokio::test]
async fn a_text_that_cannot_fit_is_a_422_naming_the_option() {
    // The heel slot is 60 mm wide; here its text may not shrink below 8 mm.
    let dir = copy_products(&["sneaker"]);
    let path = dir.path().join("sneaker/product.json");
    let mut def: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    for o in def["options"].as_array_mut().unwrap() {
        if o["id"] == "name" {
            o["min_size_mm"] = json!(8.0);
        }
    }
    std::fs::write(&path, serde_json::to_string(&def).unwrap()).unwrap();
    let mut c = config();
    c.products = dir.path().to_path_buf();
    let (_state, app) = start(c).await;
    let r = render(&app, sneaker(json!({"name": "WWWWWWWWWWWW"}))).await;
    let p = r.problem(422, "invalid-configuration");
    let e = &p["errors"][0];
    assert_eq!(e["field"], "selections.name", "{p}");
    assert!(e["reason"].as_str().unwrap().contains("8 mm"), "{p}");
    // The service keeps serving, the same product included.
    render(&app, sneaker(json!({"name": "MAX"})))
        .await
        .image("image/png");
}
