//! The invoices a quote leads to: the « facture d'acompte » of a quote that asks for a deposit
//! (issued when its card payment lands, or on acceptance when it is paid otherwise), and the
//! final invoice (« Facturer ») that takes the quote's lines and deducts each deposit. Both are ordinary invoices that name their quote, so that
//! paying, sending and crediting them is what it is for any invoice.

use super::invoices::{self, today};
use crate::domain::business_profile::format_rate_bp;
use crate::domain::quote::{deduction_lines, deposit_lines};
use crate::domain::{Date, Deposit, DocumentKind, InvoiceStatus, LineInput, PaymentMethod, QuoteStatus};
use crate::error::AppError;
use crate::ports::{BusinessId, InvoiceRecord, LiveKind, QuoteId, QuoteRecord};
use crate::state::AppState;

/// The invoices that bill the quote, drafts included, oldest first.
pub async fn of_quote(
    state: &AppState,
    business_id: BusinessId,
    id: QuoteId,
) -> Result<Vec<InvoiceRecord>, AppError> {
    let mut invoices = Vec::new();
    for invoice_id in state.store.quote_invoices(business_id, id).await? {
        invoices.push(invoices::get(state, business_id, invoice_id).await?);
    }
    Ok(invoices)
}

/// The quote's deposit invoice, issued or still waiting for its card payment (a draft).
pub fn deposit_invoice(invoices: &[InvoiceRecord]) -> Option<&InvoiceRecord> {
    invoices.iter().find(|i| i.kind == DocumentKind::Invoice && i.content.deposit)
}

/// The quote's deposit invoices that stand (issued, not cancelled by a credit note).
pub fn deposits(invoices: &[InvoiceRecord]) -> impl Iterator<Item = &InvoiceRecord> {
    invoices.iter().filter(|i| {
        i.kind == DocumentKind::Invoice
            && i.content.deposit
            && !matches!(i.status, InvoiceStatus::Draft | InvoiceStatus::Cancelled)
    })
}

fn quote_lines(quote: &QuoteRecord) -> Vec<crate::domain::InvoiceLine> {
    let franchise = quote.seller.as_ref().is_some_and(|s| s.is_franchise());
    quote.content.lines.iter().filter_map(|l| l.parse(franchise).ok()).collect()
}

/// The deposit invoice of a quote just accepted: today's, due at once, the deposit split over
/// the quote's VAT rates, with the business's usual methods. Paid by card (online payment
/// active, the amount enough), it stays a draft that the payment's webhook issues
/// ([`issue_paid_deposit`]): it is numbered once paid, as « déjà payée ». Otherwise it is issued
/// now and awaits the other methods. `None` when the quote asks for no deposit; the existing
/// one when it was already made.
pub async fn issue_deposit(
    state: &AppState,
    business_id: BusinessId,
    quote: &QuoteRecord,
) -> Result<Option<InvoiceRecord>, AppError> {
    if quote.deposit.cents() <= 0 {
        return Ok(None);
    }
    if let Some(made) = deposit_invoice(&of_quote(state, business_id, quote.id).await?) {
        return Ok(Some(made.clone()));
    }
    let number = quote.number.clone().unwrap_or_default();
    let label = match Deposit::parse(&quote.content.deposit_percent, &quote.content.deposit_amount) {
        Ok(Deposit::Percent(bp)) => format!("Acompte de {} % sur le devis {number}", format_rate_bp(bp)),
        _ => format!("Acompte sur le devis {number}"),
    };
    let lines = deposit_lines(&quote_lines(quote), quote.deposit, &label);
    let today = today(state).to_string();
    // The business's usual methods, the payment link among them only while online payment is
    // active (see `invoices::template`).
    let mut content = invoices::template(state, business_id).await?;
    let link = PaymentMethod::PaymentLink.code();
    let by_card = content.payment_methods.iter().any(|m| m == link)
        && state.payments.mode() != crate::domain::ProviderMode::Off
        && crate::domain::online_payment::below_minimum(quote.deposit, state.settings.min_online_payment)
            .is_none();
    if !by_card {
        content.payment_methods.retain(|m| m != link);
    }
    if content.payment_methods.is_empty() {
        content.payment_methods = vec![PaymentMethod::Transfer.code().into()];
    }
    content.client_id = quote.content.client_id;
    content.issue_date = today.clone();
    content.service_date = today.clone();
    content.due_date = today;
    content.operation = quote.content.operation.clone();
    content.lines = lines.iter().map(LineInput::from_line).collect();
    content.notes = String::new();
    content.quote_id = Some(quote.id);
    content.quote_number = number;
    content.deposit = true;
    let draft = invoices::save_draft(state, business_id, None, &content).await?;
    if by_card {
        return Ok(Some(draft));
    }
    match invoices::issue(state, business_id, draft.id).await {
        Ok(issued) => Ok(Some(issued)),
        Err(e) => {
            // Nothing half-made stays behind: the entrepreneur can bill it by hand.
            let _ = invoices::delete_draft(state, business_id, draft.id).await;
            Err(e)
        }
    }
}

/// « Payer l'acompte » on the quote's page: the Checkout Session for its deposit invoice,
/// coming back to the quote's page.
pub async fn pay_deposit(state: &AppState, token: &str) -> Result<String, AppError> {
    let (business_id, quote) = super::quotes::by_token(state, token).await?;
    let invoices = of_quote(state, business_id, quote.id).await?;
    let deposit = deposit_invoice(&invoices)
        .ok_or_else(|| AppError::Refused("Ce devis ne demande pas d'acompte à régler en ligne.".into()))?;
    let back = super::quotes::link(state, &quote).unwrap_or_default();
    let what = format!("Acompte sur le devis {}", quote.number.clone().unwrap_or_default());
    super::checkout::open_session(state, business_id, deposit, &back, &what).await
}

/// Issues `draft`, a deposit invoice whose payment of `paid` just landed, dated the day it was
/// paid and saying it was paid. Safe from two workers at once: an invoice issued meanwhile is
/// answered as it stands.
pub async fn issue_paid_deposit(
    state: &AppState,
    business_id: BusinessId,
    draft: &InvoiceRecord,
    paid: crate::domain::Money,
) -> Result<InvoiceRecord, AppError> {
    let today = today(state).to_string();
    let content = crate::domain::InvoiceInput {
        issue_date: today.clone(),
        service_date: today.clone(),
        due_date: today,
        ..draft.content.clone()
    };
    let issued = match invoices::save_draft(state, business_id, Some(draft.id), &content).await {
        Ok(_) => invoices::issue_prepaid(state, business_id, draft.id, paid).await,
        Err(e) => Err(e),
    };
    match issued {
        Ok(invoice) => {
            if let Some(quote) = invoice.content.quote_id {
                state.publish(business_id, quote, LiveKind::QuoteChanged, 0).await;
            }
            Ok(invoice)
        }
        // Issued meanwhile by another worker: the draft is no longer one, which is what is wanted.
        Err(e) => match invoices::get(state, business_id, draft.id).await? {
            still if still.status == InvoiceStatus::Draft => Err(e),
            issued => Ok(issued),
        },
    }
}

/// « Facturer »: an invoice draft for an accepted quote, with its lines, the reference to it,
/// and each deposit invoice deducted as its own lines (« Acompte versé le … — facture F-… »);
/// the quote becomes « facturé ». The draft is then reviewed, issued and sent as any invoice.
pub async fn invoice(
    state: &AppState,
    business_id: BusinessId,
    id: QuoteId,
) -> Result<InvoiceRecord, AppError> {
    let quote = super::quotes::get(state, business_id, id).await?;
    match quote.status {
        QuoteStatus::Accepted => {}
        QuoteStatus::Invoiced => {
            return Err(AppError::Refused("Ce devis est déjà facturé : sa facture est dans la liste.".into()))
        }
        _ => return Err(AppError::Refused("Seul un devis accepté se facture.".into())),
    }
    let franchise = quote.seller.as_ref().is_some_and(|s| s.is_franchise());
    let mut lines: Vec<LineInput> = quote.content.lines.clone();
    for deposit in deposits(&of_quote(state, business_id, id).await?) {
        let paid_on = if deposit.status == InvoiceStatus::Paid {
            invoices::payments(state, business_id, deposit.id)
                .await?
                .iter()
                .filter_map(|p| Date::parse(&p.received_on).ok())
                .max()
        } else {
            None
        };
        let deposit_lines: Vec<_> =
            deposit.content.lines.iter().filter_map(|l| l.parse(franchise).ok()).collect();
        let number = deposit.number.clone().unwrap_or_default();
        lines.extend(deduction_lines(&deposit_lines, &number, paid_on).iter().map(LineInput::from_line));
    }
    let mut content = invoices::template(state, business_id).await?;
    content.client_id = quote.content.client_id;
    content.operation = quote.content.operation.clone();
    content.lines = lines;
    content.notes = quote.content.notes.clone();
    content.quote_id = Some(id);
    content.quote_number = quote.number.clone().unwrap_or_default();
    let draft = invoices::save_draft(state, business_id, None, &content).await?;
    let now = state.now();
    if !state
        .store
        .change_quote_status(business_id, id, QuoteStatus::Accepted, QuoteStatus::Invoiced, None, now)
        .await?
    {
        let _ = invoices::delete_draft(state, business_id, draft.id).await;
        return Err(AppError::Refused("Ce devis vient de changer : rechargez la page.".into()));
    }
    tracing::info!(business_id, quote_id = id, invoice_id = draft.id, "quote invoiced");
    state.publish(business_id, id, LiveKind::QuoteChanged, 0).await;
    Ok(draft)
}
