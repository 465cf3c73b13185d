//! HTTP surface of a node: Leptos pages and server functions plus the
//! operational endpoints, wrapped in request-id, tracing, metrics, security
//! and sign-in layers.
mod access;
mod api_v1;
mod assets;
mod body_limit;
mod csrf;
mod dev_sms;
mod equipment_export;
mod health;
mod interceptor;
mod language;
mod logout;
mod metrics;
mod notification_stream;
mod request_id;
mod router;
mod rpc_errors;
mod security_headers;
mod serve;
mod session_layer;
mod statistics_files;
mod timeouts;

pub use access::public_server_fns;
pub use assets::hash_listing;
pub use equipment_export::XLSX_MAX_ROWS;
pub use router::{WebSettings, build_router};
pub use serve::serve;
pub use timeouts::HttpTimeouts;
