//! The business profile form.

use crate::domain::BusinessProfileInput;
use serde::{Deserialize, Serialize};

/// The profile as the settings form edits it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BusinessProfileView {
    pub profile: BusinessProfileInput,
    pub profile_complete: bool,
    pub logo_url: Option<String>,
}
