//! The REST API v1, for integrations: bearer API keys, JSON, problems as
//! `application/problem+json`. Handlers parse, call one service and map its answer; the
//! OpenAPI document is built from their annotations.

mod business;
mod clients;
mod extract;
mod invoices;
pub mod problem;
mod treasury;

use app::state::AppState;
use axum::routing::{any, get};
use axum::{Json, Router};
use std::sync::Arc;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{InfoBuilder, OpenApi, SecurityRequirement};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The API's routes and their OpenAPI description.
pub fn router() -> Router<AppState> {
    let (router, mut api) = OpenApiRouter::<AppState>::new()
        .routes(routes!(business::get_business, business::put_business))
        .routes(routes!(business::online_payment_onboarding))
        .routes(routes!(clients::list_clients, clients::create_client))
        .routes(routes!(clients::get_client, clients::patch_client))
        .routes(routes!(invoices::list_invoices, invoices::create_invoice))
        .routes(routes!(invoices::get_invoice, invoices::patch_invoice, invoices::delete_invoice))
        .routes(routes!(invoices::issue_invoice))
        .routes(routes!(invoices::create_credit_note))
        .routes(routes!(invoices::list_payments, invoices::create_payment))
        .routes(routes!(invoices::invoice_pdf))
        .routes(routes!(invoices::send_invoice))
        .routes(routes!(treasury::get_dashboard))
        .routes(routes!(treasury::list_receipts))
        .split_for_parts();
    describe(&mut api);
    let document = Arc::new(api);
    router
        .route("/api/v1/openapi.json", get(move || async move { Json(document.as_ref().clone()) }))
        .route("/api/v1/{*rest}", any(not_found))
}

fn describe(api: &mut OpenApi) {
    api.info = InfoBuilder::new()
        .title("Reglo API")
        .version("1")
        .description(Some(
            "Factures, clients et paiements d'une entreprise Reglo. Authentification : \
             « Authorization: Bearer <clé> » (clés créées dans Paramètres › API). Montants en \
             centimes, quantités en chaînes décimales, erreurs en application/problem+json.",
        ))
        .build();
    let components = api.components.get_or_insert_with(Default::default);
    components.add_security_scheme(
        "cle_api",
        SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
    );
    api.security = Some(vec![SecurityRequirement::new("cle_api", Vec::<String>::new())]);
}

async fn not_found() -> problem::Problem {
    problem::Problem::new(axum::http::StatusCode::NOT_FOUND, "Cette adresse n'existe pas dans l'API v1.")
}
