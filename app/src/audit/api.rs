//! The trail's server function: leaders see their departments', admins all.
use leptos::prelude::*;

use super::model::AuditPage;
use crate::error::AppError;

#[server(prefix = "/api/rpc", endpoint = "audit/trail")]
pub async fn audit_trail(
    actor: Option<String>,
    entity: Option<String>,
    entity_id: Option<String>,
    from: Option<String>,
    to: Option<String>,
    before: Option<String>,
) -> Result<AuditPage, AppError> {
    let caller = crate::auth::guard::require(crate::auth::Role::Leader)?;
    let state = crate::state::AppState::from_context()?;
    let filter = super::query::AuditFilter::parse(
        &super::query::RawFilter {
            actor,
            entity,
            entity_id,
            from,
            to,
            before,
        },
        &state.clock,
    )?;
    let scope = crate::people::scope::Scope::of(&state.db, &caller).await?;
    let size = super::model::AUDIT_PAGE;
    let mut rows = super::repo::list(&state.db, &filter, scope.department_ids(), size + 1).await?;
    let more = rows.len() > usize::try_from(size).unwrap_or(usize::MAX);
    rows.truncate(usize::try_from(size).unwrap_or(usize::MAX));
    let next = if more {
        rows.last().map(super::repo::cursor_after)
    } else {
        None
    };
    Ok(AuditPage { rows, next })
}
