//! Delayed reminders: to the responsible leaders when a request has been
//! pending too long, and to a borrower whose return is overdue.
//!
//! A reminder is an outbox event published to the delay exchange under a tier
//! (a queue whose TTL sends it back as `reminder.due`). A reminder due later
//! than the longest tier hops: each time it comes back early it is scheduled
//! again with the largest tier that does not overshoot. When it is due, the
//! condition is checked again (the request may have been decided, the item
//! returned); the notification's event id is derived from the request and the
//! reminder's kind, so however the hops are delivered a user is told once.
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::PgConnection;
use uuid::Uuid;

use super::model::RequestEvent;
use super::outbox::{self, OutboxEvent};
use super::recipients;
use crate::messaging::DelayTier;
use crate::notifications::repo as inbox;
use crate::requests::{RequestKind, RequestStatus, repo as requests};

pub const REMINDER_PENDING: &str = "reminder.pending";
pub const REMINDER_OVERDUE: &str = "reminder.overdue";

/// Namespace of reminder event ids (UUIDv5 of "kind:request id").
const REMINDER_NAMESPACE: Uuid = Uuid::from_u128(0x6d1f_3c2a_9b7e_4f08_a1d2_5e6f_7a8b_9c0d);

#[derive(Debug, Clone)]
pub struct ReminderSettings {
    /// Remind leaders of a request still pending this long after it was filed.
    pub pending_after: Duration,
    /// Remind a borrower this long after the last day of their loan.
    pub overdue_after: Duration,
    /// The topology's delay tiers, shortest first.
    pub tiers: Vec<DelayTier>,
    /// Whose midnight ends a loan's last day.
    pub clock: crate::clock::OrgClock,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reminder {
    /// `reminder.pending` or `reminder.overdue`.
    pub kind: String,
    pub request_id: i64,
    pub due_at: DateTime<Utc>,
}

/// The tier to wait in for a reminder `remaining` away: the largest that does
/// not overshoot, or the shortest when even that does.
pub fn tier_for(tiers: &[DelayTier], remaining: Duration) -> Option<&DelayTier> {
    tiers
        .iter()
        .filter(|t| t.ttl <= remaining)
        .max_by_key(|t| t.ttl)
        .or_else(|| tiers.iter().min_by_key(|t| t.ttl))
}

async fn schedule(
    tx: &mut PgConnection,
    settings: &ReminderSettings,
    reminder: &Reminder,
) -> Result<(), sqlx::Error> {
    let remaining = (reminder.due_at - Utc::now()).to_std().unwrap_or_default();
    let Some(tier) = tier_for(&settings.tiers, remaining) else {
        return Ok(()); // No delay queues configured: no reminders.
    };
    outbox::enqueue_delayed(
        tx,
        OutboxEvent {
            aggregate_type: "equipment_request",
            aggregate_id: reminder.request_id,
            routing_key: &reminder.kind,
            payload: reminder,
        },
        &tier.name,
    )
    .await?;
    Ok(())
}

fn after(duration: Duration) -> DateTime<Utc> {
    Utc::now() + chrono::Duration::from_std(duration).unwrap_or(chrono::Duration::MAX)
}

/// On submission: remind the leaders if it is still pending later.
pub async fn schedule_pending(
    tx: &mut PgConnection,
    settings: &ReminderSettings,
    event: &RequestEvent,
) -> Result<(), sqlx::Error> {
    let reminder = Reminder {
        kind: REMINDER_PENDING.into(),
        request_id: event.request_id,
        due_at: after(settings.pending_after),
    };
    schedule(tx, settings, &reminder).await
}

/// On an approved loan: remind the borrower if it is not back after its period.
pub async fn schedule_overdue(
    tx: &mut PgConnection,
    settings: &ReminderSettings,
    event: &RequestEvent,
) -> Result<(), sqlx::Error> {
    if event.kind != RequestKind::Borrow {
        return Ok(());
    }
    let Some(row) = requests::row_by_id(tx, event.request_id).await? else {
        return Ok(());
    };
    let Some(end) = row.period_end else {
        return Ok(());
    };
    // The loan covers its last day entirely, to midnight where the
    // organisation is.
    let last_moment = end
        .succ_opt()
        .map(|day| settings.clock.start_of(day))
        .unwrap_or_else(Utc::now);
    let reminder = Reminder {
        kind: REMINDER_OVERDUE.into(),
        request_id: event.request_id,
        due_at: last_moment
            + chrono::Duration::from_std(settings.overdue_after).unwrap_or_default(),
    };
    schedule(tx, settings, &reminder).await
}

/// A delayed reminder came back: hop again, or tell whoever still needs telling.
pub async fn on_due(
    tx: &mut PgConnection,
    settings: &ReminderSettings,
    _message_id: Uuid,
    _kind: &str,
    body: &[u8],
) -> Result<(), super::inbox_writer::HandleError> {
    let reminder: Reminder = serde_json::from_slice(body)?;
    // Queue TTLs are not exact: a second early is due.
    if reminder.due_at - Utc::now() > chrono::Duration::seconds(1) {
        schedule(tx, settings, &reminder).await?;
        return Ok(());
    }
    let Some(row) = requests::row_by_id(tx, reminder.request_id).await? else {
        return Ok(());
    };
    let recipients = match reminder.kind.as_str() {
        REMINDER_PENDING if row.status == RequestStatus::Pending => {
            recipients::responsible_leaders(tx, row.department_id, row.applicant_id).await?
        }
        REMINDER_OVERDUE if still_lent_to_applicant(tx, &row).await? => vec![row.applicant_id],
        _ => return Ok(()), // Settled meanwhile: nothing to say.
    };
    let event_id = Uuid::new_v5(
        &REMINDER_NAMESPACE,
        format!("{}:{}", reminder.kind, reminder.request_id).as_bytes(),
    );
    let payload = serde_json::to_value(RequestEvent::of(&row))?;
    inbox::insert_for(
        tx,
        event_id,
        &reminder.kind,
        Some(row.id),
        &payload,
        &recipients,
    )
    .await?;
    Ok(())
}

async fn still_lent_to_applicant(
    tx: &mut PgConnection,
    row: &crate::requests::RequestRow,
) -> Result<bool, sqlx::Error> {
    if row.status != RequestStatus::Approved || row.kind != RequestKind::Borrow {
        return Ok(false);
    }
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM equipment WHERE id = $1 AND status = 'in_use' AND holder_id = $2)",
    )
    .bind(row.equipment_id)
    .bind(row.applicant_id)
    .fetch_one(tx)
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiers() -> Vec<DelayTier> {
        [("1m", 60), ("15m", 900), ("1h", 3600)]
            .into_iter()
            .map(|(name, secs)| DelayTier {
                name: name.into(),
                ttl: Duration::from_secs(secs),
            })
            .collect()
    }

    #[test]
    fn a_reminder_waits_in_the_largest_tier_that_does_not_overshoot() {
        let tiers = tiers();
        let name = |secs| tier_for(&tiers, Duration::from_secs(secs)).map(|t| t.name.as_str());
        assert_eq!(name(5), Some("1m"));
        assert_eq!(name(60), Some("1m"));
        assert_eq!(name(1000), Some("15m"));
        assert_eq!(name(10 * 86_400), Some("1h"));
        assert_eq!(tier_for(&[], Duration::from_secs(60)), None);
    }
}
