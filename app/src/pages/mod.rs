//! Pages that belong to no feature: home, not-found, the error panel.
mod boundary;
mod error_panel;
mod error_text;
mod fetch;
mod forbidden;
mod home;
mod links;
mod not_found;
mod signed_out;
mod status;

pub use boundary::PageBoundary;
pub use error_panel::{ErrorPanel, ErrorShown, outcome};
pub use error_text::{error_text, validation_text};
pub use fetch::boxed_fetch;
pub use forbidden::ForbiddenPanel;
pub use home::HomePage;
pub use links::{current_address, filtered_href};
pub use not_found::NotFoundPage;
pub use status::answer_with;
