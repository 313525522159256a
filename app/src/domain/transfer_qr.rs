//! The EPC QR code of a SEPA credit transfer (European Payments Council, EPC069-12 version 002,
//! « SCT »): what a banking app scans to pre-fill a transfer to the business, with the amount
//! due and the invoice number as the remittance information.

use super::{Bic, BusinessProfileInput, Iban, Money, PaymentMethod};

/// A payload holds at most 331 bytes (the QR code's version 13 at error correction level M).
const MAX_BYTES: usize = 331;
/// Banks take at most 999 999 999,99 € through a QR code.
const MAX_CENTS: i64 = 99_999_999_999;

/// The transfer a client is asked to make.
pub struct Transfer<'a> {
    pub beneficiary: &'a str,
    pub iban: &'a Iban,
    pub bic: Option<&'a Bic>,
    pub amount: Money,
    /// The invoice number: what the business reads on its bank statement.
    pub reference: &'a str,
}

/// The QR code's text: one element per line, UTF-8 (character set 1), the last populated
/// element without a line feed. `None` when there is nothing to pay or the text would not fit.
pub fn epc_payload(t: &Transfer) -> Option<String> {
    if t.amount.cents() < 1 || t.amount.cents() > MAX_CENTS {
        return None;
    }
    let one_line = |text: &str, max: usize| -> String {
        text.split_whitespace().collect::<Vec<_>>().join(" ").chars().take(max).collect()
    };
    let cents = t.amount.cents();
    let payload = [
        "BCD".to_owned(),
        "002".to_owned(),
        "1".to_owned(),
        "SCT".to_owned(),
        t.bic.map(|b| b.as_str().to_owned()).unwrap_or_default(),
        one_line(t.beneficiary, 70),
        t.iban.as_str().to_owned(),
        format!("EUR{}.{:02}", cents / 100, cents % 100),
        String::new(), // purpose
        String::new(), // structured creditor reference (RF…)
        one_line(t.reference, 140),
    ]
    .join("\n");
    (payload.len() <= MAX_BYTES && !t.beneficiary.trim().is_empty()).then_some(payload)
}

/// The payload for an invoice of `seller` (as frozen when it was issued) that accepts
/// `methods`, when « Virement » is one of them and the business has a valid IBAN.
pub fn for_invoice(
    seller: &BusinessProfileInput,
    methods: &[PaymentMethod],
    number: &str,
    amount: Money,
) -> Option<String> {
    if !methods.contains(&PaymentMethod::Transfer) {
        return None;
    }
    let iban = Iban::parse(&seller.iban).ok()?;
    let bic = Bic::parse(&seller.bic).ok();
    epc_payload(&Transfer {
        beneficiary: &seller.name,
        iban: &iban,
        bic: bic.as_ref(),
        amount,
        reference: number,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iban() -> Iban {
        Iban::parse("FR76 3000 6000 0112 3456 7890 189").unwrap()
    }

    #[test]
    fn the_payload_follows_epc069_12_version_2_byte_for_byte() {
        let bic = Bic::parse("AGRIFRPP").unwrap();
        let t = Transfer {
            beneficiary: "Marie Dupont EI",
            iban: &iban(),
            bic: Some(&bic),
            amount: Money::from_cents(137_159),
            reference: "F-2026-0042",
        };
        assert_eq!(
            epc_payload(&t).unwrap(),
            "BCD\n002\n1\nSCT\nAGRIFRPP\nMarie Dupont EI\nFR7630006000011234567890189\nEUR1371.59\n\n\nF-2026-0042"
        );
    }

    #[test]
    fn without_a_bic_the_line_stays_empty_and_names_are_one_line_of_70_characters() {
        let long = format!("Société  des\nÉtablissements {}", "x".repeat(80));
        let t = Transfer {
            beneficiary: &long,
            iban: &iban(),
            bic: None,
            amount: Money::from_cents(5),
            reference: "F-1",
        };
        let payload = epc_payload(&t).unwrap();
        let lines: Vec<&str> = payload.split('\n').collect();
        assert_eq!(lines.len(), 11);
        assert_eq!(lines[4], "");
        assert_eq!(lines[5].chars().count(), 70);
        assert!(lines[5].starts_with("Société des Établissements xxx"));
        assert_eq!(lines[7], "EUR0.05");
    }

    #[test]
    fn nothing_to_pay_or_too_much_gives_no_code() {
        let iban = iban();
        let t = |cents| Transfer {
            beneficiary: "Marie Dupont EI",
            iban: &iban,
            bic: None,
            amount: Money::from_cents(cents),
            reference: "F-1",
        };
        assert!(epc_payload(&t(0)).is_none());
        assert!(epc_payload(&t(-100)).is_none());
        assert!(epc_payload(&t(MAX_CENTS + 1)).is_none());
        assert_eq!(epc_payload(&t(MAX_CENTS)).unwrap().split('\n').nth(7), Some("EUR999999999.99"));
    }

    #[test]
    fn an_invoice_gets_a_code_only_when_it_accepts_transfers_to_a_valid_iban() {
        let mut seller = BusinessProfileInput {
            name: "Marie Dupont EI".into(),
            iban: "FR76 3000 6000 0112 3456 7890 189".into(),
            ..BusinessProfileInput::default()
        };
        let amount = Money::from_cents(15_000);
        let transfer = [PaymentMethod::Transfer, PaymentMethod::PaymentLink];
        assert!(for_invoice(&seller, &transfer, "F-1", amount).is_some());
        assert!(for_invoice(&seller, &[PaymentMethod::PaymentLink], "F-1", amount).is_none());
        seller.iban = "FR76 3000 6000 0112 3456 7890 188".into();
        assert!(for_invoice(&seller, &transfer, "F-1", amount).is_none(), "invalid IBAN");
    }
}
