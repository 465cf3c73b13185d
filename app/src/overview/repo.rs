//! SQL behind the console landing pages.
use sqlx::PgPool;

use super::api::{DepartmentSummary, StatusCounts};

pub async fn equipment_overview(db: &PgPool) -> Result<StatusCounts, sqlx::Error> {
    let row = sqlx::query!(
        r#"SELECT
             count(*) FILTER (WHERE status = 'available')    AS "available!",
             count(*) FILTER (WHERE status = 'in_use')       AS "in_use!",
             count(*) FILTER (WHERE status = 'under_repair') AS "under_repair!",
             count(*) FILTER (WHERE status = 'scrapped')     AS "scrapped!"
           FROM equipment"#
    )
    .fetch_one(db)
    .await?;
    Ok(StatusCounts {
        available: row.available,
        in_use: row.in_use,
        under_repair: row.under_repair,
        scrapped: row.scrapped,
    })
}

/// The department tree depth-first (by name within a parent), with the people
/// and equipment that belong directly to each department.
pub async fn department_summaries(db: &PgPool) -> Result<Vec<DepartmentSummary>, sqlx::Error> {
    sqlx::query_as!(
        DepartmentSummary,
        r#"WITH RECURSIVE tree AS (
               SELECT id, name, 0 AS depth, ARRAY[name] AS path
               FROM departments WHERE parent_id IS NULL
             UNION ALL
               SELECT d.id, d.name, t.depth + 1, t.path || d.name
               FROM departments d JOIN tree t ON d.parent_id = t.id
           )
           SELECT t.id AS "id!", t.name AS "name!", t.depth AS "depth!",
                  (SELECT count(*) FROM users u WHERE u.department_id = t.id) AS "people!",
                  (SELECT count(*) FROM equipment e WHERE e.department_id = t.id) AS "equipment!"
           FROM tree t
           ORDER BY t.path"#
    )
    .fetch_all(db)
    .await
}
