//! Server functions of the dead-letter page (admins only).
use leptos::prelude::*;

use super::model::DeadLetters;
use crate::error::AppError;

#[server(prefix = "/api/rpc", endpoint = "dead-letters/list")]
pub async fn list_dead_letters() -> Result<DeadLetters, AppError> {
    crate::auth::guard::require(crate::auth::Role::Admin)?;
    let state = crate::state::AppState::from_context()?;
    super::queue::peek(&state.amqp, &state.db).await
}

#[server(prefix = "/api/rpc", endpoint = "dead-letters/requeue")]
pub async fn requeue_dead_letter(message_id: String) -> Result<(), AppError> {
    crate::auth::guard::require(crate::auth::Role::Admin)?;
    let state = crate::state::AppState::from_context()?;
    super::queue::requeue(&state.amqp, &state.db, message_id.trim()).await
}
