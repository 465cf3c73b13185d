//! SMS-code sign-in: challenges in Redis and the senders that deliver codes.
pub mod challenge;
pub mod sender;

pub use sender::{DevSms, DevSmsSender, HttpSmsSender, SmsError, SmsSender};
