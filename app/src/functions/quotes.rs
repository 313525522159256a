//! « Devis »: drafts, sending, new versions, and billing an accepted quote.

use crate::domain::QuoteInput;
use crate::error::AppError;
pub use crate::views::quotes::*;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// A quote as its page shows it; `full` adds its invoices and timeline.
#[cfg(feature = "ssr")]
async fn view_of(
    state: &crate::state::AppState,
    business_id: i64,
    q: crate::ports::QuoteRecord,
    full: bool,
) -> Result<QuoteView, AppError> {
    use crate::services::{invoices, quote_invoices, quotes};
    let franchise = quotes::franchise(state, business_id, &q).await?;
    let status = q.shown_status(invoices::today(state));
    let [ht, tax, ttc, deposit] = q.amounts(franchise);
    let (documents, history) = if full {
        let documents = quote_invoices::of_quote(state, business_id, q.id)
            .await?
            .into_iter()
            .map(|i| QuoteInvoiceView {
                id: i.id,
                label: format!(
                    "{} {}",
                    if i.content.deposit { "Facture d'acompte" } else { "Facture" },
                    i.number.clone().unwrap_or_else(|| "(brouillon)".into())
                ),
                status_label: i.status.label().to_owned(),
                total_ttc_cents: i.total_ttc.cents(),
            })
            .collect();
        let history = quotes::history(state, business_id, q.id)
            .await?
            .into_iter()
            .map(|e| (crate::domain::Date::from_unix(e.at).french(), e.event.label()))
            .collect();
        (documents, history)
    } else {
        (Vec::new(), Vec::new())
    };
    Ok(QuoteView {
        id: q.id,
        status,
        link: quotes::link(state, &q),
        number: q.number,
        client_name: q.client_name,
        total_ht_cents: ht.cents(),
        total_tax_cents: tax.cents(),
        total_ttc_cents: ttc.cents(),
        deposit_cents: deposit.cents(),
        franchise,
        replaces: q.replaces,
        replaced_by: q.replaced_by,
        answer: q.answer.map(|a| AnswerView {
            accepted: a.accepted,
            full_name: a.full_name,
            reason: a.reason,
            date: crate::domain::Date::from_unix(a.at).french(),
        }),
        content: q.content,
        invoices: documents,
        history,
    })
}

#[server(endpoint = "quote_editor_context")]
pub async fn quote_editor_context() -> Result<QuoteEditorData, AppError> {
    use super::context::*;
    with_status(
        async {
            let (state, user) = require_user().await?;
            Ok(QuoteEditorData {
                template: crate::services::quotes::template(&state),
                franchise: crate::services::invoices::franchise(&state, user.business_id).await?,
            })
        }
        .await,
    )
}

#[server(endpoint = "list_quotes")]
pub async fn list_quotes() -> Result<Vec<QuoteView>, AppError> {
    use super::context::*;
    with_status(
        async {
            let (state, user) = require_user().await?;
            let limit = crate::services::quotes::PAGE_LIMIT;
            let mut views = Vec::new();
            for q in crate::services::quotes::list(&state, user.business_id, limit, 0).await? {
                views.push(view_of(&state, user.business_id, q, false).await?);
            }
            Ok(views)
        }
        .await,
    )
}

#[server(endpoint = "get_quote")]
pub async fn get_quote(id: i64) -> Result<QuoteView, AppError> {
    use super::context::*;
    with_status(
        async {
            let (state, user) = require_user().await?;
            let q = crate::services::quotes::get(&state, user.business_id, id).await?;
            view_of(&state, user.business_id, q, true).await
        }
        .await,
    )
}

#[server(endpoint = "save_quote", input = Json)]
pub async fn save_quote(id: Option<i64>, content: QuoteInput) -> Result<QuoteView, AppError> {
    use super::context::*;
    with_status(
        async {
            let (state, user) = require_user().await?;
            let q = crate::services::quotes::save_draft(&state, user.business_id, id, &content).await?;
            view_of(&state, user.business_id, q, true).await
        }
        .await,
    )
}

#[server(endpoint = "delete_quote")]
pub async fn delete_quote(id: i64) -> Result<(), AppError> {
    use super::context::*;
    with_status(
        async {
            let (state, user) = require_user().await?;
            crate::services::quotes::delete_draft(&state, user.business_id, id).await
        }
        .await,
    )
}

/// « Envoyer le devis »: numbered, frozen and e-mailed to the client with the « Devis envoyé »
/// text; again for a quote already sent.
#[server(endpoint = "send_quote")]
pub async fn send_quote(id: i64) -> Result<QuoteView, AppError> {
    use super::context::*;
    with_status(
        async {
            let (state, user) = require_user().await?;
            let request = crate::services::email::SendRequest::default();
            let q = crate::services::quote_emails::send(&state, user.business_id, id, &request).await?;
            view_of(&state, user.business_id, q, true).await
        }
        .await,
    )
}

/// « Nouvelle version »: the id of the new draft.
#[server(endpoint = "new_quote_version")]
pub async fn new_quote_version(id: i64) -> Result<i64, AppError> {
    use super::context::*;
    with_status(
        async {
            let (state, user) = require_user().await?;
            Ok(crate::services::quotes::new_version(&state, user.business_id, id).await?.id)
        }
        .await,
    )
}

/// « Facturer »: the id of the final invoice's draft.
#[server(endpoint = "invoice_quote")]
pub async fn invoice_quote(id: i64) -> Result<i64, AppError> {
    use super::context::*;
    with_status(
        async {
            let (state, user) = require_user().await?;
            Ok(crate::services::quote_invoices::invoice(&state, user.business_id, id).await?.id)
        }
        .await,
    )
}
