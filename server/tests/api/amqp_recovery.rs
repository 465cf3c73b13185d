use lapin::options::{QueueDeclareOptions, QueueDeleteOptions};
use lapin::types::FieldTable;
use sqlx::PgPool;

use crate::helpers::{TestApp, amqp_url, eventually, socket_addr_of, with_addr};
use crate::proxy::TcpProxy;

/// After the broker goes away and comes back, the node reconnects by itself
/// and declares its topology again (a queue deleted meanwhile is back).
#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn the_connection_recovers_and_redeclares_after_the_broker_returns(pool: PgPool) {
    let proxy = TcpProxy::start(socket_addr_of(&amqp_url())).await;
    let app =
        TestApp::spawn_with(pool, &[("AMQP_URL", with_addr(&amqp_url(), proxy.addr()))]).await;
    let amqp = app.state.amqp.clone();
    assert!(amqp.is_connected());

    proxy.stop();
    assert!(
        eventually(10, async || !amqp.is_connected()).await,
        "loss is noticed"
    );

    // While the node is cut off, its queue disappears from the broker.
    let queue = amqp.topology().notifications_queue();
    let direct = lapin::Connection::connect(&amqp_url(), lapin::ConnectionProperties::default())
        .await
        .expect("direct connection");
    let channel = direct.create_channel().await.expect("channel");
    channel
        .queue_delete(queue.as_str().into(), QueueDeleteOptions::default())
        .await
        .expect("delete queue");

    proxy.resume();
    assert!(
        eventually(30, async || amqp.is_connected()).await,
        "reconnected"
    );
    let passive = QueueDeclareOptions {
        passive: true,
        ..QueueDeclareOptions::default()
    };
    channel
        .queue_declare(queue.as_str().into(), passive, FieldTable::default())
        .await
        .expect("the queue was declared again on reconnect");
    let metrics = app.state.metrics.render().expect("metrics");
    assert!(
        metrics.contains("equipflow_amqp_reconnects_total 1"),
        "{metrics}"
    );
    let _ = direct.close(200, "done".into()).await;
}
