//! A network's delay on loopback: a TCP proxy that holds every chunk for half the round-trip time
//! in each direction (the kernel's netem qdisc is not available on these machines).
//!
//! A loopback connect completes at once, so the proxy also stands in for the TCP handshake: the
//! first chunk the client sends is held one round trip longer, which is when it would reach the
//! server after SYN, SYN-ACK and ACK on a real link. Later chunks never overtake earlier ones.
//!
//! What the proxy itself costs is recorded: for every chunk, how long after its due time it was
//! written on (its lateness).

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub struct DelayProxy {
    pub addr: SocketAddr,
    lateness: Arc<Mutex<Vec<Duration>>>,
}

impl DelayProxy {
    pub fn start(upstream: SocketAddr, rtt: Duration) -> DelayProxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let lateness = Arc::new(Mutex::new(Vec::new()));
        let recorded = lateness.clone();
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let Ok(server) = TcpStream::connect(upstream) else { continue };
                let _ = client.set_nodelay(true);
                let _ = server.set_nodelay(true);
                let half = rtt / 2;
                let (c, s) = (client.try_clone().unwrap(), server.try_clone().unwrap());
                pump(client, server, half, rtt, recorded.clone());
                pump(s, c, half, Duration::ZERO, recorded.clone());
            }
        });
        DelayProxy { addr, lateness }
    }

    /// Median and largest lateness of the chunks forwarded so far, and how many there were.
    pub fn lateness(&self) -> (Duration, Duration, usize) {
        let mut all = self.lateness.lock().unwrap().clone();
        all.sort();
        match all.len() {
            0 => (Duration::ZERO, Duration::ZERO, 0),
            n => (all[n / 2], all[n - 1], n),
        }
    }

    pub fn forget_lateness(&self) {
        self.lateness.lock().unwrap().clear();
    }
}

/// Forward `from` to `to`, each chunk `half` after it was read (the first also `first_extra`).
/// Reading and writing are separate threads, so a held chunk never stops the next being read.
fn pump(
    mut from: TcpStream,
    mut to: TcpStream,
    half: Duration,
    first_extra: Duration,
    lateness: Arc<Mutex<Vec<Duration>>>,
) {
    let (sender, receiver) = mpsc::channel::<Option<(Instant, Vec<u8>)>>();
    std::thread::spawn(move || {
        let mut buffer = vec![0u8; 64 * 1024];
        let mut extra = first_extra;
        loop {
            match from.read(&mut buffer) {
                Ok(0) | Err(_) => {
                    let _ = sender.send(None);
                    return;
                }
                Ok(n) => {
                    let due = Instant::now() + half + extra;
                    extra = Duration::ZERO;
                    if sender.send(Some((due, buffer[..n].to_vec()))).is_err() {
                        return;
                    }
                }
            }
        }
    });
    std::thread::spawn(move || {
        for message in receiver {
            let Some((due, bytes)) = message else { break };
            if let Some(wait) = due.checked_duration_since(Instant::now()) {
                std::thread::sleep(wait);
            }
            if to.write_all(&bytes).is_err() {
                break;
            }
            lateness.lock().unwrap().push(Instant::now().saturating_duration_since(due));
        }
        let _ = to.shutdown(Shutdown::Write);
    });
}
