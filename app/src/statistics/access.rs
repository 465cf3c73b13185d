//! Which scope a viewer's statistics request means, and whether they may see it.
use super::model::ScopeChoice;
use super::scopes::ORGANISATION;
use crate::auth::Role;
use crate::auth::principal::Principal;
use crate::error::AppError;
use crate::people::scope::Scope;
use crate::state::AppState;

/// Parses the `department` query value: empty means the viewer's default.
pub fn parse_department(raw: Option<&str>) -> Result<Option<i64>, AppError> {
    match raw.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => v
            .parse::<i64>()
            .ok()
            .filter(|id| *id >= 0)
            .map(Some)
            .ok_or_else(|| AppError::validation("department", "id_invalid")),
    }
}

/// The scopes `actor` may view (admins: the organisation and every
/// department; leaders: their own department and those below it), and the one
/// `requested` resolves to. A department outside them is refused (403).
pub async fn resolve(
    state: &AppState,
    actor: &Principal,
    requested: Option<i64>,
) -> Result<(Vec<ScopeChoice>, i64), AppError> {
    let scope = Scope::of(&state.db, actor).await?;
    let catalogue = crate::catalogue::cached::load(state).await?;
    let mut choices: Vec<ScopeChoice> = catalogue
        .departments
        .iter()
        .filter(|d| scope.covers(d.id))
        .map(|d| ScopeChoice {
            id: d.id,
            name: d.name.clone(),
            depth: d.depth,
        })
        .collect();
    let admin = actor.role >= Role::Admin;
    if admin {
        choices.insert(
            0,
            ScopeChoice {
                id: ORGANISATION,
                name: String::new(),
                depth: -1,
            },
        );
    }
    let default = if admin {
        ORGANISATION
    } else {
        actor.department_id
    };
    let selected = requested.unwrap_or(default);
    if !choices.iter().any(|c| c.id == selected) {
        return Err(if admin {
            AppError::NotFound
        } else {
            AppError::Forbidden
        });
    }
    Ok((choices, selected))
}
