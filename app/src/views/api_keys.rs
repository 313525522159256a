//! REST API keys as the settings page shows them.

use serde::{Deserialize, Serialize};

/// A key as listed: never the key itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiKeyView {
    pub id: i64,
    pub name: String,
    pub prefix: String,
    /// « 27/11/2026 »
    pub created: String,
    pub last_used: Option<String>,
}

/// A key just created, shown in clear this once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewApiKey {
    pub id: i64,
    pub key: String,
}
