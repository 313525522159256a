//! « Clients »: list, search, create, edit, archive.

use crate::domain::ClientInput;
use crate::error::AppError;
pub use crate::views::clients::*;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
impl From<crate::ports::ClientRecord> for ClientView {
    fn from(r: crate::ports::ClientRecord) -> Self {
        Self { id: r.id, client: r.client, archived: r.archived }
    }
}

#[server(endpoint = "list_clients")]
pub async fn list_clients(search: String, archived: bool) -> Result<Vec<ClientView>, AppError> {
    use super::context::*;
    with_status(
        async {
            let (state, user) = require_user().await?;
            let clients = crate::services::clients::list(&state, user.business_id, &search, archived).await?;
            Ok(clients.into_iter().map(ClientView::from).collect())
        }
        .await,
    )
}

/// Creates a client when `id` is absent, updates it otherwise.
#[server(endpoint = "save_client", input = Json)]
pub async fn save_client(id: Option<i64>, client: ClientInput) -> Result<ClientView, AppError> {
    use super::context::*;
    with_status(
        async {
            let (state, user) = require_user().await?;
            Ok(crate::services::clients::save(&state, user.business_id, id, &client).await?.into())
        }
        .await,
    )
}

#[server(endpoint = "archive_client")]
pub async fn archive_client(id: i64, archived: bool) -> Result<(), AppError> {
    use super::context::*;
    with_status(
        async {
            let (state, user) = require_user().await?;
            crate::services::clients::set_archived(&state, user.business_id, id, archived).await
        }
        .await,
    )
}
