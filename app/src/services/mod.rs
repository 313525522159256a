//! The use cases, over the ports. Server functions and HTTP handlers only parse input, call one
//! of these and map the error.

pub mod account_emails;
pub mod accounts;
pub mod api_keys;
pub mod business;
pub mod card_refunds;
pub mod checkout;
pub mod clients;
pub mod cpu;
pub mod dashboard;
pub mod email;
pub mod formal_notice;
pub mod invoice_pdf;
pub mod invoices;
pub mod live_streams;
pub mod online_payment;
pub mod password;
pub mod password_reset;
pub mod pay_link;
pub mod pdf_cache;
pub mod quote_emails;
pub mod quote_invoices;
pub mod quote_pdf;
pub mod quotes;
pub mod receipts;
pub mod reminders;
pub mod session_cookie;

use crate::error::AppError;
use crate::ports::StoreError;

/// Logs the detail of an unexpected failure and gives the user a neutral message.
pub(crate) fn internal(context: &str, error: impl std::fmt::Display) -> AppError {
    tracing::error!("{context}: {error}");
    AppError::Internal
}

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> Self {
        internal("store", error)
    }
}
