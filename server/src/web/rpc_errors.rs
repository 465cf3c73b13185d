//! Where a server function's error becomes an HTTP status: Leptos answers
//! every error with 500; this layer reads the typed error from the body and
//! sets the status it stands for (401, 403, 404, 409, 422, 429 + Retry-After,
//! 503). It also refuses bodies that no server function here accepts (415):
//! every one takes a url-encoded form, but the import, which takes a
//! multipart form (a file) with a boundary server_fn could not do without.
use app::equipment::ImportEquipment;
use app::error::AppError;
use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use leptos::server_fn::ServerFn;

/// Set by server_fn on its error responses.
const SERVER_FN_ERROR: &str = "serverfnerror";
const MAX_ERROR_BODY: usize = 64 * 1024;
const FORM: &str = "application/x-www-form-urlencoded";
const MULTIPART: &str = "multipart/form-data";

/// The JSON a server-function client decodes, with its status.
pub fn error_response(error: &AppError) -> Response {
    let status =
        StatusCode::from_u16(error.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = serde_json::to_string(error).unwrap_or_else(|_| "\"Internal\"".to_owned());
    let mut response = (status, [(header::CONTENT_TYPE, "application/json")], body).into_response();
    add_retry_after(&mut response, error);
    response
}

fn add_retry_after(response: &mut Response, error: &AppError) {
    if let AppError::TooManyRequests {
        retry_after_secs, ..
    } = error
        && let Ok(value) = HeaderValue::from_str(&retry_after_secs.to_string())
    {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
}

pub async fn map_errors(request: Request, next: Next) -> Response {
    if !request.uri().path().starts_with("/api/rpc/") {
        return next.run(request).await;
    }
    if request.method() == Method::POST {
        let expected = if request.uri().path() == <ImportEquipment as ServerFn>::PATH {
            MULTIPART
        } else {
            FORM
        };
        if !has_body_type(&request, expected) {
            return error_response_with(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                &AppError::Transport(format!("send the arguments as {expected}")),
            );
        }
    }
    let response = next.run(request).await;
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !response.headers().contains_key(SERVER_FN_ERROR)
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_ERROR_BODY).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response();
    };
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status =
            StatusCode::from_u16(error.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = Response::from_parts(parts, Body::from(bytes));
        add_retry_after(&mut response, &error);
        return response;
    }
    Response::from_parts(parts, Body::from(bytes))
}

fn error_response_with(status: StatusCode, error: &AppError) -> Response {
    let mut response = error_response(error);
    *response.status_mut() = status;
    response
}

fn has_body_type(request: &Request, expected: &str) -> bool {
    let Some(value) = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let mime_matches = value
        .split(';')
        .next()
        .is_some_and(|mime| mime.trim().eq_ignore_ascii_case(expected));
    // server_fn panics on a multipart body without a boundary.
    mime_matches && (expected != MULTIPART || multer::parse_boundary(value).is_ok())
}
