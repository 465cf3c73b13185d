//! A file as a table of text cells, whatever it came as: CSV in any encoding
//! offices save (comma, semicolon or tab separated) or an Excel workbook
//! (its first sheet). Lines are the file's own, counting the header as 1, so
//! a report points at the row a person sees in their spreadsheet program.
use super::decode::decode;

#[derive(Debug, Default)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Row>,
    /// Rows that could not be read as cells: (line, message key).
    pub broken: Vec<(u64, String)>,
}

#[derive(Debug)]
pub struct Row {
    pub line: u64,
    pub cells: Vec<String>,
}

impl Row {
    pub fn cell(&self, index: usize) -> &str {
        self.cells.get(index).map(String::as_str).unwrap_or("")
    }
}

/// Why a whole file could not be read: the key of its message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileError {
    /// Neither UTF-8, UTF-16 nor a Chinese encoding.
    Encoding,
    /// Not CSV, or a workbook that does not open.
    Unreadable,
    /// No header, or no row under it.
    Empty,
    TooManyRows,
}

impl FileError {
    pub fn key(self) -> &'static str {
        match self {
            FileError::Encoding => "file_encoding_unknown",
            FileError::Unreadable => "csv_unreadable",
            FileError::Empty => "csv_empty",
            FileError::TooManyRows => "too_many_rows",
        }
    }
}

/// An .xlsx file is a zip archive.
pub fn is_workbook(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

/// The bytes of an uploaded file (CSV or .xlsx), at most `max_rows` rows.
pub fn read_file(bytes: &[u8], max_rows: usize) -> Result<Table, FileError> {
    if is_workbook(bytes) {
        return read_workbook(bytes, max_rows);
    }
    let decoded = decode(bytes).ok_or(FileError::Encoding)?;
    read_csv(&decoded.text, max_rows)
}

/// Text (a decoded file, or what was pasted).
pub fn read_csv(text: &str, max_rows: usize) -> Result<Table, FileError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter(text))
        .trim(csv::Trim::All)
        .flexible(true)
        .has_headers(false)
        .from_reader(text.as_bytes());
    let mut table = Table::default();
    let mut lines = LineCounter::new(text);
    let mut records = reader.records();
    match records.next() {
        Some(Ok(header)) => table.headers = header.iter().map(str::to_owned).collect(),
        Some(Err(_)) => return Err(FileError::Unreadable),
        None => return Err(FileError::Empty),
    }
    for record in records {
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                let line = error.position().map_or(0, |p| lines.line_at(p.byte()));
                table.broken.push((line, "csv_unreadable".to_owned()));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| lines.line_at(p.byte()));
        let cells: Vec<String> = record.iter().map(str::to_owned).collect();
        table.push(line, cells, max_rows)?;
    }
    table.finish()
}

/// The line a record starts on. The csv crate's own line count is one short
/// after CRLF line ends (what Excel on Windows writes): a record's position
/// there still points at the `\n` that ends the line before.
struct LineCounter<'a> {
    bytes: &'a [u8],
    offset: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            bytes: text.as_bytes(),
            offset: 0,
            line: 1,
        }
    }

    /// Records come in order, so counting goes on from the last one.
    fn line_at(&mut self, byte: u64) -> u64 {
        let mut start = usize::try_from(byte)
            .unwrap_or(usize::MAX)
            .min(self.bytes.len());
        while matches!(self.bytes.get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        if start >= self.offset {
            let newlines = self.bytes[self.offset..start]
                .iter()
                .filter(|b| **b == b'\n')
                .count();
            self.line += u64::try_from(newlines).unwrap_or(0);
            self.offset = start;
        }
        self.line
    }
}

impl Table {
    fn push(&mut self, line: u64, cells: Vec<String>, max_rows: usize) -> Result<(), FileError> {
        if cells.iter().all(String::is_empty) {
            // Spreadsheet programs leave rows of empty cells at the end.
            return Ok(());
        }
        let extra = cells.len().saturating_sub(self.headers.len());
        if extra > 0 && cells[self.headers.len()..].iter().any(|c| !c.is_empty()) {
            // Typically `3,500` unquoted: the row would shift into wrong columns.
            self.broken.push((
                line,
                format!("too_many_cells:{}:{}", cells.len(), self.headers.len()),
            ));
            return Ok(());
        }
        if self.rows.len() + self.broken.len() >= max_rows {
            return Err(FileError::TooManyRows);
        }
        self.rows.push(Row { line, cells });
        Ok(())
    }

    fn finish(self) -> Result<Table, FileError> {
        if self.rows.is_empty() && self.broken.is_empty() {
            Err(FileError::Empty)
        } else {
            Ok(self)
        }
    }
}

/// Comma, unless the header line is clearly separated by tabs (Excel's
/// "Unicode text") or semicolons (Excel where the decimal mark is a comma).
fn delimiter(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or("");
    let count = |c: char| header.matches(c).count();
    let (commas, tabs, semicolons) = (count(','), count('\t'), count(';'));
    if tabs > commas && tabs >= semicolons {
        b'\t'
    } else if semicolons > commas {
        b';'
    } else {
        b','
    }
}

fn read_workbook(bytes: &[u8], max_rows: usize) -> Result<Table, FileError> {
    use calamine::{Reader, Xlsx};
    let mut workbook = Xlsx::new(std::io::Cursor::new(bytes)).map_err(|_| FileError::Unreadable)?;
    let range = workbook
        .worksheet_range_at(0)
        .ok_or(FileError::Empty)?
        .map_err(|_| FileError::Unreadable)?;
    let first_row = range.start().map(|(row, _)| u64::from(row)).unwrap_or(0);
    let first_column = range.start().map(|(_, column)| column).unwrap_or(0);
    // Cells left of the used range are empty: keep the columns where they are.
    let padding = usize::try_from(first_column).unwrap_or(0);
    let mut rows = range.rows().enumerate().map(|(index, cells)| {
        let line = first_row + u64::try_from(index).unwrap_or(u64::MAX) + 1;
        let cells: Vec<String> = std::iter::repeat_n(String::new(), padding)
            .chain(cells.iter().map(cell_text))
            .collect();
        (line, cells)
    });
    let mut table = Table::default();
    match rows.next() {
        Some((_, headers)) => table.headers = headers,
        None => return Err(FileError::Empty),
    }
    for (line, cells) in rows {
        table.push(line, cells, max_rows)?;
    }
    table.finish()
}

/// A workbook cell as the text a person would have typed.
fn cell_text(cell: &calamine::Data) -> String {
    use calamine::Data;
    match cell {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(text) | Data::DateTimeIso(text) | Data::DurationIso(text) => {
            text.trim().to_owned()
        }
        Data::Int(number) => number.to_string(),
        // Whole numbers (asset codes, prices) without Excel's binary noise.
        Data::Float(number) => {
            let rounded = (number * 100.0).round() / 100.0;
            if rounded.fract() == 0.0 {
                format!("{rounded:.0}")
            } else {
                format!("{rounded}")
            }
        }
        Data::Bool(value) => value.to_string(),
        Data::DateTime(moment) => moment
            .as_datetime()
            .map(|at| at.date().format("%Y-%m-%d").to_string())
            .unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unquoted_thousands_separator_is_a_reported_row_not_a_silent_shift() {
        let table = read_csv(
            "asset_code,name,purchase_price\nEQ-1,A,3,500\nEQ-2,B,\"3,500\"\n",
            100,
        )
        .expect("readable");
        assert_eq!(table.broken, [(2, "too_many_cells:4:3".to_owned())]);
        assert_eq!(table.rows.len(), 1);
        assert_eq!((table.rows[0].line, table.rows[0].cell(2)), (3, "3,500"));
    }

    #[test]
    fn lines_are_right_with_the_crlf_excel_writes_and_quoted_line_breaks() {
        let table = read_csv("a,b\r\n1,2\r\n3,\"x\r\ny\"\r\n4,5,6\r\n", 100).expect("readable");
        let lines: Vec<u64> = table.rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, [2, 3]);
        assert_eq!(table.broken, [(5, "too_many_cells:3:2".to_owned())]);
    }

    #[test]
    fn tabs_and_semicolons_separate_when_the_header_says_so() {
        for text in [
            "资产编号\t名称\nEQ-1\t笔记本\n",
            "资产编号;名称\nEQ-1;笔记本\n",
        ] {
            let table = read_csv(text, 100).expect("readable");
            assert_eq!(table.headers, ["资产编号", "名称"]);
            assert_eq!(table.rows[0].cells, ["EQ-1", "笔记本"]);
        }
    }

    #[test]
    fn empty_rows_are_skipped_and_lines_count_from_the_header() {
        let table = read_csv("a,b\n,\nx,y\n,,\n", 100).expect("readable");
        assert_eq!(table.rows.len(), 1);
        assert_eq!(table.rows[0].line, 3);
        assert_eq!(read_csv("a,b\n,\n", 100).err(), Some(FileError::Empty));
    }

    #[test]
    fn more_rows_than_allowed_stop_the_read() {
        assert_eq!(
            read_csv("a\n1\n2\n3\n", 2).err(),
            Some(FileError::TooManyRows)
        );
    }

    #[test]
    fn a_workbook_written_by_us_reads_back_cell_for_cell() {
        let bytes = super::super::write::workbook(
            &["资产编号", "名称", "购置日期", "购置价格"],
            vec![vec![
                super::super::write::Cell::Text("EQ-1".into()),
                super::super::write::Cell::Text("=1+1".into()),
                super::super::write::Cell::Date(
                    chrono::NaiveDate::from_ymd_opt(2026, 1, 10).expect("day"),
                ),
                super::super::write::Cell::Price(350_050),
            ]],
        )
        .expect("xlsx");
        assert!(is_workbook(&bytes));
        let table = read_file(&bytes, 100).expect("readable");
        assert_eq!(table.headers, ["资产编号", "名称", "购置日期", "购置价格"]);
        assert_eq!(table.rows[0].line, 2);
        assert_eq!(
            table.rows[0].cells,
            ["EQ-1", "=1+1", "2026-01-10", "3500.5"]
        );
    }
}
