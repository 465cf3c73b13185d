//! Service URLs as they may appear in logs and messages: password hidden.

/// `scheme://user:secret@host/…` → `scheme://user:***@host/…`; anything that
/// does not parse as a URL is hidden whole rather than risk leaking it.
pub fn redact_url(raw: &str) -> String {
    match url::Url::parse(raw) {
        Ok(mut url) => {
            if url.password().is_some() && url.set_password(Some("***")).is_err() {
                return "<unparseable url>".to_owned();
            }
            url.to_string()
        }
        Err(_) => "<unparseable url>".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::redact_url;

    #[test]
    fn hides_the_password_and_keeps_the_rest() {
        assert_eq!(
            redact_url("postgres://equipflow:s3cret@db.internal:5432/equipflow"),
            "postgres://equipflow:***@db.internal:5432/equipflow"
        );
        assert_eq!(
            redact_url("redis://:pw@127.0.0.1:6379"),
            "redis://:***@127.0.0.1:6379"
        );
        assert_eq!(
            redact_url("redis://127.0.0.1:6379"),
            "redis://127.0.0.1:6379"
        );
    }

    #[test]
    fn hides_what_it_cannot_parse() {
        assert_eq!(redact_url("not a url with p@ss"), "<unparseable url>");
    }
}
