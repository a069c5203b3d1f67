//! Request body extraction with problem responses: malformed JSON is a 400,
//! a JSON value of the wrong shape a 422 naming the field, an oversized body
//! a 413, a body that is not JSON a 415.

use crate::error::{AppError, ProblemKind};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderMap, StatusCode, header};
use serde::de::DeserializeOwned;

/// A JSON body, rejected as a problem.
#[derive(Debug)]
pub struct ApiJson<T>(pub T);

/// Whether the request says its body is JSON (`application/json` or `…+json`).
pub fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|m| {
            let m = m.trim().to_ascii_lowercase();
            m == "application/json" || (m.starts_with("application/") && m.ends_with("+json"))
        })
        .unwrap_or(false)
}

/// `415` for a body that is not of the expected media type.
pub fn unsupported_body(expected: &str) -> AppError {
    AppError::new(
        ProblemKind::UnsupportedMediaType,
        format!("the request body must be {expected}"),
    )
}

/// Maps a body-reading rejection: over the body limit → `413 too-large`.
pub fn body_rejection(r: BytesRejection) -> AppError {
    if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
        AppError::too_large("the request body is larger than max_body_bytes")
    } else {
        AppError::http(r.status(), r.body_text())
    }
}

/// Parses JSON into `T`: syntax errors → `400 malformed-json`, a wrong type,
/// an unknown or missing field → `422 invalid-field` with the field's path.
///
/// # Errors
///
/// As above.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value: T = match serde_path_to_error::deserialize(&mut de) {
        Ok(v) => v,
        Err(e) => {
            let path = e.path().to_string();
            let inner = e.into_inner();
            return Err(match inner.classify() {
                serde_json::error::Category::Data => {
                    let field = if path == "." || path.is_empty() {
                        "body".to_string()
                    } else {
                        path
                    };
                    AppError::invalid_field(&field, inner.to_string())
                        .with_status(StatusCode::UNPROCESSABLE_ENTITY)
                }
                _ => AppError::malformed_json(format!("the body is not valid JSON: {inner}")),
            });
        }
    };
    de.end()
        .map_err(|e| AppError::malformed_json(format!("the body is not valid JSON: {e}")))?;
    Ok(value)
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        if !is_json(req.headers()) {
            return Err(unsupported_body("application/json"));
        }
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(body_rejection)?;
        parse_json(&bytes).map(ApiJson)
    }
}
