//! The first personnel screen's server functions: scope, roles, audit.
use sqlx::PgPool;

use crate::browser::Browser;
use crate::helpers::TestApp;
use crate::users::{PASSWORD, org, outsider};

/// A server function's answer, insisting on 200.
async fn answer(browser: &Browser, path: &str, form: &[(&str, &str)]) -> serde_json::Value {
    let response = browser.call(path, form).await;
    assert_eq!(response.status(), 200, "{path} {form:?}");
    response.json().await.expect("json")
}

async fn list(browser: &Browser, form: &[(&str, &str)]) -> serde_json::Value {
    answer(browser, "/api/rpc/people/list", form).await
}

async fn rows(browser: &Browser, form: &[(&str, &str)]) -> Vec<serde_json::Value> {
    list(browser, form).await["rows"]
        .as_array()
        .expect("rows")
        .clone()
}

async fn audit_actions(pool: &PgPool, user_id: i64) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT action FROM audit_log WHERE entity_type = 'user' AND entity_id = $1 ORDER BY id",
    )
    .bind(user_id)
    .fetch_all(pool)
    .await
    .expect("audit")
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn a_leader_sees_and_manages_only_their_departments(pool: PgPool) {
    let org = org(&pool).await;
    let dave = outsider(&pool, &org).await;
    let app = TestApp::spawn(pool.clone()).await;
    let leader = Browser::new(&app);
    leader.sign_in("bob", PASSWORD).await;

    let listed = rows(&leader, &[]).await;
    let names: Vec<&str> = listed
        .iter()
        .filter_map(|p| p["username"].as_str())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(names.contains(&"alice") && names.contains(&"bob") && !names.contains(&"dave"));

    for (user_id, status) in [(dave, 404), (org.admin, 404), (org.leader, 422)] {
        let id = user_id.to_string();
        let response = leader
            .call(
                "/api/rpc/people/set-active",
                &[("user_id", &id), ("active", "false"), ("confirmed", "yes")],
            )
            .await;
        assert_eq!(response.status(), status, "user {user_id}");
        let response = leader
            .call(
                "/api/rpc/people/reset-password",
                &[("user_id", &id), ("confirmed", "yes")],
            )
            .await;
        assert_eq!(response.status(), status, "user {user_id}");
    }

    let other = org.other_department.to_string();
    let create = |department: &str, role: &str| {
        vec![
            ("username", "erin".to_owned()),
            ("display_name", "Erin".to_owned()),
            ("phone", "13900000009".to_owned()),
            ("department_id", department.to_owned()),
            ("role", role.to_owned()),
        ]
    };
    let team = org.department.to_string();
    for (form, field) in [
        (create(&other, "user"), "department_not_allowed"),
        (create(&team, "admin"), "role_not_allowed"),
    ] {
        let refs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let response = leader.call("/api/rpc/people/create", &refs).await;
        assert_eq!(response.status(), 422);
        assert!(response.text().await.expect("body").contains(field));
    }
    let form = create(&team, "leader");
    let refs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let issued: serde_json::Value = leader
        .call("/api/rpc/people/create", &refs)
        .await
        .json()
        .await
        .expect("json");
    let temporary = issued["password"]
        .as_str()
        .expect("temporary password")
        .to_owned();
    Browser::new(&app).sign_in("erin", &temporary).await;
    let response = leader.call("/api/rpc/people/create", &refs).await;
    assert_eq!(response.status(), 422);
    assert!(
        response
            .text()
            .await
            .expect("body")
            .contains("username_taken")
    );

    let alice = org.user.to_string();
    leader.set_active(org.user, false).await;
    leader.set_active(org.user, true).await;
    assert_eq!(
        leader
            .call(
                "/api/rpc/people/reset-password",
                &[("user_id", &alice), ("confirmed", "yes")],
            )
            .await
            .status(),
        200
    );
    assert_eq!(
        audit_actions(&pool, org.user).await,
        ["user.disabled", "user.enabled", "user.password_reset"]
    );
    let erin: i64 = issued["user_id"].as_i64().expect("id");
    assert_eq!(audit_actions(&pool, erin).await, ["user.created"]);
    let actor: i64 = sqlx::query_scalar("SELECT actor_id FROM audit_log WHERE entity_id = $1")
        .bind(erin)
        .fetch_one(&pool)
        .await
        .expect("actor");
    assert_eq!(actor, org.leader);

    let admin = Browser::new(&app);
    admin.sign_in("carol", PASSWORD).await;
    assert_eq!(rows(&admin, &[]).await.len(), 5, "an admin sees everyone");
    assert_eq!(rows(&admin, &[("search", "dav")]).await.len(), 1);
}

async fn update(browser: &Browser, user_id: i64, fields: &[(&str, &str)]) -> reqwest::Response {
    let id = user_id.to_string();
    let mut form = vec![
        ("user_id", id.as_str()),
        ("display_name", "Alice Wong"),
        ("phone", "13900000001"),
        ("role", "user"),
    ];
    // `fields` add to the defaults or replace them.
    form.retain(|(k, _)| !fields.iter().any(|(f, _)| f == k));
    form.extend_from_slice(fields);
    browser.call("/api/rpc/people/update", &form).await
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn a_leader_edits_moves_and_promotes_within_their_departments_only(pool: PgPool) {
    let org = org(&pool).await;
    let dave = outsider(&pool, &org).await;
    let lab: i64 = sqlx::query_scalar(
        "INSERT INTO departments (code, name, parent_id) VALUES ('LAB', 'Lab', $1) RETURNING id",
    )
    .bind(org.department)
    .fetch_one(&pool)
    .await
    .expect("lab");
    let app = TestApp::spawn(pool.clone()).await;
    let bob = Browser::new(&app);
    bob.sign_in("bob", PASSWORD).await;
    let (team, lab_id, other) = (
        org.department.to_string(),
        lab.to_string(),
        org.other_department.to_string(),
    );

    // Outside bob's departments, an admin, a role above his, a department not his.
    assert_eq!(
        update(&bob, dave, &[("department_id", &team)])
            .await
            .status(),
        404
    );
    assert_eq!(
        update(&bob, org.admin, &[("department_id", &team)])
            .await
            .status(),
        404
    );
    for (fields, key) in [
        (
            vec![("department_id", other.as_str())],
            "department_not_allowed",
        ),
        (
            vec![("department_id", team.as_str()), ("role", "admin")],
            "role_not_allowed",
        ),
        (
            vec![("department_id", team.as_str()), ("phone", "12")],
            "phone_invalid",
        ),
    ] {
        let response = update(&bob, org.user, &fields).await;
        assert_eq!(response.status(), 422, "{fields:?}");
        assert!(response.text().await.expect("body").contains(key), "{key}");
    }
    let unchanged: (String, i64) =
        sqlx::query_as("SELECT display_name, department_id FROM users WHERE id = $1")
            .bind(org.user)
            .fetch_one(&pool)
            .await
            .expect("alice");
    assert_eq!(
        unchanged,
        ("alice".to_owned(), org.department),
        "nothing half-written"
    );

    // Renamed and moved into Lab (below TEAM), promoted to leader.
    let response = update(
        &bob,
        org.user,
        &[("department_id", &lab_id), ("role", "leader")],
    )
    .await;
    assert_eq!(response.status(), 200);
    let row: serde_json::Value = response.json().await.expect("json");
    assert_eq!(row["display_name"], "Alice Wong");
    assert_eq!(row["department_name"], "Lab");
    assert_eq!(row["role"], "leader");
    assert_eq!(
        list(&bob, &[("search", "wong")]).await["total"],
        1,
        "still bob's: Lab is below TEAM"
    );
    let (action, before, after): (String, serde_json::Value, serde_json::Value) = sqlx::query_as(
        "SELECT action, before, after FROM audit_log WHERE entity_id = $1 ORDER BY id DESC LIMIT 1",
    )
    .bind(org.user)
    .fetch_one(&pool)
    .await
    .expect("audit");
    assert_eq!(action, "user.updated");
    assert_eq!(before["department_id"], org.department);
    assert_eq!(after["department_id"], lab);
    assert_eq!(
        (before["role"].as_str(), after["role"].as_str()),
        (Some("user"), Some("leader"))
    );
    assert_eq!(after["display_name"], "Alice Wong");

    // Saving the same values again writes no audit row.
    let audit_rows = audit_actions(&pool, org.user).await.len();
    let again = update(
        &bob,
        org.user,
        &[("department_id", &lab_id), ("role", "leader")],
    )
    .await;
    assert_eq!(again.status(), 200);
    assert_eq!(audit_actions(&pool, org.user).await.len(), audit_rows);
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn a_demotion_signs_the_person_out_at_once(pool: PgPool) {
    let org = org(&pool).await;
    let app = TestApp::spawn(pool.clone()).await;
    let carol = Browser::new(&app);
    carol.sign_in("carol", PASSWORD).await;
    let bob = Browser::new(&app);
    bob.sign_in("bob", PASSWORD).await;
    assert_eq!(bob.call("/api/rpc/people/list", &[]).await.status(), 200);

    let id = org.leader.to_string();
    let team = org.department.to_string();
    let form = [
        ("user_id", id.as_str()),
        ("display_name", "bob"),
        ("phone", "13900000002"),
        ("department_id", team.as_str()),
        ("role", "user"),
    ];
    assert_eq!(
        carol.call("/api/rpc/people/update", &form).await.status(),
        200
    );
    assert_eq!(
        bob.call("/api/rpc/equipment_overview", &[]).await.status(),
        401,
        "his session ended with the demotion"
    );
    bob.sign_in("bob", PASSWORD).await;
    assert_eq!(
        bob.call("/api/rpc/people/list", &[]).await.status(),
        403,
        "now a user"
    );
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn a_reset_password_must_be_replaced_before_anything_else(pool: PgPool) {
    let org = org(&pool).await;
    let app = TestApp::spawn(pool.clone()).await;
    let carol = Browser::new(&app);
    carol.sign_in("carol", PASSWORD).await;
    let id = org.user.to_string();
    let issued: serde_json::Value = carol
        .call(
            "/api/rpc/people/reset-password",
            &[("user_id", &id), ("confirmed", "yes")],
        )
        .await
        .json()
        .await
        .expect("json");
    let temporary = issued["password"].as_str().expect("password").to_owned();

    let alice = Browser::new(&app);
    alice.sign_in("alice", &temporary).await;
    let page = alice.get("/equipment").await;
    assert_eq!(page.status(), 303);
    assert_eq!(page.headers()["location"], "/account/password?required=1");
    let call = alice.call("/api/rpc/equipment_overview", &[]).await;
    assert_eq!(call.status(), 403);
    assert!(
        call.text()
            .await
            .expect("body")
            .contains("PasswordChangeRequired")
    );
    assert_eq!(alice.get("/account/password").await.status(), 200);

    let response = alice
        .change_password(&temporary, "a brand new walnut 73")
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        alice
            .call("/api/rpc/equipment_overview", &[])
            .await
            .status(),
        200
    );
    assert_eq!(alice.get("/equipment").await.status(), 200);
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn the_list_pages_through_everyone_with_a_total(pool: PgPool) {
    let org = org(&pool).await;
    sqlx::query(
        "INSERT INTO users (username, display_name, password_hash, department_id)
         SELECT 'member' || g, 'Member ' || lpad(g::text, 3, '0'), password_hash, $1
           FROM generate_series(1, 60) AS g, (SELECT password_hash FROM users WHERE id = $2) h",
    )
    .bind(org.department)
    .bind(org.user)
    .execute(&pool)
    .await
    .expect("members");
    let app = TestApp::spawn(pool.clone()).await;
    let bob = Browser::new(&app);
    bob.sign_in("bob", PASSWORD).await;

    let first = list(&bob, &[]).await;
    assert_eq!(first["total"], 62);
    assert_eq!(first["pages"], 2);
    let second = list(&bob, &[("page", "2")]).await;
    let ids = |page: &serde_json::Value| -> Vec<i64> {
        page["rows"]
            .as_array()
            .expect("rows")
            .iter()
            .filter_map(|r| r["id"].as_i64())
            .collect()
    };
    let mut all = ids(&first);
    assert_eq!(all.len(), 50);
    all.extend(ids(&second));
    all.sort_unstable();
    all.dedup();
    assert_eq!(all.len(), 62, "two pages, every person once");
    assert_eq!(
        list(&bob, &[("search", "member 00"), ("page", "1")]).await["total"],
        9
    );
    assert_eq!(
        bob.call("/api/rpc/people/list", &[("page", "0")])
            .await
            .status(),
        422
    );
    let refused = bob
        .call("/api/rpc/people/list", &[("search", "mem\0ber")])
        .await;
    assert_eq!(
        refused.status(),
        422,
        "a NUL in the search is named, not a 500"
    );
    let body: serde_json::Value = refused.json().await.expect("json");
    assert_eq!(body["Validation"]["field"], "q");
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn each_department_names_its_active_leaders(pool: PgPool) {
    let org = org(&pool).await;
    let app = TestApp::spawn(pool.clone()).await;
    let carol = Browser::new(&app);
    carol.sign_in("carol", PASSWORD).await;
    let leaders = answer(&carol, "/api/rpc/people/leaders", &[]).await;
    assert_eq!(
        leaders,
        serde_json::json!([{"department_id": org.department, "names": ["bob"]}])
    );
    carol.set_active(org.leader, false).await;
    let leaders = answer(&carol, "/api/rpc/people/leaders", &[]).await;
    assert_eq!(
        leaders,
        serde_json::json!([]),
        "a disabled leader leads nothing"
    );
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn a_phone_typed_two_ways_is_one_number(pool: PgPool) {
    let org = org(&pool).await;
    let app = TestApp::spawn(pool.clone()).await;
    let leader = Browser::new(&app);
    leader.sign_in("bob", PASSWORD).await;
    let team = org.department.to_string();
    let create = |username: &'static str, phone: &'static str| {
        let team = team.clone();
        let leader = &leader;
        async move {
            leader
                .call(
                    "/api/rpc/people/create",
                    &[
                        ("username", username),
                        ("display_name", username),
                        ("phone", phone),
                        ("department_id", &team),
                        ("role", "user"),
                    ],
                )
                .await
        }
    };
    assert_eq!(create("erin", "139 0000 0022").await.status(), 200);
    let stored: Option<String> =
        sqlx::query_scalar("SELECT phone FROM users WHERE username = 'erin'")
            .fetch_one(&pool)
            .await
            .expect("erin");
    assert_eq!(stored.as_deref(), Some("+8613900000022"), "stored as E.164");
    let again = create("frank", "+86-139-0000-0022").await;
    assert_eq!(again.status(), 422);
    assert!(again.text().await.expect("body").contains("phone_taken"));
    let nonsense = create("gina", "12345").await;
    assert_eq!(nonsense.status(), 422);
    assert!(
        nonsense
            .text()
            .await
            .expect("body")
            .contains("phone_invalid")
    );
}
