//! Delivering a code to a phone. Two real senders: a development one that
//! logs the code (and, when enabled, keeps it for `/dev/sms`), and one that
//! POSTs JSON to an SMS gateway.
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use fred::prelude::*;
use serde::{Deserialize, Serialize};

pub type SendFuture<'a> = Pin<Box<dyn Future<Output = Result<(), SmsError>> + Send + 'a>>;

#[derive(Debug, thiserror::Error)]
pub enum SmsError {
    #[error("the SMS gateway did not answer within {0:?}")]
    Timeout(Duration),
    #[error("the SMS gateway could not be reached: {0}")]
    Unreachable(String),
    #[error("the SMS gateway refused the message with status {status}: {body}")]
    Rejected { status: u16, body: String },
    #[error("the development outbox could not be written: {0}")]
    Outbox(String),
}

/// Sends one sign-in code. Implementations must never log the code unless
/// they exist for development.
pub trait SmsSender: Send + Sync {
    fn send<'a>(&'a self, phone: &'a str, code: &'a str) -> SendFuture<'a>;
    fn name(&self) -> &'static str;
}

/// One entry of the development outbox.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DevSms {
    pub phone: String,
    pub code: String,
    pub sent_at: chrono::DateTime<chrono::Utc>,
}

/// Development only: writes the code to the log, and to a short Redis list
/// read by `/dev/sms` when `EQUIPFLOW_DEV_SMS_OUTBOX=1`.
pub struct DevSmsSender {
    redis: Pool,
    outbox_key: Option<String>,
    /// Off on a server that faces users: the log says a code was withheld.
    log_codes: bool,
}

const OUTBOX_LENGTH: i64 = 50;

impl DevSmsSender {
    pub fn new(redis: Pool, outbox_key: Option<String>, log_codes: bool) -> Self {
        Self {
            redis,
            outbox_key,
            log_codes,
        }
    }

    /// The latest codes, newest first.
    pub async fn outbox(redis: &Pool, key: &str) -> Result<Vec<DevSms>, SmsError> {
        let entries: Vec<String> = redis
            .lrange(key, 0, OUTBOX_LENGTH - 1)
            .await
            .map_err(|e| SmsError::Outbox(e.to_string()))?;
        Ok(entries
            .iter()
            .filter_map(|e| serde_json::from_str(e).ok())
            .collect())
    }
}

impl SmsSender for DevSmsSender {
    fn send<'a>(&'a self, phone: &'a str, code: &'a str) -> SendFuture<'a> {
        Box::pin(async move {
            if self.log_codes {
                tracing::warn!(target: "equipflow::dev_sms", %phone, %code, "development SMS sender: code not delivered");
            } else {
                tracing::warn!(target: "equipflow::dev_sms", "development SMS sender: a sign-in code was withheld (not delivered, not logged)");
            }
            let Some(key) = &self.outbox_key else {
                return Ok(());
            };
            let entry = DevSms {
                phone: phone.to_owned(),
                code: code.to_owned(),
                sent_at: chrono::Utc::now(),
            };
            let json =
                serde_json::to_string(&entry).map_err(|e| SmsError::Outbox(e.to_string()))?;
            let pipeline = self.redis.next().pipeline();
            let _: () = pipeline
                .lpush(key, json)
                .await
                .map_err(|e| SmsError::Outbox(e.to_string()))?;
            let _: () = pipeline
                .ltrim(key, 0, OUTBOX_LENGTH - 1)
                .await
                .map_err(|e| SmsError::Outbox(e.to_string()))?;
            let _: () = pipeline
                .expire(key, 3600, None)
                .await
                .map_err(|e| SmsError::Outbox(e.to_string()))?;
            pipeline
                .all::<()>()
                .await
                .map_err(|e| SmsError::Outbox(e.to_string()))
        })
    }

    fn name(&self) -> &'static str {
        "development"
    }
}

/// POSTs `{"phone": "...", "code": "..."}` to a gateway, with a bearer token
/// when one is configured.
pub struct HttpSmsSender {
    client: reqwest::Client,
    url: String,
    token: Option<String>,
    timeout: Duration,
}

#[derive(Serialize)]
struct GatewayMessage<'a> {
    phone: &'a str,
    code: &'a str,
}

impl HttpSmsSender {
    pub fn new(url: String, token: Option<String>, timeout: Duration) -> Result<Self, SmsError> {
        let client = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            .build()
            .map_err(|e| SmsError::Unreachable(e.to_string()))?;
        Ok(Self {
            client,
            url,
            token,
            timeout,
        })
    }
}

impl SmsSender for HttpSmsSender {
    fn send<'a>(&'a self, phone: &'a str, code: &'a str) -> SendFuture<'a> {
        Box::pin(async move {
            let mut request = self
                .client
                .post(&self.url)
                .json(&GatewayMessage { phone, code });
            if let Some(token) = &self.token {
                request = request.bearer_auth(token);
            }
            let response = request.send().await.map_err(|e| {
                if e.is_timeout() {
                    SmsError::Timeout(self.timeout)
                } else {
                    // Without the URL: it may carry credentials.
                    SmsError::Unreachable(e.without_url().to_string())
                }
            })?;
            let status = response.status();
            if status.is_success() {
                return Ok(());
            }
            let body: String = response
                .text()
                .await
                .unwrap_or_default()
                .chars()
                .take(200)
                .collect();
            Err(SmsError::Rejected {
                status: status.as_u16(),
                body,
            })
        })
    }

    fn name(&self) -> &'static str {
        "http"
    }
}
