//! The one helper every server function calls at its first line: who is
//! calling, and may they? The login interceptor has already resolved the
//! session; this reads its answer from the request and checks the role
//! again (defence in depth: a server function is a public endpoint).
use std::net::IpAddr;

use leptos::prelude::use_context;

use super::model::Role;
use super::principal::Principal;
use crate::error::AppError;

/// What the interceptor learned about a request, kept in its extensions.
#[derive(Debug, Clone)]
pub struct RequestAuth {
    pub user: Option<Principal>,
    /// The client's address (after trusted proxies), for rate limits and logs.
    pub address: IpAddr,
}

/// The interceptor's findings for the current request.
pub fn request_auth() -> Option<RequestAuth> {
    use_context::<http::request::Parts>()?
        .extensions
        .get::<RequestAuth>()
        .cloned()
}

/// The signed-in caller with at least `role`: 401 when anonymous, 403 when
/// the role is too low.
pub fn require(role: Role) -> Result<Principal, AppError> {
    check(request_auth(), role)
}

/// The same check for handlers outside Leptos, given the interceptor's findings.
pub fn check(auth: Option<RequestAuth>, role: Role) -> Result<Principal, AppError> {
    let user = auth
        .and_then(|auth| auth.user)
        .ok_or(AppError::Unauthorized)?;
    if user.role < role {
        tracing::info!(target: "auth", user_id = user.id, needed = role.as_str(), "refused: role too low");
        return Err(AppError::Forbidden);
    }
    Ok(user)
}

/// For the few server functions anonymous callers may use (signing in): the
/// client address, and the signed-in user if there is one.
pub fn public() -> Result<RequestAuth, AppError> {
    request_auth().ok_or_else(|| {
        tracing::error!("request reached a server function without the login interceptor");
        AppError::Internal
    })
}
