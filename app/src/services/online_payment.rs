//! « Types de paiements acceptés »: the methods proposed on new invoices, and online card
//! payment through Stripe Connect — onboarding, and the account's state, which only Stripe's
//! own answer (re-fetched, or `account.updated`) changes.

use crate::domain::{FieldErrors, OnlineStatus, PaymentMethod, ProviderMode};
use crate::error::AppError;
use crate::ports::{BusinessId, GatewayError, OnlineAccount};
use crate::state::AppState;

/// What the settings page and the API show.
#[derive(Debug, Clone)]
pub struct OnlinePaymentState {
    /// The methods ticked on new invoices.
    pub default_methods: Vec<String>,
    pub account: OnlineAccount,
    pub dashboard_url: Option<String>,
    pub fee_bp: i64,
    pub mode: ProviderMode,
}

pub async fn state(state: &AppState, business_id: BusinessId) -> Result<OnlinePaymentState, AppError> {
    let business = state.store.business(business_id).await?;
    let dashboard_url = business.online.account_id.as_deref().map(|id| state.payments.dashboard_url(id));
    Ok(OnlinePaymentState {
        default_methods: business.default_payment_methods,
        account: business.online,
        dashboard_url,
        fee_bp: state.settings.fee_bp,
        mode: state.payments.mode(),
    })
}

pub(crate) fn gateway_error(error: GatewayError) -> AppError {
    tracing::error!("payment provider: {error}");
    AppError::Refused("Stripe ne répond pas pour le moment : réessayez dans quelques minutes.".into())
}

/// « Configurer »: the business's connected account (created on first use when `create`, i.e.
/// from the settings' button, never from a link Stripe calls back) and a fresh onboarding link
/// to send the entrepreneur to.
pub async fn onboarding_link(
    state: &AppState,
    business_id: BusinessId,
    create: bool,
) -> Result<String, AppError> {
    if state.payments.mode() == ProviderMode::Off {
        return Err(AppError::Refused(format!("{}.", ProviderMode::OFF_MESSAGE)));
    }
    let business = state.store.business(business_id).await?;
    let account_id = match business.online.account_id {
        Some(id) => id,
        None if !create => return Err(AppError::Refused(
            "Aucun compte Stripe n'est encore créé : cliquez sur « Configurer » dans Paramètres › Paiements."
                .into(),
        )),
        None => {
            let profile = &business.profile;
            // One key per business: two « Configurer » at once get the same account from
            // Stripe, and the store keeps the first one linked in any case.
            let key = format!("reglo-account-{business_id}");
            let account = state
                .payments
                .create_account(&profile.email, &profile.name, &key)
                .await
                .map_err(gateway_error)?;
            let kept = state.store.set_stripe_account(business_id, &account.id, state.now()).await?;
            if kept == account.id {
                record_status(state, &account).await?;
                tracing::info!(business_id, account = %account.id, "Stripe account created");
            } else {
                tracing::warn!(business_id, kept = %kept, unused = %account.id, "a concurrent « Configurer » linked another account first");
            }
            kept
        }
    };
    let base = &state.settings.public_url;
    state
        .payments
        .account_link(
            &account_id,
            &format!("{base}/parametres/paiements/stripe/nouveau-lien"),
            &format!("{base}/parametres/paiements/stripe/retour"),
        )
        .await
        .map_err(gateway_error)
}

/// Back from onboarding (or on `account.updated`): asks Stripe where the account stands.
pub async fn refresh_account(state: &AppState, account_id: &str) -> Result<Option<BusinessId>, AppError> {
    let account = state.payments.account(account_id).await.map_err(gateway_error)?;
    let business = record_status(state, &account).await?;
    if let Some(business_id) = business {
        tracing::info!(business_id, status = account.status().code(), "online payment state updated");
    }
    Ok(business)
}

/// Stores what Stripe says of `account`. When online payment becomes active, the payment link
/// joins the methods ticked on new invoices: it is the reason to activate it. Unticking it
/// afterwards in the settings is kept, until the account stops and starts being active again.
async fn record_status(
    state: &AppState,
    account: &crate::ports::ProviderAccount,
) -> Result<Option<BusinessId>, AppError> {
    let before = match state.store.business_by_account(&account.id).await? {
        Some(id) => Some(state.store.business(id).await?),
        None => None,
    };
    let business = state
        .store
        .update_online_status(&account.id, account.status(), &account.requirements(), state.now())
        .await?;
    if let (Some(business_id), Some(before)) = (business, before) {
        let link = PaymentMethod::PaymentLink.code();
        let mut methods = before.default_payment_methods;
        if account.status() == OnlineStatus::Active
            && before.online.status != OnlineStatus::Active
            && !methods.iter().any(|c| c == link)
        {
            methods.push(link.to_owned());
            state.store.set_default_payment_methods(business_id, &methods, state.now()).await?;
        }
    }
    Ok(business)
}

pub async fn refresh_business(state: &AppState, business_id: BusinessId) -> Result<(), AppError> {
    if let Some(account) = state.store.business(business_id).await?.online.account_id {
        refresh_account(state, &account).await?;
    }
    Ok(())
}

/// The methods ticked on new invoices. The payment link only once online payment is active.
pub async fn save_default_methods(
    state: &AppState,
    business_id: BusinessId,
    codes: &[String],
) -> Result<(), AppError> {
    let mut errors = FieldErrors::default();
    let mut methods: Vec<String> = Vec::new();
    for code in codes {
        match PaymentMethod::from_code(code) {
            Some(m) if !methods.iter().any(|c| c == m.code()) => methods.push(m.code().to_owned()),
            Some(_) => {}
            None => errors.push("methods", format!("Moyen de paiement inconnu : {code}.")),
        }
    }
    if methods.is_empty() {
        errors.push("methods", "Cochez au moins un moyen de paiement.");
    }
    let online = state.store.business(business_id).await?.online.status;
    if methods.iter().any(|c| c == PaymentMethod::PaymentLink.code()) && online != OnlineStatus::Active {
        errors.push(
            "methods",
            "Activez d'abord le paiement en ligne (« Configurer ») pour proposer le lien de paiement.",
        );
    }
    if !errors.is_empty() {
        return Err(errors.into());
    }
    state.store.set_default_payment_methods(business_id, &methods, state.now()).await?;
    Ok(())
}
