//! The shell integration at real interactive prompts: each shell runs in a tmux pane, is typed at
//! like a person would, and its screen is read back. For bash, zsh, fish, elvish and nushell:
//! the hook renews soon-expiring credentials at a later prompt, starts no awsenv while they are
//! fresh (counted through a logging shim), warns once when a renewal needs an MFA code, and Tab
//! completes profile names; a bare `awsenv use` opens the picker on the terminal.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use support::mock::{Mock, Reply};
use support::shells::find;

const BIN: &str = env!("CARGO_BIN_EXE_awsenv");

fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// A tmux server of its own (its socket in a temporary directory) with one pane.
struct Pane {
    socket: PathBuf,
}

impl Pane {
    fn start(dir: &Path, command: &str, env: &[(&str, String)]) -> Pane {
        let socket = dir.join("tmux.sock");
        let mut line = String::from("exec env -i TERM=xterm-256color LANG=C.UTF-8");
        line.push_str(&format!(" PATH={}", quote(&std::env::var("PATH").unwrap())));
        for (k, v) in env {
            line.push_str(&format!(" {k}={}", quote(v)));
        }
        line.push(' ');
        line.push_str(command);
        let status = Command::new(find("tmux").unwrap())
            .arg("-S")
            .arg(&socket)
            .args(["-f", "/dev/null", "new-session", "-d", "-x", "160", "-y", "50", &line])
            .status()
            .unwrap();
        assert!(status.success());
        Pane { socket }
    }

    fn tmux(&self, args: &[&str]) -> String {
        let out = Command::new("tmux").arg("-S").arg(&self.socket).args(args).output().unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Type a command line, once the shell shows an empty prompt: never into a line editor that
    /// still holds the last keys, a completion menu or a picker (on a loaded machine the screen
    /// lags the keys, so each step waits for the state it needs, never for time).
    fn type_line(&self, text: &str) {
        self.wait_for("an empty prompt line", at_an_empty_prompt);
        self.tmux(&["send-keys", "-l", text]);
        self.tmux(&["send-keys", "Enter"]);
    }

    /// Enter at an empty prompt, `n` times, each once the prompt is back.
    fn empty_lines(&self, n: usize) {
        for _ in 0..n {
            let before = self.screen().matches("ready>").count();
            self.wait_for("an empty prompt line", at_an_empty_prompt);
            self.key("Enter");
            self.wait_for("the next prompt", |s| s.matches("ready>").count() > before && at_an_empty_prompt(s));
        }
    }

    fn type_keys(&self, text: &str) {
        self.tmux(&["send-keys", "-l", text]);
    }

    fn key(&self, key: &str) {
        self.tmux(&["send-keys", key]);
    }

    fn screen(&self) -> String {
        self.tmux(&["capture-pane", "-p", "-S", "-200"])
    }

    fn wait_for(&self, what: &str, test: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if test(&screen) {
                return screen;
            }
            if start.elapsed() > Duration::from_secs(20) {
                panic!("waited 20 s for {what}; the screen:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn wait_for_text(&self, text: &str) -> String {
        self.wait_for(text, |s| s.contains(text))
    }
}

impl Drop for Pane {
    fn drop(&mut self) {
        self.tmux(&["kill-server"]);
    }
}

/// Whether the screen's last line is the prompt with nothing typed after it (and no menu below).
fn at_an_empty_prompt(screen: &str) -> bool {
    screen.lines().rev().find(|l| !l.trim().is_empty()).is_some_and(|last| last.trim_end() == "ready>")
}

/// How each shell is started with the integration loaded, and how it prints a variable.
struct ShellCase {
    shell: &'static str,
    init: &'static str,
}

impl ShellCase {
    /// The command that starts the shell interactively with `init_file` loaded and `ready> ` as
    /// its prompt; writes whatever start-up files that takes into `home`.
    fn command(&self, home: &Path, init_file: &Path) -> String {
        let program = find(self.shell).unwrap().display().to_string();
        let init = init_file.display().to_string();
        let write = |name: &str, text: String| {
            let path = home.join(name);
            std::fs::write(&path, text).unwrap();
            path.display().to_string()
        };
        match self.shell {
            "bash" => {
                let rc = write("bashrc", format!("PS1='ready> '\nsource {}\n", quote(&init)));
                format!("{program} --noprofile --rcfile {} -i", quote(&rc))
            }
            "zsh" => {
                write(
                    ".zshrc",
                    format!("PS1='ready> '\nautoload -Uz compinit\ncompinit -u -D\nsource {}\n", quote(&init)),
                );
                format!("env ZDOTDIR={} {program} -i", quote(&home.display().to_string()))
            }
            "fish" => {
                let rc = write(
                    "init.fish.rc",
                    format!(
                        "set -g fish_greeting\nfunction fish_prompt; echo -n 'ready> '; end\n\
                         function fish_right_prompt; end\nsource {}\n",
                        quote(&init)
                    ),
                );
                format!("{program} --no-config -i -C {}", quote(&format!("source {}", quote(&rc))))
            }
            "elvish" => {
                let rc = write(
                    "rc.elv",
                    format!(
                        "set edit:prompt = {{ put 'ready> ' }}\nset edit:rprompt = {{ put '' }}\neval (slurp < {})\n",
                        quote(&init)
                    ),
                );
                format!("{program} -rc {}", quote(&rc))
            }
            "nu" => {
                let env = write("env.nu", String::new());
                let rc = write(
                    "config.nu",
                    format!(
                        "$env.config.show_banner = false\n$env.PROMPT_COMMAND = {{|| 'ready' }}\n\
                         $env.PROMPT_INDICATOR = {{|| '> ' }}\n$env.PROMPT_COMMAND_RIGHT = {{|| '' }}\n\
                         source {}\n",
                        quote(&init)
                    ),
                );
                format!("{program} --config {} --env-config {}", quote(&rc), quote(&env))
            }
            other => unreachable!("{other}"),
        }
    }

    /// A command line that prints `K=` and the access key id.
    fn print_key(&self) -> &'static str {
        match self.shell {
            "elvish" => "echo K=$E:AWS_ACCESS_KEY_ID",
            "nu" => "print $'K=($env.AWS_ACCESS_KEY_ID)'",
            _ => "echo \"K=$AWS_ACCESS_KEY_ID\"",
        }
    }
}

fn init(shell: &str, shim: &Path) -> String {
    let out = Command::new(BIN).args(["init", shell]).output().unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap().replace(BIN, &shim.display().to_string())
}

struct Session {
    pane: Pane,
    mock: Mock,
    log: PathBuf,
    _home: tempfile::TempDir,
}

impl Session {
    fn calls(&self) -> Vec<String> {
        std::fs::read_to_string(&self.log).unwrap_or_default().lines().map(str::to_owned).collect()
    }
}

/// `case`'s shell at its first prompt, with profiles base (keys), role and mfa (roles on the mock
/// STS, which answers `script` first) and a logging shim in front of awsenv.
fn start(case: &ShellCase, script: Vec<Reply>) -> Option<Session> {
    if find(case.shell).is_none() || find("tmux").is_none() {
        return None;
    }
    let mock = Mock::start(script);
    let home = support::home_with(
        &format!(
            "{}[profile mfa]\nrole_arn = arn:aws:iam::123456789012:role/m\nsource_profile = base\n\
             mfa_serial = arn:aws:iam::123456789012:mfa/me\nservices = mock\n",
            support::mock::role_config(&mock.endpoint)
        ),
        "",
    );
    let (shim, log) = support::logging_shim(home.path());
    let init_file = home.path().join(format!("awsenv.{}", case.init));
    std::fs::write(&init_file, init(case.shell, &shim)).unwrap();
    let env = [
        ("HOME", home.path().display().to_string()),
        ("AWSENV_CACHE_DIR", home.path().join("cache").display().to_string()),
        ("AWSENV_FETCH", format!("{}/awsenv-fetch", Path::new(BIN).parent().unwrap().display())),
        ("XDG_CONFIG_HOME", home.path().join(".config").display().to_string()),
        ("XDG_DATA_HOME", home.path().join(".local/share").display().to_string()),
    ];
    let pane = Pane::start(home.path(), &case.command(home.path(), &init_file), &env);
    pane.wait_for_text("ready>");
    Some(Session { pane, mock, log, _home: home })
}

fn drive(case: ShellCase) {
    // The first credentials of each profile expire in 5 minutes: inside the 10-minute window. The
    // MFA profile's session (GetSessionToken, the third call) does too, so its renewal needs a
    // new code.
    let script = vec![Reply::ExpiringIn(300), Reply::Credentials, Reply::ExpiringIn(300), Reply::ExpiringIn(300)];
    let Some(session) = start(&case, script) else { return };
    let Session { pane, mock, log, .. } = &session;
    let shell = case.shell;
    let calls = || session.calls();

    // `use` takes credentials that expire in 5 minutes; the prompt after it renews them.
    pane.type_line("awsenv use role");
    pane.wait_for("the hook's renewal", |_| calls().iter().any(|c| c.contains("--hook")));
    pane.type_line(case.print_key());
    pane.wait_for_text("K=ASIAMOCK000000000002");
    assert_eq!(mock.calls(), 2, "{shell}: one call for `use`, one for the renewal");

    // Fresh now: prompts start no awsenv at all.
    std::fs::write(log, "").unwrap();
    pane.empty_lines(3);
    pane.type_line(&case.print_key().replace("K=", "F="));
    pane.wait_for_text("F=ASIAMOCK000000000002");
    assert!(calls().is_empty(), "{shell}: prompts started awsenv while fresh: {:?}", calls());

    // Tab completes profile names from the files.
    pane.type_keys("awsenv explain ro");
    pane.key("Tab");
    pane.wait_for("completion", |s| s.contains("awsenv explain role"));
    pane.key("C-u");
    if shell == "nu" || shell == "elvish" {
        // Their completion menus stay open over the line; Escape closes them.
        pane.key("Escape");
    }
    pane.key("C-u");
    // The line and any menu gone before the next command is typed (a loaded machine once typed
    // it while the line editor still held the completed word).
    pane.wait_for("the line cleared", at_an_empty_prompt);

    // A profile whose renewal needs an MFA code: the hook warns once and keeps what the shell has.
    pane.type_line("awsenv use mfa --mfa-code 123456");
    pane.wait_for("the hook's attempt", |_| {
        calls().iter().any(|c| c.starts_with("use ") && c.contains("--hook") && c.ends_with("-- mfa"))
    });
    pane.empty_lines(3);
    pane.type_line(&case.print_key().replace("K=", "M="));
    let screen = pane.wait_for_text("M=ASIAMOCK000000000004");
    assert_eq!(screen.matches("needs a code from MFA device").count(), 1, "{shell}: the warning shows once:\n{screen}");
    assert_eq!(
        calls().iter().filter(|c| c.contains("--hook")).count(),
        1,
        "{shell}: the MFA renewal is tried once: {:?}",
        calls()
    );
}

#[test]
fn bash_at_a_real_prompt() {
    drive(ShellCase { shell: "bash", init: "bash" });
}

#[test]
fn zsh_at_a_real_prompt() {
    drive(ShellCase { shell: "zsh", init: "zsh" });
}

#[test]
fn fish_at_a_real_prompt() {
    drive(ShellCase { shell: "fish", init: "fish" });
}

#[test]
fn elvish_at_a_real_prompt() {
    drive(ShellCase { shell: "elvish", init: "elv" });
}

#[test]
fn nushell_at_a_real_prompt() {
    drive(ShellCase { shell: "nu", init: "nu" });
}

#[test]
fn a_role_on_the_fly_is_renewed_by_the_hook_at_a_real_prompt() {
    // The profile's own role lasts an hour; the role on the fly on top of it expires in 5
    // minutes, inside the hook's window.
    let case = ShellCase { shell: "bash", init: "bash" };
    let Some(session) = start(&case, vec![Reply::Credentials, Reply::ExpiringIn(300)]) else { return };
    let Session { pane, mock, .. } = &session;
    pane.type_line("awsenv use role --role-arn arn:aws:iam::210987654321:role/Admin --session-name on-the-fly");
    pane.wait_for("the hook's renewal", |_| {
        session.calls().iter().any(|c| c.contains("--hook") && c.ends_with("-- role"))
    });
    pane.type_line("echo \"K=$AWS_ACCESS_KEY_ID P=$AWSENV_PROMPT\"");
    let screen = pane.wait_for_text("K=ASIAMOCK000000000003");
    assert!(screen.contains("P=role → Admin "), "the prompt shows the role on the fly:\n{screen}");
    let assumed: Vec<(String, String)> =
        mock.signers().into_iter().filter(|(body, _)| body.contains("Action=AssumeRole")).collect();
    assert_eq!(assumed.len(), 3, "the profile's role, the role on the fly, and its renewal: {assumed:?}");
    let (body, signer) = &assumed[2];
    assert!(body.contains("role%2FAdmin") && body.contains("RoleSessionName=on-the-fly"), "{body}");
    assert_eq!(signer, "ASIAMOCK000000000001", "renewed with the profile's role, from the cache");
}

#[test]
fn a_role_on_the_fly_with_no_profile_picks_the_profile_to_put_it_on() {
    let case = ShellCase { shell: "bash", init: "bash" };
    let Some(session) = start(&case, vec![]) else { return };
    let pane = &session.pane;
    // No profile in this shell yet: the short form asks which one to assume the role from.
    pane.type_line("awsenv use arn:aws:iam::210987654321:role/Admin");
    pane.wait_for_text("AWS profile");
    pane.type_keys("rol");
    pane.wait_for("the list narrowed to role", |s| !s.contains("> base") && s.contains("role"));
    pane.key("Enter");
    pane.type_line("echo \"K=$AWS_ACCESS_KEY_ID S=$AWSENV_SHOWN\"");
    // The profile's role first, then Admin on top of it.
    pane.wait_for_text("K=ASIAMOCK000000000002 S=role → Admin");
}

#[test]
fn a_bare_use_opens_the_picker_on_the_terminal() {
    let case = ShellCase { shell: "bash", init: "bash" };
    let Some(session) = start(&case, vec![]) else { return };
    let pane = &session.pane;
    pane.type_line("awsenv use");
    pane.wait_for_text("AWS profile");
    pane.type_keys("rol");
    pane.wait_for("the list narrowed to role", |s| !s.contains("> base") && s.contains("role"));
    pane.key("Enter");
    pane.type_line(case.print_key());
    pane.wait_for_text("K=ASIAMOCK000000000001");
    assert_eq!(session.calls().first().map(String::as_str), Some("use --shell bash"));

    // Escape picks nothing and changes nothing.
    pane.type_line("awsenv use");
    pane.wait_for("a second picker", |s| s.matches("AWS profile").count() >= 2);
    pane.key("Escape");
    pane.wait_for_text("no profile picked");
    pane.type_line(&case.print_key().replace("K=", "E="));
    pane.wait_for_text("E=ASIAMOCK000000000001");

    // Ctrl-C ends the picker like Escape: the list is gone from the screen, the shell goes on.
    pane.type_line("awsenv use");
    pane.wait_for("a third picker", |s| {
        s.rsplit("ready> awsenv use").next().is_some_and(|t| t.contains("AWS profile"))
    });
    pane.key("C-c");
    let screen = pane.wait_for("the picker to end", |s| s.matches("no profile picked").count() >= 2);
    let after = &screen[screen.rfind("ready> awsenv use").unwrap()..];
    assert!(!after.contains("base") && !after.contains("AWS profile"), "the list was left on the screen:\n{screen}");
    pane.type_line(&case.print_key().replace("K=", "C="));
    pane.wait_for_text("C=ASIAMOCK000000000001");
}

#[test]
fn a_long_list_goes_through_the_pager_only_on_a_terminal() {
    let Some(bash) = find("bash") else { return };
    if find("tmux").is_none() {
        return;
    }
    let config: String = (0..80).map(|i| format!("[profile p{i:02}]\nregion = eu-west-1\n")).collect();
    let home = support::home_with(&config, "");
    let paged = home.path().join("paged");
    let rc = home.path().join("bashrc");
    std::fs::write(&rc, "PS1='ready> '\n").unwrap();
    let env = [
        ("HOME", home.path().display().to_string()),
        ("AWSENV_CACHE_DIR", home.path().join("cache").display().to_string()),
        ("PAGER", format!("cat > {}", quote(&paged.display().to_string()))),
    ];
    let pane = Pane::start(
        home.path(),
        &format!("{} --noprofile --rcfile {} -i", bash.display(), quote(&rc.display().to_string())),
        &env,
    );
    pane.wait_for_text("ready>");
    // 81 lines on a 50-row terminal: through $PAGER.
    // (The quotes keep the typed line itself from matching.)
    pane.type_line(&format!("{BIN} list; echo li''sted"));
    pane.wait_for_text("listed");
    let text = std::fs::read_to_string(&paged).unwrap_or_default();
    assert!(text.starts_with("PROFILE") && text.contains("p79"), "the table went to the pager: {text:?}");
    // Piped, or as JSON: never.
    std::fs::remove_file(&paged).unwrap();
    pane.type_line(&format!("{BIN} list | wc -l; {BIN} list --json | wc -c; echo pi''ped"));
    let screen = pane.wait_for_text("piped");
    assert!(!paged.exists(), "no pager when stdout is not a terminal");
    assert!(screen.contains("\n81\n"), "{screen}");
}
