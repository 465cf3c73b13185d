//! Builds a node: settings in, connected state and a bound listener out.
//!
//! `Application::build` returns before serving, with the port it bound, so
//! tests start the app on port 0 and learn where it listens.
use std::future::Future;
use std::sync::Arc;

use app::auth::AuthServices;
use app::auth::password::PasswordService;
use app::auth::principal::PrincipalCache;
use app::auth::sms::{DevSmsSender, HttpSmsSender, SmsSender};
use std::time::Duration;

use app::cache::{CacheBus, CacheSettings, Loader, TwoLevelCache};
use app::catalogue::Catalogue;
use app::equipment::counts::ListCounts;
use app::equipment::{EquipmentItem, HistoryPage};
use app::events::live::LiveHub;
use app::events::{
    inbox_writer::InboxWriter, relay::Relay, relay::RelaySettings, reminders::ReminderSettings,
};
use app::messaging::{Amqp, AmqpSettings, Topology};
use app::metrics::Metrics;
use app::notifications::InboxSummary;
use app::state::{AppState, Shared};
use leptos::config::LeptosOptions;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use crate::config::{Settings, SmsSenderSettings};
use crate::infra::{StartupError, postgres, redis};
use crate::web::{WebSettings, build_router};
use secrecy::ExposeSecret;

pub struct Application {
    port: u16,
    listener: TcpListener,
    state: AppState,
    web: WebSettings,
    workers: WorkerSettings,
}

/// What the node's background workers (outbox relay, notification consumer,
/// live fan-out) need beyond the state.
#[derive(Clone)]
struct WorkerSettings {
    prefetch: u16,
    reminders: ReminderSettings,
}

impl Application {
    /// Connects to PostgreSQL, Redis and RabbitMQ (in that order, each failing
    /// fast with a message naming it), then binds the listener.
    pub async fn build(settings: &Settings) -> Result<Self, StartupError> {
        let state = connect(settings).await?;
        Self::with_state(settings, state).await
    }

    /// Binds the listener for an already connected state (tests pass their
    /// own database pool this way).
    pub async fn with_state(settings: &Settings, state: AppState) -> Result<Self, StartupError> {
        let bind_failed = |e: std::io::Error| StartupError::Bind {
            addr: settings.addr.to_string(),
            reason: e.to_string(),
        };
        let listener = TcpListener::bind(settings.addr)
            .await
            .map_err(bind_failed)?;
        let port = listener.local_addr().map_err(bind_failed)?.port();
        let tiers = state.amqp.topology().delay_tiers.clone();
        let clock = state.clock.clone();
        Ok(Self {
            port,
            listener,
            state,
            web: WebSettings {
                https: settings.security.secure_cookies,
                allowed_origins: settings.security.allowed_origins.clone(),
                timeouts: settings.http_timeouts,
            },
            workers: WorkerSettings {
                prefetch: settings.amqp.prefetch,
                reminders: ReminderSettings {
                    pending_after: settings.amqp.remind_pending_after,
                    overdue_after: settings.amqp.remind_overdue_after,
                    tiers,
                    clock,
                },
            },
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until `shutdown` resolves, then lets in-flight requests finish
    /// and closes the broker connection cleanly.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let router = build_router(self.state.clone(), &self.web);
        let stop_workers = CancellationToken::new();
        let workers = self.spawn_workers(&stop_workers);
        tracing::info!(port = self.port, "listening");
        let served = crate::web::serve(
            self.listener,
            router,
            self.web.timeouts.header_read,
            shutdown,
        )
        .await;
        stop_workers.cancel();
        for worker in workers {
            let _ = worker.await;
        }
        self.state.amqp.close().await;
        self.state.cache_bus.stop().await;
        let _ = fred::prelude::ClientLike::quit(&self.state.redis).await;
        self.state.db.close().await;
        served
    }
}

impl Application {
    /// The outbox relay, the notification consumer, the live fan-out and the
    /// statistics refresh; they
    /// stop when `stop` is cancelled.
    fn spawn_workers(&self, stop: &CancellationToken) -> Vec<tokio::task::JoinHandle<()>> {
        let state = &self.state;
        let relay = Relay::new(
            state.db.clone(),
            state.amqp.clone(),
            RelaySettings::default(),
        );
        let writer = InboxWriter {
            db: state.db.clone(),
            amqp: state.amqp.clone(),
            prefetch: self.workers.prefetch,
            reminders: self.workers.reminders.clone(),
            announcer: Arc::default(),
            summaries: state.inbox_summaries.clone(),
        };
        vec![
            tokio::spawn(relay.run(stop.clone())),
            tokio::spawn(writer.run(stop.clone())),
            tokio::spawn(state.live.clone().run(state.amqp.clone(), stop.clone())),
            tokio::spawn(app::statistics::snapshot::run(
                state.db.clone(),
                state.statistics_every,
                state.clock.clone(),
                stop.clone(),
            )),
        ]
    }
}

/// Every connection a node holds, as one `AppState`.
pub async fn connect(settings: &Settings) -> Result<AppState, StartupError> {
    let db = postgres::connect(&settings.database, settings.connect_timeout).await?;
    connect_with_db(settings, db).await
}

/// Connects Redis and RabbitMQ around an existing PostgreSQL pool.
pub async fn connect_with_db(
    settings: &Settings,
    db: sqlx::PgPool,
) -> Result<AppState, StartupError> {
    let metrics = Arc::new(Metrics::new());
    let redis = redis::connect(&settings.redis, settings.connect_timeout).await?;
    let amqp = Amqp::connect(amqp_settings(settings), topology(settings), metrics.clone()).await?;
    let auth = auth_services(settings, &redis, &metrics)?;
    let cache_bus = CacheBus::start(&redis, &settings.redis.prefix)
        .await
        .map_err(|e| StartupError::Redis {
            url: settings.redis.url.display().to_owned(),
            reason: format!("cache invalidation channel: {e}"),
        })?;
    let caches = CacheParts {
        settings,
        redis: &redis,
        bus: &cache_bus,
        metrics: &metrics,
    };
    let equipment_cache = caches.equipment(&db);
    let history_cache = caches.history(&db);
    let catalogue_cache = caches.catalogue(&db);
    let inbox_summaries = caches.inbox_summaries(&db);
    Ok(AppState::new(Shared {
        equipment_cache,
        history_cache,
        catalogue_cache,
        inbox_summaries,
        list_counts: ListCounts::new(settings.list_count_max_age),
        statistics_every: settings.statistics_every,
        live: LiveHub::default(),
        public_origin: settings.security.allowed_origins.first().cloned(),
        clock: app::clock::OrgClock::for_zone(settings.time_zone),
        leptos_options: leptos_options(settings),
        db,
        redis,
        amqp,
        metrics,
        auth,
        cache_bus,
    }))
}

pub fn topology(settings: &Settings) -> Topology {
    let mut topology = Topology::new(&settings.amqp.prefix);
    topology.delivery_limit = settings.amqp.delivery_limit;
    topology.delay_tiers = settings.amqp.delay_tiers.clone();
    topology
}

pub fn amqp_settings(settings: &Settings) -> AmqpSettings {
    AmqpSettings {
        url: settings.amqp.url.expose().to_owned(),
        display_url: settings.amqp.url.display().to_owned(),
        connect_timeout: settings.connect_timeout,
        heartbeat_secs: settings.amqp.heartbeat_secs,
        connection_name: format!("equipflow@{}", settings.addr),
    }
}

/// cargo-leptos passes the site layout through `LEPTOS_*` variables; outside
/// it (tests, a bare binary) the defaults match the workspace metadata.
fn leptos_options(settings: &Settings) -> LeptosOptions {
    let mut options = leptos::config::get_configuration(None)
        .map(|conf| conf.leptos_options)
        .unwrap_or_else(|_| LeptosOptions::builder().output_name("equipflow").build());
    options.site_addr = settings.addr;
    if options.hash_files && !crate::web::hash_listing(&options).is_some_and(|path| path.is_file())
    {
        // Without the listing, every page render would panic in Leptos
        // (`failed to read hash file`): serve the unhashed names instead.
        tracing::warn!(
            hash_file = %options.hash_file,
            "LEPTOS_HASH_FILES is set but the hash file is not beside the binary; serving unhashed file names"
        );
        options.hash_files = false;
    }
    options
}

/// Sign-in services: password hashing slots, the principal cache, the SMS sender.
fn auth_services(
    settings: &Settings,
    redis: &fred::clients::Pool,
    metrics: &Metrics,
) -> Result<AuthServices, StartupError> {
    let auth = &settings.security.auth;
    let sms: Arc<dyn SmsSender> = match &settings.security.sms_sender {
        SmsSenderSettings::Development => {
            // Codes are logged only on a development server; one that faces
            // users logs that a code was withheld, never the code.
            let log_codes = !settings.security.faces_users();
            if log_codes {
                tracing::warn!("SMS codes are not delivered: the development sender logs them");
            } else {
                tracing::warn!(
                    "SMS sign-in does not work: EQUIPFLOW_SMS_SENDER=dev delivers no code; set EQUIPFLOW_SMS_SENDER=http and a gateway"
                );
            }
            let outbox = auth.dev_sms_outbox.then(|| {
                tracing::warn!(
                    "DEVELOPMENT ONLY: EQUIPFLOW_DEV_SMS_OUTBOX=1 lists every SMS sign-in code at /dev/sms (loopback clients only); never run it where users can reach it"
                );
                auth.key(&["dev", "sms"])
            });
            Arc::new(DevSmsSender::new(redis.clone(), outbox, log_codes))
        }
        SmsSenderSettings::Http {
            url,
            token,
            timeout,
        } => {
            let token = token.as_ref().map(|t| t.expose_secret().to_owned());
            let sender =
                HttpSmsSender::new(url.expose().to_owned(), token, *timeout).map_err(|e| {
                    StartupError::Sms {
                        url: url.display().to_owned(),
                        reason: e.to_string(),
                    }
                })?;
            Arc::new(sender)
        }
    };
    Ok(AuthServices {
        settings: Arc::new(auth.clone()),
        principals: PrincipalCache::default(),
        passwords: PasswordService::for_this_machine()
            .counting_into(metrics.password_verifications.clone()),
        sms,
    })
}

/// What every two-level cache of a node is built from.
struct CacheParts<'a> {
    settings: &'a Settings,
    redis: &'a fred::clients::Pool,
    bus: &'a CacheBus,
    metrics: &'a Arc<Metrics>,
}

impl CacheParts<'_> {
    fn build<V>(&self, cache_settings: CacheSettings, loader: Loader<V>) -> TwoLevelCache<V>
    where
        V: Clone + serde::Serialize + serde::de::DeserializeOwned + Send + Sync + 'static,
    {
        TwoLevelCache::new(
            cache_settings,
            &self.settings.redis.prefix,
            self.redis.clone(),
            self.bus.clone(),
            loader,
            self.metrics.clone(),
        )
    }

    /// Equipment by id: a hot key (detail pages, scans of QR labels).
    fn equipment(&self, db: &sqlx::PgPool) -> TwoLevelCache<EquipmentItem> {
        let db = db.clone();
        let loader: Loader<EquipmentItem> = Arc::new(move |key: String| {
            let db = db.clone();
            Box::pin(async move {
                match key.parse::<i64>() {
                    Ok(id) => app::equipment::repo::item_by_id(&db, id).await,
                    Err(_) => Ok(None),
                }
            })
        });
        self.build(
            CacheSettings {
                name: "equipment",
                l1_ttl: Duration::from_secs(5),
                l1_capacity: 100_000,
                fresh_for: Duration::from_secs(600),
                keep_for: Duration::from_secs(3600),
                jitter: 0.2,
                absent_for: Duration::from_secs(30),
                rebuild_lock: Duration::from_secs(5),
            },
            loader,
        )
    }

    /// The newest history page per item, beside the item itself.
    fn history(&self, db: &sqlx::PgPool) -> TwoLevelCache<HistoryPage> {
        let db = db.clone();
        let loader: Loader<HistoryPage> = Arc::new(move |key: String| {
            let db = db.clone();
            Box::pin(async move {
                match key.parse::<i64>() {
                    Ok(id) => app::equipment::repo::history_page(&db, id, None)
                        .await
                        .map(Some),
                    Err(_) => Ok(None),
                }
            })
        });
        self.build(
            CacheSettings {
                name: "equipment_history",
                l1_ttl: Duration::from_secs(5),
                l1_capacity: 20_000,
                fresh_for: Duration::from_secs(600),
                keep_for: Duration::from_secs(3600),
                jitter: 0.2,
                absent_for: Duration::from_secs(30),
                rebuild_lock: Duration::from_secs(5),
            },
            loader,
        )
    }

    /// Each user's bell. Every page reads it, so it must not cost a query per
    /// render; writers invalidate it, and a fill that raced a write is stale
    /// for at most `fresh_for` (the open page's live stream corrects the bell
    /// sooner).
    fn inbox_summaries(&self, db: &sqlx::PgPool) -> TwoLevelCache<InboxSummary> {
        let db = db.clone();
        let loader: Loader<InboxSummary> = Arc::new(move |key: String| {
            let db = db.clone();
            Box::pin(async move {
                match key.parse::<i64>() {
                    Ok(user_id) => app::notifications::repo::summary(&db, user_id)
                        .await
                        .map(Some),
                    Err(_) => Ok(None),
                }
            })
        });
        self.build(
            CacheSettings {
                name: "inbox_summary",
                l1_ttl: Duration::from_secs(5),
                l1_capacity: 100_000,
                fresh_for: Duration::from_secs(20),
                keep_for: Duration::from_secs(600),
                jitter: 0.2,
                absent_for: Duration::from_secs(5),
                rebuild_lock: Duration::from_secs(5),
            },
            loader,
        )
    }

    /// Categories and the department tree: one small, very hot key.
    fn catalogue(&self, db: &sqlx::PgPool) -> TwoLevelCache<Catalogue> {
        let db = db.clone();
        let loader: Loader<Catalogue> = Arc::new(move |_key: String| {
            let db = db.clone();
            Box::pin(async move { app::catalogue::cached::from_database(&db).await })
        });
        self.build(
            CacheSettings {
                name: "catalogue",
                l1_ttl: Duration::from_secs(5),
                l1_capacity: 4,
                fresh_for: Duration::from_secs(300),
                keep_for: Duration::from_secs(3600),
                jitter: 0.2,
                absent_for: Duration::from_secs(5),
                rebuild_lock: Duration::from_secs(5),
            },
            loader,
        )
    }
}
