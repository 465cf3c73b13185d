//! Equipment as lists and the JSON API show it, and the list's query.
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EquipmentStatus {
    Available,
    InUse,
    UnderRepair,
    Scrapped,
}

impl EquipmentStatus {
    pub const ALL: [EquipmentStatus; 4] = [
        EquipmentStatus::Available,
        EquipmentStatus::InUse,
        EquipmentStatus::UnderRepair,
        EquipmentStatus::Scrapped,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EquipmentStatus::Available => "available",
            EquipmentStatus::InUse => "in_use",
            EquipmentStatus::UnderRepair => "under_repair",
            EquipmentStatus::Scrapped => "scrapped",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == value)
    }
}

/// One row of the list: exactly the columns the covering indexes hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EquipmentRow {
    pub id: i64,
    pub asset_code: String,
    pub name: String,
    pub model: String,
    pub status: EquipmentStatus,
    pub category_id: i64,
    pub department_id: i64,
    pub location: String,
    pub holder_id: Option<i64>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// What the list is narrowed to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListFilter {
    pub status: Option<EquipmentStatus>,
    pub category_id: Option<i64>,
    pub department_id: Option<i64>,
    /// Substring of the asset code or name.
    pub keyword: Option<String>,
}

/// The most pages that are numbered; beyond, only cursors.
pub const NUMBERED_PAGES: u32 = 100;
/// Counts stop here: "10,000+" (an exact count over a million rows costs ~90 ms).
pub const COUNT_CAP: i64 = 10_000;
pub const MAX_PAGE_SIZE: u32 = 100;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EquipmentPage {
    pub items: Vec<EquipmentRow>,
    /// Matching rows, counted up to `COUNT_CAP`.
    pub total: i64,
    /// `total` stopped at the cap: there are at least that many.
    pub total_capped: bool,
    /// The numbered page shown, if it was one.
    pub page: Option<u32>,
    /// Opaque cursor of the next page, when there is one.
    pub next_cursor: Option<String>,
}
