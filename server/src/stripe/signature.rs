//! Stripe's webhook signatures: `Stripe-Signature: t=…,v1=…[,v1=…]`, where each `v1` is
//! HMAC-SHA256(secret, "{t}.{body}") in hex. Several `v1` come during a secret rotation.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// How old (or how far in the future) a signature's timestamp may be, in seconds.
pub const TOLERANCE: i64 = 300;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("no Stripe-Signature header")]
    Missing,
    #[error("malformed Stripe-Signature header")]
    Malformed,
    #[error("timestamp outside the {TOLERANCE} s tolerance")]
    OutOfTolerance,
    #[error("no v1 signature matches")]
    NoMatch,
}

fn mac(secret: &str, timestamp: i64, body: &[u8]) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes keys of any length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

/// The header value Stripe would send for `body` at `timestamp`.
pub fn sign(secret: &str, timestamp: i64, body: &[u8]) -> String {
    let digest = mac(secret, timestamp, body).finalize().into_bytes();
    format!("t={timestamp},v1={}", app::services::session_cookie::to_hex(&digest))
}

fn from_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok()).collect()
}

/// Checks `header` against `body` at `now`: one `v1` made with `secret` must match, compared
/// in constant time, and the timestamp must be within [`TOLERANCE`] either way.
pub fn verify(header: Option<&str>, body: &[u8], secret: &str, now: i64) -> Result<(), SignatureError> {
    let header = header.ok_or(SignatureError::Missing)?;
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", t)) => timestamp = Some(t.parse::<i64>().map_err(|_| SignatureError::Malformed)?),
            Some(("v1", v)) => signatures.push(v),
            Some(_) => {}
            None => return Err(SignatureError::Malformed),
        }
    }
    let timestamp = timestamp.ok_or(SignatureError::Malformed)?;
    if signatures.is_empty() {
        return Err(SignatureError::Malformed);
    }
    if (now - timestamp).abs() > TOLERANCE {
        return Err(SignatureError::OutOfTolerance);
    }
    let expected = mac(secret, timestamp, body);
    // verify_slice compares in constant time.
    let matches = signatures
        .iter()
        .filter_map(|s| from_hex(s))
        .any(|bytes| expected.clone().verify_slice(&bytes).is_ok());
    if matches {
        Ok(())
    } else {
        Err(SignatureError::NoMatch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "whsec_test_secret";
    const BODY: &[u8] = br#"{"id":"evt_1","type":"checkout.session.completed"}"#;
    const NOW: i64 = 1_800_000_000;

    #[test]
    fn a_valid_signature_passes() {
        let header = sign(SECRET, NOW, BODY);
        assert_eq!(verify(Some(&header), BODY, SECRET, NOW), Ok(()));
        assert_eq!(verify(Some(&header), BODY, SECRET, NOW + TOLERANCE), Ok(()));
    }

    #[test]
    fn a_tampered_body_fails() {
        let header = sign(SECRET, NOW, BODY);
        let tampered = br#"{"id":"evt_1","type":"checkout.session.completed" }"#;
        assert_eq!(verify(Some(&header), tampered, SECRET, NOW), Err(SignatureError::NoMatch));
    }

    #[test]
    fn another_secret_fails() {
        let header = sign("whsec_other", NOW, BODY);
        assert_eq!(verify(Some(&header), BODY, SECRET, NOW), Err(SignatureError::NoMatch));
    }

    #[test]
    fn stale_and_future_timestamps_fail() {
        let stale = sign(SECRET, NOW - TOLERANCE - 1, BODY);
        assert_eq!(verify(Some(&stale), BODY, SECRET, NOW), Err(SignatureError::OutOfTolerance));
        let future = sign(SECRET, NOW + TOLERANCE + 1, BODY);
        assert_eq!(verify(Some(&future), BODY, SECRET, NOW), Err(SignatureError::OutOfTolerance));
    }

    #[test]
    fn one_valid_v1_among_several_passes() {
        let good = sign(SECRET, NOW, BODY);
        let good_v1 = good.split_once("v1=").unwrap().1;
        let old = sign("whsec_old", NOW, BODY);
        let old_v1 = old.split_once("v1=").unwrap().1;
        let header = format!("t={NOW},v1={old_v1},v1={good_v1},v0=ignored");
        assert_eq!(verify(Some(&header), BODY, SECRET, NOW), Ok(()));
        let none = format!("t={NOW},v1={old_v1},v1=zz");
        assert_eq!(verify(Some(&none), BODY, SECRET, NOW), Err(SignatureError::NoMatch));
    }

    #[test]
    fn missing_or_malformed_headers_fail() {
        assert_eq!(verify(None, BODY, SECRET, NOW), Err(SignatureError::Missing));
        assert_eq!(verify(Some(""), BODY, SECRET, NOW), Err(SignatureError::Malformed));
        assert_eq!(verify(Some("t=abc,v1=00"), BODY, SECRET, NOW), Err(SignatureError::Malformed));
        assert_eq!(verify(Some(&format!("t={NOW}")), BODY, SECRET, NOW), Err(SignatureError::Malformed));
        let v0_only = sign(SECRET, NOW, BODY).replace("v1=", "v0=");
        assert_eq!(verify(Some(&v0_only), BODY, SECRET, NOW), Err(SignatureError::Malformed));
    }
}
