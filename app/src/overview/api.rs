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
    pub equipment: i64,
}

#[server(prefix = "/api/rpc", endpoint = "equipment_overview")]
pub async fn equipment_overview() -> Result<StatusCounts, AppError> {
    crate::auth::guard::require(crate::auth::Role::User)?;
    let state = crate::state::AppState::from_context()?;
    Ok(super::repo::equipment_overview(&state.db).await?)
}

#[server(prefix = "/api/rpc", endpoint = "department_summaries")]
pub async fn department_summaries() -> Result<Vec<DepartmentSummary>, AppError> {
    crate::auth::guard::require(crate::auth::Role::Leader)?;
    let state = crate::state::AppState::from_context()?;
    Ok(super::repo::department_summaries(&state.db).await?)
}
