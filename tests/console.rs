//! `awsenv console`: GetSigninToken on a loopback federation endpoint, and a sign-in URL that
//! never appears on a command line.

mod support;

use std::os::unix::fs::PermissionsExt;

use support::mock::Routes;
use support::{awsenv, home_with, run, stderr, stdout};

#[test]
fn the_console_url_is_printed_or_handed_over_as_a_private_page() {
    let server = Routes::start(vec![("GET", "/federation", 200, r#"{"SigninToken":"SIGNIN-TOKEN-42"}"#.into())]);
    let home = home_with("", "");
    let federation = format!("{}/federation", server.endpoint);
    let with_session = |cmd: &mut std::process::Command| {
        cmd.env("AWS_ACCESS_KEY_ID", "ASIATEMP")
            .env("AWS_SECRET_ACCESS_KEY", "temp-secret")
            .env("AWS_SESSION_TOKEN", "temp-token")
            .env("AWSENV_FEDERATION_URL", &federation)
            .env("AWS_REGION", "eu-west-1");
    };

    let mut printed = awsenv(home.path());
    printed.args(["console", "--print"]);
    with_session(&mut printed);
    let out = run(&mut printed);
    assert!(out.status.success(), "{}", stderr(&out));
    let url = stdout(&out);
    assert!(
        url.starts_with(&format!(
            "{federation}?Action=login&Issuer=awsenv&Destination=https%3A%2F%2Feu-west-1.console.aws.amazon.com"
        )),
        "{url}"
    );
    assert!(url.trim_end().ends_with("&SigninToken=SIGNIN-TOKEN-42"), "{url}");
    // The region `awsenv use` exported into this shell counts as the shell's own, as for whoami.
    let mut exported = awsenv(home.path());
    exported
        .args(["console", "--print"])
        .env("AWSENV_VARS", "AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_REGION");
    with_session(&mut exported);
    assert!(
        stdout(&run(&mut exported)).contains("Destination=https%3A%2F%2Feu-west-1.console"),
        "the exported region is used"
    );
    let request = server.requests.lock().unwrap()[0].clone();
    assert!(
        request.starts_with("GET /federation?Action=getSigninToken&Session=%7B%22sessionId%22%3A%22ASIATEMP%22"),
        "{request}"
    );

    // The browser gets a file path; the token is only inside the 0600 file.
    let recorder = home.path().join("browser");
    let argv_log = home.path().join("argv");
    std::fs::write(
        &recorder,
        format!(
            "#!/bin/sh\nprintf '%s\\n' \"$@\" > '{}'\ncat \"$1\" >> '{}'\n",
            argv_log.display(),
            argv_log.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&recorder, std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut opened = awsenv(home.path());
    opened.arg("console").env("BROWSER", &recorder);
    with_session(&mut opened);
    let out = run(&mut opened);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    let log = std::fs::read_to_string(&argv_log).unwrap();
    let page = log.lines().next().unwrap();
    assert!(!page.contains("SIGNIN-TOKEN"), "the token is not in the browser's arguments: {page}");
    assert!(log.contains("SigninToken=SIGNIN-TOKEN-42"), "the page redirects with it");
    assert_eq!(std::fs::metadata(page).unwrap().permissions().mode() & 0o777, 0o600);
}

#[test]
fn long_term_keys_cannot_sign_in() {
    let home = home_with("", "");
    let out = run(awsenv(home.path())
        .args(["console", "--print"])
        .env("AWS_ACCESS_KEY_ID", "AKIDLONG")
        .env("AWS_SECRET_ACCESS_KEY", "s")
        .env("AWSENV_FEDERATION_URL", "http://127.0.0.1:9/federation"));
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert!(stderr(&out).contains("needs temporary credentials"), "{}", stderr(&out));
}

#[test]
fn a_service_console_and_a_firefox_container() {
    let server = Routes::start(vec![("GET", "/federation", 200, r#"{"SigninToken":"SIGNIN-TOKEN-7"}"#.into())]);
    let home = home_with("", "");
    let federation = format!("{}/federation", server.endpoint);
    let console = |extra: &[&str]| {
        let mut cmd = awsenv(home.path());
        cmd.args(["console", "--print"])
            .args(extra)
            .env("AWS_ACCESS_KEY_ID", "ASIATEMP")
            .env("AWS_SECRET_ACCESS_KEY", "temp-secret")
            .env("AWS_SESSION_TOKEN", "temp-token")
            .env("AWSENV_FEDERATION_URL", &federation)
            .env("AWS_REGION", "eu-west-1");
        run(&mut cmd)
    };
    let url = stdout(&console(&["-s", "s3"]));
    assert!(
        url.contains("Destination=https%3A%2F%2Feu-west-1.console.aws.amazon.com%2Fs3%2Fhome%3Fregion%3Deu-west-1&"),
        "{url}"
    );
    let url = stdout(&console(&["--service", "cloudwatch", "--container", "work account"]));
    assert!(
        url.starts_with(&format!(
            "ext+container:name=work%20account&url={}",
            awsenv::aws::sts::url_encode(&federation)
        )),
        "{url}"
    );
    assert!(url.contains(&awsenv::aws::sts::url_encode("%2Fcloudwatch%2Fhome")), "{url}");
    let out = console(&["--service", "s3/../iam"]);
    assert!(!out.status.success() && stderr(&out).contains("not a console service name"), "{}", stderr(&out));
}
