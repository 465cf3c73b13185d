//! Every server function is guarded: an explicit table of all of them, so a
//! new server function without an entry (or without a guard) fails here.
use app::auth::Role;
use app::auth::guard::RequestAuth;
use app::auth::principal::Principal;
use app::error::AppError;
use axum::body::Body;
use axum::http::{Method, Request};
use leptos::prelude::provide_context;
use sqlx::PgPool;

use crate::browser::Browser;
use crate::helpers::TestApp;
use crate::users::{PASSWORD, org};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Guard {
    Public,
    Needs(Role),
}

/// Every server function, who may call it, and arguments that decode.
const SERVER_FNS: &[(&str, Guard, &str)] = &[
    ("/api/rpc/auth/me", Guard::Public, ""),
    (
        "/api/rpc/auth/login",
        Guard::Public,
        "username=x&password=y",
    ),
    (
        "/api/rpc/auth/send-code",
        Guard::Public,
        "phone=13800000000",
    ),
    (
        "/api/rpc/auth/code-login",
        Guard::Public,
        "challenge=x&code=123456",
    ),
    (
        "/api/rpc/auth/change-password",
        Guard::Needs(Role::User),
        "current_password=a&new_password=b&confirm_password=c",
    ),
    ("/api/rpc/equipment_overview", Guard::Needs(Role::User), ""),
    ("/api/rpc/leader_console", Guard::Needs(Role::Leader), ""),
    ("/api/rpc/people/list", Guard::Needs(Role::Leader), ""),
    ("/api/rpc/people/leaders", Guard::Needs(Role::Leader), ""),
    (
        "/api/rpc/people/get",
        Guard::Needs(Role::Leader),
        "user_id=1",
    ),
    (
        "/api/rpc/people/update",
        Guard::Needs(Role::Leader),
        "user_id=1&display_name=x&department_id=1&role=user",
    ),
    ("/api/rpc/audit/trail", Guard::Needs(Role::Leader), ""),
    ("/api/rpc/statistics/mine", Guard::Needs(Role::User), ""),
    ("/api/rpc/statistics/scope", Guard::Needs(Role::Leader), ""),
    (
        "/api/rpc/people/departments",
        Guard::Needs(Role::Leader),
        "",
    ),
    (
        "/api/rpc/people/create",
        Guard::Needs(Role::Leader),
        "username=new&display_name=N&department_id=1&role=user",
    ),
    (
        "/api/rpc/people/set-active",
        Guard::Needs(Role::Leader),
        "user_id=999999&active=false",
    ),
    (
        "/api/rpc/people/reset-password",
        Guard::Needs(Role::Leader),
        "user_id=999999",
    ),
    ("/api/rpc/catalogue/get", Guard::Needs(Role::User), ""),
    (
        "/api/rpc/confirm/subject",
        Guard::Needs(Role::User),
        "action=cancel-request&id=999999",
    ),
    (
        "/api/rpc/catalogue/save-category",
        Guard::Needs(Role::Admin),
        "code=X&name=Y",
    ),
    (
        "/api/rpc/catalogue/save-department",
        Guard::Needs(Role::Admin),
        "code=X&name=Y",
    ),
    (
        "/api/rpc/equipment/list",
        Guard::Needs(Role::User),
        "params[page]=1",
    ),
    (
        "/api/rpc/equipment/detail",
        Guard::Needs(Role::User),
        "id=999999",
    ),
    (
        "/api/rpc/equipment/save",
        Guard::Needs(Role::Admin),
        "asset_code=X&name=Y&category_id=1&department_id=1",
    ),
    (
        "/api/rpc/equipment/retire",
        Guard::Needs(Role::Admin),
        "id=999999&version=1",
    ),
    (
        "/api/rpc/equipment/import",
        Guard::Needs(Role::Admin),
        "csv=asset_code",
    ),
    (
        "/api/rpc/requests/file",
        Guard::Needs(Role::User),
        "equipment_id=999999&kind=repair&reason=x",
    ),
    (
        "/api/rpc/requests/cancel",
        Guard::Needs(Role::User),
        "id=999999",
    ),
    ("/api/rpc/requests/mine", Guard::Needs(Role::User), ""),
    ("/api/rpc/approvals/pending", Guard::Needs(Role::Leader), ""),
    (
        "/api/rpc/approvals/decide",
        Guard::Needs(Role::Leader),
        "id=999999&decision=approve",
    ),
    (
        "/api/rpc/approvals/decide-many",
        Guard::Needs(Role::Leader),
        "ids[0]=999999&decision=reject",
    ),
    ("/api/rpc/notifications/inbox", Guard::Needs(Role::User), ""),
    (
        "/api/rpc/notifications/summary",
        Guard::Needs(Role::User),
        "",
    ),
    (
        "/api/rpc/notifications/mark-read",
        Guard::Needs(Role::User),
        "",
    ),
    ("/api/rpc/dead-letters/list", Guard::Needs(Role::Admin), ""),
    (
        "/api/rpc/dead-letters/requeue",
        Guard::Needs(Role::Admin),
        "message_id=x",
    ),
];

#[test]
fn the_table_lists_every_registered_server_function_and_all_use_post() {
    let mut registered: Vec<(String, Method)> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, method)| (path.to_owned(), method))
        .collect();
    registered.sort_by(|a, b| a.0.cmp(&b.0));
    let mut listed: Vec<&str> = SERVER_FNS.iter().map(|(path, _, _)| *path).collect();
    listed.sort_unstable();
    let registered_paths: Vec<&str> = registered.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(
        registered_paths, listed,
        "add the new server function to SERVER_FNS with its guard"
    );
    for (path, method) in &registered {
        assert_eq!(
            *method,
            Method::POST,
            "{path}: a GET encoding could be triggered cross-site"
        );
    }
    let public: Vec<&str> = SERVER_FNS
        .iter()
        .filter(|(_, guard, _)| *guard == Guard::Public)
        .map(|(path, _, _)| *path)
        .collect();
    let mut interceptor_public = equipflow_server::web::public_server_fns().to_vec();
    interceptor_public.sort_unstable();
    let mut public_sorted = public.clone();
    public_sorted.sort_unstable();
    assert_eq!(
        interceptor_public, public_sorted,
        "the interceptor lets exactly these through"
    );
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn through_http_anonymous_callers_get_401_and_low_roles_403(pool: PgPool) {
    org(&pool).await;
    let app = TestApp::spawn(pool).await;
    let anonymous = Browser::new(&app);
    let user = Browser::new(&app);
    user.sign_in("alice", PASSWORD).await;
    let leader = Browser::new(&app);
    leader.sign_in("bob", PASSWORD).await;
    let admin = Browser::new(&app);
    admin.sign_in("carol", PASSWORD).await;
    for (path, guard, args) in SERVER_FNS {
        let Guard::Needs(role) = guard else { continue };
        let form = decode(args);
        let refs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let response = send(&anonymous, path, &refs).await;
        assert_eq!(response.status(), 401, "{path} anonymous");
        for (browser, who, own_role) in [
            (&user, "user", Role::User),
            (&leader, "leader", Role::Leader),
            (&admin, "admin", Role::Admin),
        ] {
            let status = send(browser, path, &refs).await.status().as_u16();
            if own_role < *role {
                assert_eq!(status, 403, "{path} as a {who}");
            } else {
                assert!(![401, 403].contains(&status), "{path} as a {who}: {status}");
            }
        }
    }
}

/// As the pages send it: the import as a multipart form, the rest url-encoded.
async fn send(browser: &Browser, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
    if path == "/api/rpc/equipment/import" {
        let pasted = form
            .iter()
            .find(|(k, _)| *k == "csv")
            .map_or("", |(_, v)| *v);
        browser.import(None, pasted).await
    } else {
        browser.call(path, form).await
    }
}

fn decode(args: &str) -> Vec<(String, String)> {
    url::form_urlencoded::parse(args.as_bytes())
        .into_owned()
        .collect()
}

fn principal(id: i64, role: Role) -> Principal {
    Principal {
        id,
        username: "probe".into(),
        display_name: "probe".into(),
        phone: None,
        role,
        department_id: 1,
        active: true,
        session_epoch: 0,
        must_change_password: false,
    }
}

/// Calls a server function's own handler, with no interceptor in front.
async fn call_directly(
    app: &TestApp,
    path: &str,
    args: &str,
    user: Option<Principal>,
) -> Option<AppError> {
    // The import takes a multipart form (a file); every other one a url-encoded one.
    let (content_type, body) = if path == "/api/rpc/equipment/import" {
        let fields: String = decode(args)
            .iter()
            .map(|(name, value)| {
                format!("--B\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
            })
            .collect();
        (
            "multipart/form-data; boundary=B",
            format!("{fields}--B--\r\n"),
        )
    } else {
        ("application/x-www-form-urlencoded", args.to_owned())
    };
    let mut request = Request::builder()
        .method(Method::POST)
        .uri(path)
        .header("content-type", content_type)
        .header("accept", "application/json")
        .body(Body::from(body))
        .expect("request");
    request.extensions_mut().insert(RequestAuth {
        user,
        address: "127.0.0.1".parse().expect("ip"),
    });
    let state = app.state.clone();
    let response = leptos_axum::handle_server_fns_with_context(
        move || provide_context(state.clone()),
        request,
    )
    .await;
    let bytes = axum::body::to_bytes(
        axum::response::IntoResponse::into_response(response).into_body(),
        1 << 20,
    )
    .await
    .expect("body");
    serde_json::from_slice::<AppError>(&bytes).ok()
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn each_server_function_checks_the_caller_itself(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    for (path, guard, args) in SERVER_FNS {
        let Guard::Needs(role) = guard else { continue };
        let anonymous = call_directly(&app, path, args, None).await;
        assert_eq!(
            anonymous,
            Some(AppError::Unauthorized),
            "{path} has no guard at its first line"
        );
        if *role > Role::User {
            let low = call_directly(&app, path, args, Some(principal(999, Role::User))).await;
            assert_eq!(
                low,
                Some(AppError::Forbidden),
                "{path} does not check the role"
            );
        }
    }
}
