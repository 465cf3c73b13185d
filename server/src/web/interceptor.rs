//! The login interceptor: resolves the session in front of every page and
//! server function, sends anonymous page visits to `/login?next=…`, answers
//! 401 to anonymous API calls and 403 to a role that does not reach.
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use app::auth::guard::RequestAuth;
use app::auth::session;
use app::error::AppError;
use app::state::AppState;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use tower_sessions::Session;

use super::access::{
    Access, CHANGE_PASSWORD_PAGE, allowed_before_password_change, classify, is_background,
};
use super::rpc_errors::error_response;

pub async fn intercept(
    State(state): State<AppState>,
    session: Session,
    mut request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path().to_owned();
    let access = classify(&path);
    if access == Access::Static {
        return next.run(request).await;
    }
    let address = client_address(&request, state.auth.settings.trusted_proxy_hops);
    let user = match session::resolve(&session, &state, !is_background(&path)).await {
        Ok(user) => user,
        Err(error) => return error_response(&error),
    };
    let role = user.as_ref().map(|u| u.role);
    let must_change = user.as_ref().is_some_and(|u| u.must_change_password);
    request
        .extensions_mut()
        .insert(RequestAuth { user, address });
    match (access, role) {
        (Access::Page(_), Some(_)) if must_change && !allowed_before_password_change(&path) => {
            Redirect::to(&format!("{CHANGE_PASSWORD_PAGE}?required=1")).into_response()
        }
        (Access::Api(_), Some(_)) if must_change && !allowed_before_password_change(&path) => {
            error_response(&AppError::PasswordChangeRequired)
        }
        (Access::Public, Some(role)) if path == "/login" => {
            let next = next_param(request.uri().query());
            Redirect::to(next.as_deref().unwrap_or(role.home_path())).into_response()
        }
        (Access::Public, _) => next.run(request).await,
        (Access::Page(_), None) => {
            let target = request.uri().path_and_query().map_or("/", |pq| pq.as_str());
            let query = app::auth::api::url_query(&[("next", target)]);
            Redirect::to(&format!("/login{query}")).into_response()
        }
        (Access::Api(_), None) => error_response(&AppError::Unauthorized),
        (Access::Api(needed), Some(role)) if role < needed => error_response(&AppError::Forbidden),
        (Access::Page(needed), Some(role)) if role < needed => forbidden_page(request, next).await,
        _ => next.run(request).await,
    }
}

/// Pages under a role-bound section render their own friendly 403; should one
/// forget, the interceptor still refuses rather than serve it.
async fn forbidden_page(request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    if response.status() == StatusCode::FORBIDDEN {
        return response;
    }
    tracing::error!(%path, "a role-bound page rendered for a role below it; refused");
    (
        StatusCode::FORBIDDEN,
        Html("<!DOCTYPE html><title>403</title><h1>403 Forbidden</h1><p><a href=\"/\">EquipFlow</a></p>"),
    )
        .into_response()
}

fn next_param(query: Option<&str>) -> Option<String> {
    url::form_urlencoded::parse(query?.as_bytes())
        .find(|(k, _)| k == "next")
        .map(|(_, v)| v.into_owned())
        .filter(|next| app::auth::safe_next_path(next).is_some())
}

/// The peer address, or with `hops` trusted proxies in front, the address
/// the outermost trusted proxy saw (counted from the right of X-Forwarded-For).
fn client_address(request: &Request, hops: usize) -> IpAddr {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::V4(Ipv4Addr::LOCALHOST), |c| c.0.ip());
    if hops == 0 {
        return peer;
    }
    forwarded_for(request.headers(), hops).unwrap_or(peer)
}

fn forwarded_for(headers: &HeaderMap, hops: usize) -> Option<IpAddr> {
    let chain: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    let index = chain.len().checked_sub(hops)?;
    chain.get(index)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn forwarded_for_counts_trusted_hops_from_the_right() {
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            HeaderValue::from_static("6.6.6.6, 10.0.0.7, 10.0.0.8"),
        );
        assert_eq!(forwarded_for(&headers, 1), "10.0.0.8".parse().ok());
        assert_eq!(forwarded_for(&headers, 2), "10.0.0.7".parse().ok());
        assert_eq!(forwarded_for(&headers, 4), None);
    }

    #[test]
    fn only_local_next_paths_survive() {
        assert_eq!(
            next_param(Some("next=%2Fleader")).as_deref(),
            Some("/leader")
        );
        assert_eq!(next_param(Some("next=https%3A%2F%2Fevil.example")), None);
    }
}
