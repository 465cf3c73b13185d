use equipflow_server::seed::seed_demo;
use secrecy::SecretString;
use sqlx::PgPool;

use crate::browser::Browser;
use crate::helpers::TestApp;
use crate::users::{PASSWORD, org};

async fn page(browser: &Browser, path: &str, language: &str) -> (u16, String) {
    let response = browser
        .client
        .get(browser.url(path))
        .header("accept-language", language)
        .send()
        .await
        .expect("request");
    let status = response.status().as_u16();
    (status, response.text().await.expect("body"))
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn the_home_page_is_rendered_on_the_server_in_the_preferred_language(pool: PgPool) {
    org(&pool).await;
    let app = TestApp::spawn(pool).await;
    let browser = Browser::new(&app);
    browser.sign_in("alice", PASSWORD).await;
    let (status, chinese) = page(&browser, "/", "zh-CN,zh;q=0.9").await;
    assert_eq!(status, 200);
    assert!(chinese.contains("用户工作台"), "{chinese}");
    assert!(
        chinese.contains(r#"lang="zh""#),
        "the html element names the language"
    );
    let (_, english) = page(&browser, "/", "en-US,en;q=0.9").await;
    assert!(english.contains("User console"), "{english}");
    assert!(
        english.contains("/pkg/equipflow.js"),
        "the hydration script is linked"
    );
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn console_pages_render_their_data_without_javascript(pool: PgPool) {
    seed_demo(&pool, &SecretString::from("a demo password".to_owned()))
        .await
        .expect("seed");
    let app = TestApp::spawn(pool).await;
    let leader = Browser::new(&app);
    leader.sign_in("demo-leader", "a demo password").await;
    let (status, html) = page(&leader, "/console", "en").await;
    assert_eq!(status, 200);
    assert!(html.contains("Equipment in total"), "{html}");
    assert!(
        html.contains(">200<"),
        "the total is in the HTML itself: {html}"
    );
    let (status, html) = page(&leader, "/leader", "zh-CN").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("研发中心") && html.contains("平台组"),
        "{html}"
    );
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn unknown_paths_get_the_styled_404_page(pool: PgPool) {
    org(&pool).await;
    let app = TestApp::spawn(pool).await;
    let browser = Browser::new(&app);
    browser.sign_in("alice", PASSWORD).await;
    let (status, html) = page(&browser, "/no/such/page", "en").await;
    assert_eq!(status, 404);
    assert!(html.contains("Page not found"), "{html}");
    assert!(html.contains("Back to home"));
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn the_language_link_sets_the_cookie_and_never_redirects_off_site(pool: PgPool) {
    org(&pool).await;
    let app = TestApp::spawn(pool).await;
    let response = app.get("/lang/en?next=/console").await;
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/console");
    let cookie = response.headers()["set-cookie"].to_str().unwrap();
    assert!(cookie.starts_with("i18n_pref_locale=en;"), "{cookie}");

    let response = app.get("/lang/zh?next=//evil.example/").await;
    assert_eq!(response.headers()["location"], "/");

    assert_eq!(app.get("/lang/fr").await.status(), 404);

    // The cookie wins over Accept-Language.
    let browser = Browser::new(&app);
    browser.sign_in("alice", PASSWORD).await;
    let url = app.address.parse().expect("url");
    browser
        .jar
        .add_cookie_str("i18n_pref_locale=zh; Path=/", &url);
    let html = browser
        .client
        .get(browser.url("/"))
        .header("accept-language", "en")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("用户工作台"));
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn anonymous_visits_go_to_login_and_come_back(pool: PgPool) {
    org(&pool).await;
    let app = TestApp::spawn(pool).await;
    let browser = Browser::new(&app);
    let response = browser.get("/leader/people?q=a").await;
    assert_eq!(response.status(), 303);
    assert_eq!(
        response.headers()["location"],
        "/login?next=/leader/people%3Fq%3Da"
    );
    let (status, html) = page(&browser, "/login?next=/leader/people", "zh-CN").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("账号密码") && html.contains("短信验证码"),
        "{html}"
    );
    let (_, html) = page(&browser, "/login?method=sms", "en").await;
    assert!(
        html.contains("Send code") && html.contains("one-time-code"),
        "{html}"
    );

    browser.sign_in("bob", PASSWORD).await;
    let response = browser.get("/login?next=/leader/people").await;
    assert_eq!(
        response.status(),
        303,
        "signed in, the login page sends you on"
    );
    assert_eq!(response.headers()["location"], "/leader/people");
    let (status, html) = page(&browser, "/leader/people", "en").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("alice") && html.contains("New user"),
        "{html}"
    );
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn a_user_opening_a_leader_page_gets_the_friendly_403(pool: PgPool) {
    org(&pool).await;
    let app = TestApp::spawn(pool).await;
    let browser = Browser::new(&app);
    browser.sign_in("alice", PASSWORD).await;
    for path in ["/leader", "/leader/people"] {
        let (status, html) = page(&browser, path, "en").await;
        assert_eq!(status, 403, "{path}");
        assert!(
            html.contains("You do not have access to this page"),
            "{html}"
        );
        assert!(
            !html.contains("New user") && !html.contains("研发"),
            "nothing of the page leaks"
        );
    }
    let (status, _) = page(&browser, "/admin/anything", "en").await;
    assert_eq!(status, 403, "a section without a page is refused too");
}
