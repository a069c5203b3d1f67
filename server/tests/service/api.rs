//! Every endpoint and every bad-input path, through the router.

use crate::common::*;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::json;

#[tokio::test]
async fn system_endpoints() {
    let (_state, app) = start(config()).await;
    let r = get(&app, "/healthz").await;
    assert_eq!((r.status, &r.body[..]), (StatusCode::OK, &b"ok"[..]));
    let r = get(&app, "/readyz").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["status"], "ready");
    assert!(
        !r.header("x-request-id").is_empty(),
        "every response has a request id"
    );
    let r = get(&app, "/").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.header("content-type").starts_with("text/html"));
    let r = get(&app, "/openapi.json").await;
    assert_eq!(r.status, StatusCode::OK);
    let doc = r.json();
    assert!(
        doc["openapi"].as_str().unwrap().starts_with("3.1"),
        "{}",
        doc["openapi"]
    );
    for path in [
        "/v1/render",
        "/v1/products",
        "/v1/products/{id}",
        "/v1/products/{id}/assets/{path}",
        "/v1/products/{id}/configurations",
        "/v1/products/{id}/image",
        "/healthz",
        "/readyz",
        "/metrics",
    ] {
        assert!(doc["paths"][path].is_object(), "OpenAPI lacks {path}");
    }
    assert!(doc["components"]["schemas"]["RenderRequest"].is_object());
    get(&app, "/nowhere").await.problem(404, "about:blank");
    let r = send(
        &app,
        Request::delete("/healthz").body(Body::empty()).unwrap(),
    )
    .await;
    r.problem(405, "about:blank");
    let m = get(&app, "/metrics").await;
    assert_eq!(m.status, StatusCode::OK);
    let text = String::from_utf8_lossy(&m.body);
    assert!(
        text.contains(
            "showroom_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"} 1"
        ),
        "{text}"
    );
    for name in [
        "showroom_http_request_duration_seconds_bucket",
        "showroom_render_queue_depth",
        "showroom_render_cache_total{result=\"hit\"}",
        "showroom_render_cache_total{result=\"shared\"}",
        "showroom_renders_total",
        "showroom_render_seconds",
        "showroom_encode_seconds",
    ] {
        assert!(text.contains(name), "metrics lack {name}");
    }
}

#[tokio::test]
async fn request_ids_are_propagated() {
    let (_state, app) = start(config()).await;
    let r = send(
        &app,
        Request::get("/v1/products/nope")
            .header("x-request-id", "abc-123-def")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(r.header("x-request-id"), "abc-123-def");
    let p = r.problem(404, "unknown-product");
    assert_eq!(p["instance"], "/v1/products/nope");
}

#[tokio::test]
async fn products_and_definitions() {
    let (_state, app) = start(config()).await;
    let r = get(&app, "/v1/products").await;
    assert_eq!(r.status, StatusCode::OK);
    let list = r.json();
    let ids: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert!(
        ids.contains(&"sneaker") && ids.contains(&"sheen-chair"),
        "{ids:?}"
    );
    let chair = list
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "sheen-chair")
        .unwrap();
    for k in [
        "name",
        "version",
        "revision",
        "currency",
        "base_price",
        "shots",
    ] {
        assert!(!chair[k].is_null(), "summary lacks {k}");
    }
    assert_eq!(chair["base_price"], 49900);
    assert_eq!(chair["shots"][0]["id"], "three-quarter");
    let r = get(&app, "/v1/products/sneaker").await;
    assert_eq!(r.status, StatusCode::OK);
    let d = r.json();
    assert_eq!(d["id"], "sneaker");
    assert_eq!(d["revision"].as_str().unwrap().len(), 64);
    assert!(d["options"].as_array().unwrap().len() > 3);
    get(&app, "/v1/products/no-such-thing")
        .await
        .problem(404, "unknown-product");
}

#[tokio::test]
async fn assets_stay_inside_the_package() {
    let products = copy_products(&["sheen-chair"]);
    let secret = products.path().join("secret.txt");
    std::fs::write(&secret, "TOP SECRET").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        &secret,
        products.path().join("sheen-chair/textures/escape.txt"),
    )
    .unwrap();
    let mut c = config();
    c.products = products.path().to_path_buf();
    let (_state, app) = start(c).await;
    let r = get(
        &app,
        "/v1/products/sheen-chair/assets/textures/tartan_basecolor.png",
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.header("content-type"), "image/png");
    assert!(r.body.starts_with(b"\x89PNG"));
    for bad in [
        "/v1/products/sheen-chair/assets/../secret.txt",
        "/v1/products/sheen-chair/assets/textures/../../secret.txt",
        "/v1/products/sheen-chair/assets/%2e%2e/secret.txt",
        "/v1/products/sheen-chair/assets/%2e%2e%2fsecret.txt",
        "/v1/products/sheen-chair/assets/..%5csecret.txt",
        "/v1/products/sheen-chair/assets//etc/passwd",
        "/v1/products/sheen-chair/assets/%2fetc%2fpasswd",
        "/v1/products/sheen-chair/assets/textures/escape.txt",
        "/v1/products/sheen-chair/assets/textures",
        "/v1/products/sheen-chair/assets/missing.png",
    ] {
        let r = get(&app, bad).await;
        assert!(
            r.status == StatusCode::NOT_FOUND || r.status == StatusCode::BAD_REQUEST,
            "{bad}: {}",
            r.status
        );
        assert!(
            !String::from_utf8_lossy(&r.body).contains("TOP SECRET"),
            "{bad} leaked a file"
        );
        assert!(
            !String::from_utf8_lossy(&r.body).contains("root:"),
            "{bad} leaked a file"
        );
    }
    get(&app, "/v1/products/nope/assets/product.json")
        .await
        .problem(404, "unknown-product");
}

#[tokio::test]
async fn configurations_are_checked_priced_and_described() {
    let (_state, app) = start(config()).await;
    let uri = "/v1/products/sheen-chair/configurations";
    let r = send(
        &app,
        post_json(
            uri,
            &json!({"selections": {"fabric": "peacock", "hardware": "brass"}}),
        ),
    )
    .await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    let c = r.json();
    assert_eq!(c["product"], "sheen-chair");
    assert_eq!(c["selections"]["fabric"], "peacock");
    assert_eq!(
        c["selections"]["wood_tone"], "natural",
        "defaults are filled"
    );
    assert_eq!(c["price"]["total"], 49900 + 5000 + 12000);
    assert_eq!(c["hash"].as_str().unwrap().len(), 64);
    assert!(c["production"]["lines"].as_array().unwrap().len() >= 4);
    // A full configuration is accepted too.
    let r = send(
        &app,
        post_json(uri, &json!({"product": "sheen-chair", "selections": {}})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    // Every error at once.
    let r = send(
        &app,
        post_json(
            uri,
            &json!({"selections": {"fabrik": "mango", "hardware": "gold", "label": "yes"}}),
        ),
    )
    .await;
    let p = r.problem(422, "invalid-configuration");
    let fields: Vec<&str> = p["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert!(fields.contains(&"selections.fabrik"), "{p}");
    assert!(fields.contains(&"selections.hardware"), "{p}");
    assert!(fields.contains(&"selections.label"), "{p}");
    let r = send(
        &app,
        post_json(
            uri,
            &json!({"selections": {"pattern": "tartan", "fabric": "peacock"}}),
        ),
    )
    .await;
    let p = r.problem(422, "invalid-configuration");
    assert!(
        p["errors"].to_string().contains("Mango"),
        "a broken rule names its message: {p}"
    );
    let r = send(&app, post_json(uri, &json!({"product": "sneaker"}))).await;
    r.problem(422, "invalid-configuration");
    // Malformed JSON, wrong shape, not JSON, unknown product.
    let bad = Request::post(uri)
        .header("content-type", "application/json")
        .body(Body::from("{\"selections\": "))
        .unwrap();
    send(&app, bad).await.problem(400, "malformed-json");
    let p = send(&app, post_json(uri, &json!({"selections": 5})))
        .await
        .problem(422, "invalid-field");
    assert_eq!(p["errors"][0]["field"], "selections");
    send(&app, post_json(uri, &json!({"selection": {}})))
        .await
        .problem(422, "invalid-field");
    let text = Request::post(uri)
        .header("content-type", "text/plain")
        .body(Body::from("{}"))
        .unwrap();
    send(&app, text)
        .await
        .problem(415, "unsupported-media-type");
    send(
        &app,
        post_json("/v1/products/nope/configurations", &json!({})),
    )
    .await
    .problem(404, "unknown-product");
}

#[tokio::test]
async fn renders_in_every_format_with_etags_and_the_cache() {
    let (state, app) = start(config()).await;
    let r = render(&app, chair(json!({"fabric": "peacock"}))).await;
    assert_eq!(r.image("image/png"), (64, 64));
    assert_eq!(r.header("x-cache"), "miss");
    assert_eq!(r.header("cache-control"), "no-cache");
    let etag = r.etag();
    assert_eq!(etag.len(), 66);
    // Key order and defaults do not change the key.
    let r = render(&app, json!({"height": 64, "width": 64, "selections": {"fabric": "peacock", "wood_tone": "natural"}, "product": "sheen-chair"})).await;
    assert_eq!(r.header("x-cache"), "hit");
    assert_eq!(r.etag(), etag);
    // If-None-Match → 304 without a body.
    let mut req = post_json("/v1/render", &chair(json!({"fabric": "peacock"})));
    req.headers_mut()
        .insert("if-none-match", etag.parse().unwrap());
    let r = send(&app, req).await;
    assert_eq!(r.status, StatusCode::NOT_MODIFIED);
    assert!(r.body.is_empty());
    assert_eq!(r.etag(), etag);
    assert_eq!(state.renders(), 1);
    // Other formats, sizes and cameras.
    let mut j = chair(json!({}));
    j["format"] = json!("jpeg");
    j["quality"] = json!(80);
    j["background"] = json!("#ffffff");
    j["shot"] = json!("side");
    assert_eq!(render(&app, j).await.image("image/jpeg"), (64, 64));
    let mut w = chair(json!({}));
    w["format"] = json!("webp");
    w["width"] = json!(96);
    w["camera"] = json!({"yaw": 10, "pitch": 20, "fov": 40, "distance": "fit"});
    assert_eq!(render(&app, w).await.image("image/webp"), (96, 64));
    let mut e = chair(json!({}));
    e["format"] = json!("exr");
    e["width"] = json!(32);
    e["height"] = json!(32);
    let r = render(&app, e).await;
    r.image("image/x-exr");
    assert!(
        r.body.starts_with(&[0x76, 0x2f, 0x31, 0x01]),
        "an OpenEXR file"
    );
    assert_eq!(state.renders(), 4);
}

#[tokio::test]
async fn render_requests_with_bad_input_never_fail_with_500() {
    let mut c = config();
    c.max_body_bytes = 64 * 1024;
    let (state, app) = start(c).await;
    render(&app, json!({"product": "nope", "width": 64}))
        .await
        .problem(404, "unknown-product");
    let p = render(&app, chair(json!({"colour": "red"})))
        .await
        .problem(422, "invalid-configuration");
    assert_eq!(p["errors"][0]["field"], "selections.colour");
    let p = render(&app, chair(json!({"fabric": "tweed"})))
        .await
        .problem(422, "invalid-configuration");
    assert!(
        p["errors"][0]["reason"].as_str().unwrap().contains("mango"),
        "{p}"
    );
    render(&app, chair(json!({"fabric": 3})))
        .await
        .problem(422, "invalid-configuration");
    let mut big = chair(json!({}));
    big["width"] = json!(5000);
    let p = render(&app, big).await.problem(422, "size-limit");
    assert_eq!(p["errors"][0]["field"], "width");
    let mut zero = chair(json!({}));
    zero["height"] = json!(0);
    render(&app, zero).await.problem(422, "size-limit");
    let mut neg = chair(json!({}));
    neg["width"] = json!(-4);
    let p = render(&app, neg).await.problem(422, "invalid-field");
    assert_eq!(p["errors"][0]["field"], "width");
    let mut s = chair(json!({}));
    s["width"] = json!("wide");
    render(&app, s).await.problem(422, "invalid-field");
    let mut f = chair(json!({}));
    f["format"] = json!("gif");
    let p = render(&app, f).await.problem(422, "invalid-field");
    assert_eq!(p["errors"][0]["field"], "format");
    let mut q = chair(json!({}));
    q["format"] = json!("jpeg");
    q["quality"] = json!(0);
    render(&app, q).await.problem(422, "invalid-field");
    let mut b = chair(json!({}));
    b["background"] = json!("#zzzzzz");
    render(&app, b).await.problem(422, "invalid-field");
    let mut shot = chair(json!({}));
    shot["shot"] = json!("aerial");
    let p = render(&app, shot).await.problem(422, "invalid-field");
    assert!(
        p["errors"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("three-quarter")
    );
    let mut cam = chair(json!({}));
    cam["camera"] = json!({"yaw": 0, "pitch": 95});
    render(&app, cam).await.problem(422, "invalid-field");
    let mut unknown = chair(json!({}));
    unknown["colour"] = json!("red");
    render(&app, unknown).await.problem(422, "invalid-field");
    let bad = Request::post("/v1/render")
        .header("content-type", "application/json")
        .body(Body::from("{\"product\": \"sheen-chair\","))
        .unwrap();
    send(&app, bad).await.problem(400, "malformed-json");
    let bad = Request::post("/v1/render")
        .header("content-type", "application/json")
        .body(Body::from("{\"product\": \"sheen-chair\"} x"))
        .unwrap();
    send(&app, bad).await.problem(400, "malformed-json");
    let text = Request::post("/v1/render")
        .header("content-type", "text/plain")
        .body(Body::from("{}"))
        .unwrap();
    send(&app, text)
        .await
        .problem(415, "unsupported-media-type");
    // A body over max_body_bytes.
    let huge = json!({"product": "sheen-chair", "selections": {"monogram": "x".repeat(100_000)}});
    send(&app, post_json("/v1/render", &huge))
        .await
        .problem(413, "too-large");
    let uri = "/v1/products/sheen-chair/configurations";
    send(&app, post_json(uri, &huge))
        .await
        .problem(413, "too-large");
    assert_eq!(state.renders(), 0);
    let m = String::from_utf8_lossy(&get(&app, "/metrics").await.body).to_string();
    assert!(!m.contains("status=\"500\""), "no 500 in {m}");
}

#[tokio::test]
async fn a_ground_shadow_is_a_render_parameter() {
    let (_state, app) = start(config()).await;
    let plain = render(&app, chair(json!({}))).await;
    let mut body = chair(json!({}));
    body["shadow"] = json!(0.7);
    let shadowed = render(&app, body.clone()).await;
    shadowed.image("image/png");
    assert_ne!(
        shadowed.etag(),
        plain.etag(),
        "the shadow is in the cache key"
    );
    assert_ne!(shadowed.body, plain.body);
    body["shadow"] = json!(1.5);
    let p = render(&app, body).await.problem(422, "invalid-field");
    assert!(p.to_string().contains("shadow"), "{p}");
}

#[tokio::test]
async fn ambient_occlusion_is_a_render_parameter() {
    let (_state, app) = start(config()).await;
    let plain = render(&app, chair(json!({}))).await;
    let mut body = chair(json!({}));
    body["ssao"] = json!(2.0);
    let occluded = render(&app, body.clone()).await;
    occluded.image("image/png");
    assert_ne!(occluded.etag(), plain.etag(), "ssao is in the cache key");
    assert_ne!(occluded.body, plain.body);
    body["ssao"] = json!(9.0);
    let p = render(&app, body).await.problem(422, "invalid-field");
    assert!(p.to_string().contains("ssao"), "{p}");
}
