//! Personalization images: data URLs and multipart parts, and every way an
//! upload can be bad.

use crate::common::*;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use base64::Engine as _;
use serde_json::{Value, json};

fn with_image(data: String) -> Value {
    let mut j = chair(json!({}));
    j["images"] = json!({ "label_art": data });
    j
}

fn data_url(mime: &str, bytes: &[u8]) -> String {
    format!(
        "data:{mime};base64,{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    )
}

fn multipart(parts: &[(&str, &str, Vec<u8>)]) -> Request<Body> {
    let boundary = "XshowroomBOUNDARYx";
    let mut body = Vec::new();
    for (name, ct, bytes) in parts {
        body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{name}\"\r\nContent-Type: {ct}\r\n\r\n").as_bytes());
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    Request::post("/v1/render")
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body))
        .unwrap()
}

#[tokio::test]
async fn uploaded_images_become_content_addressed_references() {
    let mut c = config();
    c.max_upload_bytes = 64 * 1024;
    c.max_upload_pixels = 512 * 512;
    let (state, app) = start(c).await;
    let plain = render(&app, chair(json!({}))).await;
    plain.image("image/png");
    let logo = png(32, 32);
    let r = render(&app, with_image(data_url("image/png", &logo))).await;
    assert_eq!(r.image("image/png"), (64, 64));
    assert_ne!(
        r.etag(),
        plain.etag(),
        "the image is part of the configuration"
    );
    let reference = showroom_server::uploads::reference(&logo);
    assert!(state.uploads().get(&reference).is_some());
    // The reference alone names the same configuration (a cache hit).
    let r2 = render(&app, chair(json!({ "label_art": reference }))).await;
    assert_eq!(r2.etag(), r.etag());
    assert_eq!(r2.header("x-cache"), "hit");
    // Multipart: a request part and an image part named by the option.
    let req = multipart(&[
        (
            "request",
            "application/json",
            chair(json!({})).to_string().into_bytes(),
        ),
        ("label_art", "image/png", logo.clone()),
    ]);
    let r3 = send(&app, req).await;
    r3.image("image/png");
    assert_eq!(r3.etag(), r.etag());
    // The price of a configuration with an image.
    let r = send(
        &app,
        post_json(
            "/v1/products/sheen-chair/configurations",
            &json!({"selections": {"label_art": reference}}),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["price"]["total"], 49900 + 2000);
    // A value that is not a reference, and a reference never uploaded.
    render(&app, chair(json!({"label_art": "logo.png"})))
        .await
        .problem(422, "invalid-configuration");
    let unknown = format!("sha256:{}", "0".repeat(64));
    let p = render(&app, chair(json!({"label_art": unknown})))
        .await
        .problem(422, "invalid-configuration");
    assert!(
        p["errors"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("send it again"),
        "{p}"
    );
}

#[tokio::test]
async fn image_values_with_adjustments_are_checked() {
    let (_state, app) = start(config()).await;
    let configure = |label_art: Value| {
        let app = app.clone();
        async move {
            send(
                &app,
                post_json(
                    "/v1/products/sheen-chair/configurations",
                    &json!({ "selections": { "label_art": label_art } }),
                ),
            )
            .await
        }
    };
    let reference = showroom_server::uploads::reference(&png(8, 8));
    let plain = configure(json!(reference)).await;
    assert_eq!(plain.status, StatusCode::OK);
    // Default adjustments: the plain reference, the same hash and price.
    let object = configure(json!({ "image": reference, "scale": 1, "offset_mm": [0, 0] })).await;
    assert_eq!(object.status, StatusCode::OK);
    let (a, b) = (plain.json(), object.json());
    assert_eq!(b["selections"]["label_art"], json!(reference));
    assert_eq!(a["hash"], b["hash"]);
    assert_eq!(b["price"]["total"], 49900 + 2000);
    // The reference inside an object must be an upload reference.
    let p = configure(json!({ "image": "logo.png" }))
        .await
        .problem(422, "invalid-configuration");
    assert!(
        p["errors"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("not an image reference"),
        "{p}"
    );
    // Adjustments the slot does not allow name the limit; unknown fields
    // are type errors.
    let p = configure(json!({ "image": reference, "scale": 1.2 }))
        .await
        .problem(422, "invalid-configuration");
    assert_eq!(p["errors"][0]["field"], "selections.label_art");
    assert!(
        p["errors"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("adjust.scale"),
        "{p}"
    );
    let p = configure(json!({ "image": reference, "tilt": 3 }))
        .await
        .problem(422, "invalid-configuration");
    assert!(
        p["errors"][0]["reason"].as_str().unwrap().contains("tilt"),
        "{p}"
    );
}

#[tokio::test]
async fn bad_uploads_are_refused_before_decoding() {
    let mut c = config();
    c.max_upload_bytes = 64 * 1024;
    c.max_upload_pixels = 512 * 512;
    let (state, app) = start(c).await;
    let p = render(
        &app,
        with_image("data:image/png;base64,!!!not base64!!!".into()),
    )
    .await
    .problem(422, "bad-image");
    assert_eq!(p["errors"][0]["field"], "images.label_art");
    render(
        &app,
        with_image(data_url("image/png", b"this is plain text, not an image")),
    )
    .await
    .problem(422, "bad-image");
    // A decompression bomb: 60 bytes claiming 100000×100000 pixels.
    let bomb = bomb_png(100_000, 100_000);
    assert!(bomb.len() < 100);
    let p = render(&app, with_image(data_url("image/png", &bomb)))
        .await
        .problem(413, "too-large");
    assert!(p["detail"].as_str().unwrap().contains("pixels"), "{p}");
    // Too many bytes (checked on the base64 length, before decoding).
    let big = vec![0u8; 200 * 1024];
    render(&app, with_image(data_url("image/png", &big)))
        .await
        .problem(413, "too-large");
    // Known but unsupported formats.
    render(
        &app,
        with_image(data_url("image/gif", b"GIF89a\x01\x00\x01\x00")),
    )
    .await
    .problem(415, "unsupported-media-type");
    render(
        &app,
        with_image(data_url("image/png", b"GIF89a\x01\x00\x01\x00\x00\x00\x00")),
    )
    .await
    .problem(415, "unsupported-media-type");
    render(&app, with_image(data_url("text/plain", b"hello")))
        .await
        .problem(415, "unsupported-media-type");
    // A truncated PNG: the header is fine, the pixels are not.
    let mut cut = png(64, 64);
    cut.truncate(cut.len() / 2);
    render(&app, with_image(data_url("image/png", &cut)))
        .await
        .problem(422, "bad-image");
    // An image for an option that is not an image slot, or no option at all.
    let mut j = chair(json!({}));
    j["images"] = json!({ "fabric": data_url("image/png", &png(4, 4)) });
    let p = render(&app, j).await.problem(422, "invalid-configuration");
    assert_eq!(p["errors"][0]["field"], "images.fabric");
    let mut j = chair(json!({}));
    j["images"] = json!({ "nope": data_url("image/png", &png(4, 4)) });
    render(&app, j).await.problem(422, "invalid-configuration");
    // Multipart: a part too large, bytes that are not an image, no request.
    let req = multipart(&[
        (
            "request",
            "application/json",
            chair(json!({})).to_string().into_bytes(),
        ),
        ("label_art", "image/png", vec![1u8; 100 * 1024]),
    ]);
    send(&app, req).await.problem(413, "too-large");
    let req = multipart(&[
        (
            "request",
            "application/json",
            chair(json!({})).to_string().into_bytes(),
        ),
        ("label_art", "image/png", b"not an image at all".to_vec()),
    ]);
    send(&app, req).await.problem(422, "bad-image");
    let req = multipart(&[("label_art", "image/png", png(4, 4))]);
    send(&app, req).await.problem(400, "invalid-field");
    let req = multipart(&[("request", "application/json", b"{oops".to_vec())]);
    send(&app, req).await.problem(400, "malformed-json");
    let broken = Request::post("/v1/render")
        .header("content-type", "multipart/form-data; boundary=zzz")
        .body(Body::from("--zzz\r\nnonsense"))
        .unwrap();
    let r = send(&app, broken).await;
    assert!(r.status.is_client_error(), "{}", r.status);
    assert_eq!(state.renders(), 0);
}
