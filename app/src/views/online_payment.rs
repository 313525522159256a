//! « Paramètres › Paiements ».

use crate::domain::OnlineStatus;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentSettingsView {
    /// Methods ticked on new invoices.
    pub default_methods: Vec<String>,
    pub status: OnlineStatus,
    /// What Stripe still requires, in French.
    pub requirements: Vec<String>,
    pub dashboard_url: Option<String>,
    pub fee_bp: i64,
    /// Stripe, a test stand-in (no real money), or no provider on this server.
    pub mode: crate::domain::ProviderMode,
}
