//! A quote's PDF, in the invoices' layout: « DEVIS », its validity, the deposit asked, its
//! conditions and the « Bon pour accord » block; once accepted, the accepted copy with its
//! audit page.

use super::invoice_pdf::{client, lines_and_totals, logo, rendered, seller};
use crate::domain::date::french_date;
use crate::domain::{Deposit, OperationNature, QuoteStatus, VatRegime};
use crate::error::AppError;
use crate::ports::{BusinessId, PdfDocument, PdfLogo, PdfPayment, PdfQuote, QuoteRecord};
use crate::state::AppState;

/// « Devis D-2026-0001.pdf », or « Devis accepté … » for the accepted copy.
pub fn file_name(quote: &QuoteRecord, accepted: bool) -> String {
    let kind = if accepted { "Devis accepté" } else { "Devis" };
    format!("{kind} {}.pdf", quote.number.clone().unwrap_or_default())
}

/// The document of a sent `quote`; `accepted` asks for the accepted copy (when it has an
/// answer accepting it).
pub fn document(quote: &QuoteRecord, logo: Option<PdfLogo>, accepted: bool) -> PdfDocument {
    let seller_input = quote.seller.clone().unwrap_or_default();
    let client_input = quote.client.clone().unwrap_or_default();
    let franchise = seller_input.is_franchise();
    let content = &quote.content;
    let (lines, totals) = lines_and_totals(&content.lines, franchise);
    let operation =
        OperationNature::from_code(&content.operation).map_or_else(String::new, |o| o.label().to_owned());
    let deposit = Deposit::parse(&content.deposit_percent, &content.deposit_amount).unwrap_or_default();
    let deposit = match deposit {
        Deposit::None => None,
        Deposit::Percent(bp) => Some(format!(
            "Acompte à l'acceptation : {} % du total, soit {}",
            crate::domain::business_profile::format_rate_bp(bp),
            quote.deposit
        )),
        Deposit::Amount(_) => Some(format!("Acompte à l'acceptation : {}", quote.deposit)),
    };
    let answer = quote.answer.as_ref().filter(|a| accepted && a.accepted);
    let accepted = answer.map(|a| {
        let at = crate::domain::Date::from_unix(a.at);
        let time = a.at.rem_euclid(86_400);
        let clock = format!("{:02}:{:02}:{:02}", time / 3600, time % 3600 / 60, time % 60);
        vec![
            format!("Accepté par {} le {}.", a.full_name, at.french()),
            "Mention « Bon pour accord » cochée sur la page du devis.".into(),
            format!("Horodatage : {} à {clock} UTC (horodatage Unix {}).", at.french(), a.at),
            format!("Adresse de connexion : {}", a.address),
            format!("Navigateur : {}", a.browser),
            format!("Empreinte SHA-256 du devis présenté au client : {}", a.pdf_sha256),
        ]
    });
    let mut legal = vec!["Devis gratuit. Les prix sont exprimés en euros.".to_owned()];
    if !operation.is_empty() {
        legal.push(format!("Nature de l'opération : {operation}."));
    }
    let seller = crate::ports::PdfSeller { iban: None, bic: None, ..seller(&seller_input) };
    PdfDocument {
        kind: "quote",
        title: "DEVIS",
        number: quote.number.clone().unwrap_or_default(),
        corrects: None,
        issue_date: french_date(&quote.date),
        service: String::new(),
        due_date: None,
        operation,
        seller,
        client: client(&client_input),
        lines,
        show_vat: !franchise,
        totals,
        franchise_mention: franchise.then(|| VatRegime::FRANCHISE_MENTION.to_owned()),
        payment: PdfPayment { methods: Vec::new(), pay_url: None, transfer_qr: None },
        legal,
        brand_color: seller_input.brand_color.clone(),
        logo,
        acquitted: None,
        test_notice: None,
        quote: Some(PdfQuote {
            valid_until: format!("Valable jusqu'au {}", french_date(&quote.valid_until)),
            deposit,
            conditions: content
                .conditions
                .split("\n\n")
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(str::to_owned)
                .collect(),
            accepted,
        }),
        facturx: None,
    }
}

/// The PDF of a sent quote of this business, and its file name. A sent quote never changes,
/// nor does its accepted copy once answered: both are rendered once.
pub async fn render(
    state: &AppState,
    business_id: BusinessId,
    quote: &QuoteRecord,
    accepted: bool,
) -> Result<(String, Vec<u8>), AppError> {
    let Some(number) = &quote.number else {
        return Err(AppError::Refused("Un brouillon n'a pas de PDF : envoyez d'abord le devis.".into()));
    };
    let accepted = accepted && matches!(quote.status, QuoteStatus::Accepted | QuoteStatus::Invoiced);
    let key = format!("{business_id}/quote/{}/{number}/{accepted}", quote.id);
    if let Some(pdf) = state.pdf_cache.get(&key) {
        return Ok((file_name(quote, accepted), pdf.as_ref().clone()));
    }
    let doc = document(quote, logo(state, quote.logo_file.clone()).await, accepted);
    let bytes = rendered(state, doc).await?;
    state.pdf_cache.put(key, std::sync::Arc::new(bytes.clone()));
    Ok((file_name(quote, accepted), bytes))
}
