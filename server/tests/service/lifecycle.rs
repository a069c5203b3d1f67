//! The worker under pressure: queue-full, deadlines, single-flight, device
//! loss, product reloads, the disk cache across restarts, and a real socket
//! with a graceful shutdown.

use crate::common::*;
use axum::http::StatusCode;
use serde_json::json;
use std::time::Duration;

#[tokio::test]
async fn a_full_queue_answers_429_with_retry_after() {
    let mut c = config();
    c.queue_depth = 1;
    let (state, app) = start(c).await;
    let pause = state.worker().pause().await;
    let a = tokio::spawn({
        let app = app.clone();
        async move { render(&app, chair(json!({"fabric": "mango"}))).await }
    });
    eventually(20, "one job queued", async || {
        state.worker().queue_len() == 1
    })
    .await;
    let r = render(&app, chair(json!({"fabric": "peacock"}))).await;
    r.problem(429, "queue-full");
    assert!(r.header("retry-after").parse::<u64>().unwrap() >= 1);
    let m = String::from_utf8_lossy(&get(&app, "/metrics").await.body).to_string();
    assert!(m.contains("showroom_render_queue_depth 1"), "{m}");
    drop(pause);
    a.await.unwrap().image("image/png");
}

#[tokio::test]
async fn deadlines_answer_503_and_expired_jobs_are_skipped() {
    let mut c = config();
    c.deadline_ms = 1;
    let (state, app) = start(c).await;
    render(&app, chair(json!({})))
        .await
        .problem(503, "deadline-exceeded");
    let mut c = config();
    c.deadline_ms = 300;
    let (state2, app2) = start(c).await;
    let pause = state2.worker().pause().await;
    render(&app2, chair(json!({})))
        .await
        .problem(503, "deadline-exceeded");
    drop(pause);
    tokio::time::sleep(Duration::from_millis(300)).await;
    eventually(10, "the queue drains", async || {
        state2.worker().queue_len() == 0
    })
    .await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        state2.renders(),
        0,
        "a job past its deadline is not rendered"
    );
    drop(state);
}

#[tokio::test]
async fn identical_requests_in_flight_share_one_render() {
    let (state, app) = start(config()).await;
    let pause = state.worker().pause().await;
    let spawn = |app: axum::Router| {
        tokio::spawn(async move { render(&app, chair(json!({"hardware": "steel"}))).await })
    };
    let a = spawn(app.clone());
    eventually(20, "the first request queued", async || {
        state.worker().queue_len() == 1
    })
    .await;
    let b = spawn(app.clone());
    let shared = state.metrics().cache.with_label_values(&["shared"]);
    eventually(20, "the second request joined", async || shared.get() == 1).await;
    drop(pause);
    let (a, b) = (a.await.unwrap(), b.await.unwrap());
    a.image("image/png");
    b.image("image/png");
    let mut caches = [a.header("x-cache"), b.header("x-cache")];
    caches.sort();
    assert_eq!(caches, ["miss", "shared"]);
    assert_eq!(a.etag(), b.etag());
    assert_eq!(a.body, b.body);
    assert_eq!(state.renders(), 1);
}

#[tokio::test]
async fn resident_products_are_evicted_beyond_the_gpu_budget() {
    let mut c = config();
    c.gpu_memory_budget = 1;
    let (state, app) = start(c).await;
    render(&app, chair(json!({}))).await.image("image/png");
    assert_eq!(state.metrics().resident_products.get(), 1);
    assert!(
        state.metrics().resident_bytes.get() > 1_000_000,
        "the estimate counts textures and buffers"
    );
    let r = render(
        &app,
        json!({"product": "sneaker", "width": 32, "height": 32}),
    )
    .await;
    r.image("image/png");
    assert_eq!(
        state.metrics().resident_products.get(),
        1,
        "the chair was evicted"
    );
    render(&app, chair(json!({"fabric": "peacock"})))
        .await
        .image("image/png");
    assert_eq!(state.renders(), 3);
}

#[tokio::test]
async fn device_loss_is_recovered() {
    let (state, app) = start(config()).await;
    render(&app, chair(json!({}))).await.image("image/png");
    let pause = state.worker().pause().await;
    state.worker().simulate_device_loss();
    get(&app, "/readyz").await.problem(503, "not-ready");
    drop(pause);
    eventually(60, "ready again", async || {
        get(&app, "/readyz").await.status == StatusCode::OK
    })
    .await;
    assert_eq!(state.metrics().device_recoveries.get(), 1);
    assert_eq!(
        state.metrics().device_lost.get(),
        1,
        "wgpu's device-lost callback fired"
    );
    assert_eq!(
        state.metrics().resident_products.get(),
        0,
        "resident products were dropped"
    );
    render(&app, chair(json!({"fabric": "peacock"})))
        .await
        .image("image/png");
    assert_eq!(state.renders(), 2);
}

#[tokio::test]
async fn product_changes_are_picked_up_and_broken_packages_listed() {
    let products = copy_products(&["sheen-chair"]);
    let mut c = config();
    c.products = products.path().to_path_buf();
    let (state, app) = start(c).await;
    let rev = |v: serde_json::Value| v["revision"].as_str().unwrap().to_string();
    let r1 = rev(get(&app, "/v1/products/sheen-chair").await.json());
    let url = "/v1/products/sheen-chair/image?width=64";
    let e1 = get(&app, url).await.etag();
    // Change the base price (and so the revision).
    let def = products.path().join("sheen-chair/product.json");
    let text = std::fs::read_to_string(&def).unwrap();
    std::fs::write(
        &def,
        text.replace("\"base_price\": 49900", "\"base_price\": 159900"),
    )
    .unwrap();
    eventually(20, "the new revision", async || {
        rev(get(&app, "/v1/products/sheen-chair").await.json()) != r1
    })
    .await;
    let r = send(
        &app,
        post_json("/v1/products/sheen-chair/configurations", &json!({})),
    )
    .await;
    assert_eq!(r.json()["price"]["total"], 159900);
    let again = get(&app, url).await;
    assert_ne!(again.etag(), e1, "a new revision is a new key");
    assert_eq!(again.header("x-cache"), "miss");
    // A texture change too.
    let r2 = rev(get(&app, "/v1/products/sheen-chair").await.json());
    std::fs::write(
        products
            .path()
            .join("sheen-chair/textures/tartan_basecolor.png"),
        png(8, 8),
    )
    .unwrap();
    eventually(20, "the texture's revision", async || {
        rev(get(&app, "/v1/products/sheen-chair").await.json()) != r2
    })
    .await;
    // A broken package is listed as unavailable; the others keep serving.
    std::fs::create_dir_all(products.path().join("broken")).unwrap();
    std::fs::write(
        products.path().join("broken/product.json"),
        "{ \"id\": \"broken\", ",
    )
    .unwrap();
    state.reload_products().await;
    let list = get(&app, "/v1/products").await.json();
    let broken = list
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "broken")
        .expect("listed");
    assert_eq!(broken["available"], false);
    assert!(!broken["error"].as_str().unwrap().is_empty());
    get(&app, "/v1/products/broken")
        .await
        .problem(404, "unknown-product");
    get(&app, url).await.image("image/png");
    assert_eq!(get(&app, "/readyz").await.status, StatusCode::OK);
}

#[tokio::test]
async fn the_disk_cache_survives_a_restart_and_drops_corrupt_entries() {
    let cache = tempfile::tempdir().unwrap();
    let mut c = config();
    c.cache_dir = cache.path().to_string_lossy().into_owned();
    let (s1, app1) = start(c.clone()).await;
    let first = render(&app1, chair(json!({"wood_tone": "honey"}))).await;
    first.image("image/png");
    let other = render(&app1, chair(json!({"wood_tone": "smoked"}))).await;
    other.image("image/png");
    assert_eq!(s1.renders(), 2);
    s1.shutdown().await;
    drop((s1, app1));
    // Corrupt one entry on disk.
    let key = other.etag().trim_matches('"').to_string();
    let path = showroom_server::cache::entry_path(cache.path(), &key);
    let mut bytes = std::fs::read(&path).unwrap();
    let n = bytes.len();
    bytes[n - 5] ^= 0x55;
    std::fs::write(&path, &bytes).unwrap();
    let (s2, app2) = start(c).await;
    let r = render(&app2, chair(json!({"wood_tone": "honey"}))).await;
    assert_eq!(r.header("x-cache"), "hit");
    assert_eq!(r.body, first.body);
    assert_eq!(s2.renders(), 0, "served from disk without rendering");
    let r = render(&app2, chair(json!({"wood_tone": "smoked"}))).await;
    assert_eq!(r.header("x-cache"), "miss", "a corrupt entry is a miss");
    r.image("image/png");
    assert_eq!(s2.renders(), 1);
    let d = showroom_server::cache::DiskCache::open(cache.path(), u64::MAX).unwrap();
    assert!(d.read(&key).is_some(), "the entry was rewritten");
}

#[tokio::test]
async fn a_real_socket_and_a_graceful_shutdown() {
    let (state, _app) = start(config()).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(showroom_server::serve_on(
        state.clone(),
        listener,
        async move {
            let _ = stop_rx.await;
        },
    ));
    let client = reqwest::Client::new();
    let health = client
        .get(format!("http://{addr}/healthz"))
        .send()
        .await
        .unwrap();
    assert_eq!(health.text().await.unwrap(), "ok");
    let pause = state.worker().pause().await;
    let request = tokio::spawn({
        let client = client.clone();
        async move {
            client
                .post(format!("http://{addr}/v1/render"))
                .header("content-type", "application/json")
                .body(chair(json!({"fabric": "peacock"})).to_string())
                .send()
                .await
        }
    });
    eventually(20, "the render queued", async || {
        state.worker().queue_len() == 1
    })
    .await;
    stop_tx.send(()).unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    drop(pause);
    let res = request
        .await
        .unwrap()
        .expect("the in-flight request is answered");
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["x-cache"], "miss");
    let body = res.bytes().await.unwrap();
    assert_eq!(image::load_from_memory(&body).unwrap().width(), 64);
    tokio::time::timeout(Duration::from_secs(30), server)
        .await
        .expect("the server stops")
        .unwrap()
        .expect("a clean stop");
    assert!(
        client
            .get(format!("http://{addr}/healthz"))
            .send()
            .await
            .is_err(),
        "no longer listening"
    );
    assert_eq!(state.renders(), 1);
}
