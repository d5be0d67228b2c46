//! Credentials from the platform: EC2 instance metadata and the container endpoint, on loopback
//! mocks, and the seed scenario — a role assumed on top of the instance's role.

mod support;

use support::mock::{Routes, metadata_credentials};
use support::{awsenv, home_with, run, stderr, stdout};

fn imds() -> Routes {
    Routes::start(vec![
        ("PUT", "/latest/api/token", 200, "imds-session-token".into()),
        ("GET", "/latest/meta-data/iam/security-credentials/", 200, "instance-role\n".into()),
        ("GET", "/latest/meta-data/iam/security-credentials/instance-role", 200, metadata_credentials("ASIAINSTANCE")),
    ])
}

#[test]
fn instance_metadata_is_read_with_an_imdsv2_token() {
    let server = imds();
    let home = home_with("[profile box]\ncredential_source = Ec2InstanceMetadata\n", "");
    let out = run(awsenv(home.path()).args(["use", "box"]).env("AWS_EC2_METADATA_SERVICE_ENDPOINT", &server.endpoint));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("export AWS_ACCESS_KEY_ID='ASIAINSTANCE'"));
    assert!(stdout(&out).contains("export AWS_SESSION_TOKEN='instance-token'"));
    let requests = server.requests.lock().unwrap().clone();
    assert!(
        requests[0].starts_with("PUT /latest/api/token")
            && requests[0].contains("x-aws-ec2-metadata-token-ttl-seconds=21600"),
        "{requests:?}"
    );
    assert!(requests[1..].iter().all(|r| r.contains("x-aws-ec2-metadata-token=imds-session-token")), "{requests:?}");

    let disabled = run(awsenv(home.path()).args(["use", "box", "--no-cache"]).env("AWS_EC2_METADATA_DISABLED", "true"));
    assert_eq!(disabled.status.code(), Some(1));
    assert!(stderr(&disabled).contains("AWS_EC2_METADATA_DISABLED"), "{}", stderr(&disabled));
}

#[test]
fn off_ec2_the_metadata_service_fails_fast() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let home = home_with("[profile box]\ncredential_source = Ec2InstanceMetadata\n", "");
    let started = std::time::Instant::now();
    let out = run(awsenv(home.path())
        .args(["use", "box"])
        .env("AWS_EC2_METADATA_SERVICE_ENDPOINT", format!("http://{closed}")));
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert!(stderr(&out).contains("is this an EC2 instance?"), "{}", stderr(&out));
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
}

#[test]
fn container_credentials_with_an_authorization_token_file() {
    let server = Routes::start(vec![("GET", "/v2/credentials/abc", 200, metadata_credentials("ASIACONTAINER"))]);
    let home = home_with("[profile task]\ncredential_source = EcsContainer\n", "");
    let token = home.path().join("token");
    std::fs::write(&token, "Bearer pod-token\n").unwrap();
    let out = run(awsenv(home.path())
        .args(["use", "task"])
        .env("AWS_CONTAINER_CREDENTIALS_FULL_URI", format!("{}/v2/credentials/abc", server.endpoint))
        .env("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", &token));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("export AWS_ACCESS_KEY_ID='ASIACONTAINER'"));
    assert!(server.requests.lock().unwrap()[0].contains("authorization=bearer pod-token"));

    let refused = run(awsenv(home.path())
        .args(["use", "task", "--no-cache"])
        .env("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://example.com/creds"));
    assert_eq!(refused.status.code(), Some(1));
    assert!(stderr(&refused).contains("must be https"), "{}", stderr(&refused));
}

/// The seed scenario: A gets the instance's credentials, B assumes roleB with them, and B's
/// `[services]` section gives EC2 its own endpoint.
#[test]
fn a_role_on_top_of_the_instance_role_with_its_service_endpoints() {
    let Some(moto) = support::moto::endpoint() else { return };
    let server = imds();
    let home = home_with(
        "[profile A]\ncredential_source = Ec2InstanceMetadata\nendpoint_url = http://127.0.0.1:1/never-used-by-B\n\n\
         [profile B]\nsource_profile = A\nrole_arn = arn:aws:iam::123456789012:role/roleB\nservices = profileB\n\n\
         [services profileB]\nec2 =\n  endpoint_url = http://127.0.0.1:4567\n",
        "",
    );
    let out = run(awsenv(home.path())
        .args(["use", "B"])
        .env("AWS_EC2_METADATA_SERVICE_ENDPOINT", &server.endpoint)
        .env("AWS_ENDPOINT_URL_STS", moto));
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    // B's services reach every SDK through the [default] of awsenv's copy of the config.
    let copy = text.lines().find_map(|l| l.strip_prefix("export AWS_CONFIG_FILE='")?.strip_suffix('\'')).unwrap();
    let copy = std::fs::read_to_string(copy).unwrap();
    assert!(copy.ends_with("\n[default]\nservices = profileB\n\n"), "{copy}");
    assert!(copy.contains("[services profileB]\nec2 =\n  endpoint_url = http://127.0.0.1:4567\n"), "{copy}");
    assert!(!text.contains("ASIAINSTANCE"), "B exports roleB's credentials, not the instance's");
    let whoami = run(awsenv(home.path())
        .args(["whoami", "B"])
        .env("AWS_EC2_METADATA_SERVICE_ENDPOINT", &server.endpoint)
        .env("AWS_ENDPOINT_URL_STS", moto));
    assert!(stdout(&whoami).contains(":assumed-role/roleB/"), "{}{}", stdout(&whoami), stderr(&whoami));
}
