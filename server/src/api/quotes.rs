//! `/api/v1/quotes`: drafts, sending, new versions and the final invoice. The same field names
//! as invoices where they mean the same; amounts in cents.

use super::extract::{integer, optional_integer, ApiBusiness, ApiJson, ApiPath, ApiQuery};
use super::invoices::{api_error, line_out, Decimal, Invoice, LineIn, LineOut, SendInvoice};
use super::problem::Problem;
use app::domain::{Date, Money, QuoteInput};
use app::ports::QuoteRecord;
use app::services::{quote_invoices, quotes as service};
use app::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A new draft quote. Dates default to today and 30 days of validity.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewQuote {
    #[serde(deserialize_with = "integer")]
    pub client_id: i64,
    /// YYYY-MM-DD; default today.
    #[schema(format = Date)]
    pub date: Option<String>,
    /// The last day the client may accept it: on or after `date`, at most 365 days later;
    /// default `date` + 30 days.
    #[schema(format = Date)]
    pub valid_until: Option<String>,
    /// `goods`, `services` or `mixed`; default `services`.
    #[schema(pattern = "^(goods|services|mixed)$")]
    pub operation: Option<String>,
    #[schema(min_items = 1, max_items = 500)]
    pub lines: Vec<LineIn>,
    /// A deposit asked on acceptance, as a share of the total in percent (0 to 100)…
    pub deposit_percent: Option<Decimal>,
    /// …or as an amount (at most the total). Give one of the two, or neither.
    #[schema(minimum = 1, maximum = 1_000_000_000)]
    #[serde(default, deserialize_with = "optional_integer")]
    pub deposit_cents: Option<i64>,
    #[serde(default)]
    #[schema(max_length = 5000)]
    pub notes: String,
    /// Terms printed above « Bon pour accord ».
    #[serde(default)]
    #[schema(max_length = 5000)]
    pub conditions: String,
}

/// Changes to a draft quote; absent fields keep their value, `lines` replaces all lines, a
/// deposit given replaces the other kind.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuotePatch {
    #[serde(default, deserialize_with = "optional_integer")]
    pub client_id: Option<i64>,
    #[schema(format = Date)]
    pub date: Option<String>,
    #[schema(format = Date)]
    pub valid_until: Option<String>,
    #[schema(pattern = "^(goods|services|mixed)$")]
    pub operation: Option<String>,
    #[schema(min_items = 1, max_items = 500)]
    pub lines: Option<Vec<LineIn>>,
    pub deposit_percent: Option<Decimal>,
    #[schema(minimum = 1, maximum = 1_000_000_000)]
    #[serde(default, deserialize_with = "optional_integer")]
    pub deposit_cents: Option<i64>,
    #[schema(max_length = 5000)]
    pub notes: Option<String>,
    #[schema(max_length = 5000)]
    pub conditions: Option<String>,
}

/// The client's answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct QuoteAnswerOut {
    pub accepted: bool,
    /// The name typed under « Bon pour accord » (empty for a refusal).
    pub full_name: String,
    /// The reason given for a refusal.
    pub reason: String,
    /// Unix time of the answer.
    pub answered_at: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Quote {
    pub id: i64,
    /// Given when sent: `D-YYYY-NNNN`.
    pub number: Option<String>,
    /// `draft`, `sent`, `viewed`, `accepted`, `refused`, `expired`, `invoiced`.
    pub status: String,
    pub client_id: Option<i64>,
    pub client_name: String,
    pub date: String,
    pub valid_until: String,
    pub operation: String,
    pub currency: &'static str,
    pub lines: Vec<LineOut>,
    pub total_ht_cents: i64,
    pub total_tax_cents: i64,
    pub total_ttc_cents: i64,
    /// The deposit asked in percent, when asked that way.
    pub deposit_percent: Option<String>,
    /// The deposit asked, in cents TTC (0 for none).
    pub deposit_cents: i64,
    pub notes: String,
    pub conditions: String,
    /// Once sent: where the client reads and answers the quote.
    pub quote_url: Option<String>,
    /// The quote this one is a new version of.
    pub replaces_id: Option<i64>,
    /// The newer version sent in its place.
    pub replaced_by_id: Option<i64>,
    pub answer: Option<QuoteAnswerOut>,
    /// The deposit invoices issued for it.
    pub deposit_invoice_ids: Vec<i64>,
    /// The final invoice (a draft until issued), once invoiced.
    pub invoice_id: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct QuoteList {
    pub items: Vec<Quote>,
    pub limit: i64,
    pub offset: i64,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QuoteListParams {
    /// 1 to 200, default 50.
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    #[serde(default)]
    #[param(minimum = 0)]
    pub offset: i64,
}

/// What the API reads into the editor's input: a deposit is either a percentage or an amount.
fn deposit_fields(percent: Option<&Decimal>, cents: Option<i64>) -> Result<(String, String), Problem> {
    match (percent, cents) {
        (Some(_), Some(_)) => Err(Problem::invalid_field(
            "deposit_cents",
            "Indiquez l'acompte en pourcentage ou en montant, pas les deux.",
        )),
        (Some(p), None) => Ok((p.text(), String::new())),
        (None, Some(c)) => Ok((String::new(), Money::from_cents(c).to_input())),
        (None, None) => Ok((String::new(), String::new())),
    }
}

async fn to_api(state: &AppState, business_id: i64, q: QuoteRecord) -> Result<Quote, Problem> {
    let franchise = service::franchise(state, business_id, &q).await?;
    let status = q.shown_status(app::services::invoices::today(state));
    let invoices = quote_invoices::of_quote(state, business_id, q.id).await?;
    let deposit_invoice_ids = quote_invoices::deposits(&invoices).map(|i| i.id).collect();
    let invoice_id = invoices.iter().rev().find(|i| !i.content.deposit).map(|i| i.id);
    let [ht, tax, ttc, deposit] = q.amounts(franchise);
    Ok(Quote {
        id: q.id,
        number: q.number.clone(),
        status: status.code().into(),
        client_id: q.content.client_id,
        client_name: q.client_name.clone(),
        date: q.content.date.clone(),
        valid_until: q.content.valid_until.clone(),
        operation: q.content.operation.clone(),
        currency: "EUR",
        lines: q.content.lines.iter().map(|l| line_out(l, franchise)).collect(),
        total_ht_cents: ht.cents(),
        total_tax_cents: tax.cents(),
        total_ttc_cents: ttc.cents(),
        deposit_percent: Some(q.content.deposit_percent.trim().to_owned()).filter(|p| !p.is_empty()),
        deposit_cents: deposit.cents(),
        notes: q.content.notes.clone(),
        conditions: q.content.conditions.clone(),
        quote_url: service::link(state, &q),
        replaces_id: q.replaces,
        replaced_by_id: q.replaced_by,
        answer: q.answer.as_ref().map(|a| QuoteAnswerOut {
            accepted: a.accepted,
            full_name: a.full_name.clone(),
            reason: a.reason.clone(),
            answered_at: a.at,
        }),
        deposit_invoice_ids,
        invoice_id,
    })
}

async fn respond(state: &AppState, business_id: i64, q: QuoteRecord) -> Result<Json<Quote>, Problem> {
    Ok(Json(to_api(state, business_id, q).await?))
}

#[utoipa::path(get, path = "/api/v1/quotes", tag = "Devis", params(QuoteListParams),
    responses((status = 200, body = QuoteList)))]
pub async fn list_quotes(
    State(state): State<AppState>,
    ApiBusiness(business_id): ApiBusiness,
    ApiQuery(p): ApiQuery<QuoteListParams>,
) -> Result<Json<QuoteList>, Problem> {
    let limit = p.limit.unwrap_or(50).clamp(1, service::PAGE_LIMIT);
    let offset = p.offset.max(0);
    let mut items = Vec::new();
    for q in service::list(&state, business_id, limit, offset).await? {
        items.push(to_api(&state, business_id, q).await?);
    }
    Ok(Json(QuoteList { items, limit, offset }))
}

#[utoipa::path(post, path = "/api/v1/quotes", tag = "Devis", request_body = NewQuote,
    responses((status = 201, body = Quote), (status = 422, body = Problem)))]
pub async fn create_quote(
    State(state): State<AppState>,
    ApiBusiness(business_id): ApiBusiness,
    ApiJson(body): ApiJson<NewQuote>,
) -> Result<(StatusCode, Json<Quote>), Problem> {
    let template = service::template(&state);
    let date = body.date.unwrap_or(template.date);
    let valid_until = body.valid_until.unwrap_or_else(|| {
        Date::parse(&date).map(|d| app::domain::quote::default_valid_until(d).to_string()).unwrap_or_default()
    });
    let (deposit_percent, deposit_amount) =
        deposit_fields(body.deposit_percent.as_ref(), body.deposit_cents)?;
    let input = QuoteInput {
        client_id: Some(body.client_id),
        date,
        valid_until,
        operation: body.operation.unwrap_or(template.operation),
        lines: body.lines.iter().map(LineIn::to_input).collect(),
        deposit_percent,
        deposit_amount,
        notes: body.notes,
        conditions: body.conditions,
    };
    let saved = service::save_valid_draft(&state, business_id, None, &input).await.map_err(api_error)?;
    Ok((StatusCode::CREATED, respond(&state, business_id, saved).await?))
}

#[utoipa::path(get, path = "/api/v1/quotes/{id}", tag = "Devis", params(("id" = i64, Path)),
    responses((status = 200, body = Quote), (status = 404, body = Problem)))]
pub async fn get_quote(
    State(state): State<AppState>,
    ApiBusiness(business_id): ApiBusiness,
    ApiPath(id): ApiPath,
) -> Result<Json<Quote>, Problem> {
    let quote = service::get(&state, business_id, id).await?;
    respond(&state, business_id, quote).await
}

#[utoipa::path(patch, path = "/api/v1/quotes/{id}", tag = "Devis", params(("id" = i64, Path)),
    request_body = QuotePatch,
    responses((status = 200, body = Quote), (status = 409, body = Problem), (status = 404, body = Problem),
        (status = 422, body = Problem)))]
pub async fn patch_quote(
    State(state): State<AppState>,
    ApiBusiness(business_id): ApiBusiness,
    ApiPath(id): ApiPath,
    ApiJson(patch): ApiJson<QuotePatch>,
) -> Result<Json<Quote>, Problem> {
    let mut input = service::get(&state, business_id, id).await?.content;
    if let Some(v) = patch.client_id {
        input.client_id = Some(v);
    }
    for (value, field) in [
        (patch.date, &mut input.date),
        (patch.valid_until, &mut input.valid_until),
        (patch.operation, &mut input.operation),
        (patch.notes, &mut input.notes),
        (patch.conditions, &mut input.conditions),
    ] {
        if let Some(v) = value {
            *field = v;
        }
    }
    if let Some(lines) = patch.lines {
        input.lines = lines.iter().map(LineIn::to_input).collect();
    }
    if patch.deposit_percent.is_some() || patch.deposit_cents.is_some() {
        (input.deposit_percent, input.deposit_amount) =
            deposit_fields(patch.deposit_percent.as_ref(), patch.deposit_cents)?;
    }
    let saved = service::save_valid_draft(&state, business_id, Some(id), &input).await.map_err(api_error)?;
    respond(&state, business_id, saved).await
}

#[utoipa::path(delete, path = "/api/v1/quotes/{id}", tag = "Devis", params(("id" = i64, Path)),
    responses((status = 204), (status = 409, body = Problem), (status = 404, body = Problem)))]
pub async fn delete_quote(
    State(state): State<AppState>,
    ApiBusiness(business_id): ApiBusiness,
    ApiPath(id): ApiPath,
) -> Result<StatusCode, Problem> {
    service::delete_draft(&state, business_id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Numbers a draft (`D-YYYY-NNNN`), freezes it and e-mails it with its PDF and acceptance link
/// (the business's « Devis envoyé » text unless overridden; placeholders are filled); a quote
/// already sent and awaiting an answer is e-mailed again.
#[utoipa::path(post, path = "/api/v1/quotes/{id}/send", tag = "Devis", params(("id" = i64, Path)),
    request_body = SendInvoice,
    responses((status = 202, body = Quote), (status = 409, body = Problem), (status = 404, body = Problem),
        (status = 422, body = Problem)))]
pub async fn send_quote(
    State(state): State<AppState>,
    ApiBusiness(business_id): ApiBusiness,
    ApiPath(id): ApiPath,
    ApiJson(body): ApiJson<SendInvoice>,
) -> Result<(StatusCode, Json<Quote>), Problem> {
    let request = body.into_request();
    let sent =
        app::services::quote_emails::send(&state, business_id, id, &request).await.map_err(api_error)?;
    Ok((StatusCode::ACCEPTED, respond(&state, business_id, sent).await?))
}

/// A draft copying a sent quote, dated today; once sent, it replaces the old one, which can no
/// longer be answered.
#[utoipa::path(post, path = "/api/v1/quotes/{id}/new-version", tag = "Devis", params(("id" = i64, Path)),
    responses((status = 201, body = Quote), (status = 409, body = Problem), (status = 404, body = Problem)))]
pub async fn new_version(
    State(state): State<AppState>,
    ApiBusiness(business_id): ApiBusiness,
    ApiPath(id): ApiPath,
) -> Result<(StatusCode, Json<Quote>), Problem> {
    let draft = service::new_version(&state, business_id, id).await?;
    Ok((StatusCode::CREATED, respond(&state, business_id, draft).await?))
}

/// Bills an accepted quote: answers the new invoice draft (the quote's lines, each deposit
/// deducted); the quote becomes `invoiced`.
#[utoipa::path(post, path = "/api/v1/quotes/{id}/invoice", tag = "Devis", params(("id" = i64, Path)),
    responses((status = 201, body = Invoice), (status = 409, body = Problem), (status = 404, body = Problem)))]
pub async fn invoice_quote(
    State(state): State<AppState>,
    ApiBusiness(business_id): ApiBusiness,
    ApiPath(id): ApiPath,
) -> Result<(StatusCode, Json<Invoice>), Problem> {
    let draft = quote_invoices::invoice(&state, business_id, id).await?;
    Ok((StatusCode::CREATED, super::invoices::respond(&state, business_id, draft).await?))
}
