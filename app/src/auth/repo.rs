//! The SQL of sign-in: users by name or phone, password updates, epochs.
use sqlx::PgPool;

use super::model::Role;
use super::principal::Principal;

/// What a password check needs about an account.
pub struct LoginRecord {
    pub id: i64,
    pub password_hash: String,
    pub active: bool,
}

pub async fn login_record(db: &PgPool, username: &str) -> Result<Option<LoginRecord>, sqlx::Error> {
    let row = sqlx::query!(
        r#"SELECT id, password_hash, status = 'active' AS "active!" FROM users WHERE username = $1"#,
        username
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| LoginRecord {
        id: r.id,
        password_hash: r.password_hash,
        active: r.active,
    }))
}

/// The id of the active user with this phone, if any.
pub async fn active_user_by_phone(db: &PgPool, phone: &str) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar!(
        "SELECT id FROM users WHERE phone = $1 AND status = 'active'",
        phone
    )
    .fetch_optional(db)
    .await
}

pub async fn principal(db: &PgPool, id: i64) -> Result<Option<Principal>, sqlx::Error> {
    type Row = (
        i64,
        String,
        String,
        Option<String>,
        String,
        i64,
        bool,
        i64,
        bool,
    );
    let row: Option<Row> = sqlx::query_as(
        "SELECT id, username, display_name, phone, role, department_id,
                status = 'active', session_epoch, must_change_password
           FROM users WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(db)
    .await?;
    Ok(row.map(
        |(id, username, display_name, phone, role, department_id, active, session_epoch, must)| {
            Principal {
                id,
                username,
                display_name,
                phone,
                // The CHECK constraint allows only the three roles.
                role: Role::parse(&role).unwrap_or(Role::User),
                department_id,
                active,
                session_epoch,
                must_change_password: must,
            }
        },
    ))
}

pub async fn record_login(db: &PgPool, id: i64) -> Result<(), sqlx::Error> {
    sqlx::query!("UPDATE users SET last_login_at = now() WHERE id = $1", id)
        .execute(db)
        .await?;
    Ok(())
}

/// Replaces a hash made with weaker parameters; sessions stay valid.
pub async fn upgrade_hash(
    db: &PgPool,
    id: i64,
    old_hash: &str,
    new_hash: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE users SET password_hash = $3 WHERE id = $1 AND password_hash = $2",
        id,
        old_hash,
        new_hash
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Sets a new password and ends every session of the user (new epoch).
/// Stores a new password and ends every session on the old one. `temporary`:
/// someone else chose it, so its holder must replace it at their next sign-in.
pub async fn set_password(
    tx: &mut sqlx::PgConnection,
    id: i64,
    new_hash: &str,
    temporary: bool,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "UPDATE users SET password_hash = $2, must_change_password = $3,
                          session_epoch = session_epoch + 1
          WHERE id = $1 RETURNING session_epoch",
    )
    .bind(id)
    .bind(new_hash)
    .bind(temporary)
    .fetch_one(tx)
    .await
}

pub async fn password_hash(db: &PgPool, id: i64) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar!("SELECT password_hash FROM users WHERE id = $1", id)
        .fetch_optional(db)
        .await
}
