//! Filing a transaction: validated, checked against the item's state, and
//! written with its audit row and its `request.submitted` event in one commit.
use super::model::{RequestKind, RequestRow};
use super::repo::{self, NewRequest};
use super::rules;
use crate::audit::{self, AuditEntry};
use crate::auth::principal::Principal;
use crate::error::AppError;
use crate::events::model::{REQUEST_SUBMITTED, RequestEvent};
use crate::events::outbox::{self, OutboxEvent};
use crate::forms::Issues;
use crate::state::AppState;

const REASON_MAX_CHARS: usize = 2000;
/// The longest loan one request may ask for.
const MAX_BORROW_DAYS: i64 = 366;

/// The form as posted. Status, approver, role and department are not fields:
/// the applicant and their department come from the session.
#[derive(Debug, Clone, Default)]
pub struct FilingForm {
    /// The item's id (from its page) …
    pub equipment_id: String,
    /// … or its asset code (typed on `/requests/new`).
    pub asset_code: String,
    pub kind: String,
    pub reason: String,
    pub period_start: String,
    pub period_end: String,
}

/// Which item: by id, or by the asset code on its label.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Target {
    Id(i64),
    AssetCode(String),
}

struct Filing {
    target: Target,
    kind: RequestKind,
    reason: String,
    period: Option<(chrono::NaiveDate, chrono::NaiveDate)>,
}

fn date(value: &str, field: &str, issues: &mut Issues) -> Option<chrono::NaiveDate> {
    let value = value.trim();
    if value.is_empty() {
        issues.add(field, "date_required");
        return None;
    }
    crate::dates::parse_day(value)
        .map_err(|error| issues.add(field, error.key()))
        .ok()
}

fn check(form: &FilingForm, today: chrono::NaiveDate) -> Result<Filing, AppError> {
    let mut issues = Issues::default();
    let asset_code = form.asset_code.trim().to_uppercase();
    let target = match form.equipment_id.trim() {
        "" if asset_code.is_empty() => {
            issues.add("asset_code", "asset_code_required");
            None
        }
        "" => Some(Target::AssetCode(asset_code)),
        id => match id.parse::<i64>() {
            Ok(id) if id > 0 => Some(Target::Id(id)),
            _ => {
                issues.add("equipment_id", "id_invalid");
                None
            }
        },
    };
    let kind = RequestKind::parse(form.kind.trim());
    if kind.is_none() {
        issues.add("kind", "request_kind_invalid");
    }
    let reason = form.reason.trim().to_owned();
    if reason.is_empty() {
        issues.add("reason", "reason_required");
    } else if reason.chars().count() > REASON_MAX_CHARS {
        issues.add("reason", "reason_too_long");
    }
    let period = if kind == Some(RequestKind::Borrow) {
        let start = date(&form.period_start, "period_start", &mut issues);
        let end = date(&form.period_end, "period_end", &mut issues);
        match (start, end) {
            (Some(start), _) if start < today => {
                issues.add("period_start", "period_in_past");
                None
            }
            (Some(start), Some(end)) if end < start => {
                issues.add("period_end", "period_end_before_start");
                None
            }
            (Some(start), Some(end)) if (end - start).num_days() >= MAX_BORROW_DAYS => {
                issues.add("period_end", "period_too_long");
                None
            }
            (Some(start), Some(end)) => Some((start, end)),
            _ => None,
        }
    } else {
        // Only a loan has a period; whatever else was posted is ignored.
        None
    };
    issues.finish()?;
    match (target, kind) {
        (Some(target), Some(kind)) => Ok(Filing {
            target,
            kind,
            reason,
            period,
        }),
        _ => Err(AppError::Internal),
    }
}

pub async fn file(
    state: &AppState,
    actor: &Principal,
    form: &FilingForm,
) -> Result<RequestRow, AppError> {
    let filing = check(form, state.clock.today(chrono::Utc::now()))?;
    let equipment_id = match &filing.target {
        Target::Id(id) => *id,
        Target::AssetCode(code) => repo::id_by_asset_code(&state.db, code)
            .await?
            .ok_or_else(|| AppError::validation("asset_code", "unknown_asset_code"))?,
    };
    let mut tx = state.db.begin().await?;
    let item = repo::lock_item(&mut tx, equipment_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let situation = rules::Situation {
        item: item.state,
        others_pending: filing.kind == RequestKind::Scrap
            && repo::others_pending(&mut tx, equipment_id, None).await?,
        filer: actor.id,
        filer_in_item_department: repo::is_within(&mut tx, actor.department_id, item.department_id)
            .await?,
    };
    rules::may_file(filing.kind, situation)
        .map_err(|refusal| AppError::Conflict(refusal.key().to_owned()))?;
    if repo::has_pending(&mut tx, equipment_id, actor.id, filing.kind).await? {
        return Err(AppError::Conflict("request_duplicate_pending".into()));
    }
    let department_id = deciding_department(&mut tx, actor, &item).await?;
    let id = repo::insert(
        &mut tx,
        &NewRequest {
            kind: filing.kind,
            equipment_id,
            applicant_id: actor.id,
            department_id,
            reason: &filing.reason,
            period: filing.period,
        },
    )
    .await?;
    let row = repo::row_by_id(&mut tx, id)
        .await?
        .ok_or(AppError::Internal)?;
    record(
        &mut tx,
        RequestChange {
            actor_id: actor.id,
            routing_key: REQUEST_SUBMITTED,
            before: None,
            row: &row,
            displaced_holder: None,
        },
    )
    .await?;
    tx.commit().await?;
    state
        .history_cache
        .invalidate(&row.equipment_id.to_string())
        .await;
    Ok(row)
}

/// Whose leaders decide: the applicant's department when the item belongs to
/// it (or to a department below it), else the item's own department. So a
/// decision is always taken by someone who leads the item's department: no
/// leader changes the state of equipment they are not responsible for, and a
/// request within one department goes to its people's leaders as before.
async fn deciding_department(
    tx: &mut sqlx::PgConnection,
    actor: &Principal,
    item: &repo::LockedItem,
) -> Result<i64, AppError> {
    Ok(
        if repo::is_within(tx, item.department_id, actor.department_id).await? {
            actor.department_id
        } else {
            item.department_id
        },
    )
}

/// A change to a request, as its audit row and its event record it.
pub(super) struct RequestChange<'a> {
    pub actor_id: i64,
    pub routing_key: &'a str,
    /// The request as it was (none when just filed).
    pub before: Option<&'a RequestRow>,
    pub row: &'a RequestRow,
    /// Who held the item and lost it through this change (not the applicant).
    pub displaced_holder: Option<i64>,
}

/// The audit row and the event of a request change, in the caller's transaction.
pub(super) async fn record(
    tx: &mut sqlx::PgConnection,
    change: RequestChange<'_>,
) -> Result<(), AppError> {
    let as_json = |row: &RequestRow| {
        serde_json::to_value(row).map_err(|error| {
            tracing::error!(%error, "request row as JSON");
            AppError::Internal
        })
    };
    let row = change.row;
    let after = as_json(row)?;
    let before = change.before.map(as_json).transpose()?;
    audit::append(
        tx,
        AuditEntry {
            actor_id: Some(change.actor_id),
            action: change.routing_key,
            entity_type: "equipment_request",
            entity_id: row.id,
            before,
            after: Some(after),
        },
    )
    .await?;
    let event = RequestEvent {
        displaced_holder_id: change.displaced_holder,
        ..RequestEvent::of(row)
    };
    outbox::enqueue(
        tx,
        OutboxEvent {
            aggregate_type: "equipment_request",
            aggregate_id: row.id,
            routing_key: change.routing_key,
            payload: &event,
        },
    )
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(2026, 11, 24).expect("date")
    }

    fn fields(error: AppError) -> Vec<(String, String)> {
        error
            .issues()
            .into_iter()
            .map(|i| (i.field, i.message))
            .collect()
    }

    #[test]
    fn every_wrong_field_is_named_at_once() {
        let form = FilingForm {
            equipment_id: "x".into(),
            kind: "borrow".into(),
            reason: " ".into(),
            period_start: "2026-11-20".into(),
            period_end: String::new(),
            ..FilingForm::default()
        };
        let found = fields(check(&form, today()).err().expect("invalid"));
        let names: Vec<&str> = found.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            names,
            ["equipment_id", "reason", "period_end", "period_start"]
        );
    }

    #[test]
    fn a_loan_ends_after_it_starts() {
        let form = FilingForm {
            equipment_id: "3".into(),
            kind: "borrow".into(),
            reason: "demo".into(),
            period_start: "2026-11-30".into(),
            period_end: "2026-11-29".into(),
            ..FilingForm::default()
        };
        let found = fields(check(&form, today()).err().expect("invalid"));
        assert_eq!(
            found,
            [("period_end".into(), "period_end_before_start".into())]
        );
    }

    #[test]
    fn only_a_loan_keeps_a_period() {
        let form = FilingForm {
            equipment_id: "3".into(),
            kind: "repair".into(),
            reason: "screen flickers".into(),
            period_start: "not a date".into(),
            period_end: String::new(),
            ..FilingForm::default()
        };
        let filing = check(&form, today()).expect("valid");
        assert_eq!((filing.kind, filing.period), (RequestKind::Repair, None));
        assert_eq!(filing.target, Target::Id(3));
    }

    #[test]
    fn the_first_day_of_a_loan_is_the_organisations_today() {
        // 01:30 on the 30th in Beijing, still the 29th in UTC.
        let now: chrono::DateTime<chrono::Utc> = "2026-11-29T17:30:00Z".parse().expect("now");
        let beijing = crate::clock::OrgClock::fixed("Asia/Shanghai", 8 * 3600);
        let loan = |start: &str| FilingForm {
            equipment_id: "3".into(),
            kind: "borrow".into(),
            reason: "field trip".into(),
            period_start: start.into(),
            period_end: "2026-12-05".into(),
            ..FilingForm::default()
        };
        let today = beijing.today(now);
        let yesterday = fields(check(&loan("2026-11-29"), today).err().expect("past"));
        assert_eq!(
            yesterday,
            [("period_start".into(), "period_in_past".into())]
        );
        assert!(check(&loan("2026-11-30"), today).is_ok());
    }

    #[test]
    fn an_item_can_be_named_by_its_asset_code() {
        let form = FilingForm {
            asset_code: " eq-0042 ".into(),
            kind: "scrap".into(),
            reason: "broken beyond repair".into(),
            ..FilingForm::default()
        };
        let filing = check(&form, today()).expect("valid");
        assert_eq!(filing.target, Target::AssetCode("EQ-0042".into()));
    }
}
