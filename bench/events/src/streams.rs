//! Concurrent SSE streams: opens `count` streams on one URL (raw HTTP/1.1 over
//! TCP, so the client's own cost stays small), prints `OPEN` once they are all
//! open (bench/events.sh reads the server's memory then), holds them, and
//! prints how many were still open and had received a heartbeat at the end.
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use futures::StreamExt;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

#[derive(Debug, clap::Args)]
pub struct StreamsArgs {
    /// e.g. http://127.0.0.1:3000/api/notifications/stream
    #[arg(long)]
    url: String,
    /// Sent as the Cookie header.
    #[arg(long)]
    cookie: Option<String>,
    #[arg(long, default_value_t = 10_000)]
    count: usize,
    /// Streams being opened at once.
    #[arg(long, default_value_t = 100)]
    concurrency: usize,
    /// Seconds to hold them once open (longer than the heartbeat interval).
    #[arg(long, default_value_t = 20)]
    hold: u64,
}

#[derive(Default)]
struct Tally {
    /// Received bytes after the response head: a heartbeat or an event.
    heard: AtomicUsize,
    /// Ended by the server or by an error while held.
    closed: AtomicUsize,
}

pub async fn run(args: StreamsArgs) -> anyhow::Result<()> {
    let rest = args.url.strip_prefix("http://").context("an http:// URL")?;
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let path = if path.is_empty() { "/" } else { path };
    let mut request =
        format!("GET {path} HTTP/1.1\r\nHost: {authority}\r\nAccept: text/event-stream\r\n");
    if let Some(cookie) = &args.cookie {
        request.push_str(&format!("Cookie: {cookie}\r\n"));
    }
    request.push_str("\r\n");
    let request = Arc::new(request.into_bytes());
    let authority = authority.to_owned();
    let tally = Arc::new(Tally::default());

    let started = Instant::now();
    let opened: Vec<anyhow::Result<()>> = futures::stream::iter(0..args.count)
        .map(|_| open(authority.clone(), request.clone(), tally.clone()))
        .buffer_unordered(args.concurrency)
        .collect()
        .await;
    let failures: Vec<String> = opened
        .iter()
        .filter_map(|r| r.as_ref().err())
        .map(|e| format!("{e:#}"))
        .collect();
    let open_count = opened.len() - failures.len();
    if let Some(first) = failures.first() {
        eprintln!(
            "{} streams failed to open; the first: {first}",
            failures.len()
        );
    }
    println!(
        "OPEN {open_count} {} {:.1}",
        failures.len(),
        started.elapsed().as_secs_f64()
    );
    tokio::time::sleep(Duration::from_secs(args.hold)).await;
    let closed = tally.closed.load(Ordering::Relaxed);
    println!(
        "RESULT streams {open_count} {} {} {closed}",
        failures.len(),
        tally.heard.load(Ordering::Relaxed),
    );
    if open_count == 0 {
        bail!("no stream opened");
    }
    Ok(())
}

/// Opens one stream, checks the answer is a 200 event stream, and leaves a
/// task reading it.
async fn open(authority: String, request: Arc<Vec<u8>>, tally: Arc<Tally>) -> anyhow::Result<()> {
    let mut socket = TcpStream::connect(&authority).await.context("connect")?;
    socket.write_all(&request).await.context("send")?;
    let mut head = Vec::with_capacity(1024);
    let mut buffer = [0u8; 1024];
    let body_start = loop {
        let n = tokio::time::timeout(Duration::from_secs(30), socket.read(&mut buffer))
            .await
            .context("no answer within 30 s")??;
        if n == 0 {
            bail!("closed before answering");
        }
        head.extend_from_slice(&buffer[..n]);
        if let Some(end) = head.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
    };
    let status_line =
        String::from_utf8_lossy(&head[..head.iter().position(|&b| b == b'\r').unwrap_or(0)])
            .into_owned();
    if !status_line.starts_with("HTTP/1.1 200") {
        bail!("answered {status_line}");
    }
    let mut heard = head.len() > body_start;
    if heard {
        tally.heard.fetch_add(1, Ordering::Relaxed);
    }
    tokio::spawn(async move {
        loop {
            match socket.read(&mut buffer).await {
                Ok(0) | Err(_) => {
                    tally.closed.fetch_add(1, Ordering::Relaxed);
                    return;
                }
                Ok(_) if !heard => {
                    heard = true;
                    tally.heard.fetch_add(1, Ordering::Relaxed);
                }
                Ok(_) => {}
            }
        }
    });
    Ok(())
}
