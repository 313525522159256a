//! What happened to an invoice, as its timeline tells it.

use super::date::french_date;
use super::{Money, PaymentMethod};
use serde::{Deserialize, Serialize};

/// One entry of an invoice's timeline. Stored as JSON; entries written by a newer version that
/// this one does not know read as `Other` rather than failing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum HistoryEvent {
    Created,
    Issued {
        number: String,
    },
    Sent {
        to: String,
    },
    Payment {
        amount_cents: i64,
        method: String,
        date: String,
    },
    /// A credit note was issued against this invoice.
    Credited {
        credit_note_id: i64,
        number: String,
        amount_cents: i64,
    },
    /// Fully credited.
    Cancelled,
    /// On a credit note: the invoice it corrects.
    CreditNoteFor {
        invoice_id: i64,
        number: String,
    },
    /// The client opened the pay page (noted once a day).
    Viewed {
        date: String,
    },
    /// Paid online through Stripe Checkout: gross and the platform fee.
    OnlinePayment {
        amount_cents: i64,
        fee_cents: i64,
        date: String,
    },
    /// Money arrived for an invoice that was already settled: to refund.
    DuplicatePayment {
        amount_cents: i64,
    },
    /// An online payment attempt failed or expired.
    CheckoutFailed {
        reason: String,
    },
    /// Money given back to the client (after a credit note).
    Refund {
        amount_cents: i64,
        method: String,
        date: String,
    },
    /// A refund to the client's card failed (the card is closed, lost…): to refund otherwise.
    CardRefundFailed {
        amount_cents: i64,
        reason: String,
    },
    /// An automatic reminder (« J+8 ») was queued to `to`.
    Reminder {
        step: String,
        to: String,
    },
    #[serde(other)]
    Other,
}

impl HistoryEvent {
    /// The sentence shown on the timeline.
    pub fn label(&self) -> String {
        match self {
            HistoryEvent::Created => "Brouillon créé".into(),
            HistoryEvent::Issued { number } => format!("Émise sous le numéro {number}"),
            HistoryEvent::Sent { to } => format!("Envoyée à {to}"),
            HistoryEvent::Payment { amount_cents, method, date } => {
                let method = PaymentMethod::received_label(method);
                format!("Paiement de {} reçu le {} ({method})", Money::from_cents(*amount_cents), french_date(date))
            }
            HistoryEvent::Credited { number, amount_cents, .. } => {
                format!("Avoir {number} de {} émis", Money::from_cents(*amount_cents))
            }
            HistoryEvent::Cancelled => "Annulée : entièrement créditée".into(),
            HistoryEvent::CreditNoteFor { number, .. } => format!("Avoir émis sur la facture {number}"),
            HistoryEvent::Viewed { date } => format!("Consultée par le client le {}", french_date(date)),
            HistoryEvent::OnlinePayment { amount_cents, fee_cents, date } => format!(
                "Paiement en ligne de {} reçu le {} (carte ; frais {}, net {})",
                Money::from_cents(*amount_cents),
                french_date(date),
                Money::from_cents(*fee_cents),
                Money::from_cents(amount_cents - fee_cents)
            ),
            HistoryEvent::DuplicatePayment { amount_cents } => format!(
                "Attention : paiement en ligne de {} reçu alors que la facture était déjà réglée — à rembourser au client",
                Money::from_cents(*amount_cents)
            ),
            HistoryEvent::CheckoutFailed { reason } => format!("Tentative de paiement en ligne : {reason}"),
            HistoryEvent::Refund { amount_cents, method, date } => {
                let method = PaymentMethod::received_label(method);
                format!("Remboursement de {} au client le {} ({method})", Money::from_cents(*amount_cents), french_date(date))
            }
            HistoryEvent::CardRefundFailed { amount_cents, reason } => format!(
                "Échec du remboursement de {} sur la carte du client ({reason}) : remboursez-le autrement",
                Money::from_cents(*amount_cents)
            ),
            HistoryEvent::Reminder { step, to } => format!("Relance automatique {step} envoyée à {to}"),
            HistoryEvent::Other => "Événement".into(),
        }
    }

    /// A link to the other document the event names, if any.
    pub fn related_invoice(&self) -> Option<i64> {
        match self {
            HistoryEvent::Credited { credit_note_id, .. } => Some(*credit_note_id),
            HistoryEvent::CreditNoteFor { invoice_id, .. } => Some(*invoice_id),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_read_back_and_unknown_ones_do_not_fail() {
        let e = HistoryEvent::Payment {
            amount_cents: 12_050,
            method: "cheque".into(),
            date: "2026-11-27".into(),
        };
        let json = serde_json::to_string(&e).unwrap();
        assert_eq!(serde_json::from_str::<HistoryEvent>(&json).unwrap(), e);
        assert_eq!(e.label(), "Paiement de 120,50\u{a0}€ reçu le 27/11/2026 (Chèque)");
        let future: HistoryEvent = serde_json::from_str(r#"{"kind":"reminded"}"#).unwrap();
        assert_eq!(future, HistoryEvent::Other);
    }
}
