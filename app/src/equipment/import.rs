//! CSV import, all or nothing: every row is checked first (fields, category
//! and department codes, asset codes unique in the file and in the database);
//! with any error nothing is written and the report lists each one by line.
use std::collections::HashMap;

use super::fields::{self, EquipmentFields, RawFields};
use super::model::{IMPORT_MAX_ROWS, ImportReport, RowError};
use super::store;
use crate::auth::principal::Principal;
use crate::catalogue::Catalogue;
use crate::error::AppError;
use crate::forms::Issues;
use crate::state::AppState;

/// The columns read, by header name; others (an export's `status`, …) are ignored.
pub const COLUMNS: [&str; 9] = [
    "asset_code",
    "name",
    "model",
    "serial_number",
    "category",
    "department",
    "location",
    "purchase_date",
    "purchase_price",
];
const REQUIRED: [&str; 4] = ["asset_code", "name", "category", "department"];

fn file_error(message: &str) -> ImportReport {
    ImportReport {
        errors: vec![RowError {
            line: 1,
            field: String::new(),
            message: message.to_owned(),
        }],
        ..ImportReport::default()
    }
}

/// Checks the whole file; the rows to insert, or the report of what is wrong.
/// `today` is the organisation's (purchase dates may not lie after it).
pub fn check(
    text: &str,
    catalogue: &Catalogue,
    today: chrono::NaiveDate,
) -> Result<Vec<EquipmentFields>, ImportReport> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|h| h.trim().to_lowercase()).collect(),
        Err(_) => return Err(file_error("csv_unreadable")),
    };
    let position: HashMap<&str, usize> = COLUMNS
        .iter()
        .filter_map(|c| headers.iter().position(|h| h == c).map(|i| (*c, i)))
        .collect();
    if let Some(missing) = REQUIRED.iter().find(|c| !position.contains_key(*c)) {
        return Err(ImportReport {
            errors: vec![RowError {
                line: 1,
                field: (*missing).to_owned(),
                message: "column_missing".to_owned(),
            }],
            ..ImportReport::default()
        });
    }
    let mut report = ImportReport::default();
    let mut rows = Vec::new();
    let mut first_line_of: HashMap<String, u64> = HashMap::new();
    for (index, record) in reader.records().enumerate() {
        let line = u64::try_from(index).unwrap_or(u64::MAX).saturating_add(2);
        report.rows += 1;
        if report.rows > IMPORT_MAX_ROWS {
            return Err(file_error("too_many_rows"));
        }
        let record = match record {
            Ok(r) => r,
            Err(_) => {
                report.errors.push(RowError {
                    line,
                    field: String::new(),
                    message: "csv_unreadable".into(),
                });
                continue;
            }
        };
        let cell = |name: &str| {
            position
                .get(name)
                .and_then(|i| record.get(*i))
                .map(crate::spreadsheet::restore)
                .unwrap_or("")
                .to_owned()
        };
        let mut issues = Issues::default();
        let category = reference(&cell("category"), "category", &mut issues, |code| {
            catalogue
                .category_by_code(code)
                .or_else(|| catalogue.categories.iter().find(|c| c.name == code))
                .map(|c| c.id)
        });
        let department = reference(&cell("department"), "department", &mut issues, |code| {
            catalogue
                .department_by_code(code)
                .or_else(|| catalogue.departments.iter().find(|d| d.name == code))
                .map(|d| d.id)
        });
        let raw = RawFields {
            asset_code: cell("asset_code"),
            name: cell("name"),
            model: cell("model"),
            serial_number: cell("serial_number"),
            location: cell("location"),
            purchase_date: cell("purchase_date"),
            purchase_price: cell("purchase_price"),
        };
        let fields = fields::validate(&raw, category, department, today, &mut issues);
        if let Some(fields) = &fields
            && let Some(first) = first_line_of.insert(fields.asset_code.clone(), line)
        {
            issues.add("asset_code", &format!("duplicate_in_file:{first}"));
        }
        report
            .errors
            .extend(issues.into_vec().into_iter().map(|i| RowError {
                line,
                field: i.field,
                message: i.message,
            }));
        rows.extend(fields);
    }
    if report.rows == 0 {
        return Err(file_error("csv_empty"));
    }
    if report.errors.is_empty() {
        Ok(rows)
    } else {
        Err(report)
    }
}

fn reference(
    value: &str,
    field: &str,
    issues: &mut Issues,
    find: impl Fn(&str) -> Option<i64>,
) -> Option<i64> {
    if value.is_empty() {
        issues.add(field, "choose_one");
        return None;
    }
    let found = find(value);
    if found.is_none() {
        issues.add(field, "unknown_code");
    }
    found
}

pub async fn import(
    state: &AppState,
    actor: &Principal,
    text: &str,
) -> Result<ImportReport, AppError> {
    let catalogue = crate::catalogue::cached::load(state).await?;
    let rows = match check(text, &catalogue, state.clock.today(chrono::Utc::now())) {
        Ok(rows) => rows,
        Err(report) => return Ok(report),
    };
    let codes: Vec<String> = rows.iter().map(|r| r.asset_code.clone()).collect();
    let taken = store::taken_asset_codes(&state.db, &codes).await?;
    if !taken.is_empty() {
        let errors = rows
            .iter()
            .enumerate()
            .filter(|(_, r)| taken.contains(&r.asset_code))
            .map(|(i, _)| RowError {
                line: u64::try_from(i).unwrap_or(u64::MAX).saturating_add(2),
                field: "asset_code".into(),
                message: "asset_code_taken".into(),
            })
            .collect();
        return Ok(ImportReport {
            rows: rows.len(),
            created: 0,
            errors,
        });
    }
    let mut tx = state.db.begin().await?;
    store::insert_many(&mut tx, actor.id, &rows)
        .await
        .map_err(super::manage::constraint_error)?;
    tx.commit().await?;
    state.list_counts.forget();
    tracing::info!(actor_id = actor.id, rows = rows.len(), "equipment imported");
    Ok(ImportReport {
        rows: rows.len(),
        created: rows.len(),
        errors: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::{Category, Department};

    fn today() -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(2026, 11, 29).expect("day")
    }

    fn catalogue() -> Catalogue {
        Catalogue {
            categories: vec![Category {
                id: 7,
                code: "LAPTOP".into(),
                name: "笔记本电脑".into(),
                description: String::new(),
            }],
            departments: vec![Department {
                id: 3,
                parent_id: None,
                code: "HQ".into(),
                name: "总部".into(),
                depth: 0,
            }],
        }
    }

    #[test]
    fn a_clean_file_gives_its_rows() {
        let text = "\u{feff}asset_code,name,category,department,purchase_price,status\n\
                    eq-1,Laptop A,laptop,HQ,4999.00,in_use\n\
                    EQ-2,Laptop B,笔记本电脑,总部,,\n";
        let rows = check(text, &catalogue(), today()).expect("valid");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].asset_code, "EQ-1");
        assert_eq!(rows[0].purchase_price_cents, Some(499_900));
        assert_eq!((rows[1].category_id, rows[1].department_id), (7, 3));
    }

    #[test]
    fn every_bad_row_is_reported_by_line_and_field() {
        let text = "asset_code,name,category,department,purchase_date\n\
                    EQ-1,ok,LAPTOP,HQ,\n\
                    EQ-1,dup,LAPTOP,HQ,\n\
                    EQ-3,,DESKTOP,HQ,2020-02-30\n";
        let report = check(text, &catalogue(), today()).expect_err("invalid");
        let found: Vec<(u64, &str, &str)> = report
            .errors
            .iter()
            .map(|e| (e.line, e.field.as_str(), e.message.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (3, "asset_code", "duplicate_in_file:2"),
                (4, "category", "unknown_code"),
                (4, "name", "name_required"),
                (4, "purchase_date", "date_invalid"),
            ]
        );
        assert_eq!(report.rows, 3);
        assert_eq!(report.created, 0);
    }

    #[test]
    fn a_missing_required_column_is_named() {
        let report = check(
            "asset_code,name,category\nA,b,LAPTOP\n",
            &catalogue(),
            today(),
        )
        .expect_err("invalid");
        assert_eq!(report.errors[0].field, "department");
        assert_eq!(report.errors[0].message, "column_missing");
    }
}
