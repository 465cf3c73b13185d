//! The SQL of requests: filing, deciding, cancelling and the lists.
//!
//! Every state change is one `UPDATE … WHERE status = 'pending'`: whoever
//! changes a pending request first wins, and everybody after them updates
//! nothing and is told so.
use sqlx::{PgConnection, PgPool, Postgres, QueryBuilder, Row};

use super::model::{RequestKind, RequestRow, RequestStatus};
use super::rules::ItemState;
use crate::equipment::EquipmentStatus;

/// The columns of a `RequestRow`, over `equipment_requests r` joined to the item,
/// the applicant `a` and the approver `d`.
const ROW_SELECT: &str = "SELECT r.id, r.kind, r.status, r.equipment_id, e.asset_code,
        e.name AS equipment_name, r.applicant_id, a.display_name AS applicant_name,
        r.department_id, r.reason, r.period_start, r.period_end,
        d.display_name AS approver_name, r.decision_comment, r.created_at, r.decided_at,
        r.version
   FROM equipment_requests r
   JOIN equipment e ON e.id = r.equipment_id
   JOIN users a ON a.id = r.applicant_id
   LEFT JOIN users d ON d.id = r.approver_id";

fn request_row(record: &sqlx::postgres::PgRow) -> Result<RequestRow, sqlx::Error> {
    let kind: String = record.try_get("kind")?;
    let status: String = record.try_get("status")?;
    let decode = |column: &str, value: &str| sqlx::Error::ColumnDecode {
        index: column.to_owned(),
        source: format!("unexpected value {value:?}").into(),
    };
    Ok(RequestRow {
        id: record.try_get("id")?,
        kind: RequestKind::parse(&kind).ok_or_else(|| decode("kind", &kind))?,
        status: RequestStatus::parse(&status).ok_or_else(|| decode("status", &status))?,
        equipment_id: record.try_get("equipment_id")?,
        asset_code: record.try_get("asset_code")?,
        equipment_name: record.try_get("equipment_name")?,
        applicant_id: record.try_get("applicant_id")?,
        applicant_name: record.try_get("applicant_name")?,
        department_id: record.try_get("department_id")?,
        reason: record.try_get("reason")?,
        period_start: record.try_get("period_start")?,
        period_end: record.try_get("period_end")?,
        approver_name: record.try_get("approver_name")?,
        decision_comment: record.try_get("decision_comment")?,
        created_at: record.try_get("created_at")?,
        decided_at: record.try_get("decided_at")?,
        version: record.try_get("version")?,
    })
}

/// One request as shown (inside a transaction, to return what it just wrote).
pub async fn row_by_id(
    conn: &mut PgConnection,
    id: i64,
) -> Result<Option<RequestRow>, sqlx::Error> {
    let record = sqlx::query(sqlx::AssertSqlSafe(format!("{ROW_SELECT} WHERE r.id = $1")))
        .bind(id)
        .fetch_optional(conn)
        .await?;
    record.as_ref().map(request_row).transpose()
}

/// The item with this asset code (codes are stored upper-case).
pub async fn id_by_asset_code(db: &PgPool, code: &str) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM equipment WHERE asset_code = $1")
        .bind(code)
        .fetch_optional(db)
        .await
}

/// The item as filings and decisions see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LockedItem {
    pub state: ItemState,
    pub department_id: i64,
}

/// The item's status, holder and department, locked until the transaction
/// ends: filings and approvals on one item take turns.
pub async fn lock_item(
    conn: &mut PgConnection,
    id: i64,
) -> Result<Option<LockedItem>, sqlx::Error> {
    let record: Option<(String, Option<i64>, i64)> = sqlx::query_as(
        "SELECT status, holder_id, department_id FROM equipment WHERE id = $1 FOR UPDATE",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?;
    Ok(record.map(|(status, holder_id, department_id)| LockedItem {
        state: ItemState {
            // The CHECK constraint allows only the four statuses.
            status: EquipmentStatus::parse(&status).unwrap_or(EquipmentStatus::Scrapped),
            holder_id,
        },
        department_id,
    }))
}

/// Whether requests other than `except` wait on the item.
pub async fn others_pending(
    conn: &mut PgConnection,
    equipment_id: i64,
    except: Option<i64>,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM equipment_requests
                         WHERE equipment_id = $1 AND status = 'pending'
                           AND ($2::bigint IS NULL OR id <> $2))",
    )
    .bind(equipment_id)
    .bind(except)
    .fetch_one(conn)
    .await
}

/// The department a user belongs to now.
pub async fn department_of(conn: &mut PgConnection, user_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT department_id FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_one(conn)
        .await
}

/// Whether `department` is `ancestor` or lies below it.
pub async fn is_within(
    conn: &mut PgConnection,
    department: i64,
    ancestor: i64,
) -> Result<bool, sqlx::Error> {
    crate::catalogue::repo::is_within(conn, ancestor, department).await
}

/// Moves the item to its state after an approval. A lent item records when it
/// is due back (`due_on`, the loan's last day); any other state clears it.
pub async fn set_item_state(
    conn: &mut PgConnection,
    id: i64,
    state: ItemState,
    due_on: Option<chrono::NaiveDate>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE equipment
            SET status = $2, holder_id = $3, version = version + 1,
                due_on = CASE WHEN $2 = 'in_use' THEN $4 END
          WHERE id = $1",
    )
    .bind(id)
    .bind(state.status.as_str())
    .bind(state.holder_id)
    .bind(due_on)
    .execute(conn)
    .await?;
    Ok(())
}

/// Does `applicant` already have a pending request of `kind` on the item?
pub async fn has_pending(
    conn: &mut PgConnection,
    equipment_id: i64,
    applicant_id: i64,
    kind: RequestKind,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM equipment_requests
                         WHERE equipment_id = $1 AND applicant_id = $2 AND kind = $3
                           AND status = 'pending')",
    )
    .bind(equipment_id)
    .bind(applicant_id)
    .bind(kind.as_str())
    .fetch_one(conn)
    .await
}

pub struct NewRequest<'a> {
    pub kind: RequestKind,
    pub equipment_id: i64,
    pub applicant_id: i64,
    pub department_id: i64,
    pub reason: &'a str,
    pub period: Option<(chrono::NaiveDate, chrono::NaiveDate)>,
}

pub async fn insert(conn: &mut PgConnection, new: &NewRequest<'_>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO equipment_requests
             (kind, equipment_id, applicant_id, department_id, reason, period_start, period_end)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         RETURNING id",
    )
    .bind(new.kind.as_str())
    .bind(new.equipment_id)
    .bind(new.applicant_id)
    .bind(new.department_id)
    .bind(new.reason)
    .bind(new.period.map(|(start, _)| start))
    .bind(new.period.map(|(_, end)| end))
    .fetch_one(conn)
    .await
}

/// Records the decision if the request is still pending; `false` when
/// somebody else decided (or the applicant cancelled) first.
pub async fn decide(
    conn: &mut PgConnection,
    id: i64,
    status: RequestStatus,
    approver_id: i64,
    comment: Option<&str>,
) -> Result<bool, sqlx::Error> {
    let updated = sqlx::query(
        "UPDATE equipment_requests
            SET status = $2, approver_id = $3, decision_comment = $4, decided_at = now(),
                version = version + 1
          WHERE id = $1 AND status = 'pending'",
    )
    .bind(id)
    .bind(status.as_str())
    .bind(approver_id)
    .bind(comment)
    .execute(conn)
    .await?;
    Ok(updated.rows_affected() == 1)
}

/// `applicant`'s own request `id`, while it is pending (what "withdraw" asks about).
pub async fn own_pending(
    conn: &mut PgConnection,
    applicant_id: i64,
    id: i64,
) -> Result<Option<RequestRow>, sqlx::Error> {
    Ok(row_by_id(conn, id)
        .await?
        .filter(|row| row.applicant_id == applicant_id && row.status == RequestStatus::Pending))
}

/// Cancels the applicant's own pending request; `false` if it is not (any more).
pub async fn cancel(
    conn: &mut PgConnection,
    id: i64,
    applicant_id: i64,
) -> Result<bool, sqlx::Error> {
    let updated = sqlx::query(
        "UPDATE equipment_requests SET status = 'cancelled', version = version + 1
          WHERE id = $1 AND applicant_id = $2 AND status = 'pending'",
    )
    .bind(id)
    .bind(applicant_id)
    .execute(conn)
    .await?;
    Ok(updated.rows_affected() == 1)
}

/// Who filed a request, which department decides it, and the department the
/// item belongs to now.
pub async fn parties(db: &PgPool, id: i64) -> Result<Option<(i64, i64, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT r.applicant_id, r.department_id, e.department_id
           FROM equipment_requests r JOIN equipment e ON e.id = r.equipment_id
          WHERE r.id = $1",
    )
    .bind(id)
    .fetch_optional(db)
    .await
}

/// What a requests list is narrowed to.
#[derive(Debug, Clone, Default)]
pub struct RequestFilter {
    pub applicant_id: Option<i64>,
    /// `None`: every department (admins).
    pub departments: Option<Vec<i64>>,
    pub status: Option<RequestStatus>,
    pub kind: Option<RequestKind>,
}

/// Newest first, `size` rows from `offset` (plus one, to tell whether more follow).
pub async fn list(
    db: &PgPool,
    filter: &RequestFilter,
    offset: i64,
    size: i64,
) -> Result<Vec<RequestRow>, sqlx::Error> {
    let mut query = QueryBuilder::<Postgres>::new(ROW_SELECT);
    push_filter(&mut query, filter);
    query
        .push(" ORDER BY r.created_at DESC, r.id DESC LIMIT ")
        .push_bind(size + 1)
        .push(" OFFSET ")
        .push_bind(offset);
    let records = query.build().fetch_all(db).await?;
    records.iter().map(request_row).collect()
}

fn push_filter(query: &mut QueryBuilder<Postgres>, filter: &RequestFilter) {
    query.push(" WHERE TRUE");
    if let Some(applicant) = filter.applicant_id {
        query.push(" AND r.applicant_id = ").push_bind(applicant);
    }
    if let Some(departments) = &filter.departments {
        query
            .push(" AND r.department_id = ANY(")
            .push_bind(departments.clone())
            .push(")");
    }
    if let Some(status) = filter.status {
        query.push(" AND r.status = ").push_bind(status.as_str());
    }
    if let Some(kind) = filter.kind {
        query.push(" AND r.kind = ").push_bind(kind.as_str());
    }
}

/// The approval queue: pending requests of `departments` (all when `None`),
/// oldest first, never the viewer's own.
pub async fn pending(
    db: &PgPool,
    departments: Option<&[i64]>,
    viewer_id: i64,
    limit: i64,
) -> Result<Vec<RequestRow>, sqlx::Error> {
    let records = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{ROW_SELECT}
          WHERE r.status = 'pending'
            AND ($1::bigint[] IS NULL OR r.department_id = ANY($1))
            AND r.applicant_id <> $2
          ORDER BY r.created_at, r.id
          LIMIT $3"
    )))
    .bind(departments)
    .bind(viewer_id)
    .bind(limit)
    .fetch_all(db)
    .await?;
    records.iter().map(request_row).collect()
}
