//! `/dev/sms`: the latest codes of the development SMS sender. Routed only
//! when `EQUIPFLOW_DEV_SMS_OUTBOX=1` (which configuration refuses on a server
//! that faces users), and answered only to clients on this machine: it is a
//! developer's and the end-to-end tests' convenience, not a page.
use app::auth::sms::DevSmsSender;
use app::state::AppState;
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

pub fn outbox_key(state: &AppState) -> String {
    state.auth.settings.key(&["dev", "sms"])
}

pub async fn dev_sms(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
) -> Response {
    // The peer itself, never X-Forwarded-For. (Behind a proxy on this machine
    // every client looks local: that is why configuration refuses the outbox
    // on a server that faces users.)
    if !peer.ip().is_loopback() {
        return StatusCode::NOT_FOUND.into_response();
    }
    let entries = match DevSmsSender::outbox(&state.redis, &outbox_key(&state)).await {
        Ok(entries) => entries,
        Err(error) => return (StatusCode::SERVICE_UNAVAILABLE, error.to_string()).into_response(),
    };
    let rows: String = entries
        .iter()
        .map(|e| {
            format!(
                "<tr><td>{}</td><td class=\"code\">{}</td><td>{}</td></tr>",
                escape(&e.phone),
                escape(&e.code),
                state.clock.second(e.sent_at)
            )
        })
        .collect();
    let css = super::assets::stylesheet_href(&state.leptos_options);
    Html(format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Development SMS outbox</title>\
         <link rel=\"stylesheet\" href=\"{css}\"></head><body><main class=\"app-main\">\
         <h1>Development SMS outbox</h1><p>Codes the development sender did not deliver, newest first. \
         This page exists only with EQUIPFLOW_DEV_SMS_OUTBOX=1.</p>\
         <table class=\"data-table\"><thead><tr><th>Phone</th><th>Code</th><th>Sent</th></tr></thead>\
         <tbody>{rows}</tbody></table></main></body></html>"
    ))
    .into_response()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
