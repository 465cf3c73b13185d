//! A TCP proxy between the app and a real service, so a test can make the
//! service "disappear" (and come back) without touching the shared server.
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

pub struct TcpProxy {
    addr: SocketAddr,
    accepting: Arc<AtomicBool>,
    generation: watch::Sender<u64>,
    task: tokio::task::JoinHandle<()>,
}

impl TcpProxy {
    pub async fn start(upstream: SocketAddr) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind proxy");
        let addr = listener.local_addr().expect("proxy addr");
        let accepting = Arc::new(AtomicBool::new(true));
        let (generation, _) = watch::channel(0u64);
        let task = {
            let accepting = accepting.clone();
            let generation = generation.clone();
            tokio::spawn(async move {
                while let Ok((inbound, _)) = listener.accept().await {
                    if !accepting.load(Ordering::SeqCst) {
                        drop(inbound); // the "service" is down: hang up at once
                        continue;
                    }
                    tokio::spawn(pipe(inbound, upstream, generation.subscribe()));
                }
            })
        };
        Self {
            addr,
            accepting,
            generation,
            task,
        }
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The service goes down: open connections are cut, new ones hung up on.
    pub fn stop(&self) {
        self.accepting.store(false, Ordering::SeqCst);
        self.cut_connections();
    }

    /// The service is back.
    pub fn resume(&self) {
        self.accepting.store(true, Ordering::SeqCst);
    }

    /// Cuts every open connection (a network blip); new ones are accepted.
    pub fn cut_connections(&self) {
        self.generation.send_modify(|g| *g += 1);
    }
}

impl Drop for TcpProxy {
    fn drop(&mut self) {
        self.task.abort();
        self.cut_connections();
    }
}

async fn pipe(mut inbound: TcpStream, upstream: SocketAddr, mut cut: watch::Receiver<u64>) {
    let Ok(mut outbound) = TcpStream::connect(upstream).await else {
        return;
    };
    cut.mark_unchanged();
    tokio::select! {
        _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound) => {}
        _ = cut.changed() => {}
    }
}
