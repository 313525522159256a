//! The payment link printed on an invoice: `{public_url}/pay/{token}`.
//!
//! The token is HMAC-SHA256(server key, salt), the salt being 256 random bits drawn when the
//! invoice is issued. The database keeps the salt and the token's SHA-256 (to find the invoice
//! from a link), never the token: a stolen database alone opens no pay page, yet the server can
//! print the same link again on every PDF and e-mail.

use super::session_cookie::{hash_token, new_token, to_hex};
use crate::state::{SecretKey, Settings};
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// A fresh salt and the hash of the token it gives, for a newly issued invoice.
pub fn new_salt_and_hash(key: &SecretKey) -> (String, String) {
    let salt = new_token();
    let hash = hash_token(&token(key, &salt));
    (salt, hash)
}

pub fn token(key: &SecretKey, salt: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(&key.0).expect("HMAC takes keys of any length");
    mac.update(b"reglo pay link v1:");
    mac.update(salt.as_bytes());
    to_hex(&mac.finalize().into_bytes())
}

pub fn url(settings: &Settings, salt: &str) -> String {
    format!("{}/pay/{}", settings.public_url, token(&settings.secret_key, salt))
}

/// What stands for the pay link in a queued e-mail: the outbox is part of the database, so it
/// keeps the message with this mark, and the link is put back when the message is delivered
/// or shown to its owner.
const MARK: &str = "\u{27e6}lien-de-paiement\u{27e7}";

/// `text` with every occurrence of `url` replaced by the mark.
pub fn seal(text: &str, url: Option<&str>) -> String {
    match url {
        Some(url) => text.replace(url, MARK),
        None => text.to_owned(),
    }
}

pub fn is_sealed(text: &str) -> bool {
    text.contains(MARK)
}

/// `text` with the mark replaced by `url` again (by a plain notice when the invoice no longer
/// has one, which an issued invoice never loses).
pub fn unseal(text: &str, url: Option<&str>) -> String {
    text.replace(MARK, url.unwrap_or("(paiement en ligne non proposé)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stored_hash_finds_the_printed_token_and_keys_differ() {
        let key = SecretKey([7; 32]);
        let (salt, hash) = new_salt_and_hash(&key);
        let t = token(&key, &salt);
        assert_eq!(t.len(), 64);
        assert_eq!(hash_token(&t), hash);
        assert_ne!(t, token(&SecretKey([8; 32]), &salt), "another server key gives another link");
        assert_ne!(new_salt_and_hash(&key).0, salt, "every invoice draws its own salt");
    }

    #[test]
    fn a_sealed_text_holds_no_link_until_unsealed() {
        let url = "https://reglo.fr/pay/0123abcd";
        let body = format!("Payez ici : {url}\n<a href=\"{url}\">Payer la facture</a>");
        let sealed = seal(&body, Some(url));
        assert!(!sealed.contains("/pay/") && is_sealed(&sealed), "{sealed}");
        assert_eq!(unseal(&sealed, Some(url)), body);
        assert_eq!(seal(&body, None), body, "nothing to hide without a link");
    }
}
