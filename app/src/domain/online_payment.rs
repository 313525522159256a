//! Online card payment: the platform fee, and the state of a business's Stripe account as the
//! entrepreneur sees it. The pricing policy lives here and nowhere else.

use super::Money;
use serde::{Deserialize, Serialize};

/// The default platform fee, in basis points: 2.9 % all-in per online payment.
pub const DEFAULT_FEE_BP: i64 = 290;

/// The fee kept on an online payment of `amount`: amount × bp / 10 000, rounded half away from
/// zero to the cent. Stripe's own processing fee is paid out of it by the platform.
pub fn platform_fee(amount: Money, fee_bp: i64) -> Money {
    let product = amount.cents() as i128 * fee_bp as i128;
    let half = if product >= 0 { 5_000 } else { -5_000 };
    Money::from_cents(((product + half) / 10_000) as i64)
}

/// The share of a payment's platform `fee` a card refund of `refunded` out of `paid` gives back
/// (Stripe refunds the application fee in proportion), rounded half away from zero to the cent.
pub fn fee_refunded(fee: Money, paid: Money, refunded: Money) -> Money {
    if paid.cents() <= 0 {
        return Money::ZERO;
    }
    let cents = super::money::div_round_half_away(
        i128::from(fee.cents()) * i128::from(refunded.cents()),
        i128::from(paid.cents()),
    );
    Money::from_cents(cents as i64)
}

/// « 2,9 % », for the fee as it is stated to the entrepreneur.
pub fn fee_rate_label(fee_bp: i64) -> String {
    let whole = fee_bp / 100;
    let frac = fee_bp % 100;
    if frac == 0 {
        format!("{whole}\u{a0}%")
    } else {
        let frac = format!("{frac:02}");
        format!("{whole},{}\u{a0}%", frac.trim_end_matches('0'))
    }
}

/// What this server's payment provider is: Stripe, a stand-in where no real money moves (the
/// sandbox, or Stripe's test mode), or none at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProviderMode {
    Live,
    Test,
    Off,
}

impl ProviderMode {
    /// What the settings and the editor say when the server takes no online payment.
    pub const OFF_MESSAGE: &'static str = "Paiement en ligne indisponible sur ce serveur";
    /// What marks every test payment: PDFs, receipts, the livre des recettes.
    pub const TEST_NOTICE: &'static str = "TEST — aucun paiement réel";
}

/// Why `amount` is not offered for online payment: below `minimum`, the platform's 2,9 % does
/// not cover the card fee (1,5 % + 0,25 €), and tiny charges are how stolen cards are tested.
pub fn below_minimum(amount: Money, minimum: Money) -> Option<String> {
    (amount < minimum).then(|| {
        format!("Le paiement en ligne est proposé à partir de {minimum} : en dessous, les frais de carte dépasseraient la commission.")
    })
}

/// Why an invoice may not offer the payment link, if it may not: no provider on this server,
/// or the business's account is not ready.
pub fn link_refusal(mode: ProviderMode, status: OnlineStatus) -> Option<&'static str> {
    if mode == ProviderMode::Off {
        return Some("Paiement en ligne indisponible sur ce serveur : décochez « Lien de paiement ».");
    }
    match status {
        OnlineStatus::Active => None,
        OnlineStatus::NotConfigured => {
            Some("Le paiement en ligne n'est pas configuré : activez-le dans Paramètres › Paiements, ou décochez « Lien de paiement ».")
        }
        OnlineStatus::Incomplete => {
            Some("La configuration du paiement en ligne n'est pas terminée (Paramètres › Paiements) : décochez « Lien de paiement » en attendant.")
        }
        OnlineStatus::PendingVerification => {
            Some("Stripe vérifie encore votre compte : le lien de paiement sera disponible dès la fin de la vérification.")
        }
    }
}

/// Where the business's online payment stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OnlineStatus {
    /// No Stripe account yet.
    NotConfigured,
    /// Onboarding started but Stripe still needs information from the entrepreneur.
    Incomplete,
    /// Everything was submitted; Stripe is checking it.
    PendingVerification,
    /// Card payments can be taken.
    Active,
}

impl OnlineStatus {
    pub fn code(self) -> &'static str {
        match self {
            OnlineStatus::NotConfigured => "not_configured",
            OnlineStatus::Incomplete => "incomplete",
            OnlineStatus::PendingVerification => "pending_verification",
            OnlineStatus::Active => "active",
        }
    }

    pub fn from_code(code: &str) -> Self {
        match code {
            "incomplete" => OnlineStatus::Incomplete,
            "pending_verification" => OnlineStatus::PendingVerification,
            "active" => OnlineStatus::Active,
            _ => OnlineStatus::NotConfigured,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            OnlineStatus::NotConfigured => "Non configuré",
            OnlineStatus::Incomplete => "Configuration à terminer",
            OnlineStatus::PendingVerification => "En cours de vérification par Stripe",
            OnlineStatus::Active => "Actif",
        }
    }

    /// From what Stripe says of the account. `return_url` proves nothing: only this does.
    pub fn from_account(charges_enabled: bool, details_submitted: bool, currently_due: &[String]) -> Self {
        if charges_enabled {
            OnlineStatus::Active
        } else if details_submitted && currently_due.is_empty() {
            OnlineStatus::PendingVerification
        } else {
            OnlineStatus::Incomplete
        }
    }
}

/// What Stripe still requires, in words the entrepreneur understands.
pub fn requirement_label(key: &str) -> String {
    let label = match key {
        "external_account" => "le compte bancaire qui recevra les paiements",
        "tos_acceptance.date" | "tos_acceptance.ip" => "l'acceptation des conditions de Stripe",
        "business_profile.url" => "le site web ou la description de l'activité",
        "business_profile.product_description" => "la description de ce que vous vendez",
        "business_profile.mcc" => "le secteur d'activité",
        "business_profile.support_phone" => "le téléphone du service client",
        "business_type" => "le type d'entreprise",
        k if k.starts_with("individual.verification") => "une pièce d'identité",
        k if k.starts_with("individual.address") => "votre adresse",
        k if k.starts_with("individual.dob") => "votre date de naissance",
        k if k.starts_with("individual.") => "vos informations personnelles",
        k if k.starts_with("company.") => "les informations de l'entreprise",
        k if k.starts_with("representative.") || k.starts_with("person_") => {
            "les informations du représentant"
        }
        _ => return format!("une information demandée par Stripe ({key})"),
    };
    label.to_owned()
}

/// The distinct labels of what is required, in the order Stripe lists them.
pub fn requirement_labels(keys: &[String]) -> Vec<String> {
    let mut labels: Vec<String> = Vec::new();
    for key in keys {
        let label = requirement_label(key);
        if !labels.contains(&label) {
            labels.push(label);
        }
    }
    labels
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fee_is_rounded_half_away_from_zero_to_the_cent() {
        let fee = |cents| platform_fee(Money::from_cents(cents), DEFAULT_FEE_BP).cents();
        assert_eq!(fee(10_000), 290);
        assert_eq!(fee(12_345), 358); // 357.999… → 358
        assert_eq!(fee(50), 1); // 1.45 → 1
        assert_eq!(fee(52), 2); // 1.508 → 2
        assert_eq!(fee(1), 0);
        assert_eq!(fee(0), 0);
        assert_eq!(platform_fee(Money::from_cents(1_000), 250).cents(), 25);
        assert_eq!(platform_fee(Money::from_cents(1_000_000_000), DEFAULT_FEE_BP).cents(), 29_000_000);
    }

    #[test]
    fn the_rate_reads_in_french() {
        assert_eq!(fee_rate_label(290), "2,9\u{a0}%");
        assert_eq!(fee_rate_label(300), "3\u{a0}%");
        assert_eq!(fee_rate_label(125), "1,25\u{a0}%");
        assert_eq!(fee_rate_label(205), "2,05\u{a0}%");
    }

    #[test]
    fn the_state_follows_the_account() {
        let due = vec!["external_account".to_string()];
        assert_eq!(OnlineStatus::from_account(false, false, &due), OnlineStatus::Incomplete);
        assert_eq!(OnlineStatus::from_account(false, true, &due), OnlineStatus::Incomplete);
        assert_eq!(OnlineStatus::from_account(false, true, &[]), OnlineStatus::PendingVerification);
        assert_eq!(OnlineStatus::from_account(true, true, &[]), OnlineStatus::Active);
        for s in [
            OnlineStatus::NotConfigured,
            OnlineStatus::Incomplete,
            OnlineStatus::PendingVerification,
            OnlineStatus::Active,
        ] {
            assert_eq!(OnlineStatus::from_code(s.code()), s);
        }
    }

    #[test]
    fn requirements_are_worded_once_each() {
        let keys: Vec<String> = ["tos_acceptance.date", "tos_acceptance.ip", "external_account", "x.unknown"]
            .map(String::from)
            .into();
        let labels = requirement_labels(&keys);
        assert_eq!(labels.len(), 3);
        assert_eq!(labels[0], "l'acceptation des conditions de Stripe");
        assert!(labels[2].contains("x.unknown"));
    }

    #[test]
    fn a_refund_gives_back_the_fee_in_proportion() {
        let m = Money::from_cents;
        assert_eq!(fee_refunded(m(348), m(12_000), m(12_000)), m(348));
        assert_eq!(fee_refunded(m(348), m(12_000), m(3_000)), m(87));
        assert_eq!(fee_refunded(m(290), m(10_000), m(1_050)), m(30), "30,45 cents rounds to 30");
        assert_eq!(fee_refunded(m(290), m(0), m(100)), m(0));
    }
}
