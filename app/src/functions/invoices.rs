//! « Factures »: drafts, issuing, and the list.

use crate::domain::{InvoiceInput, InvoiceStatus};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

/// An invoice as the list and the editor show it. Amounts in cents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceView {
    pub id: i64,
    pub status: InvoiceStatus,
    pub number: Option<String>,
    pub content: InvoiceInput,
    pub client_name: String,
    pub issue_date: String,
    pub due_date: String,
    pub total_ht_cents: i64,
    pub total_tax_cents: i64,
    pub total_ttc_cents: i64,
    /// The VAT regime the amounts were computed under.
    pub franchise: bool,
    /// « Brouillon », « Émise », « En retard »…: the stored status, or overdue as of today.
    pub status_label: String,
    pub amount_paid_cents: i64,
    /// Filled when one invoice is asked for; empty in lists.
    pub payments: Vec<PaymentView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentView {
    pub amount_cents: i64,
    pub method: String,
    pub received_on: String,
}

/// What the editor needs besides the invoice: the business's VAT regime.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditorContext {
    pub template: InvoiceInput,
    pub franchise: bool,
}

#[cfg(feature = "ssr")]
fn view_of(r: crate::ports::InvoiceRecord, franchise: bool) -> InvoiceView {
    let due = Some(r.due_date.as_str()).filter(|d| !d.is_empty());
    let status_label = r.status.shown(due, &today()).label().to_owned();
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
        payments: Vec::new(),
    }
}

/// One invoice with its payments.
#[cfg(feature = "ssr")]
async fn full_view(
    state: &crate::state::AppState,
    business_id: i64,
    record: crate::ports::InvoiceRecord,
) -> Result<InvoiceView, AppError> {
    let franchise = crate::services::invoices::franchise(state, business_id).await?;
    let payments = crate::services::invoices::payments(state, business_id, record.id).await?;
    let mut view = view_of(record, franchise);
    view.payments = payments
        .into_iter()
        .map(|p| PaymentView { amount_cents: p.amount.cents(), method: p.method, received_on: p.received_on })
        .collect();
    Ok(view)
}

#[cfg(feature = "ssr")]
fn today() -> String {
    crate::domain::Date::from_unix(crate::services::now()).to_string()
}

#[server(endpoint = "list_invoices")]
pub async fn list_invoices() -> Result<Vec<InvoiceView>, AppError> {
    use super::context::*;
    with_status(
        async {
            let (state, user) = require_user().await?;
            let franchise = crate::services::invoices::franchise(&state, user.business_id).await?;
            let list = crate::services::invoices::list(&state, user.business_id).await?;
            Ok(list.into_iter().map(|r| view_of(r, franchise)).collect())
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
            Ok(view_of(saved, franchise))
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

/// Numbers and freezes a draft.
#[server(endpoint = "issue_invoice")]
pub async fn issue_invoice(id: i64) -> Result<InvoiceView, AppError> {
    use super::context::*;
    with_status(
        async {
            let (state, user) = require_user().await?;
            let franchise = crate::services::invoices::franchise(&state, user.business_id).await?;
            Ok(view_of(crate::services::invoices::issue(&state, user.business_id, id).await?, franchise))
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
