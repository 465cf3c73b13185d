//! The figures of the statistics pages, shared by the server (which computes
//! them) and the browser (which shows them).
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::overview::StatusCounts;

/// Windows the figures look back over, shown beside them on the page.
pub const WEEKS_SHOWN: i64 = 12;
pub const LEAD_TIME_DAYS: i64 = 90;
pub const UTILISATION_DAYS: i64 = 30;
pub const TOP_BORROWER_DAYS: i64 = 90;
pub const TOP_BORROWERS: usize = 10;
/// Overdue items listed by name (the count covers them all).
pub const OVERDUE_LISTED: usize = 50;
pub const MONTHS_SHOWN: i64 = 12;

/// A named count: a category's or a department's items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamedCount {
    pub id: i64,
    pub name: String,
    pub count: i64,
}

/// Requests filed in one week (weeks start on Monday), by kind and by outcome.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeekRequests {
    pub week: NaiveDate,
    pub borrow: i64,
    pub return_: i64,
    pub repair: i64,
    pub scrap: i64,
    pub pending: i64,
    pub approved: i64,
    pub rejected: i64,
    pub cancelled: i64,
}

impl WeekRequests {
    pub fn total(&self) -> i64 {
        self.borrow + self.return_ + self.repair + self.scrap
    }
}

/// Time from filing to decision of requests decided in the window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeadTime {
    /// `None` for all kinds together.
    pub kind: Option<String>,
    pub decided: i64,
    pub median_hours: f64,
    pub p90_hours: f64,
}

/// Share of the window a category's items spent lent out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Utilisation {
    pub category_id: i64,
    pub category: String,
    /// Items that can be lent (not scrapped).
    pub items: i64,
    pub hours_in_use: f64,
    /// 0.0 ..= 1.0
    pub share: f64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverdueItem {
    pub equipment_id: i64,
    pub asset_code: String,
    pub name: String,
    pub holder: String,
    pub due_on: NaiveDate,
    pub days_overdue: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Borrower {
    pub user_id: i64,
    pub name: String,
    pub loans: i64,
}

/// Everything the leader/admin statistics page shows for one scope (a
/// department's subtree, or the whole organisation), as of `computed_at`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScopeFigures {
    pub by_status: StatusCounts,
    pub by_category: Vec<NamedCount>,
    /// Each department of the scope with the items it holds directly.
    pub by_department: Vec<NamedCount>,
    pub weeks: Vec<WeekRequests>,
    /// All kinds first, then one per kind that had decisions.
    pub lead_times: Vec<LeadTime>,
    pub utilisation: Vec<Utilisation>,
    pub overdue_total: i64,
    pub overdue: Vec<OverdueItem>,
    pub top_borrowers: Vec<Borrower>,
}

/// A scope's figures with their age, and how often they are refreshed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScopeStatistics {
    /// 0 for the whole organisation.
    pub scope: i64,
    pub scope_name: Option<String>,
    pub computed_at: DateTime<Utc>,
    pub refresh_minutes: i64,
    pub figures: ScopeFigures,
}

/// A user's own requests in one month, by status.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthRequests {
    pub month: NaiveDate,
    pub pending: i64,
    pub approved: i64,
    pub rejected: i64,
    pub cancelled: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeldItem {
    pub equipment_id: i64,
    pub asset_code: String,
    pub name: String,
    pub due_on: Option<NaiveDate>,
}

/// The user statistics page: live (a user's own rows are few and indexed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnStatistics {
    pub today: NaiveDate,
    pub months: Vec<MonthRequests>,
    pub holding: Vec<HeldItem>,
}

/// A scope the viewer may pick: a department (with its depth in the tree) or,
/// for admins, the organisation (id 0).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScopeChoice {
    pub id: i64,
    pub name: String,
    pub depth: i32,
}

/// The leader/admin statistics page: the scopes on offer, the one shown, and
/// its figures (`None` until the first refresh has run).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScopePage {
    pub choices: Vec<ScopeChoice>,
    pub selected: i64,
    pub statistics: Option<ScopeStatistics>,
}
