//! `/lang/{locale}`: the no-JavaScript path of the language switch.
use app::auth::is_local_path;
use axum::extract::{Path, Query};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

/// The cookie leptos_i18n reads before Accept-Language.
const LOCALE_COOKIE: &str = "i18n_pref_locale";
const SUPPORTED: [&str; 2] = ["zh", "en"];

#[derive(Deserialize)]
pub struct Next {
    next: Option<String>,
}

/// A file's language from its `?lang=`: English when asked, Chinese otherwise.
pub fn locale_param(lang: Option<&str>) -> app::i18n::Locale {
    match lang {
        Some("en") => app::i18n::Locale::en,
        _ => app::i18n::Locale::zh,
    }
}

/// Stores the chosen locale and sends the browser back where it came from
/// (only same-site relative paths are honoured: no open redirect).
pub async fn switch_language(
    Path(locale): Path<String>,
    Query(query): Query<Next>,
    headers: HeaderMap,
) -> Response {
    if !SUPPORTED.contains(&locale.as_str()) {
        return (StatusCode::NOT_FOUND, "unsupported language").into_response();
    }
    let target = query
        .next
        .or_else(|| referer_path(&headers))
        .filter(|p| is_local_path(p))
        .unwrap_or_else(|| "/".to_owned());
    let cookie = format!("{LOCALE_COOKIE}={locale}; Path=/; Max-Age=31536000; SameSite=Lax");
    let mut response = StatusCode::SEE_OTHER.into_response();
    let headers = response.headers_mut();
    if let (Ok(cookie), Ok(location)) = (
        HeaderValue::from_str(&cookie),
        HeaderValue::from_str(&target),
    ) {
        headers.insert(header::SET_COOKIE, cookie);
        headers.insert(header::LOCATION, location);
    }
    response
}

fn referer_path(headers: &HeaderMap) -> Option<String> {
    let referer = headers.get(header::REFERER)?.to_str().ok()?;
    let url = url::Url::parse(referer).ok()?;
    let mut path = url.path().to_owned();
    if let Some(query) = url.query() {
        path = format!("{path}?{query}");
    }
    Some(path)
}

#[cfg(test)]
mod tests {
    use super::is_local_path;

    #[test]
    fn only_same_site_paths_are_local() {
        assert!(is_local_path("/console?x=1"));
        assert!(!is_local_path("//evil.example/"));
        assert!(!is_local_path("/\\evil.example"));
        assert!(!is_local_path("https://evil.example/"));
        assert!(!is_local_path("console"));
    }
}
