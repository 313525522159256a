//! « Paramètres › Relances ».

use serde::{Deserialize, Serialize};

/// The business's automatic reminders as the settings form shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReminderSettingsView {
    pub enabled: bool,
    /// « J-3, J+1, J+8, J+15 ».
    pub steps: String,
}
