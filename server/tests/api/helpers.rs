//! Spawning the app on port 0 against a test's own database and prefixes.
use std::collections::HashMap;
use std::net::SocketAddr;

use app::messaging::Topology;
use app::state::AppState;
use equipflow_server::config::{DEFAULT_AMQP_URL, DEFAULT_REDIS_URL, Settings};
use equipflow_server::startup::{Application, connect_with_db};
use lapin::options::{ExchangeDeleteOptions, QueueDeleteOptions};
use sqlx::PgPool;
use tokio::sync::oneshot;

pub fn redis_url() -> String {
    std::env::var("REDIS_URL").unwrap_or_else(|_| DEFAULT_REDIS_URL.to_owned())
}

pub fn amqp_url() -> String {
    std::env::var("AMQP_URL").unwrap_or_else(|_| DEFAULT_AMQP_URL.to_owned())
}

/// `host:port` of a service URL, for pointing a proxy at it.
pub fn socket_addr_of(url: &str) -> SocketAddr {
    let url = url::Url::parse(url).expect("service url");
    let host = url.host_str().expect("host");
    let port = url.port_or_known_default().or(match url.scheme() {
        "redis" => Some(6379),
        "amqp" => Some(5672),
        "postgres" | "postgresql" => Some(5432),
        _ => None,
    });
    format!("{host}:{}", port.expect("port"))
        .parse()
        .expect("socket address")
}

/// The same URL, pointed at another `host:port` (a proxy).
pub fn with_addr(url: &str, addr: SocketAddr) -> String {
    let mut url = url::Url::parse(url).expect("service url");
    url.set_host(Some(&addr.ip().to_string())).expect("host");
    url.set_port(Some(addr.port())).expect("port");
    url.to_string()
}

/// The tests' HTTP client: a request that gets no byte for this long fails
/// with "operation timed out" instead of hanging the suite (event streams send
/// a heartbeat every 15 s, so they stay well inside it).
pub const READ_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(40);

pub fn http_client() -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        .connect_timeout(std::time::Duration::from_secs(5))
        .read_timeout(READ_TIMEOUT)
}

pub fn unique_prefix() -> String {
    format!("test-{}", uuid::Uuid::new_v4().simple())
}

/// Settings for a test: port 0, unique prefixes, short timeouts.
pub fn test_settings(overrides: &[(&str, String)]) -> Settings {
    let mut vars: HashMap<String, String> = HashMap::from([
        ("EQUIPFLOW_ADDR".to_owned(), "127.0.0.1:0".to_owned()),
        ("EQUIPFLOW_REDIS_PREFIX".to_owned(), unique_prefix()),
        ("EQUIPFLOW_AMQP_PREFIX".to_owned(), unique_prefix()),
        ("EQUIPFLOW_CONNECT_TIMEOUT_MS".to_owned(), "3000".to_owned()),
        ("REDIS_URL".to_owned(), redis_url()),
        ("AMQP_URL".to_owned(), amqp_url()),
    ]);
    if let Ok(url) = std::env::var("DATABASE_URL") {
        vars.insert("DATABASE_URL".to_owned(), url);
    }
    for (key, value) in overrides {
        vars.insert((*key).to_owned(), value.clone());
    }
    Settings::from_lookup(|k| vars.get(k).cloned()).expect("test settings are valid")
}

/// A second node of the same deployment: same database, same Redis prefix.
pub async fn second_node(pool: PgPool, first: &TestApp) -> TestApp {
    let prefix = first.state.auth.settings.redis_prefix.clone();
    TestApp::spawn_with(pool, &[("EQUIPFLOW_REDIS_PREFIX", prefix)]).await
}

pub struct TestApp {
    pub address: String,
    pub state: AppState,
    pub client: reqwest::Client,
    shutdown: Option<oneshot::Sender<()>>,
}

impl TestApp {
    pub async fn spawn(db: PgPool) -> Self {
        Self::spawn_with(db, &[]).await
    }

    pub async fn spawn_with(db: PgPool, overrides: &[(&str, String)]) -> Self {
        let settings = test_settings(overrides);
        let state = connect_with_db(&settings, db)
            .await
            .expect("connect test app");
        let app = Application::with_state(&settings, state.clone())
            .await
            .expect("bind test app");
        let address = format!("http://127.0.0.1:{}", app.port());
        let (shutdown, stopped) = oneshot::channel::<()>();
        tokio::spawn(app.run_until(async move {
            let _ = stopped.await;
        }));
        let client = http_client()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("http client");
        Self {
            address,
            state,
            client,
            shutdown: Some(shutdown),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request")
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        delete_topology_blocking(self.state.amqp.topology().clone());
    }
}

/// Removes a test's queues and exchanges from the shared broker. Runs on its
/// own thread and runtime so that it also works from `Drop` after a panic.
pub fn delete_topology_blocking(topology: Topology) {
    let url = amqp_url();
    let cleanup = std::thread::spawn(move || {
        let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        else {
            return;
        };
        runtime.block_on(async move {
            let Ok(connection) =
                lapin::Connection::connect(&url, lapin::ConnectionProperties::default()).await
            else {
                return;
            };
            let Ok(channel) = connection.create_channel().await else {
                return;
            };
            for queue in topology.queues() {
                let _ = channel
                    .queue_delete(queue.as_str().into(), QueueDeleteOptions::default())
                    .await;
            }
            for exchange in topology.exchanges() {
                let _ = channel
                    .exchange_delete(exchange.as_str().into(), ExchangeDeleteOptions::default())
                    .await;
            }
            let _ = connection.close(200, "cleanup".into()).await;
        });
    });
    let _ = cleanup.join();
}

/// Polls `condition` every 50 ms for up to `seconds`.
pub async fn eventually(seconds: u64, mut condition: impl AsyncFnMut() -> bool) -> bool {
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(seconds);
    while tokio::time::Instant::now() < deadline {
        if condition().await {
            return true;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    false
}
