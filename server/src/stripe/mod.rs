//! Stripe Connect: the async-stripe gateway, webhook endpoints and their worker, and the
//! embedded sandbox, used only when asked for (`REGLO_STRIPE_SANDBOX=1`).

pub mod gateway;
pub mod sandbox;
pub mod signature;
pub mod webhooks;
pub mod worker;

use crate::config::Config;
use app::domain::ProviderMode;
use app::ports::{
    CheckoutRequest, GatewayError, PaymentGateway, ProviderAccount, ProviderCheckoutSession, ProviderRefund,
    RefundRequest,
};
use app::state::SecretKey;
use std::sync::Arc;
use webhooks::WebhookSecrets;

/// The payment side of the app, ready to mount.
pub struct Payments {
    pub gateway: Arc<dyn app::ports::PaymentGateway>,
    pub secrets: Arc<WebhookSecrets>,
    /// Set when the sandbox stands in for Stripe.
    pub sandbox: Option<sandbox::Shared>,
}

/// A value derived from the server key, so that the sandbox and its client agree on secrets
/// without any being configured.
fn derived(key: &SecretKey, purpose: &str) -> String {
    key.mac(&[b"reglo sandbox v1:", purpose.as_bytes()])
}

/// The key the app's own Stripe client presents to the sandbox.
pub fn sandbox_api_key(key: &SecretKey) -> String {
    format!("sk_test_{}", derived(key, "api key"))
}

/// Where the app reaches itself (the sandbox's API and webhook deliveries).
fn loopback_url(config: &Config) -> String {
    let mut addr = config.site_addr;
    if addr.ip().is_unspecified() {
        addr.set_ip(std::net::Ipv4Addr::LOCALHOST.into());
    }
    format!("http://{addr}")
}

pub async fn setup(config: &Config, key: &SecretKey) -> anyhow::Result<Payments> {
    match &config.stripe_secret_key {
        None if !config.stripe_sandbox => {
            tracing::warn!(
                "online payment is off: set STRIPE_SECRET_KEY (or REGLO_STRIPE_SANDBOX=1 to try it without real money)"
            );
            Ok(Payments {
                gateway: Arc::new(NoProvider),
                secrets: Arc::new(WebhookSecrets { platform: String::new(), connect: String::new() }),
                sandbox: None,
            })
        }
        Some(stripe_key) => {
            let secrets = Arc::new(WebhookSecrets {
                platform: config.stripe_webhook_secret.clone().unwrap_or_default(),
                connect: config.stripe_connect_webhook_secret.clone().unwrap_or_default(),
            });
            if secrets.platform.is_empty() || secrets.connect.is_empty() {
                tracing::warn!(
                    "STRIPE_WEBHOOK_SECRET / STRIPE_CONNECT_WEBHOOK_SECRET unset: webhooks will be refused"
                );
            }
            let base = config.stripe_api_base.clone().unwrap_or_else(|| "https://api.stripe.com/".into());
            let base = if base.ends_with('/') { base } else { format!("{base}/") };
            let gateway = gateway::StripeGateway::new(
                stripe_key,
                &base,
                "https://dashboard.stripe.com/".into(),
                false,
            )?;
            Ok(Payments { gateway: Arc::new(gateway), secrets, sandbox: None })
        }
        None => {
            let secrets = sandbox_secrets(config, key);
            let api_key = sandbox_api_key(key);
            if let Some(base) = &config.stripe_api_base {
                // A sandbox shared by several instances (`reglo stripe-sandbox`), reached like
                // Stripe; every instance and the sandbox share REGLO_SECRET_KEY, hence the key
                // and the webhook secrets derived from it.
                let base = if base.ends_with('/') { base.clone() } else { format!("{base}/") };
                let gateway =
                    gateway::StripeGateway::new(&api_key, &base, format!("{base}dashboard/"), true)?;
                tracing::warn!(%base, "TEST MODE: online payments use a shared Stripe sandbox (no real money)");
                return Ok(Payments { gateway: Arc::new(gateway), secrets, sandbox: None });
            }
            let loopback = loopback_url(config);
            let sandbox = open_sandbox(config, api_key.clone(), loopback.clone(), secrets.clone()).await?;
            let gateway = gateway::StripeGateway::new(
                &api_key,
                &format!("{loopback}/_sandbox/stripe/"),
                format!("{}/_sandbox/stripe/dashboard/", config.public_url),
                true,
            )?;
            tracing::warn!(
                public_url = %config.public_url,
                "TEST MODE (REGLO_STRIPE_SANDBOX=1): online payments use the built-in Stripe sandbox, no real money"
            );
            Ok(Payments { gateway: Arc::new(gateway), secrets, sandbox: Some(sandbox) })
        }
    }
}

/// The secrets the sandbox signs with and the app checks: as configured, else derived from the
/// server key (so every instance sharing it agrees).
fn sandbox_secrets(config: &Config, key: &SecretKey) -> Arc<WebhookSecrets> {
    Arc::new(WebhookSecrets {
        platform: config
            .stripe_webhook_secret
            .clone()
            .unwrap_or_else(|| format!("whsec_{}", derived(key, "platform"))),
        connect: config
            .stripe_connect_webhook_secret
            .clone()
            .unwrap_or_else(|| format!("whsec_{}", derived(key, "connect"))),
    })
}

/// The sandbox's own storage, in the data directory: never the product's database.
async fn open_sandbox(
    config: &Config,
    api_key: String,
    deliver_base: String,
    secrets: Arc<WebhookSecrets>,
) -> anyhow::Result<sandbox::Shared> {
    let storage = format!("sqlite://{}", config.data_dir.join("stripe-sandbox.db").display());
    sandbox::Sandbox::open(&storage, api_key, &config.public_url, deliver_base, secrets).await
}

/// `reglo stripe-sandbox`: the sandbox alone, for several instances to share (each with
/// `STRIPE_API_BASE={its public URL}/_sandbox/stripe/` and the same `REGLO_SECRET_KEY`). It
/// delivers webhooks to `webhooks_to`, the instances' common address (a load balancer, or one
/// of them).
pub async fn standalone_sandbox(
    config: &Config,
    key: &SecretKey,
    webhooks_to: &str,
) -> anyhow::Result<axum::Router> {
    let webhooks_to = webhooks_to.trim_end_matches('/').to_owned();
    let sandbox =
        open_sandbox(config, sandbox_api_key(key), webhooks_to, sandbox_secrets(config, key)).await?;
    Ok(axum::Router::new().nest_service("/_sandbox/stripe", sandbox::router(sandbox)))
}

/// The provider when none is configured: online payment is off, and says so.
struct NoProvider;

fn off() -> GatewayError {
    GatewayError::Unavailable("no payment provider configured (STRIPE_SECRET_KEY)".into())
}

#[async_trait::async_trait]
impl PaymentGateway for NoProvider {
    async fn create_account(&self, _: &str, _: &str, _: &str) -> Result<ProviderAccount, GatewayError> {
        Err(off())
    }

    async fn account(&self, _: &str) -> Result<ProviderAccount, GatewayError> {
        Err(off())
    }

    async fn account_link(&self, _: &str, _: &str, _: &str) -> Result<String, GatewayError> {
        Err(off())
    }

    async fn create_checkout_session(
        &self,
        _: &CheckoutRequest,
    ) -> Result<ProviderCheckoutSession, GatewayError> {
        Err(off())
    }

    async fn checkout_session(&self, _: &str, _: &str) -> Result<ProviderCheckoutSession, GatewayError> {
        Err(off())
    }

    async fn expire_checkout_session(
        &self,
        _: &str,
        _: &str,
    ) -> Result<ProviderCheckoutSession, GatewayError> {
        Err(off())
    }

    async fn create_refund(&self, _: &RefundRequest) -> Result<ProviderRefund, GatewayError> {
        Err(off())
    }

    async fn refund(&self, _: &str, _: &str) -> Result<ProviderRefund, GatewayError> {
        Err(off())
    }

    async fn charge_refunds(&self, _: &str, _: &str) -> Result<Vec<ProviderRefund>, GatewayError> {
        Err(off())
    }

    fn dashboard_url(&self, _: &str) -> String {
        "https://dashboard.stripe.com/".into()
    }

    fn mode(&self) -> ProviderMode {
        ProviderMode::Off
    }

    fn checkout_origin(&self) -> String {
        "https://checkout.stripe.com".into()
    }
}
