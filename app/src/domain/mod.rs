//! Pure business rules, without I/O. This module is compiled into the browser bundle and the
//! server alike, so a value checked as the entrepreneur types is checked the same way when saved.

pub mod branding;
pub mod business_profile;
pub mod client;
pub mod contact;
pub mod credit_note;
pub mod date;
pub mod declaration;
pub mod email_message;
pub mod email_template;
pub mod facturx;
pub mod field_errors;
pub mod identifiers;
pub mod invoice;
pub mod invoice_history;
pub mod invoice_lines;
pub mod invoice_status;
pub mod login_throttle;
pub mod money;
pub mod online_payment;
pub mod period;
pub mod quote;
pub mod reminders;
pub mod search;
pub mod settlement;
pub mod thresholds;
pub mod transfer_qr;

pub use branding::{BrandColor, LogoError, LogoFormat};
pub use business_profile::{Activity, BusinessProfile, BusinessProfileInput, VatRegime};
pub use client::{Client, ClientInput, ClientKind};
pub use contact::{Email, LegalName, Password, PostalCode};
pub use credit_note::{status_after_credit, CreditNoteInput, Creditable, ValidCreditNote};
pub use date::Date;
pub use declaration::{DeclarationFrequency, RevenueCategory};
pub use field_errors::{FieldError, FieldErrors};
pub use identifiers::{Bic, Iban, Siren, Siret, VatNumber};
pub use invoice::{InvoiceInput, LineInput, OperationNature, PaymentMethod, ValidInvoice};
pub use invoice_history::HistoryEvent;
pub use invoice_lines::{InvoiceLine, Quantity, Totals, VatLine, VatRate};
pub use invoice_status::{
    amount_due, DocumentKind, InvoiceEvent, InvoiceStatus, ListFilter, ListSort, ShownStatus,
};
pub use money::Money;
pub use online_payment::{platform_fee, OnlineStatus, ProviderMode};
pub use period::Period;
pub use quote::{Deposit, QuoteEvent, QuoteInput, QuoteStatus, ValidQuote};
pub use settlement::{Settlement, SettlementChange};

/// Removes the spaces, dots and dashes people type inside identifiers (« 732 829 320 00074 »).
pub(crate) fn compact(input: &str) -> String {
    input.chars().filter(|c| !c.is_whitespace() && *c != '.' && *c != '-').collect()
}
