//! Pages that belong to no feature: home, not-found, the error panel.
mod error_panel;
mod home;
mod not_found;

pub use error_panel::ErrorPanel;
pub use home::HomePage;
pub use not_found::NotFoundPage;
