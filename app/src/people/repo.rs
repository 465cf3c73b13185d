//! The SQL of the personnel screen.
use sqlx::PgPool;

use super::api::{DepartmentOption, PersonRow};
use crate::auth::Role;

/// A department and all its descendants.
pub async fn subtree(db: &PgPool, root: i64) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"WITH RECURSIVE tree AS (
               SELECT id FROM departments WHERE id = $1
               UNION ALL
               SELECT d.id FROM departments d JOIN tree t ON d.parent_id = t.id
           )
           SELECT id AS "id!" FROM tree"#,
        root
    )
    .fetch_all(db)
    .await
}

pub async fn list(
    db: &PgPool,
    departments: Option<&[i64]>,
    search: &str,
    limit: i64,
) -> Result<Vec<PersonRow>, sqlx::Error> {
    let pattern = format!(
        "%{}%",
        search
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    );
    let rows = sqlx::query!(
        r#"SELECT u.id, u.username, u.display_name, u.phone, u.role, u.department_id,
                  d.name AS department_name, u.status = 'active' AS "active!"
             FROM users u JOIN departments d ON d.id = u.department_id
            WHERE ($1::bigint[] IS NULL OR u.department_id = ANY($1))
              AND ($2 = '' OR u.username ILIKE $3 OR u.display_name ILIKE $3 OR u.phone LIKE $3)
            ORDER BY d.name, u.display_name, u.id
            LIMIT $4"#,
        departments as Option<&[i64]>,
        search,
        pattern,
        limit
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| PersonRow {
            id: r.id,
            username: r.username,
            display_name: r.display_name,
            phone: r.phone,
            role: Role::parse(&r.role).unwrap_or(Role::User),
            department_id: r.department_id,
            department_name: r.department_name,
            active: r.active,
        })
        .collect())
}

/// Departments in tree order (depth-first), limited to `only` when given.
pub async fn departments(
    db: &PgPool,
    only: Option<&[i64]>,
) -> Result<Vec<DepartmentOption>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"WITH RECURSIVE tree AS (
               SELECT id, name, 0 AS depth, ARRAY[name] AS path
                 FROM departments WHERE parent_id IS NULL
               UNION ALL
               SELECT d.id, d.name, t.depth + 1, t.path || d.name
                 FROM departments d JOIN tree t ON d.parent_id = t.id
           )
           SELECT id AS "id!", name AS "name!", depth AS "depth!"
             FROM tree
            WHERE $1::bigint[] IS NULL OR id = ANY($1)
            ORDER BY path"#,
        only as Option<&[i64]>
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| DepartmentOption {
            id: r.id,
            name: r.name,
            depth: r.depth,
        })
        .collect())
}

/// The facts about a person that decide whether an actor may manage them.
pub struct Target {
    pub id: i64,
    pub username: String,
    pub role: Role,
    pub department_id: i64,
    pub active: bool,
}

pub async fn target(tx: &mut sqlx::PgConnection, id: i64) -> Result<Option<Target>, sqlx::Error> {
    let row = sqlx::query!(
        r#"SELECT id, username, role, department_id, status = 'active' AS "active!"
             FROM users WHERE id = $1 FOR UPDATE"#,
        id
    )
    .fetch_optional(tx)
    .await?;
    Ok(row.map(|r| Target {
        id: r.id,
        username: r.username,
        role: Role::parse(&r.role).unwrap_or(Role::Admin),
        department_id: r.department_id,
        active: r.active,
    }))
}

pub struct NewUser<'a> {
    pub username: &'a str,
    pub display_name: &'a str,
    pub phone: Option<&'a str>,
    pub department_id: i64,
    pub role: Role,
    pub password_hash: &'a str,
}

pub async fn insert(tx: &mut sqlx::PgConnection, user: NewUser<'_>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        "INSERT INTO users (username, display_name, phone, department_id, role, password_hash)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        user.username,
        user.display_name,
        user.phone,
        user.department_id,
        user.role.as_str(),
        user.password_hash
    )
    .fetch_one(tx)
    .await
}

/// Enables or disables; disabling also moves the epoch on (ends sessions).
pub async fn set_status(
    tx: &mut sqlx::PgConnection,
    id: i64,
    active: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE users SET status = CASE WHEN $2 THEN 'active' ELSE 'disabled' END,
                          session_epoch = session_epoch + 1
          WHERE id = $1",
        id,
        active
    )
    .execute(tx)
    .await?;
    Ok(())
}
