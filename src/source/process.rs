//! `credential_process`: run the command as the SDKs do (`sh -c` on Unix, so pipelines work),
//! with its stderr passed through to the user, a time limit and an output limit, and parse its
//! JSON (Version 1) strictly. Results with an `Expiration` go through the shared cache.

use std::io::Read;
use std::os::fd::AsRawFd;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use time::OffsetDateTime;

use super::{FetchOptions, cached};
use crate::credentials::{Credentials, Secret, parse_timestamp};
use crate::env::Env;
use crate::error::Error;

const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
const MAX_OUTPUT: usize = 1 << 20;

pub fn fetch(
    command: &str,
    fallback_account_id: Option<&str>,
    at: &str,
    env: &Env,
    options: FetchOptions,
) -> Result<Credentials, Error> {
    let mut timeout =
        crate::numbers::seconds_var(env, "AWSENV_PROCESS_TIMEOUT", DEFAULT_TIMEOUT, crate::numbers::MAX_WAIT)?;
    if let Some(deadline) = options.deadline {
        // The prompt hook's budget bounds the command too; the background refresher has none.
        timeout = timeout.min(deadline.saturating_duration_since(Instant::now()).max(Duration::from_millis(1)));
    }
    let run = || {
        let stdout = run_command(command, timeout, options.hook).map_err(|cause| {
            Error::fetch(format!("credential_process ({at}) {cause}"))
                .hint("run the command yourself to see what it prints")
        })?;
        let mut credentials = parse_process_output(&stdout).map_err(|e| {
            Error::fetch(format!("credential_process ({at}) printed {e}"))
                .hint("it must print JSON with Version 1, AccessKeyId and SecretAccessKey")
        })?;
        if credentials.account_id.is_none() {
            credentials.account_id = fallback_account_id.map(str::to_owned);
        }
        Ok(credentials)
    };
    cached(env, options, &super::keys::process(command), run)
}

/// Run `sh -c command`; its stdout, or why it failed. Reads with `poll` on the pipe, so the time
/// limit holds without a second thread.
pub(super) fn run_command(command: &str, timeout: Duration, hook: bool) -> Result<Vec<u8>, String> {
    let mut child = Command::new("/bin/sh")
        .arg("-c")
        .arg(command)
        .stdin(if hook { Stdio::null() } else { Stdio::inherit() })
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .process_group(0)
        .spawn()
        .map_err(|e| format!("could not start /bin/sh: {}", crate::error::io_cause(&e)))?;
    let mut stdout = child.stdout.take().expect("stdout is piped");
    let deadline = Instant::now() + timeout;
    let mut output = Vec::new();
    let mut buffer = [0u8; 8192];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            kill_group(&mut child);
            return Err(format!("did not finish within {} s", timeout.as_secs_f64()));
        }
        let mut poll = libc::pollfd { fd: stdout.as_raw_fd(), events: libc::POLLIN, revents: 0 };
        let millis = left.as_millis().min(i32::MAX as u128) as i32;
        // SAFETY: one valid pollfd, for the duration of the call.
        let ready = unsafe { libc::poll(&mut poll, 1, millis.max(1)) };
        if ready < 0 {
            let e = std::io::Error::last_os_error();
            if e.kind() == std::io::ErrorKind::Interrupted {
                continue;
            }
            kill_group(&mut child);
            return Err(format!("could not be read: {}", crate::error::io_cause(&e)));
        }
        if ready == 0 {
            continue;
        }
        match stdout.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => {
                output.extend_from_slice(&buffer[..n]);
                if output.len() > MAX_OUTPUT {
                    kill_group(&mut child);
                    return Err(format!("printed more than {} KiB", MAX_OUTPUT / 1024));
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => {
                kill_group(&mut child);
                return Err(format!("could not be read: {}", crate::error::io_cause(&e)));
            }
        }
    }
    // Output is complete; the process may still linger briefly (or forever, if it forked).
    loop {
        match child.try_wait() {
            Ok(Some(status)) => {
                return match (status.code(), status.signal()) {
                    (Some(0), _) => Ok(output),
                    (Some(code), _) => Err(format!("exited with status {code}")),
                    (None, Some(signal)) => Err(format!("was killed by signal {signal}")),
                    (None, None) => Err("ended abnormally".to_owned()),
                };
            }
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(2)),
            Ok(None) => {
                kill_group(&mut child);
                return Err(format!("did not exit within {} s", timeout.as_secs_f64()));
            }
            Err(e) => {
                return Err(format!("could not be waited for: {}", crate::error::io_cause(&e)));
            }
        }
    }
}

fn kill_group(child: &mut Child) {
    // SAFETY: signalling the process group we created for the child.
    unsafe { libc::kill(-(child.id() as i32), libc::SIGKILL) };
    let _ = child.kill();
    let _ = child.wait();
}

/// Why the output is not credentials. The messages name fields, never their values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcessOutputError(pub String);

impl std::fmt::Display for ProcessOutputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

pub fn parse_process_output(stdout: &[u8]) -> Result<Credentials, ProcessOutputError> {
    let fail = |m: &str| Err(ProcessOutputError(m.to_owned()));
    let Ok(text) = std::str::from_utf8(stdout) else {
        return fail("output that is not UTF-8");
    };
    if text.trim().is_empty() {
        return fail("nothing");
    }
    let value: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            return Err(ProcessOutputError(format!(
                "output that is not JSON (line {}, column {})",
                e.line(),
                e.column()
            )));
        }
    };
    let Some(object) = value.as_object() else {
        return fail("JSON that is not an object");
    };
    match object.get("Version") {
        Some(v) if v.as_u64() == Some(1) => {}
        Some(_) => return fail("an unsupported Version (only 1 is defined)"),
        None => return fail("JSON without Version"),
    }
    let string = |field: &str, required: bool| -> Result<Option<String>, ProcessOutputError> {
        match object.get(field) {
            None | Some(Value::Null) if !required => Ok(None),
            None | Some(Value::Null) => Err(ProcessOutputError(format!("JSON without {field}"))),
            Some(Value::String(s)) if s.is_empty() && required => Err(ProcessOutputError(format!("an empty {field}"))),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(ProcessOutputError(format!("a {field} that is not a string"))),
        }
    };
    let access_key_id = string("AccessKeyId", true)?.expect("required");
    let secret = string("SecretAccessKey", true)?.expect("required");
    let session_token = string("SessionToken", false)?.filter(|t| !t.is_empty());
    let expiration = match string("Expiration", false)? {
        None => None,
        Some(text) => Some(
            parse_timestamp(&text)
                .ok_or_else(|| ProcessOutputError("an Expiration that is not an RFC 3339 timestamp".to_owned()))?,
        ),
    };
    Ok(Credentials {
        access_key_id,
        secret_access_key: Secret::new(secret),
        session_token: session_token.map(Secret::new),
        expiration: expiration.map(|t: OffsetDateTime| t.replace_nanosecond(0).expect("0 ns is valid")),
        account_id: string("AccountId", false)?.filter(|a| !a.is_empty()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_version_1() {
        let ok = parse_process_output(br#"{"Version":1,"AccessKeyId":"AK","SecretAccessKey":"SK","SessionToken":"T","Expiration":"2030-01-01T00:00:00Z","AccountId":"123"}"#).unwrap();
        assert_eq!((ok.access_key_id.as_str(), ok.account_id.as_deref()), ("AK", Some("123")));
        for bad in [
            &br#"{"Version":2,"AccessKeyId":"AK","SecretAccessKey":"SK"}"#[..],
            br#"{"AccessKeyId":"AK","SecretAccessKey":"SK"}"#,
            br#"{"Version":1,"SecretAccessKey":"SK"}"#,
            br#"{"Version":1,"AccessKeyId":"AK","SecretAccessKey":5}"#,
            br#"{"Version":1,"AccessKeyId":"AK","SecretAccessKey":"SK","Expiration":"soon"}"#,
            b"[1]",
            b"",
            b"\xff",
        ] {
            assert!(parse_process_output(bad).is_err(), "{}", String::from_utf8_lossy(bad));
        }
    }

    #[test]
    fn errors_never_carry_the_secret() {
        let err = parse_process_output(
            br#"{"Version":1,"AccessKeyId":"AK","SecretAccessKey":"TOPSECRET","Expiration":"TOPSECRET"}"#,
        )
        .unwrap_err();
        assert!(!err.0.contains("TOPSECRET"));
        let err = parse_process_output(br#"{"Version":1,"AccessKeyId":"AK","SecretAccessKey":"TOPSECRET" oops}"#)
            .unwrap_err();
        assert!(!err.0.contains("TOPSECRET"));
    }

    #[test]
    fn a_hanging_command_is_killed_at_the_limit() {
        let started = Instant::now();
        let err = run_command("sleep 30", Duration::from_millis(300), true).unwrap_err();
        assert!(err.contains("did not finish"), "{err}");
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    #[test]
    fn failures_and_floods_are_reported() {
        assert_eq!(run_command("exit 3", DEFAULT_TIMEOUT, true).unwrap_err(), "exited with status 3");
        assert!(run_command("kill -9 $$", DEFAULT_TIMEOUT, true).unwrap_err().contains("signal 9"));
        assert!(run_command("yes", DEFAULT_TIMEOUT, true).unwrap_err().contains("more than"));
        assert_eq!(run_command("printf ok | cat", DEFAULT_TIMEOUT, true).unwrap(), b"ok");
    }
}
