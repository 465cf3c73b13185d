//! Phone numbers, stored and compared in one form: E.164 (`+8613800000001`),
//! read with China (+86) as the default country. So `138 0000 0001`,
//! `+86-138-0000-0001` and `0086 13800000001` are one number and one
//! account, and SMS sign-in finds the account however the number is typed.
//! Parsing and validity come from libphonenumber's metadata (the
//! `phonenumber` crate): number plans are not something to write by hand.
use phonenumber::country::Id;
use phonenumber::{Mode, PhoneNumber};

/// The number in E.164, or `None` when it is not a valid phone number.
pub fn normalise(text: &str) -> Option<String> {
    let text = text.trim();
    // Digits, separators and a leading + (or 00) only: no letters ("vanity"
    // numbers), no extensions.
    if text.is_empty()
        || !text
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '.' | '(' | ')' | '+'))
    {
        return None;
    }
    let number: PhoneNumber = phonenumber::parse(Some(Id::CN), text).ok()?;
    phonenumber::is_valid(&number).then(|| number.format().mode(Mode::E164).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ways_people_write_one_number_are_one_number() {
        for typed in [
            "13900000022",
            "139 0000 0022",
            "139-0000-0022",
            "+86-139-0000-0022",
            "+86 139 0000 0022",
            "008613900000022",
            "(+86) 139 0000 0022",
        ] {
            assert_eq!(
                normalise(typed).as_deref(),
                Some("+8613900000022"),
                "{typed}"
            );
        }
    }

    #[test]
    fn landlines_and_other_countries_keep_their_own_codes() {
        assert_eq!(normalise("010-6552 9988").as_deref(), Some("+861065529988"));
        assert_eq!(
            normalise("+44 20 7946 0958").as_deref(),
            Some("+442079460958")
        );
    }

    #[test]
    fn what_is_not_a_phone_number_is_refused() {
        for typed in [
            "",
            "12345",
            "1390000002",
            "hello",
            "13900000022 ext 5",
            "+86",
        ] {
            assert_eq!(normalise(typed), None, "{typed}");
        }
    }
}
