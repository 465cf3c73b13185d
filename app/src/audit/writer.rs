//! Appending to the audit trail, inside the caller's transaction so that the
//! change and its record commit together.

/// One audit row: `actor` did `action` to `entity_type` #`entity_id`.
pub struct AuditEntry<'a> {
    pub actor_id: Option<i64>,
    pub action: &'a str,
    pub entity_type: &'a str,
    pub entity_id: i64,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

pub async fn append(tx: &mut sqlx::PgConnection, entry: AuditEntry<'_>) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO audit_log (actor_id, action, entity_type, entity_id, before, after)
         VALUES ($1, $2, $3, $4, $5, $6)",
        entry.actor_id,
        entry.action,
        entry.entity_type,
        entry.entity_id,
        entry.before,
        entry.after
    )
    .execute(tx)
    .await?;
    Ok(())
}
