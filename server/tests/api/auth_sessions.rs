//! Sessions in Redis: rotation at sign-in, logout, cookie attributes, and
//! the per-user epoch that ends sessions everywhere.
use fred::prelude::*;
use sqlx::PgPool;

use crate::browser::Browser;
use crate::helpers::TestApp;
use crate::users::{PASSWORD, org};

async fn me(browser: &Browser) -> serde_json::Value {
    let response = browser.call("/api/rpc/auth/me", &[]).await;
    assert_eq!(response.status(), 200);
    response.json().await.expect("json")
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn the_session_id_changes_at_login_and_the_old_one_is_anonymous(pool: PgPool) {
    org(&pool).await;
    let app = TestApp::spawn(pool).await;
    let browser = Browser::new(&app);
    browser.sign_in("alice", PASSWORD).await;
    let first = browser.session_id().expect("a session cookie");
    assert_eq!(first.len(), 22, "128 random bits, base64url");
    browser.sign_in("bob", PASSWORD).await;
    let second = browser.session_id().expect("a session cookie");
    assert_ne!(first, second, "signing in rotates the id");
    assert_eq!(me(&browser).await["username"], "bob");

    let replay = Browser::new(&app);
    replay.set_session_id(&first);
    assert_eq!(
        me(&replay).await,
        serde_json::Value::Null,
        "the old id is worth nothing"
    );
    let exists: bool = app.state.redis.exists(&first).await.expect("exists");
    assert!(!exists, "the old session was deleted from Redis");
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn cookies_are_http_only_same_site_and_secure_over_https(pool: PgPool) {
    org(&pool).await;
    let app = TestApp::spawn(pool.clone()).await;
    let response = Browser::new(&app).login("alice", PASSWORD).await;
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(cookie.starts_with("equipflow="), "{cookie}");
    for part in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(part), "{part} in {cookie}");
    }
    assert!(!cookie.contains("Secure"), "plain http in development");

    let https = TestApp::spawn_with(pool, &[("EQUIPFLOW_SECURE_COOKIES", "1".to_owned())]).await;
    let response = Browser::new(&https).login("alice", PASSWORD).await;
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(cookie.starts_with("__Host-equipflow="), "{cookie}");
    assert!(
        cookie.contains("Secure") && cookie.contains("Path=/") && !cookie.contains("Domain"),
        "{cookie}"
    );
    assert!(
        response.headers()["strict-transport-security"]
            .to_str()
            .unwrap()
            .contains("max-age=31536000")
    );
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn logout_deletes_the_session_in_redis(pool: PgPool) {
    org(&pool).await;
    let app = TestApp::spawn(pool).await;
    let browser = Browser::new(&app);
    browser.sign_in("alice", PASSWORD).await;
    let id = browser.session_id().expect("cookie");
    let response = browser
        .client
        .post(browser.url("/logout"))
        .send()
        .await
        .expect("logout");
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/login");
    let exists: bool = app.state.redis.exists(&id).await.expect("exists");
    assert!(!exists);
    let replay = Browser::new(&app);
    replay.set_session_id(&id);
    assert_eq!(me(&replay).await, serde_json::Value::Null);
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn a_disabled_users_session_is_refused_on_the_next_request(pool: PgPool) {
    let org = org(&pool).await;
    let app = TestApp::spawn(pool).await;
    let alice = Browser::new(&app);
    alice.sign_in("alice", PASSWORD).await;
    assert_eq!(alice.get("/console").await.status(), 200);
    let leader = Browser::new(&app);
    leader.sign_in("bob", PASSWORD).await;
    leader.set_active(org.user, false).await;
    // Other nodes may hold the user for up to a second; this node forgot at once.
    let page = alice.get("/console").await;
    assert_eq!(page.status(), 303);
    assert!(
        page.headers()["location"]
            .to_str()
            .unwrap()
            .starts_with("/login?next=")
    );
    assert_eq!(
        alice
            .call("/api/rpc/equipment_overview", &[])
            .await
            .status(),
        401
    );
    assert_eq!(
        alice.login("alice", PASSWORD).await.status(),
        401,
        "a disabled user cannot sign in"
    );
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn a_second_node_drops_a_disabled_users_session_within_a_second(pool: PgPool) {
    let org = org(&pool).await;
    let first = TestApp::spawn(pool.clone()).await;
    let second = TestApp::spawn(pool.clone()).await;
    let alice = Browser::new(&second);
    alice.sign_in("alice", PASSWORD).await;
    assert_eq!(me(&alice).await["username"], "alice");
    let leader = Browser::new(&first);
    leader.sign_in("bob", PASSWORD).await;
    leader.set_active(org.user, false).await;
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    assert_eq!(me(&alice).await, serde_json::Value::Null);
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn changing_the_password_ends_every_other_session(pool: PgPool) {
    org(&pool).await;
    let app = TestApp::spawn(pool.clone()).await;
    let laptop = Browser::new(&app);
    laptop.sign_in("alice", PASSWORD).await;
    let phone = Browser::new(&app);
    phone.sign_in("alice", PASSWORD).await;
    let new_password = "quiet harbour lantern 7";
    let response = laptop.change_password(PASSWORD, new_password).await;
    assert_eq!(
        response.status(),
        200,
        "{}",
        response.text().await.unwrap_or_default()
    );
    assert_eq!(
        me(&laptop).await["username"],
        "alice",
        "this session continues"
    );
    assert_eq!(
        me(&phone).await,
        serde_json::Value::Null,
        "the other one ended"
    );
    crate::users::assert_current_hash_parameters(&pool, "alice").await;
    assert_eq!(laptop.login("alice", PASSWORD).await.status(), 401);
    laptop.sign_in("alice", new_password).await;
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn weak_or_common_new_passwords_are_refused_with_the_field_named(pool: PgPool) {
    org(&pool).await;
    let app = TestApp::spawn(pool).await;
    let browser = Browser::new(&app);
    browser.sign_in("alice", PASSWORD).await;
    for (new, key) in [
        ("short", "password_too_short"),
        ("password123", "password_too_common"),
        ("alice2024", "password_too_common"),
    ] {
        let response = browser.change_password(PASSWORD, new).await;
        assert_eq!(response.status(), 422, "{new}");
        let body = response.text().await.expect("body");
        assert!(
            body.contains(key) && body.contains("new_password"),
            "{new}: {body}"
        );
    }
    let long =
        "a fairly long passphrase that keeps going well past sixty-four characters, unchanged";
    let response = browser.change_password("not it", long).await;
    assert_eq!(response.status(), 422);
    assert!(
        response
            .text()
            .await
            .expect("body")
            .contains("current_password_wrong")
    );
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn sessions_end_when_idle_and_at_their_absolute_limit(pool: PgPool) {
    org(&pool).await;
    let idle = TestApp::spawn_with(
        pool.clone(),
        // Redis keeps whole seconds (EXAT): an idle time of a few seconds
        // may lose up to one of them.
        &[("EQUIPFLOW_SESSION_IDLE_SECS", "4".to_owned())],
    )
    .await;
    let browser = Browser::new(&idle);
    browser.sign_in("alice", PASSWORD).await;
    for _ in 0..4 {
        tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
        assert_eq!(
            me(&browser).await["username"],
            "alice",
            "activity keeps an idle session alive"
        );
    }
    tokio::time::sleep(std::time::Duration::from_millis(5000)).await;
    assert_eq!(me(&browser).await, serde_json::Value::Null, "idle too long");

    // The absolute end is kept in whole seconds from a truncated sign-in
    // time, so a limit of 4 s lasts between 3 and 4 s: ask well inside 3 s,
    // then well past 4 s.
    let absolute =
        TestApp::spawn_with(pool, &[("EQUIPFLOW_SESSION_ABSOLUTE_SECS", "4".to_owned())]).await;
    let browser = Browser::new(&absolute);
    browser.sign_in("alice", PASSWORD).await;
    for _ in 0..2 {
        tokio::time::sleep(std::time::Duration::from_millis(1000)).await;
        assert_eq!(me(&browser).await["username"], "alice");
    }
    tokio::time::sleep(std::time::Duration::from_millis(3000)).await;
    assert_eq!(
        me(&browser).await,
        serde_json::Value::Null,
        "past the absolute limit, whatever the activity"
    );
}
