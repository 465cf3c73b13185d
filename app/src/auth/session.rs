//! What a signed-in session holds, and the checks that decide whether it
//! still stands: the user's epoch, their status and the absolute limit.
use serde::{Deserialize, Serialize};
use tower_sessions::Session;

use super::principal::Principal;
use crate::error::AppError;
use crate::state::AppState;

const AUTH_KEY: &str = "auth";

/// Real activity extends the idle expiry, but rewriting the session on every
/// request would cost a Redis write each time: once a minute is enough (or
/// more often when the idle expiry is short).
fn touch_every(idle: std::time::Duration) -> i64 {
    i64::try_from((idle.as_secs() / 30).min(60)).unwrap_or(60)
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SessionAuth {
    pub user_id: i64,
    /// The user's `session_epoch` at sign-in; a newer one voids the session.
    pub epoch: i64,
    pub signed_in_at: i64,
    /// Absolute end of the session (unix seconds), whatever the activity.
    pub ends_at: i64,
    pub touched_at: i64,
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

fn store_error(error: tower_sessions::session::Error) -> AppError {
    tracing::warn!(error = %error, "session store unavailable");
    AppError::Unavailable
}

/// Starts a session for `principal`: a new id (the old one is deleted from
/// Redis, so a fixated or stolen pre-login id is worthless).
pub async fn sign_in(
    session: &Session,
    state: &AppState,
    principal: &Principal,
    remember: bool,
) -> Result<(), AppError> {
    let settings = &state.auth.settings;
    let lifetime = if remember {
        settings.remember_timeout
    } else {
        settings.absolute_timeout
    };
    let now = now();
    session.cycle_id().await.map_err(store_error)?;
    session.clear().await;
    let auth = SessionAuth {
        user_id: principal.id,
        epoch: principal.session_epoch,
        signed_in_at: now,
        ends_at: now + i64::try_from(lifetime.as_secs()).unwrap_or(i64::MAX / 2),
        touched_at: now,
    };
    session.insert(AUTH_KEY, auth).await.map_err(store_error)
}

/// Ends the session: deleted in Redis, cookie removed.
pub async fn sign_out(session: &Session) -> Result<(), AppError> {
    session.flush().await.map_err(store_error)
}

/// The user behind this session, if it still stands. A session that no longer
/// stands (disabled user, new epoch, past its absolute end) is deleted.
pub async fn resolve(
    session: &Session,
    state: &AppState,
    activity: bool,
) -> Result<Option<Principal>, AppError> {
    let Some(auth) = session
        .get::<SessionAuth>(AUTH_KEY)
        .await
        .map_err(store_error)?
    else {
        return Ok(None);
    };
    let now = now();
    let principal = state.auth.principals.get(&state.db, auth.user_id).await?;
    if !stands(&auth, principal.as_deref(), now) {
        tracing::info!(target: "auth", user_id = auth.user_id, "session ended: user disabled, changed or session expired");
        sign_out(session).await?;
        return Ok(None);
    }
    if activity && now - auth.touched_at >= touch_every(state.auth.settings.idle_timeout) {
        let touched = SessionAuth {
            touched_at: now,
            ..auth
        };
        session
            .insert(AUTH_KEY, touched)
            .await
            .map_err(store_error)?;
    }
    Ok(principal.map(|p| (*p).clone()))
}

/// The user is active, on the epoch the session recorded, and the session is
/// within its absolute end.
fn stands(auth: &SessionAuth, principal: Option<&Principal>, now: i64) -> bool {
    principal.is_some_and(|p| p.active && p.session_epoch == auth.epoch && now < auth.ends_at)
}

/// Does session `id` still stand as stored now (not as loaded when the request
/// began)? Long-lived responses (the notification stream) ask periodically,
/// so that signing out elsewhere or being disabled ends them too.
pub async fn still_stands(
    state: &AppState,
    id: tower_sessions::session::Id,
    user_id: i64,
) -> Result<bool, AppError> {
    use tower_sessions::SessionStore;
    let store = tower_sessions_redis_store::RedisStore::new(state.redis.clone());
    let Some(record) = store.load(&id).await.map_err(|error| {
        tracing::warn!(%error, "session store unavailable");
        AppError::Unavailable
    })?
    else {
        return Ok(false);
    };
    let Some(auth) = record
        .data
        .get(AUTH_KEY)
        .and_then(|value| serde_json::from_value::<SessionAuth>(value.clone()).ok())
    else {
        return Ok(false);
    };
    if auth.user_id != user_id {
        return Ok(false);
    }
    let principal = state.auth.principals.get(&state.db, auth.user_id).await?;
    Ok(stands(&auth, principal.as_deref(), now()))
}

/// After the user's own password change: the epoch moved on, this session
/// follows it (under a new id) while every other session ends.
pub async fn follow_new_epoch(session: &Session, epoch: i64) -> Result<(), AppError> {
    let Some(auth) = session
        .get::<SessionAuth>(AUTH_KEY)
        .await
        .map_err(store_error)?
    else {
        return Err(AppError::Unauthorized);
    };
    session.cycle_id().await.map_err(store_error)?;
    session
        .insert(AUTH_KEY, SessionAuth { epoch, ..auth })
        .await
        .map_err(store_error)
}
