//! Deciding and cancelling: the request, the item, the audit row and the
//! event change in one transaction, or nothing does.
//!
//! Of many concurrent decisions on one request only the first `UPDATE …
//! WHERE status = 'pending'` matches; the others update nothing and are told
//! the request was already decided. Approvals lock the item first, so two
//! borrow approvals for one item take turns and the second finds it lent out.
use super::model::{Decision, RequestKind, RequestRow, RequestStatus};
use super::repo;
use super::rules;
use crate::auth::principal::Principal;
use crate::error::AppError;
use crate::events::model::REQUEST_CANCELLED;
use crate::people::scope::Scope;
use crate::state::AppState;

const COMMENT_MAX_CHARS: usize = 2000;

/// May `actor` see and decide request `id`? Another department's request is
/// answered exactly like a missing one. Gives the actor's scope, for the
/// checks that follow inside the decision's transaction.
pub async fn authorize(state: &AppState, actor: &Principal, id: i64) -> Result<Scope, AppError> {
    let (applicant_id, department_id, _) = repo::parties(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let scope = Scope::of(&state.db, actor).await?;
    if !scope.covers(department_id) {
        return Err(AppError::NotFound);
    }
    if applicant_id == actor.id {
        return Err(AppError::Conflict("request_own".into()));
    }
    Ok(scope)
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
    // The applicant reads why: a rejection without a reason helps nobody.
    if decision == Decision::Reject && comment.is_empty() {
        return Err(AppError::validation("comment", "reject_reason_required"));
    }
    // Everything read from the pool is read before the transaction takes a
    // connection: under load, a transaction waiting for a second connection
    // of the same pool is how a pool deadlocks.
    let scope = authorize(state, actor, id).await?;
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
    let mut displaced_holder = None;
    if decision == Decision::Approve {
        let after = approved_item(&scope, &mut tx, &before, item).await?;
        repo::set_item_state(&mut tx, before.equipment_id, after, before.period_end).await?;
        record_item_change(&mut tx, actor.id, &before, item.state, after).await?;
        displaced_holder = rules::displaced_holder(item.state, after, before.applicant_id);
    }
    let row = repo::row_by_id(&mut tx, id)
        .await?
        .ok_or(AppError::Internal)?;
    super::file::record(
        &mut tx,
        super::file::RequestChange {
            actor_id: actor.id,
            routing_key: decision.routing_key(),
            before: Some(&before),
            row: &row,
            displaced_holder,
        },
    )
    .await?;
    tx.commit().await?;
    forget_item(state, row.equipment_id, decision == Decision::Approve).await;
    Ok(row)
}

/// The item's state once `request` is approved, checked against the item as
/// it is now. The approver must lead the item's department as well: an item
/// moved elsewhere since the filing is no longer theirs to change.
async fn approved_item(
    scope: &Scope,
    tx: &mut sqlx::PgConnection,
    request: &RequestRow,
    item: repo::LockedItem,
) -> Result<rules::ItemState, AppError> {
    if !scope.covers(item.department_id) {
        return Err(AppError::Conflict("decision_item_elsewhere".into()));
    }
    let applicant_department = repo::department_of(&mut *tx, request.applicant_id).await?;
    let situation = rules::Situation {
        item: item.state,
        others_pending: request.kind == RequestKind::Scrap
            && repo::others_pending(&mut *tx, request.equipment_id, Some(request.id)).await?,
        filer: request.applicant_id,
        filer_in_item_department: repo::is_within(
            &mut *tx,
            applicant_department,
            item.department_id,
        )
        .await?,
    };
    rules::approved_state(request.kind, situation).map_err(|refusal| {
        AppError::Conflict(
            match refusal {
                rules::Refusal::NotAvailable => "decision_not_available",
                rules::Refusal::ScrapLent | rules::Refusal::ScrapPending => refusal.key(),
                _ => "decision_item_changed",
            }
            .into(),
        )
    })
}

/// The item's own audit row: its department's trail shows what a decision
/// did to it, whichever department the request was filed in.
async fn record_item_change(
    tx: &mut sqlx::PgConnection,
    actor_id: i64,
    request: &RequestRow,
    before: rules::ItemState,
    after: rules::ItemState,
) -> Result<(), AppError> {
    let as_json = |state: rules::ItemState| {
        serde_json::json!({
            "status": state.status.as_str(),
            "holder_id": state.holder_id,
            "request_id": request.id,
        })
    };
    crate::audit::append(
        tx,
        crate::audit::AuditEntry {
            actor_id: Some(actor_id),
            action: "equipment.status_changed",
            entity_type: "equipment",
            entity_id: request.equipment_id,
            before: Some(as_json(before)),
            after: Some(as_json(after)),
        },
    )
    .await?;
    Ok(())
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
    super::file::record(
        &mut tx,
        super::file::RequestChange {
            actor_id: actor.id,
            routing_key: REQUEST_CANCELLED,
            before: before.as_ref(),
            row: &row,
            displaced_holder: None,
        },
    )
    .await?;
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
