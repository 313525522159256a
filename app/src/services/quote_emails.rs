//! E-mails about quotes: « Envoyer le devis » (the « Devis envoyé » template with the quote's
//! PDF, through the outbox, its acceptance link sealed as invoices' pay links are), and the two
//! messages a client's answer sends, to the client and to the entrepreneur.

use super::email::{checked, message, pick, sealed, sending_allowed, Composition, SendRequest};
use crate::domain::date::french_date;
use crate::domain::email_message::{FramedDocument, MessageFrame};
use crate::domain::email_template::{parse_recipients, EmailTemplate, TemplateKind, TemplateValues};
use crate::domain::QuoteStatus;
use crate::error::AppError;
use crate::ports::{BusinessId, InvoiceRecord, LiveKind, MailDocument, PdfAttachment, QuoteId, QuoteRecord};
use crate::state::AppState;

/// The values a quote's texts are filled with.
fn values(state: &AppState, quote: &QuoteRecord) -> TemplateValues {
    TemplateValues {
        client: quote.client.as_ref().map_or_else(|| quote.client_name.clone(), |c| c.name.clone()),
        numero: quote.number.clone().unwrap_or_default(),
        montant: quote.total_ttc.to_string(),
        entreprise: quote.seller.as_ref().map(|s| s.name.clone()).unwrap_or_default(),
        lien_devis: super::quotes::link(state, quote).unwrap_or_default(),
        validite: french_date(&quote.valid_until),
        ..TemplateValues::default()
    }
}

/// The frame around a quote's messages; `link` is the acceptance link's button, if any.
async fn frame(
    state: &AppState,
    business_id: BusinessId,
    quote: &QuoteRecord,
    link: Option<String>,
) -> Result<MessageFrame, AppError> {
    let business = state.store.business(business_id).await?;
    let seller = quote.seller.clone().unwrap_or_default();
    Ok(MessageFrame {
        business_name: seller.name,
        brand_color: seller.brand_color,
        logo_url: super::email::absolute_logo_url(state, &business),
        number: quote.number.clone().unwrap_or_default(),
        amount: quote.total_ttc.to_string(),
        due_date: french_date(&quote.valid_until),
        pay_url: link,
        paid_on: None,
        details: Vec::new(),
        document: FramedDocument::Quote,
    })
}

/// Sends a quote by e-mail to its client (or the `request`'s recipients), its PDF attached: a
/// draft is numbered and frozen first ([`super::quotes::send`]); a quote already sent and still
/// awaiting an answer is sent again. The subject and body typed in `request` may use the
/// template's placeholders. Bad input is refused before a draft takes its number.
pub async fn send(
    state: &AppState,
    business_id: BusinessId,
    id: QuoteId,
    request: &SendRequest,
) -> Result<QuoteRecord, AppError> {
    let quote = super::quotes::get(state, business_id, id).await?;
    if !matches!(quote.status, QuoteStatus::Draft | QuoteStatus::Sent | QuoteStatus::Viewed)
        || quote.replaced_by.is_some()
    {
        return Err(AppError::Refused(
            "Ce devis n'attend plus de réponse : il ne peut plus être envoyé.".into(),
        ));
    }
    if quote.shown_status(super::invoices::today(state)) == QuoteStatus::Expired {
        return Err(AppError::Refused(
            "Ce devis n'est plus valable : faites-en une nouvelle version pour le proposer à nouveau.".into(),
        ));
    }
    let template = pick(&super::email::templates(state, business_id).await?, TemplateKind::QuoteSent);
    let client_email = match &quote.client {
        Some(client) => client.email.clone(),
        None => super::clients::billable(state, business_id, quote.content.client_id.unwrap_or_default())
            .await
            .map(|c| c.email)
            .unwrap_or_default(),
    };
    let before = Composition {
        recipients: client_email,
        owner_email: String::new(),
        filled: template.clone(),
        frame: MessageFrame::default(),
        file_name: String::new(),
    };
    let no_address = no_client_address(request, &before.recipients);
    let (recipients, _) = checked(request, &before).map_err(no_address)?;
    sending_allowed(state, business_id, MailDocument::Quote(id), &recipients).await?;
    let quote = if quote.status == QuoteStatus::Draft {
        super::quotes::send(state, business_id, id).await?
    } else {
        quote
    };
    let values = values(state, &quote);
    let link = super::quotes::link(state, &quote);
    let composition = Composition {
        owner_email: quote.seller.as_ref().map(|s| s.email.clone()).unwrap_or_default(),
        filled: template.fill(&values),
        frame: frame(state, business_id, &quote, link.clone()).await?,
        file_name: super::quote_pdf::file_name(&quote, false),
        ..before
    };
    let request = SendRequest {
        subject: request.subject.as_ref().map(|s| fill(s, &values)),
        body: request.body.as_ref().map(|b| fill(b, &values)),
        ..request.clone()
    };
    let (recipients, filled) = checked(&request, &composition)?;
    let recipients = super::email::with_copy(recipients, &request, &composition.owner_email);
    let pdf = PdfAttachment { file_name: composition.file_name.clone(), acquitted: false };
    let email = sealed(
        message(&recipients, &composition.owner_email, &filled, &composition.frame, Some(pdf)),
        link.as_deref(),
    );
    state.store.queue_quote_email(business_id, id, &email, state.now()).await?;
    state.mail_wakeup.notify_one();
    tracing::info!(business_id, quote_id = id, recipients = email.recipients.len(), "quote e-mail queued");
    state.publish(business_id, id, LiveKind::QuoteChanged, 0).await;
    Ok(quote)
}

/// A typed text with the placeholders it uses filled.
fn fill(text: &str, values: &TemplateValues) -> String {
    EmailTemplate { subject: String::new(), body: text.to_owned() }.fill(values).body
}

/// A client without an address is told to add one, rather than that the address is invalid.
fn no_client_address(request: &SendRequest, client_email: &str) -> impl Fn(AppError) -> AppError {
    let missing = request.recipients.is_none() && client_email.trim().is_empty();
    move |error| match error {
        AppError::Invalid(mut errors) if missing => {
            for e in errors.0.iter_mut().filter(|e| e.field == "recipients") {
                e.message =
                    "Ce client n'a pas d'adresse e-mail : ajoutez-la à sa fiche ou indiquez un destinataire."
                        .into();
            }
            AppError::Invalid(errors)
        }
        other => other,
    }
}

/// Tells both parties about the client's answer: the client gets a confirmation (with the
/// accepted copy of the quote), the entrepreneur the news, with the refusal's reason. A deposit
/// invoice issued on acceptance is named in both.
pub async fn answered(
    state: &AppState,
    business_id: BusinessId,
    quote: &QuoteRecord,
    deposit: Option<&InvoiceRecord>,
) -> Result<(), AppError> {
    let Some(answer) = &quote.answer else { return Ok(()) };
    let values = values(state, quote);
    let (number, amount, business) = (&values.numero, &values.montant, &values.entreprise);
    let on = crate::domain::Date::from_unix(answer.at).french();
    let mut frame = frame(state, business_id, quote, None).await?;
    let status = if answer.accepted { "Accepté le" } else { "Refusé le" };
    frame.details.push((status.into(), on.clone()));
    let deposit_line = deposit.map(|invoice| {
        if invoice.status == crate::domain::InvoiceStatus::Draft {
            format!(
                "L'acompte de {} se règle par carte depuis la page du devis ; la facture d'acompte est émise \
                 dès le paiement reçu.",
                invoice.total_ttc
            )
        } else {
            format!(
                "La facture d'acompte {} ({}) est envoyée séparément, avec les moyens de la régler.",
                invoice.number.clone().unwrap_or_default(),
                invoice.total_ttc
            )
        }
    });
    let owner = quote.seller.as_ref().map(|s| s.email.clone()).unwrap_or_default();
    let client = quote.client.as_ref().map(|c| c.email.clone()).unwrap_or_default();
    let accepted_copy =
        || PdfAttachment { file_name: super::quote_pdf::file_name(quote, true), acquitted: true };
    let extra = deposit_line.map(|l| format!("\n\n{l}")).unwrap_or_default();
    let (to_client, to_owner) = if answer.accepted {
        (
            EmailTemplate {
                subject: format!("Devis {number} accepté — {business}"),
                body: format!(
                    "Bonjour {},\n\nVotre accord sur le devis {number} ({amount}) est bien enregistré le {on}. \
                     Le devis accepté est joint à ce message.{extra}\n\nMerci pour votre confiance,\n{business}",
                    answer.full_name
                ),
            },
            EmailTemplate {
                subject: format!("{} a accepté le devis {number}", values.client),
                body: format!(
                    "Bonne nouvelle : {} a accepté le devis {number} ({amount}) le {on}, en signant « {} ».{extra}\n\n\
                     Le devis accepté, avec sa page de preuve, est joint à ce message.",
                    values.client, answer.full_name
                ),
            },
        )
    } else {
        let reason = if answer.reason.is_empty() {
            "Aucun motif n'a été indiqué.".to_owned()
        } else {
            format!("Motif indiqué : « {} »", answer.reason)
        };
        (
            EmailTemplate {
                subject: format!("Devis {number} refusé — {business}"),
                body: format!(
                    "Bonjour,\n\nVotre refus du devis {number} est bien enregistré le {on}. \
                     N'hésitez pas à nous dire ce qui vous conviendrait mieux.\n\n{business}"
                ),
            },
            EmailTemplate {
                subject: format!("{} a refusé le devis {number}", values.client),
                body: format!(
                    "{} a refusé le devis {number} ({amount}) le {on}.\n\n{reason}\n\n\
                     Vous pouvez en proposer une nouvelle version depuis la page du devis.",
                    values.client
                ),
            },
        )
    };
    let attachment = || answer.accepted.then(accepted_copy);
    if let Ok(to) = parse_recipients(&client) {
        let email = message(&to, &owner, &to_client, &frame, attachment());
        state.store.queue_quote_email(business_id, quote.id, &email, state.now()).await?;
    }
    if let Ok(to) = parse_recipients(&owner) {
        let email = message(&to, &owner, &to_owner, &frame, attachment());
        state.store.queue_quote_email(business_id, quote.id, &email, state.now()).await?;
    }
    state.mail_wakeup.notify_one();
    Ok(())
}
