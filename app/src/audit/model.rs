//! The audit trail as pages show it.
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::diff::FieldChange;

/// Rows per page of the trail.
pub const AUDIT_PAGE: i64 = 50;

/// What the trail records changes to (the table's own CHECK lists the same).
pub const ENTITY_TYPES: [&str; 5] = [
    "user",
    "department",
    "equipment",
    "equipment_category",
    "equipment_request",
];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditRow {
    pub id: i64,
    pub at: DateTime<Utc>,
    /// Who did it: display name and account; `None` for the system.
    pub actor: Option<(String, String)>,
    pub action: String,
    pub entity_type: String,
    pub entity_id: i64,
    pub changes: Vec<FieldChange>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditPage {
    pub rows: Vec<AuditRow>,
    /// Cursor of the next (older) page.
    pub next: Option<String>,
}
