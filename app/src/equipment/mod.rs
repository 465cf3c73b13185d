//! Equipment: the list (filters, numbered pages, keyset cursors), the detail
//! page with its history and QR label, and the admins' catalogue work.
mod api;
mod model;
mod pages;

pub use api::{
    EquipmentDetail, ImportEquipment, ListEquipment, RetireEquipment, SaveEquipment,
    equipment_detail, import_equipment, list_equipment,
};
pub use model::{
    COUNT_CAP, EquipmentItem, EquipmentPage, EquipmentRow, EquipmentStatus, EquipmentView,
    HISTORY_PAGE, HistoryEntry, HistoryPage, IMPORT_MAX_ROWS, ImportReport, KEYWORD_COUNT_CAP,
    ListFilter, ListParams, MAX_PAGE_SIZE, NUMBERED_PAGES, RowError, format_price,
};
pub use pages::{
    EquipmentDetailPage, EquipmentFormPage, EquipmentImportPage, EquipmentListPage, StatusBadge,
    decision_text, kind_label, period_text, request_status_label, status_label, thousands,
};

#[cfg(feature = "ssr")]
pub mod counts;
#[cfg(feature = "ssr")]
pub mod cursor;
#[cfg(feature = "ssr")]
pub mod detail;
#[cfg(feature = "ssr")]
pub mod fields;
#[cfg(feature = "ssr")]
pub mod import;
#[cfg(feature = "ssr")]
pub mod manage;
#[cfg(feature = "ssr")]
pub mod query;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod sheet;
#[cfg(feature = "ssr")]
pub mod store;
