//! The one CSV writer: UTF-8 with a byte-order mark (so spreadsheet programs
//! read Chinese names correctly), every cell neutralised.
use super::cells::neutralise;

pub struct CsvOut {
    writer: csv::Writer<Vec<u8>>,
}

impl CsvOut {
    /// A new file; `bom` for its first chunk (a streamed file's later chunks
    /// carry none).
    pub fn new(bom: bool) -> Self {
        let start = if bom {
            b"\xEF\xBB\xBF".to_vec()
        } else {
            Vec::new()
        };
        Self {
            writer: csv::Writer::from_writer(start),
        }
    }

    pub fn record<I, S>(&mut self, cells: I) -> Result<(), csv::Error>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.writer.write_record(
            cells
                .into_iter()
                .map(|c| neutralise(c.as_ref()).into_owned()),
        )
    }

    pub fn finish(self) -> Result<Vec<u8>, csv::Error> {
        self.writer
            .into_inner()
            .map_err(|e| csv::Error::from(std::io::Error::other(e.to_string())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_cell_is_neutralised_and_the_file_starts_with_a_bom() {
        let mut out = CsvOut::new(true);
        out.record(["name", "note"]).expect("header");
        out.record(["=1+1", "fine"]).expect("row");
        let text = String::from_utf8(out.finish().expect("csv")).expect("utf-8");
        assert_eq!(text, "\u{feff}name,note\n'=1+1,fine\n");
    }
}
