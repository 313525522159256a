//! The dashboard's figures. Micro-entrepreneurs declare revenue on cash received, so revenue is
//! counted by the date the money came in (refunds deducted), not by invoice date; days, months
//! and years are those of Paris.

use super::invoices::today;
use crate::domain::declaration::{deadline, whole_euros};
use crate::domain::period::{last_twelve_months, Period};
use crate::domain::{
    thresholds, Activity, Date, DeclarationFrequency, InvoiceStatus, Money, OnlineStatus, OperationNature,
    RevenueCategory,
};
use crate::error::AppError;
use crate::ports::{BusinessId, MonthRevenue};
use crate::state::AppState;
use crate::views::dashboard::{
    DashboardView, DeclarationLine, DeclarationPeriod, DeclarationView, DueView, FirstStepsView, MonthBar,
    PeriodFigure, QuoteFiguresView, StatusFigure,
};

const LAST_RECEIPTS: i64 = 5;
const NEXT_DUE: i64 = 5;

/// Everything the dashboard shows, as of today.
pub async fn summary(state: &AppState, business_id: BusinessId) -> Result<DashboardView, AppError> {
    let today = today(state);
    let store = &state.store;
    let business = super::business::record(state, business_id).await?;
    let activity = Activity::from_code(&business.profile.activity).unwrap_or(Activity::ServicesBic);
    let franchise = business.profile.vat_status != "vat";
    let frequency = frequency(state, business_id).await?;

    let year = Period::year_of(today);
    let twelve = last_twelve_months(today);
    // Every whole month any figure below needs: the last twelve, this year, the last two
    // declaration periods (all inside the twelve months, except January's look back).
    let to_declare = frequency.previous_period(today);
    let from = twelve.from.min(year.from).min(to_declare.from);
    let revenue = store.revenue_by_month(business_id, &from.to_string(), &twelve.to.to_string()).await?;

    let mut periods = Vec::new();
    for (title, period) in [
        (capitalised(&today.month_year_french()), Period::month_of(today)),
        (Period::quarter_of(today).quarter_label(), Period::quarter_of(today)),
        (format!("Année {}", today.year()), year),
    ] {
        let lived = period.until(today);
        // Last year's same days end mid-month: summed from their own range, not whole months.
        let last_year = lived.a_year_earlier();
        let before = store
            .received_between(business_id, &last_year.from.to_string(), &last_year.to.to_string())
            .await?;
        periods.push(PeriodFigure {
            title,
            from: lived.from,
            to: lived.to,
            received_cents: sum(&revenue, period, |m| m.received).cents(),
            last_year_cents: before.cents(),
        });
    }
    let month = Period::month_of(today);
    let due = store.amounts_due(business_id, &today.to_string()).await?;
    let (received, fees) = (sum(&revenue, month, |m| m.received), sum(&revenue, month, |m| m.fees));

    let months = twelve
        .months()
        .into_iter()
        .map(|m| MonthBar {
            month: m.from.to_string()[..7].to_string(),
            short: m.from.month_short_french(),
            long: m.from.month_year_french(),
            received_cents: sum(&revenue, m, |r| r.received).cents(),
        })
        .collect();

    let last_receipts = store
        .receipt_lines(business_id, "0000-01-01", "9999-12-31", Some(LAST_RECEIPTS))
        .await?
        .iter()
        .map(super::receipts::view)
        .collect();
    let statuses: Vec<StatusFigure> = store
        .invoice_counts(business_id)
        .await?
        .into_iter()
        .map(|s| StatusFigure { status: s.status, count: s.count, total_cents: s.total.cents() })
        .collect();
    // Only whether the client book is empty; the dashboard used to fetch it whole in the page.
    let first_steps = FirstStepsView {
        profile_complete: business.profile_complete,
        has_clients: !store.list_clients(business_id, "", false).await?.is_empty(),
        online_active: business.online.status == OnlineStatus::Active,
        has_sent: statuses.iter().any(|s| s.status != InvoiceStatus::Draft && s.count > 0),
    };
    let next_due = store
        .next_due(business_id, NEXT_DUE)
        .await?
        .into_iter()
        .filter_map(|d| {
            let due_date = Date::parse(&d.due_date).ok()?;
            Some(DueView {
                id: d.id,
                number: d.number,
                client: d.client,
                due_date,
                due_cents: d.due.cents(),
                overdue: due_date < today,
            })
        })
        .collect();

    // A period that closed before the account was opened, with nothing received in it, is
    // not this account's to declare: a new account is not told a deadline passed.
    let opened = Date::from_unix(business.created_at);
    let declaration = DeclarationView {
        frequency,
        to_declare: Some(declaration(&revenue, frequency, to_declare, activity))
            .filter(|p| p.to >= opened || !p.lines.is_empty()),
        current: declaration(&revenue, frequency, frequency.period_of(today), activity),
    };
    let figures = store
        .quote_figures(business_id, &today.to_string(), &year.from.to_string(), &year.to.to_string())
        .await?;
    let quotes = QuoteFiguresView {
        awaiting: figures.awaiting,
        awaiting_cents: figures.awaiting_ttc.cents(),
        sent_in_year: figures.sent_in_year,
        accepted_in_year: figures.accepted_in_year,
    };
    let by_category = by_category(&revenue, year, activity);
    let gauges = thresholds::gauges(today.year(), activity, franchise, &by_category);

    Ok(DashboardView {
        today,
        periods,
        fees_cents: fees.cents(),
        net_cents: (received - fees).cents(),
        outstanding_cents: due.outstanding.cents(),
        overdue_cents: due.overdue.cents(),
        months,
        last_receipts,
        statuses,
        next_due,
        declaration,
        gauges,
        quotes,
        first_steps,
    })
}

pub async fn frequency(state: &AppState, business_id: BusinessId) -> Result<DeclarationFrequency, AppError> {
    Ok(state.store.declaration_frequency(business_id).await?)
}

pub async fn set_frequency(state: &AppState, business_id: BusinessId, code: &str) -> Result<(), AppError> {
    let frequency = DeclarationFrequency::from_code(code)
        .ok_or_else(|| AppError::Refused("Choisissez une déclaration mensuelle ou trimestrielle.".into()))?;
    state.store.set_declaration_frequency(business_id, frequency).await?;
    tracing::info!(business_id, frequency = frequency.code(), "declaration frequency saved");
    Ok(())
}

/// Revenue HT received in `period` (whole months), by URSSAF category, in the form's order.
pub fn by_category(
    revenue: &[MonthRevenue],
    period: Period,
    activity: Activity,
) -> Vec<(RevenueCategory, Money)> {
    RevenueCategory::ALL
        .into_iter()
        .map(|category| {
            let total: Money = revenue
                .iter()
                .filter(|m| in_period(m, period) && category_of(m, activity) == category)
                .map(|m| m.revenue_ht)
                .sum();
            (category, total)
        })
        .collect()
}

fn declaration(
    revenue: &[MonthRevenue],
    frequency: DeclarationFrequency,
    period: Period,
    activity: Activity,
) -> DeclarationPeriod {
    let lines: Vec<DeclarationLine> = by_category(revenue, period, activity)
        .into_iter()
        .filter(|(_, m)| m.cents() != 0)
        .map(|(category, m)| DeclarationLine { category, cents: m.cents(), euros: whole_euros(m) })
        .collect();
    DeclarationPeriod {
        label: frequency.period_label(period),
        from: period.from,
        to: period.to,
        deadline: deadline(period),
        total_euros: lines.iter().map(|l| l.euros).sum(),
        lines,
    }
}

fn category_of(m: &MonthRevenue, activity: Activity) -> RevenueCategory {
    let operation = OperationNature::from_code(&m.operation).unwrap_or(OperationNature::Services);
    RevenueCategory::of(operation, activity)
}

fn in_period(m: &MonthRevenue, period: Period) -> bool {
    Date::parse(&format!("{}-01", m.month)).is_ok_and(|first| period.contains(first))
}

fn sum(revenue: &[MonthRevenue], period: Period, field: impl Fn(&MonthRevenue) -> Money) -> Money {
    revenue.iter().filter(|m| in_period(m, period)).map(field).sum()
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// One month of a period's figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthFigures {
    /// `2026-11`.
    pub month: String,
    pub received: Money,
    pub fees: Money,
    pub revenue_ht: Money,
}

/// A period's revenue month by month (every month it touches, zero when nothing came in), with
/// what is due now.
pub async fn period_figures(
    state: &AppState,
    business_id: BusinessId,
    period: Period,
) -> Result<(Vec<MonthFigures>, crate::ports::AmountsDue), AppError> {
    let (from, to) = (period.from.to_string(), period.to.to_string());
    let revenue = state.store.revenue_by_month(business_id, &from, &to).await?;
    let due = state.store.amounts_due(business_id, &today(state).to_string()).await?;
    let months = period
        .months()
        .into_iter()
        .map(|m| MonthFigures {
            month: m.from.to_string()[..7].to_string(),
            received: sum(&revenue, m, |r| r.received),
            fees: sum(&revenue, m, |r| r.fees),
            revenue_ht: sum(&revenue, m, |r| r.revenue_ht),
        })
        .collect();
    Ok((months, due))
}
