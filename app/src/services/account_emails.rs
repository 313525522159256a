//! E-mails about the account itself, queued in its own outbox (so that on a fresh machine the
//! « Boîte d'envoi » shows them): the link that confirms a new account's address, and, to the
//! owner of an address someone tried to sign up with again, a word about it.
//!
//! The link is `{public_url}/confirmer/{business}-{expires}-{mac}`, the MAC (HMAC-SHA256 under the
//! server key) covering the business, the address and the expiry: nothing is stored, a link for an
//! address since changed is dead, and none can be forged.

use crate::domain::email_message::escape;
use crate::error::AppError;
use crate::ports::{BusinessId, OutgoingEmail};
use crate::state::{AppState, SecretKey};

/// How long a confirmation link works.
const VALID_FOR: i64 = 7 * 24 * 3600;
/// Confirmation links one account may ask for again per hour; notices of sign-ups with a known
/// address, likewise.
const RESENDS_PER_HOUR: u32 = 3;

fn mac(key: &SecretKey, business_id: BusinessId, email: &str, expires: i64) -> String {
    key.mac(&[format!("reglo address confirmation v1:{business_id}:{expires}:{email}").as_bytes()])
}

pub fn confirmation_token(key: &SecretKey, business_id: BusinessId, email: &str, expires: i64) -> String {
    format!("{business_id}-{expires}-{}", mac(key, business_id, email, expires))
}

/// An e-mail with a few paragraphs and, optionally, one button-like link.
pub(super) fn plain(
    to: &str,
    subject: &str,
    paragraphs: &[String],
    link: Option<(&str, &str)>,
) -> OutgoingEmail {
    let mut text = paragraphs.join("\n\n");
    let mut html: String =
        paragraphs.iter().map(|p| format!("<p style=\"margin:0 0 14px\">{}</p>", escape(p))).collect();
    if let Some((label, url)) = link {
        text.push_str(&format!("\n\n{label} : {url}\n"));
        html.push_str(&format!(
            "<p><a href=\"{}\" style=\"display:inline-block;padding:10px 16px;background:#1d4ed8;color:#fff;\
             border-radius:6px;text-decoration:none\">{}</a></p><p style=\"color:#667085;font-size:13px;\
             overflow-wrap:anywhere\">{}</p>",
            escape(url),
            escape(label),
            escape(url)
        ));
    }
    text.push_str("\n—\nReglo\n");
    OutgoingEmail {
        recipients: vec![to.to_owned()],
        reply_to: String::new(),
        subject: subject.to_owned(),
        text_body: text,
        html_body: format!(
            "<!DOCTYPE html><html lang=\"fr\"><body style=\"font-family:sans-serif;color:#101828\">{html}</body></html>"
        ),
        attachment: None,
    }
}

/// Queues `message` in the account's own outbox and wakes the mail worker.
pub(super) async fn queue(
    state: &AppState,
    business_id: BusinessId,
    message: &OutgoingEmail,
) -> Result<(), AppError> {
    state.store.queue_email(business_id, message, state.now()).await?;
    state.mail_wakeup.notify_one();
    Ok(())
}

/// Queues the link that confirms `email`, the address of `business_id`'s account.
pub async fn send_confirmation(
    state: &AppState,
    business_id: BusinessId,
    email: &str,
) -> Result<(), AppError> {
    let expires = state.now() + VALID_FOR;
    let url = format!(
        "{}/confirmer/{}",
        state.settings.public_url,
        confirmation_token(&state.settings.secret_key, business_id, email, expires)
    );
    let message = plain(
        email,
        "Confirmez votre adresse e-mail — Reglo",
        &[
            "Bonjour,".into(),
            "Votre compte Reglo est créé. Confirmez votre adresse e-mail pour envoyer vos factures à vos clients : \
             d'ici là, Reglo n'envoie de messages qu'à vous."
                .into(),
            "Ce lien est valable 7 jours. Si vous n'avez pas créé de compte, ignorez ce message.".into(),
        ],
        Some(("Confirmer mon adresse", &url)),
    );
    queue(state, business_id, &message).await
}

/// Someone signed up with an address that already has an account: its owner hears of it (the
/// person signing up is told the same as for a new address), a few times an hour at most, so
/// that signing up with someone's address cannot flood their mailbox.
pub async fn notify_existing_account(
    state: &AppState,
    business_id: BusinessId,
    email: &str,
) -> Result<(), AppError> {
    if !state.limits.allow(&format!("known-address:{business_id}"), RESENDS_PER_HOUR, 3600, state.now()).await
    {
        return Ok(());
    }
    let login = format!("{}/connexion", state.settings.public_url);
    let message = plain(
        email,
        "Tentative d'inscription avec votre adresse — Reglo",
        &[
            "Bonjour,".into(),
            "Quelqu'un vient de demander la création d'un compte Reglo avec votre adresse e-mail, qui a déjà un compte. \
             Rien n'a été modifié."
                .into(),
            "Si c'était vous, connectez-vous simplement. Sinon, vous pouvez ignorer ce message.".into(),
        ],
        Some(("Se connecter", &login)),
    );
    queue(state, business_id, &message).await
}

/// The IBAN printed on invoices was replaced: the account's address hears of it, with the
/// ends of both, in case it was not its owner.
pub async fn notify_iban_change(
    state: &AppState,
    business_id: BusinessId,
    before: &str,
    after: &str,
) -> Result<(), AppError> {
    let Some(account) = state.store.account_email(business_id).await? else { return Ok(()) };
    let masked = |iban: &str| {
        let compact: String = iban.chars().filter(|c| !c.is_whitespace()).collect();
        let tail: String = compact.chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect();
        if compact.is_empty() {
            "aucun".to_owned()
        } else {
            format!("{}… {tail}", &compact[..4.min(compact.len())])
        }
    };
    let settings = format!("{}/parametres/securite", state.settings.public_url);
    let message = plain(
        &account.email,
        "L'IBAN de vos factures a été modifié — Reglo",
        &[
            "Bonjour,".into(),
            format!(
                "L'IBAN imprimé sur vos factures vient d'être changé : {} remplacé par {}.",
                masked(before),
                masked(after)
            ),
            "Si ce n'est pas vous, changez tout de suite votre mot de passe (les autres appareils seront \
             déconnectés) et corrigez l'IBAN."
                .into(),
        ],
        Some(("Sécurité du compte", &settings)),
    );
    queue(state, business_id, &message).await
}

/// The login address was changed: the old one hears of it.
pub async fn notify_login_email_change(
    state: &AppState,
    business_id: BusinessId,
    old: &str,
    new: &str,
) -> Result<(), AppError> {
    let message = plain(
        old,
        "L'adresse de connexion de votre compte a changé — Reglo",
        &[
            "Bonjour,".into(),
            format!("Votre compte Reglo se connecte désormais avec l'adresse {new} ; celle-ci ne sert plus."),
            "Si ce n'est pas vous, répondez à ce message : quelqu'un a pu prendre votre compte.".into(),
        ],
        None,
    );
    queue(state, business_id, &message).await
}

/// Whether a link's MAC is the expected one, compared in constant time: it is the secret part.
pub(super) fn genuine(expected: &str, given: &str) -> bool {
    expected.len() == given.len()
        && expected.bytes().zip(given.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
}

/// A link's token, `{business}-{expires}-{mac}`, read: `None` when malformed or expired at `now`.
pub(super) fn read_token(token: &str, now: i64) -> Option<(BusinessId, i64, &str)> {
    let mut parts = token.splitn(3, '-');
    let (business, expires, mac) = (parts.next()?, parts.next()?, parts.next()?);
    let (business_id, expires) = (business.parse::<BusinessId>().ok()?, expires.parse::<i64>().ok()?);
    (expires >= now).then_some((business_id, expires, mac))
}

/// Follows a confirmation link: `Ok(true)` once the address is confirmed (now or before).
pub async fn confirm(state: &AppState, token: &str) -> Result<bool, AppError> {
    let Some((business_id, expires, given)) = read_token(token, state.now()) else { return Ok(false) };
    let Some(account) = state.store.account_email(business_id).await? else { return Ok(false) };
    let expected = mac(&state.settings.secret_key, business_id, &account.email, expires);
    if !genuine(&expected, given) {
        return Ok(false);
    }
    if !account.confirmed {
        state.store.confirm_email(business_id, &account.email, state.now()).await?;
        tracing::info!(business_id, "address confirmed");
    }
    Ok(true)
}

/// « Renvoyer le lien », a few times an hour.
pub async fn resend_confirmation(state: &AppState, business_id: BusinessId) -> Result<(), AppError> {
    let Some(account) = state.store.account_email(business_id).await? else {
        return Err(AppError::Unauthorized);
    };
    if account.confirmed {
        return Err(AppError::Refused("Votre adresse e-mail est déjà confirmée.".into()));
    }
    if !state.limits.allow(&format!("confirmation:{business_id}"), RESENDS_PER_HOUR, 3600, state.now()).await
    {
        return Err(AppError::TooManyAttempts(
            "Le lien a déjà été renvoyé plusieurs fois : réessayez dans une heure.".into(),
        ));
    }
    send_confirmation(state, business_id, &account.email).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_names_its_business_and_expiry_and_covers_the_address() {
        let key = SecretKey([3; 32]);
        let token = confirmation_token(&key, 42, "marie@exemple.fr", 1_800_000_000);
        assert!(token.starts_with("42-1800000000-"));
        assert_ne!(token, confirmation_token(&key, 42, "paul@exemple.fr", 1_800_000_000), "another address");
        assert_ne!(token, confirmation_token(&key, 43, "marie@exemple.fr", 1_800_000_000), "another account");
        assert_ne!(token, confirmation_token(&SecretKey([4; 32]), 42, "marie@exemple.fr", 1_800_000_000));
    }
}
