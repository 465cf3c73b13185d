//! What a confirmation page asks about: the thing an irreversible action
//! would act on, checked against the caller as the action itself would be.
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::requests::RequestKind;

/// What an irreversible action would act on, as its question names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Confirmation {
    /// One's own pending request: its kind and item.
    CancelRequest {
        id: i64,
        kind: RequestKind,
        item: String,
    },
    /// An item (asset code and name) and the version the form carries.
    RetireEquipment { id: i64, item: String, version: i32 },
    DisablePerson {
        id: i64,
        name: String,
        username: String,
    },
    ResetPassword {
        id: i64,
        name: String,
        username: String,
    },
}

/// The subject of `action` on `id`, if the caller may do it at all (else as
/// if it did not exist: 404).
#[server(prefix = "/api/rpc", endpoint = "confirm/subject")]
pub async fn confirmation_subject(action: String, id: i64) -> Result<Confirmation, AppError> {
    use super::Irreversible;
    use crate::auth::Role;
    let action = Irreversible::parse(&action).ok_or(AppError::NotFound)?;
    let needed = match action {
        Irreversible::CancelRequest => Role::User,
        Irreversible::RetireEquipment => Role::Admin,
        Irreversible::DisablePerson | Irreversible::ResetPassword => Role::Leader,
    };
    let actor = crate::auth::guard::require(needed)?;
    let state = crate::state::AppState::from_context()?;
    Ok(match action {
        Irreversible::CancelRequest => {
            let mut conn = state.db.acquire().await?;
            let row = crate::requests::own_pending(&mut conn, actor.id, id)
                .await?
                .ok_or(AppError::NotFound)?;
            Confirmation::CancelRequest {
                id,
                kind: row.kind,
                item: format!("{} {}", row.asset_code, row.equipment_name),
            }
        }
        Irreversible::RetireEquipment => {
            let item = state
                .equipment_cache
                .get(&id.to_string())
                .await?
                .ok_or(AppError::NotFound)?;
            Confirmation::RetireEquipment {
                id,
                item: format!("{} {}", item.asset_code, item.name),
                version: item.version,
            }
        }
        Irreversible::DisablePerson | Irreversible::ResetPassword => {
            let person = crate::people::managed_person(&state, &actor, id).await?;
            let (name, username) = (person.display_name, person.username);
            if action == Irreversible::DisablePerson {
                Confirmation::DisablePerson { id, name, username }
            } else {
                Confirmation::ResetPassword { id, name, username }
            }
        }
    })
}
