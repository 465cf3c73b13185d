//! The SQL of categories and departments.
use sqlx::{PgConnection, PgPool};

use super::model::{Category, Department};

pub async fn categories(db: &PgPool) -> Result<Vec<Category>, sqlx::Error> {
    let rows: Vec<(i64, String, String, String)> = sqlx::query_as(
        "SELECT id, code, name, description FROM equipment_categories ORDER BY name, id",
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, code, name, description)| Category {
            id,
            code,
            name,
            description,
        })
        .collect())
}

/// Every department in tree order: a parent, then its children by name.
pub async fn department_tree(db: &PgPool) -> Result<Vec<Department>, sqlx::Error> {
    let rows: Vec<(i64, Option<i64>, String, String, i32)> = sqlx::query_as(
        "WITH RECURSIVE tree AS (
             SELECT id, parent_id, code, name, 0 AS depth, ARRAY[name, id::text] AS path
               FROM departments WHERE parent_id IS NULL
             UNION ALL
             SELECT d.id, d.parent_id, d.code, d.name, t.depth + 1, t.path || ARRAY[d.name, d.id::text]
               FROM departments d JOIN tree t ON d.parent_id = t.id
         )
         SELECT id, parent_id, code, name, depth FROM tree ORDER BY path",
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, parent_id, code, name, depth)| Department {
            id,
            parent_id,
            code,
            name,
            depth,
        })
        .collect())
}

pub struct CategoryFields<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub description: &'a str,
}

pub async fn insert_category(
    tx: &mut PgConnection,
    fields: &CategoryFields<'_>,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO equipment_categories (code, name, description) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(fields.code)
    .bind(fields.name)
    .bind(fields.description)
    .fetch_one(tx)
    .await
}

/// The row before the change, or `None` when it does not exist.
pub async fn update_category(
    tx: &mut PgConnection,
    id: i64,
    fields: &CategoryFields<'_>,
) -> Result<Option<(String, String, String)>, sqlx::Error> {
    sqlx::query_as(
        "UPDATE equipment_categories c SET code = $2, name = $3, description = $4
           FROM (SELECT id, code, name, description FROM equipment_categories WHERE id = $1 FOR UPDATE) old
          WHERE c.id = old.id
          RETURNING old.code, old.name, old.description",
    )
    .bind(id)
    .bind(fields.code)
    .bind(fields.name)
    .bind(fields.description)
    .fetch_optional(tx)
    .await
}

pub struct DepartmentFields<'a> {
    pub parent_id: Option<i64>,
    pub code: &'a str,
    pub name: &'a str,
}

pub async fn insert_department(
    tx: &mut PgConnection,
    fields: &DepartmentFields<'_>,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO departments (parent_id, code, name) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(fields.parent_id)
    .bind(fields.code)
    .bind(fields.name)
    .fetch_one(tx)
    .await
}

/// Serialises tree edits: a move is checked against the tree as it stands.
pub async fn lock_tree(tx: &mut PgConnection) -> Result<(), sqlx::Error> {
    sqlx::query("SELECT pg_advisory_xact_lock(hashtext('equipflow.departments'))")
        .execute(tx)
        .await
        .map(|_| ())
}

/// Whether `candidate` is `id` or lies below it (moving `id` there would make a loop).
pub async fn is_within(
    tx: &mut PgConnection,
    id: i64,
    candidate: i64,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar(
        "WITH RECURSIVE below AS (
             SELECT id FROM departments WHERE id = $1
             UNION ALL
             SELECT d.id FROM departments d JOIN below b ON d.parent_id = b.id
         )
         SELECT EXISTS (SELECT 1 FROM below WHERE id = $2)",
    )
    .bind(id)
    .bind(candidate)
    .fetch_one(tx)
    .await
}

pub async fn update_department(
    tx: &mut PgConnection,
    id: i64,
    fields: &DepartmentFields<'_>,
) -> Result<Option<(Option<i64>, String, String)>, sqlx::Error> {
    sqlx::query_as(
        "UPDATE departments d SET parent_id = $2, code = $3, name = $4
           FROM (SELECT id, parent_id, code, name FROM departments WHERE id = $1 FOR UPDATE) old
          WHERE d.id = old.id
          RETURNING old.parent_id, old.code, old.name",
    )
    .bind(id)
    .bind(fields.parent_id)
    .bind(fields.code)
    .bind(fields.name)
    .fetch_optional(tx)
    .await
}
