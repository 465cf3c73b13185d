//! Equipment: the list (filters, numbered pages, keyset cursors) and items by id.
mod model;

pub use model::{
    COUNT_CAP, EquipmentPage, EquipmentRow, EquipmentStatus, ListFilter, MAX_PAGE_SIZE,
    NUMBERED_PAGES,
};

#[cfg(feature = "ssr")]
pub mod cursor;
#[cfg(feature = "ssr")]
pub mod query;
#[cfg(feature = "ssr")]
pub mod repo;
