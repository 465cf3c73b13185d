//! Which people an actor may see and manage: a leader their own department
//! and its descendants, an admin everyone.
use sqlx::PgPool;

use crate::auth::Role;
use crate::auth::principal::Principal;
use crate::error::AppError;

pub enum Scope {
    Everyone,
    Departments(Vec<i64>),
}

impl Scope {
    pub async fn of(db: &PgPool, actor: &Principal) -> Result<Self, AppError> {
        if actor.role == Role::Admin {
            return Ok(Scope::Everyone);
        }
        Ok(Scope::Departments(
            super::repo::subtree(db, actor.department_id).await?,
        ))
    }

    /// `None` means no restriction.
    pub fn department_ids(&self) -> Option<&[i64]> {
        match self {
            Scope::Everyone => None,
            Scope::Departments(ids) => Some(ids),
        }
    }

    pub fn covers(&self, department_id: i64) -> bool {
        match self {
            Scope::Everyone => true,
            Scope::Departments(ids) => ids.contains(&department_id),
        }
    }
}
