//! Deciding and cancelling: the request, the item, the audit row and the
//! event change in one transaction, or nothing does.
//!
//! Of many concurrent decisions on one request only the first `UPDATE …
//! WHERE status = 'pending'` matches; the others update nothing and are told
//! the request was already decided. Approvals lock the item first, so two
//! borrow approvals for one item take turns and the second finds it lent out.
use super::model::{Decision, RequestRow, RequestStatus};
use super::repo;
use super::rules;
use crate::auth::principal::Principal;
use crate::error::AppError;
use crate::events::model::REQUEST_CANCELLED;
use crate::people::scope::Scope;
use crate::state::AppState;

const COMMENT_MAX_CHARS: usize = 2000;

/// May `actor` see and decide request `id`? Another department's request is
/// answered exactly like a missing one.
pub async fn authorize(state: &AppState, actor: &Principal, id: i64) -> Result<i64, AppError> {
    let (applicant_id, department_id) = repo::parties(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let scope = Scope::of(&state.db, actor).await?;
    if !scope.covers(department_id) {
        return Err(AppError::NotFound);
    }
    if applicant_id == actor.id {
        return Err(AppError::Conflict("request_own".into()));
    }
    Ok(applicant_id)
}

pub async fn decide(
    state: &AppState,
    actor: &Principal,
    id: i64,
    decision: Decision,
    comment: &str,
) -> Result<RequestRow, AppError> {
    let comment = comment.trim();
    if comment.chars().count() > COMMENT_MAX_CHARS {
        return Err(AppError::validation("comment", "comment_too_long"));
    }
    authorize(state, actor, id).await?;
    let mut tx = state.db.begin().await?;
    // Read the request unlocked: the decision below is the arbiter.
    let before = repo::row_by_id(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if before.status != RequestStatus::Pending {
        return Err(AppError::Conflict("request_already_decided".into()));
    }
    // The item first, always in this order, so that concurrent approvals queue
    // on the item and cannot deadlock against each other.
    let item = repo::lock_item(&mut tx, before.equipment_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let comment = Some(comment).filter(|c| !c.is_empty());
    if !repo::decide(&mut tx, id, decision.status(), actor.id, comment).await? {
        return Err(AppError::Conflict("request_already_decided".into()));
    }
    let item_changed = decision == Decision::Approve;
    if item_changed {
        let after =
            rules::approved_state(before.kind, item, before.applicant_id).map_err(|refusal| {
                AppError::Conflict(
                    match refusal {
                        rules::Refusal::NotAvailable => "decision_not_available",
                        _ => "decision_item_changed",
                    }
                    .into(),
                )
            })?;
        repo::set_item_state(&mut tx, before.equipment_id, after, before.period_end).await?;
    }
    let row = repo::row_by_id(&mut tx, id)
        .await?
        .ok_or(AppError::Internal)?;
    super::file::record(
        &mut tx,
        actor.id,
        decision.routing_key(),
        Some(&before),
        &row,
    )
    .await?;
    tx.commit().await?;
    forget_item(state, row.equipment_id, item_changed).await;
    Ok(row)
}

/// The applicant withdraws a pending request.
pub async fn cancel(state: &AppState, actor: &Principal, id: i64) -> Result<RequestRow, AppError> {
    let mut tx = state.db.begin().await?;
    let before = repo::row_by_id(&mut tx, id).await?;
    if !repo::cancel(&mut tx, id, actor.id).await? {
        // Someone else's request looks like a missing one.
        return match before {
            Some(row) if row.applicant_id == actor.id => {
                Err(AppError::Conflict("request_already_decided".into()))
            }
            _ => Err(AppError::NotFound),
        };
    }
    let row = repo::row_by_id(&mut tx, id)
        .await?
        .ok_or(AppError::Internal)?;
    super::file::record(&mut tx, actor.id, REQUEST_CANCELLED, before.as_ref(), &row).await?;
    tx.commit().await?;
    forget_item(state, row.equipment_id, false).await;
    Ok(row)
}

/// After a commit: the item's cached history (and its state, if it changed).
async fn forget_item(state: &AppState, equipment_id: i64, state_changed: bool) {
    let key = equipment_id.to_string();
    state.history_cache.invalidate(&key).await;
    if state_changed {
        state.equipment_cache.invalidate(&key).await;
        state.list_counts.forget();
    }
}
