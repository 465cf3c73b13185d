//! Words for statuses and kinds, and small shared bits of the equipment pages.
use leptos::prelude::*;

use crate::auth::api::url_query;
use crate::equipment::{EquipmentStatus, ListParams};
use crate::i18n::*;

pub fn status_label(locale: Locale, status: EquipmentStatus) -> &'static str {
    match status {
        EquipmentStatus::Available => td_string!(locale, status_available),
        EquipmentStatus::InUse => td_string!(locale, status_in_use),
        EquipmentStatus::UnderRepair => td_string!(locale, status_under_repair),
        EquipmentStatus::Scrapped => td_string!(locale, status_scrapped),
    }
}

pub fn status_class(status: EquipmentStatus) -> &'static str {
    match status {
        EquipmentStatus::Available => "badge badge-ok",
        EquipmentStatus::InUse => "badge badge-busy",
        EquipmentStatus::UnderRepair => "badge badge-warn",
        EquipmentStatus::Scrapped => "badge badge-off",
    }
}

#[component]
pub fn StatusBadge(status: EquipmentStatus) -> impl IntoView {
    let i18n = use_i18n();
    view! { <span class=status_class(status)>{move || status_label(i18n.get_locale(), status)}</span> }
}

pub fn kind_label(locale: Locale, kind: &str) -> String {
    match kind {
        "borrow" => td_string!(locale, kind_borrow).to_owned(),
        "return" => td_string!(locale, kind_return).to_owned(),
        "repair" => td_string!(locale, kind_repair).to_owned(),
        "scrap" => td_string!(locale, kind_scrap).to_owned(),
        other => other.to_owned(),
    }
}

pub fn request_status_label(locale: Locale, status: &str) -> String {
    match status {
        "pending" => td_string!(locale, request_pending).to_owned(),
        "approved" => td_string!(locale, request_approved).to_owned(),
        "rejected" => td_string!(locale, request_rejected).to_owned(),
        "cancelled" => td_string!(locale, request_cancelled).to_owned(),
        other => other.to_owned(),
    }
}

/// A loan period as "start – end"; empty when the request has none.
pub fn period_text(start: Option<chrono::NaiveDate>, end: Option<chrono::NaiveDate>) -> String {
    match (start, end) {
        (Some(start), Some(end)) if start == end => start.to_string(),
        (Some(start), Some(end)) => format!("{start} – {end}"),
        _ => String::new(),
    }
}

/// Who decided a request and what they said: "who: comment", "who", or empty.
pub fn decision_text(approver: Option<&str>, comment: Option<&str>) -> String {
    match (approver, comment) {
        (Some(who), Some(comment)) if !comment.is_empty() => format!("{who}: {comment}"),
        (Some(who), _) => who.to_owned(),
        _ => String::new(),
    }
}

/// 12345 → "12,345".
pub fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// The filter part of a list address, without page or cursor.
pub fn filter_pairs(params: &ListParams) -> Vec<(&'static str, String)> {
    [
        ("status", &params.status),
        ("category", &params.category),
        ("department", &params.department),
        ("q", &params.q),
    ]
    .into_iter()
    .filter_map(|(k, v)| {
        v.as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(|v| (k, v.to_owned()))
    })
    .collect()
}

/// `base` with the list's filters and a page or a cursor.
pub fn list_href(
    base: &str,
    params: &ListParams,
    page: Option<u32>,
    cursor: Option<&str>,
) -> String {
    let mut pairs = filter_pairs(params);
    if let Some(page) = page.filter(|p| *p > 1) {
        pairs.push(("page", page.to_string()));
    }
    if let Some(cursor) = cursor {
        pairs.push(("cursor", cursor.to_owned()));
    }
    if pairs.is_empty() {
        return base.to_owned();
    }
    let borrowed: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    format!("{base}{}", url_query(&borrowed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(10_000), "10,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn list_addresses_keep_the_filter() {
        let params = ListParams {
            status: Some("in_use".into()),
            q: Some("示波器".into()),
            page: Some("3".into()),
            ..ListParams::default()
        };
        assert_eq!(
            list_href("/equipment", &params, Some(4), None),
            "/equipment?status=in_use&q=%E7%A4%BA%E6%B3%A2%E5%99%A8&page=4"
        );
        assert_eq!(
            list_href("/equipment", &ListParams::default(), Some(1), None),
            "/equipment"
        );
    }

    #[test]
    fn a_period_needs_both_ends() {
        let day = |d| chrono::NaiveDate::from_ymd_opt(2026, 11, d);
        assert_eq!(period_text(day(1), day(8)), "2026-11-01 – 2026-11-08");
        assert_eq!(period_text(day(1), None), "");
        assert_eq!(
            period_text(day(3), day(3)),
            "2026-11-03",
            "a one-day loan is one date"
        );
        assert_eq!(period_text(None, None), "");
    }

    #[test]
    fn a_decision_names_who_and_what_they_said() {
        assert_eq!(decision_text(Some("Bob"), Some("ok")), "Bob: ok");
        assert_eq!(decision_text(Some("Bob"), Some("")), "Bob");
        assert_eq!(decision_text(Some("Bob"), None), "Bob");
        assert_eq!(decision_text(None, Some("orphan comment")), "");
    }
}
