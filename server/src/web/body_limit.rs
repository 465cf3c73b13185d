//! Request body limits by path: forms are small (64 KiB); a CSV import may be
//! large (16 MiB). A declared length over the limit is refused at once with
//! 413; a body that grows past it while being read fails its read.
use axum::body::Body;
use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

pub const DEFAULT_MAX_BODY_BYTES: usize = 64 * 1024;
pub const IMPORT_MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

fn limit_for(path: &str) -> usize {
    use app::equipment::ImportEquipment;
    use leptos::server_fn::ServerFn;
    if path == <ImportEquipment as ServerFn>::PATH {
        IMPORT_MAX_BODY_BYTES
    } else {
        DEFAULT_MAX_BODY_BYTES
    }
}

pub async fn limit_body(request: Request, next: Next) -> Response {
    let limit = limit_for(request.uri().path());
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|length| length > limit) {
        return (StatusCode::PAYLOAD_TOO_LARGE, "request body too large").into_response();
    }
    let (parts, body) = request.into_parts();
    let body = Body::new(http_body_util::Limited::new(body, limit));
    next.run(Request::from_parts(parts, body)).await
}
