//! What the user reads when a server function fails, in their language.
use crate::error::{AppError, Limit};
use crate::i18n::*;

/// A sentence for `error`. Validation messages are keys (e.g.
/// `password_too_short`); a key this list does not know is shown as sent.
pub fn error_text(locale: Locale, error: &AppError) -> String {
    super::signed_out::follow(error);
    match error {
        AppError::Unauthorized => td_string!(locale, err_unauthorized).to_string(),
        AppError::Forbidden => td_string!(locale, err_forbidden).to_string(),
        AppError::PasswordChangeRequired => {
            td_string!(locale, err_password_change_required).to_string()
        }
        AppError::NotFound => td_string!(locale, err_not_found).to_string(),
        AppError::BadCredentials => td_string!(locale, err_bad_credentials).to_string(),
        AppError::WrongCode { attempts_left } => {
            td_string!(locale, err_wrong_code, left = *attempts_left).to_string()
        }
        AppError::CodeExpired => td_string!(locale, err_code_expired).to_string(),
        AppError::TooManyRequests {
            limit,
            retry_after_secs,
        } => limit_text(locale, *limit, *retry_after_secs),
        AppError::Validation { message, .. } => validation_text(locale, message),
        AppError::Invalid { issues } => issues
            .iter()
            .map(|i| validation_text(locale, &i.message))
            .collect::<Vec<_>>()
            .join(" "),
        AppError::Conflict(message) => validation_text(locale, message),
        AppError::Unavailable => td_string!(locale, err_unavailable).to_string(),
        AppError::Internal => td_string!(locale, err_internal).to_string(),
        AppError::Transport(_) => td_string!(locale, err_transport).to_string(),
    }
}

fn limit_text(locale: Locale, limit: Limit, secs: u64) -> String {
    let minutes = secs.div_ceil(60);
    match limit {
        Limit::AccountLocked => {
            td_string!(locale, err_account_locked, minutes = minutes).to_string()
        }
        Limit::SlowDown => td_string!(locale, err_slow_down, seconds = secs).to_string(),
        Limit::AddressAttempts => {
            td_string!(locale, err_address_attempts, seconds = secs).to_string()
        }
        Limit::CodeCooldown => td_string!(locale, err_code_cooldown, seconds = secs).to_string(),
        Limit::CodeDaily => td_string!(locale, err_code_daily).to_string(),
        Limit::CodeVolume => td_string!(locale, err_code_volume, minutes = minutes).to_string(),
        Limit::Busy => td_string!(locale, err_busy).to_string(),
    }
}

pub fn validation_text(locale: Locale, key: &str) -> String {
    let text = match key {
        "username_required" => td_string!(locale, v_username_required),
        "password_required" => td_string!(locale, v_password_required),
        "phone_invalid" => td_string!(locale, v_phone_invalid),
        "code_invalid" => td_string!(locale, v_code_invalid),
        "current_password_wrong" => td_string!(locale, v_current_password_wrong),
        "passwords_differ" => td_string!(locale, v_passwords_differ),
        "password_too_short" => td_string!(locale, v_password_too_short),
        "password_too_long" => td_string!(locale, v_password_too_long),
        "password_too_common" => td_string!(locale, v_password_too_common),
        "username_invalid" => td_string!(locale, v_username_invalid),
        "username_taken" => td_string!(locale, v_username_taken),
        "phone_taken" => td_string!(locale, v_phone_taken),
        "display_name_invalid" => td_string!(locale, v_display_name_invalid),
        "department_not_allowed" => td_string!(locale, v_department_not_allowed),
        "role_not_allowed" => td_string!(locale, v_role_not_allowed),
        "not_yourself" => td_string!(locale, v_not_yourself),
        "id_invalid" => td_string!(locale, v_id_invalid),
        "catalogue_code_invalid" => td_string!(locale, v_catalogue_code_invalid),
        "code_taken" => td_string!(locale, v_code_taken),
        "name_taken" => td_string!(locale, v_name_taken),
        "name_required" => td_string!(locale, v_name_required),
        "name_too_long" => td_string!(locale, v_name_too_long),
        "description_too_long" => td_string!(locale, v_description_too_long),
        "parent_loop" => td_string!(locale, v_parent_loop),
        "asset_code_required" => td_string!(locale, v_asset_code_required),
        "asset_code_invalid" => td_string!(locale, v_asset_code_invalid),
        "asset_code_taken" => td_string!(locale, v_asset_code_taken),
        "text_too_long" => td_string!(locale, v_text_too_long),
        "date_in_future" => td_string!(locale, v_date_in_future),
        "date_invalid" => td_string!(locale, v_date_invalid),
        "date_out_of_range" => td_string!(locale, v_date_out_of_range),
        "price_invalid" => td_string!(locale, v_price_invalid),
        "choose_one" => td_string!(locale, v_choose_one),
        "unknown_code" => td_string!(locale, v_unknown_code),
        "column_missing" => td_string!(locale, v_column_missing),
        "too_many_rows" => td_string!(locale, v_too_many_rows),
        "csv_unreadable" => td_string!(locale, v_csv_unreadable),
        "csv_empty" => td_string!(locale, v_csv_empty),
        "equipment_changed" => td_string!(locale, v_equipment_changed),
        "already_retired" => td_string!(locale, v_already_retired),
        "retire_in_use" => td_string!(locale, v_retire_in_use),
        "retire_pending" => td_string!(locale, v_retire_pending),
        "status_invalid" => td_string!(locale, v_status_invalid),
        "keyword_too_long" => td_string!(locale, v_keyword_too_long),
        "keyword_invalid" => td_string!(locale, v_keyword_invalid),
        "text_invalid_characters" => td_string!(locale, v_text_invalid_characters),
        "page_size_invalid" => td_string!(locale, v_page_size_invalid),
        "page_or_cursor" => td_string!(locale, v_page_or_cursor),
        "cursor_invalid" => td_string!(locale, v_cursor_invalid),
        "page_out_of_range" => td_string!(locale, v_page_out_of_range),
        "request_kind_invalid" => td_string!(locale, v_request_kind_invalid),
        "reason_required" => td_string!(locale, v_reason_required),
        "reason_too_long" => td_string!(locale, v_reason_too_long),
        "date_required" => td_string!(locale, v_date_required),
        "period_in_past" => td_string!(locale, v_period_in_past),
        "period_end_before_start" => td_string!(locale, v_period_end_before_start),
        "period_too_long" => td_string!(locale, v_period_too_long),
        "request_not_available" => td_string!(locale, v_request_not_available),
        "request_not_your_item" => td_string!(locale, v_request_not_your_item),
        "request_item_scrapped" => td_string!(locale, v_request_item_scrapped),
        "request_already_under_repair" => td_string!(locale, v_request_already_under_repair),
        "request_repair_not_holder" => td_string!(locale, v_request_repair_not_holder),
        "request_scrap_lent" => td_string!(locale, v_request_scrap_lent),
        "request_scrap_pending" => td_string!(locale, v_request_scrap_pending),
        "request_duplicate_pending" => td_string!(locale, v_request_duplicate_pending),
        "request_already_decided" => td_string!(locale, v_request_already_decided),
        "request_own" => td_string!(locale, v_request_own),
        "decision_not_available" => td_string!(locale, v_decision_not_available),
        "decision_item_changed" => td_string!(locale, v_decision_item_changed),
        "decision_item_elsewhere" => td_string!(locale, v_decision_item_elsewhere),
        "comment_too_long" => td_string!(locale, v_comment_too_long),
        "reject_reason_required" => td_string!(locale, v_reject_reason_required),
        "confirmation_required" => td_string!(locale, v_confirmation_required),
        "decision_invalid" => td_string!(locale, v_decision_invalid),
        "nothing_selected" => td_string!(locale, v_nothing_selected),
        "too_many_selected" => td_string!(locale, v_too_many_selected),
        "kind_invalid" => td_string!(locale, v_kind_invalid),
        "unknown_asset_code" => td_string!(locale, v_unknown_asset_code),
        "requeue_refused" => td_string!(locale, v_requeue_refused),
        other => return other.to_owned(),
    };
    text.to_string()
}
