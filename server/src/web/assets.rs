//! The built assets (`/pkg/*`: JavaScript, WebAssembly, CSS), served as files
//! and nothing else: a name that does not exist is a plain 404, not the
//! application rendered for a path nobody signed in to (which needed a
//! session and logged an error for every stray request).
//!
//! A release build leaves `.br` and `.gz` beside each file (`cargo leptos
//! build --release --precompress`), sent to browsers that accept them; file
//! names that carry their content's hash (`hash-files`) are cached for a year,
//! others are revalidated on every use.
use axum::Router;
use axum::extract::{Request, State};
use axum::handler::HandlerWithoutStateExt;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use tower_http::services::ServeDir;

/// A name with its content's hash never changes meaning.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Without a hash: keep it, but ask whether it changed (304 when not).
pub const REVALIDATE: &str = "no-cache";

async fn missing() -> (StatusCode, &'static str) {
    (StatusCode::NOT_FOUND, "not found")
}

/// `/pkg` from `<site root>/<pkg dir>`; `hashed` when the names carry hashes.
pub fn routes<S: Clone + Send + Sync + 'static>(
    site_root: &str,
    pkg_dir: &str,
    hashed: bool,
) -> Router<S> {
    let files = ServeDir::new(format!("{site_root}/{pkg_dir}"))
        .precompressed_br()
        .precompressed_gzip()
        .not_found_service(missing.into_service());
    let policy = if hashed { IMMUTABLE } else { REVALIDATE };
    Router::new()
        .nest_service(&format!("/{pkg_dir}"), files)
        .layer(middleware::from_fn_with_state(policy, cache_policy))
}

/// The built stylesheet's address, `/pkg/equipflow.<hash>.css` when the build
/// hashes its names (as leptos_meta's `HashedStylesheet` finds it), for pages
/// drawn outside the application (the development SMS outbox).
pub fn stylesheet_href(options: &leptos::config::LeptosOptions) -> String {
    let hash = options
        .hash_files
        .then(|| {
            let listing = std::fs::read_to_string(hash_listing(options)?).ok()?;
            listing.lines().find_map(|line| {
                let (file, hash) = line.trim().split_once(':')?;
                (file == "css").then(|| hash.trim().to_owned())
            })
        })
        .flatten();
    let name = match hash {
        Some(hash) => format!("{}.{hash}.css", options.output_name),
        None => format!("{}.css", options.output_name),
    };
    format!("/{}/{name}", options.site_pkg_dir)
}

/// Where cargo-leptos leaves the hashed names (`hash.txt` beside the server
/// binary), and where Leptos reads them.
pub fn hash_listing(options: &leptos::config::LeptosOptions) -> Option<std::path::PathBuf> {
    let exe = std::env::current_exe().ok()?;
    Some(exe.parent()?.join(options.hash_file.as_ref()))
}

/// Only files found are cacheable: a 404 must not stick for a year.
async fn cache_policy(
    State(policy): State<&'static str>,
    request: Request,
    next: Next,
) -> Response {
    let mut response = next.run(request).await;
    let status = response.status();
    if status.is_success() || status == StatusCode::NOT_MODIFIED {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use tower::ServiceExt;

    fn site() -> std::path::PathBuf {
        let root = std::env::temp_dir().join(format!("equipflow-assets-{}", std::process::id()));
        let pkg = root.join("pkg");
        std::fs::create_dir_all(&pkg).expect("pkg dir");
        std::fs::write(pkg.join("app.js"), "console.log('plain')".repeat(50)).expect("js");
        std::fs::write(pkg.join("app.js.br"), b"brotli bytes").expect("br");
        std::fs::write(pkg.join("app.js.gz"), b"gzip bytes").expect("gz");
        root
    }

    async fn get(router: Router, path: &str, accept: &str) -> Response {
        let request = Request::builder()
            .uri(path)
            .header(header::ACCEPT_ENCODING, accept)
            .body(Body::empty())
            .expect("request");
        router.oneshot(request).await.expect("response")
    }

    #[tokio::test]
    async fn precompressed_files_are_chosen_and_cached_by_their_names() {
        let root = site();
        let root = root.to_str().expect("utf-8 path");
        let plain: Router = routes(root, "pkg", false);
        let response = get(plain.clone(), "/pkg/app.js", "gzip, br").await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()[header::CONTENT_ENCODING], "br");
        assert_eq!(response.headers()[header::CACHE_CONTROL], REVALIDATE);
        let response = get(plain.clone(), "/pkg/app.js", "gzip").await;
        assert_eq!(response.headers()[header::CONTENT_ENCODING], "gzip");
        let response = get(plain.clone(), "/pkg/app.js", "identity").await;
        assert!(response.headers().get(header::CONTENT_ENCODING).is_none());

        let hashed: Router = routes(root, "pkg", true);
        let response = get(hashed.clone(), "/pkg/app.js", "br").await;
        assert_eq!(response.headers()[header::CACHE_CONTROL], IMMUTABLE);
        let response = get(hashed, "/pkg/gone.js", "br").await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        assert!(
            response.headers().get(header::CACHE_CONTROL).is_none(),
            "a 404 is not kept"
        );
    }
}
