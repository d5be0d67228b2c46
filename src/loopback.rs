//! The one way awsenv listens: a small HTTP/1 server on a loopback address, for the credential
//! endpoint and the login's redirect (and any listener added later).
//!
//! Anyone on the machine can connect to a loopback port, so a listener must hold against local
//! users who connect and then send slowly, too much, or nothing:
//! - a request head is at most `max_head` bytes and must arrive whole within `head_deadline`
//!   (a deadline for the head, not for each `read`, so trickling a byte at a time does not
//!   extend it);
//! - connections are served at once, each on its own thread, up to `slots`;
//! - when every slot is taken, the connection that has waited longest *without sending a whole
//!   head* is closed to make room. A real client (an SDK, a browser following a redirect) sends
//!   its head as soon as it connects, so connections that hold a slot silently cannot starve
//!   it; only when every slot is busy answering a complete request is a newcomer told 503.

use std::collections::VecDeque;
use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How much a listener takes from each connection.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_head: usize,
    pub head_deadline: Duration,
    pub slots: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits { max_head: 8 * 1024, head_deadline: Duration::from_secs(5), slots: 64 }
    }
}

/// A request head: the request line's method and target, and the header lines in order (names
/// lower-cased, values trimmed). Bodies are not read: nothing served here takes one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    pub method: String,
    pub target: String,
    pub headers: Vec<(String, String)>,
}

/// A header given more than once, where which one counts would be a guess.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Repeated;

impl Head {
    /// The value of header `name` (lower case) when given at most once.
    pub fn single(&self, name: &str) -> Result<Option<&str>, Repeated> {
        let mut found = self.headers.iter().filter(|(n, _)| n == name).map(|(_, v)| v.as_str());
        let first = found.next();
        if found.next().is_some() { Err(Repeated) } else { Ok(first) }
    }
}

/// An answer: status, content type and body; the connection is closed after it.
pub struct Response {
    pub status: u16,
    pub content_type: &'static str,
    pub body: String,
}

/// Answers a request: given its head, or `None` when none came whole in time (the handler says
/// 400 in its own format).
type Handler = dyn Fn(Option<&Head>) -> Response + Send + Sync;

/// Connections taken, by whether they have sent their head yet.
#[derive(Default)]
struct Slots {
    /// Waiting for their head, oldest first: the ones that make room when all are taken.
    waiting: VecDeque<(u64, TcpStream)>,
    /// Answering a whole request.
    busy: usize,
    next_id: u64,
}

/// A listener being served on threads of its own; `stop` ends it.
pub struct Server {
    address: SocketAddr,
    stopped: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Stop accepting; connections being answered finish on their own threads.
    pub fn stop(mut self) {
        self.stop_now();
    }

    fn stop_now(&mut self) {
        self.stopped.store(true, Ordering::SeqCst);
        // The accept loop is blocked in accept(): one connection wakes it to see the flag.
        let _ = TcpStream::connect_timeout(&self.address, Duration::from_secs(1));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if self.thread.is_some() {
            self.stop_now();
        }
    }
}

/// Serve `listener` on a thread of its own until the returned `Server` is stopped or dropped.
pub fn spawn(
    listener: TcpListener,
    limits: Limits,
    handler: impl Fn(Option<&Head>) -> Response + Send + Sync + 'static,
) -> std::io::Result<Server> {
    let address = listener.local_addr()?;
    let stopped = Arc::new(AtomicBool::new(false));
    let flag = stopped.clone();
    let handler: Arc<Handler> = Arc::new(handler);
    let thread = std::thread::Builder::new()
        .name("awsenv-listener".into())
        .spawn(move || accept_loop(&listener, limits, &handler, &flag))?;
    Ok(Server { address, stopped, thread: Some(thread) })
}

/// Serve `listener` on this thread, for ever (the process's end ends it).
pub fn serve_forever(
    listener: &TcpListener,
    limits: Limits,
    handler: impl Fn(Option<&Head>) -> Response + Send + Sync + 'static,
) {
    let handler: Arc<Handler> = Arc::new(handler);
    accept_loop(listener, limits, &handler, &AtomicBool::new(false));
}

fn accept_loop(listener: &TcpListener, limits: Limits, handler: &Arc<Handler>, stopped: &AtomicBool) {
    let slots = Arc::new(Mutex::new(Slots::default()));
    for stream in listener.incoming() {
        if stopped.load(Ordering::SeqCst) {
            return;
        }
        let Ok(stream) = stream else { continue };
        let Some(id) = take_slot(&slots, &stream, limits.slots) else {
            let _ = respond(&stream, &busy());
            continue;
        };
        let (shared, handler) = (slots.clone(), handler.clone());
        let spawned = std::thread::Builder::new().name("awsenv-connection".into()).spawn(move || {
            let slots = shared;
            let head = read_head(&stream, limits);
            {
                let mut taken = slots.lock().unwrap_or_else(|p| p.into_inner());
                let Some(at) = taken.waiting.iter().position(|(i, _)| *i == id) else {
                    // Closed to make room for a newer connection: nothing more to do.
                    return;
                };
                taken.waiting.remove(at);
                taken.busy += 1;
            }
            let response = handler(head.as_ref());
            let _ = respond(&stream, &response);
            slots.lock().unwrap_or_else(|p| p.into_inner()).busy -= 1;
        });
        if spawned.is_err() {
            // No thread for it: its slot goes back (the stream closed with the closure).
            let mut taken = slots.lock().unwrap_or_else(|p| p.into_inner());
            taken.waiting.retain(|(i, _)| *i != id);
        }
    }
}

/// A slot for `stream`: a free one, else the one of the connection that has waited longest for
/// its head (closed here); `None` when every slot is answering a whole request.
fn take_slot(slots: &Mutex<Slots>, stream: &TcpStream, limit: usize) -> Option<u64> {
    let handle = stream.try_clone().ok()?;
    let mut taken = slots.lock().unwrap_or_else(|p| p.into_inner());
    if taken.waiting.len() + taken.busy >= limit {
        let (_, oldest) = taken.waiting.pop_front()?;
        let _ = oldest.shutdown(Shutdown::Both);
    }
    let id = taken.next_id;
    taken.next_id += 1;
    taken.waiting.push_back((id, handle));
    Some(id)
}

fn busy() -> Response {
    Response {
        status: 503,
        content_type: "text/plain; charset=utf-8",
        body: "busy answering other requests; try again\n".into(),
    }
}

/// The head of the request on `stream`, read within the deadline and the size bound; `None` for
/// anything else (too slow, too large, closed, not HTTP/1).
fn read_head(mut stream: &TcpStream, limits: Limits) -> Option<Head> {
    let deadline = Instant::now() + limits.head_deadline;
    let mut buffer = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    let end = loop {
        if let Some(end) = head_end(&buffer) {
            break end;
        }
        let left = deadline.checked_duration_since(Instant::now()).filter(|d| !d.is_zero())?;
        stream.set_read_timeout(Some(left)).ok()?;
        let room = (limits.max_head - buffer.len()).min(chunk.len());
        if room == 0 {
            return None;
        }
        match stream.read(&mut chunk[..room]) {
            Ok(0) | Err(_) => return None,
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
        }
    };
    parse_head(std::str::from_utf8(&buffer[..end]).ok()?)
}

/// Where the head ends (the blank line), if it has.
fn head_end(buffer: &[u8]) -> Option<usize> {
    buffer.windows(4).position(|w| w == b"\r\n\r\n").or_else(|| buffer.windows(2).position(|w| w == b"\n\n"))
}

fn parse_head(text: &str) -> Option<Head> {
    let mut lines = text.lines();
    let mut parts = lines.next()?.split(' ');
    let (method, target, version) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || !version.starts_with("HTTP/1.") || method.is_empty() || target.is_empty() {
        return None;
    }
    let mut headers = Vec::new();
    for line in lines {
        let (name, value) = line.split_once(':')?;
        if name.is_empty() || name.contains(char::is_whitespace) {
            return None;
        }
        headers.push((name.to_ascii_lowercase(), value.trim().to_owned()));
    }
    Some(Head { method: method.to_owned(), target: target.to_owned(), headers })
}

fn respond(mut stream: &TcpStream, response: &Response) -> std::io::Result<()> {
    let reason = match response.status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        500 => "Internal Server Error",
        _ => "Service Unavailable",
    };
    stream.set_write_timeout(Some(Duration::from_secs(5)))?;
    let head = format!(
        "HTTP/1.1 {} {reason}\r\ncontent-type: {}\r\ncontent-length: {}\r\ncache-control: no-store\r\nconnection: close\r\n\r\n",
        response.status,
        response.content_type,
        response.body.len()
    );
    stream.write_all(head.as_bytes())?;
    stream.write_all(response.body.as_bytes())?;
    stream.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::BufRead;

    fn echo() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let limits = Limits { max_head: 256, head_deadline: Duration::from_secs(30), slots: 4 };
        spawn(listener, limits, |head: Option<&Head>| match head {
            Some(head) => {
                Response { status: 200, content_type: "text/plain", body: format!("{} {}", head.method, head.target) }
            }
            None => Response { status: 400, content_type: "text/plain", body: "no head".into() },
        })
        .unwrap()
    }

    fn status_of(mut stream: TcpStream) -> String {
        let mut line = String::new();
        std::io::BufReader::new(&mut stream).read_line(&mut line).unwrap();
        line
    }

    #[test]
    fn heads_are_parsed_and_bounded() {
        let head = parse_head("GET /x?y HTTP/1.1\r\nHost: a\r\nHOST: b\r\nX-Other:  v ").unwrap();
        assert_eq!(head.target, "/x?y");
        assert_eq!(head.single("host"), Err(Repeated));
        assert_eq!(head.single("x-other"), Ok(Some("v")));
        assert_eq!(head.single("nope"), Ok(None));
        for bad in ["GET /x", "GET /x HTTP/2", "GET  /x HTTP/1.1", "GET /x HTTP/1.1\r\nno colon", " / HTTP/1.1"] {
            assert_eq!(parse_head(bad), None, "{bad:?}");
        }
        let server = echo();
        let mut big = TcpStream::connect(server.address()).unwrap();
        let _ = big.write_all(&[b'a'; 300]);
        assert!(status_of(big).starts_with("HTTP/1.1 400"), "a head over the bound is refused");
    }

    #[test]
    fn silent_connections_make_room_for_one_that_sends_its_head() {
        let server = echo();
        // More silent connections than slots: each newcomer closes the oldest silent one.
        let silent: Vec<TcpStream> = (0..10).map(|_| TcpStream::connect(server.address()).unwrap()).collect();
        let mut real = TcpStream::connect(server.address()).unwrap();
        real.write_all(b"GET /creds HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
        let mut answer = String::new();
        real.read_to_string(&mut answer).unwrap();
        assert!(answer.starts_with("HTTP/1.1 200 OK") && answer.ends_with("GET /creds"), "{answer}");
        // The oldest silent ones were closed to make room.
        let mut first = &silent[0];
        let mut byte = [0u8; 1];
        assert_eq!(first.read(&mut byte).unwrap_or(0), 0);
        server.stop();
    }

    #[test]
    fn a_head_trickled_past_its_deadline_is_dropped() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let limits = Limits { max_head: 256, head_deadline: Duration::from_millis(300), slots: 4 };
        let server = spawn(listener, limits, |head: Option<&Head>| Response {
            status: if head.is_some() { 200 } else { 400 },
            content_type: "t",
            body: "ok".into(),
        })
        .unwrap();
        let mut slow = TcpStream::connect(server.address()).unwrap();
        // A byte at a time, each well inside any per-read timeout, until the server answers.
        let mut sent = 0;
        let mut answer = Vec::new();
        slow.set_read_timeout(Some(Duration::from_millis(100))).unwrap();
        loop {
            if slow.write_all(b"G").is_err() {
                break;
            }
            sent += 1;
            match slow.read_to_end(&mut answer) {
                Ok(_) => break,
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => continue,
                Err(_) => break,
            }
        }
        assert!(String::from_utf8_lossy(&answer).starts_with("HTTP/1.1 400") || answer.is_empty());
        assert!(sent < 200, "dropped at the deadline, not held open ({sent} bytes sent)");
        server.stop();
    }
}
