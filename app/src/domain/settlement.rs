//! An invoice's money: its total, what credit notes took off, what was paid, and the status that
//! follows from them. Every change (a payment, a refund, a credit note, a send) is computed here
//! from the invoice as it was read; the store applies it only if the invoice still stands as read
//! (compare-and-set), so concurrent changes on any backend or instance never mix.

use super::credit_note::status_after_credit;
use super::{InvoiceEvent, InvoiceStatus, Money};

/// What an issued invoice's status and amounts are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settlement {
    pub status: InvoiceStatus,
    pub total_ttc: Money,
    pub credited: Money,
    pub paid: Money,
}

/// A change to apply: from the settlement read to the one computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SettlementChange {
    pub from: Settlement,
    pub to: Settlement,
}

impl Settlement {
    /// What remains to pay: negative when the client is owed a refund.
    pub fn balance(&self) -> Money {
        self.total_ttc - self.credited - self.paid
    }

    fn to(self, to: Settlement) -> SettlementChange {
        SettlementChange { from: self, to }
    }

    /// A payment of `amount` (positive) on an invoice awaiting at least that much: partly or
    /// fully paid. `None` when it does not await payment or the amount is more than is left.
    pub fn pay(self, amount: Money) -> Option<SettlementChange> {
        if amount.cents() <= 0 || amount > self.balance() {
            return None;
        }
        let paid = self.paid + amount;
        let event = if paid >= self.total_ttc - self.credited {
            InvoiceEvent::FullPayment
        } else {
            InvoiceEvent::PartPayment
        };
        let status = self.status.after(event)?;
        Some(self.to(Settlement { status, paid, ..self }))
    }

    /// Money that arrived anyway (a card payment for an invoice settled meanwhile, or more
    /// than was left): kept and counted, so the client is owed the excess back. An invoice
    /// still awaiting payment becomes paid if the money covers it.
    pub fn receive_anyway(self, amount: Money) -> SettlementChange {
        let paid = self.paid + amount;
        let covered = paid >= self.total_ttc - self.credited;
        let status = match self.status.after(InvoiceEvent::FullPayment) {
            Some(status) if covered => status,
            _ => self.status,
        };
        self.to(Settlement { status, paid, ..self })
    }

    /// Money given back to the client: at most what they are owed (after a credit note).
    pub fn refund(self, amount: Money) -> Option<SettlementChange> {
        let owed = -self.balance();
        if amount.cents() <= 0 || amount > owed || amount > self.paid {
            return None;
        }
        Some(self.to(Settlement { paid: self.paid - amount, ..self }))
    }

    /// A credit note of `amount`: never more than what is left of the total; cancelled when
    /// nothing is left, paid when what was paid covers what is left.
    pub fn credit(self, amount: Money) -> Option<SettlementChange> {
        let credited = self.credited + amount;
        if amount.cents() <= 0 || credited > self.total_ttc {
            return None;
        }
        self.status.after(InvoiceEvent::Credit)?;
        let status = status_after_credit(self.status, self.total_ttc, self.paid, credited);
        Some(self.to(Settlement { status, credited, ..self }))
    }

    /// E-mailing the invoice (a copy of a paid one keeps it paid).
    pub fn send(self) -> Option<SettlementChange> {
        let status = self.status.after(InvoiceEvent::Send)?;
        Some(self.to(Settlement { status, ..self }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use InvoiceStatus as S;

    fn m(cents: i64) -> Money {
        Money::from_cents(cents)
    }

    fn sent(total: i64) -> Settlement {
        Settlement { status: S::Sent, total_ttc: m(total), credited: m(0), paid: m(0) }
    }

    #[test]
    fn payments_add_up_to_paid() {
        let part = sent(10_000).pay(m(4_000)).unwrap();
        assert_eq!((part.to.status, part.to.paid), (S::PartiallyPaid, m(4_000)));
        assert_eq!(part.from, sent(10_000), "the change remembers what it was computed from");
        let rest = part.to.pay(m(6_000)).unwrap();
        assert_eq!((rest.to.status, rest.to.balance()), (S::Paid, m(0)));
        assert_eq!(rest.to.pay(m(1)), None, "nothing is left");
        assert_eq!(sent(10_000).pay(m(10_001)), None, "more than is left");
        assert_eq!(sent(10_000).pay(m(0)), None);
        let draft = Settlement { status: S::Draft, ..sent(10_000) };
        assert_eq!(draft.pay(m(100)), None, "a draft awaits no payment");
    }

    #[test]
    fn money_arriving_anyway_is_kept_and_owed_back() {
        let paid = sent(10_000).pay(m(10_000)).unwrap().to;
        let again = paid.receive_anyway(m(10_000)).to;
        assert_eq!((again.status, again.balance()), (S::Paid, m(-10_000)));
        let more_than_left = sent(10_000).receive_anyway(m(12_000)).to;
        assert_eq!((more_than_left.status, more_than_left.balance()), (S::Paid, m(-2_000)));
        let cancelled = Settlement { status: S::Cancelled, credited: m(10_000), ..sent(10_000) };
        assert_eq!(cancelled.receive_anyway(m(500)).to.status, S::Cancelled);
    }

    #[test]
    fn credits_follow_the_amounts() {
        let paid = sent(10_000).pay(m(10_000)).unwrap().to;
        let credited = paid.credit(m(3_000)).unwrap().to;
        assert_eq!((credited.status, credited.balance()), (S::Paid, m(-3_000)));
        let cancelled = sent(10_000).credit(m(10_000)).unwrap().to;
        assert_eq!(cancelled.status, S::Cancelled);
        assert_eq!(sent(10_000).credit(m(10_001)), None, "never more than the total");
        assert_eq!(cancelled.credit(m(1)), None);
        let part_paid = sent(10_000).pay(m(6_000)).unwrap().to;
        assert_eq!(part_paid.credit(m(4_000)).unwrap().to.status, S::Paid, "what was paid now covers it");
    }

    #[test]
    fn refunds_give_back_at_most_what_is_owed() {
        let owed = sent(10_000).pay(m(10_000)).unwrap().to.credit(m(3_000)).unwrap().to;
        assert_eq!(owed.refund(m(3_001)), None);
        let refunded = owed.refund(m(3_000)).unwrap().to;
        assert_eq!((refunded.paid, refunded.balance(), refunded.status), (m(7_000), m(0), S::Paid));
        assert_eq!(refunded.refund(m(1)), None, "nothing more is owed");
        assert_eq!(sent(10_000).refund(m(100)), None, "nothing was paid");
    }

    #[test]
    fn sending_keeps_the_payment_state() {
        let issued = Settlement { status: S::Issued, ..sent(100) };
        assert_eq!(issued.send().unwrap().to.status, S::Sent);
        let paid = sent(100).pay(m(100)).unwrap().to;
        assert_eq!(paid.send().unwrap().to.status, S::Paid);
        assert_eq!(Settlement { status: S::Cancelled, ..sent(100) }.send(), None);
    }
}
