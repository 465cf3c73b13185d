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

type PersonRecord = (
    i64,
    String,
    String,
    Option<String>,
    String,
    i64,
    String,
    bool,
);

const PERSON_SELECT: &str =
    "SELECT u.id, u.username, u.display_name, u.phone, u.role, u.department_id,
            d.name, u.status = 'active'
       FROM users u JOIN departments d ON d.id = u.department_id";

fn person_row(
    (id, username, display_name, phone, role, department_id, department_name, active): PersonRecord,
) -> PersonRow {
    PersonRow {
        id,
        username,
        display_name,
        phone,
        // The CHECK constraint allows only the three roles.
        role: Role::parse(&role).unwrap_or(Role::User),
        department_id,
        department_name,
        active,
    }
}

/// A page of the people in `departments` (all when `None`) matching `search`,
/// and how many match in all. People number thousands, not millions: an
/// offset page and an exact count are cheap.
pub async fn list(
    db: &PgPool,
    departments: Option<&[i64]>,
    search: &str,
    limit: i64,
    offset: i64,
) -> Result<(Vec<PersonRow>, i64), sqlx::Error> {
    let pattern = format!(
        "%{}%",
        search
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    );
    const MATCHES: &str = "($1::bigint[] IS NULL OR u.department_id = ANY($1))
        AND ($2 = '' OR u.username ILIKE $3 OR u.display_name ILIKE $3 OR u.phone LIKE $3)";
    let rows: Vec<PersonRecord> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{PERSON_SELECT} WHERE {MATCHES} ORDER BY d.name, u.display_name, u.id LIMIT $4 OFFSET $5"
    )))
    .bind(departments)
    .bind(search)
    .bind(&pattern)
    .bind(limit)
    .bind(offset)
    .fetch_all(db)
    .await?;
    let total: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT count(*) FROM users u WHERE {MATCHES}"
    )))
    .bind(departments)
    .bind(search)
    .bind(&pattern)
    .fetch_one(db)
    .await?;
    Ok((rows.into_iter().map(person_row).collect(), total))
}

pub async fn person(db: &PgPool, id: i64) -> Result<Option<PersonRow>, sqlx::Error> {
    let row: Option<PersonRecord> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{PERSON_SELECT} WHERE u.id = $1"
    )))
    .bind(id)
    .fetch_optional(db)
    .await?;
    Ok(row.map(person_row))
}

/// The fields an edit can change, as stored.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Editable {
    pub display_name: String,
    pub phone: Option<String>,
    pub department_id: i64,
    pub role: String,
}

pub async fn editable(tx: &mut sqlx::PgConnection, id: i64) -> Result<Editable, sqlx::Error> {
    let (display_name, phone, department_id, role): (String, Option<String>, i64, String) =
        sqlx::query_as("SELECT display_name, phone, department_id, role FROM users WHERE id = $1")
            .bind(id)
            .fetch_one(tx)
            .await?;
    Ok(Editable {
        display_name,
        phone,
        department_id,
        role,
    })
}

/// Writes an edit; `end_sessions` moves the epoch on (a demotion).
pub async fn update(
    tx: &mut sqlx::PgConnection,
    id: i64,
    to: &Editable,
    end_sessions: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE users SET display_name = $2, phone = $3, department_id = $4, role = $5,
                          session_epoch = session_epoch + CASE WHEN $6 THEN 1 ELSE 0 END
          WHERE id = $1",
    )
    .bind(id)
    .bind(&to.display_name)
    .bind(&to.phone)
    .bind(to.department_id)
    .bind(&to.role)
    .bind(end_sessions)
    .execute(tx)
    .await?;
    Ok(())
}

/// The active leaders of each department in `only` (all when `None`), by name.
pub async fn leaders(
    db: &PgPool,
    only: Option<&[i64]>,
) -> Result<Vec<super::api::LeadersOf>, sqlx::Error> {
    let rows: Vec<(i64, Vec<String>)> = sqlx::query_as(
        "SELECT department_id, array_agg(display_name ORDER BY display_name, id)
           FROM users
          WHERE role = 'leader' AND status = 'active'
            AND ($1::bigint[] IS NULL OR department_id = ANY($1))
          GROUP BY department_id",
    )
    .bind(only)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(department_id, names)| super::api::LeadersOf {
            department_id,
            names,
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

/// A new account; its password was made up for it, so it must be changed.
pub async fn insert(tx: &mut sqlx::PgConnection, user: NewUser<'_>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO users (username, display_name, phone, department_id, role, password_hash,
                            must_change_password)
         VALUES ($1, $2, $3, $4, $5, $6, true) RETURNING id",
    )
    .bind(user.username)
    .bind(user.display_name)
    .bind(user.phone)
    .bind(user.department_id)
    .bind(user.role.as_str())
    .bind(user.password_hash)
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
