//! When a server function answers that the session is gone (disabled, demoted,
//! signed out elsewhere) or that the password must be changed first, a
//! hydrated page leaves for the page that fixes it, as a full page load would
//! have been redirected by the server.

/// Called wherever a failed call is shown: the browser follows, the server
/// (which redirects page loads itself) does nothing.
#[allow(unused_variables)]
pub fn follow(error: &crate::error::AppError) {
    #[cfg(feature = "hydrate")]
    {
        use crate::error::AppError;
        let Ok(location) = leptos::prelude::window().location().pathname() else {
            return;
        };
        let search = leptos::prelude::window()
            .location()
            .search()
            .unwrap_or_default();
        let target = match error {
            AppError::Unauthorized if location != "/login" => format!(
                "/login{}",
                crate::auth::api::url_query(&[("next", &format!("{location}{search}"))])
            ),
            AppError::PasswordChangeRequired if location != "/account/password" => {
                "/account/password?required=1".to_owned()
            }
            _ => return,
        };
        let _ = leptos::prelude::window().location().assign(&target);
    }
}
