//! Import, all or nothing: a CSV file in any encoding offices save, pasted
//! text or an .xlsx workbook, with headers in either language. Every row is
//! checked in one pass (fields, category and department by code or name,
//! asset codes unique in the file and not yet taken); with any problem nothing
//! is written and the report lists each one by line.
use std::collections::HashMap;

use super::fields::{self, EquipmentFields, RawFields};
use super::model::{IMPORT_MAX_ROWS, ImportReport, RowError};
use super::sheet::{Column, FileError, Table};
use super::store;
use crate::auth::principal::Principal;
use crate::catalogue::Catalogue;
use crate::error::AppError;
use crate::forms::Issues;
use crate::state::AppState;

/// What the form sent: a chosen file, or text pasted into the box.
pub enum Upload {
    File(Vec<u8>),
    Pasted(String),
}

impl Upload {
    /// The multipart form's `file` (when one was chosen) or `csv` field.
    pub async fn read(data: leptos::server_fn::codec::MultipartData) -> Result<Self, AppError> {
        let unreadable = |_| AppError::Transport("the form could not be read".into());
        let mut form = data
            .into_inner()
            .ok_or_else(|| AppError::Transport("no form".into()))?;
        let (mut file, mut pasted) = (Vec::new(), String::new());
        while let Some(field) = form.next_field().await.map_err(unreadable)? {
            match field.name() {
                Some("file") => file = field.bytes().await.map_err(unreadable)?.to_vec(),
                Some("csv") => pasted = field.text().await.map_err(unreadable)?,
                _ => {}
            }
        }
        Ok(if file.is_empty() {
            Upload::Pasted(pasted)
        } else {
            Upload::File(file)
        })
    }

    fn table(&self) -> Result<Table, FileError> {
        match self {
            Upload::File(bytes) => super::sheet::read_file(bytes, IMPORT_MAX_ROWS),
            Upload::Pasted(text) => super::sheet::read_csv(text, IMPORT_MAX_ROWS),
        }
    }
}

fn file_error(key: &str) -> ImportReport {
    ImportReport {
        errors: vec![RowError {
            line: 1,
            field: String::new(),
            message: key.to_owned(),
        }],
        ..ImportReport::default()
    }
}

/// The rows of a file that passed every check, each with its line.
pub struct Checked {
    pub rows: Vec<(u64, EquipmentFields)>,
    pub report: ImportReport,
}

/// Checks every row of the table; what the database knows (asset codes
/// taken) is checked by `import`.
/// `today` is the organisation's (purchase dates may not lie after it).
pub fn check(table: &Table, catalogue: &Catalogue, today: chrono::NaiveDate) -> Checked {
    let mut position: HashMap<Column, usize> = HashMap::new();
    for (index, header) in table.headers.iter().enumerate() {
        if let Some(column) = Column::from_header(header) {
            position.entry(column).or_insert(index);
        }
    }
    let mut report = ImportReport {
        rows: table.rows.len() + table.broken.len(),
        ..ImportReport::default()
    };
    let missing: Vec<RowError> = Column::REQUIRED
        .iter()
        .filter(|c| !position.contains_key(c))
        .map(|c| RowError {
            line: 1,
            field: c.key().to_owned(),
            message: "column_missing".to_owned(),
        })
        .collect();
    if !missing.is_empty() {
        report.errors = missing;
        return Checked {
            rows: Vec::new(),
            report,
        };
    }
    report
        .errors
        .extend(table.broken.iter().map(|(line, message)| RowError {
            line: *line,
            field: String::new(),
            message: message.clone(),
        }));
    let mut rows = Vec::new();
    let mut first_line_of: HashMap<String, u64> = HashMap::new();
    for row in &table.rows {
        let cell = |column: Column| {
            position
                .get(&column)
                .map(|i| crate::spreadsheet::restore(row.cell(*i)))
                .unwrap_or("")
                .to_owned()
        };
        let mut issues = Issues::default();
        let category = reference(&cell(Column::Category), "category", &mut issues, |code| {
            catalogue
                .category_by_code(code)
                .or_else(|| catalogue.categories.iter().find(|c| c.name == code))
                .map(|c| c.id)
        });
        let department = reference(
            &cell(Column::Department),
            "department",
            &mut issues,
            |code| {
                catalogue
                    .department_by_code(code)
                    .or_else(|| catalogue.departments.iter().find(|d| d.name == code))
                    .map(|d| d.id)
            },
        );
        let raw = RawFields {
            asset_code: cell(Column::AssetCode),
            name: cell(Column::Name),
            model: cell(Column::Model),
            serial_number: cell(Column::SerialNumber),
            location: cell(Column::Location),
            purchase_date: cell(Column::PurchaseDate),
            purchase_price: cell(Column::PurchasePrice),
        };
        let fields = fields::validate(&raw, category, department, today, &mut issues);
        if let Some(fields) = &fields
            && let Some(first) = first_line_of.insert(fields.asset_code.clone(), row.line)
        {
            issues.add("asset_code", &format!("duplicate_in_file:{first}"));
        }
        report
            .errors
            .extend(issues.into_vec().into_iter().map(|i| RowError {
                line: row.line,
                field: i.field,
                message: i.message,
            }));
        rows.extend(fields.map(|f| (row.line, f)));
    }
    Checked { rows, report }
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
    upload: &Upload,
) -> Result<ImportReport, AppError> {
    let table = match upload.table() {
        Ok(table) => table,
        Err(error) => return Ok(file_error(error.key())),
    };
    let catalogue = crate::catalogue::cached::load(state).await?;
    let Checked { rows, mut report } =
        check(&table, &catalogue, state.clock.today(chrono::Utc::now()));
    if report.errors.iter().any(|e| e.message == "column_missing") {
        return Ok(report);
    }
    // Asset codes already in the catalogue are problems of the same pass.
    let codes: Vec<String> = rows.iter().map(|(_, r)| r.asset_code.clone()).collect();
    let taken = store::taken_asset_codes(&state.db, &codes).await?;
    report.errors.extend(
        rows.iter()
            .filter(|(_, r)| taken.contains(&r.asset_code))
            .map(|(line, _)| RowError {
                line: *line,
                field: "asset_code".into(),
                message: "asset_code_taken".into(),
            }),
    );
    if !report.errors.is_empty() {
        report.errors.sort_by_key(|e| e.line);
        return Ok(report);
    }
    let rows: Vec<EquipmentFields> = rows.into_iter().map(|(_, r)| r).collect();
    let mut tx = state.db.begin().await?;
    store::insert_many(&mut tx, actor.id, &rows)
        .await
        .map_err(super::manage::constraint_error)?;
    tx.commit().await?;
    state.list_counts.forget();
    tracing::info!(actor_id = actor.id, rows = rows.len(), "equipment imported");
    report.created = rows.len();
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::{Category, Department};

    fn table(text: &str) -> Table {
        crate::equipment::sheet::read_csv(text, IMPORT_MAX_ROWS).expect("readable")
    }

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
        let checked = check(&table(text), &catalogue(), today());
        assert_eq!(checked.report.errors, []);
        let rows: Vec<EquipmentFields> = checked.rows.into_iter().map(|(_, r)| r).collect();
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
        let report = check(&table(text), &catalogue(), today()).report;
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
    fn a_gbk_file_with_chinese_headers_as_chinese_excel_saves_it() {
        let text = "资产编号,名称,类别,部门,购置日期,购置价格（元）\r\n\
                    EQ-9,联想笔记本,笔记本电脑,总部,2026年1月10日,\"3,500\"\r\n";
        let bytes = encoding_rs::GBK.encode(text).0.into_owned();
        let table = crate::equipment::sheet::read_file(&bytes, IMPORT_MAX_ROWS).expect("readable");
        let checked = check(&table, &catalogue(), today());
        assert_eq!(checked.report.errors, []);
        let (line, row) = &checked.rows[0];
        assert_eq!(*line, 2);
        assert_eq!(row.name, "联想笔记本");
        assert_eq!((row.category_id, row.department_id), (7, 3));
        assert_eq!(row.purchase_price_cents, Some(350_000));
        assert_eq!(
            row.purchase_date,
            chrono::NaiveDate::from_ymd_opt(2026, 1, 10)
        );
    }

    #[test]
    fn a_missing_required_column_is_named() {
        let report = check(
            &table("asset_code,name,category\nA,b,LAPTOP\n"),
            &catalogue(),
            today(),
        )
        .report;
        assert_eq!(report.errors[0].field, "department");
        assert_eq!(report.errors[0].message, "column_missing");
    }
}
