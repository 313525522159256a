//! Credit notes (« avoirs »): the only way to correct or cancel an issued invoice. A credit note
//! has its own number sequence and credits all of the invoice or some lines of it.

use super::invoice::LineInput;
use super::invoice_lines::{totals, InvoiceLine, Totals};
use super::invoice_status::InvoiceStatus;
use super::{FieldErrors, Money};
use serde::{Deserialize, Serialize};

/// What the entrepreneur asks to credit.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CreditNoteInput {
    /// Credit the whole invoice (cancel it); `lines` is then ignored.
    pub full: bool,
    /// The lines to credit, as typed (quantities and prices of what is given back).
    pub lines: Vec<LineInput>,
    /// Why, printed on the credit note.
    pub reason: String,
}

/// A credit note ready to be numbered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidCreditNote {
    pub lines: Vec<LineInput>,
    pub totals: Totals,
    pub reason: String,
}

/// What the invoice being credited already carries.
#[derive(Debug, Clone, Copy)]
pub struct Creditable {
    pub total_ttc: Money,
    pub already_credited: Money,
}

impl Creditable {
    pub fn remaining(self) -> Money {
        self.total_ttc - self.already_credited
    }
}

impl CreditNoteInput {
    pub const MAX_REASON: usize = 1_000;

    /// Checks the request against the invoice's lines and what it still has to credit.
    pub fn validate(
        &self,
        invoice_lines: &[LineInput],
        franchise: bool,
        creditable: Creditable,
    ) -> Result<ValidCreditNote, FieldErrors> {
        let mut errors = FieldErrors::default();
        let reason = self.reason.trim().to_owned();
        if reason.chars().count() > Self::MAX_REASON {
            errors.push("reason", format!("{} caractères au maximum.", Self::MAX_REASON));
        }
        let input_lines: &[LineInput] = if self.full {
            if creditable.already_credited.cents() != 0 {
                errors.push(
                    "full",
                    "Un avoir existe déjà pour cette facture : saisissez les lignes qui restent à annuler.",
                );
            }
            invoice_lines
        } else {
            &self.lines
        };
        if input_lines.is_empty() {
            errors.push("lines", "Ajoutez au moins une ligne à l'avoir.");
        } else if input_lines.len() > super::InvoiceInput::MAX_LINES {
            errors.push("lines", format!("{} lignes au maximum.", super::InvoiceInput::MAX_LINES));
        }
        let mut parsed: Vec<InvoiceLine> = Vec::new();
        for (i, line) in input_lines.iter().take(super::InvoiceInput::MAX_LINES).enumerate() {
            match line.parse(franchise) {
                Ok(l) => match super::invoice::check_price(&l, false) {
                    Ok(()) => parsed.push(l),
                    Err(e) => errors.push(&format!("lines.{i}.unit_price"), e),
                },
                Err(line_errors) => {
                    for e in line_errors.0 {
                        errors.push(&format!("lines.{i}.{}", e.field), e.message);
                    }
                }
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let totals = totals(&parsed);
        if totals.ttc.cents() <= 0 {
            errors.push("lines", "Le montant de l'avoir doit être positif.");
        } else if totals.ttc > creditable.remaining() {
            errors.push(
                "lines",
                format!(
                    "L'avoir ({}) dépasse ce qui reste à créditer sur la facture ({}).",
                    totals.ttc,
                    creditable.remaining()
                ),
            );
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(ValidCreditNote { lines: input_lines.to_vec(), totals, reason })
    }
}

/// An invoice's stored status once `credited` (in all) has been credited: cancelled when nothing
/// is left, paid when what was paid covers what is left, unchanged otherwise.
pub fn status_after_credit(
    status: InvoiceStatus,
    total_ttc: Money,
    paid: Money,
    credited: Money,
) -> InvoiceStatus {
    let left = total_ttc - credited;
    if left.cents() <= 0 {
        InvoiceStatus::Cancelled
    } else if paid.cents() > 0 && paid >= left {
        InvoiceStatus::Paid
    } else {
        status
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(description: &str, quantity: &str, price: &str) -> LineInput {
        LineInput {
            description: description.into(),
            quantity: quantity.into(),
            unit_price: price.into(),
            vat_rate: "20".into(),
            ..LineInput::default()
        }
    }

    fn invoice_lines() -> Vec<LineInput> {
        vec![line("Développement", "10", "50"), line("Hébergement", "1", "100")]
    }

    const WHOLE: Creditable =
        Creditable { total_ttc: Money::from_cents(72_000), already_credited: Money::from_cents(0) };

    #[test]
    fn a_full_credit_copies_every_line() {
        let full = CreditNoteInput { full: true, ..Default::default() };
        let v = full.validate(&invoice_lines(), false, WHOLE).unwrap();
        assert_eq!(v.lines, invoice_lines());
        assert_eq!(v.totals.ttc, Money::from_cents(72_000));
    }

    #[test]
    fn a_partial_credit_is_bounded_by_what_is_left() {
        let part =
            CreditNoteInput { lines: vec![line("Remise commerciale", "1", "100")], ..Default::default() };
        assert_eq!(
            part.validate(&invoice_lines(), false, WHOLE).unwrap().totals.ttc,
            Money::from_cents(12_000)
        );
        let nearly_all = Creditable { already_credited: Money::from_cents(65_000), ..WHOLE };
        let errors = part.validate(&invoice_lines(), false, nearly_all).unwrap_err();
        assert!(errors.get("lines").unwrap().contains("70,00\u{a0}€"), "{errors:?}");
    }

    #[test]
    fn a_second_full_credit_is_refused() {
        let full = CreditNoteInput { full: true, ..Default::default() };
        let after_part = Creditable { already_credited: Money::from_cents(12_000), ..WHOLE };
        assert!(full.validate(&invoice_lines(), false, after_part).unwrap_err().get("full").is_some());
    }

    #[test]
    fn bad_lines_and_empty_credits_are_refused() {
        let nothing = CreditNoteInput::default();
        assert!(nothing.validate(&invoice_lines(), false, WHOLE).unwrap_err().get("lines").is_some());
        let zero = CreditNoteInput { lines: vec![line("Rien", "0", "10")], ..Default::default() };
        assert!(zero.validate(&invoice_lines(), false, WHOLE).is_err());
        let bad = CreditNoteInput { lines: vec![line("", "x", "10")], ..Default::default() };
        let errors = bad.validate(&invoice_lines(), false, WHOLE).unwrap_err();
        assert!(errors.get("lines.0.description").is_some() && errors.get("lines.0.quantity").is_some());
    }

    #[test]
    fn status_after_credits() {
        use InvoiceStatus as S;
        let m = Money::from_cents;
        assert_eq!(status_after_credit(S::Sent, m(100), m(0), m(100)), S::Cancelled);
        assert_eq!(status_after_credit(S::Paid, m(100), m(100), m(100)), S::Cancelled, "refund owed");
        assert_eq!(status_after_credit(S::PartiallyPaid, m(100), m(60), m(40)), S::Paid);
        assert_eq!(status_after_credit(S::PartiallyPaid, m(100), m(50), m(40)), S::PartiallyPaid);
        assert_eq!(status_after_credit(S::Issued, m(100), m(0), m(40)), S::Issued);
    }
}
