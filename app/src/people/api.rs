//! Server functions of the first personnel screen (leaders: their
//! departments; admins: everyone) and the DTOs both sides share.
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::auth::Role;
use crate::error::AppError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonRow {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub phone: Option<String>,
    pub role: Role,
    pub department_id: i64,
    pub department_name: String,
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepartmentOption {
    pub id: i64,
    pub name: String,
    pub depth: i32,
}

/// The active leaders of one department.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeadersOf {
    pub department_id: i64,
    pub names: Vec<String>,
}

/// Who leads each department the caller manages (the tree on the catalogue page).
#[server(prefix = "/api/rpc", endpoint = "people/leaders")]
pub async fn department_leaders() -> Result<Vec<LeadersOf>, AppError> {
    let actor = crate::auth::guard::require(Role::Leader)?;
    let state = crate::state::AppState::from_context()?;
    let scope = super::scope::Scope::of(&state.db, &actor).await?;
    Ok(super::repo::leaders(&state.db, scope.department_ids()).await?)
}

/// A password the system made up, shown once to the leader who hands it over.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedPassword {
    pub user_id: i64,
    pub username: String,
    pub password: String,
}

/// People per page of the list.
pub const PEOPLE_PAGE: i64 = 50;

/// One page of the people a leader manages, with how many match in all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeoplePage {
    pub rows: Vec<PersonRow>,
    pub total: i64,
    /// 1-based.
    pub page: i64,
    pub pages: i64,
}

#[server(prefix = "/api/rpc", endpoint = "people/list")]
pub async fn list_people(
    search: Option<String>,
    page: Option<String>,
) -> Result<PeoplePage, AppError> {
    let actor = crate::auth::guard::require(Role::Leader)?;
    let state = crate::state::AppState::from_context()?;
    let page = match page.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        None => 1,
        Some(p) => p
            .parse::<i64>()
            .ok()
            .filter(|p| (1..=1_000_000).contains(p))
            .ok_or_else(|| AppError::validation("page", "id_invalid"))?,
    };
    let scope = super::scope::Scope::of(&state.db, &actor).await?;
    let search = search.unwrap_or_default();
    crate::forms::searchable_keyword("q", &search)?;
    let (rows, total) = super::repo::list(
        &state.db,
        scope.department_ids(),
        search.trim(),
        PEOPLE_PAGE,
        (page - 1) * PEOPLE_PAGE,
    )
    .await?;
    Ok(PeoplePage {
        rows,
        total,
        page,
        pages: (total + PEOPLE_PAGE - 1) / PEOPLE_PAGE,
    })
}

/// One person the caller manages (404 outside their departments).
#[server(prefix = "/api/rpc", endpoint = "people/get")]
pub async fn get_person(user_id: i64) -> Result<PersonRow, AppError> {
    let actor = crate::auth::guard::require(Role::Leader)?;
    let state = crate::state::AppState::from_context()?;
    let scope = super::scope::Scope::of(&state.db, &actor).await?;
    super::repo::person(&state.db, user_id)
        .await?
        .filter(|p| scope.covers(p.department_id))
        .ok_or(AppError::NotFound)
}

/// Edits a person's name, phone, department and role, within what the caller
/// may grant; a demotion ends the person's sessions.
#[server(prefix = "/api/rpc", endpoint = "people/update")]
pub async fn update_person(
    user_id: i64,
    display_name: String,
    phone: Option<String>,
    department_id: i64,
    role: String,
) -> Result<PersonRow, AppError> {
    let actor = crate::auth::guard::require(Role::Leader)?;
    let state = crate::state::AppState::from_context()?;
    let change = super::manage::PersonChange {
        display_name,
        phone,
        department_id,
        role,
    };
    super::manage::update(&state, &actor, user_id, change).await
}

#[server(prefix = "/api/rpc", endpoint = "people/departments")]
pub async fn assignable_departments() -> Result<Vec<DepartmentOption>, AppError> {
    let actor = crate::auth::guard::require(Role::Leader)?;
    let state = crate::state::AppState::from_context()?;
    let scope = super::scope::Scope::of(&state.db, &actor).await?;
    Ok(super::repo::departments(&state.db, scope.department_ids()).await?)
}

#[server(prefix = "/api/rpc", endpoint = "people/create")]
pub async fn create_person(
    username: String,
    display_name: String,
    phone: Option<String>,
    department_id: i64,
    role: String,
) -> Result<IssuedPassword, AppError> {
    let actor = crate::auth::guard::require(Role::Leader)?;
    let state = crate::state::AppState::from_context()?;
    let input = super::manage::NewPerson {
        username,
        display_name,
        phone,
        department_id,
        role,
    };
    super::manage::create(&state, &actor, input).await
}

/// Enables or disables a person; disabling is asked first (`confirmed=yes`).
#[server(prefix = "/api/rpc", endpoint = "people/set-active")]
pub async fn set_person_active(
    user_id: i64,
    active: bool,
    confirmed: Option<String>,
    back: Option<String>,
) -> Result<(), AppError> {
    let actor = crate::auth::guard::require(Role::Leader)?;
    if !active {
        crate::confirm::require(confirmed.as_deref())?;
    }
    let state = crate::state::AppState::from_context()?;
    super::manage::set_active(&state, &actor, user_id, active).await?;
    crate::confirm::return_after_form_post(back.as_deref(), "/leader/people");
    Ok(())
}

/// Issues a temporary password; asked first (`confirmed=yes`).
#[server(prefix = "/api/rpc", endpoint = "people/reset-password")]
pub async fn reset_person_password(
    user_id: i64,
    confirmed: Option<String>,
    back: Option<String>,
) -> Result<IssuedPassword, AppError> {
    let actor = crate::auth::guard::require(Role::Leader)?;
    crate::confirm::require(confirmed.as_deref())?;
    let state = crate::state::AppState::from_context()?;
    let issued = super::manage::reset_password(&state, &actor, user_id).await?;
    crate::confirm::return_after_form_post(back.as_deref(), "/leader/people");
    Ok(issued)
}
