//! Automatic reminders (« relances »): the business's policy, an invoice's plan, and the
//! worker's pass that queues each step when it falls due — once, with the pay link and the
//! PDF, and only while the invoice still awaits payment (see `domain::reminders` for when).

use crate::domain::business_profile::{format_rate_bp, parse_rate_bp};
use crate::domain::date::french_date;
use crate::domain::email_message::MessageFrame;
use crate::domain::email_template::{parse_recipients, TemplateKind, TemplateValues};
use crate::domain::period::{paris_date, paris_datetime_label};
use crate::domain::reminders::{
    days_late, next_planned, parse_steps, penalties, step_due, step_label, ReminderPolicy, Unpaid,
    RECOVERY_INDEMNITY,
};
use crate::domain::{BusinessProfile, ClientKind, Date, DocumentKind, PaymentMethod, Settlement};
use crate::error::AppError;
use crate::ports::{
    BusinessId, InvoiceId, InvoiceRecord, MailDocument, OutgoingEmail, PdfAttachment, StoreError,
};
use crate::state::AppState;
use crate::views::invoices::{ReminderPlanView, ReminderStepView};

pub async fn policy(state: &AppState, business_id: BusinessId) -> Result<ReminderPolicy, AppError> {
    Ok(state.store.reminder_policy(business_id).await?)
}

/// Saves the policy as typed: its steps checked (422 with a field error otherwise).
pub async fn save_policy(
    state: &AppState,
    business_id: BusinessId,
    enabled: bool,
    steps: &[i64],
) -> Result<ReminderPolicy, AppError> {
    let policy = ReminderPolicy::new(enabled, steps)?;
    state.store.save_reminder_policy(business_id, &policy).await?;
    tracing::info!(business_id, enabled, steps = %policy.steps_text(), "reminder policy saved");
    Ok(policy)
}

/// The steps as the settings form sends them (« J-3, J+1 … »), then [`save_policy`].
pub async fn save_policy_text(
    state: &AppState,
    business_id: BusinessId,
    enabled: bool,
    steps: &str,
) -> Result<ReminderPolicy, AppError> {
    let mut errors = crate::domain::FieldErrors::default();
    let Some(steps) = errors.check("steps", parse_steps(steps)) else { return Err(errors.into()) };
    save_policy(state, business_id, enabled, &steps).await
}

/// « Ne pas relancer cette facture », or reminders for it again.
pub async fn set_for_invoice(
    state: &AppState,
    business_id: BusinessId,
    id: InvoiceId,
    enabled: bool,
) -> Result<(), AppError> {
    let invoice = super::invoices::get(state, business_id, id).await?;
    if invoice.kind != DocumentKind::Invoice || invoice.number.is_none() {
        return Err(AppError::Refused("Seule une facture émise peut être relancée.".into()));
    }
    state.store.set_invoice_reminders(business_id, id, enabled).await.map_err(|e| match e {
        StoreError::NotFound => AppError::NotFound("Cette facture n'existe pas.".into()),
        other => other.into(),
    })?;
    state.publish(business_id, id, crate::ports::LiveKind::InvoiceChanged, 0).await;
    Ok(())
}

fn step_view(days: i64, at: i64) -> ReminderStepView {
    ReminderStepView { days, step: step_label(days), at, at_label: paris_datetime_label(at) }
}

/// An issued invoice's reminders as its page and the API show them (`None` for a draft or a
/// credit note).
pub async fn plan(
    state: &AppState,
    business_id: BusinessId,
    invoice: &InvoiceRecord,
) -> Result<Option<ReminderPlanView>, AppError> {
    if invoice.kind != DocumentKind::Invoice || invoice.number.is_none() {
        return Ok(None);
    }
    let policy = policy(state, business_id).await?;
    let reminders = state.store.invoice_reminders(business_id, invoice.id).await?;
    let sent_days: Vec<i64> = reminders.sent.iter().map(|r| r.days).collect();
    let owner = invoice.seller.as_ref().map(|s| s.email.clone()).unwrap_or_default();
    let no_address = recipients(state, business_id, invoice, &owner).await?.is_none();
    let next = match (Date::parse(&invoice.issue_date), Date::parse(&invoice.due_date)) {
        (Ok(issued), Ok(due)) if invoice.status.awaits_payment() && !reminders.stopped => {
            next_planned(&policy, &Unpaid { issued, due, sent: &sent_days }, state.now())
        }
        _ => None,
    };
    let blocked = (next.is_some() && no_address).then(|| {
        "Le client n'a pas d'adresse e-mail sur cette facture : aucune relance ne peut partir.".to_owned()
    });
    Ok(Some(ReminderPlanView {
        policy_enabled: policy.enabled,
        stopped: reminders.stopped,
        sent: reminders.sent.iter().map(|r| step_view(r.days, r.sent_at)).collect(),
        next: next.filter(|_| !no_address).map(|(days, at)| step_view(days, at)),
        blocked,
    }))
}

/// Invoices read per query of the worker's scan.
const PAGE: i64 = 500;

/// One pass of the worker: queues every step due now, and returns how many. Several workers
/// (and instances) may run it at once: the store lets one of them queue each step.
pub async fn run_due(state: &AppState) -> Result<usize, AppError> {
    let now = state.now();
    let today = paris_date(now);
    // The earliest step is 30 days before the due date.
    let due_by = today.add_days(30).to_string();
    let (mut after, mut queued) = (0, 0);
    loop {
        let page = state.store.reminder_candidates(&due_by, after, PAGE).await?;
        let Some(last) = page.last() else { break };
        after = last.invoice_id;
        for candidate in &page {
            let policy = ReminderPolicy::stored(true, &candidate.steps);
            let (Ok(issued), Ok(due)) =
                (Date::parse(&candidate.issue_date), Date::parse(&candidate.due_date))
            else {
                continue;
            };
            let unpaid = Unpaid { issued, due, sent: &candidate.sent };
            let Some((index, days)) = step_due(&policy, &unpaid, now) else { continue };
            let prepared =
                match prepare(state, candidate.business_id, candidate.invoice_id, index, days).await {
                    Ok(Some(prepared)) => prepared,
                    Ok(None) => continue,
                    Err(e) => {
                        tracing::warn!(invoice_id = candidate.invoice_id, "preparing a reminder: {e}");
                        continue;
                    }
                };
            if queue(state, &prepared).await? {
                queued += 1;
            }
        }
        if (page.len() as i64) < PAGE {
            break;
        }
    }
    Ok(queued)
}

/// A reminder composed from the invoice as it was read, ready to queue.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub business_id: BusinessId,
    pub invoice_id: InvoiceId,
    pub days: i64,
    pub email: OutgoingEmail,
    /// The invoice's money when it was read: the reminder is queued only if it still stands.
    pub expected: Settlement,
}

/// The reminder of step `days` (the policy's `index`-th) for the invoice: `None` when it no
/// longer awaits payment, has no client address, or the account may not e-mail clients yet.
pub async fn prepare(
    state: &AppState,
    business_id: BusinessId,
    id: InvoiceId,
    index: usize,
    days: i64,
) -> Result<Option<Prepared>, AppError> {
    let invoice = super::invoices::get(state, business_id, id).await?;
    if !invoice.status.awaits_payment() || invoice.amount_due().cents() <= 0 {
        return Ok(None);
    }
    let client = invoice.client.clone().unwrap_or_default();
    let seller = invoice.seller.clone().unwrap_or_default();
    let Some(recipients) = recipients(state, business_id, &invoice, &seller.email).await? else {
        tracing::debug!(invoice_id = id, "no reminder: the client has no e-mail address");
        return Ok(None);
    };
    if let Err(refused) =
        super::email::sending_allowed(state, business_id, MailDocument::Invoice(id), &recipients).await
    {
        tracing::info!(invoice_id = id, "reminder held back: {refused}");
        return Ok(None);
    }
    let business = state.store.business(business_id).await?;
    let online = invoice.content.payment_methods.iter().any(|m| m == PaymentMethod::PaymentLink.code());
    let pay_url = super::invoices::pay_url(state, &invoice).filter(|_| online);
    let due = Date::parse(&invoice.due_date).map_err(|e| super::internal("reminder", e))?;
    let late = days_late(due, paris_date(state.now()));
    let amount = invoice.amount_due();
    let rate_bp =
        parse_rate_bp(&seller.late_penalty_rate).unwrap_or(BusinessProfile::DEFAULT_LATE_PENALTY_BP);
    let business_client = client.kind == ClientKind::Business.code();
    let owed = penalties(amount, rate_bp, late);
    let mut details = Vec::new();
    let mut penalites = String::new();
    if late > 0 {
        let rate = format_rate_bp(rate_bp);
        details.push(("Retard".to_owned(), format!("{late} jour{}", if late > 1 { "s" } else { "" })));
        details.push((format!("Pénalités de retard ({rate} % l'an)"), owed.to_string()));
        penalites = format!(
            "Pénalités de retard exigibles à ce jour : {owed} (taux annuel de {rate} %, art. L441-10 du Code de commerce)"
        );
        if business_client {
            details
                .push(("Indemnité forfaitaire de recouvrement".to_owned(), RECOVERY_INDEMNITY.to_string()));
            penalites.push_str(&format!(
                ", ainsi que l'indemnité forfaitaire pour frais de recouvrement de {RECOVERY_INDEMNITY} (art. D441-5)"
            ));
        }
        penalites.push('.');
    }
    let number = invoice.number.clone().unwrap_or_default();
    let values = TemplateValues {
        client: client.name.clone(),
        numero: number.clone(),
        montant: amount.to_string(),
        echeance: french_date(&invoice.due_date),
        lien_paiement: pay_url.clone().unwrap_or_else(|| "(paiement en ligne non proposé)".into()),
        entreprise: seller.name.clone(),
        jours_de_retard: late.to_string(),
        penalites,
        ..TemplateValues::default()
    };
    let templates = super::email::templates(state, business_id).await?;
    let filled = super::email::pick(&templates, TemplateKind::reminder(index)).fill(&values);
    let frame = MessageFrame {
        business_name: seller.name.clone(),
        brand_color: seller.brand_color.clone(),
        logo_url: super::email::absolute_logo_url(state, &business),
        number,
        amount: amount.to_string(),
        due_date: values.echeance.clone(),
        pay_url: pay_url.clone(),
        paid_on: None,
        details,
        document: crate::domain::email_message::FramedDocument::Invoice,
    };
    let pdf = PdfAttachment { file_name: super::invoice_pdf::file_name(&invoice, false), acquitted: false };
    let email = super::email::sealed(
        super::email::message(&recipients, &seller.email, &filled, &frame, Some(pdf)),
        pay_url.as_deref(),
    );
    Ok(Some(Prepared { business_id, invoice_id: id, days, email, expected: invoice.settlement() }))
}

/// Who a reminder goes to: whom the invoice was last e-mailed to (the entrepreneur's own copy
/// left out), or else the client's address on the invoice.
async fn recipients(
    state: &AppState,
    business_id: BusinessId,
    invoice: &InvoiceRecord,
    owner: &str,
) -> Result<Option<Vec<crate::domain::Email>>, AppError> {
    let history = state.store.history(business_id, invoice.id).await?;
    let sent_to = history.iter().rev().find_map(|entry| match &entry.event {
        crate::domain::HistoryEvent::Sent { to } => Some(to.clone()),
        _ => None,
    });
    let from_send = sent_to
        .and_then(|to| parse_recipients(&to).ok())
        .map(|list| list.into_iter().filter(|e| !e.as_str().eq_ignore_ascii_case(owner)).collect::<Vec<_>>())
        .filter(|list| !list.is_empty());
    let client = invoice.client.as_ref().map(|c| c.email.as_str()).unwrap_or_default();
    Ok(from_send.or_else(|| parse_recipients(client).ok()))
}

/// Queues a prepared reminder: `false` when the invoice changed meanwhile (a payment landed),
/// its reminders were stopped, or another worker sent this step first.
pub async fn queue(state: &AppState, prepared: &Prepared) -> Result<bool, AppError> {
    let Prepared { business_id, invoice_id, days, .. } = *prepared;
    let queued = state
        .store
        .queue_reminder(business_id, invoice_id, days, &prepared.email, &prepared.expected, state.now())
        .await?;
    if queued {
        state.mail_wakeup.notify_one();
        tracing::info!(business_id, invoice_id, step = %step_label(days), "reminder queued");
        state.publish(business_id, invoice_id, crate::ports::LiveKind::InvoiceChanged, 0).await;
    }
    Ok(queued)
}
