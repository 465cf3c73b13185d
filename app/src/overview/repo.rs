//! SQL behind the console landing pages.
use sqlx::PgPool;

use super::api::{Attention, DepartmentSummary, StatusCounts};

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

/// The departments in scope (`None`: all), depth-first by name within a
/// parent, with the people who belong directly to each.
pub async fn department_people(
    db: &PgPool,
    scope: Option<&[i64]>,
) -> Result<Vec<DepartmentSummary>, sqlx::Error> {
    let rows: Vec<(i64, String, i32, i64)> = sqlx::query_as(
        r#"WITH RECURSIVE tree AS (
               SELECT id, name, 0 AS depth, ARRAY[name] AS path
               FROM departments WHERE parent_id IS NULL
             UNION ALL
               SELECT d.id, d.name, t.depth + 1, t.path || d.name
               FROM departments d JOIN tree t ON d.parent_id = t.id
           )
           SELECT t.id, t.name, t.depth,
                  (SELECT count(*) FROM users u WHERE u.department_id = t.id)
           FROM tree t
           WHERE $1::bigint[] IS NULL OR t.id = ANY($1)
           ORDER BY t.path"#,
    )
    .bind(scope)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, depth, people)| DepartmentSummary {
            id,
            name,
            depth,
            people,
            equipment: None,
        })
        .collect())
}

/// Live counts for the attention panel (the pending requests the viewer may
/// decide: not their own); each is a range of a partial or
/// covering index, cheap at a million items.
pub async fn attention(
    db: &PgPool,
    scope: Option<&[i64]>,
    viewer_id: i64,
    today: chrono::NaiveDate,
) -> Result<Attention, sqlx::Error> {
    let (pending, overdue, under_repair): (i64, i64, i64) = sqlx::query_as(
        "SELECT
           (SELECT count(*) FROM equipment_requests
             WHERE status = 'pending' AND applicant_id <> $3
               AND ($1::bigint[] IS NULL OR department_id = ANY($1))),
           (SELECT count(*) FROM equipment e JOIN users u ON u.id = e.holder_id
             WHERE e.status = 'in_use' AND e.due_on < $2
               AND ($1::bigint[] IS NULL OR u.department_id = ANY($1))),
           (SELECT count(*) FROM equipment
             WHERE status = 'under_repair' AND ($1::bigint[] IS NULL OR department_id = ANY($1)))",
    )
    .bind(scope)
    .bind(today)
    .bind(viewer_id)
    .fetch_one(db)
    .await?;
    Ok(Attention {
        pending,
        overdue,
        under_repair,
    })
}
