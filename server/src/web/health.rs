//! `/healthz` (the process answers) and `/readyz` (its dependencies answer).
use std::future::Future;
use std::time::Duration;

use app::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

const CHECK_TIMEOUT: Duration = Duration::from_secs(2);

pub async fn healthz() -> impl IntoResponse {
    Json(serde_json::json!({ "status": "ok" }))
}

#[derive(Debug, Serialize)]
struct Check {
    ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

#[derive(Debug, Serialize)]
struct Readiness {
    status: &'static str,
    checks: Checks,
    /// Names of the dependencies that failed, for a quick look.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    failed: Vec<&'static str>,
}

#[derive(Debug, Serialize)]
struct Checks {
    postgres: Check,
    redis: Check,
    rabbitmq: Check,
}

/// 200 when PostgreSQL, Redis and RabbitMQ all answer, else 503 naming the failed ones.
pub async fn readyz(State(state): State<AppState>) -> Response {
    let (postgres, redis, rabbitmq) = tokio::join!(
        check(async { sqlx::query("SELECT 1").execute(&state.db).await.map(drop) }),
        check(async {
            use fred::prelude::ClientLike;
            state.redis.ping::<()>(None).await
        }),
        check(state.amqp.ping()),
    );
    let checks = Checks {
        postgres,
        redis,
        rabbitmq,
    };
    let failed: Vec<&'static str> = [
        ("postgres", &checks.postgres),
        ("redis", &checks.redis),
        ("rabbitmq", &checks.rabbitmq),
    ]
    .into_iter()
    .filter(|(_, c)| !c.ok)
    .map(|(name, _)| name)
    .collect();
    let (status, label) = if failed.is_empty() {
        (StatusCode::OK, "ready")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "unavailable")
    };
    let body = Readiness {
        status: label,
        checks,
        failed,
    };
    (status, Json(body)).into_response()
}

async fn check<E: std::fmt::Display>(probe: impl Future<Output = Result<(), E>>) -> Check {
    match tokio::time::timeout(CHECK_TIMEOUT, probe).await {
        Ok(Ok(())) => Check {
            ok: true,
            error: None,
        },
        Ok(Err(error)) => Check {
            ok: false,
            error: Some(error.to_string()),
        },
        Err(_) => Check {
            ok: false,
            error: Some(format!("no answer within {} s", CHECK_TIMEOUT.as_secs())),
        },
    }
}
