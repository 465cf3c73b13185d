//! A user's own figures, read live: their requests and loans are few, and
//! both statements are range scans of per-user indexes.
use chrono::{Datelike, Months, NaiveDate};
use sqlx::PgPool;

use super::model::{HeldItem, MONTHS_SHOWN, MonthRequests, OwnStatistics};
use crate::clock::OrgClock;

/// First day of the oldest month shown.
pub fn first_month(today: NaiveDate) -> NaiveDate {
    let this_month = today.with_day(1).unwrap_or(today);
    this_month
        .checked_sub_months(Months::new(u32::try_from(MONTHS_SHOWN - 1).unwrap_or(0)))
        .unwrap_or(this_month)
}

/// The user's figures, with months and "today" in the organisation's zone.
pub async fn load(
    db: &PgPool,
    user_id: i64,
    clock: &OrgClock,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<OwnStatistics, sqlx::Error> {
    let today = clock.today(now);
    let first = first_month(today);
    let groups: Vec<(NaiveDate, String, i64)> = sqlx::query_as(
        "SELECT date_trunc('month', created_at AT TIME ZONE $3)::date, status, count(*)
           FROM equipment_requests
          WHERE applicant_id = $1 AND created_at >= $2
          GROUP BY 1, 2",
    )
    .bind(user_id)
    .bind(clock.start_of(first))
    .bind(&clock.zone)
    .fetch_all(db)
    .await?;
    let mut months: Vec<MonthRequests> = (0..MONTHS_SHOWN)
        .filter_map(|i| first.checked_add_months(Months::new(u32::try_from(i).ok()?)))
        .map(|month| MonthRequests {
            month,
            ..MonthRequests::default()
        })
        .collect();
    for (month, status, count) in groups {
        let Some(row) = months.iter_mut().find(|m| m.month == month) else {
            continue;
        };
        match status.as_str() {
            "pending" => row.pending += count,
            "approved" => row.approved += count,
            "rejected" => row.rejected += count,
            _ => row.cancelled += count,
        }
    }
    let holding: Vec<(i64, String, String, Option<NaiveDate>)> = sqlx::query_as(
        "SELECT id, asset_code, name, due_on FROM equipment
          WHERE holder_id = $1 ORDER BY due_on NULLS LAST, id",
    )
    .bind(user_id)
    .fetch_all(db)
    .await?;
    Ok(OwnStatistics {
        today,
        months,
        holding: holding
            .into_iter()
            .map(|(equipment_id, asset_code, name, due_on)| HeldItem {
                equipment_id,
                asset_code,
                name,
                due_on,
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twelve_months_end_with_the_current_one() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("valid date");
        assert_eq!(first_month(day(2026, 11, 25)), day(2025, 12, 1));
        assert_eq!(first_month(day(2026, 1, 31)), day(2025, 2, 1));
    }
}
