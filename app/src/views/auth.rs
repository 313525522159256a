//! What the app shell shows of the logged-in user.

use serde::{Deserialize, Serialize};

/// What the top bar shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShellView {
    pub email: String,
    /// The legal name, once the profile has been saved.
    pub business_name: Option<String>,
    pub logo_url: Option<String>,
    pub brand_color: String,
    /// Online payments are simulated (the Stripe sandbox): every page says so.
    pub test_mode: bool,
    /// The login address is confirmed; until then nothing is e-mailed to anyone else.
    pub email_confirmed: bool,
}
