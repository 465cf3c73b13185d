//! CSV formula injection (OWASP): a spreadsheet program evaluates a cell that
//! begins with `=`, `+`, `-` or `@` (and, in some, a tab or carriage return)
//! as a formula, so a display name such as `=HYPERLINK(…)` typed by one user
//! would run in another's spreadsheet. Such cells are written with a leading
//! `'`, which spreadsheet programs show as text and do not display.
use std::borrow::Cow;

const TRIGGERS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// The cell as written to a file: text that could start a formula gets a `'`.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(TRIGGERS) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// The cell as meant, when a file we wrote comes back: a `'` that we put in
/// front of a would-be formula is dropped (any other `'` is kept).
pub fn restore(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(TRIGGERS) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn would_be_formulas_are_written_as_text_and_read_back_as_typed() {
        for typed in [
            "=HYPERLINK(\"http://evil\",\"x\")",
            "+1",
            "-1",
            "@SUM(A1)",
            "\tx",
            "\rx",
        ] {
            let written = neutralise(typed);
            assert!(written.starts_with('\''), "{typed:?}");
            assert_eq!(restore(&written), typed);
        }
    }

    #[test]
    fn ordinary_text_is_untouched_both_ways() {
        for text in [
            "演示领导",
            "ThinkPad X1",
            "3500.00",
            "2026-01-10",
            "'quoted",
            "a=b",
            "",
        ] {
            assert_eq!(neutralise(text), text);
            assert_eq!(restore(text), text);
        }
    }
}
