//! Request bodies: how large (64 KiB for forms, 16 MiB for a CSV import) and
//! how slow (a pause between two pieces longer than the idle timeout ends it).
//!
//! A declared length over the limit is refused at once with 413. A body that
//! grows past the limit while being read (chunked, or lying about its
//! length), or stalls, fails its read wherever it is read; this layer notices
//! and answers 413 or 408 itself, so that the client learns why instead of a
//! confusing "could not deserialize" from whoever was reading.
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body_util::{LengthLimitError, Limited};
use hyper::body::{Frame, SizeHint};
use tower_http::timeout::{TimeoutBody, TimeoutError};

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

const FINE: u8 = 0;
const TOO_LARGE: u8 = 1;
const TOO_SLOW: u8 = 2;

pub async fn limit_body(State(idle): State<Duration>, request: Request, next: Next) -> Response {
    let limit = limit_for(request.uri().path());
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|length| length > limit) {
        return too_large(limit);
    }
    let outcome = Arc::new(AtomicU8::new(FINE));
    let (parts, body) = request.into_parts();
    let body = Body::new(Watched {
        inner: Body::new(TimeoutBody::new(idle, Limited::new(body, limit))),
        outcome: outcome.clone(),
    });
    let response = next.run(Request::from_parts(parts, body)).await;
    match outcome.load(Ordering::Acquire) {
        TOO_LARGE => too_large(limit),
        TOO_SLOW => (
            StatusCode::REQUEST_TIMEOUT,
            [(header::CONNECTION, "close")],
            "the request body stopped arriving",
        )
            .into_response(),
        _ => response,
    }
}

fn too_large(limit: usize) -> Response {
    (
        StatusCode::PAYLOAD_TOO_LARGE,
        [(header::CONNECTION, "close")],
        format!("request body too large (at most {} KiB)", limit / 1024),
    )
        .into_response()
}

/// A body that remembers why its read failed.
struct Watched {
    inner: Body,
    outcome: Arc<AtomicU8>,
}

impl hyper::body::Body for Watched {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        let polled = Pin::new(&mut self.inner).poll_frame(cx);
        if let Poll::Ready(Some(Err(error))) = &polled {
            let why = cause(error);
            if why != FINE {
                self.outcome.store(why, Ordering::Release);
            }
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// Walks the error's sources for the limit's or the timeout's own error.
fn cause(error: &(dyn std::error::Error + 'static)) -> u8 {
    let mut current = Some(error);
    while let Some(error) = current {
        if error.is::<LengthLimitError>() {
            return TOO_LARGE;
        }
        if error.is::<TimeoutError>() {
            return TOO_SLOW;
        }
        current = error.source();
    }
    FINE
}
