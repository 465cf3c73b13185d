//! The read-only JSON API for integrations, behind the same session sign-in:
//! `GET /api/v1/equipment?…` (the list's filters and cursor) and
//! `GET /api/v1/equipment/{id}` (through the two-level cache).
use app::auth::Role;
use app::auth::guard::{self, RequestAuth};
use app::equipment::query::ListParams;
use app::error::AppError;
use app::state::AppState;
use axum::Json;
use axum::extract::{Extension, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::rpc_errors::error_response;

/// Handlers outside Leptos check the caller like server functions do.
pub(super) fn require(auth: Option<Extension<RequestAuth>>, role: Role) -> Result<(), AppError> {
    guard::check(auth.map(|Extension(auth)| auth), role).map(|_| ())
}

/// A query string that does not parse is the client's mistake: 400.
pub fn bad_request(error: &AppError) -> Response {
    let mut response = error_response(error);
    if matches!(error, AppError::Validation { .. }) {
        *response.status_mut() = StatusCode::BAD_REQUEST;
    }
    response
}

pub async fn list_equipment(
    State(state): State<AppState>,
    auth: Option<Extension<RequestAuth>>,
    Query(params): Query<ListParams>,
) -> Response {
    if let Err(error) = require(auth, Role::User) {
        return error_response(&error);
    }
    let (filter, position, size) = match params.parse() {
        Ok(parsed) => parsed,
        Err(error) => return bad_request(&error),
    };
    match state
        .list_counts
        .list(&state.db, &filter, &position, size)
        .await
    {
        Ok(page) => Json(page).into_response(),
        Err(error) => error_response(&error.into()),
    }
}

pub async fn equipment_by_id(
    State(state): State<AppState>,
    auth: Option<Extension<RequestAuth>>,
    Path(id): Path<i64>,
) -> Response {
    if let Err(error) = require(auth, Role::User) {
        return error_response(&error);
    }
    match state.equipment_cache.get(&id.to_string()).await {
        Ok(Some(item)) => Json(item).into_response(),
        Ok(None) => error_response(&AppError::NotFound),
        Err(error) => error_response(&error.into()),
    }
}

/// `GET /equipment/{id}/label.svg`: the item's QR label, linking to its page.
/// The same id always gives the same image, so browsers may keep it a day.
pub async fn equipment_label(
    State(state): State<AppState>,
    auth: Option<Extension<RequestAuth>>,
    headers: axum::http::HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    if let Err(error) = require(auth, Role::User) {
        return error_response(&error);
    }
    match state.equipment_cache.get(&id.to_string()).await {
        Ok(Some(_)) => {}
        Ok(None) => return error_response(&AppError::NotFound),
        Err(error) => return error_response(&error.into()),
    }
    let url = app::equipment::detail::item_url(state.public_origin.as_deref(), &headers, id);
    match app::equipment::detail::qr_svg(&url) {
        Ok(svg) => (
            [
                (axum::http::header::CONTENT_TYPE, "image/svg+xml"),
                (axum::http::header::CACHE_CONTROL, "private, max-age=86400"),
            ],
            svg,
        )
            .into_response(),
        Err(error) => error_response(&error),
    }
}
