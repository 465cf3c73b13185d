//! The SQL that changes equipment rows (reads live in `repo`).
use sqlx::PgConnection;

use super::fields::EquipmentFields;

/// The new id and the row as JSON (audit "after", as `update` gives it).
pub async fn insert(
    tx: &mut PgConnection,
    f: &EquipmentFields,
) -> Result<(i64, serde_json::Value), sqlx::Error> {
    sqlx::query_as(
        "INSERT INTO equipment (asset_code, name, model, serial_number, category_id, department_id,
                                location, purchase_date, purchase_price_cents)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         RETURNING id, to_jsonb(equipment) - 'created_at' - 'updated_at'",
    )
    .bind(&f.asset_code)
    .bind(&f.name)
    .bind(&f.model)
    .bind(&f.serial_number)
    .bind(f.category_id)
    .bind(f.department_id)
    .bind(&f.location)
    .bind(f.purchase_date)
    .bind(f.purchase_price_cents)
    .fetch_one(tx)
    .await
}

/// The row as JSON, locked for the rest of the transaction (audit "before").
pub async fn lock(
    tx: &mut PgConnection,
    id: i64,
) -> Result<Option<(i32, String, serde_json::Value)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT version, status, to_jsonb(e) - 'created_at' - 'updated_at' FROM equipment e WHERE id = $1 FOR UPDATE",
    )
    .bind(id)
    .fetch_optional(tx)
    .await
}

/// Applies the edit and bumps the version; the row after, as JSON.
pub async fn update(
    tx: &mut PgConnection,
    id: i64,
    f: &EquipmentFields,
) -> Result<serde_json::Value, sqlx::Error> {
    sqlx::query_scalar(
        "UPDATE equipment SET asset_code = $2, name = $3, model = $4, serial_number = $5,
                category_id = $6, department_id = $7, location = $8, purchase_date = $9,
                purchase_price_cents = $10, version = version + 1
          WHERE id = $1
          RETURNING to_jsonb(equipment) - 'created_at' - 'updated_at'",
    )
    .bind(id)
    .bind(&f.asset_code)
    .bind(&f.name)
    .bind(&f.model)
    .bind(&f.serial_number)
    .bind(f.category_id)
    .bind(f.department_id)
    .bind(&f.location)
    .bind(f.purchase_date)
    .bind(f.purchase_price_cents)
    .fetch_one(tx)
    .await
}

pub async fn retire(tx: &mut PgConnection, id: i64) -> Result<serde_json::Value, sqlx::Error> {
    sqlx::query_scalar(
        "UPDATE equipment SET status = 'scrapped', version = version + 1 WHERE id = $1
          RETURNING to_jsonb(equipment) - 'created_at' - 'updated_at'",
    )
    .bind(id)
    .fetch_one(tx)
    .await
}

pub async fn has_pending_requests(tx: &mut PgConnection, id: i64) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM equipment_requests WHERE equipment_id = $1 AND status = 'pending')",
    )
    .bind(id)
    .fetch_one(tx)
    .await
}

/// Inserts every row in one statement, with one audit row per item.
pub async fn insert_many(
    tx: &mut PgConnection,
    actor_id: i64,
    rows: &[EquipmentFields],
) -> Result<u64, sqlx::Error> {
    let column = |f: fn(&EquipmentFields) -> Option<String>| rows.iter().map(f).collect::<Vec<_>>();
    let asset_codes = column(|r| Some(r.asset_code.clone()));
    let names = column(|r| Some(r.name.clone()));
    let models = column(|r| Some(r.model.clone()));
    let serials = column(|r| r.serial_number.clone());
    let locations = column(|r| Some(r.location.clone()));
    let categories: Vec<i64> = rows.iter().map(|r| r.category_id).collect();
    let departments: Vec<i64> = rows.iter().map(|r| r.department_id).collect();
    let dates: Vec<Option<chrono::NaiveDate>> = rows.iter().map(|r| r.purchase_date).collect();
    let prices: Vec<Option<i64>> = rows.iter().map(|r| r.purchase_price_cents).collect();
    let result = sqlx::query(
        "WITH created AS (
             INSERT INTO equipment (asset_code, name, model, serial_number, category_id, department_id,
                                    location, purchase_date, purchase_price_cents)
             SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[],
                                  $6::bigint[], $7::text[], $8::date[], $9::bigint[])
             RETURNING *
         )
         INSERT INTO audit_log (actor_id, action, entity_type, entity_id, after)
         SELECT $10, 'equipment.imported', 'equipment', id, to_jsonb(created) - 'created_at' - 'updated_at'
           FROM created",
    )
    .bind(asset_codes)
    .bind(names)
    .bind(models)
    .bind(serials)
    .bind(categories)
    .bind(departments)
    .bind(locations)
    .bind(dates)
    .bind(prices)
    .bind(actor_id)
    .execute(tx)
    .await?;
    Ok(result.rows_affected())
}

/// Which of `codes` are already taken.
pub async fn taken_asset_codes(
    db: &sqlx::PgPool,
    codes: &[String],
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT asset_code FROM equipment WHERE asset_code = ANY($1)")
        .bind(codes)
        .fetch_all(db)
        .await
}
