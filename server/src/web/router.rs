use std::sync::{Arc, OnceLock};

use app::state::AppState;
use app::{App, shell};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware;
use axum::routing::{get, post};
use leptos_axum::{AxumRouteListing, LeptosRoutes, generate_route_list};
use tower::ServiceBuilder;
use tower_http::CompressionLevel;
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

use super::csrf::{OriginPolicy, refuse_cross_site};
use super::security_headers::with_security_headers;
use super::session_layer::session_layer;
use super::{
    api_v1, body_limit, dev_sms, equipment_export, health, interceptor, language, logout, metrics,
    notification_stream, rpc_errors, statistics_files, timeouts,
};

use super::request_id::{self, REQUEST_ID};

/// What the layers need to know about how the node is reached.
#[derive(Debug, Clone)]
pub struct WebSettings {
    pub https: bool,
    pub allowed_origins: Vec<String>,
    pub timeouts: super::HttpTimeouts,
}

/// The application's routes, generated once per process. Generating them
/// renders the app with resource loading suppressed through a process-wide
/// flag, and a resource first polled meanwhile by a render of another app in
/// the process (the tests run several) never resolves (leptos issue #4773):
/// its page hung until the request deadline answered 503.
fn route_list() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// Every route of a node, with its layers (outermost last).
pub fn build_router(state: AppState, web: &WebSettings) -> Router {
    let routes = route_list();
    let leptos_options = state.leptos_options.clone();
    let mut router = Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(metrics::metrics))
        .route("/lang/{locale}", get(language::switch_language))
        .route("/logout", post(logout::logout))
        .route("/api/v1/equipment", get(api_v1::list_equipment))
        .route("/api/v1/equipment.csv", get(equipment_export::export_csv))
        .route("/api/v1/equipment.xlsx", get(equipment_export::export_xlsx))
        .route(
            "/api/v1/equipment-template.csv",
            get(equipment_export::template_csv),
        )
        .route(
            "/api/v1/equipment-template.xlsx",
            get(equipment_export::template_xlsx),
        )
        .route("/api/v1/equipment/{id}", get(api_v1::equipment_by_id))
        .route("/equipment/{id}/label.svg", get(api_v1::equipment_label))
        .route("/statistics/{file}", get(statistics_files::my_file))
        .route(
            "/leader/statistics/{file}",
            get(statistics_files::scope_file),
        )
        .route(
            "/api/notifications/stream",
            get(notification_stream::notification_stream),
        );
    if state.auth.settings.dev_sms_outbox {
        router = router.route("/dev/sms", get(dev_sms::dev_sms));
    }
    let origin_policy = Arc::new(OriginPolicy {
        allowed: web.allowed_origins.clone(),
        https: web.https,
    });
    let assets = super::assets::routes(
        &state.leptos_options.site_root,
        &state.leptos_options.site_pkg_dir,
        state.leptos_options.hash_files,
    );
    let app = router
        .merge(assets)
        .leptos_routes(&state, routes, move || shell(leptos_options.clone()))
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        // Server-function errors get their real status first, so that the
        // metrics below count a 422 as a 422, not as Leptos's blanket 500.
        .route_layer(middleware::from_fn(rpc_errors::map_errors))
        // route_layer: runs after routing, so the matched pattern is known.
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            metrics::record,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            interceptor::intercept,
        ))
        .layer(session_layer(
            state.redis.clone(),
            web.https,
            state.auth.settings.idle_timeout,
        ))
        .layer(middleware::from_fn_with_state(
            origin_policy,
            refuse_cross_site,
        ));
    with_security_headers(app, web.https)
        .layer(compression())
        .layer(middleware::from_fn_with_state(
            web.timeouts.request,
            timeouts::request_deadline,
        ))
        .layer(middleware::from_fn_with_state(
            web.timeouts.body_idle,
            body_limit::limit_body,
        ))
        // axum's own 2 MiB default (which server functions read their body
        // through) would cut the 16 MiB import short: `limit_body` decides.
        .layer(DefaultBodyLimit::disable())
        .layer(
            ServiceBuilder::new()
                .layer(middleware::map_request(request_id::drop_malformed))
                .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
                .layer(TraceLayer::new_for_http().make_span_with(request_span))
                .layer(PropagateRequestIdLayer::new(REQUEST_ID)),
        )
        .with_state(state)
}

/// gzip or Brotli for what the client accepts: pages, JSON, CSS, JS, SVG and
/// CSV. Not the event stream (each event must leave at once), images, or
/// WebAssembly, which a release build ships precompressed and a debug
/// build's 20 MB would cost seconds of CPU per load. Level 5 keeps a page's
/// compression in the low milliseconds.
fn compression() -> CompressionLayer<impl Predicate> {
    CompressionLayer::new()
        .gzip(true)
        .br(true)
        .quality(CompressionLevel::Precise(5))
        .compress_when(
            DefaultPredicate::new().and(NotForContentType::const_new("application/wasm")),
        )
}

/// The root span of a request: every log line inside carries its request id.
fn request_span(request: &axum::http::Request<axum::body::Body>) -> tracing::Span {
    let request_id = request
        .headers()
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-");
    tracing::info_span!(
        "request",
        method = %request.method(),
        path = %request.uri().path(),
        request_id = %request_id,
    )
}
