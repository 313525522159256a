//! The dashboard's figures. Micro-entrepreneurs declare revenue on cash received, so revenue is
//! counted by the date the money came in, not by invoice date.

use super::invoices::today;
use crate::domain::Date;
use crate::error::AppError;
use crate::ports::{BusinessId, CashSummary};
use crate::state::AppState;

/// This month's figures (the server's calendar date).
pub async fn this_month(state: &AppState, business_id: BusinessId) -> Result<(Date, CashSummary), AppError> {
    let today = today();
    let (year, month, _) = today.ymd();
    let first = Date::from_ymd(year, month, 1).unwrap_or(today);
    let next = if month == 12 { Date::from_ymd(year + 1, 1, 1) } else { Date::from_ymd(year, month + 1, 1) };
    let last = next.map_or(today, |d| d.add_days(-1));
    let summary = state
        .store
        .cash_summary(business_id, &first.to_string(), &last.to_string(), &today.to_string())
        .await?;
    Ok((first, summary))
}
