//! Authentication building blocks (server only).
pub mod password;
