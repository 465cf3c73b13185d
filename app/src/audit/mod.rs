//! The audit trail: every change to people, departments, equipment,
//! categories and requests, written in the changing transaction (`append`)
//! and read back by leaders and admins (`/leader/audit`, `/admin/audit`).
mod api;
pub mod diff;
mod model;
mod page;
#[cfg(feature = "ssr")]
mod query;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
mod writer;

pub use api::{AuditTrail, audit_trail};
pub use model::{AUDIT_PAGE, AuditPage, AuditRow, ENTITY_TYPES};
pub use page::AuditTrailPage;
#[cfg(feature = "ssr")]
pub use writer::{AuditEntry, append};
