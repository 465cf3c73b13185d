//! Equipment files: imports read CSV in any encoding offices save (GBK from
//! Chinese Excel included) and .xlsx workbooks, with headers in either
//! language; the template and exports are written in the reader's language.
mod columns;
#[cfg(feature = "ssr")]
mod decode;
#[cfg(feature = "ssr")]
mod export;
#[cfg(feature = "ssr")]
mod read;
#[cfg(feature = "ssr")]
mod write;

pub use columns::{Column, ExportOnly, export_headers};
#[cfg(feature = "ssr")]
pub use export::{ExportRows, template};
#[cfg(feature = "ssr")]
pub use read::{FileError, Row, Table, is_workbook, read_csv, read_file};
#[cfg(feature = "ssr")]
pub use write::{Cell, WorkbookOut, XlsxError, workbook};
