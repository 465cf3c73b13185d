//! The equipment pages.
mod detail;
mod form;
mod import;
mod labels;
mod list;

pub use detail::EquipmentDetailPage;
pub use form::EquipmentFormPage;
pub use import::EquipmentImportPage;
pub use labels::{
    StatusBadge, decision_text, kind_label, period_text, request_status_label, status_label,
    thousands,
};
pub use list::EquipmentListPage;
