//! Creating, disabling and resetting people, each change checked against the
//! actor's scope and written to the audit log in the same transaction.
use rand::Rng;
use serde_json::json;

use super::api::IssuedPassword;
use super::repo::{self, NewUser};
use super::scope::Scope;
use crate::audit::{self, AuditEntry};
use crate::auth::Role;
use crate::auth::principal::Principal;
use crate::error::AppError;
use crate::state::AppState;

pub struct NewPerson {
    pub username: String,
    pub display_name: String,
    pub phone: Option<String>,
    pub department_id: i64,
    pub role: String,
}

/// 12 characters from an alphabet without look-alikes (about 70 bits).
fn temporary_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    let chars: Vec<char> = (0..12)
        .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
        .collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// Maps the users table's constraints to the field the user can fix.
fn constraint_error(error: sqlx::Error) -> AppError {
    let constraint = crate::error::violated_constraint(&error);
    match constraint.as_deref() {
        Some("users_username_key") => AppError::validation("username", "username_taken"),
        Some("users_phone_key") => AppError::validation("phone", "phone_taken"),
        Some("users_username_format") => AppError::validation("username", "username_invalid"),
        Some("users_phone_format") => AppError::validation("phone", "phone_invalid"),
        Some("users_display_name_length") => {
            AppError::validation("display_name", "display_name_invalid")
        }
        Some("users_department_id_fkey") => {
            AppError::validation("department_id", "department_not_allowed")
        }
        _ => error.into(),
    }
}

async fn hash(state: &AppState, password: String) -> Result<String, AppError> {
    state.auth.passwords.hash(password).await.map_err(|error| {
        tracing::error!(error = %error, "hashing a temporary password failed");
        AppError::Internal
    })
}

pub async fn create(
    state: &AppState,
    actor: &Principal,
    input: NewPerson,
) -> Result<IssuedPassword, AppError> {
    let role =
        Role::parse(&input.role).ok_or_else(|| AppError::validation("role", "role_not_allowed"))?;
    if role > actor.role {
        return Err(AppError::validation("role", "role_not_allowed"));
    }
    let scope = Scope::of(&state.db, actor).await?;
    if !scope.covers(input.department_id) {
        return Err(AppError::validation(
            "department_id",
            "department_not_allowed",
        ));
    }
    let username = input.username.trim().to_lowercase();
    let display_name = input.display_name.trim().to_owned();
    let phone = normal_phone(input.phone)?;
    let password = temporary_password();
    let password_hash = hash(state, password.clone()).await?;
    let mut tx = state.db.begin().await?;
    let id = repo::insert(
        &mut tx,
        NewUser {
            username: &username,
            display_name: &display_name,
            phone: phone.as_deref(),
            department_id: input.department_id,
            role,
            password_hash: &password_hash,
        },
    )
    .await
    .map_err(constraint_error)?;
    let after = json!({
        "username": username, "display_name": display_name, "phone": phone,
        "department_id": input.department_id, "role": role.as_str(), "status": "active",
    });
    audit::append(&mut tx, entry(actor, "user.created", id, None, Some(after))).await?;
    tx.commit().await?;
    tracing::info!(target: "auth", actor_id = actor.id, user_id = id, "user created");
    Ok(IssuedPassword {
        user_id: id,
        username,
        password,
    })
}

pub struct PersonChange {
    pub display_name: String,
    pub phone: Option<String>,
    pub department_id: i64,
    pub role: String,
}

/// An optional phone in the stored form (E.164); empty means none.
fn normal_phone(phone: Option<String>) -> Result<Option<String>, AppError> {
    match phone.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        None => Ok(None),
        Some(typed) => crate::phones::normalise(typed)
            .map(Some)
            .ok_or_else(|| AppError::validation("phone", "phone_invalid")),
    }
}

/// Edits a person the actor manages. The new department must be one of the
/// actor's and the role one they hold or below; the audit row records the
/// fields before and after. A demotion ends the person's sessions at once.
pub async fn update(
    state: &AppState,
    actor: &Principal,
    user_id: i64,
    change: PersonChange,
) -> Result<super::api::PersonRow, AppError> {
    let role = Role::parse(&change.role)
        .filter(|r| *r <= actor.role)
        .ok_or_else(|| AppError::validation("role", "role_not_allowed"))?;
    let scope = Scope::of(&state.db, actor).await?;
    if !scope.covers(change.department_id) {
        return Err(AppError::validation(
            "department_id",
            "department_not_allowed",
        ));
    }
    let to = repo::Editable {
        display_name: change.display_name.trim().to_owned(),
        phone: normal_phone(change.phone)?,
        department_id: change.department_id,
        role: role.as_str().to_owned(),
    };
    let mut tx = state.db.begin().await?;
    let target = managed_target(&mut tx, state, actor, user_id).await?;
    let before = repo::editable(&mut tx, target.id).await?;
    if before != to {
        let demoted = role < target.role;
        repo::update(&mut tx, target.id, &to, demoted)
            .await
            .map_err(constraint_error)?;
        audit::append(
            &mut tx,
            entry(
                actor,
                "user.updated",
                target.id,
                Some(json!(before)),
                Some(json!(to)),
            ),
        )
        .await?;
    }
    tx.commit().await?;
    state.auth.principals.forget(target.id).await;
    tracing::info!(target: "auth", actor_id = actor.id, user_id = target.id, "user updated");
    repo::person(&state.db, target.id)
        .await?
        .ok_or(AppError::NotFound)
}

fn entry(
    actor: &Principal,
    action: &'static str,
    id: i64,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> AuditEntry<'static> {
    AuditEntry {
        actor_id: Some(actor.id),
        action,
        entity_type: "user",
        entity_id: id,
        before,
        after,
    }
}

/// Loads the target inside `tx` (locked) and checks the actor may manage it.
async fn managed_target(
    tx: &mut sqlx::PgConnection,
    state: &AppState,
    actor: &Principal,
    user_id: i64,
) -> Result<repo::Target, AppError> {
    if user_id == actor.id {
        return Err(AppError::validation("user_id", "not_yourself"));
    }
    let scope = Scope::of(&state.db, actor).await?;
    let target = repo::target(tx, user_id).await?.ok_or(AppError::NotFound)?;
    // Outside the actor's departments: as if it did not exist.
    if !scope.covers(target.department_id) {
        return Err(AppError::NotFound);
    }
    if target.role > actor.role {
        return Err(AppError::Forbidden);
    }
    Ok(target)
}

/// A person `actor` may disable or reset, as a row (what the confirmation
/// page names); anyone else answers as if they did not exist.
pub async fn managed_person(
    state: &AppState,
    actor: &Principal,
    user_id: i64,
) -> Result<super::api::PersonRow, AppError> {
    let mut conn = state.db.acquire().await?;
    managed_target(&mut conn, state, actor, user_id).await?;
    drop(conn);
    repo::person(&state.db, user_id)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn set_active(
    state: &AppState,
    actor: &Principal,
    user_id: i64,
    active: bool,
) -> Result<(), AppError> {
    let mut tx = state.db.begin().await?;
    let target = managed_target(&mut tx, state, actor, user_id).await?;
    if target.active == active {
        return Ok(());
    }
    repo::set_status(&mut tx, target.id, active).await?;
    let status = |a: bool| if a { "active" } else { "disabled" };
    let action = if active {
        "user.enabled"
    } else {
        "user.disabled"
    };
    audit::append(
        &mut tx,
        entry(
            actor,
            action,
            target.id,
            Some(json!({ "status": status(target.active) })),
            Some(json!({ "status": status(active) })),
        ),
    )
    .await?;
    tx.commit().await?;
    state.auth.principals.forget(target.id).await;
    tracing::info!(target: "auth", actor_id = actor.id, user_id = target.id, active, "user status changed; sessions ended");
    Ok(())
}

pub async fn reset_password(
    state: &AppState,
    actor: &Principal,
    user_id: i64,
) -> Result<IssuedPassword, AppError> {
    let password = temporary_password();
    let password_hash = hash(state, password.clone()).await?;
    let mut tx = state.db.begin().await?;
    let target = managed_target(&mut tx, state, actor, user_id).await?;
    crate::auth::set_password(&mut tx, target.id, &password_hash, true).await?;
    audit::append(
        &mut tx,
        entry(actor, "user.password_reset", target.id, None, None),
    )
    .await?;
    tx.commit().await?;
    state.auth.principals.forget(target.id).await;
    tracing::info!(target: "auth", actor_id = actor.id, user_id = target.id, "password reset; sessions ended");
    Ok(IssuedPassword {
        user_id: target.id,
        username: target.username,
        password,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporary_passwords_pass_the_policy() {
        for _ in 0..50 {
            let password = temporary_password();
            assert_eq!(password.len(), 14);
            assert_eq!(
                crate::auth::policy::check_new_password(&password, &[]),
                Ok(())
            );
        }
    }
}
