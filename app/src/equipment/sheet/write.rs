//! Excel workbooks out: the template and exports. Every text is written as a
//! string cell, never a formula, so nothing typed by one user runs in another's
//! spreadsheet (the CSV writer needs `neutralise` for that; a workbook does not).
pub use rust_xlsxwriter::XlsxError;
use rust_xlsxwriter::{Format, Workbook};

pub enum Cell {
    Text(String),
    Date(chrono::NaiveDate),
    /// Fen, shown as yuan with two decimals.
    Price(i64),
}

impl Cell {
    /// The cell as a CSV writes it: dates as 2026-01-10, prices as 3500.00.
    pub fn into_text(self) -> String {
        match self {
            Cell::Text(text) => text,
            Cell::Date(day) => day.format("%Y-%m-%d").to_string(),
            Cell::Price(fen) => crate::equipment::format_price(fen),
        }
    }
}

/// A workbook of one sheet: a bold header row, then the rows.
pub fn workbook(headers: &[&str], rows: Vec<Vec<Cell>>) -> Result<Vec<u8>, XlsxError> {
    let mut out = WorkbookOut::new(headers)?;
    for row in rows {
        out.row(row)?;
    }
    out.finish()
}

/// A workbook written row by row (constant memory: rows go to a temporary
/// file, not a tree in RAM).
pub struct WorkbookOut {
    workbook: Workbook,
    next_row: u32,
    date: Format,
    price: Format,
}

impl WorkbookOut {
    pub fn new(headers: &[&str]) -> Result<Self, XlsxError> {
        let mut workbook = Workbook::new();
        let bold = Format::new().set_bold();
        let sheet = workbook.add_worksheet_with_constant_memory()?;
        // Widths first: a constant-memory sheet writes its columns' setup
        // before the rows.
        for (column, header) in (0u16..).zip(headers) {
            sheet.set_column_width(column, column_width(header))?;
        }
        for (column, header) in (0u16..).zip(headers) {
            sheet.write_string_with_format(0, column, *header, &bold)?;
        }
        sheet.set_freeze_panes(1, 0)?;
        Ok(Self {
            workbook,
            next_row: 1,
            date: Format::new().set_num_format("yyyy-mm-dd"),
            price: Format::new().set_num_format("#,##0.00"),
        })
    }

    pub fn row(&mut self, cells: Vec<Cell>) -> Result<(), XlsxError> {
        let row = self.next_row;
        let sheet = self.workbook.worksheet_from_index(0)?;
        for (column, cell) in (0u16..).zip(cells) {
            match cell {
                Cell::Text(text) if text.is_empty() => {}
                Cell::Text(text) => {
                    sheet.write_string(row, column, text)?;
                }
                Cell::Date(day) => {
                    sheet.write_datetime_with_format(row, column, day, &self.date)?;
                }
                Cell::Price(fen) => {
                    #[allow(clippy::cast_precision_loss)]
                    // fen fit f64 exactly far beyond any price
                    let yuan = fen as f64 / 100.0;
                    sheet.write_number_with_format(row, column, yuan, &self.price)?;
                }
            }
        }
        self.next_row += 1;
        Ok(())
    }

    pub fn finish(mut self) -> Result<Vec<u8>, XlsxError> {
        self.workbook.save_to_buffer()
    }
}

/// Wide enough for the header (Chinese characters count double).
fn column_width(header: &str) -> f64 {
    let width: usize = header
        .chars()
        .map(|c| if c.is_ascii() { 1 } else { 2 })
        .sum();
    f64::from(u16::try_from(width.max(12) + 2).unwrap_or(40))
}
