//! The equipment pages.
mod detail;
mod form;
mod import;
mod labels;
mod list;

pub use detail::EquipmentDetailPage;
pub use form::EquipmentFormPage;
pub use import::EquipmentImportPage;
pub use labels::{StatusBadge, kind_label, request_status_label, status_label, thousands};
pub use list::EquipmentListPage;
