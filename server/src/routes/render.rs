//! `POST /v1/render` (JSON or multipart) and `GET /v1/products/{id}/image`.

use super::extract::{body_rejection, is_json, parse_json, unsupported_body};
use super::products::product;
use crate::AppState;
use crate::cache::Encoded;
use crate::error::{AppError, FieldError, ProblemKind};
use crate::params::{CameraSpec, RawParams};
use crate::pipeline::{self, CacheStatus};
use crate::uploads;
use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, Multipart, Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use utoipa::{IntoParams, ToSchema};

/// The `X-Cache` header.
pub const X_CACHE: &str = "x-cache";

/// A render request (`POST /v1/render`).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RenderRequest {
    /// The product id.
    pub product: String,
    /// Option id → value (left out = defaults).
    #[serde(default)]
    #[schema(value_type = Object)]
    pub selections: BTreeMap<String, Value>,
    /// Image option id → `data:image/…;base64,…` (or bare base64); the
    /// upload's reference becomes the option's value (the `image` of an
    /// object selection, which keeps its adjustments).
    #[serde(default)]
    pub images: BTreeMap<String, String>,
    /// A named shot of the product (default: its default shot).
    pub shot: Option<String>,
    /// An explicit orbit camera instead of a shot.
    pub camera: Option<CameraSpec>,
    /// Width in pixels (default 1024, or the height).
    pub width: Option<u32>,
    /// Height in pixels (default 1024, or the width).
    pub height: Option<u32>,
    /// `png` (default), `jpeg`, `webp` or `exr`.
    pub format: Option<String>,
    /// JPEG quality 1–100 (default 90).
    pub quality: Option<u8>,
    /// `transparent` (default), `#rrggbb` or `env`.
    pub background: Option<String>,
    /// Ground contact shadow opacity 0–1 (default: none).
    pub shadow: Option<f32>,
    /// Screen-space ambient occlusion strength 0–4 (default: none).
    pub ssao: Option<f32>,
}

impl RenderRequest {
    /// The render parameters the request gives.
    pub fn raw_params(&self) -> RawParams {
        RawParams {
            shot: self.shot.clone(),
            camera: self.camera.clone(),
            width: self.width,
            height: self.height,
            format: self.format.clone(),
            quality: self.quality,
            background: self.background.clone(),
            shadow: self.shadow,
            ssao: self.ssao,
        }
    }
}

/// The query of `GET /v1/products/{id}/image` (plus `sel.<option>=<value>`
/// pairs).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImageQuery {
    /// URL-safe base64 of the selections JSON object.
    pub config: Option<String>,
    /// A named shot.
    pub shot: Option<String>,
    /// Width in pixels.
    pub width: Option<u32>,
    /// Height in pixels.
    pub height: Option<u32>,
    /// `png`, `jpeg`, `webp` or `exr`.
    pub format: Option<String>,
    /// JPEG quality 1–100.
    pub quality: Option<u8>,
    /// `transparent`, `#rrggbb` or `env`.
    pub background: Option<String>,
    /// Ground contact shadow opacity 0–1.
    pub shadow: Option<f32>,
    /// Screen-space ambient occlusion strength 0–4.
    pub ssao: Option<f32>,
    /// Hex HMAC-SHA256 of the path and the sorted query (when signing is on).
    pub sig: Option<String>,
}

fn deadline(state: &AppState) -> Instant {
    Instant::now() + Duration::from_millis(state.config().deadline_ms)
}

/// Whether `If-None-Match` names this ETag (or is `*`).
fn not_modified(headers: &HeaderMap, key: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|t| t.trim().trim_start_matches("W/").trim_matches('"'))
        .any(|t| t == key || t == "*")
}

fn image_response(
    e: &Encoded,
    status: CacheStatus,
    key: &str,
    cache_control: &'static str,
) -> Response {
    let mut res = Response::new(Body::from(e.bytes.clone()));
    let h = res.headers_mut();
    if let Ok(ct) = HeaderValue::from_str(&e.content_type) {
        h.insert(header::CONTENT_TYPE, ct);
    }
    common_headers(h, key, cache_control);
    h.insert(X_CACHE, HeaderValue::from_static(status.as_str()));
    res
}

fn common_headers(h: &mut HeaderMap, key: &str, cache_control: &'static str) {
    if let Ok(etag) = HeaderValue::from_str(&format!("\"{key}\"")) {
        h.insert(header::ETAG, etag);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(cache_control),
    );
}

async fn answer(
    state: &AppState,
    prep: pipeline::Prepared,
    headers: &HeaderMap,
    deadline: Instant,
    cache_control: &'static str,
) -> Result<Response, AppError> {
    if not_modified(headers, &prep.key) {
        let mut res = StatusCode::NOT_MODIFIED.into_response();
        common_headers(res.headers_mut(), &prep.key, cache_control);
        return Ok(res);
    }
    let key = prep.key.clone();
    let (encoded, status) = pipeline::produce(state, prep, deadline).await?;
    Ok(image_response(&encoded, status, &key, cache_control))
}

/// Stores validated upload bytes for an image option; returns the reference.
async fn store_image(state: &AppState, option: &str, bytes: Bytes) -> Result<String, AppError> {
    let field = format!("images.{option}");
    let limits = state.upload_limits();
    let f = field.clone();
    let checked = bytes.clone();
    let kind = tokio::task::spawn_blocking(move || uploads::validate_image(&f, &checked, limits))
        .await
        .map_err(AppError::internal)??;
    Ok(state.uploads().put(bytes, kind))
}

/// Makes an uploaded image's reference the value of its option; a
/// selection given as an object (with adjustments) keeps them and gets the
/// reference as its `image`.
fn set_image_reference(selections: &mut BTreeMap<String, Value>, option: &str, reference: String) {
    match selections.get_mut(option) {
        Some(Value::Object(m)) => {
            m.insert("image".to_string(), Value::String(reference));
        }
        _ => {
            selections.insert(option.to_string(), Value::String(reference));
        }
    }
}

fn check_image_option(p: &crate::catalog::Product, option: &str) -> Result<(), AppError> {
    match p.package.definition.option(option) {
        Some(o) if o.kind.name() == "image" => Ok(()),
        Some(o) => Err(AppError::invalid_configuration(vec![FieldError::new(
            format!("images.{option}"),
            format!(
                "option {option:?} is a {} option, not an image slot",
                o.kind.name()
            ),
        )])),
        None => {
            let images: Vec<&str> = p
                .package
                .definition
                .options
                .iter()
                .filter(|o| o.kind.name() == "image")
                .map(|o| o.id.as_str())
                .collect();
            Err(AppError::invalid_configuration(vec![FieldError::new(
                format!("images.{option}"),
                format!(
                    "unknown image option {option:?}; image options: {}",
                    if images.is_empty() {
                        "(none)".to_string()
                    } else {
                        images.join(", ")
                    }
                ),
            )]))
        }
    }
}

/// `POST /v1/render`: a JSON render request, or `multipart/form-data` with a
/// `request` JSON part and image parts named by option id.
#[utoipa::path(post, path = "/v1/render", tag = "render",
    request_body(content = RenderRequest, description = "JSON, or multipart/form-data with a `request` part (JSON) and image parts named by option id",
                 content_type = "application/json"),
    responses((status = 200, description = "The image (Content-Type of the format); ETag = cache key; X-Cache: hit|miss|shared"),
              (status = 304, description = "If-None-Match matched the ETag"),
              (status = 400, description = "Malformed JSON", body = crate::error::Problem, content_type = "application/problem+json"),
              (status = 401, description = "API key required", body = crate::error::Problem, content_type = "application/problem+json"),
              (status = 404, description = "Unknown product", body = crate::error::Problem, content_type = "application/problem+json"),
              (status = 413, description = "Body or upload too large", body = crate::error::Problem, content_type = "application/problem+json"),
              (status = 415, description = "Unsupported media type", body = crate::error::Problem, content_type = "application/problem+json"),
              (status = 422, description = "Invalid configuration, field, size or image", body = crate::error::Problem, content_type = "application/problem+json"),
              (status = 429, description = "Queue full (Retry-After)", body = crate::error::Problem, content_type = "application/problem+json"),
              (status = 503, description = "Deadline exceeded or not ready", body = crate::error::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn post_render(
    State(state): State<AppState>,
    req: Request,
) -> Result<Response, AppError> {
    let deadline = deadline(&state);
    let headers = req.headers().clone();
    let multipart = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.trim()
                .to_ascii_lowercase()
                .starts_with("multipart/form-data")
        });
    let (body, parts) = if multipart {
        read_multipart(&state, req).await?
    } else if is_json(&headers) {
        let bytes = Bytes::from_request(req, &state)
            .await
            .map_err(body_rejection)?;
        (parse_json::<RenderRequest>(&bytes)?, Vec::new())
    } else {
        return Err(unsupported_body("application/json or multipart/form-data"));
    };
    let p = product(&state, &body.product)?;
    let raw = body.raw_params();
    let mut selections = body.selections;
    for (option, data) in &body.images {
        check_image_option(&p, option)?;
        let bytes =
            uploads::decode_data_url(&format!("images.{option}"), data, state.upload_limits())?;
        let r = store_image(&state, option, Bytes::from(bytes)).await?;
        set_image_reference(&mut selections, option, r);
    }
    for (option, bytes) in parts {
        check_image_option(&p, &option)?;
        let r = store_image(&state, &option, bytes).await?;
        set_image_reference(&mut selections, &option, r);
    }
    let prep = pipeline::prepare(&state, p, selections, Some(body.product), &raw)?;
    answer(&state, prep, &headers, deadline, "no-cache").await
}

fn multipart_error(e: axum::extract::multipart::MultipartError) -> AppError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        AppError::too_large("the request body is larger than max_body_bytes")
    } else {
        AppError::new(
            ProblemKind::InvalidField,
            format!("multipart: {}", e.body_text()),
        )
    }
}

async fn read_multipart(
    state: &AppState,
    req: Request,
) -> Result<(RenderRequest, Vec<(String, Bytes)>), AppError> {
    let mut mp = Multipart::from_request(req, state).await.map_err(|r| {
        AppError::new(
            ProblemKind::InvalidField,
            format!("multipart: {}", r.body_text()),
        )
    })?;
    let mut request = None;
    let mut parts = Vec::new();
    let max = state.upload_limits().max_bytes;
    while let Some(mut field) = mp.next_field().await.map_err(multipart_error)? {
        let name = field.name().unwrap_or_default().to_string();
        let mut buf = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(multipart_error)? {
            buf.extend_from_slice(&chunk);
            if name != "request" && buf.len() > max {
                return Err(AppError::too_large(format!(
                    "images.{name}: the image is larger than {max} bytes"
                ))
                .with_errors(vec![FieldError::new(
                    format!("images.{name}"),
                    format!("more than {max} bytes"),
                )]));
            }
        }
        if name == "request" {
            request = Some(parse_json::<RenderRequest>(&buf)?);
        } else if name.is_empty() {
            return Err(AppError::invalid_field(
                "multipart",
                "every part needs a name (\"request\" or an image option id)",
            ));
        } else {
            parts.push((name, Bytes::from(buf)));
        }
    }
    let request = request.ok_or_else(|| {
        AppError::invalid_field("request", "the multipart body has no \"request\" part")
    })?;
    Ok((request, parts))
}

fn parse_num<T: std::str::FromStr>(field: &str, v: &str) -> Result<T, AppError> {
    v.parse()
        .map_err(|_| AppError::invalid_field(field, format!("{v:?} is not a valid number")))
}

/// The render parameters and selections of an image URL's query
/// (`config=<base64url JSON>`, `sel.<option>=<value>`, `shot`, `width`, …).
/// State-free, so it can be fuzzed.
///
/// # Errors
///
/// [`AppError`] `invalid-field` naming the bad parameter.
pub fn parse_image_query(
    p: &crate::catalog::Product,
    uri: &Uri,
) -> Result<(RawParams, BTreeMap<String, Value>), AppError> {
    let pairs: Vec<(String, String)> = axum::extract::Query::try_from_uri(uri)
        .map(|q: axum::extract::Query<Vec<(String, String)>>| q.0)
        .map_err(|e| AppError::invalid_field("query", e.body_text()))?;
    let mut raw = RawParams::default();
    let mut selections = BTreeMap::new();
    let mut sel = Vec::new();
    for (k, v) in pairs {
        match k.as_str() {
            "config" => {
                let text = base64::engine::general_purpose::URL_SAFE_NO_PAD
                    .decode(v.trim_end_matches('='))
                    .or_else(|_| base64::engine::general_purpose::STANDARD.decode(&v))
                    .map_err(|e| {
                        AppError::invalid_field("config", format!("not URL-safe base64: {e}"))
                    })?;
                let value: Value = serde_json::from_slice(&text)
                    .map_err(|e| AppError::invalid_field("config", format!("not JSON: {e}")))?;
                match value {
                    Value::Object(m) => selections.extend(m),
                    _ => {
                        return Err(AppError::invalid_field(
                            "config",
                            "must be a JSON object of selections",
                        ));
                    }
                }
            }
            "shot" => raw.shot = Some(v),
            "width" => raw.width = Some(parse_num("width", &v)?),
            "height" => raw.height = Some(parse_num("height", &v)?),
            "format" => raw.format = Some(v),
            "quality" => raw.quality = Some(parse_num("quality", &v)?),
            "background" => raw.background = Some(v),
            "shadow" => raw.shadow = Some(parse_num("shadow", &v)?),
            "ssao" => raw.ssao = Some(parse_num("ssao", &v)?),
            "sig" => {}
            other => match other.strip_prefix("sel.") {
                Some(option) if !option.is_empty() => sel.push((option.to_string(), v)),
                _ => {
                    return Err(AppError::invalid_field(
                        other,
                        "unknown parameter; known: config, sel.<option>, shot, width, height, format, quality, background, shadow, ssao, sig",
                    ));
                }
            },
        }
    }
    for (option, v) in sel {
        let is_visibility = p
            .package
            .definition
            .option(&option)
            .is_some_and(|o| o.kind.name() == "visibility");
        let value = match (is_visibility, v.as_str()) {
            (true, "true") => Value::Bool(true),
            (true, "false") => Value::Bool(false),
            _ => Value::String(v),
        };
        selections.insert(option, value);
    }
    Ok((raw, selections))
}

/// `GET /v1/products/{id}/image`: the same render by URL.
#[utoipa::path(get, path = "/v1/products/{id}/image", tag = "render",
    params(("id" = String, Path, description = "Product id"), ImageQuery),
    responses((status = 200, description = "The image; Cache-Control: public, max-age=31536000, immutable"),
              (status = 304, description = "If-None-Match matched the ETag"),
              (status = 400, description = "Bad query parameter", body = crate::error::Problem, content_type = "application/problem+json"),
              (status = 401, description = "API key required", body = crate::error::Problem, content_type = "application/problem+json"),
              (status = 403, description = "Missing or wrong signature", body = crate::error::Problem, content_type = "application/problem+json"),
              (status = 404, description = "Unknown product", body = crate::error::Problem, content_type = "application/problem+json"),
              (status = 422, description = "Invalid configuration or size", body = crate::error::Problem, content_type = "application/problem+json"),
              (status = 429, description = "Queue full", body = crate::error::Problem, content_type = "application/problem+json"),
              (status = 503, description = "Deadline exceeded or not ready", body = crate::error::Problem, content_type = "application/problem+json")),
    security(("bearer" = []), ("signed_url" = [])))]
pub async fn get_image(
    State(state): State<AppState>,
    Path(id): Path<String>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let deadline = deadline(&state);
    let p = product(&state, &id)?;
    let (raw, selections) = parse_image_query(&p, &uri)?;
    let prep = pipeline::prepare(&state, Arc::clone(&p), selections, None, &raw)?;
    answer(
        &state,
        prep,
        &headers,
        deadline,
        "public, max-age=31536000, immutable",
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::set_image_reference;
    use serde_json::json;
    use std::collections::BTreeMap;

    #[test]
    fn an_upload_fills_the_image_of_an_object_selection() {
        let mut s = BTreeMap::new();
        s.insert("logo".to_string(), json!({ "image": "", "scale": 0.9 }));
        s.insert("tag".to_string(), json!("old"));
        set_image_reference(&mut s, "logo", "sha256:ab".into());
        set_image_reference(&mut s, "tag", "sha256:cd".into());
        set_image_reference(&mut s, "new", "sha256:ef".into());
        assert_eq!(s["logo"], json!({ "image": "sha256:ab", "scale": 0.9 }));
        assert_eq!(s["tag"], json!("sha256:cd"));
        assert_eq!(s["new"], json!("sha256:ef"));
    }
}
