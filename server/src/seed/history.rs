//! `seed --requests N`: a request history at benchmark scale, made inside
//! PostgreSQL like the bulk items. 200 synthetic people across the
//! departments borrow items and return them (about half the rows each),
//! with some loans rejected or withdrawn and a few repair and scrap
//! requests, filed over the last 180 days and decided within hours.
//! History only: the items' current state is not changed.
use std::time::Instant;

use sqlx::PgPool;

use super::bulk::BulkReport;

const BATCH: i64 = 100_000;
const PEOPLE: i64 = 200;

/// Synthetic people to file the requests (the demo accounts' hash, so none
/// can sign in with a known password but the demo's).
async fn ensure_people(db: &PgPool) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO users (username, display_name, password_hash, department_id)
         SELECT 'syn-' || g, '合成用户 ' || g,
                (SELECT password_hash FROM users ORDER BY id LIMIT 1),
                deps.ids[1 + g % array_length(deps.ids, 1)]
           FROM generate_series(1, $1) AS g,
                (SELECT array_agg(id ORDER BY id) AS ids FROM departments) AS deps
         ON CONFLICT (username) DO NOTHING",
    )
    .bind(PEOPLE)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn seed_requests(
    db: &PgPool,
    count: u64,
    mut progress: impl FnMut(u64),
) -> Result<BulkReport, sqlx::Error> {
    let started = Instant::now();
    ensure_people(db).await?;
    let total = i64::try_from(count).unwrap_or(i64::MAX);
    let mut inserted: u64 = 0;
    let mut from: i64 = 0;
    while from < total {
        let to = (from + BATCH).min(total);
        // Row g: an even g borrows, the odd g after it returns the same item
        // a few days later; every 13th loan is rejected, every 17th withdrawn;
        // every 50th row is a repair or scrap request instead.
        let result = sqlx::query(
            "WITH people AS (
                 SELECT array_agg(id ORDER BY id) AS ids, array_agg(department_id ORDER BY id) AS deps
                   FROM users WHERE username LIKE 'syn-%'
             ),
             approver AS (SELECT id FROM users WHERE role IN ('leader', 'admin') ORDER BY id LIMIT 1),
             items AS (SELECT min(id) AS lo, max(id) AS hi FROM equipment),
             rows AS (
                 SELECT g, g / 2 AS loan,
                        CASE WHEN g % 50 = 49 THEN (ARRAY['repair', 'scrap'])[1 + (g / 50) % 2]
                             WHEN g % 2 = 0 THEN 'borrow' ELSE 'return' END AS kind,
                        1 + (g / 2 * 7919) % array_length(people.ids, 1) AS who,
                        items.lo + (g / 2 * 104729) % (items.hi - items.lo + 1) AS item,
                        now() - make_interval(secs => (g / 2 * 15551) % 15552000) AS borrowed,
                        make_interval(hours => (1 + (g / 2) % 30)::int) AS lead,
                        CASE WHEN (g / 2) % 13 = 0 THEN 'rejected'
                             WHEN (g / 2) % 17 = 0 THEN 'cancelled' ELSE 'approved' END AS outcome
                   FROM generate_series($1::bigint, $2::bigint - 1) AS g, people, items
             )
             INSERT INTO equipment_requests (kind, equipment_id, applicant_id, department_id, status,
                     reason, period_start, period_end, approver_id, decided_at, created_at)
             SELECT r.kind, r.item, people.ids[r.who], people.deps[r.who],
                    CASE WHEN r.kind = 'return' OR r.kind IN ('repair', 'scrap') THEN 'approved'
                         ELSE r.outcome END,
                    'synthetic history',
                    CASE WHEN r.kind = 'borrow' THEN r.borrowed::date END,
                    CASE WHEN r.kind = 'borrow' THEN r.borrowed::date + (3 + r.loan % 5)::int END,
                    CASE WHEN r.kind <> 'borrow' OR r.outcome <> 'cancelled' THEN approver.id END,
                    CASE WHEN r.kind = 'return'
                              THEN r.borrowed + r.lead + make_interval(days => (2 + r.loan % 6)::int, hours => 2)
                         WHEN r.kind <> 'borrow' OR r.outcome <> 'cancelled' THEN r.borrowed + r.lead END,
                    CASE WHEN r.kind = 'return'
                              THEN r.borrowed + r.lead + make_interval(days => (2 + r.loan % 6)::int)
                         ELSE r.borrowed END
               FROM rows r, people, approver
              -- A return follows only an approved loan that has ended by now.
              WHERE r.kind <> 'return'
                 OR (r.outcome = 'approved'
                     AND r.borrowed + r.lead + make_interval(days => (2 + r.loan % 6)::int, hours => 2) < now())",
        )
        .bind(from)
        .bind(to)
        .execute(db)
        .await?;
        inserted += result.rows_affected();
        progress(inserted);
        from = to;
    }
    sqlx::query("VACUUM (ANALYZE) equipment_requests")
        .execute(db)
        .await?;
    Ok(BulkReport {
        inserted,
        elapsed: started.elapsed(),
    })
}
