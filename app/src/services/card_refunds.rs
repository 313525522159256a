//! « Rembourser par carte »: money owed back to a client after a credit note, refunded to the
//! card that paid through Stripe (on the business's connected account, the platform fee given
//! back in proportion), and recorded from Stripe's webhook — once, as the livre des recettes'
//! negative line — with an e-mail to the client and to the entrepreneur.

use crate::domain::date::french_date;
use crate::domain::email_message::{FramedDocument, MessageFrame};
use crate::domain::email_template::{parse_recipients, EmailTemplate};
use crate::domain::online_payment::fee_refunded;
use crate::domain::{DocumentKind, FieldErrors, Money, PaymentMethod};
use crate::error::AppError;
use crate::ports::{
    BusinessId, CardRefund, CardRefundStatus, GatewayError, InvoiceId, InvoiceRecord, OnlinePaymentOutcome,
    OutgoingEmail, ProviderRefund, RefundRecord, RefundRequest,
};
use crate::state::AppState;

fn invalid(message: impl Into<String>) -> AppError {
    let mut errors = FieldErrors::default();
    errors.push("amount_cents", message);
    errors.into()
}

/// What can still go back to each card that paid `invoice`: (PaymentIntent, what it paid, its
/// fee, what is left once the refunds asked or made are taken off), newest payment first.
async fn cards(
    state: &AppState,
    business_id: BusinessId,
    invoice: &InvoiceRecord,
) -> Result<Vec<(String, Money, Money, Money)>, AppError> {
    let refunds = state.store.card_refunds(business_id, invoice.id).await?;
    let mut cards: Vec<_> = super::invoices::payments(state, business_id, invoice.id)
        .await?
        .into_iter()
        .filter_map(|p| {
            let intent = p.provider_payment_id?;
            let taken: i64 = refunds
                .iter()
                .filter(|r| r.payment_intent == intent && r.status != CardRefundStatus::Failed)
                .map(|r| r.amount.cents())
                .sum();
            let left = Money::from_cents(p.amount.cents() - taken);
            Some((intent, p.amount, p.fee, left))
        })
        .collect();
    cards.reverse();
    Ok(cards)
}

/// The most « Rembourser par carte » may give back now: what the client is owed, within what a
/// single card that paid can take.
pub async fn refundable(
    state: &AppState,
    business_id: BusinessId,
    invoice: &InvoiceRecord,
) -> Result<Money, AppError> {
    let owed = Money::from_cents((-invoice.balance().cents()).max(0));
    let best = cards(state, business_id, invoice).await?.iter().map(|c| c.3).max().unwrap_or(Money::ZERO);
    Ok(owed.min(best).max(Money::ZERO))
}

/// Asks Stripe to refund `amount` to the card that paid the invoice. The refund is recorded
/// when Stripe's webhook confirms it (see [`apply`]).
pub async fn request(
    state: &AppState,
    business_id: BusinessId,
    id: InvoiceId,
    amount: Money,
) -> Result<CardRefund, AppError> {
    let invoice = super::invoices::get(state, business_id, id).await?;
    let owed = -invoice.balance();
    if invoice.kind != DocumentKind::Invoice || owed.cents() <= 0 {
        return Err(AppError::Refused(
            "Aucun remboursement n'est dû au client sur cette facture : émettez d'abord un avoir.".into(),
        ));
    }
    if amount.cents() <= 0 {
        return Err(invalid("Indiquez un montant à rembourser, supérieur à zéro."));
    }
    if amount > owed {
        return Err(invalid(format!("Le montant dépasse ce qui est dû au client ({owed}).")));
    }
    let cards = cards(state, business_id, &invoice).await?;
    if cards.is_empty() {
        return Err(AppError::Refused(
            "Cette facture n'a pas été payée par carte en ligne : remboursez le client par virement, puis enregistrez le remboursement."
                .into(),
        ));
    }
    let Some((intent, paid, fee, _)) = cards.iter().find(|c| c.3 >= amount).cloned() else {
        let most = cards.iter().map(|c| c.3).max().unwrap_or(Money::ZERO);
        return Err(invalid(format!("Le montant dépasse ce que la carte peut encore recevoir ({most}).")));
    };
    let business = state.store.business(business_id).await?;
    let Some(account_id) = business.online.account_id else {
        return Err(AppError::Refused(
            "Le paiement en ligne n'est pas configuré pour cette entreprise.".into(),
        ));
    };
    // One key per refund of this payment: a double click or a retried request makes one refund.
    let asked = state
        .store
        .card_refunds(business_id, id)
        .await?
        .iter()
        .filter(|r| r.payment_intent == intent)
        .count();
    let request = RefundRequest {
        account_id,
        business_id,
        invoice_id: id,
        payment_intent: intent.clone(),
        amount,
        idempotency_key: format!("reglo-refund-{business_id}-{id}-{intent}-{asked}"),
    };
    let provider = state.payments.create_refund(&request).await.map_err(|e| match e {
        GatewayError::Refused(message) => {
            tracing::warn!(business_id, invoice_id = id, "refund refused: {message}");
            AppError::Refused("Stripe a refusé ce remboursement : vérifiez le montant, ou remboursez depuis votre tableau de bord Stripe.".into())
        }
        GatewayError::Unavailable(message) => super::internal("refund", message),
    })?;
    let refund = CardRefund {
        id: provider.id.clone(),
        business_id,
        invoice_id: id,
        payment_intent: intent,
        amount: Money::from_cents(provider.amount),
        fee: fee_refunded(fee, paid, Money::from_cents(provider.amount)),
        status: CardRefundStatus::Pending,
        failure_reason: None,
        requested_at: state.now(),
    };
    state.store.add_card_refund(&refund, state.now()).await?;
    tracing::info!(business_id, invoice_id = id, refund = %refund.id, amount_cents = refund.amount.cents(), "card refund asked");
    state.publish(business_id, id, crate::ports::LiveKind::InvoiceChanged, 0).await;
    Ok(refund)
}

/// A `refund.*` event: the refund re-fetched from the provider, then recorded once it succeeded
/// or marked failed. Refunds Reglo did not ask for (made in Stripe's dashboard) are left alone.
pub async fn apply(state: &AppState, account_id: &str, refund_id: &str) -> Result<(), AppError> {
    let provider = state
        .payments
        .refund(account_id, refund_id)
        .await
        .map_err(|e| super::internal("refund webhook", e))?;
    settle(state, account_id, &provider).await
}

/// A `charge.refunded` event: each refund of the charge, as [`apply`] does.
pub async fn apply_charge(state: &AppState, account_id: &str, charge_id: &str) -> Result<(), AppError> {
    let refunds = state
        .payments
        .charge_refunds(account_id, charge_id)
        .await
        .map_err(|e| super::internal("charge.refunded webhook", e))?;
    for provider in &refunds {
        settle(state, account_id, provider).await?;
    }
    Ok(())
}

/// « carte expirée ou résiliée »: Stripe's failure reasons, as the entrepreneur reads them.
fn failure_label(reason: Option<&str>) -> String {
    match reason {
        Some("expired_or_canceled_card") => "carte expirée ou résiliée",
        Some("lost_or_stolen_card") => "carte déclarée perdue ou volée",
        Some("declined") => "refusé par la banque du client",
        _ => "raison non précisée par la banque",
    }
    .to_owned()
}

async fn settle(state: &AppState, account_id: &str, provider: &ProviderRefund) -> Result<(), AppError> {
    // The webhook may come before `request` has stored the refund it asked for: its metadata
    // then names the invoice, and the refund is recorded from it.
    let ours = match state.store.card_refund(&provider.id).await? {
        Some(ours) => Some(ours),
        None => adopt(state, account_id, provider).await?,
    };
    let Some(ours) = ours else {
        tracing::info!(refund = %provider.id, "refund not asked from Reglo: ignored");
        return Ok(());
    };
    let business = state.store.business(ours.business_id).await?;
    if business.online.account_id.as_deref() != Some(account_id) {
        tracing::warn!(refund = %provider.id, "refund event from another account: ignored");
        return Ok(());
    }
    match provider.status.as_str() {
        "succeeded" => record(state, &ours).await,
        "failed" | "canceled" => {
            let reason = failure_label(provider.failure_reason.as_deref());
            if state.store.fail_card_refund(&ours.id, &reason, state.now()).await? {
                tracing::warn!(business_id = ours.business_id, invoice_id = ours.invoice_id, refund = %ours.id, %reason, "card refund failed");
                state
                    .publish(ours.business_id, ours.invoice_id, crate::ports::LiveKind::InvoiceChanged, 0)
                    .await;
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// A refund Reglo asked for that `request` has not stored yet, stored from what the provider
/// says of it; `None` for one asked elsewhere (Stripe's dashboard).
async fn adopt(
    state: &AppState,
    account_id: &str,
    provider: &ProviderRefund,
) -> Result<Option<CardRefund>, AppError> {
    let id_of = |key: &str| provider.metadata.get(key).and_then(|v| v.parse::<i64>().ok());
    let (Some(business_id), Some(invoice_id), Some(intent)) =
        (id_of("business_id"), id_of("invoice_id"), provider.payment_intent.clone())
    else {
        return Ok(None);
    };
    let business = match state.store.business(business_id).await {
        Ok(business) => business,
        Err(crate::ports::StoreError::NotFound) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    if business.online.account_id.as_deref() != Some(account_id) {
        return Ok(None);
    }
    let payments = super::invoices::payments(state, business_id, invoice_id).await?;
    let Some(paid) = payments.iter().find(|p| p.provider_payment_id.as_deref() == Some(intent.as_str()))
    else {
        return Ok(None);
    };
    let amount = Money::from_cents(provider.amount);
    let refund = CardRefund {
        id: provider.id.clone(),
        business_id,
        invoice_id,
        payment_intent: intent,
        amount,
        fee: fee_refunded(paid.fee, paid.amount, amount),
        status: CardRefundStatus::Pending,
        failure_reason: None,
        requested_at: state.now(),
    };
    state.store.add_card_refund(&refund, state.now()).await?;
    Ok(state.store.card_refund(&refund.id).await?)
}

/// Records a succeeded refund: the invoice's change computed again if it changed meanwhile.
async fn record(state: &AppState, refund: &CardRefund) -> Result<(), AppError> {
    let (business_id, id) = (refund.business_id, refund.invoice_id);
    for _ in 0..super::invoices::CHANGE_ATTEMPTS {
        let invoice = super::invoices::get(state, business_id, id).await?;
        let change = invoice.settlement().refund(refund.amount).ok_or_else(|| {
            super::internal(
                "card refund",
                format!("refund {} is more than is owed on invoice {id}", refund.id),
            )
        })?;
        let today = super::invoices::today(state).to_string();
        let mut line = RefundRecord::on(&invoice, refund.amount, PaymentMethod::ONLINE_CARD, today);
        line.credit_note_id = state.store.credit_notes(business_id, id).await?.last().map(|n| n.id);
        let emails = emails(state, &invoice, refund).await?;
        match state.store.settle_card_refund(&refund.id, &line, &change, &emails, state.now()).await? {
            OnlinePaymentOutcome::Recorded => {
                tracing::info!(business_id, invoice_id = id, refund = %refund.id, "card refund recorded");
                state.mail_wakeup.notify_one();
                state
                    .publish(business_id, id, crate::ports::LiveKind::RefundRecorded, -refund.amount.cents())
                    .await;
                return Ok(());
            }
            OnlinePaymentOutcome::AlreadyRecorded => return Ok(()),
            OnlinePaymentOutcome::Changed => continue,
        }
    }
    Err(super::internal("card refund", format!("invoice {id} kept changing")))
}

/// To the client (the money is on its way back to the card) and to the entrepreneur.
async fn emails(
    state: &AppState,
    invoice: &InvoiceRecord,
    refund: &CardRefund,
) -> Result<Vec<OutgoingEmail>, AppError> {
    let business = state.store.business(refund.business_id).await?;
    let seller = invoice.seller.clone().unwrap_or_default();
    let client = invoice.client.clone().unwrap_or_default();
    let number = invoice.number.clone().unwrap_or_default();
    let frame = MessageFrame {
        business_name: seller.name.clone(),
        brand_color: seller.brand_color.clone(),
        logo_url: super::email::absolute_logo_url(state, &business),
        number: number.clone(),
        amount: refund.amount.to_string(),
        due_date: french_date(&invoice.due_date),
        pay_url: None,
        paid_on: None,
        details: vec![("Remboursé sur la carte".into(), refund.amount.to_string())],
        document: FramedDocument::Invoice,
    };
    let mut out = Vec::new();
    if let Ok(to) = parse_recipients(&client.email) {
        let text = EmailTemplate {
            subject: format!("Remboursement de {} — facture {number}", refund.amount),
            body: format!(
                "Bonjour {},\n\nNous vous avons remboursé {} sur la carte utilisée pour régler la facture {number}. \
                 Selon votre banque, il apparaîtra sur votre relevé d'ici 5 à 10 jours.\n\nCordialement,\n{}",
                client.name, refund.amount, seller.name
            ),
        };
        out.push(super::email::message(&to, &seller.email, &text, &frame, None));
    }
    if let Ok(owner) = parse_recipients(&seller.email) {
        let text = EmailTemplate {
            subject: format!("Remboursement par carte effectué : {} à {}", refund.amount, client.name),
            body: format!(
                "Le remboursement de {} sur la carte de {} (facture {number}) est effectué. Il figure en négatif \
                 dans votre livre des recettes.",
                refund.amount, client.name
            ),
        };
        let mut frame = frame;
        frame.details.push(("Frais du paiement en ligne rendus".into(), refund.fee.to_string()));
        out.push(super::email::message(&owner, &seller.email, &text, &frame, None));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn failures_are_said_in_french() {
        assert_eq!(super::failure_label(Some("expired_or_canceled_card")), "carte expirée ou résiliée");
        assert_eq!(super::failure_label(None), "raison non précisée par la banque");
    }
}
