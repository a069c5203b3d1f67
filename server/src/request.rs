//! The request id and path of the request being answered, kept in a task-local
//! so that problem responses can name them wherever they are built.

use axum::extract::Request;
use axum::http::HeaderName;
use axum::middleware::Next;
use axum::response::Response;

/// The request id header (set by tower-http's request-id layers).
pub static REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// What a problem response names of its request.
#[derive(Debug, Clone)]
pub struct RequestInfo {
    /// The request id.
    pub id: String,
    /// The request path (the problem's `instance`).
    pub path: String,
}

tokio::task_local! {
    static CURRENT: RequestInfo;
}

/// The request being answered by this task, if any.
pub fn current() -> Option<RequestInfo> {
    CURRENT.try_with(Clone::clone).ok()
}

/// Middleware: runs the rest of the stack with the request's id and path in
/// the task-local.
pub async fn scope(req: Request, next: Next) -> Response {
    let info = RequestInfo {
        id: req
            .headers()
            .get(&REQUEST_ID)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("-")
            .to_string(),
        path: req.uri().path().to_string(),
    };
    CURRENT.scope(info, next.run(req)).await
}
