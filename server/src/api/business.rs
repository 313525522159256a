//! `GET/PUT /api/v1/business`: the business profile.

use super::extract::{ApiBusiness, ApiJson};
use super::problem::Problem;
use app::domain::BusinessProfileInput;
use app::ports::BusinessRecord;
use app::state::AppState;
use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A postal address.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Address {
    /// Required.
    #[schema(max_length = 200)]
    pub line1: String,
    #[schema(max_length = 200)]
    pub line2: String,
    /// Five digits (required).
    #[schema(pattern = r"^\s*\d{2}\s?\d{3}\s*$")]
    pub postal_code: String,
    /// Required.
    #[schema(max_length = 100)]
    pub city: String,
}

/// The business as invoices show it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Business {
    /// Legal name; « EI » is appended when missing.
    #[schema(pattern = r"\S", max_length = 120)]
    pub name: String,
    pub address: Address,
    /// 14 digits (spaces allowed), with a valid Luhn checksum.
    #[schema(pattern = r"^[\d ]{14,20}$")]
    pub siret: String,
    /// `goods`, `services_bic` or `liberal_bnc`.
    #[schema(pattern = "^(goods|services_bic|liberal_bnc)$")]
    pub activity: String,
    /// `franchise` or `vat` (then `vat_number` is required).
    #[schema(pattern = "^(franchise|vat)$")]
    pub vat_status: String,
    #[serde(default)]
    pub vat_number: String,
    #[schema(format = Email)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub iban: String,
    #[serde(default)]
    pub bic: String,
    /// At most 60 (art. L441-10 du Code de commerce).
    #[schema(maximum = 60)]
    #[serde(deserialize_with = "super::extract::integer")]
    pub payment_terms_days: u32,
    /// Late-payment penalty rate in percent, e.g. "10" or "12.5".
    pub late_penalty_rate: String,
    /// Invoice numbers read `{invoice_prefix}{year}-{sequence}`; 1 to 10 letters, digits, `-`
    /// or `_`, not starting with `A-` or `D-` (credit notes', quotes').
    #[schema(pattern = "^[A-Za-z0-9_-]{1,10}$")]
    pub invoice_prefix: String,
    /// `#RRGGBB`.
    #[schema(pattern = "^#[0-9A-Fa-f]{6}$")]
    pub brand_color: String,
    /// With `vat`: VAT paid on issue (« option pour le paiement de la taxe d'après les débits »),
    /// said on every invoice. Ignored under the franchise.
    #[serde(default)]
    pub vat_on_debits: bool,
}

/// The business and whether its profile is complete enough to issue invoices.
#[derive(Debug, Serialize, ToSchema)]
pub struct BusinessOut {
    #[serde(flatten)]
    pub business: Business,
    pub profile_complete: bool,
    pub logo_url: Option<String>,
    pub online_payment: OnlinePayment,
}

/// Online card payment through Stripe Connect.
#[derive(Debug, Serialize, ToSchema)]
pub struct OnlinePayment {
    /// `not_configured`, `incomplete`, `pending_verification` or `active`.
    pub status: String,
    /// What Stripe still requires (Stripe's field names).
    pub requirements: Vec<String>,
    /// The platform fee per online payment, in basis points (290 = 2.9 %).
    pub fee_bp: i64,
    pub dashboard_url: Option<String>,
}

/// Where to send the entrepreneur to set up (or finish setting up) online payment.
#[derive(Debug, Serialize, ToSchema)]
pub struct OnboardingLink {
    pub url: String,
}

fn to_api(state: &AppState, record: BusinessRecord) -> BusinessOut {
    let online = OnlinePayment {
        status: record.online.status.code().to_owned(),
        requirements: record.online.requirements.clone(),
        fee_bp: state.settings.fee_bp,
        dashboard_url: record.online.account_id.as_deref().map(|id| state.payments.dashboard_url(id)),
    };
    let p = record.profile;
    let vat_on_debits = p.on_debits();
    BusinessOut {
        business: Business {
            name: p.name,
            address: Address {
                line1: p.address_line1,
                line2: p.address_line2,
                postal_code: p.postal_code,
                city: p.city,
            },
            siret: p.siret,
            activity: p.activity,
            vat_status: p.vat_status,
            vat_number: p.vat_number,
            email: p.email,
            phone: p.phone,
            iban: p.iban,
            bic: p.bic,
            payment_terms_days: p.payment_terms_days.parse().unwrap_or_default(),
            late_penalty_rate: p.late_penalty_rate,
            invoice_prefix: p.invoice_prefix,
            vat_on_debits,
            brand_color: p.brand_color,
        },
        profile_complete: record.profile_complete,
        logo_url: record.logo_file.as_deref().map(app::services::business::logo_url),
        online_payment: online,
    }
}

fn from_api(b: Business) -> BusinessProfileInput {
    BusinessProfileInput {
        name: b.name,
        address_line1: b.address.line1,
        address_line2: b.address.line2,
        postal_code: b.address.postal_code,
        city: b.address.city,
        email: b.email,
        phone: b.phone,
        siret: b.siret,
        activity: b.activity,
        vat_status: b.vat_status,
        vat_number: b.vat_number,
        iban: b.iban,
        bic: b.bic,
        payment_terms_days: b.payment_terms_days.to_string(),
        late_penalty_rate: b.late_penalty_rate,
        invoice_prefix: b.invoice_prefix,
        brand_color: b.brand_color,
        vat_on_debits: if b.vat_on_debits { "true" } else { "" }.into(),
    }
}

#[utoipa::path(get, path = "/api/v1/business", tag = "Entreprise",
    responses((status = 200, body = BusinessOut), (status = 401, body = Problem)))]
pub async fn get_business(
    State(state): State<AppState>,
    ApiBusiness(business_id): ApiBusiness,
) -> Result<Json<BusinessOut>, Problem> {
    Ok(Json(to_api(&state, app::services::business::record(&state, business_id).await?)))
}

/// Replaces the profile; invalid input changes nothing.
#[utoipa::path(put, path = "/api/v1/business", tag = "Entreprise", request_body = Business,
    responses((status = 200, body = BusinessOut), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn put_business(
    State(state): State<AppState>,
    ApiBusiness(business_id): ApiBusiness,
    ApiJson(body): ApiJson<Business>,
) -> Result<Json<BusinessOut>, Problem> {
    let saved = app::services::business::save_profile(
        &state,
        business_id,
        &from_api(body),
        app::services::business::Saver::ApiKey,
    )
    .await?;
    Ok(Json(to_api(&state, saved)))
}

/// Creates the Stripe connected account if needed and returns a one-time onboarding link.
#[utoipa::path(post, path = "/api/v1/business/online-payment/onboarding", tag = "Entreprise",
    responses((status = 200, body = OnboardingLink), (status = 401, body = Problem), (status = 409, body = Problem)))]
pub async fn online_payment_onboarding(
    State(state): State<AppState>,
    ApiBusiness(business_id): ApiBusiness,
) -> Result<Json<OnboardingLink>, Problem> {
    let url = app::services::online_payment::onboarding_link(&state, business_id, true).await?;
    Ok(Json(OnboardingLink { url }))
}
