//! moto's server, started once per test binary on 127.0.0.1 and gone when the test process is.

use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Ends with the test process that started it: the launcher watches its parent.
const LAUNCHER: &str = r#"
import os, sys, threading, time
parent = os.getppid()
def watch():
    while os.getppid() == parent:
        time.sleep(0.3)
    os._exit(0)
threading.Thread(target=watch, daemon=True).start()
from moto.server import main
main(["-H", "127.0.0.1", "-p", sys.argv[1]])
"#;

/// The endpoint of a running moto server, or `None` (a loud skip) when moto is not installed
/// outside CI. In CI a missing moto fails the test.
pub fn endpoint() -> Option<&'static str> {
    static ENDPOINT: OnceLock<Option<String>> = OnceLock::new();
    ENDPOINT.get_or_init(start).as_deref()
}

fn start() -> Option<String> {
    let importable = Command::new("python3")
        .args(["-c", "import moto.server"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !importable {
        if super::in_ci() {
            panic!("moto is not installed (pip install 'moto[server]'); in CI this is a failure");
        }
        eprintln!("\n*** SKIPPING: moto is not installed (scripts/test installs it) ***\n");
        return None;
    }
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    // Never waited for: it outlives every test and ends itself when this process does.
    #[allow(clippy::zombie_processes)]
    let _server = Command::new("python3")
        .args(["-c", LAUNCHER, &port.to_string()])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("python3 starts");
    let deadline = Instant::now() + Duration::from_secs(60);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "moto did not start on port {port}");
        std::thread::sleep(Duration::from_millis(100));
    }
    Some(format!("http://127.0.0.1:{port}"))
}
