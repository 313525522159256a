//! The client book.

use crate::domain::ClientInput;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientView {
    pub id: i64,
    pub client: ClientInput,
    pub archived: bool,
}
