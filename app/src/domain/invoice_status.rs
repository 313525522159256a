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
    /// Credited in part by a credit note.
    Credit,
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
            // A paid invoice can still be credited: the client is then owed a refund.
            (S::Issued | S::Sent | S::PartiallyPaid | S::Paid, E::Credit) => Some(self),
            (S::Issued | S::Sent | S::PartiallyPaid | S::Paid, E::Cancel) => Some(S::Cancelled),
            // Re-sending a partly paid invoice (a reminder) or a paid one (a copy) keeps its
            // payment state.
            (S::PartiallyPaid, E::Send) => Some(S::PartiallyPaid),
            (S::Paid, E::Send) => Some(S::Paid),
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

    /// Whether an invoice in this state may be e-mailed: numbered and not cancelled.
    pub fn may_send(self) -> bool {
        self.after(InvoiceEvent::Send).is_some()
    }

    /// The status to show on `today` (ISO dates compare as strings): overdue when money is still
    /// expected after the due date.
    pub fn shown(self, due_date: Option<&str>, today: &str) -> ShownStatus {
        match (self.awaits_payment(), due_date) {
            (true, Some(due)) if today > due => ShownStatus::Overdue,
            _ => ShownStatus::Stored(self),
        }
    }

    /// The spelling in the database and the API.
    pub fn code(self) -> &'static str {
        match self {
            InvoiceStatus::Draft => "draft",
            InvoiceStatus::Issued => "issued",
            InvoiceStatus::Sent => "sent",
            InvoiceStatus::PartiallyPaid => "partially_paid",
            InvoiceStatus::Paid => "paid",
            InvoiceStatus::Cancelled => "cancelled",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        use InvoiceStatus as S;
        [S::Draft, S::Issued, S::Sent, S::PartiallyPaid, S::Paid, S::Cancelled]
            .into_iter()
            .find(|s| s.code() == code)
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

/// What the client still has to pay on a document: what remains of its total once credit notes
/// and payments are taken off, while it awaits payment; nothing on a credit note, a draft, a
/// paid or cancelled invoice (a negative balance is a refund owed, not an amount due).
pub fn amount_due(
    kind: DocumentKind,
    status: InvoiceStatus,
    balance: crate::domain::Money,
) -> crate::domain::Money {
    if kind == DocumentKind::Invoice && status.awaits_payment() {
        balance.max(crate::domain::Money::ZERO)
    } else {
        crate::domain::Money::ZERO
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

/// Invoices and credit notes share storage, each with its own number sequence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    Invoice,
    CreditNote,
}

impl DocumentKind {
    pub fn code(self) -> &'static str {
        match self {
            DocumentKind::Invoice => "invoice",
            DocumentKind::CreditNote => "credit_note",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [DocumentKind::Invoice, DocumentKind::CreditNote].into_iter().find(|k| k.code() == code)
    }
}

/// What the invoice list can be narrowed to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ListFilter {
    #[default]
    All,
    Status(InvoiceStatus),
    Overdue,
    CreditNotes,
}

impl ListFilter {
    pub const ALL: [ListFilter; 9] = [
        ListFilter::All,
        ListFilter::Status(InvoiceStatus::Draft),
        ListFilter::Status(InvoiceStatus::Issued),
        ListFilter::Status(InvoiceStatus::Sent),
        ListFilter::Status(InvoiceStatus::PartiallyPaid),
        ListFilter::Status(InvoiceStatus::Paid),
        ListFilter::Overdue,
        ListFilter::Status(InvoiceStatus::Cancelled),
        ListFilter::CreditNotes,
    ];

    /// The spelling in URLs and in the API (`?status=paid`).
    pub fn code(self) -> &'static str {
        match self {
            ListFilter::All => "",
            ListFilter::Status(s) => s.code(),
            ListFilter::Overdue => "overdue",
            ListFilter::CreditNotes => "credit_notes",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ListFilter::All => "Tous les statuts",
            ListFilter::Status(s) => s.label(),
            ListFilter::Overdue => "En retard",
            ListFilter::CreditNotes => "Avoirs",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.code() == code.trim())
    }
}

/// The orders the invoice list can be read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ListSort {
    #[default]
    Newest,
    Oldest,
    AmountHigh,
    AmountLow,
}

impl ListSort {
    pub const ALL: [ListSort; 4] =
        [ListSort::Newest, ListSort::Oldest, ListSort::AmountHigh, ListSort::AmountLow];

    pub fn code(self) -> &'static str {
        match self {
            ListSort::Newest => "date_desc",
            ListSort::Oldest => "date_asc",
            ListSort::AmountHigh => "amount_desc",
            ListSort::AmountLow => "amount_asc",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ListSort::Newest => "Plus récentes d'abord",
            ListSort::Oldest => "Plus anciennes d'abord",
            ListSort::AmountHigh => "Montant décroissant",
            ListSort::AmountLow => "Montant croissant",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        if code.trim().is_empty() {
            return Some(ListSort::Newest);
        }
        Self::ALL.into_iter().find(|s| s.code() == code.trim())
    }
}

/// « F-2026-0001 »: prefix, year, and the sequence number within that year, on four digits
/// at least.
pub fn document_number(prefix: &str, year: i32, sequence: u32) -> String {
    format!("{prefix}{year}-{sequence:04}")
}

/// Credit notes (« avoirs ») have their own sequence under this prefix.
pub const CREDIT_NOTE_PREFIX: &str = "A-";

/// Quotes (« devis ») will have theirs under this one: reserved already.
pub const QUOTE_PREFIX: &str = "D-";

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
        assert_eq!(S::Paid.after(E::Cancel), Some(S::Cancelled), "a refund is then owed");
        assert_eq!(S::Cancelled.after(E::Credit), None);
        assert_eq!(S::Draft.after(E::Credit), None, "a draft is deleted, not credited");
        assert_eq!(S::Cancelled.after(E::FullPayment), None);
        assert_eq!(S::Issued.after(E::Issue), None, "an invoice is numbered once");
        for s in [S::Issued, S::Sent, S::PartiallyPaid, S::Paid, S::Cancelled] {
            assert!(!s.is_editable(), "{s:?} must be immutable");
        }
    }

    #[test]
    fn which_invoices_may_be_emailed() {
        assert!(!S::Draft.may_send(), "no number yet");
        assert!(S::Issued.may_send() && S::Sent.may_send() && S::PartiallyPaid.may_send());
        assert_eq!(S::Paid.after(E::Send), Some(S::Paid), "a copy of a paid invoice stays paid");
        assert!(!S::Cancelled.may_send(), "a cancelled invoice is not sent again");
    }

    #[test]
    fn what_is_still_due() {
        use crate::domain::Money;
        let m = Money::from_cents;
        assert_eq!(amount_due(DocumentKind::Invoice, S::Sent, m(15_000)), m(15_000));
        assert_eq!(amount_due(DocumentKind::Invoice, S::PartiallyPaid, m(5_000)), m(5_000));
        assert_eq!(
            amount_due(DocumentKind::Invoice, S::Paid, m(-2_000)),
            Money::ZERO,
            "a refund is owed, not due"
        );
        assert_eq!(amount_due(DocumentKind::Invoice, S::Cancelled, m(10_000)), Money::ZERO);
        assert_eq!(amount_due(DocumentKind::Invoice, S::Draft, m(10_000)), Money::ZERO);
        assert_eq!(amount_due(DocumentKind::CreditNote, S::Issued, m(10_000)), Money::ZERO);
    }

    #[test]
    fn filters_and_sorts_read_back_from_their_codes() {
        for f in ListFilter::ALL {
            assert_eq!(ListFilter::from_code(f.code()), Some(f));
        }
        for s in ListSort::ALL {
            assert_eq!(ListSort::from_code(s.code()), Some(s));
        }
        assert_eq!(ListFilter::from_code("payée"), None);
        for s in [S::Draft, S::Issued, S::Sent, S::PartiallyPaid, S::Paid, S::Cancelled] {
            assert_eq!(S::from_code(s.code()), Some(s));
            assert_eq!(serde_json::to_string(&s).unwrap(), format!("\"{}\"", s.code()));
        }
    }

    #[test]
    fn no_state_can_go_back_to_draft() {
        let all = [S::Draft, S::Issued, S::Sent, S::PartiallyPaid, S::Paid, S::Cancelled];
        let events = [E::Issue, E::Send, E::PartPayment, E::FullPayment, E::Credit, E::Cancel];
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
