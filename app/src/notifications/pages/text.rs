//! A notification as one sentence in the reader's language.
use crate::equipment::kind_label;
use crate::i18n::*;
use crate::notifications::Notification;

pub fn notification_text(locale: Locale, n: &Notification) -> String {
    let about = &n.about;
    let item = format!("{} {}", about.asset_code, about.equipment_name);
    let kind = kind_label(locale, about.kind.as_str());
    let approver = about.approver_name.clone().unwrap_or_default();
    let sentence = match n.kind.as_str() {
        "request.submitted" => td_string!(
            locale,
            notice_submitted,
            applicant = about.applicant_name.clone(),
            kind = kind.clone(),
            item = item.clone()
        )
        .to_string(),
        "request.approved" => td_string!(
            locale,
            notice_approved,
            kind = kind.clone(),
            item = item.clone(),
            approver = approver.clone()
        )
        .to_string(),
        "request.rejected" => td_string!(
            locale,
            notice_rejected,
            kind = kind.clone(),
            item = item.clone(),
            approver = approver.clone()
        )
        .to_string(),
        "equipment.taken" => td_string!(
            locale,
            notice_item_taken,
            item = item.clone(),
            kind = kind.clone(),
            applicant = about.applicant_name.clone(),
            approver = approver.clone()
        )
        .to_string(),
        "request.cancelled" => td_string!(
            locale,
            notice_cancelled,
            applicant = about.applicant_name.clone(),
            kind = kind.clone(),
            item = item.clone()
        )
        .to_string(),
        "reminder.pending" => td_string!(
            locale,
            notice_reminder_pending,
            applicant = about.applicant_name.clone(),
            kind = kind.clone(),
            item = item.clone()
        )
        .to_string(),
        "reminder.overdue" => td_string!(
            locale,
            notice_reminder_overdue,
            item = item.clone(),
            due = about.period_end.map(|d| d.to_string()).unwrap_or_default()
        )
        .to_string(),
        other => format!("{other}: {item}"),
    };
    match about.comment.as_deref().filter(|c| !c.is_empty()) {
        Some(comment) if n.kind == "request.approved" || n.kind == "request.rejected" => {
            format!("{sentence} — “{comment}”")
        }
        _ => sentence,
    }
}
