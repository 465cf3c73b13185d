//! Computes every scope's figures from PostgreSQL in one read-only snapshot.
//!
//! Each statement groups by department (and what the figure needs) once; the
//! small results are rolled up to every scope here. Only the lead-time
//! percentiles cannot be added up, so PostgreSQL computes them per scope.
use std::collections::HashMap;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use sqlx::PgConnection;

use super::model::*;
use super::scopes::{Department, ORGANISATION, Scopes};
use crate::clock::OrgClock;
use crate::overview::StatusCounts;

/// When the windows end and start, fixed once per computation, in the
/// organisation's time zone (weeks and "today" are its, not UTC's).
#[derive(Debug, Clone, Copy)]
pub struct Clock<'a> {
    pub now: DateTime<Utc>,
    pub zone: &'a OrgClock,
}

impl Clock<'_> {
    pub fn today(&self) -> NaiveDate {
        self.zone.today(self.now)
    }

    /// Monday of the oldest week shown.
    pub fn first_week(&self) -> NaiveDate {
        let monday =
            self.today() - Duration::days(self.today().weekday().num_days_from_monday().into());
        monday - Duration::weeks(WEEKS_SHOWN - 1)
    }

    fn days_ago(&self, days: i64) -> DateTime<Utc> {
        self.now - Duration::days(days)
    }
}

pub async fn all_scopes(
    conn: &mut PgConnection,
    clock: Clock<'_>,
) -> Result<HashMap<i64, ScopeFigures>, sqlx::Error> {
    let departments: Vec<(i64, Option<i64>, String)> =
        sqlx::query_as("SELECT id, parent_id, name FROM departments")
            .fetch_all(&mut *conn)
            .await?;
    let scopes = Scopes::new(
        departments
            .into_iter()
            .map(|(id, parent_id, name)| Department {
                id,
                parent_id,
                name,
            })
            .collect(),
    );
    let index = scopes.index();
    let mut figures: HashMap<i64, ScopeFigures> = scopes
        .members
        .keys()
        .map(|scope| (*scope, ScopeFigures::empty()))
        .collect();
    figures
        .entry(ORGANISATION)
        .or_insert_with(ScopeFigures::empty);
    let roll = |department_id: i64| index.get(&department_id).into_iter().flatten().copied();

    equipment(conn, &scopes, &mut figures, &roll).await?;
    weeks(conn, clock, &mut figures, &roll).await?;
    lead_times(conn, clock, &scopes, &mut figures).await?;
    utilisation(conn, clock, &mut figures, &roll).await?;
    overdue(conn, clock, &mut figures, &roll).await?;
    top_borrowers(conn, clock, &mut figures, &roll).await?;
    Ok(figures)
}

impl ScopeFigures {
    fn empty() -> Self {
        Self {
            by_status: StatusCounts::default(),
            by_category: Vec::new(),
            by_department: Vec::new(),
            weeks: Vec::new(),
            lead_times: Vec::new(),
            utilisation: Vec::new(),
            overdue_total: 0,
            overdue: Vec::new(),
            top_borrowers: Vec::new(),
        }
    }
}

type Figures = HashMap<i64, ScopeFigures>;

/// Items by status, category and department; the categories' lendable items
/// are kept for utilisation.
async fn equipment<I: Iterator<Item = i64>>(
    conn: &mut PgConnection,
    scopes: &Scopes,
    figures: &mut Figures,
    roll: &impl Fn(i64) -> I,
) -> Result<(), sqlx::Error> {
    let categories: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, name FROM equipment_categories ORDER BY name, id")
            .fetch_all(&mut *conn)
            .await?;
    let groups: Vec<(i64, i64, String, i64)> = sqlx::query_as(
        "SELECT department_id, category_id, status, count(*)
           FROM equipment GROUP BY department_id, category_id, status",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut per_category: HashMap<(i64, i64), i64> = HashMap::new();
    let mut per_department: HashMap<(i64, i64), i64> = HashMap::new();
    let mut lendable: HashMap<(i64, i64), i64> = HashMap::new();
    for (department_id, category_id, status, count) in &groups {
        for scope in roll(*department_id) {
            let Some(f) = figures.get_mut(&scope) else {
                continue;
            };
            match status.as_str() {
                "available" => f.by_status.available += count,
                "in_use" => f.by_status.in_use += count,
                "under_repair" => f.by_status.under_repair += count,
                _ => f.by_status.scrapped += count,
            }
            *per_category.entry((scope, *category_id)).or_default() += count;
            *per_department.entry((scope, *department_id)).or_default() += count;
            if status != "scrapped" {
                *lendable.entry((scope, *category_id)).or_default() += count;
            }
        }
    }
    for (scope, f) in figures.iter_mut() {
        f.by_category = categories
            .iter()
            .map(|(id, name)| NamedCount {
                id: *id,
                name: name.clone(),
                count: per_category.get(&(*scope, *id)).copied().unwrap_or(0),
            })
            .collect();
        f.by_department = scopes
            .members
            .get(scope)
            .into_iter()
            .flatten()
            .map(|id| NamedCount {
                id: *id,
                name: scopes.name(*id).unwrap_or_default().to_owned(),
                count: per_department.get(&(*scope, *id)).copied().unwrap_or(0),
            })
            .collect();
        f.utilisation = categories
            .iter()
            .map(|(id, name)| Utilisation {
                category_id: *id,
                category: name.clone(),
                items: lendable.get(&(*scope, *id)).copied().unwrap_or(0),
                hours_in_use: 0.0,
                share: 0.0,
            })
            .collect();
    }
    Ok(())
}

/// Requests filed per week (UTC, weeks from Monday), by kind and by outcome.
async fn weeks<I: Iterator<Item = i64>>(
    conn: &mut PgConnection,
    clock: Clock<'_>,
    figures: &mut Figures,
    roll: &impl Fn(i64) -> I,
) -> Result<(), sqlx::Error> {
    let first = clock.first_week();
    let from = clock.zone.start_of(first);
    let groups: Vec<(i64, NaiveDate, String, String, i64)> = sqlx::query_as(
        "SELECT department_id, date_trunc('week', created_at AT TIME ZONE $3)::date,
                kind, status, count(*)
           FROM equipment_requests
          WHERE created_at >= $1 AND created_at <= $2
          GROUP BY 1, 2, 3, 4",
    )
    .bind(from)
    .bind(clock.now)
    .bind(&clock.zone.zone)
    .fetch_all(&mut *conn)
    .await?;
    let week_index = |week: NaiveDate| usize::try_from((week - first).num_weeks()).ok();
    for f in figures.values_mut() {
        f.weeks = (0..WEEKS_SHOWN)
            .map(|i| WeekRequests {
                week: first + Duration::weeks(i),
                ..WeekRequests::default()
            })
            .collect();
    }
    for (department_id, week, kind, status, count) in &groups {
        let Some(at) = week_index(*week) else {
            continue;
        };
        for scope in roll(*department_id) {
            let Some(row) = figures.get_mut(&scope).and_then(|f| f.weeks.get_mut(at)) else {
                continue;
            };
            match kind.as_str() {
                "borrow" => row.borrow += count,
                "return" => row.return_ += count,
                "repair" => row.repair += count,
                _ => row.scrap += count,
            }
            match status.as_str() {
                "pending" => row.pending += count,
                "approved" => row.approved += count,
                "rejected" => row.rejected += count,
                _ => row.cancelled += count,
            }
        }
    }
    Ok(())
}

/// Median and 90th percentile of filing-to-decision time, per scope, overall
/// and per kind. Percentiles do not add up, so the scope pairs go to SQL.
async fn lead_times(
    conn: &mut PgConnection,
    clock: Clock<'_>,
    scopes: &Scopes,
    figures: &mut Figures,
) -> Result<(), sqlx::Error> {
    let (scope_ids, department_ids): (Vec<i64>, Vec<i64>) = scopes
        .members
        .iter()
        .flat_map(|(scope, ids)| ids.iter().map(move |id| (*scope, *id)))
        .unzip();
    let rows: Vec<(i64, Option<String>, i64, f64, f64)> = sqlx::query_as(
        "SELECT s.scope, r.kind, count(*),
                percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM r.decided_at - r.created_at)) / 3600,
                percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM r.decided_at - r.created_at)) / 3600
           FROM equipment_requests r
           JOIN unnest($1::bigint[], $2::bigint[]) AS s(scope, department_id)
             ON s.department_id = r.department_id
          WHERE r.status IN ('approved', 'rejected') AND r.decided_at >= $3 AND r.decided_at <= $4
          GROUP BY GROUPING SETS ((s.scope), (s.scope, r.kind))
          ORDER BY s.scope, r.kind NULLS FIRST",
    )
    .bind(&scope_ids)
    .bind(&department_ids)
    .bind(clock.days_ago(LEAD_TIME_DAYS))
    .bind(clock.now)
    .fetch_all(&mut *conn)
    .await?;
    for (scope, kind, decided, median_hours, p90_hours) in rows {
        if let Some(f) = figures.get_mut(&scope) {
            f.lead_times.push(LeadTime {
                kind,
                decided,
                median_hours,
                p90_hours,
            });
        }
    }
    Ok(())
}

/// Hours each category's items spent lent out within the window: a loan runs
/// from its approval to the approval of the item's next return (or now).
async fn utilisation<I: Iterator<Item = i64>>(
    conn: &mut PgConnection,
    clock: Clock<'_>,
    figures: &mut Figures,
    roll: &impl Fn(i64) -> I,
) -> Result<(), sqlx::Error> {
    let from = clock.days_ago(UTILISATION_DAYS);
    let groups: Vec<(i64, i64, f64)> = sqlx::query_as(
        "SELECT e.department_id, e.category_id,
                sum(extract(epoch FROM LEAST(l.ended, $2) - GREATEST(l.started, $1)))::float8 / 3600
           FROM (SELECT b.equipment_id, b.decided_at AS started,
                        COALESCE((SELECT min(r.decided_at) FROM equipment_requests r
                                   WHERE r.equipment_id = b.equipment_id AND r.kind = 'return'
                                     AND r.status = 'approved' AND r.decided_at >= b.decided_at),
                                 $2) AS ended
                   FROM equipment_requests b
                  WHERE b.kind = 'borrow' AND b.status = 'approved' AND b.decided_at < $2) l
           JOIN equipment e ON e.id = l.equipment_id
          WHERE l.ended > $1
          GROUP BY 1, 2",
    )
    .bind(from)
    .bind(clock.now)
    .fetch_all(&mut *conn)
    .await?;
    let mut hours: HashMap<(i64, i64), f64> = HashMap::new();
    for (department_id, category_id, h) in groups {
        for scope in roll(department_id) {
            *hours.entry((scope, category_id)).or_default() += h;
        }
    }
    let window_hours = (UTILISATION_DAYS * 24) as f64;
    for (scope, f) in figures.iter_mut() {
        for u in &mut f.utilisation {
            u.hours_in_use = hours.get(&(*scope, u.category_id)).copied().unwrap_or(0.0);
            u.share = if u.items > 0 {
                (u.hours_in_use / (u.items as f64 * window_hours)).clamp(0.0, 1.0)
            } else {
                0.0
            };
        }
    }
    Ok(())
}

/// Items past their due date, counted where their holder belongs.
async fn overdue<I: Iterator<Item = i64>>(
    conn: &mut PgConnection,
    clock: Clock<'_>,
    figures: &mut Figures,
    roll: &impl Fn(i64) -> I,
) -> Result<(), sqlx::Error> {
    let rows: Vec<(i64, String, String, String, i64, NaiveDate)> = sqlx::query_as(
        "SELECT e.id, e.asset_code, e.name, u.display_name, u.department_id, e.due_on
           FROM equipment e JOIN users u ON u.id = e.holder_id
          WHERE e.status = 'in_use' AND e.due_on < $1
          ORDER BY e.due_on, e.id",
    )
    .bind(clock.today())
    .fetch_all(&mut *conn)
    .await?;
    for (equipment_id, asset_code, name, holder, department_id, due_on) in rows {
        for scope in roll(department_id) {
            let Some(f) = figures.get_mut(&scope) else {
                continue;
            };
            f.overdue_total += 1;
            if f.overdue.len() < OVERDUE_LISTED {
                f.overdue.push(OverdueItem {
                    equipment_id,
                    asset_code: asset_code.clone(),
                    name: name.clone(),
                    holder: holder.clone(),
                    due_on,
                    days_overdue: (clock.today() - due_on).num_days(),
                });
            }
        }
    }
    Ok(())
}

/// The people with the most approved loans in the window, per scope (the
/// department a request was filed in).
async fn top_borrowers<I: Iterator<Item = i64>>(
    conn: &mut PgConnection,
    clock: Clock<'_>,
    figures: &mut Figures,
    roll: &impl Fn(i64) -> I,
) -> Result<(), sqlx::Error> {
    let groups: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT department_id, applicant_id, count(*)
           FROM equipment_requests
          WHERE kind = 'borrow' AND status = 'approved' AND decided_at >= $1 AND decided_at <= $2
          GROUP BY 1, 2",
    )
    .bind(clock.days_ago(TOP_BORROWER_DAYS))
    .bind(clock.now)
    .fetch_all(&mut *conn)
    .await?;
    let mut loans: HashMap<i64, HashMap<i64, i64>> = HashMap::new();
    for (department_id, applicant_id, count) in groups {
        for scope in roll(department_id) {
            *loans
                .entry(scope)
                .or_default()
                .entry(applicant_id)
                .or_default() += count;
        }
    }
    let mut ranked: HashMap<i64, Vec<(i64, i64)>> = HashMap::new();
    for (scope, per_user) in loans {
        let mut list: Vec<(i64, i64)> = per_user.into_iter().collect();
        // Most loans first; ties by id so the list is stable between refreshes.
        list.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        list.truncate(TOP_BORROWERS);
        ranked.insert(scope, list);
    }
    let ids: Vec<i64> = ranked.values().flatten().map(|(id, _)| *id).collect();
    let names: HashMap<i64, String> =
        sqlx::query_as::<_, (i64, String)>("SELECT id, display_name FROM users WHERE id = ANY($1)")
            .bind(&ids)
            .fetch_all(&mut *conn)
            .await?
            .into_iter()
            .collect();
    for (scope, list) in ranked {
        if let Some(f) = figures.get_mut(&scope) {
            f.top_borrowers = list
                .into_iter()
                .map(|(user_id, loans)| Borrower {
                    user_id,
                    name: names.get(&user_id).cloned().unwrap_or_default(),
                    loans,
                })
                .collect();
        }
    }
    Ok(())
}
