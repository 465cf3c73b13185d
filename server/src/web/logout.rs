//! `POST /logout`: ends the session (deleted in Redis) and shows the login page.
use app::auth::session::sign_out;
use axum::response::{IntoResponse, Redirect, Response};
use tower_sessions::Session;

use super::rpc_errors::error_response;

pub async fn logout(session: Session) -> Response {
    match sign_out(&session).await {
        Ok(()) => {
            tracing::info!(target: "auth", "signed out");
            Redirect::to("/login").into_response()
        }
        Err(error) => error_response(&error),
    }
}
