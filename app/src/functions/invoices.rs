//! « Factures »: drafts, issuing, and the list.

#[cfg(feature = "ssr")]
use crate::domain::DocumentKind;
use crate::domain::{CreditNoteInput, InvoiceInput};
use crate::error::AppError;
pub use crate::views::invoices::*;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
fn view_of(state: &crate::state::AppState, r: crate::ports::InvoiceRecord, franchise: bool) -> InvoiceView {
    let due = Some(r.due_date.as_str()).filter(|d| !d.is_empty());
    let status_label = match r.kind {
        DocumentKind::CreditNote => "Avoir".to_owned(),
        DocumentKind::Invoice => r.status.shown(due, &today(state)).label().to_owned(),
    };
    let pay_url = crate::services::invoices::pay_url(state, &r);
    let balance_cents = r.balance().cents();
    InvoiceView {
        id: r.id,
        status: r.status,
        number: r.number,
        content: r.content,
        client_name: r.client_name,
        issue_date: r.issue_date,
        due_date: r.due_date,
        total_ht_cents: r.total_ht.cents(),
        total_tax_cents: r.total_tax.cents(),
        total_ttc_cents: r.total_ttc.cents(),
        franchise: r.seller.map_or(franchise, |s| s.is_franchise()),
        status_label,
        amount_paid_cents: r.amount_paid.cents(),
        kind: r.kind,
        amount_credited_cents: r.amount_credited.cents(),
        balance_cents,
        pay_url,
        credits: None,
        payments: Vec::new(),
        refunds: Vec::new(),
        credit_notes: Vec::new(),
        history: Vec::new(),
        seller: None,
        client: None,
        emails: Vec::new(),
        reminders: None,
        card_refunds: Vec::new(),
        card_refundable_cents: 0,
    }
}

/// One invoice with its payments.
#[cfg(feature = "ssr")]
async fn full_view(
    state: &crate::state::AppState,
    business_id: i64,
    record: crate::ports::InvoiceRecord,
) -> Result<InvoiceView, AppError> {
    use crate::services::invoices;
    let franchise = invoices::franchise(state, business_id).await?;
    let payments = invoices::payments(state, business_id, record.id).await?;
    let refunds = state.store.refunds(business_id, record.id).await?;
    let notes = invoices::credit_notes(state, business_id, record.id).await?;
    let history = invoices::history(state, business_id, record.id).await?;
    let credits = match record.credited_invoice_id {
        Some(id) => Some((id, invoices::get(state, business_id, id).await?.number.unwrap_or_default())),
        None => None,
    };
    let (seller, client) = (record.seller.clone(), record.client.clone());
    let emails = crate::services::email::outbox(state, business_id, None)
        .await?
        .into_iter()
        .filter(|m| m.invoice_id == Some(record.id))
        .map(crate::functions::email::outbox_item)
        .collect();
    let reminders = crate::services::reminders::plan(state, business_id, &record).await?;
    let card_refundable = crate::services::card_refunds::refundable(state, business_id, &record).await?;
    let card_refunds = state.store.card_refunds(business_id, record.id).await?;
    let mut view = view_of(state, record, franchise);
    view.reminders = reminders;
    view.card_refundable_cents = card_refundable.cents();
    view.card_refunds = card_refunds.iter().map(card_refund_view).collect();
    view.credits = credits;
    view.seller = seller;
    view.client = client;
    view.emails = emails;
    view.payments = payments
        .into_iter()
        .map(|p| PaymentView {
            amount_cents: p.amount.cents(),
            method: p.method,
            received_on: p.received_on,
            fee_cents: p.fee.cents(),
        })
        .collect();
    view.refunds = refunds
        .into_iter()
        .map(|r| PaymentView {
            amount_cents: r.amount.cents(),
            method: r.method,
            received_on: r.refunded_on,
            fee_cents: 0,
        })
        .collect();
    view.credit_notes =
        notes.into_iter().map(|n| (n.id, n.number.unwrap_or_default(), n.total_ttc.cents())).collect();
    view.history = history
        .into_iter()
        .map(|h| HistoryView {
            date: crate::domain::period::paris_date(h.at).french(),
            label: h.event.label(),
            link: h.event.related_invoice(),
        })
        .collect();
    Ok(view)
}

#[cfg(feature = "ssr")]
fn card_refund_view(r: &crate::ports::CardRefund) -> CardRefundView {
    use crate::ports::CardRefundStatus;
    CardRefundView {
        amount_cents: r.amount.cents(),
        date: crate::domain::period::paris_date(r.requested_at).french(),
        status_label: match r.status {
            CardRefundStatus::Pending => "En cours".to_owned(),
            CardRefundStatus::Succeeded => "Remboursé sur la carte".to_owned(),
            CardRefundStatus::Failed => {
                format!("Échec : {}", r.failure_reason.clone().unwrap_or_default())
            }
        },
        failed: r.status == CardRefundStatus::Failed,
    }
}

#[cfg(feature = "ssr")]
fn today(state: &crate::state::AppState) -> String {
    crate::services::invoices::today(state).to_string()
}

/// The list, narrowed by status (a [`crate::domain::ListFilter`] code), client and a search on
/// the number or the client's name, in a [`crate::domain::ListSort`] order.
#[server(endpoint = "list_invoices")]
pub async fn list_invoices(
    status: String,
    client_id: Option<i64>,
    search: String,
    sort: String,
    offset: i64,
) -> Result<InvoiceListView, AppError> {
    use super::context::*;
    use crate::domain::{FieldErrors, ListFilter, ListSort};
    with_status(
        async {
            let (state, user) = require_user().await?;
            let mut errors = FieldErrors::default();
            let filter = ListFilter::from_code(&status);
            if filter.is_none() {
                errors.push("status", "Statut inconnu.");
            }
            let order = ListSort::from_code(&sort);
            if order.is_none() {
                errors.push("sort", "Tri inconnu.");
            }
            let (Some(filter), Some(sort)) = (filter, order) else { return Err(errors.into()) };
            let query = crate::ports::InvoiceQuery {
                filter,
                client_id,
                search,
                sort,
                limit: crate::services::invoices::PAGE_LIMIT,
                offset,
                ..Default::default()
            };
            let franchise = crate::services::invoices::franchise(&state, user.business_id).await?;
            let page = crate::services::invoices::list(&state, user.business_id, query).await?;
            Ok(InvoiceListView {
                items: page.items.into_iter().map(|r| view_of(&state, r, franchise)).collect(),
                count: page.count,
                total_ttc_cents: page.total_ttc.cents(),
                total_due_cents: page.total_due.cents(),
                limit: crate::services::invoices::PAGE_LIMIT,
            })
        }
        .await,
    )
}

#[server(endpoint = "invoice_editor_context")]
pub async fn invoice_editor_context() -> Result<EditorContext, AppError> {
    use super::context::*;
    with_status(
        async {
            let (state, user) = require_user().await?;
            Ok(EditorContext {
                template: crate::services::invoices::template(&state, user.business_id).await?,
                franchise: crate::services::invoices::franchise(&state, user.business_id).await?,
                online: state.store.business(user.business_id).await?.online.status,
                provider: state.payments.mode(),
                fee_bp: state.settings.fee_bp,
                min_online_payment: state.settings.min_online_payment,
            })
        }
        .await,
    )
}

#[server(endpoint = "get_invoice")]
pub async fn get_invoice(id: i64) -> Result<InvoiceView, AppError> {
    use super::context::*;
    with_status(
        async {
            let (state, user) = require_user().await?;
            let record = crate::services::invoices::get(&state, user.business_id, id).await?;
            full_view(&state, user.business_id, record).await
        }
        .await,
    )
}

/// Saves a draft as typed; creates it when `id` is absent.
#[server(endpoint = "save_draft", input = Json)]
pub async fn save_draft(id: Option<i64>, invoice: InvoiceInput) -> Result<InvoiceView, AppError> {
    use super::context::*;
    with_status(
        async {
            let (state, user) = require_user().await?;
            let franchise = crate::services::invoices::franchise(&state, user.business_id).await?;
            let saved = crate::services::invoices::save_draft(&state, user.business_id, id, &invoice).await?;
            Ok(view_of(&state, saved, franchise))
        }
        .await,
    )
}

#[server(endpoint = "delete_draft")]
pub async fn delete_draft(id: i64) -> Result<(), AppError> {
    use super::context::*;
    with_status(
        async {
            let (state, user) = require_user().await?;
            crate::services::invoices::delete_draft(&state, user.business_id, id).await
        }
        .await,
    )
}

/// The number an invoice dated `issue_date` will take, if none is issued before it: what the
/// issue confirmation shows.
#[server(endpoint = "next_invoice_number")]
pub async fn next_invoice_number(issue_date: String) -> Result<String, AppError> {
    use super::context::*;
    with_status(
        async {
            let (state, user) = require_user().await?;
            crate::services::invoices::next_number(&state, user.business_id, &issue_date).await
        }
        .await,
    )
}

/// Numbers and freezes a draft.
#[server(endpoint = "issue_invoice")]
pub async fn issue_invoice(id: i64) -> Result<InvoiceView, AppError> {
    use super::context::*;
    with_status(
        async {
            let (state, user) = require_user().await?;
            let franchise = crate::services::invoices::franchise(&state, user.business_id).await?;
            let issued = crate::services::invoices::issue(&state, user.business_id, id).await?;
            Ok(view_of(&state, issued, franchise))
        }
        .await,
    )
}

/// Records a payment received by hand.
#[server(endpoint = "record_payment")]
pub async fn record_payment(
    id: i64,
    amount: String,
    date: String,
    method: String,
) -> Result<InvoiceView, AppError> {
    use super::context::*;
    with_status(
        async {
            let (state, user) = require_user().await?;
            let record = crate::services::invoices::record_payment(
                &state,
                user.business_id,
                id,
                &amount,
                &date,
                &method,
            )
            .await?;
            full_view(&state, user.business_id, record).await
        }
        .await,
    )
}

/// « Rembourser par carte »: `amount` in euros as typed.
#[server(endpoint = "refund_by_card")]
pub async fn refund_by_card(id: i64, amount: String) -> Result<InvoiceView, AppError> {
    use super::context::*;
    with_status(
        async {
            let (state, user) = require_user().await?;
            let amount = crate::domain::Money::parse_euros(&amount).map_err(|e| {
                let mut errors = crate::domain::FieldErrors::default();
                errors.push("amount", e);
                AppError::from(errors)
            })?;
            let refund = crate::services::card_refunds::request(&state, user.business_id, id, amount).await;
            // The form's field is `amount`; the service names it as the API does.
            let refund = refund.map_err(|e| match e {
                AppError::Invalid(errors) => {
                    let mut renamed = crate::domain::FieldErrors::default();
                    if let Some(message) = errors.get("amount_cents") {
                        renamed.push("amount", message);
                    }
                    AppError::Invalid(renamed)
                }
                other => other,
            });
            refund?;
            let record = crate::services::invoices::get(&state, user.business_id, id).await?;
            full_view(&state, user.business_id, record).await
        }
        .await,
    )
}

/// Records money given back to the client after a credit note.
#[server(endpoint = "record_refund")]
pub async fn record_refund(
    id: i64,
    amount: String,
    date: String,
    method: String,
) -> Result<InvoiceView, AppError> {
    use super::context::*;
    with_status(
        async {
            let (state, user) = require_user().await?;
            let record = crate::services::invoices::record_refund(
                &state,
                user.business_id,
                id,
                &amount,
                &date,
                &method,
            )
            .await?;
            full_view(&state, user.business_id, record).await
        }
        .await,
    )
}

/// Issues a credit note against an invoice; returns the credit note.
#[server(endpoint = "create_credit_note", input = Json)]
pub async fn create_credit_note(id: i64, credit: CreditNoteInput) -> Result<InvoiceView, AppError> {
    use super::context::*;
    with_status(
        async {
            let (state, user) = require_user().await?;
            let note = crate::services::invoices::credit(&state, user.business_id, id, &credit).await?;
            full_view(&state, user.business_id, note).await
        }
        .await,
    )
}
