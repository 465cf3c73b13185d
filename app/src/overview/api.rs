//! Server functions of the console landing pages and the DTOs both sides share.
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// Number of equipment items in each status.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusCounts {
    pub available: i64,
    pub in_use: i64,
    pub under_repair: i64,
    pub scrapped: i64,
}

impl StatusCounts {
    pub fn total(&self) -> i64 {
        self.available + self.in_use + self.under_repair + self.scrapped
    }
}

/// One department of the tree, in depth-first order, with its own head counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepartmentSummary {
    pub id: i64,
    pub name: String,
    pub depth: i32,
    pub people: i64,
    /// From the statistics snapshot; `None` before its first refresh.
    pub equipment: Option<i64>,
}

/// What a leader should look at now, in their departments (admins: all).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attention {
    /// Requests waiting for the leader's decision.
    pub pending: i64,
    /// Items lent to their people and not back by the due date.
    pub overdue: i64,
    /// Their departments' items under repair.
    pub under_repair: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeaderHome {
    pub attention: Attention,
    pub departments: Vec<DepartmentSummary>,
    pub equipment_as_of: Option<chrono::DateTime<chrono::Utc>>,
}

/// The organisation's items by status, and when they were counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Overview {
    pub counts: StatusCounts,
    /// `None`: counted just now (no statistics snapshot yet).
    pub as_of: Option<chrono::DateTime<chrono::Utc>>,
}

/// From the statistics snapshot (one row, whatever the table's size); counted
/// live only before the first snapshot exists.
#[server(prefix = "/api/rpc", endpoint = "equipment_overview")]
pub async fn equipment_overview() -> Result<Overview, AppError> {
    crate::auth::guard::require(crate::auth::Role::User)?;
    let state = crate::state::AppState::from_context()?;
    if let Some((at, figures)) = crate::statistics::snapshot::read(&state.db, 0).await? {
        return Ok(Overview {
            counts: figures.by_status,
            as_of: Some(at),
        });
    }
    Ok(Overview {
        counts: super::repo::equipment_overview(&state.db).await?,
        as_of: None,
    })
}

/// The leader console: what needs attention (live, index-backed counts) and
/// the departments in the leader's scope.
#[server(prefix = "/api/rpc", endpoint = "leader_console")]
pub async fn leader_console() -> Result<LeaderHome, AppError> {
    let caller = crate::auth::guard::require(crate::auth::Role::Leader)?;
    let state = crate::state::AppState::from_context()?;
    let scope = crate::people::scope::Scope::of(&state.db, &caller).await?;
    let ids = scope.department_ids();
    let today = state.clock.today(chrono::Utc::now());
    let attention = super::repo::attention(&state.db, ids, caller.id, today).await?;
    // The snapshot of the leader's own subtree (admins: the organisation)
    // holds each department's item count.
    let snapshot_scope = if ids.is_some() {
        caller.department_id
    } else {
        0
    };
    let snapshot = crate::statistics::snapshot::read(&state.db, snapshot_scope).await?;
    let equipment: std::collections::HashMap<i64, i64> = snapshot
        .as_ref()
        .map(|(_, f)| f.by_department.iter().map(|d| (d.id, d.count)).collect())
        .unwrap_or_default();
    let mut departments = super::repo::department_people(&state.db, ids).await?;
    for d in &mut departments {
        d.equipment = snapshot
            .as_ref()
            .map(|_| equipment.get(&d.id).copied().unwrap_or(0));
    }
    Ok(LeaderHome {
        attention,
        departments,
        equipment_as_of: snapshot.map(|(at, _)| at),
    })
}
