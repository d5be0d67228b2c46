//! HTTPS in front of a loopback mock, as a client meets STS on a real network: TLS 1.3 with a
//! certificate from a CA of its own, which the client trusts through `ca_bundle`. The front ends
//! TLS and passes the bytes to the plain mock behind it, so the mock's own counting and scripting
//! still hold; the front counts the TLS connections. The CA and the certificate for 127.0.0.1 are
//! made with the `openssl` command (Debian's `openssl`) for each front. Shared with the cold-path
//! benchmark.

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

pub struct TlsFront {
    pub addr: SocketAddr,
    /// The CA's certificate (PEM): what `ca_bundle` names.
    pub ca_bundle: PathBuf,
    connections: Arc<AtomicUsize>,
}

/// Whether the `openssl` command is here to make certificates.
pub fn available() -> bool {
    Command::new("openssl").arg("version").output().is_ok_and(|o| o.status.success())
}

impl TlsFront {
    /// Make a CA and a certificate under `dir`, and serve TLS on 127.0.0.1 for `upstream`.
    pub fn start(dir: &Path, upstream: SocketAddr) -> TlsFront {
        let config = Arc::new(server_config(dir));
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let connections = Arc::new(AtomicUsize::new(0));
        let counted = connections.clone();
        std::thread::spawn(move || {
            for tcp in listener.incoming().flatten() {
                counted.fetch_add(1, Ordering::SeqCst);
                let config = config.clone();
                std::thread::spawn(move || relay(tcp, config, upstream));
            }
        });
        TlsFront { addr, ca_bundle: dir.join("ca.pem"), connections }
    }

    /// TLS connections accepted so far.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

fn server_config(dir: &Path) -> rustls::ServerConfig {
    std::fs::create_dir_all(dir).unwrap();
    let run = |args: &[&str]| {
        let out = Command::new("openssl").args(args).current_dir(dir).output().expect("the openssl command runs");
        assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    };
    let key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
    run(&[
        &["req", "-x509"][..],
        &key,
        &["-days", "2", "-subj", "/CN=awsenv test CA", "-keyout", "ca.key", "-out", "ca.pem"],
    ]
    .concat());
    run(&[&["req", "-new"][..], &key, &["-subj", "/CN=127.0.0.1", "-keyout", "server.key", "-out", "server.csr"]]
        .concat());
    std::fs::write(
        dir.join("server.ext"),
        "subjectAltName = IP:127.0.0.1, DNS:localhost\nbasicConstraints = CA:FALSE\nextendedKeyUsage = serverAuth\n",
    )
    .unwrap();
    run(&[
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        "server.ext",
        "-out",
        "server.pem",
    ]);
    let chain: Vec<CertificateDer<'static>> =
        CertificateDer::pem_file_iter(dir.join("server.pem")).unwrap().map(Result::unwrap).collect();
    let key = PrivateKeyDer::from_pem_file(dir.join("server.key")).unwrap();
    rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .unwrap()
}

/// One client connection: TLS with the client, plain bytes with the upstream, both ways, until
/// either side closes.
fn relay(mut tcp: TcpStream, config: Arc<rustls::ServerConfig>, upstream: SocketAddr) {
    let _ = tcp.set_nodelay(true);
    let Ok(mut tls) = rustls::ServerConnection::new(config) else { return };
    // The handshake first, so that a client that refuses the certificate never reaches upstream.
    while tls.is_handshaking() {
        if tls.complete_io(&mut tcp).is_err() {
            return;
        }
    }
    let Ok(plain) = TcpStream::connect(upstream) else { return };
    let _ = plain.set_nodelay(true);
    let mut from_upstream = plain.try_clone().unwrap();
    let mut to_upstream = plain;
    // rustls is not shared between threads: one thread does all the TLS, polling both sockets.
    let _ = tcp.set_nonblocking(true);
    let _ = from_upstream.set_nonblocking(true);
    let mut buffer = vec![0u8; 64 * 1024];
    loop {
        let mut progressed = false;
        match tls.read_tls(&mut tcp) {
            Ok(0) => break,
            Ok(_) => {
                if tls.process_new_packets().is_err() {
                    break;
                }
                progressed = true;
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            Err(_) => break,
        }
        loop {
            match tls.reader().read(&mut buffer) {
                Ok(0) => {
                    let _ = to_upstream.shutdown(Shutdown::Write);
                    break;
                }
                Ok(n) => {
                    if to_upstream.write_all(&buffer[..n]).is_err() {
                        return;
                    }
                }
                Err(_) => break,
            }
        }
        match from_upstream.read(&mut buffer) {
            Ok(0) => {
                tls.send_close_notify();
                let _ = tls.complete_io(&mut tcp);
                break;
            }
            Ok(n) => {
                if tls.writer().write_all(&buffer[..n]).is_err() {
                    break;
                }
                progressed = true;
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            Err(_) => break,
        }
        while tls.wants_write() {
            match tls.write_tls(&mut tcp) {
                Ok(_) => progressed = true,
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => break,
                Err(_) => return,
            }
        }
        if !progressed {
            wait_for(&tcp, &from_upstream, tls.wants_write());
        }
    }
}

/// Until either socket has something to read (or the client's can take more, when there is TLS
/// to write), at most 100 ms.
fn wait_for(client: &TcpStream, upstream: &TcpStream, writing: bool) {
    use std::os::fd::AsRawFd;
    let client_events = libc::POLLIN | if writing { libc::POLLOUT } else { 0 };
    let mut fds = [
        libc::pollfd { fd: client.as_raw_fd(), events: client_events, revents: 0 },
        libc::pollfd { fd: upstream.as_raw_fd(), events: libc::POLLIN, revents: 0 },
    ];
    // SAFETY: two valid pollfd entries for descriptors this function borrows.
    unsafe { libc::poll(fds.as_mut_ptr(), 2, 100) };
}
