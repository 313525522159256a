//! E-mail texts, the send dialog and the « Boîte d'envoi ».

use crate::domain::email_message::MessageFrame;
use crate::domain::email_template::EmailTemplate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateView {
    pub kind: String,
    pub label: String,
    pub template: EmailTemplate,
}

/// What the « Envoyer par e-mail » dialog starts from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComposeView {
    pub recipients: String,
    pub owner_email: String,
    pub subject: String,
    pub body: String,
    pub frame: MessageFrame,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxItem {
    pub id: i64,
    pub invoice_id: Option<i64>,
    pub quote_id: Option<i64>,
    pub recipients: String,
    pub subject: String,
    /// « En attente », « Envoyé », « Échec ».
    pub status_label: String,
    pub failed: bool,
    pub error: Option<String>,
    /// « 28/11/2026 »
    pub date: String,
    /// Filled when one message is asked for.
    pub html: String,
    pub text: String,
    pub attachment: Option<String>,
}
