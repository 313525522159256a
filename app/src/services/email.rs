//! E-mails to clients: the business's texts, the message for an invoice, and queueing it in
//! the outbox in the same transaction as the invoice turns « envoyée ». A worker in the server
//! delivers the outbox through the [`crate::ports::Mailer`] port.

use crate::domain::date::french_date;
use crate::domain::email_message::{html_part, text_part, FramedDocument, MessageFrame};
use crate::domain::email_template::{
    check_header, parse_recipients, EmailTemplate, TemplateKind, TemplateValues,
};
use crate::domain::{DocumentKind, FieldErrors, Money, PaymentMethod};
use crate::error::AppError;
use crate::ports::{
    BusinessId, Delivery, InvoiceId, InvoiceRecord, MailDocument, OutboxRecord, OutgoingEmail, PdfAttachment,
    QuoteRecord, StoreError,
};
use crate::state::AppState;

/// The business's text for `kind`, out of [`templates`].
pub(super) fn pick(templates: &[(TemplateKind, EmailTemplate)], kind: TemplateKind) -> EmailTemplate {
    templates.iter().find(|(k, _)| *k == kind).map_or_else(|| kind.default_template(), |(_, t)| t.clone())
}

/// The business's logo as mail clients fetch it: an absolute URL.
pub(super) fn absolute_logo_url(state: &AppState, business: &crate::ports::BusinessRecord) -> Option<String> {
    business
        .logo_file
        .as_deref()
        .map(|f| format!("{}{}", state.settings.public_url, super::business::logo_url(f)))
}

/// The e-mail for `recipients`, both parts drawn from the filled text and its frame.
pub(super) fn message(
    recipients: &[crate::domain::Email],
    reply_to: &str,
    filled: &EmailTemplate,
    frame: &MessageFrame,
    attachment: Option<PdfAttachment>,
) -> OutgoingEmail {
    OutgoingEmail {
        recipients: recipients.iter().map(|e| e.as_str().to_owned()).collect(),
        reply_to: reply_to.to_owned(),
        subject: filled.subject.clone(),
        text_body: text_part(filled, frame),
        html_body: html_part(filled, frame),
        attachment,
    }
}

/// Every template, the edited ones in place of the defaults.
pub async fn templates(
    state: &AppState,
    business_id: BusinessId,
) -> Result<Vec<(TemplateKind, EmailTemplate)>, AppError> {
    let edited = state.store.email_templates(business_id).await?;
    Ok(TemplateKind::ALL
        .into_iter()
        .map(|kind| {
            let template = edited
                .iter()
                .find(|(edited_kind, _)| *edited_kind == kind)
                .map_or_else(|| kind.default_template(), |(_, t)| t.clone());
            (kind, template)
        })
        .collect())
}

pub async fn save_template(
    state: &AppState,
    business_id: BusinessId,
    kind: &str,
    template: &EmailTemplate,
) -> Result<(), AppError> {
    let Some(kind) = TemplateKind::from_code(kind) else {
        return Err(AppError::Refused("Modèle d'e-mail inconnu.".into()));
    };
    template.validate()?;
    let trimmed = EmailTemplate { subject: template.subject.trim().to_owned(), body: template.body.clone() };
    state.store.save_email_template(business_id, kind, &trimmed, state.now()).await?;
    Ok(())
}

/// What the « Envoyer par e-mail » dialog starts from: the client's address, the filled
/// template, and the frame the preview draws around it.
#[derive(Debug, Clone)]
pub struct Composition {
    pub recipients: String,
    pub owner_email: String,
    pub filled: EmailTemplate,
    pub frame: MessageFrame,
    /// The invoice's PDF, as the message attaches it.
    pub file_name: String,
}

fn sendable(invoice: &InvoiceRecord) -> Result<(), AppError> {
    if invoice.kind != DocumentKind::Invoice || !invoice.status.may_send() {
        return Err(AppError::Refused("Seule une facture émise, non annulée, peut être envoyée.".into()));
    }
    Ok(())
}

pub async fn compose(
    state: &AppState,
    business_id: BusinessId,
    id: InvoiceId,
) -> Result<Composition, AppError> {
    let invoice = super::invoices::get(state, business_id, id).await?;
    sendable(&invoice)?;
    let business = state.store.business(business_id).await?;
    let seller = invoice.seller.clone().unwrap_or_default();
    let client = invoice.client.clone().unwrap_or_default();
    let online = invoice.content.payment_methods.iter().any(|m| m == PaymentMethod::PaymentLink.code());
    let pay_url =
        super::invoices::pay_url(state, &invoice).filter(|_| online && invoice.status.awaits_payment());
    let amount = invoice.amount_due().to_string();
    let due_date = french_date(&invoice.due_date);
    let number = invoice.number.clone().unwrap_or_default();
    let values = TemplateValues {
        client: client.name.clone(),
        numero: number.clone(),
        montant: amount.clone(),
        echeance: due_date.clone(),
        lien_paiement: pay_url.clone().unwrap_or_else(|| "(paiement en ligne non proposé)".into()),
        entreprise: seller.name.clone(),
        ..TemplateValues::default()
    };
    let template = pick(&templates(state, business_id).await?, TemplateKind::InvoiceSent);
    let logo_url = absolute_logo_url(state, &business);
    Ok(Composition {
        recipients: client.email.clone(),
        owner_email: seller.email.clone(),
        filled: template.fill(&values),
        frame: MessageFrame {
            business_name: seller.name,
            brand_color: seller.brand_color,
            logo_url,
            number,
            amount,
            due_date,
            pay_url,
            paid_on: None,
            details: Vec::new(),
            document: FramedDocument::Invoice,
        },
        file_name: super::invoice_pdf::file_name(&invoice, false),
    })
}

/// The two receipts of an online payment, composed before it is stored so that they are queued
/// in the same transaction: to the client, with the invoice as it is once paid (« acquittée »
/// when settled); to the entrepreneur, with the gross, the fee and the net.
pub async fn receipt_emails(
    state: &AppState,
    business_id: BusinessId,
    paid: &InvoiceRecord,
    payment: &crate::ports::PaymentRecord,
) -> Result<Vec<OutgoingEmail>, AppError> {
    let business = state.store.business(business_id).await?;
    let seller = paid.seller.clone().unwrap_or_default();
    let client = paid.client.clone().unwrap_or_default();
    let number = paid.number.clone().unwrap_or_default();
    let paid_on = french_date(&payment.received_on);
    let values = TemplateValues {
        client: client.name.clone(),
        numero: number.clone(),
        montant: payment.amount.to_string(),
        echeance: french_date(&paid.due_date),
        lien_paiement: String::new(),
        entreprise: seller.name.clone(),
        ..TemplateValues::default()
    };
    let templates = templates(state, business_id).await?;
    let frame = MessageFrame {
        business_name: seller.name.clone(),
        brand_color: seller.brand_color.clone(),
        logo_url: absolute_logo_url(state, &business),
        number,
        amount: payment.amount.to_string(),
        due_date: values.echeance.clone(),
        pay_url: None,
        paid_on: Some(paid_on),
        details: Vec::new(),
        document: FramedDocument::Invoice,
    };
    let remaining = paid.balance();
    let mut emails = Vec::new();
    if let Ok(to) = parse_recipients(&client.email) {
        let settled = remaining.cents() <= 0;
        let pdf =
            PdfAttachment { file_name: super::invoice_pdf::file_name(paid, settled), acquitted: settled };
        let filled =
            test_subject(pick(&templates, TemplateKind::PaymentReceivedClient).fill(&values), payment);
        let mut frame = frame.clone();
        if !settled {
            frame.details.push(("Reste à payer".into(), remaining.to_string()));
        }
        emails.push(message(&to, &seller.email, &filled, &frame, Some(pdf)));
    }
    if let Ok(owner) = parse_recipients(&seller.email) {
        let filled =
            test_subject(pick(&templates, TemplateKind::PaymentReceivedOwner).fill(&values), payment);
        // Her own message opens the invoice in the app.
        let mut frame = MessageFrame {
            pay_url: Some(format!("{}/factures/{}", state.settings.public_url, paid.id)),
            document: FramedDocument::InvoiceForOwner,
            ..frame
        };
        let rate = crate::domain::online_payment::fee_rate_label(state.settings.fee_bp);
        frame.details = vec![
            ("Payé par le client".into(), payment.amount.to_string()),
            (format!("Frais du paiement en ligne ({rate})"), payment.fee.to_string()),
            ("Net pour vous".into(), (payment.amount - payment.fee).to_string()),
            ("Reste à payer".into(), Money::from_cents(remaining.cents().max(0)).to_string()),
        ];
        emails.push(message(&owner, &seller.email, &filled, &frame, None));
    }
    Ok(emails)
}

/// A receipt for a test payment says so first, in its subject.
fn test_subject(mut filled: EmailTemplate, payment: &crate::ports::PaymentRecord) -> EmailTemplate {
    if payment.test {
        filled.subject = format!("[{}] {}", crate::domain::ProviderMode::TEST_NOTICE, filled.subject);
    }
    filled
}

/// The dialog's fields as typed; an absent one takes what [`compose`] proposes (the API's
/// optional overrides).
#[derive(Debug, Clone, Default)]
pub struct SendRequest {
    pub recipients: Option<String>,
    pub copy_to_me: bool,
    pub subject: Option<String>,
    pub body: Option<String>,
}

/// Times one document may be e-mailed per 24 hours (a resend after a typo, not a mailing).
const SENDS_PER_DOCUMENT: i64 = 5;

/// Refuses a send that would pass the business's recipients per 24 hours, or resend one
/// document too often: the platform's address must not become anyone's mailing tool.
pub(super) async fn sending_allowed(
    state: &AppState,
    business_id: BusinessId,
    document: MailDocument,
    recipients: &[crate::domain::Email],
) -> Result<(), AppError> {
    // Until its address is confirmed, an account e-mails no one but itself.
    let account = state.store.account_email(business_id).await?;
    if let Some(account) = account.filter(|a| !a.confirmed) {
        if recipients.iter().any(|r| r.as_str() != account.email) {
            return Err(AppError::Refused(format!(
                "Confirmez d'abord votre adresse e-mail : cliquez sur le lien envoyé à {} (visible dans la Boîte d'envoi). \
                 En attendant, vous ne pouvez envoyer un document qu'à vous-même.",
                account.email
            )));
        }
    }
    let since = state.now() - 24 * 3600;
    let sent = state.store.queued_since(business_id, document, since).await?;
    let limit = state.settings.daily_recipient_limit;
    if sent.recipients + recipients.len() as i64 > limit {
        return Err(AppError::TooManyAttempts(format!(
            "Limite de {limit} destinataires par 24 heures atteinte : cet envoi attendra demain. \
             Besoin de plus ? Écrivez-nous."
        )));
    }
    if sent.about_document >= SENDS_PER_DOCUMENT {
        return Err(AppError::TooManyAttempts(format!(
            "Ce document a déjà été envoyé {SENDS_PER_DOCUMENT} fois en 24 heures : réessayez demain."
        )));
    }
    Ok(())
}

/// Queues the invoice's e-mail with its PDF, and marks the invoice « envoyée ».
pub async fn send_invoice(
    state: &AppState,
    business_id: BusinessId,
    id: InvoiceId,
    request: &SendRequest,
) -> Result<InvoiceRecord, AppError> {
    let composition = compose(state, business_id, id).await?;
    let (recipients, filled) = checked(request, &composition)?;
    sending_allowed(state, business_id, MailDocument::Invoice(id), &recipients).await?;
    let recipients = with_copy(recipients, request, &composition.owner_email);
    let pdf = PdfAttachment { file_name: composition.file_name.clone(), acquitted: false };
    let email = sealed(
        message(&recipients, &composition.owner_email, &filled, &composition.frame, Some(pdf)),
        composition.frame.pay_url.as_deref(),
    );
    let mut queued = false;
    for _ in 0..super::invoices::CHANGE_ATTEMPTS {
        let invoice = super::invoices::get(state, business_id, id).await?;
        sendable(&invoice)?;
        let change = invoice.settlement().send().ok_or_else(|| {
            AppError::Refused("Cette facture ne peut plus être envoyée : rechargez la page.".into())
        })?;
        if state.store.queue_invoice_email(business_id, id, &email, &change, state.now()).await? {
            queued = true;
            break;
        }
    }
    if !queued {
        return Err(AppError::Refused("Cette facture ne peut plus être envoyée : rechargez la page.".into()));
    }
    state.mail_wakeup.notify_one();
    tracing::info!(
        business_id,
        invoice_id = id,
        recipients = email.recipients.len(),
        "invoice e-mail queued"
    );
    state.publish(business_id, id, crate::ports::LiveKind::InvoiceChanged, 0).await;
    super::invoices::get(state, business_id, id).await
}

/// The dialog's fields, or what [`Composition`] proposes for those left out, checked: the
/// recipients and the text.
pub(super) fn checked(
    request: &SendRequest,
    composition: &Composition,
) -> Result<(Vec<crate::domain::Email>, EmailTemplate), AppError> {
    let recipients = request.recipients.as_ref().unwrap_or(&composition.recipients);
    let subject = request.subject.as_ref().unwrap_or(&composition.filled.subject).trim();
    let body = request.body.as_ref().unwrap_or(&composition.filled.body);
    let mut errors = FieldErrors::default();
    let recipients = errors.check("recipients", parse_recipients(recipients)).unwrap_or_default();
    if subject.is_empty() {
        errors.push("subject", "Indiquez un objet.");
    } else if subject.chars().count() > EmailTemplate::MAX_SUBJECT {
        errors.push("subject", format!("{} caractères au maximum.", EmailTemplate::MAX_SUBJECT));
    }
    errors.check("subject", check_header(subject));
    if body.trim().is_empty() {
        errors.push("body", "Le message ne peut pas être vide.");
    } else if body.chars().count() > EmailTemplate::MAX_BODY {
        errors.push("body", format!("{} caractères au maximum.", EmailTemplate::MAX_BODY));
    }
    if !errors.is_empty() {
        return Err(errors.into());
    }
    Ok((recipients, EmailTemplate { subject: subject.to_owned(), body: body.clone() }))
}

/// The owner's own address added when « m'envoyer une copie » is asked (after the sending
/// limits, which count the client's recipients).
pub(super) fn with_copy(
    mut recipients: Vec<crate::domain::Email>,
    request: &SendRequest,
    owner_email: &str,
) -> Vec<crate::domain::Email> {
    if request.copy_to_me {
        if let Ok(owner) = crate::domain::Email::parse(owner_email) {
            if !recipients.contains(&owner) {
                recipients.push(owner);
            }
        }
    }
    recipients
}

/// `email` as the outbox keeps it: without the pay link (see [`super::pay_link::seal`]).
pub(super) fn sealed(email: OutgoingEmail, pay_url: Option<&str>) -> OutgoingEmail {
    use super::pay_link::seal;
    OutgoingEmail {
        subject: seal(&email.subject, pay_url),
        text_body: seal(&email.text_body, pay_url),
        html_body: seal(&email.html_body, pay_url),
        ..email
    }
}

/// The document a message is about, as it stands now.
enum Document {
    Invoice(InvoiceRecord),
    Quote(QuoteRecord),
}

impl Document {
    /// Its link: an invoice's pay link, a quote's acceptance link.
    fn link(&self, state: &AppState) -> Option<String> {
        match self {
            Document::Invoice(invoice) => super::invoices::pay_url(state, invoice),
            Document::Quote(quote) => super::quotes::link(state, quote),
        }
    }
}

/// The record's document, if it is about one.
async fn document_of(state: &AppState, record: &OutboxRecord) -> Result<Option<Document>, AppError> {
    let business_id = record.business_id;
    Ok(match (record.invoice_id, record.quote_id) {
        (Some(id), _) => Some(Document::Invoice(super::invoices::get(state, business_id, id).await?)),
        (None, Some(id)) => Some(Document::Quote(super::quotes::get(state, business_id, id).await?)),
        (None, None) => None,
    })
}

/// The record's texts with the link of its `document` put back.
fn unsealed(state: &AppState, record: &OutboxRecord, document: Option<&Document>) -> OutgoingEmail {
    use super::pay_link::unseal;
    let pay_url = document.and_then(|document| document.link(state));
    let email = &record.email;
    OutgoingEmail {
        subject: unseal(&email.subject, pay_url.as_deref()),
        text_body: unseal(&email.text_body, pay_url.as_deref()),
        html_body: unseal(&email.html_body, pay_url.as_deref()),
        ..email.clone()
    }
}

/// An outbox message as it leaves: its link put back and its document's PDF rendered (the
/// cache makes one rendering serve every message about one version of a document).
pub async fn delivery(state: &AppState, record: &OutboxRecord) -> Result<Delivery, AppError> {
    let document = document_of(state, record).await?;
    let email = unsealed(state, record, document.as_ref());
    let business_id = record.business_id;
    let attachment = match (&email.attachment, &document) {
        (Some(pdf), Some(Document::Invoice(invoice))) => {
            Some(super::invoice_pdf::attachment(state, business_id, invoice, pdf.acquitted).await?)
        }
        (Some(pdf), Some(Document::Quote(quote))) => {
            Some(super::quote_pdf::render(state, business_id, quote, pdf.acquitted).await?)
        }
        (Some(_), None) => return Err(super::internal("outbox", "a PDF attachment without its document")),
        (None, _) => None,
    };
    Ok(Delivery { email, attachment })
}

/// The « Boîte d'envoi »: the latest messages, or one with its content.
pub async fn outbox(
    state: &AppState,
    business_id: BusinessId,
    id: Option<i64>,
) -> Result<Vec<OutboxRecord>, AppError> {
    let mut list = state.store.outbox(business_id, id, 200).await?;
    if id.is_some() && list.is_empty() {
        return Err(AppError::NotFound("Ce message n'existe pas.".into()));
    }
    // The owner sees each message as its recipients did (the list shows subjects only).
    for record in list.iter_mut().filter(|r| id.is_some() || super::pay_link::is_sealed(&r.email.subject)) {
        let document = document_of(state, record).await?;
        record.email = unsealed(state, record, document.as_ref());
    }
    Ok(list)
}

pub async fn retry(state: &AppState, business_id: BusinessId, id: i64) -> Result<(), AppError> {
    state.store.retry_email(business_id, id, state.now()).await.map_err(|e| match e {
        StoreError::NotFound => AppError::Refused("Seul un envoi en échec peut être relancé.".into()),
        other => other.into(),
    })?;
    state.mail_wakeup.notify_one();
    Ok(())
}
