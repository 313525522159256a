//! E-mails: the business's texts (« Paramètres › E-mails »), sending an invoice, and the
//! « Boîte d'envoi ».

#[cfg(feature = "ssr")]
use crate::domain::email_template::EmailTemplate;
use crate::error::AppError;
pub use crate::views::email::*;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
pub(crate) fn outbox_item(r: crate::ports::OutboxRecord) -> OutboxItem {
    use crate::ports::OutboxStatus;
    let (status_label, failed) = match r.status {
        OutboxStatus::Sent => ("Envoyé", false),
        OutboxStatus::Failed => ("Échec", true),
        OutboxStatus::Queued if r.attempts > 0 && r.last_error.is_some() => ("Nouvel essai prévu", false),
        OutboxStatus::Queued => ("En attente", false),
    };
    OutboxItem {
        id: r.id,
        invoice_id: r.invoice_id,
        quote_id: r.quote_id,
        recipients: r.email.recipients.join(", "),
        subject: r.email.subject,
        status_label: status_label.into(),
        failed,
        error: r.last_error,
        date: crate::domain::Date::from_unix(r.sent_at.unwrap_or(r.created_at)).french(),
        html: r.email.html_body,
        text: r.email.text_body,
        attachment: r.email.attachment.map(|pdf| pdf.file_name),
    }
}

#[server(endpoint = "email_templates")]
pub async fn email_templates() -> Result<Vec<TemplateView>, AppError> {
    use super::context::*;
    with_status(
        async {
            let (state, user) = require_user().await?;
            let list = crate::services::email::templates(&state, user.business_id).await?;
            Ok(list
                .into_iter()
                .map(|(kind, template)| TemplateView {
                    kind: kind.code().into(),
                    label: kind.label().into(),
                    template,
                })
                .collect())
        }
        .await,
    )
}

#[server(endpoint = "save_email_template")]
pub async fn save_email_template(kind: String, subject: String, body: String) -> Result<(), AppError> {
    use super::context::*;
    with_status(
        async {
            let (state, user) = require_user().await?;
            let template = EmailTemplate { subject, body };
            crate::services::email::save_template(&state, user.business_id, &kind, &template).await
        }
        .await,
    )
}

#[server(endpoint = "compose_invoice_email")]
pub async fn compose_invoice_email(id: i64) -> Result<ComposeView, AppError> {
    use super::context::*;
    with_status(
        async {
            let (state, user) = require_user().await?;
            let c = crate::services::email::compose(&state, user.business_id, id).await?;
            Ok(ComposeView {
                recipients: c.recipients,
                owner_email: c.owner_email,
                subject: c.filled.subject,
                body: c.filled.body,
                frame: c.frame,
            })
        }
        .await,
    )
}

#[server(endpoint = "send_invoice_email")]
pub async fn send_invoice_email(
    id: i64,
    recipients: String,
    copy_to_me: bool,
    subject: String,
    body: String,
) -> Result<(), AppError> {
    use super::context::*;
    with_status(
        async {
            let (state, user) = require_user().await?;
            let request = crate::services::email::SendRequest {
                recipients: Some(recipients),
                copy_to_me,
                subject: Some(subject),
                body: Some(body),
            };
            crate::services::email::send_invoice(&state, user.business_id, id, &request).await?;
            Ok(())
        }
        .await,
    )
}

/// The latest messages (`id` absent), or one message with its content.
#[server(endpoint = "list_outbox")]
pub async fn list_outbox(id: Option<i64>) -> Result<Vec<OutboxItem>, AppError> {
    use super::context::*;
    with_status(
        async {
            let (state, user) = require_user().await?;
            let list = crate::services::email::outbox(&state, user.business_id, id).await?;
            Ok(list.into_iter().map(outbox_item).collect())
        }
        .await,
    )
}

#[server(endpoint = "retry_email")]
pub async fn retry_email(id: i64) -> Result<(), AppError> {
    use super::context::*;
    with_status(
        async {
            let (state, user) = require_user().await?;
            crate::services::email::retry(&state, user.business_id, id).await
        }
        .await,
    )
}
