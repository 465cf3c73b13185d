//! Transactions users file on equipment (借用/归还/报修/报废) and their decisions.
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestKind {
    Borrow,
    Return,
    Repair,
    Scrap,
}

impl RequestKind {
    pub const ALL: [RequestKind; 4] = [
        RequestKind::Borrow,
        RequestKind::Return,
        RequestKind::Repair,
        RequestKind::Scrap,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RequestKind::Borrow => "borrow",
            RequestKind::Return => "return",
            RequestKind::Repair => "repair",
            RequestKind::Scrap => "scrap",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == value)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestStatus {
    Pending,
    Approved,
    Rejected,
    Cancelled,
}

impl RequestStatus {
    pub const ALL: [RequestStatus; 4] = [
        RequestStatus::Pending,
        RequestStatus::Approved,
        RequestStatus::Rejected,
        RequestStatus::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RequestStatus::Pending => "pending",
            RequestStatus::Approved => "approved",
            RequestStatus::Rejected => "rejected",
            RequestStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == value)
    }
}

/// A leader's answer to a pending request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Approve,
    Reject,
}

impl Decision {
    pub fn status(self) -> RequestStatus {
        match self {
            Decision::Approve => RequestStatus::Approved,
            Decision::Reject => RequestStatus::Rejected,
        }
    }

    /// The event a decision publishes.
    pub fn routing_key(self) -> &'static str {
        match self {
            Decision::Approve => "request.approved",
            Decision::Reject => "request.rejected",
        }
    }
}

/// One request as lists and the approval queue show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestRow {
    pub id: i64,
    pub kind: RequestKind,
    pub status: RequestStatus,
    pub equipment_id: i64,
    pub asset_code: String,
    pub equipment_name: String,
    pub applicant_id: i64,
    pub applicant_name: String,
    /// The department whose leaders decide (see `requests::file`).
    pub department_id: i64,
    pub reason: String,
    pub period_start: Option<chrono::NaiveDate>,
    pub period_end: Option<chrono::NaiveDate>,
    pub approver_name: Option<String>,
    pub decision_comment: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub decided_at: Option<chrono::DateTime<chrono::Utc>>,
    pub version: i32,
}

/// A page of a requests list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestPage {
    pub items: Vec<RequestRow>,
    pub page: u32,
    pub has_more: bool,
}

/// What happened to one request of a bulk decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkOutcome {
    pub id: i64,
    pub error: Option<crate::error::AppError>,
}

/// Requests per page of `/requests`.
pub const REQUESTS_PAGE: u32 = 20;
/// The approval queue shows at most this many (oldest first).
pub const APPROVALS_LIMIT: i64 = 200;
/// Most requests one bulk decision takes.
pub const BULK_LIMIT: usize = 100;

/// A request was submitted, decided or cancelled (`request.*`), or is due a
/// reminder (`reminder.*`). Carries what a notification shows, so consumers
/// need not read the request back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestEvent {
    pub request_id: i64,
    pub kind: RequestKind,
    pub status: RequestStatus,
    pub equipment_id: i64,
    pub asset_code: String,
    pub equipment_name: String,
    pub applicant_id: i64,
    pub applicant_name: String,
    pub department_id: i64,
    pub approver_name: Option<String>,
    pub comment: Option<String>,
    /// Last day of a loan.
    pub period_end: Option<chrono::NaiveDate>,
    /// Someone other than the applicant who held the item until this decision
    /// took it from them (a repair reported by the item's department).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub displaced_holder_id: Option<i64>,
}

impl RequestEvent {
    pub fn of(row: &RequestRow) -> Self {
        Self {
            request_id: row.id,
            kind: row.kind,
            status: row.status,
            equipment_id: row.equipment_id,
            asset_code: row.asset_code.clone(),
            equipment_name: row.equipment_name.clone(),
            applicant_id: row.applicant_id,
            applicant_name: row.applicant_name.clone(),
            department_id: row.department_id,
            approver_name: row.approver_name.clone(),
            comment: row.decision_comment.clone(),
            period_end: row.period_end,
            displaced_holder_id: None,
        }
    }
}
