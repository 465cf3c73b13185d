//! Files that spreadsheet programs open: every CSV the application writes
//! goes through `CsvOut`, so no cell can be read back as a formula, and
//! imports read such cells back as what was meant.
mod cells;
mod csv_out;

pub use cells::{neutralise, restore};
pub use csv_out::CsvOut;
