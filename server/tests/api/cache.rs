//! The two-level cache against the real Redis and PostgreSQL, with two
//! "nodes" (app states) sharing one Redis where it matters.
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use app::cache::{CacheSettings, Loader, TwoLevelCache};
use fred::prelude::*;
use sqlx::PgPool;

use crate::helpers::{TestApp, eventually, redis_url, second_node, socket_addr_of, with_addr};
use crate::proxy::TcpProxy;
use crate::users::department;

fn settings() -> CacheSettings {
    CacheSettings {
        name: "departments",
        l1_ttl: Duration::from_secs(60),
        l1_capacity: 1000,
        fresh_for: Duration::from_secs(60),
        keep_for: Duration::from_secs(600),
        jitter: 0.1,
        absent_for: Duration::from_secs(30),
        rebuild_lock: Duration::from_secs(5),
    }
}

/// Reads a department's name from PostgreSQL, counting every read.
fn loader(pool: &PgPool, reads: &Arc<AtomicUsize>) -> Loader<String> {
    let (pool, reads) = (pool.clone(), reads.clone());
    Arc::new(move |key: String| {
        let (pool, reads) = (pool.clone(), reads.clone());
        Box::pin(async move {
            reads.fetch_add(1, Ordering::SeqCst);
            let id: i64 = key.parse().map_err(|_| sqlx::Error::RowNotFound)?;
            sqlx::query_scalar("SELECT name FROM departments WHERE id = $1")
                .bind(id)
                .fetch_optional(&pool)
                .await
        })
    })
}

fn cache_on(
    app: &TestApp,
    settings: CacheSettings,
    loader: Loader<String>,
) -> TwoLevelCache<String> {
    let state = &app.state;
    TwoLevelCache::new(
        settings,
        &state.auth.settings.redis_prefix,
        state.redis.clone(),
        state.cache_bus.clone(),
        loader,
        state.metrics.clone(),
    )
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn a_miss_fills_both_levels(pool: PgPool) {
    let id = department(&pool, "CACHED", None).await.to_string();
    let app = TestApp::spawn(pool.clone()).await;
    let reads = Arc::new(AtomicUsize::new(0));
    let cache = cache_on(&app, settings(), loader(&pool, &reads));
    assert_eq!(
        cache.get(&id).await.expect("get"),
        Some("CACHED".to_owned())
    );
    assert_eq!(reads.load(Ordering::SeqCst), 1);
    let ttl: i64 = app.state.redis.pttl(cache.l2_key(&id)).await.expect("pttl");
    assert!(
        ttl > 590_000 && ttl <= 660_000,
        "long TTL with jitter: {ttl} ms"
    );
    assert_eq!(
        cache.get(&id).await.expect("get"),
        Some("CACHED".to_owned())
    );
    assert_eq!(
        reads.load(Ordering::SeqCst),
        1,
        "the second read is an L1 hit"
    );

    // Another node with an empty L1 finds L2 filled.
    let other = second_node(pool.clone(), &app).await;
    let other_reads = Arc::new(AtomicUsize::new(0));
    let other_cache = cache_on(&other, settings(), loader(&pool, &other_reads));
    assert_eq!(
        other_cache.get(&id).await.expect("get"),
        Some("CACHED".to_owned())
    );
    assert_eq!(other_reads.load(Ordering::SeqCst), 0, "served from L2");
    let metrics = other.state.metrics.render().expect("metrics");
    assert!(
        metrics.contains(
            r#"equipflow_cache_events_total{cache="departments",level="l2",outcome="hit"} 1"#
        ),
        "{metrics}"
    );
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn an_update_on_one_node_is_not_served_stale_by_another(pool: PgPool) {
    let id = department(&pool, "BEFORE", None).await;
    let key = id.to_string();
    let a = TestApp::spawn(pool.clone()).await;
    let b = second_node(pool.clone(), &a).await;
    let reads = Arc::new(AtomicUsize::new(0));
    let cache_a = cache_on(&a, settings(), loader(&pool, &reads));
    let cache_b = cache_on(&b, settings(), loader(&pool, &reads));
    assert_eq!(
        cache_a.get(&key).await.expect("get").as_deref(),
        Some("BEFORE")
    );
    assert_eq!(
        cache_b.get(&key).await.expect("get").as_deref(),
        Some("BEFORE")
    );

    sqlx::query("UPDATE departments SET name = 'AFTER' WHERE id = $1")
        .bind(id)
        .execute(&pool)
        .await
        .expect("update");
    cache_a.invalidate(&key).await;
    assert_eq!(
        cache_a.get(&key).await.expect("get").as_deref(),
        Some("AFTER")
    );
    let fresh_on_b = eventually(2, async || {
        cache_b.get(&key).await.expect("get").as_deref() == Some("AFTER")
    })
    .await;
    assert!(
        fresh_on_b,
        "node B dropped its L1 entry when the invalidation arrived"
    );
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn two_hundred_readers_of_an_expired_hot_key_cause_one_rebuild(pool: PgPool) {
    let key = department(&pool, "HOT", None).await.to_string();
    let hot = CacheSettings {
        l1_ttl: Duration::from_millis(100),
        fresh_for: Duration::from_millis(300),
        ..settings()
    };
    let a = TestApp::spawn(pool.clone()).await;
    let b = second_node(pool.clone(), &a).await;
    let reads = Arc::new(AtomicUsize::new(0));
    let cache_a = cache_on(&a, hot.clone(), loader(&pool, &reads));
    let cache_b = cache_on(&b, hot, loader(&pool, &reads));
    cache_a.get(&key).await.expect("warm");
    tokio::time::sleep(Duration::from_millis(500)).await;
    reads.store(0, Ordering::SeqCst);

    let readers = (0..200).map(|i| {
        let cache = if i % 2 == 0 {
            cache_a.clone()
        } else {
            cache_b.clone()
        };
        let key = key.clone();
        tokio::spawn(async move { cache.get(&key).await })
    });
    for reader in futures::future::join_all(readers).await {
        let value = reader.expect("task").expect("get");
        assert_eq!(
            value.as_deref(),
            Some("HOT"),
            "everyone is served, stale or fresh"
        );
    }
    assert!(
        eventually(3, async || reads.load(Ordering::SeqCst) >= 1).await,
        "the rebuild ran"
    );
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        reads.load(Ordering::SeqCst),
        1,
        "exactly one rebuild reached PostgreSQL"
    );
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn a_missing_id_reaches_postgresql_once_within_the_absent_ttl(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    let reads = Arc::new(AtomicUsize::new(0));
    let absent = CacheSettings {
        l1_ttl: Duration::from_millis(100),
        absent_for: Duration::from_millis(1500),
        ..settings()
    };
    let cache = cache_on(&app, absent, loader(&pool, &reads));
    for _ in 0..5 {
        assert_eq!(cache.get("987654").await.expect("get"), None);
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
    assert_eq!(
        reads.load(Ordering::SeqCst),
        1,
        "absent is remembered in L2"
    );
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert_eq!(cache.get("987654").await.expect("get"), None);
    assert_eq!(
        reads.load(Ordering::SeqCst),
        2,
        "and forgotten after its TTL"
    );
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn with_redis_down_reads_come_from_postgresql_and_the_cache_recovers(pool: PgPool) {
    let key = department(&pool, "SURVIVOR", None).await.to_string();
    let proxy = TcpProxy::start(socket_addr_of(&redis_url())).await;
    let app = TestApp::spawn_with(
        pool.clone(),
        &[
            ("REDIS_URL", with_addr(&redis_url(), proxy.addr())),
            ("EQUIPFLOW_REDIS_TIMEOUT_MS", "300".to_owned()),
        ],
    )
    .await;
    let reads = Arc::new(AtomicUsize::new(0));
    let no_l1 = CacheSettings {
        l1_ttl: Duration::from_millis(50),
        ..settings()
    };
    let cache = cache_on(&app, no_l1, loader(&pool, &reads));
    proxy.stop();
    proxy.cut_connections();
    for _ in 0..3 {
        assert_eq!(
            cache
                .get(&key)
                .await
                .expect("served without Redis")
                .as_deref(),
            Some("SURVIVOR")
        );
        tokio::time::sleep(Duration::from_millis(80)).await;
    }
    assert_eq!(
        reads.load(Ordering::SeqCst),
        3,
        "each L1 miss read PostgreSQL"
    );
    let metrics = app.state.metrics.render().expect("metrics");
    assert!(
        metrics.contains(r#"level="l2",outcome="error""#),
        "{metrics}"
    );

    proxy.resume();
    let direct = fred::clients::Client::new(
        fred::types::config::Config::from_url(&redis_url()).expect("url"),
        None,
        None,
        None,
    );
    direct.init().await.expect("redis");
    let l2_key = cache.l2_key(&key);
    let refilled = eventually(10, async || {
        let _ = cache.get(&key).await;
        direct.exists::<bool, _>(&l2_key).await.unwrap_or(false)
    })
    .await;
    assert!(refilled, "L2 is filled again once Redis is back");
}
