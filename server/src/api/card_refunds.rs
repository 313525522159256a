//! `POST /api/v1/invoices/{id}/card-refunds`: money owed back to the client after a credit note,
//! refunded to the card that paid online. Answered 202: Stripe's webhook then records it, and it
//! appears in the invoice's `card_refunds`, its amounts and the receipts (negative).

use super::extract::{integer, ApiBusiness, ApiJson, ApiPath};
use super::problem::Problem;
use app::domain::Money;
use app::ports::{CardRefund, CardRefundStatus};
use app::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCardRefund {
    /// At most what the client is owed and what the card paid.
    #[schema(minimum = 1)]
    #[serde(deserialize_with = "integer")]
    pub amount_cents: i64,
}

/// A refund to the client's card.
#[derive(Debug, Serialize, ToSchema)]
pub struct CardRefundOut {
    /// Stripe's refund id.
    pub id: String,
    pub amount_cents: i64,
    /// The platform fee given back with it.
    pub fee_cents: i64,
    /// `pending` (asked, Stripe has not confirmed yet), `succeeded` or `failed`.
    pub status: String,
    /// Why it failed, in French.
    pub failure_reason: Option<String>,
}

pub(super) fn to_api(r: &CardRefund) -> CardRefundOut {
    CardRefundOut {
        id: r.id.clone(),
        amount_cents: r.amount.cents(),
        fee_cents: r.fee.cents(),
        status: r.status.code().to_owned(),
        failure_reason: r.failure_reason.clone().filter(|_| r.status == CardRefundStatus::Failed),
    }
}

#[utoipa::path(post, path = "/api/v1/invoices/{id}/card-refunds", tag = "Factures", params(("id" = i64, Path)),
    request_body = NewCardRefund,
    responses((status = 202, body = CardRefundOut), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem)))]
pub async fn create_card_refund(
    State(state): State<AppState>,
    ApiBusiness(business_id): ApiBusiness,
    ApiPath(id): ApiPath,
    ApiJson(body): ApiJson<NewCardRefund>,
) -> Result<(StatusCode, Json<CardRefundOut>), Problem> {
    let refund =
        app::services::card_refunds::request(&state, business_id, id, Money::from_cents(body.amount_cents))
            .await?;
    Ok((StatusCode::ACCEPTED, Json(to_api(&refund))))
}
