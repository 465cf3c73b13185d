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
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct ListFilter {
    pub status: Option<EquipmentStatus>,
    pub category_id: Option<i64>,
    pub department_id: Option<i64>,
    /// Substring of the asset code or name.
    pub keyword: Option<String>,
}

/// The most pages that are numbered; beyond, only cursors.
pub const NUMBERED_PAGES: u32 = 100;
/// Counts stop here: "10,000+" (an exact count over a million rows costs ~90 ms;
/// counting to the cap reads at most 10,001 entries of a covering index).
pub const COUNT_CAP: i64 = 10_000;
/// Keyword matches are counted only this far: a common substring matches a large
/// share of the rows, and counting them through the trigram index (a bitmap of
/// every match, then the heap) costs tens of milliseconds per 10,000.
pub const KEYWORD_COUNT_CAP: i64 = 1_000;

impl ListFilter {
    /// Where this filter's count stops.
    pub fn count_cap(&self) -> i64 {
        if self.keyword.is_some() {
            KEYWORD_COUNT_CAP
        } else {
            COUNT_CAP
        }
    }
}
pub const MAX_PAGE_SIZE: u32 = 100;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EquipmentPage {
    pub items: Vec<EquipmentRow>,
    /// Matching rows, counted up to `COUNT_CAP`.
    pub total: i64,
    /// `total` stopped at the cap: there are at least that many.
    pub total_capped: bool,
    /// Where counting stopped for this filter (`COUNT_CAP` or `KEYWORD_COUNT_CAP`).
    pub count_cap: i64,
    /// The count may be this many seconds old (0: counted for this page).
    pub count_max_age_secs: u32,
    /// The numbered page shown, if it was one.
    pub page: Option<u32>,
    /// Opaque cursor of the next page, when there is one.
    pub next_cursor: Option<String>,
}

/// The list's query string as sent (`?status=&category=&department=&q=&page=&cursor=&size=`);
/// `query::ListParams::parse` validates it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListParams {
    pub status: Option<String>,
    pub category: Option<String>,
    pub department: Option<String>,
    pub q: Option<String>,
    pub page: Option<String>,
    pub cursor: Option<String>,
    pub size: Option<String>,
}

/// Everything about one item: the cached value behind detail pages and the API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EquipmentItem {
    pub id: i64,
    pub asset_code: String,
    pub name: String,
    pub model: String,
    pub serial_number: Option<String>,
    pub status: EquipmentStatus,
    pub category_id: i64,
    pub department_id: i64,
    pub location: String,
    pub holder_id: Option<i64>,
    pub holder_name: Option<String>,
    pub purchase_date: Option<chrono::NaiveDate>,
    /// In fen (1/100 yuan).
    pub purchase_price_cents: Option<i64>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    /// Edits must name the version they started from.
    pub version: i32,
}

/// One transaction filed on an item, as its history shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub id: i64,
    pub kind: String,
    pub status: String,
    pub applicant_name: String,
    pub reason: String,
    pub period_start: Option<chrono::NaiveDate>,
    pub period_end: Option<chrono::NaiveDate>,
    pub approver_name: Option<String>,
    pub decision_comment: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub decided_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// Transactions shown per history page.
pub const HISTORY_PAGE: i64 = 50;

/// One page of an item's history (the newest page is what the history cache keeps).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryPage {
    pub entries: Vec<HistoryEntry>,
    /// Id to pass as `before` for older entries, when there are any.
    pub next: Option<i64>,
}

/// The detail page's data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EquipmentView {
    pub item: EquipmentItem,
    pub category_name: String,
    pub department_name: String,
    /// The item's page address, as the QR label encodes it.
    pub url: String,
    /// The QR label as an SVG image (`GET /equipment/{id}/label.svg`): a file of
    /// its own, so that the page stays small and browsers cache the label.
    pub label_src: String,
    /// Newest first, `HISTORY_PAGE` at a time.
    pub history: Vec<HistoryEntry>,
    /// Id to pass as `before` for older entries, when there are any.
    pub history_next: Option<i64>,
    /// The transactions the viewer may file on the item now.
    pub offered: Vec<crate::requests::RequestKind>,
}

/// What a CSV import did: nothing unless `errors` is empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    /// Data rows read.
    pub rows: usize,
    /// Items created (0 when there were errors: all or nothing).
    pub created: usize,
    pub errors: Vec<RowError>,
}

/// A problem in one row of an import; `line` counts the header as line 1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowError {
    pub line: u64,
    pub field: String,
    pub message: String,
}

/// The most rows one import takes.
pub const IMPORT_MAX_ROWS: usize = 10_000;

/// Formats fen as yuan with two decimals.
pub fn format_price(cents: i64) -> String {
    format!("{}.{:02}", cents / 100, (cents % 100).abs())
}
