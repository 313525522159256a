//! The session cookie: a random token given to the browser, stored only as its SHA-256 hash.

use http::header::{HeaderMap, COOKIE};
use rand_core::{OsRng, RngCore};
use sha2::{Digest, Sha256};

pub const NAME: &str = "reglo_session";
/// On https: a cookie only this exact origin can set (no sub-domain can plant one).
pub const HOST_NAME: &str = "__Host-reglo_session";
/// The absolute lifetime of a session.
pub const TTL_SECONDS: i64 = 30 * 24 * 3600;
/// A session unused for this long is over, whatever its absolute lifetime.
pub const IDLE_SECONDS: i64 = 7 * 24 * 3600;

/// The cookie's name: `__Host-` prefixed on https (where the prefix is allowed).
pub fn name(secure: bool) -> &'static str {
    if secure {
        HOST_NAME
    } else {
        NAME
    }
}

/// 256 bits from the operating system's CSPRNG, hex-encoded.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    to_hex(&bytes)
}

pub fn hash_token(token: &str) -> String {
    to_hex(&Sha256::digest(token.as_bytes()))
}

pub fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `Set-Cookie` value that opens a session.
pub fn set_cookie(token: &str, secure: bool) -> String {
    format!(
        "{}={token}; Path=/; Max-Age={TTL_SECONDS}; HttpOnly; SameSite=Lax{}",
        name(secure),
        if secure { "; Secure" } else { "" }
    )
}

/// `Set-Cookie` value that removes the session cookie.
pub fn clear_cookie(secure: bool) -> String {
    format!(
        "{}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax{}",
        name(secure),
        if secure { "; Secure" } else { "" }
    )
}

/// The session token sent by the browser under the cookie's name for this scheme, if any.
pub fn token_from_headers(headers: &HeaderMap, secure: bool) -> Option<String> {
    let wanted = name(secure);
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, value)| {
            *name == wanted && value.len() == 64 && value.bytes().all(|b| b.is_ascii_hexdigit())
        })
        .map(|(_, value)| value.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_parsed_back() {
        let a = new_token();
        assert_ne!(a, new_token());
        assert_eq!(a.len(), 64);
        let mut headers = HeaderMap::new();
        headers.insert(COOKIE, format!("theme=dark; {NAME}={a}").parse().unwrap());
        assert_eq!(token_from_headers(&headers, false), Some(a.clone()));
        assert_eq!(token_from_headers(&headers, true), None, "on https only the __Host- cookie counts");
        assert!(set_cookie(&a, true).starts_with("__Host-reglo_session="));
        assert_ne!(hash_token(&a), a);
        assert!(set_cookie(&a, true).contains("HttpOnly; SameSite=Lax; Secure"));
        assert!(!set_cookie(&a, false).contains("Secure"));
    }
}
