//! Server functions of signing in. These few are open to anonymous callers
//! (see `PUBLIC_SERVER_FNS`); each still calls a guard at its first line.
use leptos::prelude::*;

use super::model::SignedInUser;
use crate::error::AppError;

/// The signed-in user, or `None`: what the header shows.
#[server(prefix = "/api/rpc", endpoint = "auth/me")]
pub async fn current_user() -> Result<Option<SignedInUser>, AppError> {
    let auth = super::guard::public()?;
    Ok(auth.user.map(|user| user.signed_in_user()))
}

/// Account + password. Answers with where to go next.
#[server(prefix = "/api/rpc", endpoint = "auth/login")]
pub async fn login(
    username: String,
    password: String,
    remember: Option<String>,
    next: Option<String>,
) -> Result<String, AppError> {
    let auth = super::guard::public()?;
    let state = crate::state::AppState::from_context()?;
    let session = server::session().await?;
    if username.trim().is_empty() {
        return Err(AppError::validation("username", "username_required"));
    }
    if password.is_empty() {
        return Err(AppError::validation("password", "password_required"));
    }
    let user = super::flows::password_login(
        &state,
        &session,
        &auth.address.to_string(),
        &username,
        password,
        remember.is_some(),
    )
    .await?;
    Ok(server::go_to(next.as_deref(), user.role.home_path()))
}

/// Sends a sign-in code to `phone`; answers with the challenge id the code
/// belongs to. `challenge` is the previous one, voided by a resend.
#[server(prefix = "/api/rpc", endpoint = "auth/send-code")]
pub async fn send_login_code(
    phone: String,
    challenge: Option<String>,
    next: Option<String>,
) -> Result<String, AppError> {
    let auth = super::guard::public()?;
    let state = crate::state::AppState::from_context()?;
    let challenge_id = super::flows::send_code(
        &state,
        &auth.address.to_string(),
        &phone,
        challenge.as_deref(),
    )
    .await?;
    if server::is_form_post() {
        // Without JavaScript the login page learns the challenge from its URL.
        let mut query = url_query(&[
            ("method", "sms"),
            ("phone", phone.trim()),
            ("challenge", &challenge_id),
        ]);
        if let Some(next) = next.as_deref().and_then(super::safe_next_path) {
            query.push_str(&url_query(&[("next", next)]).replacen('?', "&", 1));
        }
        leptos_axum::redirect(&format!("/login{query}"));
    }
    Ok(challenge_id)
}

/// Phone + code from the SMS.
#[server(prefix = "/api/rpc", endpoint = "auth/code-login")]
pub async fn code_login(
    challenge: String,
    code: String,
    remember: Option<String>,
    next: Option<String>,
) -> Result<String, AppError> {
    let auth = super::guard::public()?;
    let state = crate::state::AppState::from_context()?;
    let session = server::session().await?;
    let user = super::flows::code_login(
        &state,
        &session,
        &auth.address.to_string(),
        &challenge,
        &code,
        remember.is_some(),
    )
    .await?;
    Ok(server::go_to(next.as_deref(), user.role.home_path()))
}

/// The signed-in user changes their own password.
#[server(prefix = "/api/rpc", endpoint = "auth/change-password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
    confirm_password: String,
) -> Result<(), AppError> {
    let user = super::guard::require(super::Role::User)?;
    let address = super::guard::public()?.address.to_string();
    let state = crate::state::AppState::from_context()?;
    let session = server::session().await?;
    if new_password != confirm_password {
        return Err(AppError::validation("confirm_password", "passwords_differ"));
    }
    let change = super::flows::PasswordChange {
        current: current_password,
        new: new_password,
        address: &address,
    };
    super::flows::change_password(&state, &session, &user, change).await?;
    if server::is_form_post() {
        // Without JavaScript the page learns of the success from its URL.
        leptos_axum::redirect("/account/password?changed=1");
    }
    Ok(())
}

/// `?a=1&b=2` with every value percent-encoded.
pub fn url_query(pairs: &[(&str, &str)]) -> String {
    let encoded: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", percent_encode(v)))
        .collect();
    format!("?{}", encoded.join("&"))
}

fn percent_encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

#[cfg(feature = "ssr")]
pub mod server {
    use tower_sessions::Session;

    use crate::error::AppError;

    pub async fn session() -> Result<Session, AppError> {
        leptos_axum::extract::<Session>().await.map_err(|_| {
            tracing::error!("session layer missing in front of a server function");
            AppError::Internal
        })
    }

    /// A plain HTML form post (no JavaScript) rather than a fetch.
    pub fn is_form_post() -> bool {
        leptos::prelude::use_context::<http::request::Parts>()
            .and_then(|parts| parts.headers.get(http::header::ACCEPT).cloned())
            .and_then(|accept| accept.to_str().ok().map(|a| a.contains("text/html")))
            .unwrap_or(false)
    }

    /// Where to go after signing in; a form post is redirected there (with
    /// JavaScript the page navigates itself, reloading the whole page so that
    /// everything on it belongs to the new user).
    pub fn go_to(next: Option<&str>, home: &str) -> String {
        let destination = next
            .and_then(super::super::safe_next_path)
            .unwrap_or(home)
            .to_owned();
        if is_form_post() {
            leptos_axum::redirect(&destination);
        }
        destination
    }
}
