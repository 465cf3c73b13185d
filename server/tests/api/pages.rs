use equipflow_server::seed::seed_demo;
use secrecy::SecretString;
use sqlx::PgPool;

use crate::helpers::TestApp;

async fn page(app: &TestApp, path: &str, language: &str) -> (u16, String) {
    let response = app
        .client
        .get(app.url(path))
        .header("accept-language", language)
        .send()
        .await
        .expect("request");
    let status = response.status().as_u16();
    (status, response.text().await.expect("body"))
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn the_home_page_is_rendered_on_the_server_in_the_preferred_language(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let (status, chinese) = page(&app, "/", "zh-CN,zh;q=0.9").await;
    assert_eq!(status, 200);
    assert!(chinese.contains("用户工作台"), "{chinese}");
    assert!(
        chinese.contains(r#"lang="zh""#),
        "the html element names the language"
    );
    let (_, english) = page(&app, "/", "en-US,en;q=0.9").await;
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
    let (status, html) = page(&app, "/console", "en").await;
    assert_eq!(status, 200);
    assert!(html.contains("Equipment in total"), "{html}");
    assert!(
        html.contains(">200<"),
        "the total is in the HTML itself: {html}"
    );
    let (status, html) = page(&app, "/leader", "zh-CN").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("研发中心") && html.contains("平台组"),
        "{html}"
    );
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn unknown_paths_get_the_styled_404_page(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let (status, html) = page(&app, "/no/such/page", "en").await;
    assert_eq!(status, 404);
    assert!(html.contains("Page not found"), "{html}");
    assert!(html.contains("Back to home"));
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn the_language_link_sets_the_cookie_and_never_redirects_off_site(pool: PgPool) {
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
    let html = app
        .client
        .get(app.url("/"))
        .header("accept-language", "en")
        .header("cookie", "i18n_pref_locale=zh")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("用户工作台"));
}
