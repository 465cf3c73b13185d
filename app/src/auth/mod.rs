//! Sign-in, sessions and who may do what.
//!
//! Shared with the browser: the model and the pages. Server only: passwords,
//! sessions, limits, SMS codes and the guard every server function calls.
pub mod api;
mod gate;
pub mod model;
mod pages;

pub use gate::{CurrentUserResource, RoleGate, provide_current_user, use_current_user};
pub use model::{Role, SignedInUser, is_local_path, safe_next_path};
pub use pages::{ChangePasswordPage, LoginPage};

#[cfg(feature = "ssr")]
mod flows;
#[cfg(feature = "ssr")]
pub mod guard;
#[cfg(feature = "ssr")]
pub mod password;
#[cfg(feature = "ssr")]
pub mod policy;
#[cfg(feature = "ssr")]
pub mod principal;
#[cfg(feature = "ssr")]
mod repo;
#[cfg(feature = "ssr")]
pub use repo::set_password;
#[cfg(feature = "ssr")]
pub mod session;
#[cfg(feature = "ssr")]
pub mod settings;
#[cfg(feature = "ssr")]
pub mod sms;
#[cfg(feature = "ssr")]
pub mod throttle;

#[cfg(feature = "ssr")]
pub use services::AuthServices;
#[cfg(feature = "ssr")]
mod services {
    use std::sync::Arc;

    use super::password::PasswordService;
    use super::principal::PrincipalCache;
    use super::settings::AuthSettings;
    use super::sms::SmsSender;

    /// Everything sign-in needs on a node, shared through `AppState`.
    #[derive(Clone)]
    pub struct AuthServices {
        pub settings: Arc<AuthSettings>,
        pub principals: PrincipalCache,
        pub passwords: PasswordService,
        pub sms: Arc<dyn SmsSender>,
    }
}
