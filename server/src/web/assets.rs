//! The built assets (`/pkg/*`: JavaScript, WebAssembly, CSS), served as files
//! and nothing else: a name that does not exist is a plain 404, not the
//! application rendered for a path nobody signed in to (which needed a
//! session and logged an error for every stray request).
use axum::Router;
use axum::handler::HandlerWithoutStateExt;
use axum::http::StatusCode;
use tower_http::services::ServeDir;

async fn missing() -> (StatusCode, &'static str) {
    (StatusCode::NOT_FOUND, "not found")
}

/// `/pkg` from `<site root>/<pkg dir>`.
pub fn routes<S: Clone + Send + Sync + 'static>(site_root: &str, pkg_dir: &str) -> Router<S> {
    let files =
        ServeDir::new(format!("{site_root}/{pkg_dir}")).not_found_service(missing.into_service());
    Router::new().nest_service(&format!("/{pkg_dir}"), files)
}
