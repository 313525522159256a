//! The REST API v1, for integrations: bearer API keys, JSON, problems as
//! `application/problem+json`. Handlers parse, call one service and map its answer; the
//! OpenAPI document is built from their annotations.

mod business;
mod card_refunds;
mod clients;
mod extract;
mod invoices;
pub mod problem;
mod quotes;
mod reminders;
mod treasury;

use app::domain::{ListFilter, ListSort, PaymentMethod};
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
        .routes(routes!(reminders::get_reminders, reminders::put_reminders))
        .routes(routes!(reminders::put_invoice_reminders))
        .routes(routes!(clients::list_clients, clients::create_client))
        .routes(routes!(clients::get_client, clients::patch_client))
        .routes(routes!(invoices::list_invoices, invoices::create_invoice))
        .routes(routes!(invoices::get_invoice, invoices::patch_invoice, invoices::delete_invoice))
        .routes(routes!(invoices::issue_invoice))
        .routes(routes!(invoices::create_credit_note))
        .routes(routes!(invoices::list_payments, invoices::create_payment))
        .routes(routes!(card_refunds::create_card_refund))
        .routes(routes!(invoices::invoice_pdf))
        .routes(routes!(invoices::invoice_facturx))
        .routes(routes!(invoices::send_invoice))
        .routes(routes!(quotes::list_quotes, quotes::create_quote))
        .routes(routes!(quotes::get_quote, quotes::patch_quote, quotes::delete_quote))
        .routes(routes!(quotes::send_quote))
        .routes(routes!(quotes::new_version))
        .routes(routes!(quotes::invoice_quote))
        .routes(routes!(treasury::get_dashboard))
        .routes(routes!(treasury::list_receipts))
        .split_for_parts();
    describe(&mut api);
    let mut document = serde_json::to_value(&api).expect("the OpenAPI document serialises");
    refine(&mut document);
    let document = Arc::new(document);
    router
        .route("/api/v1/openapi.json", get(move || async move { Json(document.as_ref().clone()) }))
        .route("/api/v1/{*rest}", any(not_found))
}

fn describe(api: &mut OpenApi) {
    api.info = InfoBuilder::new()
        .title("Reglo API")
        .version("1")
        .description(Some(
            "Factures, devis, clients et paiements d'une entreprise Reglo. Authentification : \
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
    if let Some(components) = api.components.as_mut() {
        flatten_all_of(&mut components.schemas, "BusinessOut");
    }
    for item in api.paths.paths.values_mut() {
        let operations = [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch];
        for operation in operations.into_iter().flatten() {
            answers_every_request_may_get(operation);
        }
    }
}

/// Years `Date::parse` reads (1900 to 2999), on top of `format: date`.
const DATE_PATTERN: &str = r"^(19\d\d|2\d\d\d)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$";

/// A quantity `Quantity::parse` reads: above 0, at most 1 000 000, three decimals at most.
const QUANTITY_PATTERN: &str =
    r"^\s*([1-9]\d{0,5}([.,]\d{1,3})?|0[.,]([1-9]\d{0,2}|0[1-9]\d?|00[1-9])|1000000([.,]0{1,3})?)\s*$";

/// A rate in percent `parse_rate_bp` reads: 0.01 to 100, two decimals at most.
const RATE_PATTERN: &str = r"^\s*(100([.,]0{1,2})?|[1-9]\d?([.,]\d{1,2})?|0[.,](0[1-9]|[1-9]\d?))\s*$";

/// What utoipa's attributes cannot say: every `format: date` is a date `Date::parse` reads;
/// filters, sorts and payment methods are the domain's codes; a credit note takes `full` or at least one line; quantities, rates and VAT rates as the domain
/// reads them; recipients are addresses; an input's address is complete.
fn refine(document: &mut serde_json::Value) {
    use serde_json::{json, Value};
    fn dates(value: &mut Value) {
        match value {
            Value::Object(map) => {
                if map.get("format").and_then(Value::as_str) == Some("date") {
                    map.insert("pattern".into(), json!(DATE_PATTERN));
                }
                map.values_mut().for_each(dates);
            }
            Value::Array(items) => items.iter_mut().for_each(dates),
            _ => {}
        }
    }
    dates(document);
    // The codes the domain reads, from the domain's own lists.
    let codes = |codes: Vec<&str>| json!({ "type": "string", "enum": codes });
    let list = &mut document["paths"]["/api/v1/invoices"]["get"]["parameters"];
    for param in list.as_array_mut().into_iter().flatten() {
        match param["name"].as_str() {
            Some("status") => param["schema"] = codes(ListFilter::ALL.map(ListFilter::code).to_vec()),
            Some("sort") => {
                param["schema"] = codes([""].into_iter().chain(ListSort::ALL.map(ListSort::code)).collect())
            }
            _ => {}
        }
    }
    let schemas = &mut document["components"]["schemas"];
    for schema in ["NewInvoice", "InvoicePatch"] {
        schemas[schema]["properties"]["payment_methods"]["items"] =
            codes(PaymentMethod::ALL.map(PaymentMethod::code).to_vec());
    }
    schemas["NewCreditNote"]["anyOf"] = json!([
        { "required": ["full"], "properties": { "full": { "const": true } } },
        { "required": ["lines"], "properties": { "lines": { "minItems": 1 } } }
    ]);
    schemas["LineIn"]["properties"]["quantity"] = json!({
        "description": "More than 0 and at most 1 000 000, up to three decimals, e.g. \"2.5\".",
        "oneOf": [
            { "type": "string", "pattern": QUANTITY_PATTERN },
            { "type": "number", "exclusiveMinimum": 0, "maximum": 1_000_000, "multipleOf": 0.001 }
        ]
    });
    let rate = |description: &str| {
        json!({ "description": description, "oneOf": [
            { "type": "string", "pattern": RATE_PATTERN },
            { "type": "number", "minimum": 0.01, "maximum": 100, "multipleOf": 0.01 }
        ] })
    };
    let mut discount = rate("Discount in percent, 0.01 to 100, two decimals at most.");
    discount["oneOf"].as_array_mut().expect("just built").push(json!({ "type": "null" }));
    schemas["LineIn"]["properties"]["discount_percent"] = discount;
    let mut deposit = rate("A deposit in percent of the total, 0.01 to 100, two decimals at most.");
    deposit["oneOf"].as_array_mut().expect("just built").push(json!({ "type": "null" }));
    for schema in ["NewQuote", "QuotePatch"] {
        schemas[schema]["properties"]["deposit_percent"] = deposit.clone();
        // A percentage or an amount, not both.
        schemas[schema]["not"] = json!({ "required": ["deposit_percent", "deposit_cents"],
            "properties": { "deposit_percent": { "not": { "type": "null" } },
                            "deposit_cents": { "not": { "type": "null" } } } });
    }
    schemas["Business"]["properties"]["late_penalty_rate"] = json!({
        "type": "string", "pattern": RATE_PATTERN,
        "description": "Late-payment penalty rate in percent, 0.01 to 100, e.g. \"10\" or \"12.5\"."
    });
    schemas["SendInvoice"]["properties"]["recipients"]["items"]["format"] = json!("email");
    // An input's address has its street and city; a profile not yet complete reads back without.
    let mut address_in = schemas["Address"].clone();
    for field in ["line1", "city"] {
        address_in["properties"][field]["pattern"] = json!(r"\S");
    }
    address_in["required"] = json!(["line1", "postal_code", "city"]);
    schemas["AddressIn"] = address_in;
    let input = json!({ "$ref": "#/components/schemas/AddressIn" });
    schemas["Business"]["properties"]["address"] = input.clone();
    schemas["NewClient"]["properties"]["address"] = input.clone();
    schemas["ClientPatch"]["properties"]["address"] = json!({ "oneOf": [{ "type": "null" }, input] });
    schemas["LineIn"]["properties"]["vat_rate"] = json!({
        "description": "Default \"20\"; ignored (0) under the VAT franchise.",
        "enum": [null, "0", "5.5", "10", "20", 0, 5.5, 10, 20]
    });
}

/// `name`, an `allOf` of a referenced object and inline properties (what `#[serde(flatten)]`
/// gives), as one object: the input type it flattens refuses unknown fields
/// (`additionalProperties: false`), which no response carrying more fields could satisfy.
fn flatten_all_of(
    schemas: &mut std::collections::BTreeMap<String, utoipa::openapi::RefOr<utoipa::openapi::Schema>>,
    name: &str,
) {
    use utoipa::openapi::{RefOr, Schema};
    let Some(RefOr::T(Schema::AllOf(all_of))) = schemas.get(name) else { return };
    let mut merged: Option<utoipa::openapi::schema::Object> = None;
    for item in &all_of.items {
        let part = match item {
            RefOr::Ref(r) => match schemas.get(r.ref_location.rsplit('/').next().unwrap_or_default()) {
                Some(RefOr::T(Schema::Object(o))) => o.clone(),
                _ => return,
            },
            RefOr::T(Schema::Object(o)) => o.clone(),
            _ => return,
        };
        match merged.as_mut() {
            None => merged = Some(part),
            Some(m) => {
                m.properties.extend(part.properties);
                m.required.extend(part.required);
            }
        }
    }
    if let Some(mut object) = merged {
        object.additional_properties = None;
        schemas.insert(name.into(), RefOr::T(Schema::Object(object)));
    }
}

/// What the extractors answer before any handler runs, on every operation: a missing or refused
/// key (401, then 429 past the limit), unreadable query parameters (400); and on those with a
/// body, one that is not JSON, too large or of the wrong type (400, 413, 415). Problems are
/// `application/problem+json`, as [`problem::Problem`] sends them.
fn answers_every_request_may_get(operation: &mut utoipa::openapi::path::Operation) {
    use utoipa::openapi::{Content, Ref, RefOr, ResponseBuilder};
    const PROBLEM: &str = "application/problem+json";
    let problem = |description: &str| {
        RefOr::T(
            ResponseBuilder::new()
                .description(description)
                .content(PROBLEM, Content::new(Some(Ref::from_schema_name("Problem"))))
                .build(),
        )
    };
    let responses = &mut operation.responses.responses;
    for response in responses.values_mut() {
        if let RefOr::T(response) = response {
            if let Some(json) = response.content.get("application/json") {
                let is_problem =
                    matches!(&json.schema, Some(RefOr::Ref(r)) if r.ref_location.ends_with("/Problem"));
                if is_problem {
                    let json = response.content.shift_remove("application/json").expect("just read");
                    response.content.insert(PROBLEM.into(), json);
                }
            }
        }
    }
    let mut add = |status: &str, description: &str| {
        responses.entry(status.into()).or_insert_with(|| problem(description));
    };
    add("401", "Clé d'API absente, invalide ou révoquée.");
    add("429", "Trop de requêtes (clés refusées, envois) : réessayer plus tard.");
    add("400", "Requête illisible (paramètres ou corps).");
    if operation.request_body.is_some() {
        add("413", "Corps trop volumineux.");
        add("415", "Corps qui n'est pas du JSON.");
    }
}

async fn not_found() -> problem::Problem {
    problem::Problem::new(axum::http::StatusCode::NOT_FOUND, "Cette adresse n'existe pas dans l'API v1.")
}
