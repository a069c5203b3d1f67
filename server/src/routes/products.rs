//! `/v1/products…`: the catalogue, definitions, package files and
//! configuration checks (price and production sheet).

use super::extract::ApiJson;
use crate::AppState;
use crate::catalog::Product;
use crate::error::AppError;
use crate::pipeline;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Component;
use std::sync::Arc;
use utoipa::ToSchema;

/// One entry of `GET /v1/products`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProductSummary {
    /// Product id (for a broken package: its folder name).
    pub id: String,
    /// Whether the package loaded (a broken one is listed with its error).
    pub available: bool,
    /// Display name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The author's version.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The package revision (content hash).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revision: Option<String>,
    /// ISO 4217 currency.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// Base price in minor units.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base_price: Option<i64>,
    /// Named camera shots.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Vec<Object>>)]
    pub shots: Option<Vec<Value>>,
    /// Why the package is unavailable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// `GET /v1/products`.
#[utoipa::path(get, path = "/v1/products", tag = "products",
    responses((status = 200, description = "Every product (broken packages with available: false)", body = Vec<ProductSummary>)))]
pub async fn list(State(state): State<AppState>) -> Json<Vec<ProductSummary>> {
    let snap = state.catalog().snapshot();
    let mut out: Vec<ProductSummary> = snap
        .products
        .values()
        .map(|p| {
            let d = &p.package.definition;
            ProductSummary {
                id: d.id.clone(),
                available: true,
                name: Some(d.name.clone()),
                version: Some(d.version.clone()),
                revision: Some(p.revision().to_string()),
                currency: Some(d.currency.clone()),
                base_price: Some(d.base_price),
                shots: Some(
                    d.shots
                        .iter()
                        .filter_map(|s| serde_json::to_value(s).ok())
                        .collect(),
                ),
                error: None,
            }
        })
        .collect();
    out.extend(snap.unavailable.values().map(|u| ProductSummary {
        id: u.folder.clone(),
        available: false,
        name: None,
        version: None,
        revision: None,
        currency: None,
        base_price: None,
        shots: None,
        error: Some(u.error.clone()),
    }));
    Json(out)
}

/// The product of an id, or `404 unknown-product`.
pub fn product(state: &AppState, id: &str) -> Result<Arc<Product>, AppError> {
    state
        .catalog()
        .get(id)
        .ok_or_else(|| AppError::unknown_product(id))
}

/// `GET /v1/products/{id}`.
#[utoipa::path(get, path = "/v1/products/{id}", tag = "products",
    params(("id" = String, Path, description = "Product id")),
    responses((status = 200, description = "product.json as served, plus revision", body = Object),
              (status = 404, description = "Unknown product", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn get(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, AppError> {
    Ok(Json(product(&state, &id)?.json.clone()))
}

fn content_type(path: &std::path::Path) -> &'static str {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("webp") => "image/webp",
        Some("svg") => "image/svg+xml",
        Some("json") => "application/json",
        Some("glb") => "model/gltf-binary",
        Some("gltf") => "model/gltf+json",
        Some("hdr") => "image/vnd.radiance",
        Some("exr") => "image/x-exr",
        Some("ttf") => "font/ttf",
        Some("otf") => "font/otf",
        Some("md" | "txt") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// `GET /v1/products/{id}/assets/{path}`: a file of the package, never one
/// outside it (`..`, absolute paths and symlinks leaving the folder are 404).
#[utoipa::path(get, path = "/v1/products/{id}/assets/{path}", tag = "products",
    params(("id" = String, Path, description = "Product id"),
           ("path" = String, Path, description = "A path inside the package, e.g. textures/gum.png")),
    responses((status = 200, description = "The file"),
              (status = 404, description = "Unknown product or no such file in the package", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn asset(
    State(state): State<AppState>,
    Path((id, path)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let p = product(&state, &id)?;
    let not_found = || {
        AppError::http(
            axum::http::StatusCode::NOT_FOUND,
            format!("the package {id:?} has no file {path:?}"),
        )
    };
    let rel = std::path::Path::new(&path);
    if path.contains('\0')
        || path.contains('\\')
        || rel.components().any(|c| !matches!(c, Component::Normal(_)))
    {
        return Err(not_found());
    }
    let root = p.root.clone();
    let candidate = root.join(rel);
    let file = tokio::task::spawn_blocking(move || -> Option<(std::path::PathBuf, Vec<u8>)> {
        let real = candidate.canonicalize().ok()?;
        if !real.starts_with(&root) || !real.is_file() {
            return None;
        }
        let bytes = std::fs::read(&real).ok()?;
        Some((real, bytes))
    })
    .await
    .map_err(AppError::internal)?;
    let (real, bytes) = file.ok_or_else(not_found)?;
    Ok((
        [
            (header::CONTENT_TYPE, content_type(&real)),
            (header::CACHE_CONTROL, "public, max-age=300"),
        ],
        bytes,
    )
        .into_response())
}

/// The body of `POST /v1/products/{id}/configurations`: the selections (or a
/// full configuration with its product).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfigurationRequest {
    /// The product id (optional; must be this product when given).
    pub product: Option<String>,
    /// Option id → value (left out = defaults).
    #[serde(default)]
    #[schema(value_type = Object)]
    pub selections: BTreeMap<String, Value>,
}

/// A checked configuration.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConfigurationResponse {
    /// The product id.
    pub product: String,
    /// The package revision it was checked against.
    pub revision: String,
    /// The canonical selections (defaults filled, hidden options dropped).
    #[schema(value_type = Object)]
    pub selections: BTreeMap<String, Value>,
    /// The configuration hash (without render parameters; the CLI's hash).
    pub hash: String,
    /// The price breakdown.
    #[schema(value_type = Object)]
    pub price: showroom::product::PriceBreakdown,
    /// The production sheet.
    #[schema(value_type = Object)]
    pub production: showroom::product::ProductionSheet,
}

/// `POST /v1/products/{id}/configurations`: validate, price and describe a
/// configuration (every error at once).
#[utoipa::path(post, path = "/v1/products/{id}/configurations", tag = "products",
    params(("id" = String, Path, description = "Product id")),
    request_body = ConfigurationRequest,
    responses((status = 200, description = "The canonical configuration, its price and production sheet", body = ConfigurationResponse),
              (status = 400, description = "Malformed JSON", body = crate::error::Problem, content_type = "application/problem+json"),
              (status = 404, description = "Unknown product", body = crate::error::Problem, content_type = "application/problem+json"),
              (status = 422, description = "Invalid configuration (every error)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn configure(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ConfigurationRequest>,
) -> Result<Json<ConfigurationResponse>, AppError> {
    let p = product(&state, &id)?;
    let resolved = pipeline::validate(&p, body.selections, body.product)?;
    let price = p
        .package
        .price(&resolved)
        .map_err(|e| AppError::internal(format!("pricing {id}: {e}")))?;
    let production = p.package.production_sheet(&resolved);
    Ok(Json(ConfigurationResponse {
        product: resolved.product().to_string(),
        revision: resolved.revision().to_string(),
        selections: resolved.selections().clone(),
        hash: resolved.hash(&serde_json::json!({})),
        price,
        production,
    }))
}
