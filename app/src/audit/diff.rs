//! Before/after of an audit row as the fields that changed, for people to
//! read: `status: active → disabled`, not two JSON documents.
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One field that differs; `None` where the field was absent (or null).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// Fields whose values are never shown, should a writer ever record one.
fn is_secret(field: &str) -> bool {
    let field = field.to_ascii_lowercase();
    field.contains("password") || field.contains("hash") || field.contains("secret")
}

fn text(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

fn fields(value: Option<&Value>) -> Vec<(String, &Value)> {
    match value {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Object(map)) => map.iter().map(|(k, v)| (k.clone(), v)).collect(),
        // A bare value is one unnamed field.
        Some(other) => vec![(String::new(), other)],
    }
}

/// The changed fields, in name order. A creation lists every field with no
/// "before"; a deletion every field with no "after".
pub fn changes(before: Option<&Value>, after: Option<&Value>) -> Vec<FieldChange> {
    let before = fields(before);
    let after = fields(after);
    let mut names: Vec<&String> = before.iter().chain(after.iter()).map(|(k, _)| k).collect();
    names.sort();
    names.dedup();
    let lookup = |side: &[(String, &Value)], name: &str| {
        side.iter()
            .find(|(k, _)| k == name)
            .and_then(|(_, v)| text(v))
    };
    names
        .into_iter()
        .filter_map(|name| {
            let was = lookup(&before, name);
            let now = lookup(&after, name);
            if was == now {
                return None;
            }
            let hide = |v: Option<String>| v.map(|_| "••••••".to_owned());
            let (was, now) = if is_secret(name) {
                (hide(was), hide(now))
            } else {
                (was, now)
            };
            Some(FieldChange {
                field: name.clone(),
                before: was,
                after: now,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn change(field: &str, before: Option<&str>, after: Option<&str>) -> FieldChange {
        FieldChange {
            field: field.to_owned(),
            before: before.map(str::to_owned),
            after: after.map(str::to_owned),
        }
    }

    #[test]
    fn only_changed_fields_are_listed_in_name_order() {
        let before = json!({"status": "active", "role": "user", "department_id": 3});
        let after = json!({"status": "disabled", "role": "user", "department_id": 4});
        assert_eq!(
            changes(Some(&before), Some(&after)),
            vec![
                change("department_id", Some("3"), Some("4")),
                change("status", Some("active"), Some("disabled")),
            ]
        );
    }

    #[test]
    fn a_creation_lists_every_field_without_a_before() {
        let after = json!({"username": "alice", "phone": null});
        assert_eq!(
            changes(None, Some(&after)),
            vec![change("username", None, Some("alice"))]
        );
    }

    #[test]
    fn added_and_removed_fields_show_their_missing_side() {
        let before = json!({"location": "B-201"});
        let after = json!({"model": "X1"});
        assert_eq!(
            changes(Some(&before), Some(&after)),
            vec![
                change("location", Some("B-201"), None),
                change("model", None, Some("X1")),
            ]
        );
    }

    #[test]
    fn secrets_are_masked_and_nested_values_stay_readable() {
        let before = json!({"password_hash": "$argon2id$abc", "tags": ["a"]});
        let after = json!({"password_hash": "$argon2id$def", "tags": ["a", "b"]});
        assert_eq!(
            changes(Some(&before), Some(&after)),
            vec![
                change("password_hash", Some("••••••"), Some("••••••")),
                change("tags", Some("[\"a\"]"), Some("[\"a\",\"b\"]")),
            ]
        );
    }

    #[test]
    fn identical_sides_have_no_changes() {
        let same = json!({"status": "active"});
        assert!(changes(Some(&same), Some(&same)).is_empty());
        assert!(changes(None, None).is_empty());
    }
}
