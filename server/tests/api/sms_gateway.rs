//! A stand-in SMS gateway (outside the system, so a fake is allowed): it
//! records what the HTTP sender posts.
use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
pub struct Sent {
    pub phone: String,
    pub code: String,
}

#[derive(Clone, Default)]
pub struct FakeGateway {
    pub sent: Arc<Mutex<Vec<Sent>>>,
    pub url: String,
}

impl FakeGateway {
    pub async fn start() -> Self {
        let sent: Arc<Mutex<Vec<Sent>>> = Arc::default();
        let router = Router::new()
            .route("/send", post(record))
            .with_state(sent.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind gateway");
        let url = format!("http://{}/send", listener.local_addr().expect("addr"));
        tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        Self { sent, url }
    }

    pub fn settings(&self) -> Vec<(&'static str, String)> {
        vec![
            ("EQUIPFLOW_SMS_SENDER", "http".to_owned()),
            ("EQUIPFLOW_SMS_GATEWAY_URL", self.url.clone()),
            ("EQUIPFLOW_SMS_GATEWAY_TOKEN", "gateway-token".to_owned()),
        ]
    }

    pub fn sent(&self) -> Vec<Sent> {
        self.sent.lock().expect("lock").clone()
    }

    /// Waits for the code sent to `phone` (delivery runs in the background).
    /// The latest code sent to `phone` (as typed: the app sends E.164).
    pub async fn code_for(&self, phone: &str) -> String {
        let phone = app::phones::normalise(phone).unwrap_or_else(|| phone.to_owned());
        for _ in 0..100 {
            if let Some(sent) = self.sent().into_iter().rev().find(|s| s.phone == phone) {
                return sent.code;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        panic!("no code was sent to {phone}");
    }
}

async fn record(
    State(sent): State<Arc<Mutex<Vec<Sent>>>>,
    Json(message): Json<Sent>,
) -> &'static str {
    sent.lock().expect("lock").push(message);
    "ok"
}
