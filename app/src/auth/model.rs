//! Who is signed in, as both sides of the wire see it.
use serde::{Deserialize, Serialize};

/// Roles are ordered: each one can do everything the ones below it can.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    User,
    Leader,
    Admin,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::User, Role::Leader, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::User => "user",
            Role::Leader => "leader",
            Role::Admin => "admin",
        }
    }

    pub fn parse(value: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.as_str() == value)
    }

    /// Where this role lands after signing in.
    pub fn home_path(self) -> &'static str {
        match self {
            Role::User => "/console",
            Role::Leader | Role::Admin => "/leader",
        }
    }
}

/// The signed-in user, as pages show them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedInUser {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub department_id: i64,
    pub must_change_password: bool,
}

/// A path on this site, safe to redirect to: `/x`, never `//host`, `/\host`,
/// a scheme, a backslash or a control character (no open redirect, no
/// header injection).
pub fn is_local_path(path: &str) -> bool {
    path.starts_with('/')
        && !path.starts_with("//")
        && !path.chars().any(|c| c.is_control() || c == '\\')
        && path.len() <= 512
}

/// Where to go after login: a local path that is not the login page itself
/// nor an API endpoint.
pub fn safe_next_path(next: &str) -> Option<&str> {
    let ok = is_local_path(next) && !next.starts_with("/login") && !next.starts_with("/api/");
    ok.then_some(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_paths_stay_on_this_site() {
        assert_eq!(safe_next_path("/leader?x=1"), Some("/leader?x=1"));
        for bad in [
            "https://evil.example/",
            "//evil.example/",
            "/\\evil.example",
            "javascript:alert(1)",
            "",
            "leader",
            "/login?next=/x",
            "/ok\r\nSet-Cookie: a=b",
        ] {
            assert_eq!(safe_next_path(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn roles_are_ordered() {
        assert!(Role::User < Role::Leader && Role::Leader < Role::Admin);
        assert_eq!(Role::parse("leader"), Some(Role::Leader));
        assert_eq!(Role::parse("root"), None);
    }
}
