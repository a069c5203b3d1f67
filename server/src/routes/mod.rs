//! The router: every endpoint of `docs/api.md`, the middleware stack
//! (request ids, tracing, CORS, problem responses, metrics, body limits,
//! API keys and URL signatures) and the OpenAPI document.

pub mod extract;
pub mod products;
pub mod render;
pub mod system;

use crate::AppState;
use crate::error::{AppError, PROBLEM_JSON, ProblemKind};
use crate::request::{self, REQUEST_ID};
use crate::signing;
use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use std::time::{Duration, Instant};
use tower::util::option_layer;
use tower_http::cors::{AllowOrigin, Any, CorsLayer};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

/// The OpenAPI document of the service.
#[derive(OpenApi)]
#[openapi(
    info(title = "Showroom render service", description = "Configurations in, product images out. Errors are RFC 9457 problem+json."),
    paths(
        system::index, system::healthz, system::readyz, system::metrics, system::openapi,
        products::list, products::get, products::asset, products::configure,
        render::post_render, render::get_image,
    ),
    components(schemas(
        crate::error::Problem, crate::error::FieldError, render::RenderRequest,
        crate::params::CameraSpec, products::ConfigurationRequest,
        products::ConfigurationResponse, products::ProductSummary, system::Ready,
    )),
    modifiers(&Security),
)]
pub struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let c = openapi.components.get_or_insert_with(Default::default);
        c.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        c.add_security_scheme(
            "signed_url",
            SecurityScheme::ApiKey(ApiKey::Query(ApiKeyValue::new("sig"))),
        );
    }
}

/// The router of the service.
pub fn app(state: AppState) -> Router {
    let config = state.config().clone();
    let render = Router::new()
        .route("/v1/render", post(render::post_render))
        .route_layer(middleware::from_fn_with_state(state.clone(), require_key));
    let image = Router::new()
        .route("/v1/products/{id}/image", get(render::get_image))
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            require_signature_or_key,
        ));
    Router::new()
        .route("/", get(system::index))
        .route("/healthz", get(system::healthz))
        .route("/readyz", get(system::readyz))
        .route("/metrics", get(system::metrics))
        .route("/openapi.json", get(system::openapi))
        .route("/v1/products", get(products::list))
        .route("/v1/products/{id}", get(products::get))
        .route("/v1/products/{id}/assets/{*path}", get(products::asset))
        .route("/v1/products/{id}/configurations", post(products::configure))
        .merge(render)
        .merge(image)
        .fallback(fallback)
        .layer(DefaultBodyLimit::max(config.max_body_bytes))
        .layer(middleware::from_fn_with_state(state.clone(), track))
        .layer(RequestBodyLimitLayer::new(config.max_body_bytes))
        .layer(middleware::from_fn(problems))
        .layer(middleware::from_fn(request::scope))
        .layer(option_layer(cors(&config.cors_origins)))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID.clone()))
        .layer(
            TraceLayer::new_for_http().make_span_with(|req: &Request| {
                let id = req
                    .headers()
                    .get(&REQUEST_ID)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("-");
                tracing::info_span!("http", method = %req.method(), path = %req.uri().path(), request_id = %id)
            }),
        )
        .layer(SetRequestIdLayer::new(REQUEST_ID.clone(), MakeRequestUuid))
        .with_state(state)
}

fn cors(origins: &[String]) -> Option<CorsLayer> {
    if origins.is_empty() {
        return None;
    }
    let layer = CorsLayer::new()
        .allow_methods([Method::GET, Method::HEAD, Method::POST, Method::OPTIONS])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::IF_NONE_MATCH,
        ])
        .expose_headers([
            header::ETAG,
            header::RETRY_AFTER,
            REQUEST_ID.clone(),
            header::HeaderName::from_static(render::X_CACHE),
        ])
        .max_age(Duration::from_secs(3600));
    Some(if origins.iter().any(|o| o == "*") {
        layer.allow_origin(Any)
    } else {
        layer.allow_origin(AllowOrigin::list(
            origins.iter().filter_map(|o| HeaderValue::from_str(o).ok()),
        ))
    })
}

async fn fallback(req: Request) -> AppError {
    AppError::http(
        StatusCode::NOT_FOUND,
        format!("no route for {} {}", req.method(), req.uri().path()),
    )
}

/// Bearer API keys on `/v1/render` (when configured).
async fn require_key(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let keys = &state.config().api_keys;
    let auth = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    if !keys.is_empty() && !signing::bearer_ok(keys, auth) {
        return AppError::new(
            ProblemKind::Unauthorized,
            "a valid bearer API key is required",
        )
        .into_response();
    }
    next.run(req).await
}

/// On `…/image`: with a signing key, a valid `sig` is required (and is the
/// authorization: signed URLs go where no header can be sent); without one,
/// the bearer API keys apply (when configured).
async fn require_signature_or_key(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    let key = &state.config().signing_key;
    if !key.is_empty() {
        if !signing::verify(key, req.uri().path(), req.uri().query()) {
            return AppError::new(
                ProblemKind::BadSignature,
                "the URL signature (sig) is missing or wrong",
            )
            .into_response();
        }
        return next.run(req).await;
    }
    require_key(State(state), req, next).await
}

/// Requests by route, method and status; latency by route.
async fn track(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", |m| m.as_str())
        .to_string();
    let method = req.method().clone();
    let t0 = Instant::now();
    let res = next.run(req).await;
    let m = state.metrics();
    m.requests
        .with_label_values(&[route.as_str(), method.as_str(), res.status().as_str()])
        .inc();
    m.latency
        .with_label_values(&[route.as_str()])
        .observe(t0.elapsed().as_secs_f64());
    res
}

/// Every error response as problem+json (layers and axum's own rejections
/// answer plain text otherwise).
async fn problems(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    let status = res.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return res;
    }
    let is_problem = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(PROBLEM_JSON.as_bytes()));
    if is_problem {
        return res;
    }
    let e = match status {
        StatusCode::PAYLOAD_TOO_LARGE => {
            AppError::too_large("the request body is larger than max_body_bytes")
        }
        StatusCode::UNSUPPORTED_MEDIA_TYPE => {
            AppError::new(ProblemKind::UnsupportedMediaType, "unsupported media type")
        }
        s if s.is_server_error() => AppError::internal(format!("plain {s} response from a layer")),
        s => AppError::http(s, s.canonical_reason().unwrap_or("error")),
    };
    let (mut parts, _) = res.into_parts();
    let new = e.into_response();
    parts.headers.remove(header::CONTENT_LENGTH);
    for (k, v) in new.headers() {
        parts.headers.insert(k, v.clone());
    }
    let (_, body) = new.into_parts();
    Response::from_parts(parts, body)
}
