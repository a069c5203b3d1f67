//! Health, readiness, metrics, the OpenAPI document and the web page.

use crate::AppState;
use crate::error::AppError;
use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use serde::Serialize;
use utoipa::{OpenApi, ToSchema};

/// The web configurator page.
pub const INDEX_HTML: &str = include_str!("../../web/index.html");

/// `GET /`: the web configurator.
#[utoipa::path(get, path = "/", tag = "system",
    responses((status = 200, description = "The web configurator page", content_type = "text/html")))]
pub async fn index() -> Html<&'static str> {
    Html(INDEX_HTML)
}

/// `GET /healthz`: `ok` while the process runs.
#[utoipa::path(get, path = "/healthz", tag = "system",
    responses((status = 200, description = "The process runs", body = String, content_type = "text/plain")))]
pub async fn healthz() -> &'static str {
    "ok"
}

/// Readiness.
#[derive(Debug, Serialize, ToSchema)]
pub struct Ready {
    /// `ready`.
    pub status: &'static str,
    /// Products loaded.
    pub products: usize,
    /// Packages that failed to load.
    pub unavailable: usize,
}

/// `GET /readyz`: 200 when the GPU is up and products are loaded.
#[utoipa::path(get, path = "/readyz", tag = "system",
    responses((status = 200, description = "Ready", body = Ready),
              (status = 503, description = "Not ready (starting, GPU recovery, no products)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn readyz(State(state): State<AppState>) -> Result<Json<Ready>, AppError> {
    let snap = state.catalog().snapshot();
    if !state.worker().is_ready() {
        return Err(AppError::not_ready(
            "the GPU is not ready (starting or recovering)",
        ));
    }
    if snap.products.is_empty() {
        return Err(AppError::not_ready("no product is loaded"));
    }
    Ok(Json(Ready {
        status: "ready",
        products: snap.products.len(),
        unavailable: snap.unavailable.len(),
    }))
}

/// `GET /metrics`: Prometheus text.
#[utoipa::path(get, path = "/metrics", tag = "system",
    responses((status = 200, description = "Prometheus text exposition", body = String, content_type = "text/plain")))]
pub async fn metrics(State(state): State<AppState>) -> Response {
    state
        .metrics()
        .queue_depth
        .set(state.worker().queue_len() as i64);
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.metrics().render(),
    )
        .into_response()
}

/// `GET /openapi.json`: the OpenAPI document.
#[utoipa::path(get, path = "/openapi.json", tag = "system",
    responses((status = 200, description = "This API as OpenAPI 3.1", content_type = "application/json")))]
pub async fn openapi() -> Response {
    let doc = super::ApiDoc::openapi();
    (
        [(header::CONTENT_TYPE, "application/json")],
        doc.to_pretty_json().unwrap_or_default(),
    )
        .into_response()
}
