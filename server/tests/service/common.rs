//! Helpers of the service tests: a state per test on the sample products,
//! requests through the router, problem checks, test images.

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, Request, StatusCode};
use serde_json::Value;
use showroom_server::{AppState, ServeConfig, app};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tower::ServiceExt;

/// The sample products of the workspace.
pub fn sample_products() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/products")
}

/// A test configuration: sample products, no disk cache, small limits.
pub fn config() -> ServeConfig {
    ServeConfig {
        products: sample_products(),
        cache_dir: String::new(),
        reload_interval_ms: 100,
        deadline_ms: 120_000,
        max_width: 512,
        max_height: 512,
        ..ServeConfig::default()
    }
}

/// A started state and its router.
pub async fn start(config: ServeConfig) -> (AppState, Router) {
    let state = AppState::start(config)
        .await
        .expect("the service starts (lavapipe installed?)");
    let router = app(state.clone());
    (state, router)
}

/// A response, read whole.
#[derive(Debug)]
pub struct Res {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Res {
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    /// Asserts a problem response of this status and type slug; returns it.
    #[track_caller]
    pub fn problem(&self, status: u16, slug: &str) -> Value {
        assert_eq!(
            self.status.as_u16(),
            status,
            "status; body: {}",
            String::from_utf8_lossy(&self.body)
        );
        assert_eq!(self.header("content-type"), "application/problem+json");
        let p = self.json();
        let want = if slug == "about:blank" {
            slug.to_string()
        } else {
            format!("https://showroom.dev/problems/{slug}")
        };
        assert_eq!(p["type"], want, "{p}");
        assert_eq!(p["status"], status);
        assert!(p["request_id"].as_str().is_some_and(|s| s.len() > 8), "{p}");
        assert_eq!(p["request_id"].as_str(), Some(self.header("x-request-id")));
        p
    }

    /// Asserts an image response; returns its decoded size.
    #[track_caller]
    pub fn image(&self, content_type: &str) -> (u32, u32) {
        assert_eq!(
            self.status,
            StatusCode::OK,
            "body: {}",
            String::from_utf8_lossy(&self.body[..self.body.len().min(600)])
        );
        assert_eq!(self.header("content-type"), content_type);
        assert!(self.header("etag").starts_with('"'));
        if content_type == "image/x-exr" {
            return (0, 0);
        }
        let img = image::load_from_memory(&self.body).expect("a decodable image");
        (img.width(), img.height())
    }

    pub fn etag(&self) -> String {
        self.header("etag").to_string()
    }
}

/// Sends a request through the router.
pub async fn send(app: &Router, req: Request<Body>) -> Res {
    let res = app.clone().oneshot(req).await.expect("infallible");
    let status = res.status();
    let headers = res.headers().clone();
    let body = axum::body::to_bytes(res.into_body(), usize::MAX)
        .await
        .expect("body");
    Res {
        status,
        headers,
        body,
    }
}

pub async fn get(app: &Router, uri: &str) -> Res {
    send(app, Request::get(uri).body(Body::empty()).unwrap()).await
}

pub fn post_json(uri: &str, body: &Value) -> Request<Body> {
    Request::post(uri)
        .header("content-type", "application/json")
        .body(Body::from(body.to_string()))
        .unwrap()
}

pub async fn render(app: &Router, body: Value) -> Res {
    send(app, post_json("/v1/render", &body)).await
}

/// A small render request of the sheen chair.
pub fn chair(selections: Value) -> Value {
    serde_json::json!({ "product": "sheen-chair", "selections": selections, "width": 64, "height": 64 })
}

/// Polls `f` until it holds (panics after `secs`).
pub async fn eventually(secs: u64, what: &str, mut f: impl AsyncFnMut() -> bool) {
    let end = Instant::now() + Duration::from_secs(secs);
    while Instant::now() < end {
        if f().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("timed out waiting for: {what}");
}

/// A PNG of this size.
pub fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbaImage::from_pixel(w, h, image::Rgba([200, 30, 30, 255]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let mut c = kind.to_vec();
    c.extend_from_slice(data);
    out.extend_from_slice(&c);
    out.extend_from_slice(&crc32fast::hash(&c).to_be_bytes());
}

/// A decompression bomb: a valid PNG header claiming `w`×`h` pixels, in a
/// few dozen bytes.
pub fn bomb_png(w: u32, h: u32) -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&w.to_be_bytes());
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 6, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(
        &mut out,
        b"IDAT",
        &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    );
    chunk(&mut out, b"IEND", &[]);
    out
}

/// Copies sample packages into a temporary products folder.
pub fn copy_products(names: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for n in names {
        copy_dir(&sample_products().join(n), &dir.path().join(n));
    }
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}
