//! Reference data: equipment categories and the department tree, cached as
//! one hot key; admins edit both at `/admin/catalogue`.
mod api;
mod model;
mod page;

pub use api::{GetCatalogue, SaveCategory, SaveDepartment, get_catalogue};
pub use model::{Catalogue, Category, Department};
pub use page::CataloguePage;

#[cfg(feature = "ssr")]
pub mod cached;
#[cfg(feature = "ssr")]
pub mod manage;
#[cfg(feature = "ssr")]
pub mod repo;
