//! `/api/v1/invoices`: drafts, issuing, credit notes and payments. Amounts are integer cents;
//! quantities and rates are decimal strings (numbers are accepted too).

use super::extract::{integer, optional_integer, ApiBusiness, ApiJson, ApiPath, ApiQuery};
use super::problem::Problem;
use crate::routes::pdf::PdfParams;
use app::domain::{CreditNoteInput, Date, InvoiceInput, LineInput, ListFilter, ListSort, Money};
use app::ports::{InvoiceQuery, InvoiceRecord};
use app::services::invoices as service;
use app::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A decimal given as a string (« "2.5" ») or a JSON number.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum Decimal {
    Text(String),
    #[schema(value_type = f64)]
    Number(serde_json::Number),
}

impl Decimal {
    pub(super) fn text(&self) -> String {
        match self {
            Decimal::Text(t) => t.clone(),
            Decimal::Number(n) => n.to_string(),
        }
    }
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LineIn {
    #[schema(pattern = r"\S", max_length = 2000)]
    pub description: String,
    /// More than 0 and at most 1 000 000, up to three decimals, e.g. "2.5".
    pub quantity: Decimal,
    #[serde(default)]
    pub unit: String,
    /// At most 10 000 000 €; the line's total too.
    #[schema(minimum = 0, maximum = 1_000_000_000)]
    #[serde(deserialize_with = "integer")]
    pub unit_price_cents: i64,
    /// "0", "5.5", "10" or "20"; ignored (0) under the VAT franchise. Default "20".
    #[serde(default)]
    pub vat_rate: Option<Decimal>,
    /// Discount in percent.
    #[serde(default)]
    pub discount_percent: Option<Decimal>,
}

impl LineIn {
    pub(super) fn to_input(&self) -> LineInput {
        LineInput {
            description: self.description.clone(),
            quantity: self.quantity.text(),
            unit: self.unit.clone(),
            unit_price: Money::from_cents(self.unit_price_cents).to_input(),
            vat_rate: self.vat_rate.as_ref().map_or_else(|| "20".into(), Decimal::text),
            discount: self.discount_percent.as_ref().map(Decimal::text).unwrap_or_default(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LineOut {
    pub description: String,
    pub quantity: String,
    pub unit: String,
    /// Absent when a draft's price does not read.
    pub unit_price_cents: Option<i64>,
    pub vat_rate: String,
    pub discount_percent: String,
    pub total_ht_cents: Option<i64>,
}

/// A new draft. Dates default to today and the business's usual terms.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewInvoice {
    #[serde(deserialize_with = "integer")]
    pub client_id: i64,
    /// YYYY-MM-DD; default today.
    #[schema(format = Date)]
    pub issue_date: Option<String>,
    /// Date of the sale or start of the service; default the issue date.
    #[schema(format = Date)]
    pub service_date: Option<String>,
    #[schema(format = Date)]
    pub service_end: Option<String>,
    /// Default: issue date + the business's payment terms (at most 60 days after the issue date).
    #[schema(format = Date)]
    pub due_date: Option<String>,
    /// `goods`, `services` or `mixed`; default `services`.
    #[schema(pattern = "^(goods|services|mixed)$")]
    pub operation: Option<String>,
    #[schema(min_items = 1, max_items = 500)]
    pub lines: Vec<LineIn>,
    /// The accepted payment methods, by code.
    #[schema(min_items = 1, max_items = 5)]
    pub payment_methods: Vec<String>,
    #[serde(default)]
    pub notes: String,
    /// Where goods are delivered, when it is not the client's address.
    pub delivery_address: Option<DeliveryAddress>,
}

/// Where goods are delivered, printed on the invoice and carried by its e-invoice.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeliveryAddress {
    #[schema(pattern = r"\S", max_length = 200)]
    pub line1: String,
    /// Five digits.
    #[schema(pattern = r"^\s*\d{2}\s?\d{3}\s*$")]
    pub postal_code: String,
    #[schema(pattern = r"\S", max_length = 100)]
    pub city: String,
}

impl DeliveryAddress {
    fn of(content: &InvoiceInput) -> Option<Self> {
        content.has_delivery().then(|| Self {
            line1: content.delivery_line1.clone(),
            postal_code: content.delivery_postal_code.clone(),
            city: content.delivery_city.clone(),
        })
    }

    /// Sets it on `input`; `None` clears it (the client's address).
    fn set(address: Option<Self>, input: &mut InvoiceInput) {
        let a =
            address.unwrap_or(Self { line1: String::new(), postal_code: String::new(), city: String::new() });
        (input.delivery_line1, input.delivery_postal_code, input.delivery_city) =
            (a.line1, a.postal_code, a.city);
    }
}

/// Changes to a draft; absent fields keep their value, `lines` replaces all lines.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvoicePatch {
    #[serde(default, deserialize_with = "optional_integer")]
    pub client_id: Option<i64>,
    #[schema(format = Date)]
    pub issue_date: Option<String>,
    #[schema(format = Date)]
    pub service_date: Option<String>,
    #[schema(format = Date)]
    pub service_end: Option<String>,
    #[schema(format = Date)]
    pub due_date: Option<String>,
    #[schema(pattern = "^(goods|services|mixed)$")]
    pub operation: Option<String>,
    #[schema(min_items = 1, max_items = 500)]
    pub lines: Option<Vec<LineIn>>,
    #[schema(min_items = 1, max_items = 5)]
    pub payment_methods: Option<Vec<String>>,
    pub notes: Option<String>,
    /// `null` goes back to the client's address.
    #[serde(default, deserialize_with = "present")]
    pub delivery_address: Option<Option<DeliveryAddress>>,
}

/// A field given, even as `null`.
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<DeliveryAddress>>, D::Error> {
    Option::<DeliveryAddress>::deserialize(d).map(Some)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Invoice {
    pub id: i64,
    /// `invoice` or `credit_note`.
    pub kind: String,
    pub number: Option<String>,
    /// `draft`, `issued`, `sent`, `partially_paid`, `paid`, `cancelled`.
    pub status: String,
    /// Whether it is past due with money still expected.
    pub overdue: bool,
    pub client_id: Option<i64>,
    pub client_name: String,
    pub issue_date: String,
    pub service_date: String,
    pub service_end: Option<String>,
    pub due_date: String,
    pub operation: String,
    pub currency: &'static str,
    pub lines: Vec<LineOut>,
    pub total_ht_cents: i64,
    pub total_tax_cents: i64,
    pub total_ttc_cents: i64,
    pub amount_paid_cents: i64,
    pub amount_credited_cents: i64,
    pub amount_due_cents: i64,
    pub payment_methods: Vec<String>,
    pub notes: String,
    /// Once issued: where the client pays.
    pub pay_url: Option<String>,
    /// On a credit note: the invoice it corrects.
    pub credited_invoice_id: Option<i64>,
    /// The quote it bills: a deposit invoice (`deposit`) or the final invoice.
    pub quote_id: Option<i64>,
    /// A « facture d'acompte ».
    pub deposit: bool,
    /// Where goods are delivered, when it is not the client's address.
    pub delivery_address: Option<DeliveryAddress>,
    /// An issued invoice's automatic reminders, sent and planned (one invoice's answers only;
    /// `null` in lists and for drafts and credit notes).
    pub reminders: Option<super::reminders::InvoiceReminders>,
    /// Refunds to the client's card, oldest first (one invoice's answers only).
    pub card_refunds: Vec<super::card_refunds::CardRefundOut>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InvoiceList {
    pub items: Vec<Invoice>,
    /// How many matched (items holds at most `limit` of them).
    pub count: i64,
    /// TTC of what matched, credit notes negative, drafts left out.
    pub total_ttc_cents: i64,
    /// Still due on what matched.
    pub total_due_cents: i64,
    pub limit: i64,
    pub offset: i64,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// `draft`, `issued`, `sent`, `partially_paid`, `paid`, `overdue`, `cancelled`, `credit_notes`.
    #[serde(default)]
    pub status: String,
    pub client_id: Option<i64>,
    /// Part of the number or of the client's name.
    #[serde(default)]
    pub search: String,
    /// `date_desc` (default), `date_asc`, `amount_desc`, `amount_asc`.
    #[serde(default)]
    pub sort: String,
    /// 1 to 200, default 50.
    pub limit: Option<i64>,
    #[serde(default)]
    pub offset: i64,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCreditNote {
    /// Credit the whole invoice (then `lines` is ignored).
    #[serde(default)]
    pub full: bool,
    #[serde(default)]
    pub lines: Vec<LineIn>,
    #[serde(default)]
    pub reason: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPayment {
    /// At most what is still due.
    #[schema(minimum = 1, maximum = 1_000_000_000)]
    #[serde(deserialize_with = "integer")]
    pub amount_cents: i64,
    /// `cash`, `cheque`, `transfer` or `card_terminal`.
    #[schema(pattern = "^(cash|cheque|transfer|card_terminal)$")]
    pub method: String,
    /// YYYY-MM-DD the money was received (not before the invoice, not in the future); default today.
    #[schema(format = Date)]
    pub date: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Payment {
    /// Gross: what the client paid.
    pub amount_cents: i64,
    /// `cash`, `cheque`, `transfer`, `card_terminal`, or `online_card` (the payment link).
    pub method: String,
    /// The date the money was received (same as `received_at`).
    pub date: String,
    pub received_at: String,
    /// The platform fee kept on an online payment (0 otherwise).
    pub fee_cents: i64,
    pub net_cents: i64,
    pub stripe_checkout_session_id: Option<String>,
    pub stripe_payment_intent_id: Option<String>,
}

/// The API's field names in validation errors, where they differ from the forms'.
pub(super) fn api_error(error: app::error::AppError) -> Problem {
    use app::error::AppError;
    match error {
        AppError::Invalid(mut errors) => {
            for e in &mut errors.0 {
                let (head, last) = e.field.rsplit_once('.').map_or(("", e.field.as_str()), |(h, l)| (h, l));
                let renamed = match last {
                    "unit_price" => "unit_price_cents",
                    "discount" => "discount_percent",
                    "deposit_amount" => "deposit_cents",
                    "amount" => "amount_cents",
                    "delivery_line1" => "delivery_address.line1",
                    "delivery_postal_code" => "delivery_address.postal_code",
                    "delivery_city" => "delivery_address.city",
                    other => other,
                };
                e.field = if head.is_empty() { renamed.to_owned() } else { format!("{head}.{renamed}") };
            }
            AppError::Invalid(errors).into()
        }
        other => other.into(),
    }
}

pub(super) fn line_out(l: &LineInput, franchise: bool) -> LineOut {
    match l.parse(franchise) {
        Ok(line) => LineOut {
            description: line.description.clone(),
            quantity: line.quantity.to_api(),
            unit: line.unit.clone(),
            unit_price_cents: Some(line.unit_price.cents()),
            vat_rate: line.vat_rate.to_api().into(),
            discount_percent: app::domain::business_profile::format_rate_bp(line.discount_bp as u32),
            total_ht_cents: Some(line.total_ht().cents()),
        },
        Err(_) => LineOut {
            description: l.description.clone(),
            quantity: l.quantity.clone(),
            unit: l.unit.clone(),
            unit_price_cents: Money::parse_euros(&l.unit_price).ok().map(Money::cents),
            vat_rate: l.vat_rate.clone(),
            discount_percent: l.discount.clone(),
            total_ht_cents: None,
        },
    }
}

fn to_api(state: &AppState, r: InvoiceRecord, franchise: bool) -> Invoice {
    let franchise = r.seller.as_ref().map_or(franchise, |s| s.is_franchise());
    let today = service::today(state).to_string();
    let due = Some(r.due_date.as_str()).filter(|d| !d.is_empty());
    let overdue = r.status.shown(due, &today) == app::domain::ShownStatus::Overdue;
    Invoice {
        id: r.id,
        kind: r.kind.code().into(),
        number: r.number.clone(),
        status: r.status.code().into(),
        overdue,
        client_id: r.content.client_id,
        client_name: r.client_name.clone(),
        issue_date: r.issue_date.clone(),
        service_date: r.content.service_date.clone(),
        service_end: Some(r.content.service_end.clone()).filter(|d| !d.is_empty()),
        due_date: r.due_date.clone(),
        operation: r.content.operation.clone(),
        currency: "EUR",
        lines: r.content.lines.iter().map(|l| line_out(l, franchise)).collect(),
        total_ht_cents: r.total_ht.cents(),
        total_tax_cents: r.total_tax.cents(),
        total_ttc_cents: r.total_ttc.cents(),
        amount_paid_cents: r.amount_paid.cents(),
        amount_credited_cents: r.amount_credited.cents(),
        amount_due_cents: r.amount_due().cents(),
        payment_methods: r.content.payment_methods.clone(),
        notes: r.content.notes.clone(),
        pay_url: service::pay_url(state, &r),
        credited_invoice_id: r.credited_invoice_id,
        quote_id: r.content.quote_id,
        deposit: r.content.deposit,
        delivery_address: DeliveryAddress::of(&r.content),
        reminders: None,
        card_refunds: Vec::new(),
    }
}

pub(super) async fn respond(
    state: &AppState,
    business_id: i64,
    r: InvoiceRecord,
) -> Result<Json<Invoice>, Problem> {
    let franchise = service::franchise(state, business_id).await?;
    let reminders = app::services::reminders::plan(state, business_id, &r).await?;
    let card_refunds =
        state.store.card_refunds(business_id, r.id).await.map_err(app::error::AppError::from)?;
    Ok(Json(Invoice {
        reminders: reminders.map(super::reminders::to_api),
        card_refunds: card_refunds.iter().map(super::card_refunds::to_api).collect(),
        ..to_api(state, r, franchise)
    }))
}

#[utoipa::path(get, path = "/api/v1/invoices", tag = "Factures", params(ListParams),
    responses((status = 200, body = InvoiceList), (status = 422, body = Problem)))]
pub async fn list_invoices(
    State(state): State<AppState>,
    ApiBusiness(business_id): ApiBusiness,
    ApiQuery(p): ApiQuery<ListParams>,
) -> Result<Json<InvoiceList>, Problem> {
    let filter = ListFilter::from_code(&p.status).ok_or_else(|| {
        Problem::invalid_field(
            "status",
            "Statut inconnu : draft, issued, sent, partially_paid, paid, overdue, cancelled ou credit_notes.",
        )
    })?;
    let sort = ListSort::from_code(&p.sort).ok_or_else(|| {
        Problem::invalid_field("sort", "Tri inconnu : date_desc, date_asc, amount_desc ou amount_asc.")
    })?;
    let limit = p.limit.unwrap_or(50);
    let query = InvoiceQuery {
        filter,
        client_id: p.client_id,
        search: p.search,
        sort,
        limit,
        offset: p.offset,
        ..Default::default()
    };
    let page = service::list(&state, business_id, query).await?;
    let franchise = service::franchise(&state, business_id).await?;
    Ok(Json(InvoiceList {
        items: page.items.into_iter().map(|r| to_api(&state, r, franchise)).collect(),
        count: page.count,
        total_ttc_cents: page.total_ttc.cents(),
        total_due_cents: page.total_due.cents(),
        limit: limit.clamp(1, service::PAGE_LIMIT),
        offset: p.offset.max(0),
    }))
}

#[utoipa::path(post, path = "/api/v1/invoices", tag = "Factures", request_body = NewInvoice,
    responses((status = 201, body = Invoice), (status = 422, body = Problem)))]
pub async fn create_invoice(
    State(state): State<AppState>,
    ApiBusiness(business_id): ApiBusiness,
    ApiJson(body): ApiJson<NewInvoice>,
) -> Result<(StatusCode, Json<Invoice>), Problem> {
    let template = service::template(&state, business_id).await?;
    let terms = Date::parse(&template.issue_date)
        .and_then(|i| Date::parse(&template.due_date).map(|d| i.days_until(d)))
        .unwrap_or(30);
    let issue_date = body.issue_date.unwrap_or(template.issue_date);
    let due_date = body.due_date.unwrap_or_else(|| {
        Date::parse(&issue_date).map(|d| d.add_days(terms).to_string()).unwrap_or_default()
    });
    let mut input = InvoiceInput {
        client_id: Some(body.client_id),
        service_date: body.service_date.unwrap_or_else(|| issue_date.clone()),
        issue_date,
        service_end: body.service_end.unwrap_or_default(),
        due_date,
        operation: body.operation.unwrap_or(template.operation),
        lines: body.lines.iter().map(LineIn::to_input).collect(),
        payment_methods: body.payment_methods,
        notes: body.notes,
        ..InvoiceInput::default()
    };
    DeliveryAddress::set(body.delivery_address, &mut input);
    let saved = service::save_valid_draft(&state, business_id, None, &input).await.map_err(api_error)?;
    Ok((StatusCode::CREATED, respond(&state, business_id, saved).await?))
}

#[utoipa::path(get, path = "/api/v1/invoices/{id}", tag = "Factures", params(("id" = i64, Path)),
    responses((status = 200, body = Invoice), (status = 404, body = Problem)))]
pub async fn get_invoice(
    State(state): State<AppState>,
    ApiBusiness(business_id): ApiBusiness,
    ApiPath(id): ApiPath,
) -> Result<Json<Invoice>, Problem> {
    let record = service::get(&state, business_id, id).await?;
    respond(&state, business_id, record).await
}

#[utoipa::path(patch, path = "/api/v1/invoices/{id}", tag = "Factures", params(("id" = i64, Path)),
    request_body = InvoicePatch,
    responses((status = 200, body = Invoice), (status = 409, body = Problem), (status = 404, body = Problem),
        (status = 422, body = Problem)))]
pub async fn patch_invoice(
    State(state): State<AppState>,
    ApiBusiness(business_id): ApiBusiness,
    ApiPath(id): ApiPath,
    ApiJson(patch): ApiJson<InvoicePatch>,
) -> Result<Json<Invoice>, Problem> {
    let mut input = service::get(&state, business_id, id).await?.content;
    if let Some(v) = patch.client_id {
        input.client_id = Some(v);
    }
    for (value, field) in [
        (patch.issue_date, &mut input.issue_date),
        (patch.service_date, &mut input.service_date),
        (patch.service_end, &mut input.service_end),
        (patch.due_date, &mut input.due_date),
        (patch.operation, &mut input.operation),
        (patch.notes, &mut input.notes),
    ] {
        if let Some(v) = value {
            *field = v;
        }
    }
    if let Some(lines) = patch.lines {
        input.lines = lines.iter().map(LineIn::to_input).collect();
    }
    if let Some(methods) = patch.payment_methods {
        input.payment_methods = methods;
    }
    if let Some(address) = patch.delivery_address {
        DeliveryAddress::set(address, &mut input);
    }
    let saved = service::save_valid_draft(&state, business_id, Some(id), &input).await.map_err(api_error)?;
    respond(&state, business_id, saved).await
}

#[utoipa::path(delete, path = "/api/v1/invoices/{id}", tag = "Factures", params(("id" = i64, Path)),
    responses((status = 204), (status = 409, body = Problem), (status = 404, body = Problem)))]
pub async fn delete_invoice(
    State(state): State<AppState>,
    ApiBusiness(business_id): ApiBusiness,
    ApiPath(id): ApiPath,
) -> Result<StatusCode, Problem> {
    service::delete_draft(&state, business_id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Gives the draft the next number and freezes it.
#[utoipa::path(post, path = "/api/v1/invoices/{id}/issue", tag = "Factures", params(("id" = i64, Path)),
    responses((status = 200, body = Invoice), (status = 409, body = Problem), (status = 404, body = Problem),
        (status = 422, body = Problem)))]
pub async fn issue_invoice(
    State(state): State<AppState>,
    ApiBusiness(business_id): ApiBusiness,
    ApiPath(id): ApiPath,
) -> Result<Json<Invoice>, Problem> {
    let issued = service::issue(&state, business_id, id).await.map_err(api_error)?;
    respond(&state, business_id, issued).await
}

/// Issues a credit note for all (`full`) or part (`lines`) of an issued invoice.
#[utoipa::path(post, path = "/api/v1/invoices/{id}/credit-notes", tag = "Factures", params(("id" = i64, Path)),
    request_body = NewCreditNote,
    responses((status = 201, body = Invoice), (status = 409, body = Problem), (status = 404, body = Problem),
        (status = 422, body = Problem)))]
pub async fn create_credit_note(
    State(state): State<AppState>,
    ApiBusiness(business_id): ApiBusiness,
    ApiPath(id): ApiPath,
    ApiJson(body): ApiJson<NewCreditNote>,
) -> Result<(StatusCode, Json<Invoice>), Problem> {
    let input = CreditNoteInput {
        full: body.full,
        lines: body.lines.iter().map(LineIn::to_input).collect(),
        reason: body.reason,
    };
    let note = service::credit(&state, business_id, id, &input).await.map_err(api_error)?;
    Ok((StatusCode::CREATED, respond(&state, business_id, note).await?))
}

#[utoipa::path(get, path = "/api/v1/invoices/{id}/payments", tag = "Factures", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<Payment>), (status = 404, body = Problem)))]
pub async fn list_payments(
    State(state): State<AppState>,
    ApiBusiness(business_id): ApiBusiness,
    ApiPath(id): ApiPath,
) -> Result<Json<Vec<Payment>>, Problem> {
    service::get(&state, business_id, id).await?;
    let payments = service::payments(&state, business_id, id).await?;
    Ok(Json(
        payments
            .into_iter()
            .map(|p| Payment {
                amount_cents: p.amount.cents(),
                method: p.method,
                date: p.received_on.clone(),
                received_at: p.received_on,
                fee_cents: p.fee.cents(),
                net_cents: (p.amount - p.fee).cents(),
                stripe_checkout_session_id: p.provider_session_id,
                stripe_payment_intent_id: p.provider_payment_id,
            })
            .collect(),
    ))
}

/// Records money received by hand; returns the invoice with its new amounts and status.
#[utoipa::path(post, path = "/api/v1/invoices/{id}/payments", tag = "Factures", params(("id" = i64, Path)),
    request_body = NewPayment,
    responses((status = 201, body = Invoice), (status = 409, body = Problem), (status = 404, body = Problem),
        (status = 422, body = Problem)))]
pub async fn create_payment(
    State(state): State<AppState>,
    ApiBusiness(business_id): ApiBusiness,
    ApiPath(id): ApiPath,
    ApiJson(body): ApiJson<NewPayment>,
) -> Result<(StatusCode, Json<Invoice>), Problem> {
    if !(0..=Money::MAX_CENTS).contains(&body.amount_cents) {
        return Err(Problem::invalid_field(
            "amount_cents",
            "Le montant doit être positif et inférieur à 10 000 000 €.",
        ));
    }
    let amount = Money::from_cents(body.amount_cents).to_input();
    let date = body.date.unwrap_or_else(|| service::today(&state).to_string());
    let invoice = service::record_payment(&state, business_id, id, &amount, &date, &body.method)
        .await
        .map_err(api_error)?;
    Ok((StatusCode::CREATED, respond(&state, business_id, invoice).await?))
}

/// The PDF of an issued invoice or credit note.
#[utoipa::path(get, path = "/api/v1/invoices/{id}/pdf", tag = "Factures", params(("id" = i64, Path), PdfParams),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>), (status = 409, body = Problem),
        (status = 404, body = Problem)))]
pub async fn invoice_pdf(
    State(state): State<AppState>,
    ApiBusiness(business_id): ApiBusiness,
    ApiPath(id): ApiPath,
    ApiQuery(q): ApiQuery<PdfParams>,
) -> Result<axum::response::Response, Problem> {
    let (name, bytes) = app::services::invoice_pdf::render(&state, business_id, id, q.acquitted()).await?;
    Ok(crate::routes::pdf::pdf_response(&name, bytes))
}

/// The `factur-x.xml` an issued invoice or credit note's PDF carries (UN/CEFACT CII, EN 16931).
#[utoipa::path(get, path = "/api/v1/invoices/{id}/factur-x.xml", tag = "Factures", params(("id" = i64, Path)),
    responses((status = 200, content_type = "application/xml", body = String), (status = 409, body = Problem),
        (status = 404, body = Problem)))]
pub async fn invoice_facturx(
    State(state): State<AppState>,
    ApiBusiness(business_id): ApiBusiness,
    ApiPath(id): ApiPath,
) -> Result<axum::response::Response, Problem> {
    let (name, xml) = app::services::invoice_pdf::facturx(&state, business_id, id).await?;
    Ok(crate::routes::pdf::xml_response(&name, xml))
}

/// Optional overrides of the business's e-mail (« invoice sent », « quote sent »).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SendInvoice {
    /// Default: the client's billing e-mail. At most 10 addresses.
    #[schema(min_items = 1, max_items = 10)]
    pub recipients: Option<Vec<String>>,
    #[schema(pattern = r"\S", max_length = 200)]
    pub subject: Option<String>,
    #[schema(pattern = r"\S", max_length = 10000)]
    pub body: Option<String>,
    /// Also send a copy to the business's address.
    #[serde(default)]
    pub copy_to_me: bool,
}

impl SendInvoice {
    pub(super) fn into_request(self) -> app::services::email::SendRequest {
        app::services::email::SendRequest {
            recipients: self.recipients.map(|r| r.join(", ")),
            copy_to_me: self.copy_to_me,
            subject: self.subject,
            body: self.body,
        }
    }
}

/// E-mails the invoice with its PDF (queued, then delivered with retries) and marks it sent.
#[utoipa::path(post, path = "/api/v1/invoices/{id}/send", tag = "Factures", params(("id" = i64, Path)),
    request_body = SendInvoice,
    responses((status = 202, body = Invoice), (status = 409, body = Problem), (status = 404, body = Problem),
        (status = 422, body = Problem)))]
pub async fn send_invoice(
    State(state): State<AppState>,
    ApiBusiness(business_id): ApiBusiness,
    ApiPath(id): ApiPath,
    ApiJson(body): ApiJson<SendInvoice>,
) -> Result<(StatusCode, Json<Invoice>), Problem> {
    let request = body.into_request();
    let sent = app::services::email::send_invoice(&state, business_id, id, &request).await?;
    Ok((StatusCode::ACCEPTED, respond(&state, business_id, sent).await?))
}
