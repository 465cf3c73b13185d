//! The ceiling of a cached read: a bare axum handler that takes the session
//! cookie, does one Redis GET keyed by it and answers with the short value,
//! with the Redis pool configured as the server configures its own (pool
//! size, TCP_NODELAY). No sessions, no middleware, no database.
//!
//! `bench-ceiling` reads `BENCH_CEILING_ADDR` (default `127.0.0.1:3900`),
//! `REDIS_URL` (default `redis://127.0.0.1:6379`), `BENCH_CEILING_PREFIX`
//! (default `bench:ceiling`) and `EQUIPFLOW_REDIS_POOL_SIZE` (default 4).
//! At start it stores a short JSON value under `{prefix}:{cookie}` for the
//! cookie value in `BENCH_CEILING_COOKIE` (default `ceiling`), so that
//! `curl -H 'Cookie: equipflow=<that value>'` answers 200 and anything else 404.
//!
//! `GET /sse` is the ceiling of a live notification stream (bench/events.sh):
//! a bare axum Server-Sent Events endpoint that sends nothing but heartbeats
//! at the app's interval — no session, no subscription, no replay.
//!
//! `GET /leptos` is the floor of a server-rendered page (see `leptos_page`).
mod leptos_page;

use std::convert::Infallible;
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use fred::prelude::*;
use fred::types::config::TcpConfig;

#[derive(Clone)]
struct Ceiling {
    redis: Pool,
    prefix: String,
    leptos: leptos_page::Render,
}

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_owned())
}

/// The value of cookie `equipflow` in the request, if any.
fn session_cookie(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find_map(|(name, value)| (name == "equipflow").then_some(value))
}

/// The value stored under the request's cookie: the one Redis GET every
/// ceiling does; its absence or failure is the answer.
pub(crate) async fn session_value(
    ceiling: &Ceiling,
    headers: &HeaderMap,
) -> Result<String, Response> {
    let Some(cookie) = session_cookie(headers) else {
        return Err(StatusCode::UNAUTHORIZED.into_response());
    };
    let key = format!("{}:{cookie}", ceiling.prefix);
    match ceiling.redis.get::<Option<String>, _>(key).await {
        Ok(Some(value)) => Ok(value),
        Ok(None) => Err(StatusCode::NOT_FOUND.into_response()),
        Err(error) => Err((StatusCode::SERVICE_UNAVAILABLE, error.to_string()).into_response()),
    }
}

async fn read(State(ceiling): State<Ceiling>, headers: HeaderMap) -> Response {
    match session_value(&ceiling, &headers).await {
        Ok(value) => ([(header::CONTENT_TYPE, "application/json")], value).into_response(),
        Err(response) => response,
    }
}

/// The app's heartbeat interval (server/src/web/notification_stream.rs).
const HEARTBEAT: Duration = Duration::from_secs(15);

async fn heartbeats() -> Sse<impl futures::Stream<Item = Result<Event, Infallible>>> {
    Sse::new(futures::stream::pending()).keep_alive(KeepAlive::new().interval(HEARTBEAT))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let addr = env_or("BENCH_CEILING_ADDR", "127.0.0.1:3900");
    let prefix = env_or("BENCH_CEILING_PREFIX", "bench:ceiling");
    let pool_size: usize = env_or("EQUIPFLOW_REDIS_POOL_SIZE", "4").parse()?;
    let config = Config::from_url(&env_or("REDIS_URL", "redis://127.0.0.1:6379"))?;
    let redis = Builder::from_config(config)
        .with_connection_config(|c| {
            c.connection_timeout = Duration::from_secs(5);
            c.tcp = TcpConfig {
                nodelay: Some(true),
                ..TcpConfig::default()
            };
        })
        .with_performance_config(|p| p.default_command_timeout = Duration::from_secs(2))
        .build_pool(pool_size)?;
    redis.init().await?;
    let cookie = env_or("BENCH_CEILING_COOKIE", "ceiling");
    let _: () = redis
        .set(
            format!("{prefix}:{cookie}"),
            r#"{"user_id":1,"role":"user","ok":true}"#,
            Some(Expiration::EX(86_400)),
            None,
            false,
        )
        .await?;
    let app = Router::new()
        .route("/", get(read))
        .route("/sse", get(heartbeats))
        .route("/leptos", get(leptos_page::page))
        .route("/healthz", get(|| async { "ok" }))
        .with_state(Ceiling {
            redis,
            prefix,
            leptos: leptos_page::renderer(),
        });
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    println!("bench-ceiling listening on http://{addr}");
    axum::serve(listener, app).await?;
    Ok(())
}
