//! The inbox's SQL.
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::model::{InboxSummary, Notification, UNREAD_CAP};
use crate::requests::RequestEvent;

#[derive(sqlx::FromRow)]
struct Record {
    id: i64,
    user_id: i64,
    kind: String,
    request_id: Option<i64>,
    payload: sqlx::types::Json<RequestEvent>,
    read: bool,
    created_at: chrono::DateTime<chrono::Utc>,
}

impl Record {
    fn into_pair(self) -> (i64, Notification) {
        (
            self.user_id,
            Notification {
                id: self.id,
                kind: self.kind,
                request_id: self.request_id,
                about: self.payload.0,
                read: self.read,
                created_at: self.created_at,
            },
        )
    }
}

const COLUMNS: &str =
    "id, user_id, kind, request_id, payload, read_at IS NOT NULL AS read, created_at";

/// One notification of `event_id` per recipient; a repeat of the same event
/// inserts nothing (the unique key, not a read-then-write, decides).
pub async fn insert_for(
    conn: &mut PgConnection,
    event_id: Uuid,
    kind: &str,
    request_id: Option<i64>,
    payload: &serde_json::Value,
    recipients: &[i64],
) -> Result<u64, sqlx::Error> {
    let inserted = sqlx::query(
        "INSERT INTO notifications (user_id, event_id, kind, request_id, payload)
         SELECT u, $2, $3, $4, $5 FROM UNNEST($1::bigint[]) AS u
         ON CONFLICT ON CONSTRAINT notifications_event_user_key DO NOTHING",
    )
    .bind(recipients)
    .bind(event_id)
    .bind(kind)
    .bind(request_id)
    .bind(payload)
    .execute(conn)
    .await?;
    Ok(inserted.rows_affected())
}

/// Everything an event put into inboxes, with its recipients.
pub async fn of_event(
    db: &PgPool,
    event_id: Uuid,
) -> Result<Vec<(i64, Notification)>, sqlx::Error> {
    let records: Vec<Record> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM notifications WHERE event_id = $1 ORDER BY id"
    )))
    .bind(event_id)
    .fetch_all(db)
    .await?;
    Ok(records.into_iter().map(Record::into_pair).collect())
}

/// The user's notifications after `after`, oldest first (a stream's replay).
pub async fn since(
    db: &PgPool,
    user_id: i64,
    after: i64,
    limit: i64,
) -> Result<Vec<Notification>, sqlx::Error> {
    let records: Vec<Record> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM notifications WHERE user_id = $1 AND id > $2 ORDER BY id LIMIT $3"
    )))
    .bind(user_id)
    .bind(after)
    .bind(limit)
    .fetch_all(db)
    .await?;
    Ok(records.into_iter().map(|r| r.into_pair().1).collect())
}

/// The user's notifications, newest first, older than `before` when given.
pub async fn page(
    db: &PgPool,
    user_id: i64,
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<Notification>, sqlx::Error> {
    let records: Vec<Record> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM notifications
          WHERE user_id = $1 AND ($2::bigint IS NULL OR id < $2)
          ORDER BY id DESC LIMIT $3"
    )))
    .bind(user_id)
    .bind(before)
    .bind(limit)
    .fetch_all(db)
    .await?;
    Ok(records.into_iter().map(|r| r.into_pair().1).collect())
}

/// Unread notifications, counted up to `UNREAD_CAP` (shown as "99+").
pub async fn unread(db: &PgPool, user_id: i64) -> Result<i64, sqlx::Error> {
    Ok(summary(db, user_id).await?.unread)
}

/// The newest id the user has (a new stream starts after it).
pub async fn latest_id(db: &PgPool, user_id: i64) -> Result<i64, sqlx::Error> {
    Ok(summary(db, user_id).await?.latest_id)
}

/// The bell's figures in one round trip: it is read on every page.
pub async fn summary(db: &PgPool, user_id: i64) -> Result<InboxSummary, sqlx::Error> {
    let (unread, latest_id): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM (
                     SELECT 1 FROM notifications WHERE user_id = $1 AND read_at IS NULL LIMIT $2
                 ) AS capped),
                (SELECT COALESCE(max(id), 0) FROM notifications WHERE user_id = $1)",
    )
    .bind(user_id)
    .bind(UNREAD_CAP)
    .fetch_one(db)
    .await?;
    Ok(InboxSummary { unread, latest_id })
}

/// Marks one (`Some(id)`) or all of the user's notifications read.
pub async fn mark_read(db: &PgPool, user_id: i64, id: Option<i64>) -> Result<u64, sqlx::Error> {
    let updated = sqlx::query(
        "UPDATE notifications SET read_at = now()
          WHERE user_id = $1 AND read_at IS NULL AND ($2::bigint IS NULL OR id = $2)",
    )
    .bind(user_id)
    .bind(id)
    .execute(db)
    .await?;
    Ok(updated.rows_affected())
}
