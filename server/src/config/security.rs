//! Sign-in, cookie, origin and SMS settings.
use std::time::Duration;

use app::auth::settings::{AuthSettings, LoginLimits, SmsLimits};
use secrecy::SecretString;

use super::{ConfigError, Env, ServiceUrl};

#[derive(Debug, Clone)]
pub struct SecuritySettings {
    /// Served over HTTPS: cookies get `Secure` and the `__Host-` prefix.
    pub secure_cookies: bool,
    /// Origins allowed to post (exact `scheme://host[:port]`); empty means the
    /// origin this request was addressed to.
    pub allowed_origins: Vec<String>,
    pub auth: AuthSettings,
    pub sms_sender: SmsSenderSettings,
}

impl SecuritySettings {
    /// Served to real users: over HTTPS, or at a configured public origin.
    pub fn faces_users(&self) -> bool {
        self.secure_cookies || !self.allowed_origins.is_empty()
    }
}

#[derive(Debug, Clone)]
pub enum SmsSenderSettings {
    /// Logs codes; development only.
    Development,
    Http {
        url: ServiceUrl,
        token: Option<SecretString>,
        timeout: Duration,
    },
}

impl<F: Fn(&str) -> Option<String>> Env<'_, F> {
    fn flag(&self, name: &'static str) -> Result<bool, ConfigError> {
        match self.string(name, "0").trim() {
            "1" | "true" | "yes" => Ok(true),
            "0" | "false" | "no" => Ok(false),
            other => Err(self.invalid(name, other, "expected 1 or 0")),
        }
    }

    pub(super) fn security(&self, redis_prefix: &str) -> Result<SecuritySettings, ConfigError> {
        let origins = self.string("EQUIPFLOW_PUBLIC_ORIGIN", "");
        let allowed_origins = origins
            .split(',')
            .map(|o| o.trim().trim_end_matches('/').to_owned())
            .filter(|o| !o.is_empty())
            .collect();
        let mut auth = AuthSettings::new(redis_prefix);
        auth.trusted_proxy_hops = self.parse("EQUIPFLOW_TRUSTED_PROXY_HOPS", "0")?;
        auth.dev_sms_outbox = self.flag("EQUIPFLOW_DEV_SMS_OUTBOX")?;
        let secs = |name: &'static str, default: Duration| -> Result<Duration, ConfigError> {
            self.parse::<u64>(name, &default.as_secs().to_string())
                .map(Duration::from_secs)
        };
        auth.idle_timeout = secs("EQUIPFLOW_SESSION_IDLE_SECS", auth.idle_timeout)?;
        auth.absolute_timeout = secs("EQUIPFLOW_SESSION_ABSOLUTE_SECS", auth.absolute_timeout)?;
        auth.remember_timeout = secs("EQUIPFLOW_SESSION_REMEMBER_SECS", auth.remember_timeout)?;
        let login = LoginLimits::default();
        auth.login = LoginLimits {
            slow_after: self.parse("EQUIPFLOW_LOGIN_SLOW_AFTER", &login.slow_after.to_string())?,
            lock_after: self.parse("EQUIPFLOW_LOGIN_LOCK_AFTER", &login.lock_after.to_string())?,
            hourly_failures: self.parse(
                "EQUIPFLOW_LOGIN_HOURLY_FAILURES",
                &login.hourly_failures.to_string(),
            )?,
            address_failures: self.parse(
                "EQUIPFLOW_LOGIN_ADDRESS_FAILURES",
                &login.address_failures.to_string(),
            )?,
            ..login
        };
        let sms = SmsLimits::default();
        auth.sms = SmsLimits {
            daily_per_phone: self.parse(
                "EQUIPFLOW_SMS_DAILY_PER_PHONE",
                &sms.daily_per_phone.to_string(),
            )?,
            hourly_per_address: self.parse(
                "EQUIPFLOW_SMS_HOURLY_PER_ADDRESS",
                &sms.hourly_per_address.to_string(),
            )?,
            hourly_global: self.parse(
                "EQUIPFLOW_SMS_HOURLY_GLOBAL",
                &sms.hourly_global.to_string(),
            )?,
            ..sms
        };
        let sms_sender = match self.string("EQUIPFLOW_SMS_SENDER", "dev").as_str() {
            "dev" => SmsSenderSettings::Development,
            "http" => {
                let url = self.string("EQUIPFLOW_SMS_GATEWAY_URL", "");
                if !(url.starts_with("http://") || url.starts_with("https://")) {
                    return Err(self.invalid(
                        "EQUIPFLOW_SMS_GATEWAY_URL",
                        &url,
                        "an http(s) URL is required with EQUIPFLOW_SMS_SENDER=http",
                    ));
                }
                let token = self.string("EQUIPFLOW_SMS_GATEWAY_TOKEN", "");
                SmsSenderSettings::Http {
                    url: ServiceUrl::new(&url),
                    token: (!token.is_empty()).then(|| SecretString::from(token)),
                    timeout: self.millis("EQUIPFLOW_SMS_TIMEOUT_MS", "5000")?,
                }
            }
            other => {
                return Err(self.invalid("EQUIPFLOW_SMS_SENDER", other, "expected dev or http"));
            }
        };
        let settings = SecuritySettings {
            secure_cookies: self.flag("EQUIPFLOW_SECURE_COOKIES")?,
            allowed_origins,
            auth,
            sms_sender,
        };
        if settings.auth.dev_sms_outbox && settings.faces_users() {
            // `/dev/sms` lists every sign-in code: whoever reads it signs in
            // as anyone with a phone. Never on a server that faces users.
            return Err(self.invalid(
                "EQUIPFLOW_DEV_SMS_OUTBOX",
                "1",
                "the development SMS outbox shows every sign-in code; it is refused when \
                 EQUIPFLOW_SECURE_COOKIES=1 or EQUIPFLOW_PUBLIC_ORIGIN say the server faces users",
            ));
        }
        Ok(settings)
    }
}
