//! The dashboard: revenue, treasury, chart, due dates, URSSAF declaration.

use super::receipts::ReceiptView;
use crate::domain::thresholds::Gauge;
use crate::domain::{Date, DeclarationFrequency, InvoiceStatus, RevenueCategory};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardView {
    pub today: Date,
    /// This month, this quarter, this year: each up to today, beside the same days last year.
    pub periods: Vec<PeriodFigure>,
    /// This month's fees on online payments.
    pub fees_cents: i64,
    /// This month's received less fees.
    pub net_cents: i64,
    pub outstanding_cents: i64,
    pub overdue_cents: i64,
    /// Revenue received in each of the last twelve months, oldest first.
    pub months: Vec<MonthBar>,
    pub last_receipts: Vec<ReceiptView>,
    pub statuses: Vec<StatusFigure>,
    pub next_due: Vec<DueView>,
    pub declaration: DeclarationView,
    pub gauges: Vec<Gauge>,
    pub quotes: QuoteFiguresView,
    pub first_steps: FirstStepsView,
}

/// What a new account has done of its first steps; the dashboard lists them until all are.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FirstStepsView {
    pub profile_complete: bool,
    pub has_clients: bool,
    pub online_active: bool,
    /// An invoice issued (not only drafted).
    pub has_sent: bool,
}

/// Quotes awaiting an answer, and how many of this year's were accepted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuoteFiguresView {
    pub awaiting: i64,
    pub awaiting_cents: i64,
    pub sent_in_year: i64,
    pub accepted_in_year: i64,
}

impl QuoteFiguresView {
    /// The share of this year's sent quotes accepted, in whole percent (none sent: none).
    pub fn acceptance_percent(&self) -> Option<i64> {
        (self.sent_in_year > 0)
            .then(|| (self.accepted_in_year * 100 + self.sent_in_year / 2) / self.sent_in_year)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodFigure {
    /// « Novembre 2026 », « 4e trimestre 2026 », « Année 2026 ».
    pub title: String,
    pub from: Date,
    pub to: Date,
    pub received_cents: i64,
    pub last_year_cents: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthBar {
    /// `2026-11`.
    pub month: String,
    /// « nov. 26 ».
    pub short: String,
    /// « novembre 2026 ».
    pub long: String,
    pub received_cents: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusFigure {
    pub status: InvoiceStatus,
    pub count: i64,
    pub total_cents: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueView {
    pub id: i64,
    pub number: String,
    pub client: String,
    pub due_date: Date,
    pub due_cents: i64,
    pub overdue: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeclarationView {
    pub frequency: DeclarationFrequency,
    /// The last closed period: what to declare now. None when it closed before the account
    /// was opened and nothing was received in it.
    pub to_declare: Option<DeclarationPeriod>,
    /// The period running, declared next.
    pub current: DeclarationPeriod,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeclarationPeriod {
    /// « octobre 2026 », « 3e trimestre 2026 ».
    pub label: String,
    pub from: Date,
    pub to: Date,
    pub deadline: Date,
    /// One line per category with revenue, in the form's order.
    pub lines: Vec<DeclarationLine>,
    pub total_euros: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeclarationLine {
    pub category: RevenueCategory,
    /// Revenue excluding VAT, to the cent.
    pub cents: i64,
    /// As the form takes it.
    pub euros: i64,
}
