//! The links printed for a client: the payment link of an invoice, `{public_url}/pay/{token}`,
//! and the acceptance link of a quote, `{public_url}/quote/{token}`.
//!
//! A token is HMAC-SHA256(server key, label, salt), the salt being 256 random bits drawn when
//! the document is issued or sent, and the label naming the kind of link (so one salt never
//! opens both). The database keeps the salt and the token's SHA-256 (to find the document from a
//! link), never the token: a stolen database alone opens no page, yet the server can print the
//! same link again on every PDF and e-mail.

use super::session_cookie::{hash_token, new_token};
use crate::state::{SecretKey, Settings};

/// What a link opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Link {
    /// An invoice's pay page.
    Pay,
    /// A quote's acceptance page.
    Quote,
}

impl Link {
    fn label(self) -> &'static [u8] {
        match self {
            Link::Pay => b"reglo pay link v1:",
            Link::Quote => b"reglo quote link v1:",
        }
    }

    fn path(self) -> &'static str {
        match self {
            Link::Pay => "/pay/",
            Link::Quote => "/quote/",
        }
    }

    /// A fresh salt and the hash of the token it gives.
    pub fn new_salt_and_hash(self, key: &SecretKey) -> (String, String) {
        let salt = new_token();
        let hash = hash_token(&self.token(key, &salt));
        (salt, hash)
    }

    pub fn token(self, key: &SecretKey, salt: &str) -> String {
        key.mac(&[self.label(), salt.as_bytes()])
    }

    pub fn url(self, settings: &Settings, salt: &str) -> String {
        format!("{}{}{}", settings.public_url, self.path(), self.token(&settings.secret_key, salt))
    }
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
        let (salt, hash) = Link::Pay.new_salt_and_hash(&key);
        let t = Link::Pay.token(&key, &salt);
        assert_eq!(t.len(), 64);
        assert_eq!(hash_token(&t), hash);
        assert_ne!(t, Link::Pay.token(&SecretKey([8; 32]), &salt), "another server key gives another link");
        assert_ne!(Link::Pay.new_salt_and_hash(&key).0, salt, "every invoice draws its own salt");
        assert_ne!(Link::Quote.token(&key, &salt), t, "one salt never opens both kinds of page");
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
