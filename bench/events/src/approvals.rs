//! Approval commit → SSE event, as a user sees it. The applicant files a
//! borrow request on each given item (not measured), keeps the notification
//! stream open, and the leader approves the requests at a fixed rate. For each
//! decision: from just before the leader's POST (so the commit is inside) to
//! the applicant's client reading the `request.approved` event off the stream.
use std::collections::HashMap;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use futures::StreamExt;
use tokio::sync::mpsc;

use crate::session::Session;
use crate::stats::print_result;

#[derive(Debug, clap::Args)]
pub struct ApprovalsArgs {
    #[arg(long)]
    origin: String,
    #[arg(long, default_value = "demo-user")]
    applicant: String,
    #[arg(long, default_value = "demo-leader")]
    leader: String,
    #[arg(
        long,
        env = "EQUIPFLOW_DEMO_PASSWORD",
        default_value = "equipflow-demo"
    )]
    password: String,
    /// Ids of available items in the leader's departments, one per line.
    #[arg(long)]
    items: std::path::PathBuf,
    /// Decisions per second.
    #[arg(long, default_value_t = 50.0)]
    rate: f64,
}

pub async fn run(args: ApprovalsArgs) -> anyhow::Result<()> {
    let items: Vec<i64> = std::fs::read_to_string(&args.items)
        .with_context(|| format!("reading {}", args.items.display()))?
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.trim().parse())
        .collect::<Result<_, _>>()
        .context("item ids")?;
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(64)
        .build()?;
    let applicant = Session::sign_in(&http, &args.origin, &args.applicant, &args.password).await?;
    let leader = Session::sign_in(&http, &args.origin, &args.leader, &args.password).await?;

    let requests = file_all(&applicant, &items).await?;
    settle(&leader).await?;

    let (arrived_tx, mut arrived) = mpsc::unbounded_channel();
    let stream = applicant.stream().await?;
    tokio::spawn(read_events(stream, arrived_tx));

    // The leader decides at a fixed rate; each POST runs on its own task so a
    // slow answer does not delay the next decision.
    let (decided_tx, mut decided) = mpsc::unbounded_channel();
    let mut ticks = tokio::time::interval(Duration::from_secs_f64(1.0 / args.rate));
    for &request in &requests {
        ticks.tick().await;
        let leader = leader.clone();
        let decided_tx = decided_tx.clone();
        tokio::spawn(async move {
            let start = Instant::now();
            let id = request.to_string();
            let outcome = leader
                .call(
                    "approvals/decide",
                    &[("id", &id), ("decision", "approve"), ("comment", "bench")],
                )
                .await;
            let _ = decided_tx.send((request, start, Instant::now(), outcome.map(drop)));
        });
    }
    drop(decided_tx);

    let mut sent = HashMap::new();
    let mut answered = Vec::new();
    let mut failed = 0;
    while let Some((request, start, end, outcome)) = decided.recv().await {
        match outcome {
            Ok(()) => {
                sent.insert(request, (start, end));
                answered.push(end - start);
            }
            Err(error) => {
                failed += 1;
                eprintln!("decision on {request} failed: {error:#}");
            }
        }
    }

    let mut commit_to_event = Vec::new();
    let mut answer_to_event = Vec::new();
    let mut duplicates = 0;
    let mut seen = std::collections::HashSet::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while seen.len() < sent.len() {
        match tokio::time::timeout_at(deadline, arrived.recv()).await {
            Ok(Some((request, at))) => {
                let Some(&(start, end)) = sent.get(&request) else {
                    continue;
                };
                if !seen.insert(request) {
                    duplicates += 1;
                    continue;
                }
                commit_to_event.push(at - start);
                answer_to_event.push(at.saturating_duration_since(end));
            }
            Ok(None) | Err(_) => break,
        }
    }
    let missing = sent.len() - seen.len();
    print_result("approval-to-sse", &commit_to_event, missing);
    print_result("answer-to-sse", &answer_to_event, missing);
    print_result("decide-answer", &answered, failed);
    println!(
        "DECISIONS approved={} failed={failed} events={} duplicates={duplicates}",
        sent.len(),
        seen.len()
    );
    Ok(())
}

/// Files a borrow request on every item, eight at a time; their ids in order.
async fn file_all(applicant: &Session, items: &[i64]) -> anyhow::Result<Vec<i64>> {
    let today = chrono::Utc::now().date_naive();
    let (start, end) = (
        today.to_string(),
        (today + chrono::Duration::days(7)).to_string(),
    );
    let filed: Vec<anyhow::Result<i64>> = futures::stream::iter(items)
        .map(|item| {
            let item = item.to_string();
            let (start, end) = (&start, &end);
            async move {
                let row = applicant
                    .call(
                        "requests/file",
                        &[
                            ("equipment_id", item.as_str()),
                            ("kind", "borrow"),
                            ("reason", "benchmark"),
                            ("period_start", start),
                            ("period_end", end),
                        ],
                    )
                    .await?;
                row["id"].as_i64().context("a filed request without an id")
            }
        })
        .buffered(8)
        .collect()
        .await;
    filed.into_iter().collect()
}

/// Waits until the submissions' notifications have been written (the newest
/// id in the leader's inbox stops moving for two seconds), so the decisions are
/// measured on a quiet node rather than queued behind 1,500 submissions.
async fn settle(leader: &Session) -> anyhow::Result<()> {
    let mut last = -1;
    let mut still = 0;
    for _ in 0..120 {
        let latest = leader.call("notifications/summary", &[]).await?["latest_id"]
            .as_i64()
            .unwrap_or(0);
        still = if latest == last { still + 1 } else { 0 };
        if still == 2 {
            return Ok(());
        }
        last = latest;
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    bail!("the leader's inbox was still growing after 120 s")
}

/// Reads SSE frames and reports (request id, when read) for each approval.
async fn read_events(stream: reqwest::Response, arrived: mpsc::UnboundedSender<(i64, Instant)>) {
    let mut body = stream.bytes_stream();
    // Bytes, not text: a chunk may end inside a multi-byte character.
    let mut buffer: Vec<u8> = Vec::new();
    while let Some(Ok(chunk)) = body.next().await {
        let at = Instant::now();
        buffer.extend_from_slice(&chunk);
        while let Some(end) = buffer.windows(2).position(|w| w == b"\n\n") {
            let frame: Vec<u8> = buffer.drain(..end + 2).collect();
            if let Some(request) = approved_request(&String::from_utf8_lossy(&frame))
                && arrived.send((request, at)).is_err()
            {
                return;
            }
        }
    }
}

/// The request id of a `request.approved` notification frame.
fn approved_request(frame: &str) -> Option<i64> {
    let data = frame.lines().find_map(|l| l.strip_prefix("data:"))?;
    let notification: serde_json::Value = serde_json::from_str(data.trim()).ok()?;
    (notification["kind"] == "request.approved")
        .then(|| notification["request_id"].as_i64())
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::approved_request;

    #[test]
    fn reads_approvals_only() {
        let approved = "id: 7\nevent: notification\ndata: {\"kind\":\"request.approved\",\"request_id\":42}\n\n";
        assert_eq!(approved_request(approved), Some(42));
        let rejected = "id: 8\nevent: notification\ndata: {\"kind\":\"request.rejected\",\"request_id\":43}\n\n";
        assert_eq!(approved_request(rejected), None);
        assert_eq!(approved_request(":\n\n"), None);
    }
}
