//! Image URLs, signatures, API keys and CORS.

use crate::common::*;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use base64::Engine as _;
use serde_json::json;

#[tokio::test]
async fn image_urls_render_and_revalidate() {
    let (state, app) = start(config()).await;
    let base = "/v1/products/sheen-chair/image";
    let r = get(
        &app,
        &format!("{base}?width=64&height=64&sel.fabric=peacock&sel.label=false"),
    )
    .await;
    assert_eq!(r.image("image/png"), (64, 64));
    assert_eq!(
        r.header("cache-control"),
        "public, max-age=31536000, immutable"
    );
    assert_eq!(r.header("x-cache"), "miss");
    let etag = r.etag();
    // The same configuration by `config` (URL-safe base64) and by POST.
    let cfg = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(json!({"label": false, "fabric": "peacock"}).to_string());
    let r = get(&app, &format!("{base}?config={cfg}&height=64&width=64")).await;
    assert_eq!((r.etag(), r.header("x-cache")), (etag.clone(), "hit"));
    let r = render(&app, chair(json!({"fabric": "peacock", "label": false}))).await;
    assert_eq!(r.etag(), etag);
    // If-None-Match, with GET and HEAD.
    for method in ["GET", "HEAD"] {
        let req = Request::builder()
            .method(method)
            .uri(format!(
                "{base}?width=64&height=64&sel.fabric=peacock&sel.label=false"
            ))
            .header("if-none-match", format!("W/{etag}, \"other\""))
            .body(Body::empty())
            .unwrap();
        let r = send(&app, req).await;
        assert_eq!(r.status, StatusCode::NOT_MODIFIED, "{method}");
        assert_eq!(r.etag(), etag);
    }
    let head = Request::head(format!(
        "{base}?width=64&height=64&sel.fabric=peacock&sel.label=false"
    ))
    .body(Body::empty())
    .unwrap();
    let r = send(&app, head).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.is_empty());
    assert_eq!(r.header("content-type"), "image/png");
    assert_eq!(state.renders(), 1);
    // Bad query input.
    get(&app, &format!("{base}?width=abc"))
        .await
        .problem(400, "invalid-field");
    get(&app, &format!("{base}?widht=64"))
        .await
        .problem(400, "invalid-field");
    get(&app, &format!("{base}?config=%%%"))
        .await
        .problem(400, "invalid-field");
    get(&app, &format!("{base}?config=bm90IGpzb24"))
        .await
        .problem(400, "invalid-field");
    get(&app, &format!("{base}?width=64&sel.fabric=tweed"))
        .await
        .problem(422, "invalid-configuration");
    get(&app, &format!("{base}?width=9000"))
        .await
        .problem(422, "size-limit");
    get(&app, "/v1/products/nope/image?width=64")
        .await
        .problem(404, "unknown-product");
}

#[tokio::test]
async fn api_keys_guard_render_endpoints() {
    let mut c = config();
    c.api_keys = vec!["k-one".into(), "k-two".into()];
    let (_state, app) = start(c).await;
    let r = render(&app, chair(json!({}))).await;
    r.problem(401, "unauthorized");
    assert_eq!(r.header("www-authenticate"), "Bearer");
    let mut req = post_json("/v1/render", &chair(json!({})));
    req.headers_mut()
        .insert("authorization", "Bearer wrong".parse().unwrap());
    send(&app, req).await.problem(401, "unauthorized");
    let mut req = post_json("/v1/render", &chair(json!({})));
    req.headers_mut()
        .insert("authorization", "Bearer k-two".parse().unwrap());
    send(&app, req).await.image("image/png");
    let url = "/v1/products/sheen-chair/image?width=64";
    get(&app, url).await.problem(401, "unauthorized");
    let req = Request::get(url)
        .header("authorization", "Bearer k-one")
        .body(Body::empty())
        .unwrap();
    send(&app, req).await.image("image/png");
    // The catalogue stays open.
    assert_eq!(get(&app, "/v1/products").await.status, StatusCode::OK);
}

#[tokio::test]
async fn signed_urls() {
    let mut c = config();
    c.signing_key = "sekrit".into();
    let (_state, app) = start(c).await;
    let url = "/v1/products/sheen-chair/image?width=64&sel.fabric=mango";
    get(&app, url).await.problem(403, "bad-signature");
    get(&app, &format!("{url}&sig=00ff"))
        .await
        .problem(403, "bad-signature");
    get(&app, &format!("{url}&sig=zz"))
        .await
        .problem(403, "bad-signature");
    let signed = showroom_server::sign_url("sekrit", url);
    get(&app, &signed).await.image("image/png");
    let other_key = showroom_server::sign_url("other", url);
    get(&app, &other_key).await.problem(403, "bad-signature");
    let tampered = signed.replace("width=64", "width=65");
    get(&app, &tampered).await.problem(403, "bad-signature");
    // Parameter order does not matter.
    let sig = signed.rsplit_once("sig=").unwrap().1;
    let r = get(
        &app,
        &format!("/v1/products/sheen-chair/image?sig={sig}&sel.fabric=mango&width=64"),
    )
    .await;
    assert_eq!(r.header("x-cache"), "hit");
}

#[tokio::test]
async fn cors_follows_the_configuration() {
    let (_s, closed) = start(config()).await;
    let req = Request::get("/v1/products")
        .header("origin", "https://shop.example")
        .body(Body::empty())
        .unwrap();
    assert!(
        send(&closed, req)
            .await
            .headers
            .get("access-control-allow-origin")
            .is_none()
    );
    let mut c = config();
    c.cors_origins = vec!["https://shop.example".into()];
    let (_s2, open) = start(c).await;
    let req = Request::get("/v1/products")
        .header("origin", "https://shop.example")
        .body(Body::empty())
        .unwrap();
    let r = send(&open, req).await;
    assert_eq!(
        r.header("access-control-allow-origin"),
        "https://shop.example"
    );
    assert!(r.header("access-control-expose-headers").contains("etag"));
    let pre = Request::options("/v1/render")
        .header("origin", "https://shop.example")
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "content-type,authorization",
        )
        .body(Body::empty())
        .unwrap();
    let r = send(&open, pre).await;
    assert!(r.status.is_success(), "{}", r.status);
    assert!(r.header("access-control-allow-methods").contains("POST"));
    let req = Request::get("/v1/products")
        .header("origin", "https://evil.example")
        .body(Body::empty())
        .unwrap();
    assert!(
        send(&open, req)
            .await
            .headers
            .get("access-control-allow-origin")
            .is_none()
    );
}
