//! AWS Sign-In's token endpoint, which renews `aws login` console credentials. The request is
//! unsigned but carries a DPoP proof (RFC 9449): an ES256 JWT over the method and URL, signed
//! with the P-256 key the login left in its cache file.

use p256::ecdsa::signature::Signer;
use p256::ecdsa::{Signature, SigningKey};
use p256::pkcs8::DecodePrivateKey;
use serde_json::{Value, json};

use super::http::{Failure, Http, Request};
use crate::error::Error;

/// The key from its PEM: SEC1 (`BEGIN EC PRIVATE KEY`, as smithy-rs writes it) or PKCS#8
/// (`BEGIN PRIVATE KEY`, as botocore's tests do).
pub fn signing_key(pem: &str) -> Result<SigningKey, Error> {
    let pem = pem.trim();
    let secret = if pem.contains("BEGIN EC PRIVATE KEY") {
        p256::SecretKey::from_sec1_pem(pem).ok()
    } else {
        p256::SecretKey::from_pkcs8_pem(pem).ok()
    };
    secret
        .map(SigningKey::from)
        .ok_or_else(|| Error::fetch("the login cache's dpopKey is not a P-256 private key in PEM"))
}

/// The DPoP proof for a POST to `url`, at `iat` (seconds) with a unique `jti`.
pub fn dpop_proof(key: &SigningKey, url: &str, iat: i64, jti: &str) -> String {
    let point = key.verifying_key().to_encoded_point(false);
    let (x, y) = (point.x().expect("an uncompressed point has x"), point.y().expect("and y"));
    let header = json!({"typ": "dpop+jwt", "alg": "ES256", "jwk": {"kty": "EC", "x": crate::encoding::base64_url(x), "y": crate::encoding::base64_url(y), "crv": "P-256"}});
    let payload = json!({"htm": "POST", "htu": url, "iat": iat, "jti": jti});
    let signing_input = format!(
        "{}.{}",
        crate::encoding::base64_url(header.to_string().as_bytes()),
        crate::encoding::base64_url(payload.to_string().as_bytes())
    );
    let signature: Signature = key.sign(signing_input.as_bytes());
    format!("{signing_input}.{}", crate::encoding::base64_url(&signature.to_bytes()))
}

fn uuid4() -> String {
    let mut bytes = [0u8; 16];
    let _ = std::fs::File::open("/dev/urandom").and_then(|mut f| std::io::Read::read_exact(&mut f, &mut bytes));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex = crate::encoding::hex(&bytes);
    format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
}

/// CreateOAuth2Token with the refresh grant: the service's answer (`accessToken` with the keys,
/// `expiresIn`, `refreshToken`).
pub fn refresh(
    http: &Http,
    endpoint: &str,
    client_id: &str,
    refresh_token: &str,
    dpop_key: &str,
) -> Result<Value, Error> {
    let key = signing_key(dpop_key)?;
    let url = format!("{}/v1/token", endpoint.trim_end_matches('/'));
    let iat = time::OffsetDateTime::now_utc().unix_timestamp();
    let body = json!({"clientId": client_id, "grantType": "refresh_token", "refreshToken": refresh_token});
    let request = Request {
        method: reqwest::Method::POST,
        url: url.clone(),
        headers: vec![
            ("content-type".to_owned(), "application/json".to_owned()),
            ("dpop".to_owned(), dpop_proof(&key, &url, iat, &uuid4())),
        ],
        body: body.to_string().into_bytes(),
    };
    let response = http.send(&request).map_err(|f| match f {
        Failure::Transport(cause) => {
            let hint =
                super::http::transport_hint(&cause, "check the network; AWS_ENDPOINT_URL_SIGNIN overrides the address");
            Error::fetch(format!("AWS Sign-In at {url}: {cause}")).hint(hint)
        }
        Failure::Status(r) => {
            let code = serde_json::from_slice::<Value>(&r.body)
                .ok()
                .and_then(|v| v.get("error").and_then(Value::as_str).map(str::to_owned));
            let shown = code.clone().unwrap_or_else(|| format!("HTTP {}", r.status));
            let error = Error::fetch(format!("AWS Sign-In refused to renew the login: {} {shown}", r.status));
            match code.as_deref() {
                Some("INSUFFICIENT_PERMISSIONS") => {
                    error.hint("the console user lacks permission to use `aws login` credentials")
                }
                _ => error.hint("the login has ended; run `aws login` again"),
            }
        }
    })?;
    let value: Value = serde_json::from_slice(&response.body)
        .map_err(|_| Error::fetch(format!("AWS Sign-In at {url} answered with something that is not a token")))?;
    let keys = value.get("accessToken");
    let field = |name: &str| keys.and_then(|k| k.get(name)).and_then(Value::as_str).is_some();
    if !(field("accessKeyId") && field("secretAccessKey") && field("sessionToken"))
        || value.get("expiresIn").and_then(Value::as_i64).is_none()
    {
        return Err(Error::fetch(format!("AWS Sign-In at {url} answered without credentials")));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use p256::ecdsa::VerifyingKey;
    use p256::ecdsa::signature::Verifier;

    const SEC1: &str = "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBx6l4H0d5R0WqWm0QvJ8mJ3dC3i2nV3y3G1b1m8m2kqoAoGCCqGSM49\nAwEHoUQDQgAE\n-----END EC PRIVATE KEY-----\n";

    #[test]
    fn a_proof_verifies_with_the_key_in_its_own_header() {
        let key = SigningKey::from(p256::SecretKey::from_slice(&[7u8; 32]).unwrap());
        let proof = dpop_proof(&key, "https://us-east-1.signin.aws.amazon.com/v1/token", 1_763_510_400, "id-1");
        let parts: Vec<&str> = proof.split('.').collect();
        assert_eq!(parts.len(), 3);
        let signature = Signature::from_slice(&decode(parts[2])).unwrap();
        let verifying = VerifyingKey::from(&key);
        verifying.verify(format!("{}.{}", parts[0], parts[1]).as_bytes(), &signature).unwrap();
        let header: Value = serde_json::from_slice(&decode(parts[0])).unwrap();
        assert_eq!(header["typ"], "dpop+jwt");
        assert_eq!(header["jwk"]["crv"], "P-256");
        let payload: Value = serde_json::from_slice(&decode(parts[1])).unwrap();
        assert_eq!(payload["htu"], "https://us-east-1.signin.aws.amazon.com/v1/token");
        assert_eq!(payload["iat"], 1_763_510_400);
        assert!(signing_key(SEC1).is_err(), "a truncated key is refused, not guessed at");
    }

    fn decode(text: &str) -> Vec<u8> {
        crate::encoding::base64_decode(text).unwrap()
    }
}
