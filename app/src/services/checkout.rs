//! The client's side of online payment: the pay page behind a payment link, Checkout Sessions
//! on the business's connected account, and applying what Stripe says happened. Only a
//! session re-fetched from Stripe (after a verified webhook, or by the reconciliation job)
//! marks anything paid; coming back from Checkout proves nothing.

use super::{invoices, online_payment::gateway_error};
use crate::domain::{
    platform_fee, DocumentKind, HistoryEvent, InvoiceStatus, Money, OnlineStatus, PaymentMethod, ProviderMode,
};
use crate::error::AppError;
use crate::ports::{
    AttemptStatus, BusinessId, BusinessRecord, CheckoutAttempt, CheckoutRequest, InvoiceId, InvoiceRecord,
    OnlinePaymentOutcome, OnlineSettlement, PaymentRecord, ProviderCheckoutSession,
};
use crate::state::AppState;

/// A session is reused while it has more than this left (seconds).
const REUSE_MARGIN: i64 = 30 * 60;
/// How long Checkout keeps a session open (Stripe allows 30 minutes to 24 hours).
const SESSION_LIFETIME: i64 = 24 * 60 * 60;

/// Everything the pay page shows.
#[derive(Debug, Clone)]
pub struct PayPage {
    pub invoice: InvoiceRecord,
    pub business: BusinessRecord,
    pub payments: Vec<PaymentRecord>,
    /// « Payer la facture » is offered: the invoice accepts the link, awaits money, and the
    /// business's online payment is active.
    pub can_pay: bool,
    /// Why the card is not offered although the link is (the amount left is too small).
    pub below_minimum: Option<String>,
    pub today: String,
    /// No real money moves (the sandbox, or Stripe's test mode).
    pub test_mode: bool,
}

impl PayPage {
    pub fn due(&self) -> Money {
        self.invoice.amount_due()
    }

    pub fn overdue(&self) -> bool {
        self.invoice.status.awaits_payment() && self.today > self.invoice.due_date
    }

    /// The date the invoice was settled, when it is.
    pub fn paid_on(&self) -> Option<&str> {
        (self.invoice.status == InvoiceStatus::Paid)
            .then(|| self.payments.last().map(|p| p.received_on.as_str()))
            .flatten()
    }
}

/// The invoice a token opens: unknown, malformed and revoked (cancelled invoice) tokens alike
/// give `None`, so the page cannot tell them apart.
pub async fn find(state: &AppState, token: &str) -> Result<Option<(BusinessId, InvoiceRecord)>, AppError> {
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
        return Ok(None);
    }
    let hash = super::session_cookie::hash_token(token);
    let Some((business_id, invoice_id)) = state.store.invoice_by_pay_token(&hash).await? else {
        return Ok(None);
    };
    let invoice = invoices::get(state, business_id, invoice_id).await?;
    let open = matches!(
        invoice.status,
        InvoiceStatus::Issued | InvoiceStatus::Sent | InvoiceStatus::PartiallyPaid | InvoiceStatus::Paid
    );
    Ok((invoice.kind == DocumentKind::Invoice && open).then_some((business_id, invoice)))
}

fn accepts_link(invoice: &InvoiceRecord) -> bool {
    invoice.content.payment_methods.iter().any(|m| m == PaymentMethod::PaymentLink.code())
}

/// The pay page's content; notes « consultée par le client » once a day.
pub async fn page(state: &AppState, token: &str) -> Result<Option<PayPage>, AppError> {
    let Some((business_id, invoice)) = find(state, token).await? else { return Ok(None) };
    let today = invoices::today(state).to_string();
    if state.views_noted.first_today(invoice.id, &today) {
        state.store.record_view(business_id, invoice.id, &today, state.now()).await?;
        state.publish(business_id, invoice.id, crate::ports::LiveKind::InvoiceChanged, 0).await;
    }
    let business = state.store.business(business_id).await?;
    let payments = state.store.payments(business_id, invoice.id).await?;
    let online = accepts_link(&invoice)
        && invoice.status.awaits_payment()
        && invoice.balance().cents() > 0
        && business.online.status == OnlineStatus::Active
        && state.payments.mode() != ProviderMode::Off;
    let below_minimum = online
        .then(|| {
            crate::domain::online_payment::below_minimum(
                invoice.amount_due(),
                state.settings.min_online_payment,
            )
        })
        .flatten();
    let can_pay = online && below_minimum.is_none();
    let test_mode = state.payments.mode() == ProviderMode::Test;
    Ok(Some(PayPage { invoice, business, payments, can_pay, below_minimum, today, test_mode }))
}

/// « Payer la facture »: the Checkout Session to send the client to — an open one with time
/// left for the same amount, or a new one on the connected account with the platform fee.
pub async fn start(state: &AppState, token: &str) -> Result<String, AppError> {
    let Some((business_id, invoice)) = find(state, token).await? else {
        return Err(AppError::NotFound("Ce lien de paiement n'est pas valide.".into()));
    };
    let pay_url = invoices::pay_url(state, &invoice).unwrap_or_default();
    let number = invoice.number.clone().unwrap_or_default();
    open_session(state, business_id, &invoice, &pay_url, &format!("Facture {number}")).await
}

/// A deposit invoice not yet issued: the webhook issues it when its payment lands (see
/// [`super::quote_invoices`]).
fn unissued_deposit(invoice: &InvoiceRecord) -> bool {
    invoice.status == InvoiceStatus::Draft && invoice.content.deposit
}

/// The Checkout Session for what `invoice` still asks, coming back to `return_url` (with
/// `?paiement=confirmation` or `?paiement=annule`); `what` names it on Checkout.
pub(crate) async fn open_session(
    state: &AppState,
    business_id: BusinessId,
    invoice: &InvoiceRecord,
    return_url: &str,
    what: &str,
) -> Result<String, AppError> {
    let due = invoice.balance();
    if !(invoice.status.awaits_payment() || unissued_deposit(invoice)) || due.cents() <= 0 {
        return Err(AppError::Refused(
            "Cette facture est déjà réglée : aucun paiement n'est attendu.".into(),
        ));
    }
    if let Some(why) = crate::domain::online_payment::below_minimum(due, state.settings.min_online_payment) {
        return Err(AppError::Refused(why));
    }
    let business = state.store.business(business_id).await?;
    let account_id = match (&business.online.account_id, business.online.status) {
        (Some(id), OnlineStatus::Active) if accepts_link(invoice) && state.payments.mode() != ProviderMode::Off => {
            id.clone()
        }
        _ => {
            return Err(AppError::Refused(
                "Le paiement en ligne n'est pas proposé pour cette facture : contactez l'entreprise pour les autres moyens de paiement.".into(),
            ))
        }
    };
    let at = state.now();
    let attempts = state.store.checkout_attempts(business_id, invoice.id).await?;
    if let Some(open) = attempts.iter().find(|a| {
        a.status == AttemptStatus::Open
            && a.amount == due
            && a.account_id == account_id
            && a.expires_at - at > REUSE_MARGIN
    }) {
        return Ok(open.url.clone());
    }
    let fee = platform_fee(due, state.settings.fee_bp);
    let client_email = invoice.client.as_ref().map(|c| c.email.trim().to_owned()).filter(|e| !e.is_empty());
    // Numbered (and stored) before Stripe is asked: a retry of this request makes one session.
    let request_id = state.store.new_checkout_request(business_id, invoice.id, at).await?;
    let request = CheckoutRequest {
        account_id: account_id.clone(),
        business_id,
        invoice_id: invoice.id,
        amount: due,
        application_fee: fee,
        description: format!("{what} — {}", business.profile.name),
        customer_email: client_email,
        success_url: format!("{return_url}?paiement=confirmation"),
        cancel_url: format!("{return_url}?paiement=annule"),
        expires_at: at + SESSION_LIFETIME,
        idempotency_key: format!("reglo-checkout-{request_id}"),
    };
    let session = state.payments.create_checkout_session(&request).await.map_err(gateway_error)?;
    let url = session.url.clone().ok_or_else(|| {
        gateway_error(crate::ports::GatewayError::Unavailable("Checkout Session without url".into()))
    })?;
    state
        .store
        .save_checkout_attempt(&CheckoutAttempt {
            session_id: session.id.clone(),
            business_id,
            invoice_id: invoice.id,
            account_id,
            amount: due,
            fee,
            url: url.clone(),
            status: AttemptStatus::Open,
            failure: None,
            expires_at: session.expires_at,
            created_at: at,
        })
        .await?;
    tracing::info!(business_id, invoice_id = invoice.id, session = %session.id, "checkout started");
    Ok(url)
}

/// What a Checkout Session event is about once the session has been re-fetched.
pub async fn apply_session(state: &AppState, account_id: &str, session_id: &str) -> Result<(), AppError> {
    // Only sessions this app started, on the account of the business they belong to, count:
    // a session of another account naming this invoice in its metadata changes nothing.
    let Some(attempt) = state.store.checkout_attempt(session_id).await? else {
        tracing::warn!(session = session_id, "webhook for a checkout session we did not start: ignored");
        return Ok(());
    };
    if attempt.account_id != account_id {
        tracing::warn!(session = session_id, "checkout session from another account: ignored");
        return Ok(());
    }
    let session = state.payments.checkout_session(account_id, session_id).await.map_err(gateway_error)?;
    settle(state, &attempt, &session).await
}

/// Applies the re-fetched session to its attempt.
async fn settle(
    state: &AppState,
    attempt: &CheckoutAttempt,
    session: &ProviderCheckoutSession,
) -> Result<(), AppError> {
    let ours = session.metadata.get("invoice_id").map(String::as_str)
        == Some(&attempt.invoice_id.to_string())
        && session.metadata.get("business_id").map(String::as_str) == Some(&attempt.business_id.to_string());
    if !ours {
        tracing::warn!(session = %session.id, "checkout session metadata does not match its attempt: ignored");
        return Ok(());
    }
    match (session.status.as_str(), session.payment_status.as_str()) {
        ("complete", "paid")
            if session.amount_total != attempt.amount.cents() || session.currency != "eur" =>
        {
            // Not what the pay page asked for: never counted as paid; the entrepreneur sees why.
            let reason = format!(
                "montant inattendu ({},{:02} {}, au lieu de {}) : paiement non enregistré, à vérifier dans Stripe",
                session.amount_total / 100,
                session.amount_total.rem_euclid(100),
                session.currency.to_uppercase(),
                attempt.amount
            );
            tracing::error!(session = %session.id, invoice_id = attempt.invoice_id, "checkout session paid an unexpected amount or currency: flagged, not recorded");
            state
                .store
                .close_checkout_attempt(&session.id, AttemptStatus::Failed, Some(&reason), state.now())
                .await?;
            state
                .publish(attempt.business_id, attempt.invoice_id, crate::ports::LiveKind::InvoiceChanged, 0)
                .await;
            Ok(())
        }
        ("complete", "paid") => record_payment(state, attempt, session).await,
        ("expired", _) => {
            state
                .store
                .close_checkout_attempt(&session.id, AttemptStatus::Expired, None, state.now())
                .await?;
            Ok(())
        }
        // `complete` but unpaid: an asynchronous method still settling; its own event follows.
        _ => Ok(()),
    }
}

/// The client's payment attempt failed (`checkout.session.async_payment_failed`).
pub async fn session_failed(state: &AppState, account_id: &str, session_id: &str) -> Result<(), AppError> {
    if let Some(attempt) = state.store.checkout_attempt(session_id).await? {
        if attempt.account_id == account_id {
            state
                .store
                .close_checkout_attempt(
                    session_id,
                    AttemptStatus::Failed,
                    Some("le paiement a échoué"),
                    state.now(),
                )
                .await?;
        }
    }
    Ok(())
}

async fn record_payment(
    state: &AppState,
    attempt: &CheckoutAttempt,
    session: &ProviderCheckoutSession,
) -> Result<(), AppError> {
    let business_id = attempt.business_id;
    // The session paid what the attempt asked (checked by `settle`), at the fee agreed then.
    let (amount, fee) = (attempt.amount, attempt.fee);
    for _ in 0..invoices::CHANGE_ATTEMPTS {
        let mut invoice = invoices::get(state, business_id, attempt.invoice_id).await?;
        if unissued_deposit(&invoice) {
            // The deposit is paid: its invoice is issued now, then records the payment.
            invoice = super::quote_invoices::issue_paid_deposit(state, business_id, &invoice, amount).await?;
        }
        if invoice.kind != DocumentKind::Invoice {
            return Err(AppError::NotFound("Cette facture n'existe pas.".into()));
        }
        let payment = PaymentRecord {
            fee,
            provider_session_id: Some(session.id.clone()),
            provider_payment_id: session.payment_intent.clone(),
            test: !session.livemode,
            ..PaymentRecord::on(
                &invoice,
                amount,
                PaymentMethod::ONLINE_CARD,
                invoices::today(state).to_string(),
            )
        };
        let date = payment.received_on.clone();
        let (change, event, receipts) = match invoice.settlement().pay(amount) {
            Some(change) => {
                // The receipts are composed for the invoice as it will be once paid, then
                // queued in the same transaction as the payment.
                let paid = InvoiceRecord {
                    status: change.to.status,
                    amount_paid: change.to.paid,
                    ..invoice.clone()
                };
                let receipts = super::email::receipt_emails(state, business_id, &paid, &payment).await?;
                let event = HistoryEvent::OnlinePayment {
                    amount_cents: amount.cents(),
                    fee_cents: fee.cents(),
                    date,
                };
                (change, event, receipts)
            }
            // The money arrived anyway (more than was due, or for a settled invoice): it is
            // kept and counted, and what exceeds the due is flagged for a refund.
            None => {
                let event = HistoryEvent::DuplicatePayment { amount_cents: amount.cents() };
                (invoice.settlement().receive_anyway(amount), event, Vec::new())
            }
        };
        let duplicate = receipts.is_empty();
        let settled = OnlineSettlement { payment: &payment, change, event, receipts: &receipts };
        match state.store.record_online_payment(business_id, invoice.id, &settled, state.now()).await? {
            OnlinePaymentOutcome::AlreadyRecorded => return Ok(()),
            OnlinePaymentOutcome::Changed => continue,
            OnlinePaymentOutcome::Recorded => {}
        }
        if duplicate {
            tracing::warn!(business_id, invoice_id = invoice.id, session = %session.id, "payment for a settled invoice: flagged for refund");
        } else {
            let settled = change.to.balance().cents() <= 0;
            tracing::info!(
                business_id,
                invoice_id = invoice.id,
                amount_cents = amount.cents(),
                settled,
                "online payment recorded"
            );
            if settled {
                expire_open_sessions(state, business_id, invoice.id, Some(&session.id)).await;
            }
        }
        state.mail_wakeup.notify_one();
        state.publish(business_id, invoice.id, crate::ports::LiveKind::PaymentRecorded, amount.cents()).await;
        return Ok(());
    }
    // The worker applies the event again later.
    Err(super::internal("online payment", "the invoice kept changing while the payment was recorded"))
}

/// Once what is due changes (paid online or by hand, credited), no open session may take money
/// for the old amount. `keep` is the session that just paid.
pub(crate) async fn expire_open_sessions(
    state: &AppState,
    business_id: BusinessId,
    invoice_id: InvoiceId,
    keep: Option<&str>,
) {
    let Ok(attempts) = state.store.checkout_attempts(business_id, invoice_id).await else { return };
    for other in
        attempts.iter().filter(|a| a.status == AttemptStatus::Open && Some(a.session_id.as_str()) != keep)
    {
        match state.payments.expire_checkout_session(&other.account_id, &other.session_id).await {
            Ok(_) => {
                let _ = state
                    .store
                    .close_checkout_attempt(&other.session_id, AttemptStatus::Expired, None, state.now())
                    .await;
            }
            // The reconciliation job sees it again if it stays open.
            Err(e) => tracing::warn!(session = %other.session_id, "could not expire checkout session: {e}"),
        }
    }
}

/// Re-fetches sessions still open after `older_than` seconds, so that a missed webhook cannot
/// leave a paid invoice unpaid. Returns how many were looked at.
pub async fn reconcile(state: &AppState, older_than: i64) -> Result<usize, AppError> {
    let stale = state.store.stale_checkout_attempts(state.now(), older_than, 50).await?;
    // One session that cannot be settled now (Stripe unreachable, a store error) does not hold
    // the others back: it is looked at again next period.
    for attempt in &stale {
        let settled = match state.payments.checkout_session(&attempt.account_id, &attempt.session_id).await {
            Ok(session) => settle(state, attempt, &session).await,
            Err(e) => Err(gateway_error(e)),
        };
        if let Err(e) = settled {
            tracing::warn!(session = %attempt.session_id, "reconciliation could not settle the session: {e}");
        }
    }
    Ok(stale.len())
}
