//! STS over TLS on loopback, as a client meets it on a real network: HTTPS with keep-alive and a
//! certificate from a CA of its own, which the client trusts through `ca_bundle`. The CA and the
//! server's certificate are made with the `openssl` command (Debian's `openssl`) for each run.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

pub struct TlsSts {
    pub addr: std::net::SocketAddr,
    /// The CA's certificate (PEM): what `ca_bundle` names.
    pub ca_bundle: PathBuf,
    connections: Arc<AtomicUsize>,
    requests: Arc<AtomicUsize>,
}

impl TlsSts {
    /// Make a CA and a certificate for 127.0.0.1 under `dir`, and serve.
    pub fn start(dir: &Path) -> TlsSts {
        std::fs::create_dir_all(dir).unwrap();
        let run = |args: &[&str]| {
            let out = Command::new("openssl").args(args).current_dir(dir).output().expect("the openssl command runs");
            assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        };
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
        run(&[
            &["req", "-x509"][..],
            &ec,
            &["-days", "2", "-subj", "/CN=awsenv bench CA", "-keyout", "ca.key", "-out", "ca.pem"],
        ]
        .concat());
        run(&[&["req", "-new"][..], &ec, &["-subj", "/CN=127.0.0.1", "-keyout", "server.key", "-out", "server.csr"]]
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
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .unwrap();
        let config = Arc::new(config);
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let connections = Arc::new(AtomicUsize::new(0));
        let requests = Arc::new(AtomicUsize::new(0));
        let (counted, answered) = (connections.clone(), requests.clone());
        std::thread::spawn(move || {
            for tcp in listener.incoming().flatten() {
                counted.fetch_add(1, Ordering::SeqCst);
                let _ = tcp.set_nodelay(true);
                let (config, answered) = (config.clone(), answered.clone());
                std::thread::spawn(move || {
                    let Ok(connection) = rustls::ServerConnection::new(config) else { return };
                    let n = super::answer_requests(rustls::StreamOwned::new(connection, tcp));
                    answered.fetch_add(n, Ordering::SeqCst);
                });
            }
        });
        TlsSts { addr, ca_bundle: dir.join("ca.pem"), connections, requests }
    }

    /// TCP connections accepted so far.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }

    /// Requests answered on connections that have ended.
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}
