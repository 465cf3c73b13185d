//! The HTTP status of a server-rendered page that shows an error inline
//! (a list whose address holds a bad filter): the error's own status, so that
//! a bookmarked wrong address is a 4xx, not a 200 with a message in it.
use crate::error::AppError;

/// Sets the response status for `error` while rendering on the server; in
/// the browser it does nothing.
pub fn answer_with(error: &AppError) {
    #[cfg(feature = "ssr")]
    if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(
            axum::http::StatusCode::from_u16(error.status_code())
                .unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR),
        );
    }
    #[cfg(not(feature = "ssr"))]
    let _ = error;
}
