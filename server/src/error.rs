//! RFC 9457 problem responses (`application/problem+json`) and the service's
//! error type.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

/// The base of every problem `type` URI.
pub const PROBLEM_BASE: &str = "https://showroom.dev/problems/";

/// The media type of problem responses.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// One field-level error of a problem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct FieldError {
    /// Where: `selections.<option>`, `width`, `images.<option>`, …
    pub field: String,
    /// What is wrong and what is allowed.
    pub reason: String,
}

impl FieldError {
    /// A field error.
    pub fn new(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            reason: reason.into(),
        }
    }
}

/// The problem body (RFC 9457 plus `request_id` and `errors`).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Problem {
    /// The problem type URI (`https://showroom.dev/problems/<slug>`).
    #[serde(rename = "type")]
    pub kind: String,
    /// A short summary of the type.
    pub title: String,
    /// The HTTP status.
    pub status: u16,
    /// What happened in this request.
    pub detail: String,
    /// The request path.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
    /// The request id (also in the `x-request-id` header).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// Every field error, when the problem is about the request's content.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

/// The problem types of `docs/api.md` (plus `about:blank` for plain HTTP
/// errors such as an unknown route).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemKind {
    /// 400: the body is not JSON or not of the expected shape.
    MalformedJson,
    /// 400/422: a field of the request is invalid.
    InvalidField,
    /// 404: no product of that id.
    UnknownProduct,
    /// 422: the configuration is not valid for the product.
    InvalidConfiguration,
    /// 413: the body or an upload is too large.
    TooLarge,
    /// 422: width/height beyond the limits.
    SizeLimit,
    /// 415: a content type or image format that is not supported.
    UnsupportedMediaType,
    /// 422: an uploaded image is not a valid image.
    BadImage,
    /// 401: a bearer API key is required.
    Unauthorized,
    /// 403: the URL signature is missing or wrong.
    BadSignature,
    /// 429: the render queue is full.
    QueueFull,
    /// 503: the request was not answered within its deadline.
    DeadlineExceeded,
    /// 503: the GPU is not ready (starting or recovering).
    NotReady,
    /// 500: a bug or an unexpected failure (details are only logged).
    Internal,
    /// Any other HTTP error (`about:blank`), e.g. 404 for an unknown route.
    Http,
}

impl ProblemKind {
    /// The slug of the `type` URI (`None` for `about:blank`).
    pub fn slug(self) -> Option<&'static str> {
        Some(match self {
            Self::MalformedJson => "malformed-json",
            Self::InvalidField => "invalid-field",
            Self::UnknownProduct => "unknown-product",
            Self::InvalidConfiguration => "invalid-configuration",
            Self::TooLarge => "too-large",
            Self::SizeLimit => "size-limit",
            Self::UnsupportedMediaType => "unsupported-media-type",
            Self::BadImage => "bad-image",
            Self::Unauthorized => "unauthorized",
            Self::BadSignature => "bad-signature",
            Self::QueueFull => "queue-full",
            Self::DeadlineExceeded => "deadline-exceeded",
            Self::NotReady => "not-ready",
            Self::Internal => "internal",
            Self::Http => return None,
        })
    }

    fn title(self) -> &'static str {
        match self {
            Self::MalformedJson => "Malformed JSON",
            Self::InvalidField => "Invalid field",
            Self::UnknownProduct => "Unknown product",
            Self::InvalidConfiguration => "Invalid configuration",
            Self::TooLarge => "Too large",
            Self::SizeLimit => "Size beyond the limit",
            Self::UnsupportedMediaType => "Unsupported media type",
            Self::BadImage => "Bad image",
            Self::Unauthorized => "Unauthorized",
            Self::BadSignature => "Bad signature",
            Self::QueueFull => "Render queue full",
            Self::DeadlineExceeded => "Deadline exceeded",
            Self::NotReady => "Not ready",
            Self::Internal => "Internal error",
            Self::Http => "",
        }
    }
}

/// An error answered as a problem response.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{status} {}: {detail}", kind.slug().unwrap_or("about:blank"))]
pub struct AppError {
    /// The problem type.
    pub kind: ProblemKind,
    /// The HTTP status.
    pub status: StatusCode,
    /// What happened (never internals for [`ProblemKind::Internal`]).
    pub detail: String,
    /// Field errors.
    pub errors: Vec<FieldError>,
    /// Seconds for `Retry-After` (429, 503).
    pub retry_after: Option<u64>,
    /// The logged cause of an internal error.
    internal: Option<String>,
}

impl AppError {
    /// A problem of `kind` with its usual status.
    pub fn new(kind: ProblemKind, detail: impl Into<String>) -> Self {
        use ProblemKind::*;
        let status = match kind {
            MalformedJson | InvalidField => StatusCode::BAD_REQUEST,
            UnknownProduct => StatusCode::NOT_FOUND,
            InvalidConfiguration | SizeLimit | BadImage => StatusCode::UNPROCESSABLE_ENTITY,
            TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Unauthorized => StatusCode::UNAUTHORIZED,
            BadSignature => StatusCode::FORBIDDEN,
            QueueFull => StatusCode::TOO_MANY_REQUESTS,
            DeadlineExceeded | NotReady => StatusCode::SERVICE_UNAVAILABLE,
            Internal | Http => StatusCode::INTERNAL_SERVER_ERROR,
        };
        Self {
            kind,
            status,
            detail: detail.into(),
            errors: Vec::new(),
            retry_after: None,
            internal: None,
        }
    }

    /// This error with another status.
    #[must_use]
    pub fn with_status(mut self, status: StatusCode) -> Self {
        self.status = status;
        self
    }

    /// This error with field errors.
    #[must_use]
    pub fn with_errors(mut self, errors: Vec<FieldError>) -> Self {
        self.errors = errors;
        self
    }

    /// A plain HTTP error (`about:blank`).
    pub fn http(status: StatusCode, detail: impl Into<String>) -> Self {
        Self::new(ProblemKind::Http, detail).with_status(status)
    }

    /// `400 malformed-json`.
    pub fn malformed_json(detail: impl Into<String>) -> Self {
        Self::new(ProblemKind::MalformedJson, detail)
    }

    /// `400 invalid-field` for one field.
    pub fn invalid_field(field: &str, reason: impl Into<String>) -> Self {
        let reason = reason.into();
        Self::new(ProblemKind::InvalidField, format!("{field}: {reason}"))
            .with_errors(vec![FieldError::new(field, reason)])
    }

    /// `404 unknown-product`.
    pub fn unknown_product(id: &str) -> Self {
        Self::new(
            ProblemKind::UnknownProduct,
            format!("no product {id:?} (GET /v1/products lists them)"),
        )
    }

    /// `422 invalid-configuration` with every error.
    pub fn invalid_configuration(errors: Vec<FieldError>) -> Self {
        let n = errors.len();
        Self::new(
            ProblemKind::InvalidConfiguration,
            format!("{n} error{}", if n == 1 { "" } else { "s" }),
        )
        .with_errors(errors)
    }

    /// `413 too-large`.
    pub fn too_large(detail: impl Into<String>) -> Self {
        Self::new(ProblemKind::TooLarge, detail)
    }

    /// `422 bad-image` for an image field.
    pub fn bad_image(field: &str, reason: impl Into<String>) -> Self {
        let reason = reason.into();
        Self::new(ProblemKind::BadImage, format!("{field}: {reason}"))
            .with_errors(vec![FieldError::new(field, reason)])
    }

    /// `429 queue-full` with `Retry-After`.
    pub fn queue_full(retry_after_s: u64) -> Self {
        let mut e = Self::new(
            ProblemKind::QueueFull,
            "the render queue is full; retry later",
        );
        e.retry_after = Some(retry_after_s.max(1));
        e
    }

    /// `503 deadline-exceeded`.
    pub fn deadline_exceeded() -> Self {
        Self::new(
            ProblemKind::DeadlineExceeded,
            "the render was not done within the deadline",
        )
    }

    /// `503 not-ready`.
    pub fn not_ready(detail: impl Into<String>) -> Self {
        let mut e = Self::new(ProblemKind::NotReady, detail);
        e.retry_after = Some(1);
        e
    }

    /// `500 internal`: `cause` is logged, never answered.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        let mut e = Self::new(
            ProblemKind::Internal,
            "an internal error occurred; it has been logged with the request id",
        );
        e.internal = Some(cause.to_string());
        e
    }

    /// The problem body for this error.
    pub fn problem(&self) -> Problem {
        let info = crate::request::current();
        let title = match self.kind {
            ProblemKind::Http => self.status.canonical_reason().unwrap_or("Error"),
            k => k.title(),
        };
        Problem {
            kind: self.kind.slug().map_or_else(
                || "about:blank".to_string(),
                |s| format!("{PROBLEM_BASE}{s}"),
            ),
            title: title.to_string(),
            status: self.status.as_u16(),
            detail: self.detail.clone(),
            instance: info.as_ref().map(|i| i.path.clone()),
            request_id: info.map(|i| i.id),
            errors: self.errors.clone(),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let problem = self.problem();
        if let Some(cause) = &self.internal {
            tracing::error!(request_id = problem.request_id.as_deref().unwrap_or("-"), error = %cause, "internal error");
        } else if self.status.is_server_error() {
            tracing::warn!(request_id = problem.request_id.as_deref().unwrap_or("-"), problem = %self, "request failed");
        } else {
            tracing::debug!(request_id = problem.request_id.as_deref().unwrap_or("-"), problem = %self, "request rejected");
        }
        let body = serde_json::to_vec(&problem).unwrap_or_default();
        let mut res = (self.status, body).into_response();
        res.headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        if let Some(s) = self.retry_after {
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(s));
        }
        if self.kind == ProblemKind::Unauthorized {
            res.headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        res
    }
}

/// Why the service could not start or stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The configuration is invalid.
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    /// The GPU could not be opened.
    #[error("cannot start the renderer: {0}")]
    Gpu(String),
    /// The address could not be bound or the server failed.
    #[error("{context}: {source}")]
    Io {
        /// What was being done.
        context: String,
        /// The cause.
        source: std::io::Error,
    },
}
