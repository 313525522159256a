//! « Tableau de bord »: money received and money expected.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CashView {
    /// « novembre 2026 »
    pub month: String,
    pub received_cents: i64,
    pub fees_cents: i64,
    pub outstanding_cents: i64,
    pub overdue_cents: i64,
}

#[server(endpoint = "dashboard_cash")]
pub async fn dashboard_cash() -> Result<CashView, AppError> {
    use super::context::*;
    with_status(
        async {
            let (state, user) = require_user().await?;
            let (first, s) = crate::services::dashboard::this_month(&state, user.business_id).await?;
            Ok(CashView {
                month: first.month_year_french(),
                received_cents: s.received.cents(),
                fees_cents: s.fees.cents(),
                outstanding_cents: s.outstanding.cents(),
                overdue_cents: s.overdue.cents(),
            })
        }
        .await,
    )
}
