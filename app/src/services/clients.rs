//! The entrepreneur's clients.

use crate::domain::ClientInput;
use crate::error::AppError;
use crate::ports::{BusinessId, ClientId, ClientRecord, StoreError};
use crate::state::AppState;

fn not_found(e: StoreError) -> AppError {
    match e {
        StoreError::NotFound => AppError::NotFound("Ce client n'existe pas.".into()),
        other => other.into(),
    }
}

/// The name of a draft's client (empty when none is chosen yet); a client of another
/// business, or none, is a field error.
pub async fn name_of(
    state: &AppState,
    business_id: BusinessId,
    id: Option<ClientId>,
) -> Result<String, AppError> {
    match id {
        Some(id) => match state.store.client(business_id, id).await {
            Ok(c) => Ok(c.client.name),
            Err(StoreError::NotFound) => Err(client_error("Ce client n'existe pas.")),
            Err(e) => Err(e.into()),
        },
        None => Ok(String::new()),
    }
}

/// The client a document is issued to, as its snapshot keeps it: one of this business's, not
/// archived.
pub async fn billable(
    state: &AppState,
    business_id: BusinessId,
    id: ClientId,
) -> Result<ClientInput, AppError> {
    match state.store.client(business_id, id).await {
        Ok(c) if !c.archived => Ok(c.client),
        Ok(_) => Err(client_error("Ce client est archivé : réactivez-le ou choisissez-en un autre.")),
        Err(StoreError::NotFound) => Err(client_error("Ce client n'existe pas.")),
        Err(e) => Err(e.into()),
    }
}

fn client_error(message: &str) -> AppError {
    let mut errors = crate::domain::FieldErrors::default();
    errors.push("client_id", message);
    errors.into()
}

/// Identifiers spelled for reading (stores keep them compact).
fn readable(mut record: ClientRecord) -> ClientRecord {
    if let Ok(client) = record.client.validate() {
        record.client = client.to_input();
    }
    record
}

pub async fn list(
    state: &AppState,
    business_id: BusinessId,
    search: &str,
    archived: bool,
) -> Result<Vec<ClientRecord>, AppError> {
    let search: String = search.chars().take(100).collect();
    Ok(state.store.list_clients(business_id, &search, archived).await?.into_iter().map(readable).collect())
}

pub async fn get(state: &AppState, business_id: BusinessId, id: ClientId) -> Result<ClientRecord, AppError> {
    state.store.client(business_id, id).await.map(readable).map_err(not_found)
}

/// Creates the client (no `id`) or updates it; invalid input changes nothing.
pub async fn save(
    state: &AppState,
    business_id: BusinessId,
    id: Option<ClientId>,
    input: &ClientInput,
) -> Result<ClientRecord, AppError> {
    let client = input.validate()?;
    let id = match id {
        Some(id) => {
            state.store.update_client(business_id, id, &client, state.now()).await.map_err(not_found)?;
            id
        }
        None => state.store.create_client(business_id, &client, state.now()).await?,
    };
    get(state, business_id, id).await
}

/// Archived clients leave the list and the client picker, but stay on their invoices.
pub async fn set_archived(
    state: &AppState,
    business_id: BusinessId,
    id: ClientId,
    archived: bool,
) -> Result<(), AppError> {
    state.store.set_client_archived(business_id, id, archived, state.now()).await.map_err(not_found)
}
