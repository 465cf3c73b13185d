//! Session cookies: 128-bit random ids, HttpOnly, SameSite=Lax, Path=/;
//! `Secure` and the `__Host-` prefix over HTTPS. Records live in Redis so
//! that any node serves any user; idle expiry is the session's TTL.
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};
use tower_sessions_redis_store::RedisStore;

pub type SessionLayer = SessionManagerLayer<RedisStore<fred::clients::Pool>>;

pub fn session_layer(
    redis: fred::clients::Pool,
    https: bool,
    idle: std::time::Duration,
) -> SessionLayer {
    let idle = time::Duration::seconds(i64::try_from(idle.as_secs()).unwrap_or(1800));
    SessionManagerLayer::new(RedisStore::new(redis))
        .with_name(if https {
            "__Host-equipflow"
        } else {
            "equipflow"
        })
        .with_secure(https)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_path("/")
        .with_expiry(Expiry::OnInactivity(idle))
}
