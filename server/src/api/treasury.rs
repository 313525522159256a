//! `/api/v1/dashboard` and `/api/v1/receipts`: revenue received by period, and the livre des
//! recettes as JSON or CSV. Revenue counts money by the date it came in (refunds deducted).

use super::extract::{ApiBusiness, ApiQuery};
use super::problem::Problem;
use app::services::{dashboard, receipts};
use app::state::AppState;
use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A period, both ends included; both absent means this year so far (Paris time).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PeriodQuery {
    /// `YYYY-MM-DD`; alone, the period runs to the end of its year.
    #[serde(default)]
    #[param(format = Date)]
    pub from: String,
    /// `YYYY-MM-DD`; alone, the period starts on 1 January of its year.
    #[serde(default)]
    #[param(format = Date)]
    pub to: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Dashboard {
    pub from: String,
    pub to: String,
    /// Money received in the period (gross, refunds deducted).
    pub revenue_received_cents: i64,
    /// Its part excluding VAT: what is declared to the URSSAF.
    pub revenue_excluding_vat_cents: i64,
    /// Platform fees on online payments in the period.
    pub fees_cents: i64,
    pub net_cents: i64,
    /// Still due on issued invoices, now.
    pub outstanding_cents: i64,
    /// The part of it past its due date.
    pub overdue_cents: i64,
    /// Every month the period touches, oldest first.
    pub months: Vec<DashboardMonth>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DashboardMonth {
    /// `YYYY-MM`.
    pub month: String,
    pub revenue_received_cents: i64,
    pub revenue_excluding_vat_cents: i64,
    pub fees_cents: i64,
    pub net_cents: i64,
}

/// Revenue received over a period, month by month, and what is due now.
#[utoipa::path(get, path = "/api/v1/dashboard", tag = "Trésorerie", params(PeriodQuery),
    responses((status = 200, body = Dashboard), (status = 422, body = Problem)))]
pub async fn get_dashboard(
    State(state): State<AppState>,
    ApiBusiness(business_id): ApiBusiness,
    ApiQuery(q): ApiQuery<PeriodQuery>,
) -> Result<Json<Dashboard>, Problem> {
    let period =
        receipts::period(app::services::invoices::today(&state), &q.from, &q.to, receipts::MAX_YEARS)?;
    let (months, due) = dashboard::period_figures(&state, business_id, period).await?;
    let total = |f: fn(&dashboard::MonthFigures) -> i64| months.iter().map(f).sum::<i64>();
    let received = total(|m| m.received.cents());
    let fees = total(|m| m.fees.cents());
    Ok(Json(Dashboard {
        from: period.from.to_string(),
        to: period.to.to_string(),
        revenue_received_cents: received,
        revenue_excluding_vat_cents: total(|m| m.revenue_ht.cents()),
        fees_cents: fees,
        net_cents: received - fees,
        outstanding_cents: due.outstanding.cents(),
        overdue_cents: due.overdue.cents(),
        months: months
            .iter()
            .map(|m| DashboardMonth {
                month: m.month.clone(),
                revenue_received_cents: m.received.cents(),
                revenue_excluding_vat_cents: m.revenue_ht.cents(),
                fees_cents: m.fees.cents(),
                net_cents: (m.received - m.fees).cents(),
            })
            .collect(),
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Receipt {
    /// When the money came in (or went back), `YYYY-MM-DD`.
    pub date: String,
    pub client: String,
    pub invoice_id: i64,
    pub invoice_number: String,
    pub nature: String,
    /// Negative for a refund.
    pub amount_cents: i64,
    pub method: String,
    /// A test payment (Stripe sandbox): no real money moved.
    pub test: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Receipts {
    pub from: String,
    pub to: String,
    pub total_cents: i64,
    pub receipts: Vec<Receipt>,
}

/// The livre des recettes over a period: JSON, or CSV (`;`, decimal comma) with
/// `Accept: text/csv`.
#[utoipa::path(get, path = "/api/v1/receipts", tag = "Trésorerie", params(PeriodQuery),
    responses((status = 200, content((Receipts = "application/json"), (String = "text/csv"))),
        (status = 422, body = Problem)))]
pub async fn list_receipts(
    State(state): State<AppState>,
    ApiBusiness(business_id): ApiBusiness,
    ApiQuery(q): ApiQuery<PeriodQuery>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let period =
        receipts::period(app::services::invoices::today(&state), &q.from, &q.to, receipts::MAX_YEARS)?;
    let register = receipts::register(&state, business_id, period).await?;
    let wants_csv = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/csv"));
    if wants_csv {
        let disposition = format!("attachment; filename=\"{}\"", receipts::file_name(&register, "csv"));
        return Ok((
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (header::CONTENT_DISPOSITION, disposition),
            ],
            receipts::csv(&register),
        )
            .into_response());
    }
    Ok(Json(Receipts {
        from: register.from.to_string(),
        to: register.to.to_string(),
        total_cents: register.total_cents,
        receipts: register
            .lines
            .into_iter()
            .map(|l| Receipt {
                date: l.date.to_string(),
                client: l.client,
                invoice_id: l.invoice_id,
                invoice_number: l.invoice_number,
                nature: l.nature,
                amount_cents: l.amount_cents,
                method: l.method,
                test: l.test,
            })
            .collect(),
    })
    .into_response())
}
