//! Who is told about an event.
use sqlx::PgConnection;

/// The active leaders responsible for `department_id`: those of it and of every
/// department above it (a leader leads their department's whole subtree),
/// except `except` (a leader's own request is not theirs to decide).
pub async fn responsible_leaders(
    conn: &mut PgConnection,
    department_id: i64,
    except: i64,
) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "WITH RECURSIVE up AS (
             SELECT id, parent_id FROM departments WHERE id = $1
             UNION ALL
             SELECT d.id, d.parent_id FROM departments d JOIN up ON d.id = up.parent_id
         )
         SELECT u.id FROM users u
          WHERE u.department_id IN (SELECT id FROM up)
            AND u.role = 'leader' AND u.status = 'active' AND u.id <> $2
          ORDER BY u.id",
    )
    .bind(department_id)
    .bind(except)
    .fetch_all(conn)
    .await
}
