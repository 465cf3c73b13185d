//! Cross-site requests, body sizes and types, malformed input, headers, logs.
use sqlx::PgPool;

use crate::browser::Browser;
use crate::helpers::TestApp;
use crate::users::{PASSWORD, org};

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn cross_site_posts_are_refused_and_change_nothing(pool: PgPool) {
    org(&pool).await;
    let app = TestApp::spawn(pool).await;
    let form = [("username", "alice"), ("password", PASSWORD)];
    let attempts = [
        Browser::with_headers(&app, &[("sec-fetch-site", "cross-site")]),
        Browser::with_headers(&app, &[("sec-fetch-site", "same-site")]),
        Browser::with_headers(&app, &[("origin", "http://evil.example")]),
        Browser::with_headers(&app, &[]),
    ];
    for browser in &attempts {
        let response = browser.call("/api/rpc/auth/login", &form).await;
        assert_eq!(response.status(), 403);
        assert!(browser.session_id().is_none(), "no session was started");
    }
    let same_origin = Browser::with_headers(&app, &[("origin", app.address.as_str())]);
    assert_eq!(
        same_origin
            .call("/api/rpc/auth/login", &form)
            .await
            .status(),
        200,
        "an exact Origin passes"
    );

    // Signed in, a forged logout from another site leaves the session alone.
    let victim = Browser::new(&app);
    victim.sign_in("alice", PASSWORD).await;
    let forged = victim
        .client
        .post(victim.url("/logout"))
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .expect("post");
    assert_eq!(forged.status(), 403);
    assert_eq!(victim.get("/console").await.status(), 200);
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn oversized_mistyped_and_malformed_requests_get_clear_4xx(pool: PgPool) {
    let team = org(&pool).await.department.to_string();
    let app = TestApp::spawn(pool).await;
    let browser = Browser::new(&app);
    let big = "x".repeat(70 * 1024);
    let response = browser
        .call(
            "/api/rpc/auth/login",
            &[("username", &big), ("password", "p")],
        )
        .await;
    assert_eq!(response.status(), 413);

    let response = browser
        .client
        .post(browser.url("/api/rpc/auth/login"))
        .header("content-type", "application/json")
        .body(r#"{"username":"alice","password":"x"}"#)
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), 415);
    assert!(
        response
            .text()
            .await
            .expect("body")
            .contains("x-www-form-urlencoded")
    );

    let response = browser
        .call("/api/rpc/auth/login", &[("user", "alice")])
        .await;
    assert_eq!(response.status(), 400, "missing fields");
    browser.sign_in("bob", PASSWORD).await;
    let response = browser
        .call(
            "/api/rpc/people/set-active",
            &[("user_id", "abc"), ("active", "maybe")],
        )
        .await;
    assert_eq!(response.status(), 400, "wrong types");
    let response = browser
        .call(
            "/api/rpc/people/create",
            &[
                ("username", "X Y"),
                ("display_name", "N"),
                ("department_id", &team),
                ("role", "user"),
            ],
        )
        .await;
    assert_eq!(response.status(), 422);
    assert!(response.text().await.expect("body").contains("username"));
    let response = browser
        .call("/api/rpc/auth/send-code", &[("phone", "call me maybe")])
        .await;
    assert_eq!(response.status(), 422);
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn pages_carry_security_headers_and_a_nonce_csp(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let response = Browser::new(&app).get("/login").await;
    assert_eq!(response.status(), 200);
    let headers = response.headers().clone();
    let csp = headers["content-security-policy"].to_str().expect("ascii");
    for directive in [
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "'nonce-",
    ] {
        assert!(csp.contains(directive), "{directive} in {csp}");
    }
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["referrer-policy"], "same-origin");
    let html = response.text().await.expect("body");
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|s| s.split('\'').next())
        .expect("nonce");
    assert!(
        html.contains(&format!("nonce=\"{nonce}\"")),
        "inline scripts carry the nonce"
    );

    let file = Browser::new(&app).get("/healthz").await;
    assert!(
        file.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("default-src 'self'")
    );
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn the_development_sms_outbox_exists_only_when_enabled(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    assert_eq!(Browser::new(&app).get("/dev/sms").await.status(), 404);
    let enabled = TestApp::spawn_with(pool, &[("EQUIPFLOW_DEV_SMS_OUTBOX", "1".to_owned())]).await;
    let page = Browser::new(&enabled).get("/dev/sms").await;
    assert_eq!(page.status(), 200);
    assert!(
        page.text()
            .await
            .expect("body")
            .contains("Development SMS outbox")
    );
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn a_client_request_id_is_kept_only_when_well_formed(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let answered = |id: &'static str| {
        let client = app.client.clone();
        let url = format!("{}/healthz", app.address);
        async move {
            let response = client
                .get(url)
                .header("x-request-id", id)
                .send()
                .await
                .expect("healthz");
            response.headers()["x-request-id"]
                .to_str()
                .expect("ascii")
                .to_owned()
        }
    };
    assert_eq!(
        answered("f3a9c2e1d0b8a7f6e5d4c3b2a1908f7e").await,
        "f3a9c2e1d0b8a7f6e5d4c3b2a1908f7e"
    );
    for forged in ["abc level=ERROR msg=forged", "\"quoted\"", "x/../y"] {
        let id = answered(forged).await;
        assert_ne!(id, forged);
        assert!(uuid::Uuid::parse_str(&id).is_ok(), "{id}: one of ours");
    }
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn pages_and_json_are_never_stored_by_caches_and_features_are_off(pool: PgPool) {
    org(&pool).await;
    let app = TestApp::spawn(pool).await;
    let alice = Browser::new(&app);
    alice.sign_in("alice", PASSWORD).await;
    for path in [
        "/equipment",
        "/api/v1/equipment",
        "/notifications",
        "/login",
    ] {
        let response = alice.get(path).await;
        assert_eq!(
            response.headers()["cache-control"],
            "no-store",
            "{path}: {}",
            response.status()
        );
        let policy = response.headers()["permissions-policy"]
            .to_str()
            .expect("ascii");
        assert!(
            policy.contains("geolocation=()") && policy.contains("camera=(self)"),
            "{path}: {policy}"
        );
    }
    let missing = Browser::new(&app).get("/pkg/no-such-file.js").await;
    assert_eq!(missing.status(), 404);
    assert_eq!(missing.text().await.expect("body"), "not found");
}
