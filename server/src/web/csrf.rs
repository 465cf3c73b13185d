//! Cross-site request forgery defence. Leptos server functions check
//! nothing themselves, so every state-changing request must come from this
//! site: `Sec-Fetch-Site` says so (modern browsers), or, without it, the
//! `Origin` header matches exactly; with neither, the request is refused.
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

#[derive(Debug, Clone)]
pub struct OriginPolicy {
    /// Configured origins; when empty, the origin the request was sent to.
    pub allowed: Vec<String>,
    pub https: bool,
}

pub async fn refuse_cross_site(
    State(policy): State<Arc<OriginPolicy>>,
    request: Request,
    next: Next,
) -> Response {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        return next.run(request).await;
    }
    match verdict(&policy, request.headers()) {
        Ok(()) => next.run(request).await,
        Err(reason) => {
            tracing::warn!(target: "auth", path = %request.uri().path(), reason, "cross-site request refused");
            (
                StatusCode::FORBIDDEN,
                format!("cross-site request refused: {reason}"),
            )
                .into_response()
        }
    }
}

fn verdict(policy: &OriginPolicy, headers: &HeaderMap) -> Result<(), &'static str> {
    if let Some(site) = headers.get("sec-fetch-site") {
        return match site.to_str().unwrap_or("") {
            "same-origin" | "none" => Ok(()),
            _ => Err("Sec-Fetch-Site is not same-origin"),
        };
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()) else {
        return Err("neither Sec-Fetch-Site nor Origin is present");
    };
    let expected = if policy.allowed.is_empty() {
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("");
        let scheme = if policy.https { "https" } else { "http" };
        vec![format!("{scheme}://{host}")]
    } else {
        policy.allowed.clone()
    };
    if expected.iter().any(|allowed| allowed == origin) {
        Ok(())
    } else {
        Err("Origin is not this site")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.insert(*k, HeaderValue::from_static(v));
        }
        map
    }

    #[test]
    fn fetch_metadata_decides_first() {
        let policy = OriginPolicy {
            allowed: vec![],
            https: false,
        };
        assert!(verdict(&policy, &headers(&[("sec-fetch-site", "same-origin")])).is_ok());
        assert!(verdict(&policy, &headers(&[("sec-fetch-site", "none")])).is_ok());
        assert!(verdict(&policy, &headers(&[("sec-fetch-site", "cross-site")])).is_err());
        assert!(verdict(&policy, &headers(&[("sec-fetch-site", "same-site")])).is_err());
    }

    #[test]
    fn origin_must_match_exactly_and_one_header_is_required() {
        let policy = OriginPolicy {
            allowed: vec![],
            https: false,
        };
        let host = ("host", "app.example:3000");
        assert!(
            verdict(
                &policy,
                &headers(&[host, ("origin", "http://app.example:3000")])
            )
            .is_ok()
        );
        assert!(
            verdict(
                &policy,
                &headers(&[host, ("origin", "http://app.example:3000.evil")])
            )
            .is_err()
        );
        assert!(
            verdict(
                &policy,
                &headers(&[host, ("origin", "https://app.example:3000")])
            )
            .is_err()
        );
        assert!(verdict(&policy, &headers(&[host])).is_err());
        let configured = OriginPolicy {
            allowed: vec!["https://equip.example".into()],
            https: true,
        };
        assert!(
            verdict(
                &configured,
                &headers(&[host, ("origin", "https://equip.example")])
            )
            .is_ok()
        );
        assert!(
            verdict(
                &configured,
                &headers(&[host, ("origin", "http://app.example:3000")])
            )
            .is_err()
        );
    }
}
