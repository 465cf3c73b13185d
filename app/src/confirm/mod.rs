//! Irreversible actions ask first: withdrawing a request, retiring an item,
//! disabling a person, resetting a password. With JavaScript a dialog asks
//! (`ConfirmButton`); without it the button is a link to `/confirm/…`, a page
//! whose form does it. The server functions behind refuse to act unless the
//! request says `confirmed=yes`, so no caller skips the question.
mod api;
mod button;
mod page;

use serde::{Deserialize, Serialize};

pub use api::{Confirmation, confirmation_subject};
pub use button::ConfirmButton;
pub use page::{ConfirmPage, phrase};

/// What can be done only once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Irreversible {
    CancelRequest,
    RetireEquipment,
    DisablePerson,
    ResetPassword,
}

impl Irreversible {
    pub const ALL: [Irreversible; 4] = [
        Irreversible::CancelRequest,
        Irreversible::RetireEquipment,
        Irreversible::DisablePerson,
        Irreversible::ResetPassword,
    ];

    /// Its name in `/confirm/{action}/{id}`.
    pub fn slug(self) -> &'static str {
        match self {
            Irreversible::CancelRequest => "cancel-request",
            Irreversible::RetireEquipment => "retire-equipment",
            Irreversible::DisablePerson => "disable-person",
            Irreversible::ResetPassword => "reset-password",
        }
    }

    pub fn parse(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.slug() == slug)
    }

    /// The confirmation page of `id`, returning to `back` afterwards.
    pub fn href(self, id: i64, back: &str) -> String {
        format!(
            "/confirm/{}/{id}{}",
            self.slug(),
            crate::auth::api::url_query(&[("back", back)])
        )
    }
}

/// The value a confirmed request carries in its `confirmed` field.
pub const CONFIRMED: &str = "yes";

/// The first check of every irreversible server function.
#[cfg(feature = "ssr")]
pub fn require(confirmed: Option<&str>) -> Result<(), crate::error::AppError> {
    if confirmed.map(str::trim) == Some(CONFIRMED) {
        Ok(())
    } else {
        Err(crate::error::AppError::validation(
            "confirmed",
            "confirmation_required",
        ))
    }
}

/// After a confirmed action posted without JavaScript: back to the page it
/// was asked from (a local path only), else `default`.
#[cfg(feature = "ssr")]
pub fn return_after_form_post(back: Option<&str>, default: &str) {
    if crate::auth::api::server::is_form_post() {
        let to = back
            .and_then(crate::auth::safe_next_path)
            .unwrap_or(default);
        leptos_axum::redirect(to);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_has_a_slug_of_its_own() {
        for action in Irreversible::ALL {
            assert_eq!(Irreversible::parse(action.slug()), Some(action));
        }
        assert_eq!(
            Irreversible::CancelRequest.href(7, "/requests?status=pending"),
            "/confirm/cancel-request/7?back=/requests%3Fstatus%3Dpending"
        );
    }
}
