//! An item's editable fields, validated the same way for the form and for
//! every row of a CSV import; each mistake names its field.
use chrono::NaiveDate;

use crate::forms::Issues;

/// The fields as typed (form inputs or CSV cells).
#[derive(Debug, Clone, Default)]
pub struct RawFields {
    pub asset_code: String,
    pub name: String,
    pub model: String,
    pub serial_number: String,
    pub location: String,
    pub purchase_date: String,
    pub purchase_price: String,
}

/// The fields ready to be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EquipmentFields {
    pub asset_code: String,
    pub name: String,
    pub model: String,
    pub serial_number: Option<String>,
    pub category_id: i64,
    pub department_id: i64,
    pub location: String,
    pub purchase_date: Option<NaiveDate>,
    pub purchase_price_cents: Option<i64>,
}

fn too_long(value: &str, max: usize) -> bool {
    value.chars().count() > max
}

/// `"1234.5"` yuan → 123450 fen; at most two decimals, not negative. Thousands
/// separators and the currency as spreadsheets show it (`¥3,500.00`, `3500元`)
/// are allowed.
pub fn parse_price(value: &str) -> Option<i64> {
    let value = value.trim();
    let value = value.trim_start_matches(['¥', '￥']).trim_end_matches('元');
    let value = value.trim().replace([',', '，'], "");
    let (whole, fraction) = value.split_once('.').unwrap_or((&value, ""));
    if whole.is_empty()
        || !whole.chars().all(|c| c.is_ascii_digit())
        || fraction.len() > 2
        || !fraction.chars().all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let whole: i64 = whole.parse().ok()?;
    let fraction: i64 = format!("{fraction:0<2}").parse().ok()?;
    whole.checked_mul(100)?.checked_add(fraction)
}

pub fn valid_asset_code(code: &str) -> bool {
    (1..=40).contains(&code.len())
        && code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// `category_id`/`department_id` are resolved by the caller (form ids or CSV
/// codes), which reports their own mistakes.
/// Checks one item's fields; `today` is the organisation's (a purchase date
/// may not lie after it).
pub fn validate(
    raw: &RawFields,
    category_id: Option<i64>,
    department_id: Option<i64>,
    today: NaiveDate,
    issues: &mut Issues,
) -> Option<EquipmentFields> {
    let before = issues.len();
    let asset_code = raw.asset_code.trim().to_uppercase();
    if asset_code.is_empty() {
        issues.add("asset_code", "asset_code_required");
    } else if !valid_asset_code(&asset_code) {
        issues.add("asset_code", "asset_code_invalid");
    }
    let name = raw.name.trim();
    if name.is_empty() {
        issues.add("name", "name_required");
    } else if too_long(name, 200) {
        issues.add("name", "name_too_long");
    }
    let model = raw.model.trim();
    if too_long(model, 200) {
        issues.add("model", "text_too_long");
    }
    let serial = raw.serial_number.trim();
    if too_long(serial, 100) {
        issues.add("serial_number", "text_too_long");
    }
    let location = raw.location.trim();
    if too_long(location, 200) {
        issues.add("location", "text_too_long");
    }
    let date = raw.purchase_date.trim();
    let purchase_date = if date.is_empty() {
        None
    } else {
        match crate::dates::parse_day(date) {
            Ok(d) if d <= today => Some(d),
            Ok(_) => {
                issues.add("purchase_date", "date_in_future");
                None
            }
            Err(error) => {
                issues.add("purchase_date", error.key());
                None
            }
        }
    };
    let price = raw.purchase_price.trim();
    let purchase_price_cents = if price.is_empty() {
        None
    } else {
        let cents = parse_price(price);
        if cents.is_none() {
            issues.add("purchase_price", "price_invalid");
        }
        cents
    };
    if issues.len() > before {
        return None;
    }
    Some(EquipmentFields {
        asset_code,
        name: name.to_owned(),
        model: model.to_owned(),
        serial_number: Some(serial.to_owned()).filter(|s| !s.is_empty()),
        category_id: category_id?,
        department_id: department_id?,
        location: location.to_owned(),
        purchase_date,
        purchase_price_cents,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_are_yuan_with_at_most_two_decimals() {
        assert_eq!(parse_price("1234.5"), Some(123_450));
        assert_eq!(parse_price("0.07"), Some(7));
        assert_eq!(parse_price("12,999"), Some(1_299_900));
        assert_eq!(parse_price("7"), Some(700));
        assert_eq!(parse_price("¥3,500.00"), Some(350_000));
        assert_eq!(parse_price("￥1,234,567.8"), Some(123_456_780));
        assert_eq!(parse_price("3500元"), Some(350_000));
        for bad in ["-1", "1.234", "abc", ".5", "1e3", ""] {
            assert_eq!(parse_price(bad), None, "{bad}");
        }
    }

    #[test]
    fn every_wrong_field_is_named() {
        let raw = RawFields {
            asset_code: "bad code!".into(),
            name: " ".into(),
            purchase_date: "2020-13-01".into(),
            purchase_price: "-3".into(),
            ..RawFields::default()
        };
        let mut issues = Issues::default();
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 29).expect("day");
        assert_eq!(validate(&raw, Some(1), Some(1), today, &mut issues), None);
        let fields: Vec<String> = issues.into_vec().into_iter().map(|i| i.field).collect();
        assert_eq!(
            fields,
            ["asset_code", "name", "purchase_date", "purchase_price"]
        );
    }

    #[test]
    fn codes_are_upper_cased_and_blanks_dropped() {
        let raw = RawFields {
            asset_code: " eq-001 ".into(),
            name: "示波器".into(),
            ..RawFields::default()
        };
        let mut issues = Issues::default();
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 29).expect("day");
        let fields = validate(&raw, Some(2), Some(3), today, &mut issues).expect("valid");
        assert_eq!(fields.asset_code, "EQ-001");
        assert_eq!(fields.serial_number, None);
        assert_eq!((fields.category_id, fields.department_id), (2, 3));
    }
}
