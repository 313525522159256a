//! Automatic reminders: `GET/PUT /api/v1/business/reminders` (the policy) and
//! `PUT /api/v1/invoices/{id}/reminders` (« Ne pas relancer cette facture »); each invoice shows
//! its reminders, sent and planned, in `GET /api/v1/invoices/{id}`.

use super::extract::{ApiBusiness, ApiJson, ApiPath};
use super::problem::Problem;
use app::domain::reminders::ReminderPolicy;
use app::domain::Date;
use app::services::reminders as service;
use app::state::AppState;
use app::views::invoices::{ReminderPlanView, ReminderStepView};
use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The business's automatic reminders.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReminderSettings {
    /// Reminders go out (on for new businesses).
    pub enabled: bool,
    /// Days from the due date: 1 to 4 distinct values from -30 to 90, e.g. `[-3, 1, 8, 15]`.
    /// The n-th step uses the « Relance n » e-mail template.
    #[schema(min_items = 1, max_items = 4, value_type = Vec<i64>)]
    pub steps: Vec<i64>,
}

impl From<ReminderPolicy> for ReminderSettings {
    fn from(policy: ReminderPolicy) -> Self {
        Self { enabled: policy.enabled, steps: policy.steps }
    }
}

/// One reminder of an invoice.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReminderStep {
    /// « J+8 ».
    pub step: String,
    /// Days from the due date.
    pub days: i64,
    /// When it was sent, or when it is planned (UTC, RFC 3339).
    pub at: String,
}

/// An invoice's automatic reminders.
#[derive(Debug, Serialize, ToSchema)]
pub struct InvoiceReminders {
    /// Reminders go out for this invoice: the business's are on and they were not stopped for it.
    pub enabled: bool,
    /// « Ne pas relancer cette facture » was chosen.
    pub stopped: bool,
    pub sent: Vec<ReminderStep>,
    /// The next one, while the invoice awaits payment.
    pub planned: Option<ReminderStep>,
}

/// `PUT /api/v1/invoices/{id}/reminders`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvoiceRemindersIn {
    /// `false`: no more reminders for this invoice; `true`: they go out again.
    pub enabled: bool,
}

/// `2027-01-08T07:00:00Z`.
fn rfc3339(unix: i64) -> String {
    let seconds = unix.rem_euclid(86_400);
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        Date::from_unix(unix),
        seconds / 3_600,
        seconds % 3_600 / 60,
        seconds % 60
    )
}

fn step(view: ReminderStepView) -> ReminderStep {
    ReminderStep { step: view.step, days: view.days, at: rfc3339(view.at) }
}

pub(super) fn to_api(plan: ReminderPlanView) -> InvoiceReminders {
    InvoiceReminders {
        enabled: plan.policy_enabled && !plan.stopped,
        stopped: plan.stopped,
        sent: plan.sent.into_iter().map(step).collect(),
        planned: plan.next.map(step),
    }
}

#[utoipa::path(get, path = "/api/v1/business/reminders", tag = "Entreprise",
    responses((status = 200, body = ReminderSettings)))]
pub async fn get_reminders(
    State(state): State<AppState>,
    ApiBusiness(business_id): ApiBusiness,
) -> Result<Json<ReminderSettings>, Problem> {
    Ok(Json(service::policy(&state, business_id).await?.into()))
}

/// Replaces the policy; invalid steps change nothing (422 naming `steps`).
#[utoipa::path(put, path = "/api/v1/business/reminders", tag = "Entreprise", request_body = ReminderSettings,
    responses((status = 200, body = ReminderSettings), (status = 422, body = Problem)))]
pub async fn put_reminders(
    State(state): State<AppState>,
    ApiBusiness(business_id): ApiBusiness,
    ApiJson(body): ApiJson<ReminderSettings>,
) -> Result<Json<ReminderSettings>, Problem> {
    Ok(Json(service::save_policy(&state, business_id, body.enabled, &body.steps).await?.into()))
}

/// Stops (or resumes) the reminders of one issued invoice.
#[utoipa::path(put, path = "/api/v1/invoices/{id}/reminders", tag = "Factures", params(("id" = i64, Path)),
    request_body = InvoiceRemindersIn,
    responses((status = 200, body = InvoiceReminders), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem)))]
pub async fn put_invoice_reminders(
    State(state): State<AppState>,
    ApiBusiness(business_id): ApiBusiness,
    ApiPath(id): ApiPath,
    ApiJson(body): ApiJson<InvoiceRemindersIn>,
) -> Result<Json<InvoiceReminders>, Problem> {
    service::set_for_invoice(&state, business_id, id, body.enabled).await?;
    let invoice = app::services::invoices::get(&state, business_id, id).await?;
    let plan = service::plan(&state, business_id, &invoice).await?.unwrap_or_default();
    Ok(Json(to_api(plan)))
}

#[cfg(test)]
mod tests {
    #[test]
    fn times_read_as_rfc3339_in_utc() {
        assert_eq!(super::rfc3339(1_799_478_000), "2027-01-09T07:00:00Z");
    }
}
