//! Password sign-in: answers, hash upgrades, brute-force limits, timing.
use std::time::{Duration, Instant};

use app::error::{AppError, Limit};
use sqlx::PgPool;

use crate::browser::Browser;
use crate::helpers::TestApp;
use crate::users::{NewUser, PASSWORD, org, user_with_hash};

async fn error_of(response: reqwest::Response) -> (u16, AppError) {
    let status = response.status().as_u16();
    let body = response.text().await.expect("body");
    (
        status,
        serde_json::from_str(&body).unwrap_or_else(|_| panic!("{status}: {body}")),
    )
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn a_wrong_password_and_an_unknown_account_get_the_same_answer(pool: PgPool) {
    org(&pool).await;
    let app = TestApp::spawn(pool).await;
    let browser = Browser::new(&app);
    let wrong = browser.login("alice", "not the password").await;
    let unknown = browser.login("nobody", "not the password").await;
    assert_eq!(error_of(wrong).await, (401, AppError::BadCredentials));
    assert_eq!(error_of(unknown).await, (401, AppError::BadCredentials));
    let ok = browser.login("Alice ", PASSWORD).await;
    assert_eq!(
        ok.status(),
        200,
        "account names are case- and space-insensitive"
    );
    assert_eq!(ok.json::<String>().await.expect("json"), "/console");
    let leader = Browser::new(&app);
    let response = leader
        .call(
            "/api/rpc/auth/login",
            &[
                ("username", "bob"),
                ("password", PASSWORD),
                ("next", "https://evil.example/"),
            ],
        )
        .await;
    assert_eq!(
        response.json::<String>().await.expect("json"),
        "/leader",
        "off-site next is ignored"
    );
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn a_hash_with_weaker_parameters_is_upgraded_at_login(pool: PgPool) {
    let department = crate::users::department(&pool, "OLD", None).await;
    let weak = {
        use argon2::{Algorithm, Argon2, Params, PasswordHasher, Version};
        let params = Params::new(4096, 1, 1, None).expect("params");
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
            .hash_password(PASSWORD.as_bytes())
            .expect("hash")
            .to_string()
    };
    let new = NewUser {
        username: "legacy",
        role: "user",
        department_id: department,
        phone: None,
    };
    user_with_hash(&pool, &new, &weak).await;
    let app = TestApp::spawn(pool.clone()).await;
    Browser::new(&app).sign_in("legacy", PASSWORD).await;
    crate::users::assert_current_hash_parameters(&pool, "legacy").await;
    Browser::new(&app).sign_in("legacy", PASSWORD).await;
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn failures_slow_down_then_lock_the_account_and_only_that_one(pool: PgPool) {
    org(&pool).await;
    let app = TestApp::spawn_with(
        pool,
        &[("EQUIPFLOW_LOGIN_ADDRESS_FAILURES", "1000".to_owned())],
    )
    .await;
    let browser = Browser::new(&app);
    for _ in 0..5 {
        assert_eq!(
            error_of(browser.login("alice", "wrong").await).await,
            (401, AppError::BadCredentials)
        );
    }
    let (status, error) = error_of(browser.login("alice", PASSWORD).await).await;
    assert_eq!(status, 429);
    assert_eq!(
        error,
        AppError::TooManyRequests {
            limit: Limit::SlowDown,
            retry_after_secs: 1
        },
        "after five failures each try waits, starting at a second"
    );
    browser.sign_in("bob", PASSWORD).await;

    // Waiting out each delay, failures 6 to 9 double it, the 10th locks.
    for expected_wait in [1u64, 2, 4, 8, 16] {
        let mut waited = 0;
        loop {
            let (status, error) = error_of(browser.login("alice", "wrong").await).await;
            match error {
                AppError::TooManyRequests {
                    limit: Limit::SlowDown,
                    retry_after_secs,
                } => {
                    assert!(retry_after_secs <= expected_wait);
                    tokio::time::sleep(Duration::from_millis(250)).await;
                    waited += 1;
                    assert!(waited < 80, "stuck waiting");
                }
                AppError::BadCredentials => break,
                other => panic!("{status} {other:?} while waiting {expected_wait} s"),
            }
            if expected_wait > 2 {
                // Skip the long waits: expire the delay key as time would.
                let slow = app.state.auth.settings.key(&["login", "slow", "alice"]);
                let _: () = fred::prelude::KeysInterface::del(&app.state.redis, &slow)
                    .await
                    .expect("del");
            }
        }
    }
    let (status, error) = error_of(browser.login("alice", PASSWORD).await).await;
    assert_eq!(status, 429);
    let AppError::TooManyRequests {
        limit: Limit::AccountLocked,
        retry_after_secs,
    } = error
    else {
        panic!("locked after ten failures: {error:?}");
    };
    assert!(
        (14 * 60..=15 * 60).contains(&retry_after_secs),
        "{retry_after_secs}"
    );
    Browser::new(&app).sign_in("carol", PASSWORD).await;
}

/// An office behind one NAT address signs in all morning; a password sprayer
/// behind one address is stopped after `EQUIPFLOW_LOGIN_ADDRESS_FAILURES`
/// failures (50 in 15 minutes by default), whatever accounts it tries.
#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn one_address_is_limited_by_its_failures_not_its_sign_ins(pool: PgPool) {
    org(&pool).await;
    let app = TestApp::spawn_with(pool, &[("EQUIPFLOW_TRUSTED_PROXY_HOPS", "1".to_owned())]).await;
    let from = |ip: &'static str| {
        Browser::with_headers(
            &app,
            &[("sec-fetch-site", "same-origin"), ("x-forwarded-for", ip)],
        )
    };
    let office = from("203.0.113.7");
    for i in 0..60 {
        let who = ["alice", "bob", "carol"][i % 3];
        assert_eq!(
            office.login(who, PASSWORD).await.status(),
            200,
            "sign-in {i}"
        );
    }
    let sprayer = from("203.0.113.9");
    for i in 0..50 {
        let status = sprayer
            .login(&format!("user{i}"), "Spring2026!")
            .await
            .status();
        assert_eq!(status, 401, "failure {i}");
    }
    let (status, error) = error_of(sprayer.login("alice", PASSWORD).await).await;
    assert_eq!(status, 429);
    assert!(matches!(
        error,
        AppError::TooManyRequests {
            limit: Limit::AddressAttempts,
            ..
        }
    ));
    office.sign_in("alice", PASSWORD).await;
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn wrong_current_passwords_count_like_failed_sign_ins(pool: PgPool) {
    org(&pool).await;
    let app = TestApp::spawn(pool).await;
    let alice = Browser::new(&app);
    alice.sign_in("alice", PASSWORD).await;
    for guess in 0..5 {
        let response = alice
            .change_password(&format!("guess {guess}"), "a fresh walnut 77")
            .await;
        assert_eq!(response.status(), 422, "guess {guess}");
    }
    let (status, error) =
        error_of(alice.change_password("guess 5", "a fresh walnut 77").await).await;
    assert_eq!(
        (status, error),
        (
            429,
            AppError::TooManyRequests {
                limit: Limit::SlowDown,
                retry_after_secs: 1
            }
        ),
        "after five wrong guesses each try waits, as at sign-in"
    );
    let (status, _) = error_of(Browser::new(&app).login("alice", PASSWORD).await).await;
    assert_eq!(status, 429, "the same account counter as signing in");
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort_unstable();
    samples[samples.len() / 2]
}

/// An unknown account must not answer faster than a wrong password: it goes
/// through the same argon2 verification (against a dummy hash of the same
/// cost, `password::tests`). Checked by counting verifications, not by
/// comparing two medians of a parallel suite on two cores (that flaked);
/// the only timing check is one no load can break: skipping the hash would
/// make unknown accounts answer in a fraction of the time.
#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn unknown_accounts_go_through_the_same_verification(pool: PgPool) {
    org(&pool).await;
    let limits_off = [
        ("EQUIPFLOW_LOGIN_ADDRESS_FAILURES", "100000".to_owned()),
        ("EQUIPFLOW_LOGIN_SLOW_AFTER", "100000".to_owned()),
        ("EQUIPFLOW_LOGIN_LOCK_AFTER", "100000".to_owned()),
        ("EQUIPFLOW_LOGIN_HOURLY_FAILURES", "100000".to_owned()),
    ];
    let app = TestApp::spawn_with(pool, &limits_off).await;
    let passwords = &app.state.auth.passwords;
    let browser = Browser::new(&app);
    let (mut unknown, mut wrong) = (Vec::new(), Vec::new());
    for i in 0..20 {
        let before = passwords.verifications();
        let start = Instant::now();
        let status = browser
            .login(&format!("nobody{i}"), "wrong password")
            .await
            .status();
        unknown.push(start.elapsed());
        assert_eq!(status, 401);
        assert_eq!(passwords.verifications(), before + 1, "unknown account {i}");
        let start = Instant::now();
        assert_eq!(browser.login("alice", "wrong password").await.status(), 401);
        wrong.push(start.elapsed());
        assert_eq!(passwords.verifications(), before + 2, "wrong password {i}");
    }
    let (unknown, wrong) = (median(unknown), median(wrong));
    assert!(
        unknown.as_secs_f64() >= 0.5 * wrong.as_secs_f64(),
        "unknown {unknown:?} vs wrong {wrong:?}"
    );
}
