//! Reading form input: every wrong field is collected before answering, so a
//! form shows all its mistakes at once.
use crate::error::{AppError, FieldIssue};

/// A search keyword: PostgreSQL text cannot hold a NUL, and no search needs a
/// control character, so they are refused with the field named.
pub fn searchable_keyword(field: &str, keyword: &str) -> Result<(), AppError> {
    if keyword.chars().any(char::is_control) {
        return Err(AppError::validation(field, "keyword_invalid"));
    }
    Ok(())
}

/// Collects every wrong field of a form before answering.
#[derive(Default)]
pub struct Issues(Vec<FieldIssue>);

impl Issues {
    pub fn add(&mut self, field: &str, message: &str) {
        self.0.push(FieldIssue {
            field: field.to_owned(),
            message: message.to_owned(),
        });
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn into_vec(self) -> Vec<FieldIssue> {
        self.0
    }

    pub fn finish(self) -> Result<(), AppError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(AppError::Invalid { issues: self.0 })
        }
    }
}

/// An optional id from a form: empty means none.
pub fn optional_id(value: Option<&str>, field: &str, issues: &mut Issues) -> Option<i64> {
    let value = value.map(str::trim).filter(|v| !v.is_empty())?;
    match value.parse::<i64>() {
        Ok(id) if id > 0 => Some(id),
        _ => {
            issues.add(field, "id_invalid");
            None
        }
    }
}
