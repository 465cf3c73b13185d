//! The first personnel screen's server functions: scope, roles, audit.
use sqlx::PgPool;

use crate::browser::Browser;
use crate::helpers::TestApp;
use crate::users::{PASSWORD, org, outsider};

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

    let listed: Vec<serde_json::Value> = leader
        .call("/api/rpc/people/list", &[])
        .await
        .json()
        .await
        .expect("json");
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
                &[("user_id", &id), ("active", "false")],
            )
            .await;
        assert_eq!(response.status(), status, "user {user_id}");
        let response = leader
            .call("/api/rpc/people/reset-password", &[("user_id", &id)])
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
            .call("/api/rpc/people/reset-password", &[("user_id", &alice)])
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
    let listed: Vec<serde_json::Value> = admin
        .call("/api/rpc/people/list", &[])
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(listed.len(), 5, "an admin sees everyone");
    let searched: Vec<serde_json::Value> = admin
        .call("/api/rpc/people/list", &[("search", "dav")])
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(searched.len(), 1);
}
