//! Which requests need a signed-in user, and which role.
use app::auth::Role;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Files and operational endpoints: no session is even loaded.
    Static,
    /// Open to everyone, but the session is resolved (login page, sign-in calls).
    Public,
    /// A page: anonymous visitors are sent to `/login?next=…`.
    Page(Role),
    /// An API call or server function: anonymous callers get 401.
    Api(Role),
}

const STATIC_PREFIXES: [&str; 2] = ["/pkg/", "/lang/"];
const STATIC_PATHS: [&str; 5] = [
    "/healthz",
    "/readyz",
    "/metrics",
    "/favicon.svg",
    "/dev/sms",
];
const PUBLIC_PATHS: [&str; 2] = ["/login", "/logout"];

/// The server functions anonymous callers may use: signing in.
pub fn public_server_fns() -> [&'static str; 4] {
    use app::auth::api::{CodeLogin, CurrentUser, Login, SendLoginCode};
    use leptos::server_fn::ServerFn;
    [
        <Login as ServerFn>::PATH,
        <SendLoginCode as ServerFn>::PATH,
        <CodeLogin as ServerFn>::PATH,
        <CurrentUser as ServerFn>::PATH,
    ]
}

pub fn classify(path: &str) -> Access {
    if STATIC_PATHS.contains(&path) || STATIC_PREFIXES.iter().any(|p| path.starts_with(p)) {
        return Access::Static;
    }
    if PUBLIC_PATHS.contains(&path) || public_server_fns().contains(&path) {
        return Access::Public;
    }
    if path.starts_with("/api/") {
        return Access::Api(Role::User);
    }
    Access::Page(page_role(path))
}

fn page_role(path: &str) -> Role {
    let under = |prefix: &str| path == prefix || path.starts_with(&format!("{prefix}/"));
    if under("/admin") {
        Role::Admin
    } else if under("/leader") {
        Role::Leader
    } else {
        Role::User
    }
}

/// Requests that are not the user's doing (live streams, polling) do not
/// extend an idle session.
/// Where someone signed in with a temporary password is sent.
pub const CHANGE_PASSWORD_PAGE: &str = "/account/password";

/// What a temporary password still opens: the page and call that replace it,
/// and the bell the page's header reads.
pub fn allowed_before_password_change(path: &str) -> bool {
    use app::auth::api::ChangePassword;
    use app::notifications::LoadInboxSummary;
    use leptos::server_fn::ServerFn;
    path == CHANGE_PASSWORD_PAGE
        || path == <ChangePassword as ServerFn>::PATH
        || path == <LoadInboxSummary as ServerFn>::PATH
        || is_background(path)
}

pub fn is_background(path: &str) -> bool {
    path == "/api/notifications/stream"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_need_the_role_of_their_section() {
        assert_eq!(classify("/"), Access::Page(Role::User));
        assert_eq!(classify("/leader"), Access::Page(Role::Leader));
        assert_eq!(classify("/leader/people"), Access::Page(Role::Leader));
        assert_eq!(classify("/leaderboard"), Access::Page(Role::User));
        assert_eq!(classify("/admin/dead-letters"), Access::Page(Role::Admin));
        assert_eq!(classify("/login"), Access::Public);
        assert_eq!(classify("/pkg/equipflow.wasm"), Access::Static);
        assert_eq!(classify("/api/rpc/auth/login"), Access::Public);
        assert_eq!(classify("/api/rpc/people/list"), Access::Api(Role::User));
        assert_eq!(classify("/api/v1/equipment"), Access::Api(Role::User));
    }
}
