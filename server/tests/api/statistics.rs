//! Statistics: the pre-aggregated figures equal what plain SQL counts on a
//! seeded dataset, each viewer sees only the scopes they may, the charts and
//! CSV files carry the same figures, and one node at a time recomputes.
use std::time::Duration;

use app::statistics::snapshot::{self, Refresh};
use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::PgPool;

use crate::browser::{Browser, signed_in};
use crate::flows::{decide, filed};
use crate::helpers::TestApp;
use crate::users::{Org, org, outsider};

struct Seeded {
    org: Org,
    dave: i64,
    laptops: i64,
    cameras: i64,
    now: DateTime<Utc>,
}

async fn category(db: &PgPool, code: &str) -> i64 {
    sqlx::query_scalar("INSERT INTO equipment_categories (code, name) VALUES ($1, $1) RETURNING id")
        .bind(code)
        .fetch_one(db)
        .await
        .expect("category")
}

async fn items(
    db: &PgPool,
    prefix: &str,
    category: i64,
    department: i64,
    status: &str,
    n: i64,
) -> Vec<i64> {
    sqlx::query_scalar(
        "INSERT INTO equipment (asset_code, name, category_id, department_id, status)
         SELECT $1 || g, $1 || ' item ' || g, $2, $3, $4 FROM generate_series(1, $5) AS g
         RETURNING id",
    )
    .bind(prefix)
    .bind(category)
    .bind(department)
    .bind(status)
    .bind(n)
    .fetch_all(db)
    .await
    .expect("items")
}

/// A request as history left it: filed `age_hours` ago, decided `lead_hours`
/// later (when `status` is a decision).
async fn request(
    db: &PgPool,
    s: &Seeded,
    (kind, item, applicant, department): (&str, i64, i64, i64),
    status: &str,
    age_hours: f64,
    lead_hours: f64,
) {
    let created = s.now - chrono::Duration::seconds((age_hours * 3600.0) as i64);
    let decided = created + chrono::Duration::seconds((lead_hours * 3600.0) as i64);
    let decision = matches!(status, "approved" | "rejected");
    sqlx::query(
        "INSERT INTO equipment_requests (kind, equipment_id, applicant_id, department_id, status,
                reason, period_start, period_end, approver_id, decided_at, created_at)
         VALUES ($1, $2, $3, $4, $5, 'test', $6::timestamptz::date, $6::timestamptz::date + 3,
                 $7, $8, $6)",
    )
    .bind(kind)
    .bind(item)
    .bind(applicant)
    .bind(department)
    .bind(status)
    .bind(created)
    .bind(decision.then_some(s.org.admin))
    .bind(decision.then_some(decided))
    .execute(db)
    .await
    .expect("request");
}

/// TEAM (alice, bob) and OTHER (dave) under ROOT (carol, the admin):
/// TEAM holds 3 laptops (one lent to alice, overdue), 1 under repair and 2
/// cameras; OTHER 2 cameras and 1 scrapped laptop.
async fn seed(db: &PgPool) -> Seeded {
    let org = org(db).await;
    let dave = outsider(db, &org).await;
    let laptops = category(db, "LAP").await;
    let cameras = category(db, "CAM").await;
    let team_laptops = items(db, "TL", laptops, org.department, "available", 3).await;
    items(db, "TR", laptops, org.department, "under_repair", 1).await;
    items(db, "TC", cameras, org.department, "available", 2).await;
    let other_cameras = items(db, "OC", cameras, org.other_department, "available", 2).await;
    items(db, "OS", laptops, org.other_department, "scrapped", 1).await;
    let s = Seeded {
        org,
        dave,
        laptops,
        cameras,
        now: Utc::now(),
    };
    let team = s.org.department;
    let lent = team_laptops[0];
    sqlx::query(
        "UPDATE equipment SET status = 'in_use', holder_id = $2, due_on = current_date - 3 WHERE id = $1",
    )
    .bind(lent)
    .bind(s.org.user)
    .execute(db)
    .await
    .expect("lend");
    let (alice, dave, other) = (s.org.user, s.dave, s.org.other_department);
    // (kind, item, applicant, department), outcome, filed hours ago, lead hours.
    #[rustfmt::skip]
    let history = [
        // alice's current loan: approved 10 days ago, due three days ago.
        (("borrow", lent, alice, team), "approved", 242.0, 2.0),
        // An earlier loan of another laptop, returned two days later.
        (("borrow", team_laptops[1], alice, team), "approved", 100.0, 4.0),
        (("return", team_laptops[1], alice, team), "approved", 52.0, 10.0),
        // Still waiting, withdrawn, rejected.
        (("repair", team_laptops[2], alice, team), "pending", 1.0, 0.0),
        (("scrap", team_laptops[2], alice, team), "cancelled", 30.0, 0.0),
        (("borrow", other_cameras[0], dave, other), "rejected", 20.0, 6.0),
        // dave's loan in OTHER, returned the same day.
        (("borrow", other_cameras[1], dave, other), "approved", 300.0, 1.0),
        (("return", other_cameras[1], dave, other), "approved", 290.0, 1.0),
        // Long ago, lent and returned: outside every window.
        (("borrow", other_cameras[1], dave, other), "approved", 24.0 * 200.0, 1.0),
        (("return", other_cameras[1], dave, other), "approved", 24.0 * 199.0, 1.0),
    ];
    for (what, status, age_hours, lead_hours) in history {
        request(db, &s, what, status, age_hours, lead_hours).await;
    }
    s
}

/// A node whose organisation keeps UTC, like the plain SQL these tests
/// compare with (`current_date`); the organisation's own zone has a test of
/// its own below.
async fn spawn_in_utc(pool: PgPool) -> TestApp {
    TestApp::spawn_with(pool, &[("EQUIPFLOW_TIME_ZONE", "UTC".to_owned())]).await
}

static UTC: std::sync::LazyLock<app::clock::OrgClock> =
    std::sync::LazyLock::new(app::clock::OrgClock::default);

/// The statistics clock at `now`, in UTC (the plain SQL these tests compare
/// with counts UTC days; `the_organisations_day_*` tests the zone).
fn utc(now: DateTime<Utc>) -> app::statistics::compute::Clock<'static> {
    app::statistics::compute::Clock { now, zone: &UTC }
}

/// Recomputes now; a node's own start-up refresh may hold the lock a moment.
pub(crate) async fn refresh(db: &PgPool, now: DateTime<Utc>) {
    for _ in 0..50 {
        match snapshot::refresh(db, Duration::ZERO, utc(now))
            .await
            .expect("refresh")
        {
            Refresh::Done { .. } => return,
            Refresh::Busy => tokio::time::sleep(Duration::from_millis(100)).await,
            Refresh::Fresh => panic!("a zero interval is never fresh"),
        }
    }
    panic!("the refresh lock stayed busy");
}

async fn scope(browser: &Browser, department: Option<i64>) -> reqwest::Response {
    let department = department.map(|d| d.to_string()).unwrap_or_default();
    browser
        .call("/api/rpc/statistics/scope", &[("department", &department)])
        .await
}

async fn figures(browser: &Browser, department: Option<i64>) -> Value {
    let response = scope(browser, department).await;
    assert_eq!(response.status(), 200);
    let page: Value = response.json().await.expect("json");
    page["statistics"]["figures"].clone()
}

/// The departments of a subtree, by plain recursive SQL.
async fn subtree(db: &PgPool, root: i64) -> Vec<i64> {
    sqlx::query_scalar(
        "WITH RECURSIVE t AS (SELECT id FROM departments WHERE id = $1
                             UNION ALL SELECT d.id FROM departments d JOIN t ON d.parent_id = t.id)
         SELECT id FROM t",
    )
    .bind(root)
    .fetch_all(db)
    .await
    .expect("subtree")
}

async fn sql_count(db: &PgPool, sql: &'static str, departments: &[i64]) -> i64 {
    sqlx::query_scalar(sql)
        .bind(departments)
        .fetch_one(db)
        .await
        .expect(sql)
}

async fn due_on(db: &PgPool, item: i64) -> Option<chrono::NaiveDate> {
    sqlx::query_scalar("SELECT due_on FROM equipment WHERE id = $1")
        .bind(item)
        .fetch_one(db)
        .await
        .expect("due_on")
}

fn int(v: &Value) -> i64 {
    v.as_i64().unwrap_or_else(|| panic!("not an integer: {v}"))
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn figures_equal_what_plain_sql_counts_for_every_scope(pool: PgPool) {
    let s = seed(&pool).await;
    refresh(&pool, s.now).await;
    let app = spawn_in_utc(pool.clone()).await;
    let carol = signed_in(&app, "carol").await;

    let root: i64 = sqlx::query_scalar("SELECT id FROM departments WHERE code = 'ROOT'")
        .fetch_one(&pool)
        .await
        .expect("root");
    for department in [root, s.org.department, s.org.other_department] {
        let ids = subtree(&pool, department).await;
        let f = figures(&carol, Some(department)).await;
        for status in ["available", "in_use", "under_repair", "scrapped"] {
            let expected = sqlx::query_scalar::<_, i64>(
                "SELECT count(*) FROM equipment WHERE department_id = ANY($1) AND status = $2",
            )
            .bind(&ids)
            .bind(status)
            .fetch_one(&pool)
            .await
            .expect("count");
            assert_eq!(
                int(&f["by_status"][status]),
                expected,
                "{status} in {department}"
            );
        }
        let by_category: i64 = f["by_category"]
            .as_array()
            .expect("categories")
            .iter()
            .map(|c| int(&c["count"]))
            .sum();
        let total = sql_count(
            &pool,
            "SELECT count(*) FROM equipment WHERE department_id = ANY($1)",
            &ids,
        )
        .await;
        assert_eq!(by_category, total, "categories add up in {department}");
        let weeks: i64 = f["weeks"]
            .as_array()
            .expect("weeks")
            .iter()
            .map(|w| int(&w["borrow"]) + int(&w["return_"]) + int(&w["repair"]) + int(&w["scrap"]))
            .sum();
        let recent = sqlx::query_scalar::<_, i64>(
            "SELECT count(*) FROM equipment_requests WHERE department_id = ANY($1)
               AND created_at >= (date_trunc('week', $2::timestamptz AT TIME ZONE 'UTC')
                                  - interval '11 weeks') AT TIME ZONE 'UTC'",
        )
        .bind(&ids)
        .bind(s.now)
        .fetch_one(&pool)
        .await
        .expect("recent");
        assert_eq!(weeks, recent, "requests per week add up in {department}");
        let outcomes: i64 = f["weeks"]
            .as_array()
            .expect("weeks")
            .iter()
            .map(|w| {
                int(&w["approved"])
                    + int(&w["rejected"])
                    + int(&w["cancelled"])
                    + int(&w["pending"])
            })
            .sum();
        assert_eq!(outcomes, recent, "outcomes add up in {department}");
    }

    // The organisation (an admin's default) against known values.
    let org = figures(&carol, None).await;
    assert_eq!(int(&org["by_status"]["in_use"]), 1);
    assert_eq!(int(&org["overdue_total"]), 1);
    assert_eq!(org["overdue"][0]["holder"], "alice");
    assert_eq!(int(&org["overdue"][0]["days_overdue"]), 3);
    // Decided in 90 days: leads 2, 4, 10, 6 (rejected), 1, 1 hours.
    let all = &org["lead_times"][0];
    assert!(all["kind"].is_null(), "all kinds first: {all}");
    assert_eq!(int(&all["decided"]), 6);
    assert!(
        (all["median_hours"].as_f64().expect("median") - 3.0).abs() < 0.01,
        "{all}"
    );
    let p90 = all["p90_hours"].as_f64().expect("p90");
    assert!((p90 - 8.0).abs() < 0.01, "p90 of 1,1,2,4,6,10 is 8: {all}");
    // Top borrowers in 90 days: alice 2 loans, dave 1 (his 200-day-old one is out).
    let top: Vec<(String, i64)> = org["top_borrowers"]
        .as_array()
        .expect("top")
        .iter()
        .map(|b| {
            (
                b["name"].as_str().unwrap_or_default().to_owned(),
                int(&b["loans"]),
            )
        })
        .collect();
    assert_eq!(top, [("alice".to_owned(), 2), ("dave".to_owned(), 1)]);
    // Laptops: alice's current loan (240 h) and the returned one (54 h), over
    // 3 lendable laptops in TEAM plus none lendable in OTHER (scrapped) plus the
    // one under repair: 4 lendable laptops × 720 h.
    let laptops = org["utilisation"]
        .as_array()
        .expect("utilisation")
        .iter()
        .find(|u| int(&u["category_id"]) == s.laptops)
        .expect("laptops")
        .clone();
    assert_eq!(int(&laptops["items"]), 4);
    let hours = laptops["hours_in_use"].as_f64().expect("hours");
    assert!((hours - 294.0).abs() < 0.1, "{laptops}");
    assert!((laptops["share"].as_f64().expect("share") - 294.0 / (4.0 * 720.0)).abs() < 0.001);
    let cameras = org["utilisation"]
        .as_array()
        .expect("utilisation")
        .iter()
        .find(|u| int(&u["category_id"]) == s.cameras)
        .expect("cameras")
        .clone();
    assert!(
        (cameras["hours_in_use"].as_f64().expect("hours") - 10.0).abs() < 0.1,
        "dave's 10 h loan: {cameras}"
    );

    // The user console reads the same snapshot and says when it was taken.
    let overview: Value = carol
        .call("/api/rpc/equipment_overview", &[])
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(overview["counts"], org["by_status"]);
    assert!(overview["as_of"].is_string(), "{overview}");

    // OTHER sees neither alice's loans nor her overdue item.
    let other = figures(&carol, Some(s.org.other_department)).await;
    assert_eq!(int(&other["overdue_total"]), 0);
    assert_eq!(other["top_borrowers"][0]["name"], "dave");
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn leaders_see_only_their_departments_and_users_none(pool: PgPool) {
    let s = seed(&pool).await;
    refresh(&pool, s.now).await;
    let app = spawn_in_utc(pool.clone()).await;
    let bob = signed_in(&app, "bob").await;
    let alice = signed_in(&app, "alice").await;

    let response = scope(&bob, None).await;
    assert_eq!(response.status(), 200);
    let page: Value = response.json().await.expect("json");
    assert_eq!(
        int(&page["selected"]),
        s.org.department,
        "a leader starts at their department"
    );
    let choices: Vec<i64> = page["choices"]
        .as_array()
        .expect("choices")
        .iter()
        .map(|c| int(&c["id"]))
        .collect();
    assert_eq!(
        choices,
        [s.org.department],
        "only their own subtree is offered"
    );
    assert!(page["statistics"]["computed_at"].is_string());
    assert_eq!(
        int(&page["statistics"]["figures"]["top_borrowers"][0]["loans"]),
        2
    );

    assert_eq!(
        scope(&bob, Some(s.org.other_department)).await.status(),
        403
    );
    assert_eq!(
        scope(&bob, Some(0)).await.status(),
        403,
        "the organisation is for admins"
    );
    assert_eq!(scope(&alice, None).await.status(), 403);
    let bad = bob
        .call("/api/rpc/statistics/scope", &[("department", "x")])
        .await;
    assert_eq!(bad.status(), 422);

    // The files follow the same rules.
    let other = format!(
        "/leader/statistics/status.csv?department={}",
        s.org.other_department
    );
    assert_eq!(bob.get(&other).await.status(), 403);
    assert_eq!(
        alice.get("/leader/statistics/status.svg").await.status(),
        403
    );
    assert_eq!(
        bob.get("/leader/statistics/nothing.svg").await.status(),
        404
    );
    assert_eq!(
        bob.get("/leader/statistics/overdue.svg").await.status(),
        404,
        "a list has no chart"
    );
    assert_eq!(
        bob.get("/leader/statistics/status.csv?department=x")
            .await
            .status(),
        400
    );
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn charts_and_csv_carry_the_figures_of_the_page(pool: PgPool) {
    let s = seed(&pool).await;
    refresh(&pool, s.now).await;
    let app = spawn_in_utc(pool.clone()).await;
    let bob = signed_in(&app, "bob").await;

    let csv = bob.get("/leader/statistics/status.csv?lang=en").await;
    assert_eq!(csv.status(), 200);
    assert!(
        csv.headers()["content-disposition"]
            .to_str()
            .expect("ascii")
            .contains("attachment")
    );
    let body = csv.text().await.expect("csv");
    let lines: Vec<&str> = body.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(
        lines,
        [
            "Status,Items",
            "Available,4",
            "In use,1",
            "Under repair,1",
            "Scrapped,0"
        ]
    );

    let chart = bob
        .get("/leader/statistics/weeks-by-kind.svg?lang=zh")
        .await;
    assert_eq!(chart.status(), 200);
    assert_eq!(
        chart.headers()["content-type"],
        "image/svg+xml; charset=utf-8"
    );
    let svg = chart.text().await.expect("svg");
    assert!(svg.starts_with("<svg"), "an SVG chart");
    assert!(svg.matches("<rect").count() > 4, "bars drawn");
    // Bars are coloured by kind; the key is HTML beside the chart (it reflows on a
    // phone where a key drawn in the SVG would cover the bars).
    assert!(!svg.contains("借用"), "no key drawn over the bars");

    // The page itself, without JavaScript: freshness, a chart per figure, tables.
    let html = bob
        .get("/leader/statistics")
        .await
        .text()
        .await
        .expect("html");
    let html = html.replace("<!>", "");
    assert!(html.contains("data-testid=\"stats-freshness\""));
    assert!(html.contains("/leader/statistics/categories.svg?department="));
    let weeks = html
        .split("data-testid=\"figure-weeks-by-kind\"")
        .nth(1)
        .expect("requests by week figure");
    let key = weeks
        .split("class=\"chart-legend\"")
        .nth(1)
        .and_then(|k| k.split("</ul>").next())
        .expect("its key");
    for (zh, en) in [
        ("借用", "Borrow"),
        ("归还", "Return"),
        ("报修", "Repair"),
        ("报废", "Scrap"),
    ] {
        assert!(
            key.contains(zh) || key.contains(en),
            "{en} in the key: {key}"
        );
    }
    assert!(
        key.contains("swatch swatch-"),
        "each with its colour: {key}"
    );
    let borrowers = html
        .split("data-testid=\"figure-top-borrowers\"")
        .nth(1)
        .expect("top borrowers figure");
    let row = borrowers
        .split("</tr>")
        .find(|r| r.contains("alice"))
        .expect("alice's row");
    assert!(row.contains(">2</td>"), "her two loans in the table: {row}");

    // A user's own figures and files.
    let alice = signed_in(&app, "alice").await;
    let mine: Value = alice
        .call("/api/rpc/statistics/mine", &[])
        .await
        .json()
        .await
        .expect("json");
    let held = mine["holding"].as_array().expect("holding");
    assert_eq!(held.len(), 1);
    let months: i64 = mine["months"]
        .as_array()
        .expect("months")
        .iter()
        .map(|m| {
            int(&m["pending"]) + int(&m["approved"]) + int(&m["rejected"]) + int(&m["cancelled"])
        })
        .sum();
    let alices: i64 =
        sqlx::query_scalar("SELECT count(*) FROM equipment_requests WHERE applicant_id = $1")
            .bind(s.org.user)
            .fetch_one(&pool)
            .await
            .expect("count");
    assert_eq!(
        months, alices,
        "every request of hers in the last 12 months"
    );
    let holding = alice
        .get("/statistics/holding.csv?lang=en")
        .await
        .text()
        .await
        .expect("csv");
    assert!(
        holding.contains(",3\n") || holding.contains(",3\r\n"),
        "three days overdue: {holding}"
    );
    assert_eq!(
        alice
            .get("/statistics/requests-by-month.svg")
            .await
            .status(),
        200
    );
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn one_node_refreshes_at_a_time_and_not_before_the_interval(pool: PgPool) {
    let now = Utc::now();
    let first = snapshot::refresh(&pool, Duration::from_secs(300), utc(now))
        .await
        .expect("refresh");
    assert!(matches!(first, Refresh::Done { .. }), "{first:?}");
    let again = snapshot::refresh(
        &pool,
        Duration::from_secs(300),
        utc(now + chrono::Duration::seconds(60)),
    )
    .await
    .expect("refresh");
    assert_eq!(again, Refresh::Fresh);

    // Another node holds the lock: this one does not wait for it.
    let mut other = pool.begin().await.expect("tx");
    sqlx::query("SELECT 1 FROM statistics_runs WHERE id = 1 FOR UPDATE")
        .execute(&mut *other)
        .await
        .expect("lock");
    let busy = snapshot::refresh(
        &pool,
        Duration::ZERO,
        utc(now + chrono::Duration::seconds(400)),
    )
    .await
    .expect("refresh");
    assert_eq!(busy, Refresh::Busy);
    other.rollback().await.expect("rollback");
    let later = snapshot::refresh(
        &pool,
        Duration::from_secs(300),
        utc(now + chrono::Duration::seconds(400)),
    )
    .await
    .expect("refresh");
    assert!(matches!(later, Refresh::Done { .. }), "{later:?}");
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn the_leader_console_counts_what_needs_attention_in_their_departments(pool: PgPool) {
    let s = seed(&pool).await;
    let app = spawn_in_utc(pool.clone()).await;
    let bob = signed_in(&app, "bob").await;
    let carol = signed_in(&app, "carol").await;
    // bob's own pending request is not his to decide.
    let item = crate::flows::available_item(&pool, s.org.department, "BOBS").await;
    filed(&bob, item, "repair").await;

    let console: Value = bob
        .call("/api/rpc/leader_console", &[])
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        console["attention"],
        serde_json::json!({"pending": 1, "overdue": 1, "under_repair": 1})
    );
    let names: Vec<&str> = console["departments"]
        .as_array()
        .expect("departments")
        .iter()
        .map(|d| d["name"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(names, ["TEAM"], "only bob's departments");

    refresh(&pool, Utc::now()).await;
    let console: Value = carol
        .call("/api/rpc/leader_console", &[])
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        console["attention"]["pending"], 2,
        "the admin may decide both"
    );
    assert_eq!(console["departments"].as_array().map(Vec::len), Some(3));
    let team = console["departments"]
        .as_array()
        .expect("departments")
        .iter()
        .find(|d| d["name"] == "TEAM")
        .expect("team")
        .clone();
    assert_eq!(int(&team["equipment"]), 7);

    // Approving a loan records its due date; the return clears it.
    let alice = signed_in(&app, "alice").await;
    let loan = filed(&alice, item, "borrow").await;
    assert_eq!(decide(&carol, loan, "approve").await.status(), 200);
    assert_eq!(
        due_on(&pool, item).await.map(|d| d.to_string()),
        Some(crate::flows::today(7)),
        "the loan's last day, as filed"
    );
    let back = filed(&alice, item, "return").await;
    assert_eq!(decide(&bob, back, "approve").await.status(), 200);
    assert_eq!(due_on(&pool, item).await, None);
}

/// Between 00:00 and 08:00 in Beijing it is still yesterday in UTC: the
/// organisation's day decides which week a request counts in and whether a
/// loan is overdue.
#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn the_organisations_day_decides_weeks_and_overdue_loans(pool: PgPool) {
    let org = org(&pool).await;
    let laptops = category(&pool, "LAP").await;
    let ids = items(&pool, "TZ", laptops, org.department, "available", 2).await;
    // Monday 2026-11-30 01:30 in Beijing, Sunday 17:30 in UTC.
    let now: DateTime<Utc> = "2026-11-29T17:30:00Z".parse().expect("instant");
    sqlx::query(
        "UPDATE equipment SET status = 'in_use', holder_id = $2, due_on = '2026-11-29' WHERE id = $1",
    )
    .bind(ids[0])
    .bind(org.user)
    .execute(&pool)
    .await
    .expect("lend");
    // Filed at Monday 00:30 in Beijing (Sunday 16:30 UTC).
    sqlx::query(
        "INSERT INTO equipment_requests (kind, equipment_id, applicant_id, department_id, status,
                reason, created_at)
         VALUES ('repair', $1, $2, $3, 'pending', 'tz', '2026-11-29T16:30:00Z')",
    )
    .bind(ids[1])
    .bind(org.user)
    .bind(org.department)
    .execute(&pool)
    .await
    .expect("request");
    let beijing = app::clock::OrgClock::for_zone(chrono_tz::Asia::Shanghai);
    for _ in 0..50 {
        let clock = app::statistics::compute::Clock {
            now,
            zone: &beijing,
        };
        match snapshot::refresh(&pool, Duration::ZERO, clock)
            .await
            .expect("refresh")
        {
            Refresh::Done { .. } => break,
            _ => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
    let (_, figures) = snapshot::read(&pool, org.department)
        .await
        .expect("read")
        .expect("figures");
    let last = figures.weeks.last().expect("weeks");
    assert_eq!(last.week.to_string(), "2026-11-30", "Beijing's Monday");
    assert_eq!(
        (last.repair, last.pending),
        (1, 1),
        "counted in Beijing's new week: {last:?}"
    );
    assert_eq!(
        figures
            .overdue
            .iter()
            .map(|o| o.days_overdue)
            .collect::<Vec<_>>(),
        [1],
        "due on the 29th, and it is the 30th in Beijing"
    );
}
