//! Response headers every answer carries. Pages set their own CSP with a
//! per-response nonce; everything else gets the strict default. Nothing but
//! the built assets may be kept by a cache: pages and JSON carry people's data.
use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use tower_http::set_header::SetResponseHeaderLayer;

/// Powerful browser features the app does not use are off for it and for
/// anything it could be framed with; the camera stays available to the app
/// itself (scanning labels).
const PERMISSIONS_POLICY: &str =
    "camera=(self), microphone=(), geolocation=(), payment=(), usb=(), serial=(), hid=()";

/// Paths whose answers are the same for everyone (built assets, public files).
fn is_shared_file(path: &str) -> bool {
    path.starts_with("/pkg/") || path == "/favicon.svg"
}

/// `Cache-Control: no-store` on every answer that does not say otherwise,
/// except files that are the same for everyone.
async fn no_store_by_default(request: Request, next: Next) -> Response {
    let shared = is_shared_file(request.uri().path());
    let mut response = next.run(request).await;
    if !shared && !response.headers().contains_key(header::CACHE_CONTROL) {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

fn header_layer(name: HeaderName, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
}

pub fn with_security_headers<S: Clone + Send + Sync + 'static>(
    router: Router<S>,
    https: bool,
) -> Router<S> {
    let hsts = if https {
        "max-age=31536000; includeSubDomains"
    } else {
        // Over plain http a browser ignores HSTS anyway.
        "max-age=0"
    };
    router
        .layer(header_layer(
            header::CONTENT_SECURITY_POLICY,
            "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
        ))
        .layer(header_layer(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        // `same-origin`: the no-JavaScript form flow needs the Referer to come
        // back to its page; other sites learn nothing.
        .layer(header_layer(header::REFERRER_POLICY, "same-origin"))
        .layer(header_layer(header::STRICT_TRANSPORT_SECURITY, hsts))
        .layer(header_layer(
            HeaderName::from_static("permissions-policy"),
            PERMISSIONS_POLICY,
        ))
        .layer(middleware::from_fn(no_store_by_default))
}
