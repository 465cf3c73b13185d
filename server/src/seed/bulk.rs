//! `seed --equipment N`: millions of synthetic rows, fast.
//!
//! Rows are generated inside PostgreSQL (`INSERT … SELECT generate_series`),
//! one set-based statement per batch of 100,000: nothing crosses the wire per
//! row. Asset codes carry a per-run tag, so runs add up instead of colliding.
//! `created_at` values repeat every few rows on purpose: pagination must cope
//! with ties.
use std::time::{Duration, Instant};

use sqlx::PgPool;

use super::catalogue::upsert_catalogue;

const BATCH: i64 = 100_000;

#[derive(Debug)]
pub struct BulkReport {
    pub inserted: u64,
    pub elapsed: Duration,
}

pub async fn seed_equipment(
    db: &PgPool,
    count: u64,
    mut progress: impl FnMut(u64),
) -> Result<BulkReport, sqlx::Error> {
    let started = Instant::now();
    let mut tx = db.begin().await?;
    upsert_catalogue(&mut tx).await?;
    tx.commit().await?;

    let tag = format!("{:x}", chrono::Utc::now().timestamp_millis());
    let total = i64::try_from(count).unwrap_or(i64::MAX);
    let mut inserted: u64 = 0;
    let mut from: i64 = 0;
    while from < total {
        let to = (from + BATCH).min(total);
        let result = sqlx::query!(
            r#"WITH cats AS (SELECT array_agg(id ORDER BY id) AS ids FROM equipment_categories),
                    deps AS (SELECT array_agg(id ORDER BY id) AS ids FROM departments)
               INSERT INTO equipment (asset_code, name, model, serial_number, category_id, department_id,
                                      location, status, purchase_date, purchase_price_cents, created_at)
               SELECT 'SYN-' || $1 || '-' || g,
                      (ARRAY['Laptop','Monitor','Server','Switch','Oscilloscope','Projector','Printer','Camera'])[1 + g % 8]
                        || ' ' || (g % 997),
                      'M-' || (g % 211),
                      'SN' || $1 || g,
                      cats.ids[1 + g % array_length(cats.ids, 1)],
                      deps.ids[1 + (g / 7) % array_length(deps.ids, 1)],
                      'Building ' || (1 + g % 9) || ' / Room ' || (100 + g % 400),
                      CASE WHEN g % 40 = 0 THEN 'under_repair' WHEN g % 97 = 0 THEN 'scrapped' ELSE 'available' END,
                      DATE '2018-01-01' + (g % 2900)::int,
                      50000 + (g % 1000) * 1000,
                      now() - make_interval(secs => (g / 3) * 30)
               FROM generate_series($2::bigint, $3::bigint - 1) AS g, cats, deps"#,
            tag,
            from,
            to,
        )
        .execute(db)
        .await?;
        inserted += result.rows_affected();
        progress(inserted);
        from = to;
    }
    // Fresh statistics and visibility map: the planner picks the covering
    // index and Index Only Scans do not visit the heap.
    sqlx::query("VACUUM (ANALYZE) equipment")
        .execute(db)
        .await?;
    Ok(BulkReport {
        inserted,
        elapsed: started.elapsed(),
    })
}
