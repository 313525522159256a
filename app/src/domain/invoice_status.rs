//! An invoice's life: what may happen to it in each state, and how its status reads.

use serde::{Deserialize, Serialize};

/// The stored state of an invoice. « En retard » is not stored: it is derived from the due
/// date (see [`InvoiceStatus::shown`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InvoiceStatus {
    Draft,
    Issued,
    Sent,
    PartiallyPaid,
    Paid,
    Cancelled,
}

/// Something that happens to an invoice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvoiceEvent {
    /// Numbered and frozen.
    Issue,
    /// E-mailed to the client.
    Send,
    /// A payment that leaves something due.
    PartPayment,
    /// A payment that settles it.
    FullPayment,
    /// Fully credited by a credit note.
    Cancel,
}

impl InvoiceStatus {
    /// The state after `event`, or `None` when the event is not allowed in this state.
    pub fn after(self, event: InvoiceEvent) -> Option<InvoiceStatus> {
        use InvoiceEvent as E;
        use InvoiceStatus as S;
        match (self, event) {
            (S::Draft, E::Issue) => Some(S::Issued),
            (S::Issued | S::Sent, E::Send) => Some(S::Sent),
            (S::Issued | S::Sent | S::PartiallyPaid, E::PartPayment) => Some(S::PartiallyPaid),
            (S::Issued | S::Sent | S::PartiallyPaid, E::FullPayment) => Some(S::Paid),
            (S::Issued | S::Sent | S::PartiallyPaid, E::Cancel) => Some(S::Cancelled),
            // Re-sending a partly paid invoice (a reminder) keeps its payment state.
            (S::PartiallyPaid, E::Send) => Some(S::PartiallyPaid),
            _ => None,
        }
    }

    /// Whether the invoice can still be edited or deleted (only drafts can).
    pub fn is_editable(self) -> bool {
        self == InvoiceStatus::Draft
    }

    /// Whether money is still expected on it.
    pub fn awaits_payment(self) -> bool {
        matches!(self, InvoiceStatus::Issued | InvoiceStatus::Sent | InvoiceStatus::PartiallyPaid)
    }

    /// The status to show on `today` (ISO dates compare as strings): overdue when money is still
    /// expected after the due date.
    pub fn shown(self, due_date: Option<&str>, today: &str) -> ShownStatus {
        match (self.awaits_payment(), due_date) {
            (true, Some(due)) if today > due => ShownStatus::Overdue,
            _ => ShownStatus::Stored(self),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            InvoiceStatus::Draft => "Brouillon",
            InvoiceStatus::Issued => "Émise",
            InvoiceStatus::Sent => "Envoyée",
            InvoiceStatus::PartiallyPaid => "Partiellement payée",
            InvoiceStatus::Paid => "Payée",
            InvoiceStatus::Cancelled => "Annulée",
        }
    }
}

/// A status as the entrepreneur sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShownStatus {
    Stored(InvoiceStatus),
    Overdue,
}

impl ShownStatus {
    pub fn label(self) -> &'static str {
        match self {
            ShownStatus::Stored(s) => s.label(),
            ShownStatus::Overdue => "En retard",
        }
    }
}

/// « F-2026-0001 »: prefix, year, and the sequence number within that year, on four digits
/// at least.
pub fn document_number(prefix: &str, year: i32, sequence: u32) -> String {
    format!("{prefix}{year}-{sequence:04}")
}

/// Credit notes (« avoirs ») have their own sequence under this prefix.
pub const CREDIT_NOTE_PREFIX: &str = "A-";

#[cfg(test)]
mod tests {
    use super::*;
    use InvoiceEvent as E;
    use InvoiceStatus as S;

    #[test]
    fn numbers() {
        assert_eq!(document_number("F-", 2026, 1), "F-2026-0001");
        assert_eq!(document_number(CREDIT_NOTE_PREFIX, 2026, 12), "A-2026-0012");
        assert_eq!(document_number("FAC", 2027, 12_345), "FAC2027-12345");
    }

    #[test]
    fn the_usual_life_of_an_invoice() {
        let s = S::Draft.after(E::Issue).unwrap();
        let s = s.after(E::Send).unwrap();
        let s = s.after(E::PartPayment).unwrap();
        assert_eq!(s, S::PartiallyPaid);
        assert_eq!(s.after(E::FullPayment), Some(S::Paid));
    }

    #[test]
    fn what_is_not_allowed() {
        assert_eq!(S::Draft.after(E::Send), None, "a draft has no number: it cannot be sent");
        assert_eq!(S::Draft.after(E::FullPayment), None);
        assert_eq!(S::Paid.after(E::FullPayment), None);
        assert_eq!(S::Paid.after(E::Cancel), None);
        assert_eq!(S::Cancelled.after(E::FullPayment), None);
        assert_eq!(S::Issued.after(E::Issue), None, "an invoice is numbered once");
        for s in [S::Issued, S::Sent, S::PartiallyPaid, S::Paid, S::Cancelled] {
            assert!(!s.is_editable(), "{s:?} must be immutable");
        }
    }

    #[test]
    fn no_state_can_go_back_to_draft() {
        let all = [S::Draft, S::Issued, S::Sent, S::PartiallyPaid, S::Paid, S::Cancelled];
        let events = [E::Issue, E::Send, E::PartPayment, E::FullPayment, E::Cancel];
        for s in all {
            for e in events {
                assert_ne!(s.after(e), Some(S::Draft));
            }
        }
    }

    #[test]
    fn overdue_is_derived_from_the_due_date() {
        assert_eq!(S::Sent.shown(Some("2026-11-26"), "2026-11-27"), ShownStatus::Overdue);
        assert_eq!(S::Sent.shown(Some("2026-11-27"), "2026-11-27"), ShownStatus::Stored(S::Sent));
        assert_eq!(S::Paid.shown(Some("2026-01-01"), "2026-11-27"), ShownStatus::Stored(S::Paid));
        assert_eq!(ShownStatus::Overdue.label(), "En retard");
    }
}
