//! `/api/v1/clients`: list, create, read, update.

use super::business::Address;
use super::extract::{ApiBusiness, ApiJson, ApiPath, ApiQuery};
use super::problem::Problem;
use app::domain::ClientInput;
use app::ports::ClientRecord;
use app::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Serialize, ToSchema)]
pub struct Client {
    pub id: i64,
    pub name: String,
    /// `business` or `person`.
    pub kind: String,
    pub siren: String,
    pub vat_number: String,
    pub email: String,
    pub address: Address,
    pub archived: bool,
}

/// A new client. Businesses need a SIREN.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewClient {
    #[schema(pattern = r"\S", max_length = 120)]
    pub name: String,
    /// `business` or `person`.
    #[schema(pattern = "^(business|person)$")]
    pub kind: String,
    /// 9 digits with a valid Luhn checksum; required for a business.
    #[serde(default)]
    #[schema(pattern = r"^[\d ]*$")]
    pub siren: String,
    #[serde(default)]
    pub vat_number: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub address: Address,
}

/// The fields to change; absent ones keep their value.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClientPatch {
    #[schema(pattern = r"\S", max_length = 120)]
    pub name: Option<String>,
    #[schema(pattern = "^(business|person)$")]
    pub kind: Option<String>,
    pub siren: Option<String>,
    pub vat_number: Option<String>,
    pub email: Option<String>,
    pub address: Option<Address>,
    pub archived: Option<bool>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ClientQuery {
    /// Part of the name, e-mail or SIREN.
    #[serde(default)]
    pub search: String,
    /// List archived clients instead of active ones.
    #[serde(default)]
    pub archived: bool,
}

fn to_api(r: ClientRecord) -> Client {
    let c = r.client;
    Client {
        id: r.id,
        name: c.name,
        kind: c.kind,
        siren: c.siren,
        vat_number: c.vat_number,
        email: c.email,
        address: Address {
            line1: c.address_line1,
            line2: c.address_line2,
            postal_code: c.postal_code,
            city: c.city,
        },
        archived: r.archived,
    }
}

fn set_address(c: &mut ClientInput, a: Address) {
    c.address_line1 = a.line1;
    c.address_line2 = a.line2;
    c.postal_code = a.postal_code;
    c.city = a.city;
}

#[utoipa::path(get, path = "/api/v1/clients", tag = "Clients", params(ClientQuery),
    responses((status = 200, body = Vec<Client>), (status = 401, body = Problem)))]
pub async fn list_clients(
    State(state): State<AppState>,
    ApiBusiness(business_id): ApiBusiness,
    ApiQuery(q): ApiQuery<ClientQuery>,
) -> Result<Json<Vec<Client>>, Problem> {
    let list = app::services::clients::list(&state, business_id, &q.search, q.archived).await?;
    Ok(Json(list.into_iter().map(to_api).collect()))
}

#[utoipa::path(post, path = "/api/v1/clients", tag = "Clients", request_body = NewClient,
    responses((status = 201, body = Client), (status = 422, body = Problem)))]
pub async fn create_client(
    State(state): State<AppState>,
    ApiBusiness(business_id): ApiBusiness,
    ApiJson(body): ApiJson<NewClient>,
) -> Result<(StatusCode, Json<Client>), Problem> {
    let mut input = ClientInput {
        kind: body.kind,
        name: body.name,
        siren: body.siren,
        vat_number: body.vat_number,
        email: body.email,
        ..Default::default()
    };
    set_address(&mut input, body.address);
    let saved = app::services::clients::save(&state, business_id, None, &input).await?;
    Ok((StatusCode::CREATED, Json(to_api(saved))))
}

#[utoipa::path(get, path = "/api/v1/clients/{id}", tag = "Clients", params(("id" = i64, Path)),
    responses((status = 200, body = Client), (status = 404, body = Problem)))]
pub async fn get_client(
    State(state): State<AppState>,
    ApiBusiness(business_id): ApiBusiness,
    ApiPath(id): ApiPath,
) -> Result<Json<Client>, Problem> {
    Ok(Json(to_api(app::services::clients::get(&state, business_id, id).await?)))
}

#[utoipa::path(patch, path = "/api/v1/clients/{id}", tag = "Clients", params(("id" = i64, Path)),
    request_body = ClientPatch,
    responses((status = 200, body = Client), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn patch_client(
    State(state): State<AppState>,
    ApiBusiness(business_id): ApiBusiness,
    ApiPath(id): ApiPath,
    ApiJson(patch): ApiJson<ClientPatch>,
) -> Result<Json<Client>, Problem> {
    use app::services::clients;
    let mut input = clients::get(&state, business_id, id).await?.client;
    let edits = patch.name.is_some()
        || patch.kind.is_some()
        || patch.siren.is_some()
        || patch.vat_number.is_some()
        || patch.email.is_some()
        || patch.address.is_some();
    if let Some(v) = patch.name {
        input.name = v;
    }
    if let Some(v) = patch.kind {
        input.kind = v;
    }
    if let Some(v) = patch.siren {
        input.siren = v;
    }
    if let Some(v) = patch.vat_number {
        input.vat_number = v;
    }
    if let Some(v) = patch.email {
        input.email = v;
    }
    if let Some(a) = patch.address {
        set_address(&mut input, a);
    }
    if edits {
        clients::save(&state, business_id, Some(id), &input).await?;
    }
    if let Some(archived) = patch.archived {
        clients::set_archived(&state, business_id, id, archived).await?;
    }
    Ok(Json(to_api(clients::get(&state, business_id, id).await?)))
}
