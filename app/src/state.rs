//! Everything server functions need, provided to them as Leptos context by the server.

use crate::ports::{Clock, EventBus, Limiter, PaymentGateway, PdfRenderer, Store};
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub store: Arc<dyn Store>,
    pub settings: Arc<Settings>,
    /// Log-in throttling and request rates, across instances.
    pub limits: Arc<dyn Limiter>,
    pub pdf: Arc<dyn PdfRenderer>,
    /// Wakes the mail worker when a message is queued.
    pub mail_wakeup: Arc<tokio::sync::Notify>,
    /// Stripe, the embedded sandbox, or none (online payment off).
    pub payments: Arc<dyn PaymentGateway>,
    /// Wakes the webhook worker when an event is stored.
    pub events_wakeup: Arc<tokio::sync::Notify>,
    /// Live events for open pages (payments, invoices changing state).
    pub events: Arc<dyn EventBus>,
    pub clock: Arc<dyn Clock>,
    pub views_noted: Arc<ViewsNoted>,
    /// Rendered PDFs of issued documents.
    pub pdf_cache: Arc<crate::services::pdf_cache::PdfCache>,
    /// The live streams open on this instance, per session.
    pub streams: Arc<crate::services::live_streams::LiveStreams>,
}

impl AppState {
    /// Seconds since the Unix epoch, from the clock port.
    pub fn now(&self) -> i64 {
        self.clock.now()
    }

    /// Tells the business's open pages that something changed; nobody listening is fine.
    pub async fn publish(
        &self,
        business_id: crate::ports::BusinessId,
        invoice_id: crate::ports::InvoiceId,
        kind: crate::ports::LiveKind,
        amount_cents: i64,
    ) {
        self.events.publish(crate::ports::LiveEvent::new(business_id, invoice_id, kind, amount_cents)).await;
    }
}

/// The pay pages already noted as viewed today, so that a busy page does not write on every hit
/// (the store keeps it to once a day anyway).
#[derive(Default)]
pub struct ViewsNoted(std::sync::Mutex<Option<(String, std::collections::HashSet<crate::ports::InvoiceId>)>>);

impl ViewsNoted {
    pub(crate) fn first_today(&self, invoice_id: crate::ports::InvoiceId, today: &str) -> bool {
        let mut noted = self.0.lock().unwrap_or_else(|e| e.into_inner());
        match noted.as_mut() {
            Some((day, ids)) if day == today => ids.insert(invoice_id),
            _ => {
                *noted = Some((today.to_owned(), std::collections::HashSet::from([invoice_id])));
                true
            }
        }
    }
}

/// The parts of the configuration the services read.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Base of links sent to clients, e.g. `https://factures.exemple.fr`.
    pub public_url: String,
    /// Where logos (and later PDFs and the mail outbox) live.
    pub data_dir: PathBuf,
    /// Signs payment-link tokens.
    pub secret_key: SecretKey,
    /// The platform fee on online payments, in basis points (290 = 2.9 %).
    pub fee_bp: i64,
    /// Pay page requests allowed per client IP and minute.
    pub pay_rate_per_minute: u32,
    /// The smallest amount offered for online payment.
    pub min_online_payment: crate::domain::Money,
    /// Accounts one client address may create per hour.
    pub sign_ups_per_hour: u32,
    /// Recipients one business may send to per 24 hours (invoices and credit notes sent by hand).
    pub daily_recipient_limit: i64,
}

/// The server's secret, 32 bytes. Never printed.
#[derive(Clone)]
pub struct SecretKey(pub [u8; 32]);

impl SecretKey {
    /// HMAC-SHA256 of `parts`, one after the other, under this key, in hex: what every link
    /// and secret derived from the server key is made of.
    pub fn mac(&self, parts: &[&[u8]]) -> String {
        use hmac::{Hmac, Mac};
        let mut mac = Hmac::<sha2::Sha256>::new_from_slice(&self.0).expect("HMAC takes keys of any length");
        for part in parts {
            mac.update(part);
        }
        crate::services::session_cookie::to_hex(&mac.finalize().into_bytes())
    }
}

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(…)")
    }
}

impl Settings {
    /// Cookies get the `Secure` flag when the app is served over HTTPS.
    pub fn secure_cookies(&self) -> bool {
        self.public_url.starts_with("https://")
    }

    pub fn logo_dir(&self) -> PathBuf {
        self.data_dir.join("logos")
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// The client's IP address, put in the request's extensions by the server.
#[derive(Debug, Clone)]
pub struct ClientIp(pub String);
