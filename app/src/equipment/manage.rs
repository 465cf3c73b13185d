//! Admins create, edit and retire items. Each change commits with its audit
//! row, then the item's cached copy is dropped on every node.
use super::fields::{self, EquipmentFields, RawFields};
use super::store;
use crate::audit::{self, AuditEntry};
use crate::auth::principal::Principal;
use crate::catalogue::Catalogue;
use crate::error::AppError;
use crate::forms::{Issues, optional_id};
use crate::state::AppState;

/// The form as posted; `id` and `version` are empty for a new item.
pub struct EquipmentInput {
    pub id: Option<String>,
    pub version: Option<String>,
    pub category_id: String,
    pub department_id: String,
    pub fields: RawFields,
}

/// Checks a category/department id from a form against the reference data.
fn known(
    value: &str,
    field: &str,
    exists: impl Fn(i64) -> bool,
    issues: &mut Issues,
) -> Option<i64> {
    if value.trim().is_empty() {
        issues.add(field, "choose_one");
        return None;
    }
    let id = optional_id(Some(value), field, issues)?;
    if exists(id) {
        Some(id)
    } else {
        issues.add(field, "id_invalid");
        None
    }
}

/// Unique and check violations the form can name.
pub fn constraint_error(error: sqlx::Error) -> AppError {
    let constraint = crate::error::violated_constraint(&error);
    match constraint.as_deref() {
        Some("equipment_asset_code_key") => AppError::validation("asset_code", "asset_code_taken"),
        Some("equipment_category_id_fkey") => AppError::validation("category_id", "id_invalid"),
        Some("equipment_department_id_fkey") => AppError::validation("department_id", "id_invalid"),
        _ => error.into(),
    }
}

fn validated(
    input: &EquipmentInput,
    catalogue: &Catalogue,
    today: chrono::NaiveDate,
    issues: &mut Issues,
) -> Option<EquipmentFields> {
    let category = known(
        &input.category_id,
        "category_id",
        |id| catalogue.category(id).is_some(),
        issues,
    );
    let department = known(
        &input.department_id,
        "department_id",
        |id| catalogue.department(id).is_some(),
        issues,
    );
    fields::validate(&input.fields, category, department, today, issues)
}

/// Creates the item (no `id`) or applies an edit made from `version`.
pub async fn save(
    state: &AppState,
    actor: &Principal,
    input: EquipmentInput,
) -> Result<i64, AppError> {
    let catalogue = crate::catalogue::cached::load(state).await?;
    let mut issues = Issues::default();
    let id = optional_id(input.id.as_deref(), "id", &mut issues);
    let version = optional_id(input.version.as_deref(), "version", &mut issues);
    let today = state.clock.today(chrono::Utc::now());
    let fields = validated(&input, &catalogue, today, &mut issues);
    issues.finish()?;
    // `validate` gives fields exactly when it found nothing wrong.
    let fields = fields.ok_or(AppError::Internal)?;
    let mut tx = state.db.begin().await?;
    let (id, action, before, after) = match id {
        None => {
            let (id, after) = store::insert(&mut tx, &fields)
                .await
                .map_err(constraint_error)?;
            (id, "equipment.created", None, Some(after))
        }
        Some(id) => {
            let version = version.ok_or_else(|| AppError::validation("version", "id_invalid"))?;
            let (current, _, before) = store::lock(&mut tx, id).await?.ok_or(AppError::NotFound)?;
            if i64::from(current) != version {
                return Err(AppError::Conflict("equipment_changed".into()));
            }
            let after = store::update(&mut tx, id, &fields)
                .await
                .map_err(constraint_error)?;
            (id, "equipment.updated", Some(before), Some(after))
        }
    };
    audit::append(
        &mut tx,
        AuditEntry {
            actor_id: Some(actor.id),
            action,
            entity_type: "equipment",
            entity_id: id,
            before,
            after,
        },
    )
    .await?;
    tx.commit().await?;
    state.equipment_cache.invalidate(&id.to_string()).await;
    state.list_counts.forget();
    Ok(id)
}

/// Takes an item out of service (status `scrapped`, terminal). Not while it is
/// lent out or has a pending request: those must be settled first.
pub async fn retire(
    state: &AppState,
    actor: &Principal,
    id: i64,
    version: i32,
) -> Result<(), AppError> {
    let mut tx = state.db.begin().await?;
    let (current, status, before) = store::lock(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    if current != version {
        return Err(AppError::Conflict("equipment_changed".into()));
    }
    match status.as_str() {
        "scrapped" => return Err(AppError::Conflict("already_retired".into())),
        "in_use" => return Err(AppError::Conflict("retire_in_use".into())),
        _ => {}
    }
    if store::has_pending_requests(&mut tx, id).await? {
        return Err(AppError::Conflict("retire_pending".into()));
    }
    let after = store::retire(&mut tx, id).await?;
    audit::append(
        &mut tx,
        AuditEntry {
            actor_id: Some(actor.id),
            action: "equipment.retired",
            entity_type: "equipment",
            entity_id: id,
            before: Some(before),
            after: Some(after),
        },
    )
    .await?;
    tx.commit().await?;
    state.equipment_cache.invalidate(&id.to_string()).await;
    state.list_counts.forget();
    Ok(())
}
