//! Bounds on slow clients and slow requests: a body that stops arriving, and
//! a request that takes too long to answer (every route but the event stream,
//! which is meant to stay open).
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

#[derive(Debug, Clone, Copy)]
pub struct HttpTimeouts {
    /// From the connection's start (or its previous request) to the end of
    /// the request headers.
    pub header_read: Duration,
    /// Longest pause between two pieces of a request body.
    pub body_idle: Duration,
    /// Longest time from the request to the response's head.
    pub request: Duration,
}

/// The routes whose response is a long-lived stream.
const STREAMS: [&str; 1] = ["/api/notifications/stream"];

/// Answers 503 (with `Retry-After`) when the response is not ready in time.
pub async fn request_deadline(
    State(limit): State<Duration>,
    request: Request,
    next: Next,
) -> Response {
    if STREAMS.contains(&request.uri().path()) {
        return next.run(request).await;
    }
    let path = request.uri().path().to_owned();
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!(%path, ?limit, "request took too long; answered 503");
            let mut response = (
                StatusCode::SERVICE_UNAVAILABLE,
                "the server took too long to answer",
            )
                .into_response();
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
            response
        }
    }
}
