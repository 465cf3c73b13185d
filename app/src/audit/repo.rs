//! The trail's SQL: newest first, keyset-paged on (created_at, id), and for a
//! leader only rows about their departments — the people in them, their
//! equipment, requests they decide or that concern their equipment, and the
//! departments themselves.
use chrono::{DateTime, Utc};
use sqlx::PgPool;

use super::diff::changes;
use super::model::AuditRow;
use super::query::AuditFilter;
use crate::equipment::cursor::Cursor;

#[derive(sqlx::FromRow)]
struct Record {
    id: i64,
    created_at: DateTime<Utc>,
    actor_name: Option<String>,
    actor_username: Option<String>,
    action: String,
    entity_type: String,
    entity_id: i64,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
}

impl From<Record> for AuditRow {
    fn from(r: Record) -> Self {
        AuditRow {
            id: r.id,
            at: r.created_at,
            actor: r.actor_name.zip(r.actor_username),
            changes: changes(r.before.as_ref(), r.after.as_ref()),
            action: r.action,
            entity_type: r.entity_type,
            entity_id: r.entity_id,
        }
    }
}

/// The trail's statement: $1 actor's account, $2 entity type, $3 entity id,
/// $4..$5 the period, $6/$7 the cursor's (created_at, id), $8 the leader's
/// departments (NULL: all), $9 the limit. Public so that a test can EXPLAIN it.
pub const TRAIL_SQL: &str = "
    SELECT a.id, a.created_at, u.display_name AS actor_name, u.username AS actor_username,
           a.action, a.entity_type, a.entity_id, a.before, a.after
      FROM audit_log a
      LEFT JOIN users u ON u.id = a.actor_id
     WHERE ($1::text IS NULL OR a.actor_id = (SELECT id FROM users WHERE username = $1))
       AND ($2::text IS NULL OR a.entity_type = $2)
       AND ($3::bigint IS NULL OR a.entity_id = $3)
       AND ($4::timestamptz IS NULL OR a.created_at >= $4)
       AND ($5::timestamptz IS NULL OR a.created_at < $5)
       AND ($6::timestamptz IS NULL OR (a.created_at, a.id) < ($6, $7))
       AND ($8::bigint[] IS NULL OR CASE a.entity_type
             WHEN 'department' THEN a.entity_id = ANY($8)
             WHEN 'user' THEN EXISTS (
                 SELECT 1 FROM users t WHERE t.id = a.entity_id AND t.department_id = ANY($8))
             WHEN 'equipment' THEN EXISTS (
                 SELECT 1 FROM equipment e WHERE e.id = a.entity_id AND e.department_id = ANY($8))
             WHEN 'equipment_request' THEN EXISTS (
                 SELECT 1 FROM equipment_requests r JOIN equipment e ON e.id = r.equipment_id
                  WHERE r.id = a.entity_id
                    AND (r.department_id = ANY($8) OR e.department_id = ANY($8)))
             ELSE FALSE
           END)
     ORDER BY a.created_at DESC, a.id DESC
     LIMIT $9";

/// Up to `limit` rows matching `filter`; `departments` limits them to what a
/// leader may see (`None`: everything).
pub async fn list(
    db: &PgPool,
    filter: &AuditFilter,
    departments: Option<&[i64]>,
    limit: i64,
) -> Result<Vec<AuditRow>, sqlx::Error> {
    let records: Vec<Record> = sqlx::query_as(TRAIL_SQL)
        .bind(filter.actor.as_deref())
        .bind(filter.entity_type.as_deref())
        .bind(filter.entity_id)
        .bind(filter.from)
        .bind(filter.until)
        .bind(filter.before.map(|c| c.created_at))
        .bind(filter.before.map(|c| c.id))
        .bind(departments)
        .bind(limit)
        .fetch_all(db)
        .await?;
    Ok(records.into_iter().map(AuditRow::from).collect())
}

/// The cursor that continues after `row`.
pub fn cursor_after(row: &AuditRow) -> String {
    Cursor {
        created_at: row.at,
        id: row.id,
    }
    .encode()
}
