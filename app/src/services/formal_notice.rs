//! The « mise en demeure » of an overdue invoice: a formal letter claiming what is left to pay,
//! the late-payment penalties to date and, from a business client, the recovery indemnity, for
//! the entrepreneur to send by registered mail.

use crate::domain::business_profile::{format_rate_bp, parse_rate_bp};
use crate::domain::date::french_date;
use crate::domain::reminders::{days_late, penalties, RECOVERY_INDEMNITY};
use crate::domain::{BusinessProfile, ClientKind, Date, DocumentKind, Iban, Money};
use crate::error::AppError;
use crate::ports::{BusinessId, InvoiceId, InvoiceRecord, NoticeDocument};
use crate::state::AppState;

/// The letter for `invoice` on `today`, with its pay link: what is claimed is what the client
/// still owes today.
pub fn document(invoice: &InvoiceRecord, today: Date, pay_url: Option<&str>) -> NoticeDocument {
    let seller = invoice.seller.clone().unwrap_or_default();
    let client = invoice.client.clone().unwrap_or_default();
    let number = invoice.number.clone().unwrap_or_default();
    let due_date = Date::parse(&invoice.due_date).unwrap_or(today);
    let late = days_late(due_date, today);
    let owed = invoice.amount_due();
    let rate_bp =
        parse_rate_bp(&seller.late_penalty_rate).unwrap_or(BusinessProfile::DEFAULT_LATE_PENALTY_BP);
    let penalty = penalties(owed, rate_bp, late);
    let business_client = client.kind == ClientKind::Business.code();
    let mut claims = vec![
        [format!("Facture n° {number} du {}, reste à payer", french_date(&invoice.issue_date)), owed.to_string()],
        [
            format!(
                "Pénalités de retard au taux annuel de {} % du {} au {} ({late} jours, art. L441-10 du Code de commerce)",
                format_rate_bp(rate_bp),
                due_date.add_days(1).french(),
                today.french()
            ),
            penalty.to_string(),
        ],
    ];
    let mut total = owed + penalty;
    if business_client {
        claims.push([
            "Indemnité forfaitaire pour frais de recouvrement (art. D441-5 du Code de commerce)".into(),
            RECOVERY_INDEMNITY.to_string(),
        ]);
        total += RECOVERY_INDEMNITY;
    }
    let paid = invoice.amount_paid + invoice.amount_credited;
    let already = if paid > Money::ZERO {
        format!(" (déjà réglé ou crédité : {paid} ; reste dû : {owed})")
    } else {
        String::new()
    };
    let mut how = Vec::new();
    if let Ok(iban) = Iban::parse(&seller.iban) {
        how.push(format!("par virement sur le compte IBAN {iban}, en indiquant la référence {number}"));
    }
    if let Some(url) = pay_url {
        how.push(format!("par carte bancaire en ligne : {url}"));
    }
    let mut closing =
        vec!["Les pénalités de retard continuent de courir jusqu'au paiement complet.".to_owned()];
    if !how.is_empty() {
        closing.push(format!("Vous pouvez régler {}.", how.join(", ou ")));
    }
    closing.push(
        "À défaut de règlement dans ce délai, nous engagerons sans autre avis une procédure de recouvrement \
         judiciaire, notamment une requête en injonction de payer, dont les frais resteront à votre charge."
            .into(),
    );
    closing.push("Veuillez agréer, Madame, Monsieur, l'expression de nos salutations distinguées.".into());
    NoticeDocument {
        seller: super::invoice_pdf::seller(&seller),
        client: super::invoice_pdf::client(&client),
        place_and_date: format!("{}, le {}", seller.city.trim(), today.french()),
        delivery: "Lettre recommandée avec accusé de réception".into(),
        subject: format!("Mise en demeure de payer — facture n° {number}"),
        opening: vec![
            "Madame, Monsieur,".into(),
            format!(
                "Sauf erreur de notre part, et malgré nos relances, la facture n° {number} du {}, d'un montant de {} \
                 TTC, échue le {}, demeure impayée à ce jour{already}.",
                french_date(&invoice.issue_date),
                invoice.total_ttc,
                due_date.french()
            ),
            "Par la présente, nous vous mettons en demeure de nous régler, dans un délai de huit jours à compter \
             de la réception de ce courrier, les sommes suivantes :"
                .into(),
        ],
        claims,
        total: [format!("Total dû au {}", today.french()), total.to_string()],
        closing,
        brand_color: seller.brand_color.clone(),
    }
}

/// The letter's PDF for an overdue invoice of this business, and its file name.
pub async fn render(
    state: &AppState,
    business_id: BusinessId,
    id: InvoiceId,
) -> Result<(String, Vec<u8>), AppError> {
    let invoice = super::invoices::get(state, business_id, id).await?;
    let today = super::invoices::today(state);
    let overdue = Date::parse(&invoice.due_date).is_ok_and(|due| today > due);
    if invoice.kind != DocumentKind::Invoice
        || !invoice.status.awaits_payment()
        || invoice.amount_due() <= Money::ZERO
        || !overdue
    {
        return Err(AppError::Refused(
            "Une mise en demeure se prépare pour une facture dont l'échéance est passée et qui reste à payer.".into(),
        ));
    }
    let pay_url = super::invoices::pay_url(state, &invoice).filter(|_| {
        invoice.content.payment_methods.iter().any(|m| m == crate::domain::PaymentMethod::PaymentLink.code())
    });
    let document = document(&invoice, today, pay_url.as_deref());
    let renderer = state.pdf.clone();
    let bytes = super::cpu::run("rendering a formal notice", move || renderer.render_notice(&document))
        .await?
        .map_err(|e| super::internal("formal notice PDF", e))?;
    Ok((format!("Mise en demeure {}.pdf", invoice.number.unwrap_or_default()), bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{BusinessProfileInput, ClientInput, InvoiceStatus};

    fn overdue(kind: &str) -> InvoiceRecord {
        InvoiceRecord {
            id: 1,
            kind: DocumentKind::Invoice,
            status: InvoiceStatus::PartiallyPaid,
            number: Some("F-2026-0007".into()),
            content: Default::default(),
            client_name: "Boulangerie Martin".into(),
            issue_date: "2026-11-01".into(),
            due_date: "2026-12-01".into(),
            total_ht: Money::from_cents(100_000),
            total_tax: Money::ZERO,
            total_ttc: Money::from_cents(100_000),
            amount_paid: Money::from_cents(27_000),
            amount_credited: Money::ZERO,
            credited_invoice_id: None,
            pay_token_salt: None,
            seller: Some(BusinessProfileInput {
                name: "Marie Dupont EI".into(),
                city: "Paris".into(),
                iban: "FR7630006000011234567890189".into(),
                late_penalty_rate: "10".into(),
                ..BusinessProfileInput::default()
            }),
            client: Some(ClientInput {
                kind: kind.into(),
                name: "Boulangerie Martin".into(),
                ..ClientInput::default()
            }),
            logo_file: None,
        }
    }

    #[test]
    fn the_letter_claims_what_is_left_the_penalties_to_date_and_the_indemnity_from_a_business() {
        let today = Date::parse("2027-02-12").unwrap();
        let doc = document(&overdue("business"), today, Some("https://reglo.fr/pay/abc"));
        assert_eq!(doc.subject, "Mise en demeure de payer — facture n° F-2026-0007");
        assert_eq!(doc.place_and_date, "Paris, le 12/02/2027");
        // 730 € left, 73 days late at 10 % a year: 14,60 €; plus 40 €.
        let amounts: Vec<&str> = doc.claims.iter().map(|c| c[1].as_str()).collect();
        assert_eq!(amounts, ["730,00\u{a0}€", "14,60\u{a0}€", "40,00\u{a0}€"]);
        assert!(doc.claims[1][0].contains("du 02/12/2026 au 12/02/2027 (73 jours"), "{:?}", doc.claims);
        assert_eq!(doc.total, ["Total dû au 12/02/2027".to_string(), "784,60\u{a0}€".to_string()]);
        assert!(doc.opening[1].contains("déjà réglé ou crédité : 270,00\u{a0}€"), "{}", doc.opening[1]);
        let closing = doc.closing.join(" ");
        assert!(
            closing.contains("IBAN FR76 3000 6000 0112 3456 7890 189")
                && closing.contains("https://reglo.fr/pay/abc")
        );
        assert!(closing.contains("injonction de payer"));

        let person = document(&overdue("person"), today, None);
        assert_eq!(person.claims.len(), 2, "no indemnity from a private person");
        assert_eq!(person.total[1], "744,60\u{a0}€");
        assert!(!person.closing.join(" ").contains("en ligne"));
    }
}
