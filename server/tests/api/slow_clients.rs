//! Clients that are slow or send more than they may: half-sent headers, a
//! body shorter than its length, a chunked body past the limit, a large but
//! allowed import. Each gets a clear status or a closed connection, quickly.
use std::time::{Duration, Instant};

use sqlx::PgPool;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::browser::signed_in;
use crate::helpers::TestApp;
use crate::users::org;

async fn connect(app: &TestApp) -> TcpStream {
    let addr = app.address.trim_start_matches("http://");
    TcpStream::connect(addr).await.expect("connect")
}

/// Everything the server sends until it closes (or `limit` passes); with
/// the time it took.
async fn read_until_closed(stream: &mut TcpStream, limit: Duration) -> (String, Duration) {
    let started = Instant::now();
    let mut received = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        match tokio::time::timeout_at(
            tokio::time::Instant::from_std(started + limit),
            stream.read(&mut buffer),
        )
        .await
        {
            Ok(Ok(0)) | Ok(Err(_)) => break,
            Ok(Ok(n)) => received.extend_from_slice(&buffer[..n]),
            Err(_) => panic!(
                "still open after {limit:?}: {}",
                String::from_utf8_lossy(&received)
            ),
        }
    }
    (
        String::from_utf8_lossy(&received).into_owned(),
        started.elapsed(),
    )
}

fn quick() -> [(&'static str, String); 2] {
    [
        ("EQUIPFLOW_HEADER_TIMEOUT_MS", "500".to_owned()),
        ("EQUIPFLOW_BODY_TIMEOUT_MS", "500".to_owned()),
    ]
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn half_sent_headers_do_not_hold_a_connection(pool: PgPool) {
    let app = TestApp::spawn_with(pool, &quick()).await;
    let mut stream = connect(&app).await;
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")
        .await
        .expect("write");
    let (_, took) = read_until_closed(&mut stream, Duration::from_secs(10)).await;
    assert!(took < Duration::from_secs(5), "closed after {took:?}");
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn a_body_shorter_than_its_length_ends_in_408(pool: PgPool) {
    let app = TestApp::spawn_with(pool, &quick()).await;
    let mut stream = connect(&app).await;
    stream
        .write_all(
            b"POST /api/rpc/auth/login HTTP/1.1\r\nHost: localhost\r\nSec-Fetch-Site: same-origin\r\n\
              Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nusername=a",
        )
        .await
        .expect("write");
    let (answer, took) = read_until_closed(&mut stream, Duration::from_secs(10)).await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(took < Duration::from_secs(5), "answered after {took:?}");
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn a_chunked_body_past_the_limit_is_413(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let mut stream = connect(&app).await;
    stream
        .write_all(
            b"POST /api/rpc/auth/login HTTP/1.1\r\nHost: localhost\r\nSec-Fetch-Site: same-origin\r\n\
              Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n",
        )
        .await
        .expect("headers");
    let chunk = vec![b'a'; 8 * 1024];
    for _ in 0..10 {
        let mut piece = format!("{:x}\r\n", chunk.len()).into_bytes();
        piece.extend_from_slice(&chunk);
        piece.extend_from_slice(b"\r\n");
        if stream.write_all(&piece).await.is_err() {
            break; // the server may close as soon as it has answered
        }
    }
    let _ = stream.write_all(b"0\r\n\r\n").await;
    let (answer, _) = read_until_closed(&mut stream, Duration::from_secs(10)).await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
}

#[sqlx::test(migrator = "equipflow_server::infra::postgres::MIGRATOR")]
async fn an_import_of_several_megabytes_is_read_and_one_past_the_limit_is_413(pool: PgPool) {
    org(&pool).await;
    sqlx::query("INSERT INTO equipment_categories (code, name) VALUES ('LAPTOP', 'Laptops')")
        .execute(&pool)
        .await
        .expect("category");
    let app = TestApp::spawn(pool.clone()).await;
    let carol = signed_in(&app, "carol").await;
    // 24 rows, each with an ignored column of 128 KiB: 3 MiB in all.
    let padding = "x".repeat(128 * 1024);
    let mut csv = String::from("asset_code,name,category,department,notes\n");
    for i in 0..24 {
        csv.push_str(&format!("BIG-{i},Item {i},LAPTOP,TEAM,{padding}\n"));
    }
    assert!(csv.len() > 3 * 1024 * 1024);
    let response = carol
        .import(Some(("big.csv", csv.clone().into_bytes())), "")
        .await;
    let status = response.status();
    let report: serde_json::Value = response.json().await.expect("report");
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["created"], 24, "{report}");

    let too_big = "x".repeat(17 * 1024 * 1024);
    let response = carol.import(None, &too_big).await;
    assert_eq!(response.status(), 413);
}
