//! Server functions of requests and approvals. Each checks its caller first;
//! the applicant and their department always come from the session, never
//! from the form.
use leptos::prelude::*;

use super::model::{BulkOutcome, RequestPage, RequestRow};
use crate::error::AppError;

#[server(prefix = "/api/rpc", endpoint = "requests/file")]
pub async fn file_request(
    equipment_id: Option<String>,
    asset_code: Option<String>,
    kind: String,
    reason: String,
    period_start: Option<String>,
    period_end: Option<String>,
) -> Result<RequestRow, AppError> {
    let actor = crate::auth::guard::require(crate::auth::Role::User)?;
    let state = crate::state::AppState::from_context()?;
    let form = super::file::FilingForm {
        equipment_id: equipment_id.unwrap_or_default(),
        asset_code: asset_code.unwrap_or_default(),
        kind,
        reason,
        period_start: period_start.unwrap_or_default(),
        period_end: period_end.unwrap_or_default(),
    };
    super::file::file(&state, &actor, &form).await
}

/// Withdraws one's own pending request; asked first (`confirmed=yes`).
#[server(prefix = "/api/rpc", endpoint = "requests/cancel")]
pub async fn cancel_request(
    id: i64,
    confirmed: Option<String>,
    back: Option<String>,
) -> Result<RequestRow, AppError> {
    let actor = crate::auth::guard::require(crate::auth::Role::User)?;
    crate::confirm::require(confirmed.as_deref())?;
    let state = crate::state::AppState::from_context()?;
    let row = super::decide::cancel(&state, &actor, id).await?;
    crate::confirm::return_after_form_post(back.as_deref(), "/requests");
    Ok(row)
}

/// The caller's own requests, newest first, optionally by status and kind.
#[server(prefix = "/api/rpc", endpoint = "requests/mine")]
pub async fn my_requests(
    status: Option<String>,
    kind: Option<String>,
    page: Option<u32>,
) -> Result<RequestPage, AppError> {
    let actor = crate::auth::guard::require(crate::auth::Role::User)?;
    let state = crate::state::AppState::from_context()?;
    let filter = super::repo::RequestFilter {
        applicant_id: Some(actor.id),
        departments: None,
        status: parse_optional(status.as_deref(), "status", super::RequestStatus::parse)?,
        kind: parse_optional(kind.as_deref(), "kind", super::RequestKind::parse)?,
    };
    let page = page.unwrap_or(1).clamp(1, 10_000);
    let size = i64::from(super::model::REQUESTS_PAGE);
    let mut items = super::repo::list(&state.db, &filter, i64::from(page - 1) * size, size).await?;
    let has_more = items.len() > usize::try_from(size).unwrap_or(usize::MAX);
    items.truncate(usize::try_from(size).unwrap_or(usize::MAX));
    Ok(RequestPage {
        items,
        page,
        has_more,
    })
}

#[cfg(feature = "ssr")]
fn parse_optional<T>(
    value: Option<&str>,
    field: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> Result<Option<T>, AppError> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => parse(v)
            .map(Some)
            .ok_or_else(|| AppError::validation(field, format!("{field}_invalid"))),
    }
}

/// The approval queue: pending requests the caller may decide, oldest first.
#[server(prefix = "/api/rpc", endpoint = "approvals/pending")]
pub async fn pending_approvals() -> Result<Vec<RequestRow>, AppError> {
    let actor = crate::auth::guard::require(crate::auth::Role::Leader)?;
    let state = crate::state::AppState::from_context()?;
    let scope = crate::people::scope::Scope::of(&state.db, &actor).await?;
    Ok(super::repo::pending(
        &state.db,
        scope.department_ids(),
        actor.id,
        super::model::APPROVALS_LIMIT,
    )
    .await?)
}

#[cfg(feature = "ssr")]
fn decision(value: &str) -> Result<super::Decision, AppError> {
    match value {
        "approve" => Ok(super::Decision::Approve),
        "reject" => Ok(super::Decision::Reject),
        _ => Err(AppError::validation("decision", "decision_invalid")),
    }
}

#[server(prefix = "/api/rpc", endpoint = "approvals/decide")]
pub async fn decide_request(
    id: i64,
    decision: String,
    comment: Option<String>,
) -> Result<RequestRow, AppError> {
    let actor = crate::auth::guard::require(crate::auth::Role::Leader)?;
    let state = crate::state::AppState::from_context()?;
    let decision = self::decision(&decision)?;
    super::decide::decide(
        &state,
        &actor,
        id,
        decision,
        comment.as_deref().unwrap_or(""),
    )
    .await
}

/// Decides several requests the same way; each succeeds or fails on its own.
#[server(prefix = "/api/rpc", endpoint = "approvals/decide-many")]
pub async fn decide_requests(
    ids: Vec<i64>,
    decision: String,
    comment: Option<String>,
) -> Result<Vec<BulkOutcome>, AppError> {
    let actor = crate::auth::guard::require(crate::auth::Role::Leader)?;
    let state = crate::state::AppState::from_context()?;
    let decision = self::decision(&decision)?;
    if ids.is_empty() {
        return Err(AppError::validation("ids", "nothing_selected"));
    }
    if ids.len() > super::model::BULK_LIMIT {
        return Err(AppError::validation("ids", "too_many_selected"));
    }
    let comment = comment.unwrap_or_default();
    if decision == super::Decision::Reject && comment.trim().is_empty() {
        return Err(AppError::validation("comment", "reject_reason_required"));
    }
    let mut outcomes = Vec::with_capacity(ids.len());
    for id in ids {
        let result = super::decide::decide(&state, &actor, id, decision, &comment).await;
        outcomes.push(BulkOutcome {
            id,
            error: result.err(),
        });
    }
    Ok(outcomes)
}
