//! Departments and users for tests, written straight to the test database.
use sqlx::PgPool;

/// A department (root when `parent` is `None`); returns its id.
pub async fn department(db: &PgPool, code: &str, parent: Option<i64>) -> i64 {
    sqlx::query_scalar(
        "INSERT INTO departments (code, name, parent_id) VALUES ($1, $1, $2) RETURNING id",
    )
    .bind(code)
    .bind(parent)
    .fetch_one(db)
    .await
    .expect("insert department")
}

pub struct NewUser<'a> {
    pub username: &'a str,
    pub role: &'a str,
    pub department_id: i64,
    pub phone: Option<&'a str>,
}

pub async fn user_with_hash(db: &PgPool, new: &NewUser<'_>, hash: &str) -> i64 {
    sqlx::query_scalar(
        "INSERT INTO users (username, display_name, phone, password_hash, role, department_id)
         VALUES ($1, $1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(new.username)
    .bind(new.phone)
    .bind(hash)
    .bind(new.role)
    .bind(new.department_id)
    .fetch_one(db)
    .await
    .expect("insert user")
}

pub const PASSWORD: &str = "violet kettle orbit 42";

/// One department with a user, a leader and an admin, all with `PASSWORD`.
pub struct Org {
    pub department: i64,
    pub other_department: i64,
    pub user: i64,
    pub leader: i64,
    pub admin: i64,
}

pub async fn org(db: &PgPool) -> Org {
    let root = department(db, "ROOT", None).await;
    let department = department(db, "TEAM", Some(root)).await;
    let other_department = department_in(db, "OTHER", root).await;
    let hash = app::auth::password::hash_password(PASSWORD.to_owned())
        .await
        .expect("hash");
    let mk = |username: &'static str, role: &'static str, dept: i64, phone: &'static str| NewUser {
        username,
        role,
        department_id: dept,
        phone: Some(phone),
    };
    Org {
        department,
        other_department,
        user: user_with_hash(
            db,
            &mk("alice", "user", department, "+8613900000001"),
            &hash,
        )
        .await,
        leader: user_with_hash(
            db,
            &mk("bob", "leader", department, "+8613900000002"),
            &hash,
        )
        .await,
        admin: user_with_hash(db, &mk("carol", "admin", root, "+8613900000003"), &hash).await,
    }
}

/// "dave", a user of the other department (outside bob's), with `PASSWORD`.
pub async fn outsider(db: &PgPool, org: &Org) -> i64 {
    member(db, org, "dave", "user", org.other_department).await
}

/// Another account with `PASSWORD` (alice's hash), in `department_id`.
pub async fn member(db: &PgPool, org: &Org, username: &str, role: &str, department_id: i64) -> i64 {
    let hash: String = sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
        .bind(org.user)
        .fetch_one(db)
        .await
        .expect("hash");
    let new = NewUser {
        username,
        role,
        department_id,
        phone: None,
    };
    user_with_hash(db, &new, &hash).await
}

async fn department_in(db: &PgPool, code: &str, parent: i64) -> i64 {
    department(db, code, Some(parent)).await
}

/// The stored hash of `username`, checked to carry today's argon2id parameters.
pub async fn assert_current_hash_parameters(db: &PgPool, username: &str) {
    let hash: String = sqlx::query_scalar("SELECT password_hash FROM users WHERE username = $1")
        .bind(username)
        .fetch_one(db)
        .await
        .expect("hash");
    assert!(
        hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "{username}: {hash}"
    );
}
