//! Everything server functions need, provided to them as Leptos context by the server.

use crate::ports::{PdfRenderer, Store};
use crate::services::login_throttle::LoginThrottle;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub store: Arc<dyn Store>,
    pub settings: Arc<Settings>,
    pub login_throttle: Arc<LoginThrottle>,
    pub pdf: Arc<dyn PdfRenderer>,
    /// Wakes the mail worker when a message is queued.
    pub mail_wakeup: Arc<tokio::sync::Notify>,
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
}

/// The server's secret, 32 bytes. Never printed.
#[derive(Clone)]
pub struct SecretKey(pub [u8; 32]);

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
