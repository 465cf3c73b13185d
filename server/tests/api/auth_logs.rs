//! Authentication is logged, and never with a password, a code or a session id.
use std::io::Write;
use std::sync::{Arc, Mutex};

use sqlx::PgPool;
use tracing_subscriber::fmt::MakeWriter;

use crate::browser::Browser;
use crate::helpers::TestApp;
use crate::sms_gateway::FakeGateway;
use crate::users::{PASSWORD, org};

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("lock").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

/// One process-wide capture: the app logs from the runtime's worker threads,
/// so a thread-local subscriber would miss it. Every test running meanwhile
/// writes here too, which only widens what is checked.
fn capture() -> Captured {
    static CAPTURED: std::sync::OnceLock<Captured> = std::sync::OnceLock::new();
    CAPTURED
        .get_or_init(|| {
            let captured = Captured::default();
            let subscriber = tracing_subscriber::fmt()
                .with_env_filter("debug,sqlx=warn,hyper=info,h2=info,lapin=info,fred=info")
                .with_writer(captured.clone())
                .with_ansi(false)
                .finish();
            tracing::subscriber::set_global_default(subscriber)
                .expect("no other global subscriber in tests");
            captured
        })
        .clone()
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn logs_name_auth_events_but_no_secrets(pool: PgPool) {
    let captured = capture();

    let org = org(&pool).await;
    let gateway = FakeGateway::start().await;
    let overrides = gateway.settings();
    let app = TestApp::spawn_with(pool, &overrides).await;
    let mut secrets = vec![PASSWORD.to_owned(), "wrong-but-secret".to_owned()];

    let alice = Browser::new(&app);
    assert_eq!(alice.login("alice", "wrong-but-secret").await.status(), 401);
    alice.sign_in("alice", PASSWORD).await;
    secrets.push(alice.session_id().expect("session"));
    let new_password = "lantern quiet harbour 9";
    secrets.push(new_password.to_owned());
    let response = alice.change_password(PASSWORD, new_password).await;
    assert_eq!(response.status(), 200);
    secrets.push(alice.session_id().expect("session"));

    let phone = Browser::new(&app);
    let response = phone
        .call("/api/rpc/auth/send-code", &[("phone", "13900000002")])
        .await;
    let challenge: String = response.json().await.expect("challenge");
    let code = gateway.code_for("13900000002").await;
    secrets.push(code.clone());
    let response = phone
        .call(
            "/api/rpc/auth/code-login",
            &[("challenge", &challenge), ("code", &code)],
        )
        .await;
    assert_eq!(response.status(), 200);
    secrets.push(phone.session_id().expect("session"));

    let user_id = org.user.to_string();
    let response = phone
        .call(
            "/api/rpc/people/reset-password",
            &[("user_id", &user_id), ("confirmed", "yes")],
        )
        .await;
    let issued: serde_json::Value = response.json().await.expect("issued");
    secrets.push(issued["password"].as_str().expect("password").to_owned());

    let logs = String::from_utf8(captured.0.lock().expect("lock").clone()).expect("utf-8");
    assert!(
        logs.contains("password sign-in failed") && logs.contains("signed in"),
        "auth events are logged:\n{logs}"
    );
    assert!(logs.contains("password reset"), "{logs}");
    for secret in &secrets {
        assert!(
            !logs.contains(secret.as_str()),
            "a secret ({} chars) appears in the logs",
            secret.len()
        );
    }
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn a_server_facing_users_never_logs_a_development_code(pool: PgPool) {
    let captured = capture();
    let org = org(&pool).await;
    // A phone no other test uses, so any line naming it comes from here.
    sqlx::query("UPDATE users SET phone = '+8613900000055' WHERE id = $1")
        .bind(org.user)
        .execute(&pool)
        .await
        .expect("phone");
    let app = TestApp::spawn_with(
        pool,
        &[(
            "EQUIPFLOW_PUBLIC_ORIGIN",
            "https://equip.example".to_owned(),
        )],
    )
    .await;
    let browser =
        crate::browser::Browser::with_headers(&app, &[("origin", "https://equip.example")]);
    let response = browser
        .call("/api/rpc/auth/send-code", &[("phone", "139 0000 0055")])
        .await;
    assert_eq!(response.status(), 200);
    let withheld = crate::helpers::eventually(10, async || {
        let logs = String::from_utf8(captured.0.lock().expect("lock").clone()).expect("utf-8");
        logs.contains("a sign-in code was withheld")
    })
    .await;
    assert!(withheld, "the development sender says it withheld a code");
    let logs = String::from_utf8(captured.0.lock().expect("lock").clone()).expect("utf-8");
    assert!(
        !logs.contains("0000055"),
        "neither the phone nor its code is logged"
    );
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn a_stray_asset_request_logs_no_error(pool: PgPool) {
    let captured = capture();
    let app = TestApp::spawn(pool).await;
    let marker = format!("/pkg/stray-{}.js", uuid::Uuid::new_v4().simple());
    let response = Browser::new(&app).get(&marker).await;
    assert_eq!(response.status(), 404);
    let logs = String::from_utf8(captured.0.lock().expect("lock").clone()).expect("utf-8");
    let errors: Vec<&str> = logs
        .lines()
        .filter(|l| l.contains(&marker) && l.contains("ERROR"))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert!(
        !logs.contains("without the login interceptor"),
        "no server function ran for a file"
    );
}
