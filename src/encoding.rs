//! The byte encodings awsenv writes: lowercase hex (cache and token file names), and the little
//! of base64 it needs: the URL-safe alphabet without padding for PKCE and DPoP, and a decoder that
//! takes either alphabet (for recorded traffic and tests); and the fast hash of names that the
//! parsed files, the cache's group prefixes and completion share; and the percent-encoding of
//! the `key=value` fields awsenv keeps in the shell's environment (`AWSENV_PREVIOUS`,
//! `AWSENV_ROLES`).

/// FNV-1a: section names are short and come from the user's own files, so a fast hash is
/// worth more here than SipHash's resistance to crafted collisions.
#[derive(Default)]
pub struct NameHasher(u64);

impl std::hash::Hasher for NameHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut hash = if self.0 == 0 { 0xcbf2_9ce4_8422_2325 } else { self.0 };
        for &b in bytes {
            hash = (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = hash;
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// `value` with what would end a field (space, `,`, `=`), `%` and control characters as `%XX`.
pub fn percent_encode_field(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        if matches!(c, ' ' | '%' | '=' | ',') || c.is_control() {
            let mut buffer = [0u8; 4];
            for byte in c.encode_utf8(&mut buffer).bytes() {
                out.push_str(&format!("%{byte:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// What `percent_encode_field` wrote; `None` for a broken escape or bytes that are not UTF-8.
pub fn percent_decode_field(value: &str) -> Option<String> {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = value.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Lowercase hex, as the AWS CLI names its cache files.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 15)] as char);
    }
    out
}

const URL_SAFE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// RFC 4648 §5, without `=` padding (as JWTs and PKCE want it).
pub fn base64_url(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &b)| n | (u32::from(b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(URL_SAFE[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

/// Either alphabet, padded or not; whitespace is skipped. `None` for any other character.
pub fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' | b'-' => Some(62),
        b'/' | b'_' => Some(63),
        _ => None,
    };
    let digits: Vec<u8> =
        text.bytes().filter(|c| *c != b'=' && !c.is_ascii_whitespace()).map(value).collect::<Option<_>>()?;
    Some(
        digits
            .chunks(4)
            .flat_map(|c| {
                let n = c.iter().enumerate().fold(0u32, |n, (i, &v)| n | (u32::from(v) << (18 - 6 * i)));
                (0..c.len().saturating_sub(1)).map(move |i| (n >> (16 - 8 * i)) as u8)
            })
            .collect(),
    )
}

/// `n` bytes from the kernel's random source, for tokens, salts and nonces: `getrandom(2)` on
/// Linux, `getentropy(3)` elsewhere (macOS, the BSDs; at most 256 bytes a call).
pub fn random_bytes(n: usize) -> Result<Vec<u8>, crate::error::Error> {
    let mut buffer = vec![0u8; n];
    let mut filled = 0;
    while filled < n {
        match fill_some(&mut buffer[filled..]) {
            Ok(got) => filled += got,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(crate::error::Error::fetch(format!("no randomness: {e}"))),
        }
    }
    Ok(buffer)
}

#[cfg(target_os = "linux")]
fn fill_some(buffer: &mut [u8]) -> std::io::Result<usize> {
    // SAFETY: a valid buffer of the given length.
    let got = unsafe { libc::getrandom(buffer.as_mut_ptr().cast(), buffer.len(), 0) };
    if got <= 0 { Err(std::io::Error::last_os_error()) } else { Ok(got as usize) }
}

#[cfg(not(target_os = "linux"))]
fn fill_some(buffer: &mut [u8]) -> std::io::Result<usize> {
    let n = buffer.len().min(256);
    // SAFETY: a valid buffer of at least `n` bytes; getentropy fills all of it or fails.
    if unsafe { libc::getentropy(buffer.as_mut_ptr().cast(), n) } == 0 {
        Ok(n)
    } else {
        Err(std::io::Error::last_os_error())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_is_lowercase_and_whole() {
        assert_eq!(hex(&[0x00, 0x0f, 0xa5, 0xff]), "000fa5ff");
    }

    #[test]
    fn round_trips_and_known_values() {
        assert_eq!(base64_url(b"\xfb\xff"), "-_8");
        assert_eq!(base64_url(b"abc"), "YWJj");
        assert_eq!(base64_decode("-_8").unwrap(), b"\xfb\xff");
        assert_eq!(base64_decode("+/8=").unwrap(), b"\xfb\xff");
        assert_eq!(base64_decode("aGVs\nbG8=").unwrap(), b"hello");
        assert!(base64_decode("a*b").is_none());
        for n in 0..64u8 {
            let bytes: Vec<u8> = (0..n).map(|i| i.wrapping_mul(37)).collect();
            assert_eq!(base64_decode(&base64_url(&bytes)).unwrap(), bytes);
        }
    }
}
