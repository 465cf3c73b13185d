//! Calendar days as people type them, kept to a window the database and the
//! business can use: every date a form, a filter or a file gives goes
//! through `parse_day`.
//!
//! chrono's `%Y` takes signed years of any length (`+99999-01-01`,
//! `-262000-01-01`); PostgreSQL stores neither, and a loan starting in the
//! year 99999 would never fall due. So years have four digits and days lie
//! between `EARLIEST_DAY` and `LATEST_DAY`.
use chrono::{DateTime, NaiveDate, Utc};

/// The first day any date may name (purchase dates of old stock included).
pub const EARLIEST_DAY: NaiveDate = match NaiveDate::from_ymd_opt(1900, 1, 1) {
    Some(day) => day,
    None => panic!("a valid constant date"),
};

/// The last day any date may name.
pub const LATEST_DAY: NaiveDate = match NaiveDate::from_ymd_opt(2199, 12, 31) {
    Some(day) => day,
    None => panic!("a valid constant date"),
};

/// Why a day was refused: the key a form shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayError {
    /// Not a date in any form we read.
    Invalid,
    /// A real date, outside `EARLIEST_DAY..=LATEST_DAY`.
    OutOfRange,
}

impl DayError {
    pub fn key(self) -> &'static str {
        match self {
            DayError::Invalid => "date_invalid",
            DayError::OutOfRange => "date_out_of_range",
        }
    }
}

/// A day as `2026-01-10`, `2026-1-10`, `2026/01/10`, `2026.1.10` or
/// `2026年1月10日` (spaces around the parts allowed), within the window.
pub fn parse_day(text: &str) -> Result<NaiveDate, DayError> {
    let text = text.trim();
    let parts: Vec<&str> = if let Some(rest) = text.strip_suffix('日') {
        rest.split(['年', '月']).collect()
    } else {
        text.split(['-', '/', '.']).collect()
    };
    let [year, month, day] = parts.as_slice() else {
        return Err(DayError::Invalid);
    };
    let number = |part: &str, max_digits: usize| -> Result<u32, DayError> {
        let part = part.trim();
        if part.is_empty() || part.len() > max_digits || !part.bytes().all(|b| b.is_ascii_digit()) {
            return Err(DayError::Invalid);
        }
        part.parse().map_err(|_| DayError::Invalid)
    };
    if year.trim().len() != 4 {
        return Err(DayError::Invalid);
    }
    let year = i32::try_from(number(year, 4)?).map_err(|_| DayError::Invalid)?;
    let date = NaiveDate::from_ymd_opt(year, number(month, 2)?, number(day, 2)?)
        .ok_or(DayError::Invalid)?;
    if (EARLIEST_DAY..=LATEST_DAY).contains(&date) {
        Ok(date)
    } else {
        Err(DayError::OutOfRange)
    }
}

/// Whether an instant lies in the window (for timestamps clients send back,
/// such as a cursor's).
pub fn instant_in_window(at: DateTime<Utc>) -> bool {
    let start = EARLIEST_DAY.and_hms_opt(0, 0, 0).map(|t| t.and_utc());
    let end = LATEST_DAY.and_hms_opt(23, 59, 59).map(|t| t.and_utc());
    matches!((start, end), (Some(start), Some(end)) if (start..=end).contains(&at))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    #[test]
    fn the_forms_people_type_are_read() {
        for text in [
            "2026-01-10",
            "2026-1-10",
            "2026/01/10",
            "2026/1/10",
            "2026.1.10",
            "2026年1月10日",
            " 2026 年 1 月 10 日 ",
        ] {
            assert_eq!(parse_day(text), Ok(day(2026, 1, 10)), "{text:?}");
        }
    }

    #[test]
    fn signed_long_and_impossible_years_are_refused() {
        for text in [
            "+99999-01-01",
            "-5000-01-01",
            "-262000-01-01",
            "99999-01-01",
            "26-01-10",
            "2026-13-01",
            "2026-02-30",
            "2026-01",
            "2026-01-10-1",
            "yesterday",
            "",
            "２０２６-01-10",
        ] {
            assert_eq!(parse_day(text), Err(DayError::Invalid), "{text:?}");
        }
    }

    #[test]
    fn real_dates_outside_the_window_say_so() {
        assert_eq!(parse_day("1899-12-31"), Err(DayError::OutOfRange));
        assert_eq!(parse_day("2200-01-01"), Err(DayError::OutOfRange));
        assert_eq!(parse_day("1900-01-01"), Ok(EARLIEST_DAY));
        assert_eq!(parse_day("2199-12-31"), Ok(LATEST_DAY));
    }

    #[test]
    fn instants_outside_the_window_are_refused() {
        assert!(instant_in_window(Utc::now()));
        let far = DateTime::from_timestamp_micros(-8_000_000_000_000_000_000).expect("chrono");
        assert!(!instant_in_window(far));
    }
}
