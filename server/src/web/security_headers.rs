//! Response headers every answer carries. Pages set their own CSP with a
//! per-response nonce; everything else gets the strict default.
use axum::Router;
use axum::http::{HeaderName, HeaderValue, header};
use tower_http::set_header::SetResponseHeaderLayer;

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
}
