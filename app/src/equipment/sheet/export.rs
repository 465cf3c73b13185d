//! Rows of an export and of the template, in the reader's language: headers,
//! category and department names, statuses and times in the organisation's
//! zone. The columns are the import's, so a file edited in Excel imports back.
use super::columns::export_headers;
use super::write::Cell;
use crate::catalogue::Catalogue;
use crate::clock::OrgClock;
use crate::equipment::{EquipmentItem, status_label};
use crate::i18n::Locale;

pub struct ExportRows<'a> {
    pub catalogue: &'a Catalogue,
    pub clock: &'a OrgClock,
    pub locale: Locale,
}

impl ExportRows<'_> {
    pub fn headers(&self) -> Vec<&'static str> {
        export_headers(self.locale)
    }

    /// The item as workbook cells (dates and prices typed).
    pub fn cells(&self, item: &EquipmentItem) -> Vec<Cell> {
        let text = |s: &str| Cell::Text(s.to_owned());
        vec![
            text(&item.asset_code),
            text(&item.name),
            text(&item.model),
            text(item.serial_number.as_deref().unwrap_or("")),
            text(self.category(item)),
            text(self.department(item)),
            text(&item.location),
            item.purchase_date.map_or_else(|| text(""), Cell::Date),
            item.purchase_price_cents
                .map_or_else(|| text(""), Cell::Price),
            text(status_label(self.locale, item.status)),
            text(item.holder_name.as_deref().unwrap_or("")),
            Cell::Text(self.clock.minute(item.created_at)),
        ]
    }

    /// The item as CSV text cells.
    pub fn texts(&self, item: &EquipmentItem) -> Vec<String> {
        self.cells(item).into_iter().map(Cell::into_text).collect()
    }

    /// Names, as a person reads and types them (an import takes names or codes).
    fn category(&self, item: &EquipmentItem) -> &str {
        self.catalogue
            .category(item.category_id)
            .map_or("", |c| c.name.as_str())
    }

    fn department(&self, item: &EquipmentItem) -> &str {
        self.catalogue
            .department(item.department_id)
            .map_or("", |d| d.name.as_str())
    }
}

/// The template: the importable headers and one example row, using the
/// organisation's own first category and department so it imports as is
/// (once its asset code is changed).
pub fn template(catalogue: &Catalogue, locale: Locale) -> (Vec<&'static str>, Vec<Cell>) {
    let headers = super::Column::ALL.iter().map(|c| c.label(locale)).collect();
    let category = catalogue.categories.first().map_or("", |c| c.name.as_str());
    let department = catalogue
        .departments
        .first()
        .map_or("", |d| d.name.as_str());
    let (name, location) = match locale {
        Locale::zh => ("联想 ThinkPad X1 笔记本电脑", "3 楼 301 室"),
        Locale::en => ("ThinkPad X1 laptop", "Room 301, 3rd floor"),
    };
    let row = vec![
        Cell::Text("EQ-2026-0001".into()),
        Cell::Text(name.into()),
        Cell::Text("Gen 11".into()),
        Cell::Text("SN123456".into()),
        Cell::Text(category.into()),
        Cell::Text(department.into()),
        Cell::Text(location.into()),
        chrono::NaiveDate::from_ymd_opt(2026, 3, 1).map_or(Cell::Text(String::new()), Cell::Date),
        Cell::Price(1_299_900),
    ];
    (headers, row)
}
