//! The error every server function returns, shared by server and browser.
//!
//! Variants are what the UI can act on; internal detail never crosses the wire:
//! database and infrastructure failures are logged once on the server and the
//! browser only learns that something went wrong.
use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("please sign in")]
    Unauthorized,
    #[error("you are not allowed to do this")]
    Forbidden,
    /// Signed in with a temporary password: only changing it is allowed.
    #[error("choose a new password first")]
    PasswordChangeRequired,
    #[error("not found")]
    NotFound,
    #[error("{field}: {message}")]
    Validation { field: String, message: String },
    /// Several fields of one form are wrong at once; each names its field.
    #[error("{} fields need attention", issues.len())]
    Invalid { issues: Vec<FieldIssue> },
    #[error("{0}")]
    Conflict(String),
    /// Sign-in failed: same answer for an unknown account and a wrong secret.
    #[error("wrong account or password")]
    BadCredentials,
    /// The SMS code is wrong; `attempts_left` more tries before it is void.
    #[error("wrong code")]
    WrongCode { attempts_left: u32 },
    /// The SMS code expired, was used, or was voided by too many wrong tries.
    #[error("the code is no longer valid, request a new one")]
    CodeExpired,
    #[error("too many requests, retry in {retry_after_secs} s")]
    TooManyRequests { limit: Limit, retry_after_secs: u64 },
    #[error("a service is temporarily unavailable, please retry")]
    Unavailable,
    #[error("internal error")]
    Internal,
    /// Transport-level failure between browser and server (network, decoding).
    #[error("request failed: {0}")]
    Transport(String),
}

/// One wrong field: `message` is a key the page translates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldIssue {
    pub field: String,
    pub message: String,
}

impl AppError {
    /// The message for `field`, when this error is about it.
    pub fn field_message(&self, field: &str) -> Option<&str> {
        match self {
            AppError::Validation { field: f, message } if f == field => Some(message),
            AppError::Invalid { issues } => issues
                .iter()
                .find(|i| i.field == field)
                .map(|i| i.message.as_str()),
            _ => None,
        }
    }

    /// All issues as one list (an `Invalid` or a single `Validation`).
    pub fn issues(&self) -> Vec<FieldIssue> {
        match self {
            AppError::Validation { field, message } => vec![FieldIssue {
                field: field.clone(),
                message: message.clone(),
            }],
            AppError::Invalid { issues } => issues.clone(),
            _ => Vec::new(),
        }
    }
}

/// Which limit a `TooManyRequests` hit, so the page can explain it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Limit {
    /// Too many failed passwords: the account is locked for a while.
    AccountLocked,
    /// A few failed passwords: wait before the next try.
    SlowDown,
    /// Too many sign-in attempts from this address.
    AddressAttempts,
    /// A code was sent to this phone less than a minute ago.
    CodeCooldown,
    /// The daily number of codes for this phone is used up.
    CodeDaily,
    /// Too many codes requested from this address, or by everyone this hour.
    CodeVolume,
    /// The server is busy checking passwords.
    Busy,
}

impl AppError {
    pub fn validation(field: &str, message: impl Into<String>) -> Self {
        AppError::Validation {
            field: field.to_owned(),
            message: message.into(),
        }
    }

    /// The HTTP status a server function answers with for this error; the one
    /// place where errors become statuses.
    pub fn status_code(&self) -> u16 {
        match self {
            AppError::Unauthorized => 401,
            AppError::BadCredentials | AppError::WrongCode { .. } | AppError::CodeExpired => 401,
            AppError::Forbidden | AppError::PasswordChangeRequired => 403,
            AppError::NotFound => 404,
            AppError::Conflict(_) => 409,
            AppError::Validation { .. } | AppError::Invalid { .. } => 422,
            AppError::Transport(_) => 400,
            AppError::TooManyRequests { .. } => 429,
            AppError::Unavailable => 503,
            AppError::Internal => 500,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Transport(value.to_string())
    }
}

/// The name of the constraint a database error violated, if any: the key
/// under which each form maps it to the field the user can fix.
#[cfg(feature = "ssr")]
pub fn violated_constraint(error: &sqlx::Error) -> Option<String> {
    error
        .as_database_error()
        .and_then(|e| e.constraint())
        .map(str::to_owned)
}

/// Whether a database error is the database being away, busy or overloaded
/// (worth retrying) rather than a problem with the statement or the data:
/// no connection from the pool in time, a broken connection, or SQLSTATE
/// classes 08 (connection), 40 (serialization failure, deadlock), 53
/// (insufficient resources) and 57P (shutting down).
#[cfg(feature = "ssr")]
pub fn is_transient_database_error(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => true,
        sqlx::Error::Database(_) => sqlstate(error).is_some_and(|code| {
            ["08", "40", "53"]
                .iter()
                .any(|class| code.starts_with(class))
                || code.starts_with("57P")
        }),
        _ => false,
    }
}

/// SQLSTATE 22021 (character_not_in_repertoire): e.g. a NUL byte in text.
#[cfg(feature = "ssr")]
const UNSTORABLE_CHARACTER: &str = "22021";

#[cfg(feature = "ssr")]
fn sqlstate(error: &sqlx::Error) -> Option<String> {
    error
        .as_database_error()
        .and_then(|e| e.code())
        .map(|code| code.into_owned())
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        match error {
            sqlx::Error::PoolTimedOut | sqlx::Error::Io(_) => {
                tracing::warn!(error = %error, "database unavailable");
                AppError::Unavailable
            }
            sqlx::Error::RowNotFound => AppError::NotFound,
            // The input, not the system: text PostgreSQL cannot store (a NUL
            // byte) that reached a statement past the forms' own checks.
            other if sqlstate(&other).as_deref() == Some(UNSTORABLE_CHARACTER) => {
                tracing::info!(error = %other, "text refused by the database");
                AppError::validation("text", "text_invalid_characters")
            }
            other => {
                tracing::error!(error = %other, "database error");
                AppError::Internal
            }
        }
    }
}
