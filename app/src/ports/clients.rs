//! The client book.

use super::{BusinessId, ClientId, StoreError};
use crate::domain::{Client, ClientInput};
use async_trait::async_trait;

/// A client as stored, in the form's spelling.
#[derive(Debug, Clone)]
pub struct ClientRecord {
    pub id: ClientId,
    pub client: ClientInput,
    pub archived: bool,
}

/// The business's client book.
#[async_trait]
pub trait ClientStore: Send + Sync {
    /// The business's clients whose name, e-mail or SIREN contains `search`, by name;
    /// archived ones only when `archived` is true, active ones otherwise.
    async fn list_clients(
        &self,
        business_id: BusinessId,
        search: &str,
        archived: bool,
    ) -> Result<Vec<ClientRecord>, StoreError>;

    /// `NotFound` when the client belongs to another business.
    async fn client(&self, business_id: BusinessId, id: ClientId) -> Result<ClientRecord, StoreError>;

    /// Adds a client to the business's book.
    async fn create_client(
        &self,
        business_id: BusinessId,
        client: &Client,
        now: i64,
    ) -> Result<ClientId, StoreError>;

    /// `NotFound` when the client belongs to another business.
    async fn update_client(
        &self,
        business_id: BusinessId,
        id: ClientId,
        client: &Client,
        now: i64,
    ) -> Result<(), StoreError>;

    /// Archives a client (kept for the invoices naming it) or brings it back.
    /// `NotFound` when the client belongs to another business.
    async fn set_client_archived(
        &self,
        business_id: BusinessId,
        id: ClientId,
        archived: bool,
        now: i64,
    ) -> Result<(), StoreError>;
}
