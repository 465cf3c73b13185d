//! The list query, built per filter combination so that each combination
//! gets its own prepared statement and plan (an index range scan on the
//! covering index of its filter, newest first, no sort).
use sqlx::{PgPool, Postgres, QueryBuilder, Row};

use super::cursor::Cursor;
use super::model::{
    EquipmentItem, EquipmentPage, EquipmentRow, EquipmentStatus, HISTORY_PAGE, HistoryEntry,
    HistoryPage, ListFilter,
};
use super::query::Position;

const COLUMNS: &str = "id, asset_code, name, model, status, category_id, department_id, location, holder_id, created_at";

pub fn push_filters(query: &mut QueryBuilder<Postgres>, filter: &ListFilter) {
    query.push(" WHERE TRUE");
    if let Some(status) = filter.status {
        query.push(" AND status = ").push_bind(status.as_str());
    }
    if let Some(category) = filter.category_id {
        query.push(" AND category_id = ").push_bind(category);
    }
    if let Some(department) = filter.department_id {
        query.push(" AND department_id = ").push_bind(department);
    }
    if let Some(keyword) = &filter.keyword {
        let pattern = format!(
            "%{}%",
            keyword
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        query
            .push(" AND (asset_code ILIKE ")
            .push_bind(pattern.clone())
            .push(" OR name ILIKE ")
            .push_bind(pattern)
            .push(")");
    }
}

/// Rows strictly after `cursor` in the list's order (newest first).
fn push_after(query: &mut QueryBuilder<Postgres>, cursor: &Cursor) {
    query
        .push(" AND (created_at, id) < (")
        .push_bind(cursor.created_at)
        .push(", ")
        .push_bind(cursor.id)
        .push(")");
}

/// `prefix` lets tests put `EXPLAIN` in front of exactly the query that runs.
pub fn list_query(
    prefix: &str,
    filter: &ListFilter,
    position: &Position,
    size: u32,
) -> QueryBuilder<Postgres> {
    let mut query = QueryBuilder::new(format!("{prefix}SELECT {COLUMNS} FROM equipment"));
    push_filters(&mut query, filter);
    if let Position::After(cursor) = position {
        push_after(&mut query, cursor);
    }
    query
        .push(" ORDER BY created_at DESC, id DESC LIMIT ")
        .push_bind(i64::from(size) + 1);
    if let Position::Page(page) = position {
        query
            .push(" OFFSET ")
            .push_bind(i64::from(page.saturating_sub(1)) * i64::from(size));
    }
    query
}

fn row(record: &sqlx::postgres::PgRow) -> Result<EquipmentRow, sqlx::Error> {
    let status: String = record.try_get("status")?;
    Ok(EquipmentRow {
        id: record.try_get("id")?,
        asset_code: record.try_get("asset_code")?,
        name: record.try_get("name")?,
        model: record.try_get("model")?,
        // The CHECK constraint allows only these four.
        status: EquipmentStatus::parse(&status).unwrap_or(EquipmentStatus::Available),
        category_id: record.try_get("category_id")?,
        department_id: record.try_get("department_id")?,
        location: record.try_get("location")?,
        holder_id: record.try_get("holder_id")?,
        created_at: record.try_get("created_at")?,
    })
}

/// Matching rows, counted up to the filter's cap (reads at most cap + 1 matches).
pub async fn capped_count(db: &PgPool, filter: &ListFilter) -> Result<i64, sqlx::Error> {
    count_up_to(db, filter, filter.count_cap()).await
}

/// Matching rows, counted up to `cap` + 1 (so "more than cap" is cheap to tell).
pub async fn count_up_to(db: &PgPool, filter: &ListFilter, cap: i64) -> Result<i64, sqlx::Error> {
    let mut query = QueryBuilder::new("SELECT count(*) FROM (SELECT 1 FROM equipment");
    push_filters(&mut query, filter);
    query.push(" LIMIT ").push_bind(cap + 1).push(") AS capped");
    query.build_query_scalar::<i64>().fetch_one(db).await
}

/// One page of rows (one more than `size`, to tell whether another follows).
pub async fn page(
    db: &PgPool,
    filter: &ListFilter,
    position: &Position,
    size: u32,
) -> Result<Vec<EquipmentRow>, sqlx::Error> {
    let mut query = list_query("", filter, position, size);
    let records = query.build().fetch_all(db).await?;
    records.iter().map(row).collect()
}

/// A page counted afresh (page and count side by side on two connections).
pub async fn list(
    db: &PgPool,
    filter: &ListFilter,
    position: &Position,
    size: u32,
) -> Result<EquipmentPage, sqlx::Error> {
    let (rows, counted) =
        tokio::try_join!(page(db, filter, position, size), capped_count(db, filter))?;
    Ok(assemble(filter, position, size, rows, counted))
}

/// The page as shown: `size` rows, the next cursor if more follow, the capped count.
pub fn assemble(
    filter: &ListFilter,
    position: &Position,
    size: u32,
    mut items: Vec<EquipmentRow>,
    counted: i64,
) -> EquipmentPage {
    let size = usize::try_from(size).unwrap_or(usize::MAX);
    let more = items.len() > size;
    items.truncate(size);
    let next_cursor = more.then(|| items.last()).flatten().map(|last| {
        Cursor {
            created_at: last.created_at,
            id: last.id,
        }
        .encode()
    });
    EquipmentPage {
        items,
        total: counted.min(filter.count_cap()),
        total_capped: counted > filter.count_cap(),
        count_cap: filter.count_cap(),
        count_max_age_secs: 0,
        page: match position {
            Position::Page(page) => Some(*page),
            Position::After(_) => None,
        },
        next_cursor,
    }
}

const ITEM_COLUMNS: &str =
    "e.id, e.asset_code, e.name, e.model, e.serial_number, e.status, e.category_id,
     e.department_id, e.location, e.holder_id, u.display_name AS holder_name, e.purchase_date,
     e.purchase_price_cents, e.created_at, e.updated_at, e.version";

fn item(record: &sqlx::postgres::PgRow) -> Result<EquipmentItem, sqlx::Error> {
    let status: String = record.try_get("status")?;
    Ok(EquipmentItem {
        id: record.try_get("id")?,
        asset_code: record.try_get("asset_code")?,
        name: record.try_get("name")?,
        model: record.try_get("model")?,
        serial_number: record.try_get("serial_number")?,
        status: EquipmentStatus::parse(&status).unwrap_or(EquipmentStatus::Available),
        category_id: record.try_get("category_id")?,
        department_id: record.try_get("department_id")?,
        location: record.try_get("location")?,
        holder_id: record.try_get("holder_id")?,
        holder_name: record.try_get("holder_name")?,
        purchase_date: record.try_get("purchase_date")?,
        purchase_price_cents: record.try_get("purchase_price_cents")?,
        created_at: record.try_get("created_at")?,
        updated_at: record.try_get("updated_at")?,
        version: record.try_get("version")?,
    })
}

/// One item with its holder's name: the value the item cache keeps.
pub async fn item_by_id(db: &PgPool, id: i64) -> Result<Option<EquipmentItem>, sqlx::Error> {
    let record = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {ITEM_COLUMNS} FROM equipment e LEFT JOIN users u ON u.id = e.holder_id WHERE e.id = $1"
    )))
    .bind(id)
    .fetch_optional(db)
    .await?;
    record.as_ref().map(item).transpose()
}

/// Full items for the CSV export: the list's filters, newest first, after `after`.
pub async fn export_batch(
    db: &PgPool,
    filter: &ListFilter,
    after: Option<&Cursor>,
    limit: i64,
) -> Result<Vec<EquipmentItem>, sqlx::Error> {
    let mut query = QueryBuilder::new(format!(
        "SELECT {ITEM_COLUMNS} FROM (SELECT * FROM equipment"
    ));
    push_filters(&mut query, filter);
    if let Some(cursor) = after {
        push_after(&mut query, cursor);
    }
    query
        .push(" ORDER BY created_at DESC, id DESC LIMIT ")
        .push_bind(limit)
        .push(") e LEFT JOIN users u ON u.id = e.holder_id ORDER BY e.created_at DESC, e.id DESC");
    let records = query.build().fetch_all(db).await?;
    records.iter().map(item).collect()
}

/// An item's transactions, newest first, older than `before` when given.
pub async fn history(
    db: &PgPool,
    equipment_id: i64,
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<HistoryEntry>, sqlx::Error> {
    let rows: Vec<HistoryRecord> = sqlx::query_as(
        "SELECT r.id, r.kind, r.status, a.display_name AS applicant_name, r.reason,
                r.period_start, r.period_end, d.display_name AS approver_name,
                r.decision_comment, r.created_at, r.decided_at
           FROM equipment_requests r
           JOIN users a ON a.id = r.applicant_id
           LEFT JOIN users d ON d.id = r.approver_id
          WHERE r.equipment_id = $1 AND ($2::bigint IS NULL OR r.id < $2)
          ORDER BY r.id DESC
          LIMIT $3",
    )
    .bind(equipment_id)
    .bind(before)
    .bind(limit)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(HistoryRecord::into_entry).collect())
}

/// One history page, newest first, older than `before` when given.
pub async fn history_page(
    db: &PgPool,
    equipment_id: i64,
    before: Option<i64>,
) -> Result<HistoryPage, sqlx::Error> {
    let mut entries = history(db, equipment_id, before, HISTORY_PAGE + 1).await?;
    let page = usize::try_from(HISTORY_PAGE).unwrap_or(usize::MAX);
    let more = entries.len() > page;
    entries.truncate(page);
    let next = more.then(|| entries.last().map(|h| h.id)).flatten();
    Ok(HistoryPage { entries, next })
}

#[derive(sqlx::FromRow)]
struct HistoryRecord {
    id: i64,
    kind: String,
    status: String,
    applicant_name: String,
    reason: String,
    period_start: Option<chrono::NaiveDate>,
    period_end: Option<chrono::NaiveDate>,
    approver_name: Option<String>,
    decision_comment: Option<String>,
    created_at: chrono::DateTime<chrono::Utc>,
    decided_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl HistoryRecord {
    fn into_entry(self) -> HistoryEntry {
        HistoryEntry {
            id: self.id,
            kind: self.kind,
            status: self.status,
            applicant_name: self.applicant_name,
            reason: self.reason,
            period_start: self.period_start,
            period_end: self.period_end,
            approver_name: self.approver_name,
            decision_comment: self.decision_comment,
            created_at: self.created_at,
            decided_at: self.decided_at,
        }
    }
}
