//! The list query, built per filter combination so that each combination
//! gets its own prepared statement and plan (an index range scan on the
//! covering index of its filter, newest first, no sort).
use sqlx::{PgPool, Postgres, QueryBuilder, Row};

use super::cursor::Cursor;
use super::model::{COUNT_CAP, EquipmentPage, EquipmentRow, EquipmentStatus, ListFilter};
use super::query::Position;

const COLUMNS: &str = "id, asset_code, name, model, status, category_id, department_id, location, holder_id, created_at";

fn push_filters(query: &mut QueryBuilder<Postgres>, filter: &ListFilter) {
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

/// `prefix` lets tests put `EXPLAIN` in front of exactly the query that runs.
pub fn list_query(
    prefix: &str,
    filter: &ListFilter,
    position: &Position,
    size: u32,
) -> QueryBuilder<Postgres> {
    let mut query = QueryBuilder::new(format!("{prefix}SELECT {COLUMNS} FROM equipment"));
    push_filters(&mut query, filter);
    if let Position::After(Cursor { created_at, id }) = position {
        query
            .push(" AND (created_at, id) < (")
            .push_bind(*created_at)
            .push(", ")
            .push_bind(*id)
            .push(")");
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

/// Matching rows, counted up to the cap (reads at most `COUNT_CAP + 1` index entries).
pub async fn capped_count(db: &PgPool, filter: &ListFilter) -> Result<i64, sqlx::Error> {
    let mut query = QueryBuilder::new("SELECT count(*) FROM (SELECT 1 FROM equipment");
    push_filters(&mut query, filter);
    query
        .push(" LIMIT ")
        .push_bind(COUNT_CAP + 1)
        .push(") AS capped");
    query.build_query_scalar::<i64>().fetch_one(db).await
}

pub async fn list(
    db: &PgPool,
    filter: &ListFilter,
    position: &Position,
    size: u32,
) -> Result<EquipmentPage, sqlx::Error> {
    let records = list_query("", filter, position, size)
        .build()
        .fetch_all(db)
        .await?;
    let mut items = records.iter().map(row).collect::<Result<Vec<_>, _>>()?;
    let more = items.len() > usize::try_from(size).unwrap_or(usize::MAX);
    items.truncate(usize::try_from(size).unwrap_or(usize::MAX));
    let next_cursor = more.then(|| items.last()).flatten().map(|last| {
        Cursor {
            created_at: last.created_at,
            id: last.id,
        }
        .encode()
    });
    let counted = capped_count(db, filter).await?;
    Ok(EquipmentPage {
        items,
        total: counted.min(COUNT_CAP),
        total_capped: counted > COUNT_CAP,
        page: match position {
            Position::Page(page) => Some(*page),
            Position::After(_) => None,
        },
        next_cursor,
    })
}

pub async fn by_id(db: &PgPool, id: i64) -> Result<Option<EquipmentRow>, sqlx::Error> {
    let record = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM equipment WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(db)
    .await?;
    record.as_ref().map(row).transpose()
}
