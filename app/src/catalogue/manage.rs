//! Admins' changes to categories and departments: validated, written with an
//! audit row in one transaction, then the cached copy is invalidated everywhere.
use serde_json::json;

use super::repo::{self, CategoryFields, DepartmentFields};
use crate::audit::{self, AuditEntry};
use crate::auth::principal::Principal;
use crate::error::AppError;
use crate::forms::{Issues, optional_id};
use crate::state::AppState;

pub struct CategoryInput {
    pub id: Option<String>,
    pub code: String,
    pub name: String,
    pub description: String,
}

pub struct DepartmentInput {
    pub id: Option<String>,
    pub parent_id: Option<String>,
    pub code: String,
    pub name: String,
}

fn valid_code(code: &str) -> bool {
    (1..=32).contains(&code.len())
        && code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

fn check_name(name: &str, max: usize, issues: &mut Issues) {
    let chars = name.chars().count();
    if chars == 0 {
        issues.add("name", "name_required");
    } else if chars > max {
        issues.add("name", "name_too_long");
    }
}

/// Unique and foreign-key violations become the field the admin can fix.
fn constraint_error(error: sqlx::Error) -> AppError {
    let constraint = crate::error::violated_constraint(&error);
    match constraint.as_deref() {
        Some("equipment_categories_code_key" | "departments_code_key") => {
            AppError::validation("code", "code_taken")
        }
        Some("equipment_categories_name_key") => AppError::validation("name", "name_taken"),
        Some("departments_parent_id_fkey") => AppError::validation("parent_id", "id_invalid"),
        _ => error.into(),
    }
}

/// Appends the audit row, commits, then drops every node's cached catalogue.
async fn commit_with_audit(
    state: &AppState,
    mut tx: sqlx::Transaction<'_, sqlx::Postgres>,
    entry: AuditEntry<'_>,
) -> Result<(), AppError> {
    audit::append(&mut tx, entry).await?;
    tx.commit().await?;
    state.catalogue_cache.invalidate(super::cached::KEY).await;
    Ok(())
}

pub async fn save_category(
    state: &AppState,
    actor: &Principal,
    input: CategoryInput,
) -> Result<i64, AppError> {
    let mut issues = Issues::default();
    let id = optional_id(input.id.as_deref(), "id", &mut issues);
    let code = input.code.trim().to_uppercase();
    if !valid_code(&code) {
        issues.add("code", "catalogue_code_invalid");
    }
    let name = input.name.trim();
    check_name(name, 100, &mut issues);
    let description = input.description.trim();
    if description.chars().count() > 1000 {
        issues.add("description", "description_too_long");
    }
    issues.finish()?;
    let fields = CategoryFields {
        code: &code,
        name,
        description,
    };
    let after = json!({ "code": code, "name": name, "description": description });
    let mut tx = state.db.begin().await?;
    let (id, action, before) = match id {
        None => {
            let id = repo::insert_category(&mut tx, &fields)
                .await
                .map_err(constraint_error)?;
            (id, "equipment_category.created", None)
        }
        Some(id) => {
            let (code, name, description) = repo::update_category(&mut tx, id, &fields)
                .await
                .map_err(constraint_error)?
                .ok_or(AppError::NotFound)?;
            let before = json!({ "code": code, "name": name, "description": description });
            (id, "equipment_category.updated", Some(before))
        }
    };
    let entry = AuditEntry {
        actor_id: Some(actor.id),
        action,
        entity_type: "equipment_category",
        entity_id: id,
        before,
        after: Some(after),
    };
    commit_with_audit(state, tx, entry).await?;
    Ok(id)
}

pub async fn save_department(
    state: &AppState,
    actor: &Principal,
    input: DepartmentInput,
) -> Result<i64, AppError> {
    let mut issues = Issues::default();
    let id = optional_id(input.id.as_deref(), "id", &mut issues);
    let parent_id = optional_id(input.parent_id.as_deref(), "parent_id", &mut issues);
    let code = input.code.trim().to_uppercase();
    if !valid_code(&code) {
        issues.add("code", "catalogue_code_invalid");
    }
    let name = input.name.trim();
    check_name(name, 100, &mut issues);
    issues.finish()?;
    let fields = DepartmentFields {
        parent_id,
        code: &code,
        name,
    };
    let after = json!({ "parent_id": parent_id, "code": code, "name": name });
    let mut tx = state.db.begin().await?;
    repo::lock_tree(&mut tx).await?;
    let (id, action, before) = match id {
        None => {
            let id = repo::insert_department(&mut tx, &fields)
                .await
                .map_err(constraint_error)?;
            (id, "department.created", None)
        }
        Some(id) => {
            if let Some(parent) = parent_id
                && repo::is_within(&mut tx, id, parent).await?
            {
                return Err(AppError::validation("parent_id", "parent_loop"));
            }
            let (old_parent, old_code, old_name) = repo::update_department(&mut tx, id, &fields)
                .await
                .map_err(constraint_error)?
                .ok_or(AppError::NotFound)?;
            let before = json!({ "parent_id": old_parent, "code": old_code, "name": old_name });
            (id, "department.updated", Some(before))
        }
    };
    let entry = AuditEntry {
        actor_id: Some(actor.id),
        action,
        entity_type: "department",
        entity_id: id,
        before,
        after: Some(after),
    };
    commit_with_audit(state, tx, entry).await?;
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_short_ascii_words() {
        assert!(valid_code("LAPTOP"));
        assert!(valid_code("RND-PLATFORM_2"));
        assert!(!valid_code(""));
        assert!(!valid_code("有中文"));
        assert!(!valid_code("A B"));
        assert!(!valid_code(&"X".repeat(33)));
    }

    #[test]
    fn every_wrong_field_is_reported_at_once() {
        let mut issues = Issues::default();
        optional_id(Some("abc"), "parent_id", &mut issues);
        check_name("", 100, &mut issues);
        match issues.finish() {
            Err(AppError::Invalid { issues }) => {
                let fields: Vec<_> = issues.iter().map(|i| i.field.as_str()).collect();
                assert_eq!(fields, ["parent_id", "name"]);
            }
            other => panic!("{other:?}"),
        }
    }
}
