//! Server functions of the statistics pages.
use leptos::prelude::*;

use super::model::{OwnStatistics, ScopePage};
use crate::error::AppError;

/// The caller's own requests by month and the items they hold.
#[server(prefix = "/api/rpc", endpoint = "statistics/mine")]
pub async fn my_statistics() -> Result<OwnStatistics, AppError> {
    let caller = crate::auth::guard::require(crate::auth::Role::User)?;
    let state = crate::state::AppState::from_context()?;
    Ok(super::mine::load(&state.db, caller.id, &state.clock, chrono::Utc::now()).await?)
}

/// A scope's pre-aggregated figures: leaders their departments', admins any.
#[server(prefix = "/api/rpc", endpoint = "statistics/scope")]
pub async fn scope_statistics(department: Option<String>) -> Result<ScopePage, AppError> {
    let caller = crate::auth::guard::require(crate::auth::Role::Leader)?;
    let state = crate::state::AppState::from_context()?;
    let requested = super::access::parse_department(department.as_deref())?;
    let (choices, selected) = super::access::resolve(&state, &caller, requested).await?;
    let statistics = super::stored(&state, selected).await?;
    Ok(ScopePage {
        choices,
        selected,
        statistics,
    })
}
