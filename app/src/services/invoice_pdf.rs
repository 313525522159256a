//! What an invoice or credit note's PDF says, as French text formatted by the domain code,
//! and rendering it through the [`crate::ports::PdfRenderer`] port off the async runtime.

use crate::domain::date::french_date;
use crate::domain::transfer_qr;
use crate::domain::{
    BusinessProfileInput, ClientInput, ClientKind, DocumentKind, InvoiceStatus, Money, OperationNature,
    PaymentMethod, ProviderMode, VatRegime,
};
use crate::error::AppError;
use crate::ports::{
    BusinessId, InvoiceId, InvoiceRecord, PaymentRecord, PdfClient, PdfDocument, PdfLine, PdfLogo,
    PdfPayment, PdfSeller, PdfTotals, PdfVatLine,
};
use crate::state::AppState;

fn address(line1: &str, line2: &str, postal_code: &str, city: &str) -> Vec<String> {
    [line1.to_owned(), line2.to_owned(), format!("{postal_code} {city}").trim().to_owned()]
        .into_iter()
        .filter(|l| !l.is_empty())
        .collect()
}

pub(super) fn seller(s: &BusinessProfileInput) -> PdfSeller {
    let profile = s.validate().ok();
    let (siret, siren) = match &profile {
        Some(p) => (p.siret.to_string(), p.siret.siren().to_string()),
        None => (s.siret.clone(), s.siret.chars().take(9).collect()),
    };
    let vat_number = match profile.as_ref().map(|p| &p.vat) {
        Some(VatRegime::Vat(number)) => Some(number.as_str().to_owned()),
        _ => None,
    };
    let some = |v: &str| Some(v.to_owned()).filter(|v| !v.is_empty());
    PdfSeller {
        name: s.name.clone(),
        address: address(&s.address_line1, &s.address_line2, &s.postal_code, &s.city),
        siret,
        siren,
        email: s.email.clone(),
        phone: some(&s.phone),
        vat_number,
        iban: some(&s.iban),
        bic: some(&s.bic),
    }
}

pub(super) fn client(c: &ClientInput) -> PdfClient {
    let business = c.kind == ClientKind::Business.code();
    PdfClient {
        name: c.name.clone(),
        address: address(&c.address_line1, &c.address_line2, &c.postal_code, &c.city),
        siren: Some(c.siren.clone()).filter(|s| business && !s.is_empty()),
        delivery: None,
    }
}

/// How each accepted method reads on the PDF; the template prints the bank details itself.
fn method_text(method: PaymentMethod, seller: &BusinessProfileInput) -> String {
    match method {
        PaymentMethod::Transfer => "Virement bancaire".into(),
        PaymentMethod::Cheque => format!("Chèque à l'ordre de {}", seller.name),
        PaymentMethod::PaymentLink => {
            "Paiement en ligne par carte : lien et QR code « Payer en ligne » en bas de la facture".into()
        }
        other => other.label().into(),
    }
}

/// The table rows of the lines that read and the totals block (what was paid left to the
/// caller): the same for invoices, credit notes and quotes.
pub(super) fn lines_and_totals(
    inputs: &[crate::domain::LineInput],
    franchise: bool,
) -> (Vec<PdfLine>, PdfTotals) {
    let lines: Vec<_> = inputs.iter().filter_map(|l| l.parse(franchise).ok()).collect();
    let totals = crate::domain::invoice_lines::totals(&lines);
    let rows = lines
        .iter()
        .map(|l| {
            let discount = if l.discount_bp > 0 {
                format!(
                    " (remise {} %)",
                    crate::domain::business_profile::format_rate_bp(l.discount_bp as u32)
                )
            } else {
                String::new()
            };
            PdfLine {
                description: l.description.clone(),
                quantity: format!("{} {}", l.quantity, l.unit).trim().to_owned(),
                unit_price: format!("{}{discount}", l.unit_price),
                vat_rate: (!franchise).then(|| l.vat_rate.label().to_owned()),
                total: l.total_ht().to_string(),
            }
        })
        .collect();
    let block = PdfTotals {
        ht: totals.ht.to_string(),
        vat: totals
            .vat
            .iter()
            .map(|v| PdfVatLine {
                label: format!("TVA {} sur {}", v.rate.label(), v.base),
                amount: v.vat.to_string(),
            })
            .collect(),
        tax: (!franchise).then(|| totals.tax.to_string()),
        ttc: totals.ttc.to_string(),
        paid: None,
        due: None,
    };
    (rows, block)
}

/// The document for `invoice`, given its payments, the invoice it corrects (for a credit
/// note), its pay link and the business's logo. `acquitted` asks for the receipt version.
pub fn document(
    invoice: &InvoiceRecord,
    payments: &[PaymentRecord],
    corrects: Option<&str>,
    pay_url: Option<String>,
    logo: Option<PdfLogo>,
    acquitted: bool,
) -> PdfDocument {
    let seller_input = invoice.seller.clone().unwrap_or_default();
    let client_input = invoice.client.clone().unwrap_or_default();
    let (seller_input, client_input) = (&seller_input, &client_input);
    let franchise = seller_input.is_franchise();
    let credit_note = invoice.kind == DocumentKind::CreditNote;
    let content = &invoice.content;
    let (pdf_lines, totals) = lines_and_totals(&content.lines, franchise);
    let operation = OperationNature::ALL
        .into_iter()
        .find(|o| o.code() == content.operation)
        .map_or_else(String::new, |o| o.label().to_owned());
    let service = if content.service_end.is_empty() {
        format!("Date de la vente ou de la prestation : {}", french_date(&content.service_date))
    } else {
        format!(
            "Période : du {} au {}",
            french_date(&content.service_date),
            french_date(&content.service_end)
        )
    };
    let methods: Vec<PaymentMethod> =
        content.payment_methods.iter().filter_map(|c| PaymentMethod::from_code(c)).collect();
    let online = methods.contains(&PaymentMethod::PaymentLink);
    let business_client = client_input.kind == ClientKind::Business.code();
    let mut legal = Vec::new();
    if credit_note {
        legal.extend(corrects.map(|n| format!("Avoir émis en correction de la facture {n}.")));
    } else {
        legal.push(format!("Paiement au plus tard le {}.", french_date(&invoice.due_date)));
        legal.push(format!(
            "En cas de retard de paiement, pénalités exigibles au taux annuel de {} % (art. L441-10 du Code de commerce).",
            seller_input.late_penalty_rate
        ));
        if business_client {
            legal.push(
                "Indemnité forfaitaire pour frais de recouvrement en cas de retard de paiement : 40 € (art. D441-5 du Code de commerce)."
                    .into(),
            );
        }
        legal.push("Pas d'escompte pour paiement anticipé.".into());
    }
    if !operation.is_empty() {
        legal.push(format!("Nature de l'opération : {operation}."));
    }
    if seller_input.on_debits() {
        legal.push(format!("{}.", VatRegime::DEBITS_MENTION));
    }
    // The issued document shows what was paid before it was issued and never changes
    // afterwards; what the client paid later is shown by the « facture acquittée ».
    let acquitted = acquitted && invoice.status == InvoiceStatus::Paid;
    let (paid, balance) = if acquitted {
        (invoice.amount_paid, invoice.balance())
    } else {
        let paid = prepaid(invoice);
        (paid, invoice.total_ttc - paid)
    };
    let receipt = acquitted.then(|| {
        payments
            .iter()
            .map(|p| {
                let method = PaymentMethod::received_label(&p.method);
                format!("Payée le {} ({}) : {}", french_date(&p.received_on), method.to_lowercase(), p.amount)
            })
            .collect()
    });
    PdfDocument {
        kind: if credit_note { "credit_note" } else { "invoice" },
        title: match (credit_note, content.deposit) {
            (true, _) => "AVOIR",
            (false, true) => "FACTURE D'ACOMPTE",
            (false, false) => "FACTURE",
        },
        number: invoice.number.clone().unwrap_or_default(),
        corrects: match (credit_note, content.quote_id) {
            (true, _) => corrects.map(|n| format!("Avoir sur la facture {n}")),
            (false, Some(_)) if content.deposit => {
                Some(format!("Acompte sur le devis {}", content.quote_number))
            }
            (false, Some(_)) => Some(format!("Selon le devis {} accepté", content.quote_number)),
            (false, None) => None,
        },
        issue_date: french_date(&invoice.issue_date),
        service,
        due_date: (!credit_note).then(|| french_date(&invoice.due_date)),
        operation,
        seller: seller(seller_input),
        client: PdfClient {
            delivery: content.has_delivery().then(|| {
                address(&content.delivery_line1, "", &content.delivery_postal_code, &content.delivery_city)
            }),
            ..client(client_input)
        },
        lines: pdf_lines,
        show_vat: !franchise,
        totals: PdfTotals {
            paid: (!credit_note && paid.cents() > 0).then(|| paid.to_string()),
            due: (!credit_note).then(|| Money::from_cents(balance.cents().max(0)).to_string()),
            ..totals
        },
        franchise_mention: franchise.then(|| VatRegime::FRANCHISE_MENTION.to_owned()),
        payment: PdfPayment {
            methods: if credit_note {
                Vec::new()
            } else {
                methods.iter().map(|m| method_text(*m, seller_input)).collect()
            },
            pay_url: pay_url.filter(|_| online && !credit_note && balance.cents() > 0),
            transfer_qr: match (credit_note, invoice.number.as_deref()) {
                (false, Some(number)) if content.transfer_qr => {
                    transfer_qr::for_invoice(seller_input, &methods, number, balance)
                }
                _ => None,
            },
        },
        legal,
        brand_color: seller_input.brand_color.clone(),
        logo,
        acquitted: receipt,
        test_notice: (acquitted && payments.iter().any(|p| p.test))
            .then(|| ProviderMode::TEST_NOTICE.to_owned()),
        quote: None,
        facturx: None,
    }
}

/// What was paid on `invoice` before it was numbered (a deposit paid by card), as frozen when
/// it was issued: nothing for a credit note.
fn prepaid(invoice: &InvoiceRecord) -> Money {
    match invoice.kind {
        DocumentKind::CreditNote => Money::ZERO,
        DocumentKind::Invoice => Money::from_cents(invoice.content.prepaid_cents),
    }
}

/// « Facture F-2026-0001.pdf », « Avoir A-2026-0001.pdf », « Facture acquittée … ».
pub fn file_name(invoice: &InvoiceRecord, acquitted: bool) -> String {
    let kind = match (invoice.kind, acquitted) {
        (DocumentKind::CreditNote, _) => "Avoir",
        (DocumentKind::Invoice, true) => "Facture acquittée",
        (DocumentKind::Invoice, false) => "Facture",
    };
    format!("{kind} {}.pdf", invoice.number.clone().unwrap_or_default())
}

/// The PDF of an issued invoice or credit note of this business, and its file name.
pub async fn render(
    state: &AppState,
    business_id: BusinessId,
    id: InvoiceId,
    acquitted: bool,
) -> Result<(String, Vec<u8>), AppError> {
    use super::invoices;
    let invoice = invoices::get(state, business_id, id).await?;
    if invoice.status == InvoiceStatus::Draft {
        return Err(AppError::Refused("Un brouillon n'a pas de PDF : émettez d'abord la facture.".into()));
    }
    if acquitted && invoice.status != InvoiceStatus::Paid {
        return Err(AppError::Refused("Seule une facture payée peut être téléchargée acquittée.".into()));
    }
    render_record(state, business_id, &invoice, acquitted).await
}

/// The `factur-x.xml` of an issued invoice or credit note of this business alone (the one its
/// PDF carries), and its file name.
pub async fn facturx(
    state: &AppState,
    business_id: BusinessId,
    id: InvoiceId,
) -> Result<(String, String), AppError> {
    use super::invoices;
    let invoice = invoices::get(state, business_id, id).await?;
    let Some(number) = invoice.number.clone() else {
        return Err(AppError::Refused(
            "Un brouillon n'a pas de facture électronique : émettez d'abord la facture.".into(),
        ));
    };
    let corrected = corrected(state, business_id, &invoice).await?;
    let xml = facturx_xml(&invoice, corrected.as_ref())
        .ok_or_else(|| super::internal("Factur-X", format!("no XML for issued document {id}")))?;
    Ok((format!("Factur-X {number}.xml"), xml.xml))
}

/// The invoice a credit note corrects.
async fn corrected(
    state: &AppState,
    business_id: BusinessId,
    invoice: &InvoiceRecord,
) -> Result<Option<InvoiceRecord>, AppError> {
    match invoice.credited_invoice_id {
        Some(other) => Ok(Some(super::invoices::get(state, business_id, other).await?)),
        None => Ok(None),
    }
}

/// The PDF an e-mail attaches, as the document stands when the message leaves: the receipt
/// version while the invoice is paid (a refund in between makes it the plain invoice again).
pub async fn attachment(
    state: &AppState,
    business_id: BusinessId,
    invoice: &InvoiceRecord,
    acquitted: bool,
) -> Result<(String, Vec<u8>), AppError> {
    let acquitted = acquitted && invoice.status == InvoiceStatus::Paid;
    render_record(state, business_id, invoice, acquitted).await
}

/// The PDF of `invoice`: as issued, or its receipt version with its payments.
async fn render_record(
    state: &AppState,
    business_id: BusinessId,
    invoice: &InvoiceRecord,
    acquitted: bool,
) -> Result<(String, Vec<u8>), AppError> {
    use super::invoices;
    // Only the receipt lists payments; the issued document is its frozen snapshot.
    let payments = match acquitted {
        true => invoices::payments(state, business_id, invoice.id).await?,
        false => Vec::new(),
    };
    // An issued document's PDF is rendered from its frozen snapshot alone, so it is the same
    // file for ever (and on every instance); the receipt version changes with the money paid.
    let key = invoice.number.as_ref().map(|number| match acquitted {
        false => format!("{business_id}/{}/{number}/issued", invoice.id),
        true => format!(
            "{business_id}/{}/{number}/acquitted/{}/{}/{}",
            invoice.id,
            invoice.status.code(),
            invoice.amount_paid.cents(),
            payments.len()
        ),
    });
    if let Some(pdf) = key.as_deref().and_then(|k| state.pdf_cache.get(k)) {
        return Ok((file_name(invoice, acquitted), pdf.as_ref().clone()));
    }
    let corrected = corrected(state, business_id, invoice).await?;
    let corrects = corrected.as_ref().and_then(|c| c.number.clone());
    // An issued document keeps the logo it was issued with; a draft shows today's.
    let logo_file = match invoice.number {
        Some(_) => invoice.logo_file.clone(),
        None => state.store.business(business_id).await?.logo_file,
    };
    let logo = logo(state, logo_file).await;
    let mut doc =
        document(invoice, &payments, corrects.as_deref(), invoices::pay_url(state, invoice), logo, acquitted);
    // The « facture acquittée » is a receipt, not the e-invoice itself.
    if !acquitted {
        doc.facturx = facturx_xml(invoice, corrected.as_ref());
    }
    let bytes = rendered(state, doc).await?;
    if let Some(key) = key {
        state.pdf_cache.put(key, std::sync::Arc::new(bytes.clone()));
    }
    Ok((file_name(invoice, acquitted), bytes))
}

/// An issued invoice's or credit note's `factur-x.xml`, from its frozen snapshot: later
/// payments do not change the issued document.
fn facturx_xml(
    invoice: &InvoiceRecord,
    corrected: Option<&InvoiceRecord>,
) -> Option<crate::ports::PdfFacturx> {
    use crate::domain::facturx::{cii_xml, FacturxDocument, FacturxKind};
    use crate::domain::Date;
    let number = invoice.number.as_deref()?;
    let (seller, buyer) = (invoice.seller.as_ref()?, invoice.client.as_ref()?);
    let content = &invoice.content;
    let franchise = seller.is_franchise();
    let lines: Vec<crate::domain::InvoiceLine> =
        content.lines.iter().filter_map(|l| l.parse(franchise).ok()).collect();
    let totals = crate::domain::invoice_lines::totals(&lines);
    let issue_date = Date::parse(&invoice.issue_date).ok()?;
    let kind = match invoice.kind {
        DocumentKind::CreditNote => {
            let corrected = corrected?;
            FacturxKind::CreditNote {
                corrects: corrected.number.clone()?,
                corrects_date: Date::parse(&corrected.issue_date).ok()?,
            }
        }
        DocumentKind::Invoice if content.deposit => FacturxKind::Deposit,
        DocumentKind::Invoice => FacturxKind::Invoice,
    };
    let methods: Vec<PaymentMethod> =
        content.payment_methods.iter().filter_map(|c| PaymentMethod::from_code(c)).collect();
    let xml = cii_xml(&FacturxDocument {
        kind,
        number,
        issue_date,
        delivery_date: Date::parse(&content.service_date).unwrap_or(issue_date),
        due_date: Date::parse(&invoice.due_date).ok(),
        operation: OperationNature::from_code(&content.operation).unwrap_or(OperationNature::Services),
        delivery: content.has_delivery().then_some([
            content.delivery_line1.as_str(),
            content.delivery_postal_code.as_str(),
            content.delivery_city.as_str(),
        ]),
        seller,
        buyer,
        lines: &lines,
        totals: &totals,
        prepaid: prepaid(invoice),
        after_deposits: content.deducts_deposits(),
        methods: &methods,
    });
    let (year, month, day) = issue_date.ymd();
    Some(crate::ports::PdfFacturx { xml, year, month, day })
}

/// A logo file of the business's, as the PDF embeds it (none when the file is gone).
pub(super) async fn logo(state: &AppState, file: Option<String>) -> Option<PdfLogo> {
    let file = file?;
    let format = if file.ends_with(".png") { "png" } else { "jpg" };
    let bytes = tokio::fs::read(state.settings.logo_dir().join(&file)).await.ok()?;
    Some(PdfLogo { bytes, format })
}

/// Renders `doc` on the CPU pool.
pub(super) async fn rendered(state: &AppState, doc: PdfDocument) -> Result<Vec<u8>, AppError> {
    let renderer = state.pdf.clone();
    super::cpu::run("rendering a PDF", move || renderer.render(&doc))
        .await?
        .map_err(|e| super::internal("PDF rendering", e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{InvoiceInput, LineInput};
    use crate::ports::InvoiceRecord;

    fn record(client_kind: &str, methods: &[&str]) -> InvoiceRecord {
        let seller = BusinessProfileInput {
            name: "Marie Dupont EI".into(),
            address_line1: "12 rue des Lilas".into(),
            postal_code: "75011".into(),
            city: "Paris".into(),
            email: "contact@exemple.fr".into(),
            siret: "73282932000074".into(),
            iban: "FR7630006000011234567890189".into(),
            ..BusinessProfileInput::new_business_defaults()
        };
        let client = ClientInput {
            kind: client_kind.into(),
            name: "Boulangerie Martin".into(),
            siren: "732829320".into(),
            address_line1: "3 place du Marché".into(),
            postal_code: "69001".into(),
            city: "Lyon".into(),
            ..ClientInput::default()
        };
        let line =
            LineInput { description: "Conseil".into(), unit_price: "100".into(), ..LineInput::default() };
        InvoiceRecord {
            id: 1,
            kind: DocumentKind::Invoice,
            status: InvoiceStatus::Issued,
            number: Some("F-2026-0001".into()),
            content: InvoiceInput {
                issue_date: "2026-11-27".into(),
                service_date: "2026-11-20".into(),
                due_date: "2026-12-27".into(),
                lines: vec![line],
                payment_methods: methods.iter().map(|m| m.to_string()).collect(),
                ..InvoiceInput::default()
            },
            client_name: "Boulangerie Martin".into(),
            issue_date: "2026-11-27".into(),
            due_date: "2026-12-27".into(),
            total_ht: Money::from_cents(10_000),
            total_tax: Money::from_cents(0),
            total_ttc: Money::from_cents(10_000),
            amount_paid: Money::from_cents(0),
            amount_credited: Money::from_cents(0),
            credited_invoice_id: None,
            pay_token_salt: None,
            seller: Some(seller),
            client: Some(client),
            logo_file: None,
        }
    }

    #[test]
    fn the_mandatory_mentions_follow_the_client_and_the_regime() {
        let doc = document(&record("business", &["transfer"]), &[], None, None, None, false);
        assert_eq!(doc.title, "FACTURE");
        assert_eq!(doc.seller.siret, "732 829 320 00074");
        assert_eq!(doc.client.siren.as_deref(), Some("732829320"));
        assert_eq!(doc.franchise_mention.as_deref(), Some(VatRegime::FRANCHISE_MENTION));
        assert!(!doc.show_vat);
        assert!(doc.legal.iter().any(|l| l.contains("40 €")), "business clients: the recovery indemnity");
        assert!(doc.legal.iter().any(|l| l.contains("pénalités") && l.contains("10 %")));
        assert!(doc.legal.iter().any(|l| l.contains("escompte")));
        assert_eq!(doc.totals.due.as_deref(), Some("100,00\u{a0}€"));

        let person = document(&record("person", &["transfer"]), &[], None, None, None, false);
        assert!(person.client.siren.is_none());
        assert!(!person.legal.iter().any(|l| l.contains("40 €")), "not for private persons");
    }

    #[test]
    fn the_pay_link_is_printed_only_when_online_payment_is_accepted() {
        let url = Some("https://reglo.fr/pay/abc".to_string());
        let without = document(&record("business", &["transfer"]), &[], None, url.clone(), None, false);
        assert!(without.payment.pay_url.is_none());
        let with = document(&record("business", &["transfer", "payment_link"]), &[], None, url, None, false);
        assert_eq!(with.payment.pay_url.as_deref(), Some("https://reglo.fr/pay/abc"));
    }

    #[test]
    fn the_transfer_qr_code_asks_for_what_was_due_at_issue_when_transfers_are_accepted() {
        let qr =
            |invoice: &InvoiceRecord| document(invoice, &[], None, None, None, false).payment.transfer_qr;
        let mut invoice = record("business", &["transfer", "payment_link"]);
        assert!(qr(&invoice).is_none(), "issued before the code existed: its PDF stays as sent");
        invoice.content.transfer_qr = true;
        assert_eq!(
            qr(&invoice).as_deref(),
            Some("BCD\n002\n1\nSCT\n\nMarie Dupont EI\nFR7630006000011234567890189\nEUR100.00\n\n\nF-2026-0001")
        );
        invoice.content.prepaid_cents = 3_000;
        assert!(qr(&invoice).unwrap().contains("\nEUR70.00\n"), "a deposit paid before issue is deducted");
        invoice.amount_paid = Money::from_cents(10_000);
        assert!(qr(&invoice).unwrap().contains("\nEUR70.00\n"), "the issued document never changes");
        let mut cheque = record("business", &["cheque", "payment_link"]);
        cheque.content.transfer_qr = true;
        assert!(qr(&cheque).is_none(), "no transfer, no code");
    }

    #[test]
    fn a_receipt_lists_the_payments_of_a_paid_invoice() {
        let mut paid = record("business", &["cheque"]);
        paid.status = InvoiceStatus::Paid;
        paid.amount_paid = Money::from_cents(10_000);
        let payments = [PaymentRecord {
            amount: Money::from_cents(10_000),
            method: "cheque".into(),
            received_on: "2026-11-28".into(),
            ..Default::default()
        }];
        let doc = document(&paid, &payments, None, None, None, true);
        assert_eq!(doc.acquitted, Some(vec!["Payée le 28/11/2026 (chèque) : 100,00\u{a0}€".to_string()]));
        assert_eq!(file_name(&paid, true), "Facture acquittée F-2026-0001.pdf");
        assert_eq!(doc.test_notice, None, "a real payment is not marked");
        let test = [PaymentRecord { method: "online_card".into(), test: true, ..payments[0].clone() }];
        let doc = document(&paid, &test, None, None, None, true);
        assert_eq!(doc.test_notice.as_deref(), Some("TEST — aucun paiement réel"));
    }
}
