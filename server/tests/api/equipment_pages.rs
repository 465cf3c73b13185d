//! The equipment pages render their data on the server (no JavaScript needed).
use equipflow_server::seed::seed_equipment;
use sqlx::PgPool;

use crate::browser::Browser;
use crate::helpers::TestApp;
use crate::users::{PASSWORD, org};

async fn html(browser: &Browser, path: &str) -> (u16, String) {
    let response = browser.get(path).await;
    let status = response.status().as_u16();
    (status, response.text().await.expect("html"))
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn the_list_and_the_detail_page_carry_their_data(pool: PgPool) {
    org(&pool).await;
    seed_equipment(&pool, 45, |_| {}).await.expect("seed");
    let (id, code): (i64, String) = sqlx::query_as(
        "SELECT id, asset_code FROM equipment ORDER BY created_at DESC, id DESC LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .expect("newest");
    let app = TestApp::spawn(pool).await;
    let browser = Browser::new(&app);
    browser.sign_in("alice", PASSWORD).await;

    let (status, list) = html(&browser, "/equipment").await;
    assert_eq!(status, 200);
    assert!(list.contains(&code), "the newest item is on page 1");
    assert_eq!(list.matches("class=\"asset-code\"").count(), 20);
    assert!(
        list.contains("cursor=v1."),
        "a load-more link to the next keyset page"
    );
    assert!(
        list.contains("aria-current=\"page\""),
        "the pager marks page 1"
    );

    let (status, page3) = html(&browser, "/equipment?page=3").await;
    assert_eq!(status, 200);
    assert_eq!(page3.matches("class=\"asset-code\"").count(), 5);

    let (status, detail) = html(&browser, &format!("/equipment/{id}")).await;
    assert_eq!(status, 200);
    assert!(detail.contains(&code));
    assert!(
        detail.contains(&format!("src=\"/equipment/{id}/label.svg\"")),
        "the page shows the QR label"
    );
    let label = browser.get(&format!("/equipment/{id}/label.svg")).await;
    assert_eq!(label.status(), 200);
    assert_eq!(label.headers()["content-type"], "image/svg+xml");
    let svg = label.text().await.expect("svg");
    assert!(svg.contains("<svg"), "{svg}");
    assert_eq!(
        browser.get("/equipment/999999/label.svg").await.status(),
        404
    );
    assert_eq!(
        Browser::new(&app)
            .get(&format!("/equipment/{id}/label.svg"))
            .await
            .status(),
        303,
        "anonymous visitors are sent to sign in"
    );
    let label = detail
        .split("class=\"qr-url\"")
        .nth(1)
        .expect("the label shows its address");
    assert!(
        label[..label.find("</span>").expect("span")].contains(&format!("/equipment/{id}")),
        "the label's address is the item's page"
    );

    let (status, forged) = html(&browser, "/equipment?cursor=v1.forged").await;
    assert_eq!(
        status, 422,
        "a damaged link shows a message on the page, with the error's status"
    );
    assert!(forged.contains("form-error"));
    let response = browser.get("/api/v1/equipment?cursor=v1.forged").await;
    assert_eq!(response.status(), 400);
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn an_item_that_does_not_exist_is_a_404_page(pool: PgPool) {
    org(&pool).await;
    let app = TestApp::spawn(pool).await;
    let browser = crate::browser::signed_in(&app, "alice").await;
    for path in ["/equipment/999999", "/equipment/0", "/equipment/abc"] {
        let (status, page) = html(&browser, path).await;
        assert_eq!(status, 404, "{path}");
        assert!(page.contains("status-code"), "{path}: the styled 404 page");
        assert!(
            !page.contains("status-error"),
            "{path}: not the error panel"
        );
    }
}

/// Found by a penetration test: 3 in 40 of these dropped the connection (a
/// panic: "I18n context is missing" in the 404 page drawn by the boundary).
#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn many_concurrent_404_pages_all_render(pool: PgPool) {
    org(&pool).await;
    let app = TestApp::spawn(pool).await;
    let browser = std::sync::Arc::new(crate::browser::signed_in(&app, "alice").await);
    for round in 0..4 {
        let pages = (0..30).map(|i| {
            let browser = browser.clone();
            async move {
                let path = match i % 3 {
                    0 => "/equipment/abc",
                    1 => "/equipment/999999",
                    _ => "/admin/equipment/abc/edit",
                };
                (path, html(&browser, path).await)
            }
        });
        for (path, (status, page)) in futures::future::join_all(pages).await {
            assert!(
                status == 404 || (status == 403 && path.starts_with("/admin")),
                "round {round} {path}: {status}: {page}"
            );
            assert!(
                page.contains("</html>"),
                "round {round} {path}: a whole page"
            );
        }
    }
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn editing_an_item_that_does_not_exist_is_a_404_page(pool: PgPool) {
    org(&pool).await;
    let app = TestApp::spawn(pool).await;
    let admin = crate::browser::signed_in(&app, "carol").await;
    for path in ["/admin/equipment/999999/edit", "/admin/equipment/abc/edit"] {
        let (status, page) = html(&admin, path).await;
        assert_eq!(status, 404, "{path}");
        assert!(page.contains("status-code"), "{path}: the styled 404 page");
        assert!(!page.contains("name=\"asset_code\""), "{path}: no form");
    }
    let (status, page) = html(&admin, "/admin/equipment/new").await;
    assert_eq!(status, 200);
    assert!(page.contains("name=\"asset_code\""), "the new-item form");
}
