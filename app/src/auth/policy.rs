//! What a new password must be (NIST SP 800-63B): at least 8 characters, up
//! to 128 accepted and never truncated, no composition rules, and not one of
//! the passwords attackers try first (zxcvbn's dictionaries of common
//! passwords, names and keyboard patterns, plus the user's own names).
use zxcvbn::{Score, zxcvbn};

pub const MIN_CHARS: usize = 8;
pub const MAX_CHARS: usize = 128;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PasswordRejection {
    #[error("the password must have at least {MIN_CHARS} characters")]
    TooShort,
    #[error("the password may have at most {MAX_CHARS} characters")]
    TooLong,
    #[error("this password is too common or too easy to guess")]
    TooCommon,
}

impl PasswordRejection {
    /// The message key the pages translate.
    pub fn key(self) -> &'static str {
        match self {
            PasswordRejection::TooShort => "password_too_short",
            PasswordRejection::TooLong => "password_too_long",
            PasswordRejection::TooCommon => "password_too_common",
        }
    }
}

/// Checks a new password; `user_inputs` are the account's own words
/// (username, display name, phone), which must not make up the password.
pub fn check_new_password(password: &str, user_inputs: &[&str]) -> Result<(), PasswordRejection> {
    let chars = password.chars().count();
    if chars < MIN_CHARS {
        return Err(PasswordRejection::TooShort);
    }
    if chars > MAX_CHARS {
        return Err(PasswordRejection::TooLong);
    }
    // zxcvbn's matching grows quickly with length; the first 64 characters
    // tell whether a password is a common one.
    let head: String = password.chars().take(64).collect();
    if zxcvbn(&head, user_inputs).score() < Score::Two {
        return Err(PasswordRejection::TooCommon);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_passwords_are_refused() {
        for common in [
            "password",
            "12345678",
            "qwertyuiop",
            "iloveyou",
            "password1",
            "11111111",
            "abc12345",
        ] {
            assert_eq!(
                check_new_password(common, &[]),
                Err(PasswordRejection::TooCommon),
                "{common}"
            );
        }
    }

    #[test]
    fn the_users_own_names_are_refused() {
        assert_eq!(
            check_new_password("zhangwei2024", &["zhangwei", "张伟"]),
            Err(PasswordRejection::TooCommon)
        );
    }

    #[test]
    fn length_limits_count_characters_not_bytes() {
        assert_eq!(
            check_new_password("短密码", &[]),
            Err(PasswordRejection::TooShort)
        );
        assert_eq!(
            check_new_password(&"x".repeat(129), &[]),
            Err(PasswordRejection::TooLong)
        );
        assert_eq!(check_new_password("设备通的密码很长很安全", &[]), Ok(()));
    }

    #[test]
    fn long_passphrases_without_rules_are_accepted() {
        assert_eq!(check_new_password("plum kettle orbit sand", &[]), Ok(()));
        assert_eq!(check_new_password(&"vK9#qL2!".repeat(8), &[]), Ok(()));
        assert_eq!(check_new_password("equipflow-demo", &[]), Ok(()));
    }
}
