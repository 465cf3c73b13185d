//! `seed --demo`: a small organisation to click through. Safe to run again:
//! everything is upserted by its natural key.
use secrecy::{ExposeSecret, SecretString};
use sqlx::PgPool;

use super::catalogue::{CATEGORIES, DEPARTMENTS, upsert_catalogue};

/// (username, display name, phone, role, department code).
pub const DEMO_ACCOUNTS: [(&str, &str, &str, &str, &str); 3] = [
    (
        "demo-user",
        "演示用户",
        "+8613800000001",
        "user",
        "RND-PLATFORM",
    ),
    ("demo-leader", "演示领导", "+8613800000002", "leader", "RND"),
    ("demo-admin", "演示管理员", "+8613800000003", "admin", "HQ"),
];

pub const DEMO_EQUIPMENT: usize = 200;

#[derive(Debug)]
pub struct DemoReport {
    pub departments: usize,
    pub categories: usize,
    pub equipment_total: i64,
}

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("database error while seeding: {0}")]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Password(#[from] app::auth::password::PasswordError),
}

pub async fn seed_demo(db: &PgPool, password: &SecretString) -> Result<DemoReport, SeedError> {
    let hash = app::auth::password::hash_password(password.expose_secret().to_owned()).await?;
    let mut tx = db.begin().await?;
    upsert_catalogue(&mut tx).await?;
    for (username, display_name, phone, role, department) in DEMO_ACCOUNTS {
        // Re-seeding resets the demo password to the configured one.
        sqlx::query!(
            "INSERT INTO users (username, display_name, phone, password_hash, role, department_id)
             VALUES ($1, $2, $3, $4, $5, (SELECT id FROM departments WHERE code = $6))
             ON CONFLICT (username) DO UPDATE
               SET display_name = EXCLUDED.display_name, phone = EXCLUDED.phone,
                   password_hash = EXCLUDED.password_hash, role = EXCLUDED.role,
                   department_id = EXCLUDED.department_id, status = 'active'",
            username,
            display_name,
            phone,
            hash,
            role,
            department,
        )
        .execute(&mut *tx)
        .await?;
    }
    insert_demo_equipment(&mut tx).await?;
    insert_demo_history(&mut tx).await?;
    let equipment_total = sqlx::query_scalar!(r#"SELECT count(*) AS "n!" FROM equipment"#)
        .fetch_one(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(DemoReport {
        departments: DEPARTMENTS.len(),
        categories: CATEGORIES.len(),
        equipment_total,
    })
}

/// 200 items spread over categories and departments; a few are in use by
/// demo-user, under repair or scrapped, so every status shows up.
async fn insert_demo_equipment(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
) -> Result<(), sqlx::Error> {
    let mut codes = Vec::with_capacity(DEMO_EQUIPMENT);
    let mut names = Vec::with_capacity(DEMO_EQUIPMENT);
    let mut models = Vec::with_capacity(DEMO_EQUIPMENT);
    let mut categories = Vec::with_capacity(DEMO_EQUIPMENT);
    let mut departments = Vec::with_capacity(DEMO_EQUIPMENT);
    let mut locations = Vec::with_capacity(DEMO_EQUIPMENT);
    let mut statuses = Vec::with_capacity(DEMO_EQUIPMENT);
    let mut ages_hours = Vec::with_capacity(DEMO_EQUIPMENT);
    for i in 0..DEMO_EQUIPMENT {
        let (category, category_name, category_models) = CATEGORIES[i % CATEGORIES.len()];
        let model = category_models[(i / CATEGORIES.len()) % category_models.len()];
        codes.push(format!("DEMO-{:04}", i + 1));
        names.push(format!("{category_name} {model}"));
        models.push(model.to_owned());
        categories.push(category.to_owned());
        departments.push(DEPARTMENTS[1 + i % (DEPARTMENTS.len() - 1)].0.to_owned());
        locations.push(format!(
            "{}栋 {}F-{:02}",
            ["A", "B", "C"][i % 3],
            1 + i % 6,
            1 + i % 20
        ));
        statuses.push(match i % 50 {
            0..=4 => "in_use",
            5..=6 => "under_repair",
            7 => "scrapped",
            _ => "available",
        });
        ages_hours.push(i32::try_from(i * 79).unwrap_or(i32::MAX));
    }
    sqlx::query!(
        r#"INSERT INTO equipment (asset_code, name, model, serial_number, category_id, department_id,
                                  location, status, holder_id, purchase_date, purchase_price_cents, created_at)
           SELECT s.code, s.name, s.model, 'SN-' || s.code,
                  (SELECT id FROM equipment_categories WHERE code = s.category),
                  (SELECT id FROM departments WHERE code = s.department),
                  s.location, s.status,
                  CASE WHEN s.status = 'in_use' THEN (SELECT id FROM users WHERE username = 'demo-user') END,
                  (now() - make_interval(hours => s.age_hours + 720))::date,
                  100000 + (s.age_hours % 97) * 12345,
                  now() - make_interval(hours => s.age_hours)
           FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int[])
                AS s(code, name, model, category, department, location, status, age_hours)
           ON CONFLICT (asset_code) DO NOTHING"#,
        &codes,
        &names,
        &models,
        &categories,
        &departments,
        &locations,
        &statuses as &[&str],
        &ages_hours,
    )
    .execute(&mut **tx)
    .await?;
    // The demo loans fall due from three days ago to three days ahead, so the
    // consoles have overdue returns to show.
    sqlx::query(
        "UPDATE equipment
            SET due_on = current_date + (substring(asset_code FROM 6)::int % 7 - 3)
          WHERE asset_code LIKE 'DEMO-%' AND status = 'in_use' AND due_on IS NULL",
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Marks the rows of the demo's request history, so a second seed adds none.
const HISTORY_REASON: &str = "演示记录：项目借用";

/// Twelve weeks of demo-user's loans, as history left them: most approved by
/// demo-leader within hours and returned days later, some rejected, some
/// withdrawn, so the statistics pages have something to show. History only:
/// the items' current state is the one set above.
async fn insert_demo_history(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "WITH people AS (
             SELECT (SELECT id FROM users WHERE username = 'demo-user') AS applicant,
                    (SELECT department_id FROM users WHERE username = 'demo-user') AS department,
                    (SELECT id FROM users WHERE username = 'demo-leader') AS approver
         ),
         items AS (
             SELECT id, row_number() OVER (ORDER BY id) AS n
               FROM equipment WHERE asset_code LIKE 'DEMO-%' AND status = 'available'
         ),
         loans AS (
             SELECT g, i.id AS item,
                    now() - make_interval(hours => g * 40) AS filed,
                    make_interval(hours => 1 + g % 9 + (g % 4) * 6) AS lead,
                    CASE WHEN g % 7 = 0 THEN 'rejected' WHEN g % 11 = 0 THEN 'cancelled'
                         ELSE 'approved' END AS outcome
               FROM generate_series(4, 53) AS g JOIN items i ON i.n = g
         ),
         borrows AS (
             INSERT INTO equipment_requests (kind, equipment_id, applicant_id, department_id, status,
                     reason, period_start, period_end, approver_id, decided_at, created_at)
             SELECT 'borrow', l.item, p.applicant, p.department, l.outcome, $1,
                    l.filed::date, l.filed::date + 2 + l.g % 5,
                    CASE WHEN l.outcome <> 'cancelled' THEN p.approver END,
                    CASE WHEN l.outcome <> 'cancelled' THEN l.filed + l.lead END,
                    l.filed
               FROM loans l, people p
              WHERE NOT EXISTS (SELECT 1 FROM equipment_requests WHERE reason = $1)
             RETURNING equipment_id, status, decided_at, period_end
         )
         INSERT INTO equipment_requests (kind, equipment_id, applicant_id, department_id, status,
                 reason, approver_id, decided_at, created_at)
         SELECT 'return', b.equipment_id, p.applicant, p.department, 'approved', $1, p.approver,
                b.period_end::timestamptz + interval '10 hours',
                b.period_end::timestamptz + interval '9 hours'
           FROM borrows b, people p
          WHERE b.status = 'approved' AND b.period_end::timestamptz + interval '10 hours' < now()",
    )
    .bind(HISTORY_REASON)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
