//! SMS-code sign-in against the real Redis, with a stand-in gateway.
use app::error::{AppError, Limit};
use fred::prelude::*;
use sqlx::PgPool;

use crate::browser::Browser;
use crate::helpers::TestApp;
use crate::sms_gateway::FakeGateway;
use crate::users::org;

const PHONE: &str = "13900000001";

async fn spawn(pool: PgPool, gateway: &FakeGateway, extra: &[(&'static str, &str)]) -> TestApp {
    let mut overrides = gateway.settings();
    overrides.push(("EQUIPFLOW_LOGIN_ADDRESS_FAILURES", "1000".to_owned()));
    overrides.push(("EQUIPFLOW_TRUSTED_PROXY_HOPS", "1".to_owned()));
    for (k, v) in extra {
        overrides.push((k, (*v).to_owned()));
    }
    let refs: Vec<(&str, String)> = overrides.into_iter().collect();
    TestApp::spawn_with(pool, &refs).await
}

async fn send_code(browser: &Browser, phone: &str, from: &str) -> Result<String, (u16, AppError)> {
    let response = browser
        .client
        .post(browser.url("/api/rpc/auth/send-code"))
        .header("accept", "application/json")
        .header("x-forwarded-for", from)
        .form(&[("phone", phone)])
        .send()
        .await
        .expect("request");
    outcome(response).await
}

async fn code_login(
    browser: &Browser,
    challenge: &str,
    code: &str,
) -> Result<String, (u16, AppError)> {
    let response = browser
        .call(
            "/api/rpc/auth/code-login",
            &[("challenge", challenge), ("code", code)],
        )
        .await;
    outcome(response).await
}

async fn outcome(response: reqwest::Response) -> Result<String, (u16, AppError)> {
    let status = response.status().as_u16();
    let body = response.text().await.expect("body");
    if status == 200 {
        Ok(serde_json::from_str(&body).expect("json string"))
    } else {
        Err((
            status,
            serde_json::from_str(&body).unwrap_or_else(|_| panic!("{status}: {body}")),
        ))
    }
}

/// The answer was a 429 naming `limit`.
fn assert_limited(result: &Result<String, (u16, AppError)>, limit: Limit) {
    assert!(
        matches!(result, Err((429, AppError::TooManyRequests { limit: hit, .. })) if *hit == limit),
        "expected 429 {limit:?}, got {result:?}"
    );
}

fn challenge_key(app: &TestApp, challenge: &str) -> String {
    app.state
        .auth
        .settings
        .tagged_key("sms", &format!("c:{challenge}"), "challenge")
}

/// Lets the next code for `phone` (E.164) be sent at once.
async fn end_cooldown(app: &TestApp, phone: &str) {
    let key = app
        .state
        .auth
        .settings
        .tagged_key("sms", &format!("p:{phone}"), "cool");
    let _: () = app.state.redis.del(&key).await.expect("del");
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn failed_passwords_of_an_account_named_sms_leave_code_sign_in_alone(pool: PgPool) {
    org(&pool).await;
    let gateway = FakeGateway::start().await;
    let app = spawn(pool, &gateway, &[]).await;
    let attacker = Browser::new(&app);
    for _ in 0..12 {
        let status = attacker.login("sms", "guess").await.status();
        assert!(status == 401 || status == 429, "{status}");
    }
    assert_eq!(
        attacker.login("sms", "guess").await.status(),
        429,
        "the account called sms is locked"
    );
    let browser = Browser::new(&app);
    let challenge = send_code(&browser, PHONE, "10.0.0.1").await.expect("sent");
    let code = gateway.code_for(PHONE).await;
    assert_eq!(
        code_login(&browser, &challenge, &code).await,
        Ok("/console".to_owned()),
        "SMS sign-in has keys of its own"
    );
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn wrong_codes_count_per_phone_across_challenges(pool: PgPool) {
    org(&pool).await;
    let gateway = FakeGateway::start().await;
    let app = spawn(
        pool,
        &gateway,
        &[
            ("EQUIPFLOW_LOGIN_SLOW_AFTER", "1000"),
            ("EQUIPFLOW_LOGIN_LOCK_AFTER", "6"),
        ],
    )
    .await;
    let browser = Browser::new(&app);
    let first = send_code(&browser, PHONE, "10.0.0.1").await.expect("sent");
    let code = gateway.code_for(PHONE).await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for _ in 0..4 {
        assert!(matches!(
            code_login(&browser, &first, wrong).await,
            Err((401, AppError::WrongCode { .. }))
        ));
    }
    end_cooldown(&app, "+8613900000001").await;
    let second = send_code(&browser, PHONE, "10.0.0.1").await.expect("sent");
    let code = gateway.code_for(PHONE).await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for _ in 0..2 {
        assert!(matches!(
            code_login(&browser, &second, wrong).await,
            Err((401, AppError::WrongCode { .. }))
        ));
    }
    assert_limited(
        &code_login(&browser, &second, &code).await,
        Limit::AccountLocked,
    );
    // Another phone is not affected.
    let bobs = send_code(&browser, "13900000002", "10.0.0.1")
        .await
        .expect("sent");
    let code = gateway.code_for("13900000002").await;
    assert!(code_login(&browser, &bobs, &code).await.is_ok());
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn a_code_is_stored_hashed_for_five_minutes_and_works_once(pool: PgPool) {
    org(&pool).await;
    let gateway = FakeGateway::start().await;
    let app = spawn(pool, &gateway, &[]).await;
    let browser = Browser::new(&app);
    let challenge = send_code(&browser, PHONE, "10.0.0.1").await.expect("sent");
    let code = gateway.code_for(PHONE).await;
    assert_eq!(code.len(), 6);

    let key = challenge_key(&app, &challenge);
    let ttl: i64 = app.state.redis.ttl(&key).await.expect("ttl");
    assert!(ttl > 0 && ttl <= 300, "ttl {ttl}");
    let stored: std::collections::HashMap<String, String> =
        app.state.redis.hgetall(&key).await.expect("hash");
    assert!(
        stored.values().all(|v| !v.contains(&code)),
        "the code itself is never stored: {stored:?}"
    );

    let destination = code_login(&browser, &challenge, &code)
        .await
        .expect("signed in");
    assert_eq!(destination, "/console");
    let again = Browser::new(&app);
    assert_eq!(
        code_login(&again, &challenge, &code).await,
        Err((401, AppError::CodeExpired)),
        "single use"
    );
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn a_code_only_works_with_the_challenge_that_requested_it(pool: PgPool) {
    org(&pool).await;
    let gateway = FakeGateway::start().await;
    let app = spawn(pool, &gateway, &[]).await;
    let browser = Browser::new(&app);
    let first = send_code(&browser, PHONE, "10.0.0.1").await.expect("sent");
    let code = gateway.code_for(PHONE).await;
    let other = send_code(&browser, "13900000002", "10.0.0.1")
        .await
        .expect("sent");
    assert!(matches!(
        code_login(&browser, &other, &code).await,
        Err((401, AppError::WrongCode { .. }))
    ));
    assert!(code_login(&browser, &first, &code).await.is_ok());
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn twenty_parallel_wrong_guesses_count_exactly_five(pool: PgPool) {
    org(&pool).await;
    let gateway = FakeGateway::start().await;
    // Per-challenge counting alone: the phone's own limits are lifted here.
    let lifted = [
        ("EQUIPFLOW_LOGIN_SLOW_AFTER", "1000"),
        ("EQUIPFLOW_LOGIN_LOCK_AFTER", "1000"),
    ];
    let app = spawn(pool, &gateway, &lifted).await;
    let browser = Browser::new(&app);
    let challenge = send_code(&browser, PHONE, "10.0.0.1").await.expect("sent");
    let code = gateway.code_for(PHONE).await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let guesses = (0..20).map(|_| code_login(&browser, &challenge, wrong));
    let results = futures::future::join_all(guesses).await;
    let mut left: Vec<u32> = results
        .iter()
        .filter_map(|r| match r {
            Err((401, AppError::WrongCode { attempts_left })) => Some(*attempts_left),
            _ => None,
        })
        .collect();
    left.sort_unstable();
    assert_eq!(
        left,
        vec![1, 2, 3, 4],
        "four counted wrong guesses, each counted once"
    );
    let voided = results
        .iter()
        .filter(|r| matches!(r, Err((401, AppError::CodeExpired))))
        .count();
    assert_eq!(
        voided, 16,
        "the fifth voids the code; the rest find it gone"
    );
    assert_eq!(
        code_login(&browser, &challenge, &code).await,
        Err((401, AppError::CodeExpired))
    );
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn resends_follow_the_429_schedule(pool: PgPool) {
    org(&pool).await;
    let gateway = FakeGateway::start().await;
    let app = spawn(pool, &gateway, &[("EQUIPFLOW_SMS_HOURLY_GLOBAL", "7")]).await;
    let browser = Browser::new(&app);
    send_code(&browser, PHONE, "10.0.0.1")
        .await
        .expect("first code");
    let Err((
        429,
        AppError::TooManyRequests {
            limit,
            retry_after_secs,
        },
    )) = send_code(&browser, PHONE, "10.0.0.2").await
    else {
        panic!("a resend within 60 s is refused");
    };
    assert_eq!(limit, Limit::CodeCooldown);
    assert!((1..=60).contains(&retry_after_secs));

    // Five per address per hour, whatever the phones.
    for i in 0..4 {
        send_code(&browser, &format!("1370000000{i}"), "10.0.0.1")
            .await
            .expect("within the address cap");
    }
    let refused = send_code(&browser, "13700000009", "10.0.0.1").await;
    assert_limited(&refused, Limit::CodeVolume);

    // Ten per phone per day: simulate the cooldowns having passed.
    let settings = &app.state.auth.settings;
    let cooldown = settings.tagged_key("sms", "p:+8613600000000", "cool");
    let day = settings.tagged_key("sms", "p:+8613600000000", "day");
    let _: () = app
        .state
        .redis
        .set(&day, 10, None, None, false)
        .await
        .expect("set");
    let _: () = app.state.redis.del(&cooldown).await.expect("del");
    let refused = send_code(&browser, "13600000000", "10.0.0.3").await;
    assert_limited(&refused, Limit::CodeDaily);

    // The global hourly cap (7 here) stops everyone.
    send_code(&browser, "13500000001", "10.0.0.4")
        .await
        .expect("6th");
    send_code(&browser, "13500000002", "10.0.0.5")
        .await
        .expect("7th");
    let refused = send_code(&browser, "13500000003", "10.0.0.6").await;
    assert_limited(&refused, Limit::CodeVolume);
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn an_unknown_phone_gets_the_same_answer_and_no_sms(pool: PgPool) {
    org(&pool).await;
    let gateway = FakeGateway::start().await;
    let app = spawn(pool, &gateway, &[]).await;
    let browser = Browser::new(&app);
    let known = send_code(&browser, PHONE, "10.0.0.1").await.expect("known");
    let unknown = send_code(&browser, "13111111111", "10.0.0.2")
        .await
        .expect("unknown answers the same");
    assert_eq!(known.len(), unknown.len());
    let repeat = send_code(&browser, "13111111111", "10.0.0.2").await;
    assert_limited(&repeat, Limit::CodeCooldown);
    gateway.code_for(PHONE).await;
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert!(
        gateway
            .sent()
            .iter()
            .all(|s| !s.phone.ends_with("13111111111")),
        "no SMS to an unknown phone"
    );
    for guess in ["000000", "123456"] {
        assert!(code_login(&browser, &unknown, guess).await.is_err());
    }
}
