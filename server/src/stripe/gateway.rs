//! The [`PaymentGateway`] over async-stripe. The same code talks to Stripe or, by default, to
//! the embedded sandbox: only the base URL and the key differ.

use app::domain::ProviderMode;
use app::ports::{
    CheckoutRequest, GatewayError, PaymentGateway, ProviderAccount, ProviderCheckoutSession, ProviderRefund,
    RefundRequest,
};
use async_trait::async_trait;
use std::collections::HashMap;
use std::time::Duration;
use stripe::{Client, ClientBuilder, IdempotencyKey, RequestStrategy, StripeError, StripeRequest};
use stripe_checkout::checkout_session::{
    CreateCheckoutSession, CreateCheckoutSessionLineItems, CreateCheckoutSessionLineItemsPriceData,
    CreateCheckoutSessionPaymentIntentData, ExpireCheckoutSession, ProductData, RetrieveCheckoutSession,
};
use stripe_connect::account::{
    CreateAccount, CreateAccountController, CreateAccountControllerFees, CreateAccountControllerFeesPayer,
    CreateAccountControllerStripeDashboard, CreateAccountControllerStripeDashboardType, RetrieveAccount,
};
use stripe_connect::account_link::{CreateAccountLink, CreateAccountLinkType};
use stripe_core::refund::{CreateRefund, ListRefund, RetrieveRefund};
use stripe_shared::{Account, CheckoutSession, CheckoutSessionLocale, CheckoutSessionMode, Refund};

pub struct StripeGateway {
    client: Client,
    /// Where the entrepreneur's dashboard lives (Stripe's, or the sandbox's page).
    dashboard_base: String,
    /// The embedded sandbox (its dashboard and Checkout pages are Reglo's own).
    sandbox: bool,
    mode: ProviderMode,
}

impl StripeGateway {
    /// `api_base` ends with a slash (async-stripe appends `v1/…`).
    pub fn new(
        secret_key: &str,
        api_base: &str,
        dashboard_base: String,
        sandbox: bool,
    ) -> anyhow::Result<Self> {
        let client = ClientBuilder::new(secret_key)
            .url(api_base)
            .timeout(Duration::from_secs(20))
            .request_strategy(RequestStrategy::Once)
            .build()
            .map_err(|e| anyhow::anyhow!("configuring the Stripe client: {e}"))?;
        // Stripe's test keys move no real money either.
        let mode = if sandbox || secret_key.starts_with("sk_test_") || secret_key.starts_with("rk_test_") {
            ProviderMode::Test
        } else {
            ProviderMode::Live
        };
        Ok(Self { client, dashboard_base, sandbox, mode })
    }
}

fn error(e: StripeError) -> GatewayError {
    match e {
        StripeError::Stripe(api, status) => {
            GatewayError::Refused(format!("{status}: {}", api.message.clone().unwrap_or_default()))
        }
        other => GatewayError::Unavailable(other.to_string()),
    }
}

fn account(a: Account) -> ProviderAccount {
    let (currently_due, pending_verification) = a
        .requirements
        .map(|r| (r.currently_due.unwrap_or_default(), r.pending_verification.unwrap_or_default()))
        .unwrap_or_default();
    ProviderAccount {
        id: a.id.to_string(),
        charges_enabled: a.charges_enabled.unwrap_or(false),
        details_submitted: a.details_submitted.unwrap_or(false),
        currently_due,
        pending_verification,
    }
}

fn session(s: CheckoutSession) -> ProviderCheckoutSession {
    ProviderCheckoutSession {
        id: s.id.to_string(),
        url: s.url,
        status: s.status.map(|st| st.as_str().to_owned()).unwrap_or_default(),
        payment_status: s.payment_status.as_str().to_owned(),
        amount_total: s.amount_total.unwrap_or(0),
        currency: s.currency.map(|c| c.to_string()).unwrap_or_default(),
        payment_intent: s.payment_intent.map(|p| p.id().to_string()),
        client_reference_id: s.client_reference_id,
        metadata: s.metadata.unwrap_or_default(),
        expires_at: s.expires_at,
        livemode: s.livemode,
    }
}

fn refund(r: Refund) -> ProviderRefund {
    ProviderRefund {
        id: r.id.to_string(),
        amount: r.amount,
        status: r.status.unwrap_or_default(),
        payment_intent: r.payment_intent.map(|p| p.id().to_string()),
        failure_reason: r.failure_reason,
        metadata: r.metadata.unwrap_or_default(),
    }
}

fn on(account_id: &str) -> stripe::AccountId {
    stripe::AccountId::from(account_id.to_owned())
}

#[async_trait]
impl PaymentGateway for StripeGateway {
    async fn create_account(
        &self,
        email: &str,
        business_name: &str,
        idempotency_key: &str,
    ) -> Result<ProviderAccount, GatewayError> {
        let mut fees = CreateAccountControllerFees::new();
        fees.payer = Some(CreateAccountControllerFeesPayer::Application);
        let mut dashboard = CreateAccountControllerStripeDashboard::new();
        dashboard.type_ = Some(CreateAccountControllerStripeDashboardType::Full);
        let mut controller = CreateAccountController::new();
        controller.fees = Some(fees);
        controller.stripe_dashboard = Some(dashboard);
        let mut request = CreateAccount::new().controller(controller).country("FR");
        if !email.trim().is_empty() {
            request = request.email(email.trim());
        }
        let mut metadata = HashMap::new();
        metadata.insert("business_name".to_owned(), business_name.to_owned());
        let key = IdempotencyKey::new(idempotency_key)
            .map_err(|e| GatewayError::Unavailable(format!("idempotency key: {e:?}")))?;
        let created = request
            .metadata(metadata)
            .customize()
            .request_strategy(RequestStrategy::Idempotent(key))
            .send(&self.client)
            .await
            .map_err(error)?;
        Ok(account(created))
    }

    async fn account(&self, account_id: &str) -> Result<ProviderAccount, GatewayError> {
        RetrieveAccount::new(on(account_id)).send(&self.client).await.map(account).map_err(error)
    }

    async fn account_link(
        &self,
        account_id: &str,
        refresh_url: &str,
        return_url: &str,
    ) -> Result<String, GatewayError> {
        let link = CreateAccountLink::new(account_id, CreateAccountLinkType::AccountOnboarding)
            .refresh_url(refresh_url)
            .return_url(return_url)
            .send(&self.client)
            .await
            .map_err(error)?;
        Ok(link.url)
    }

    async fn create_checkout_session(
        &self,
        request: &CheckoutRequest,
    ) -> Result<ProviderCheckoutSession, GatewayError> {
        let metadata: HashMap<String, String> = [
            ("invoice_id".to_owned(), request.invoice_id.to_string()),
            ("business_id".to_owned(), request.business_id.to_string()),
        ]
        .into();
        let mut price = CreateCheckoutSessionLineItemsPriceData::new(stripe_types::Currency::EUR);
        price.unit_amount = Some(request.amount.cents());
        price.product_data = Some(ProductData::new(request.description.clone()));
        let mut line = CreateCheckoutSessionLineItems::new();
        line.price_data = Some(price);
        line.quantity = Some(1);
        let mut intent = CreateCheckoutSessionPaymentIntentData::new();
        intent.application_fee_amount = Some(request.application_fee.cents());
        intent.metadata = Some(metadata.clone());
        intent.description = Some(request.description.clone());
        let mut create = CreateCheckoutSession::new()
            .mode(CheckoutSessionMode::Payment)
            .currency(stripe_types::Currency::EUR)
            .locale(CheckoutSessionLocale::Fr)
            .line_items(vec![line])
            .payment_intent_data(intent)
            .client_reference_id(request.invoice_id.to_string())
            .metadata(metadata)
            .success_url(request.success_url.clone())
            .cancel_url(request.cancel_url.clone())
            .expires_at(request.expires_at);
        if let Some(email) = &request.customer_email {
            create = create.customer_email(email.clone());
        }
        let key = IdempotencyKey::new(&request.idempotency_key)
            .map_err(|e| GatewayError::Unavailable(format!("idempotency key: {e:?}")))?;
        let created = create
            .customize()
            .account_id(on(&request.account_id))
            .request_strategy(RequestStrategy::Idempotent(key))
            .send(&self.client)
            .await
            .map_err(error)?;
        Ok(session(created))
    }

    async fn checkout_session(
        &self,
        account_id: &str,
        session_id: &str,
    ) -> Result<ProviderCheckoutSession, GatewayError> {
        RetrieveCheckoutSession::new(session_id)
            .customize()
            .account_id(on(account_id))
            .send(&self.client)
            .await
            .map(session)
            .map_err(error)
    }

    async fn expire_checkout_session(
        &self,
        account_id: &str,
        session_id: &str,
    ) -> Result<ProviderCheckoutSession, GatewayError> {
        ExpireCheckoutSession::new(session_id)
            .customize()
            .account_id(on(account_id))
            .send(&self.client)
            .await
            .map(session)
            .map_err(error)
    }

    async fn create_refund(&self, request: &RefundRequest) -> Result<ProviderRefund, GatewayError> {
        let metadata: HashMap<String, String> = [
            ("invoice_id".to_owned(), request.invoice_id.to_string()),
            ("business_id".to_owned(), request.business_id.to_string()),
        ]
        .into();
        let key = IdempotencyKey::new(&request.idempotency_key)
            .map_err(|e| GatewayError::Unavailable(format!("idempotency key: {e:?}")))?;
        CreateRefund::new()
            .payment_intent(request.payment_intent.clone())
            .amount(request.amount.cents())
            .refund_application_fee(true)
            .metadata(metadata)
            .customize()
            .account_id(on(&request.account_id))
            .request_strategy(RequestStrategy::Idempotent(key))
            .send(&self.client)
            .await
            .map(refund)
            .map_err(error)
    }

    async fn refund(&self, account_id: &str, refund_id: &str) -> Result<ProviderRefund, GatewayError> {
        RetrieveRefund::new(refund_id.to_owned())
            .customize()
            .account_id(on(account_id))
            .send(&self.client)
            .await
            .map(refund)
            .map_err(error)
    }

    async fn charge_refunds(
        &self,
        account_id: &str,
        charge_id: &str,
    ) -> Result<Vec<ProviderRefund>, GatewayError> {
        let list = ListRefund::new()
            .charge(charge_id)
            .limit(100)
            .customize()
            .account_id(on(account_id))
            .send(&self.client)
            .await
            .map_err(error)?;
        Ok(list.data.into_iter().map(refund).collect())
    }

    fn dashboard_url(&self, account_id: &str) -> String {
        // The entrepreneur signs in to Stripe's dashboard as themselves; the sandbox's page
        // needs to be told which account to show.
        if self.sandbox {
            format!("{}{account_id}", self.dashboard_base)
        } else {
            self.dashboard_base.clone()
        }
    }

    fn mode(&self) -> ProviderMode {
        self.mode
    }

    fn checkout_origin(&self) -> String {
        if self.sandbox {
            // The sandbox serves its Checkout pages beside its dashboard.
            origin(&self.dashboard_base)
        } else {
            "https://checkout.stripe.com".into()
        }
    }
}

/// `scheme://host[:port]` of a URL.
fn origin(url: &str) -> String {
    let start = url.find("://").map_or(0, |i| i + 3);
    let end = url[start..].find('/').map_or(url.len(), |i| start + i);
    url[..end].to_owned()
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_origin_is_scheme_host_and_port() {
        assert_eq!(
            super::origin("http://127.0.0.1:3912/_sandbox/stripe/dashboard/"),
            "http://127.0.0.1:3912"
        );
        assert_eq!(super::origin("https://factures.exemple.fr"), "https://factures.exemple.fr");
    }
}
