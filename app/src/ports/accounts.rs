//! Users, sessions and API keys.

use super::{BusinessId, StoreError, UserId};
use crate::domain::{BusinessProfileInput, Email};
use async_trait::async_trait;

/// A stored password hash (argon2id, PHC string). Not `Serialize` and not printable, so it
/// cannot reach a response or a log line.
pub struct PasswordHash(pub String);

/// What logging in needs to know about a user.
pub struct Credentials {
    pub user_id: UserId,
    pub business_id: BusinessId,
    pub password_hash: PasswordHash,
}

/// The user behind a valid session cookie.
#[derive(Debug, Clone)]
pub struct SessionUser {
    pub user_id: UserId,
    pub business_id: BusinessId,
    pub email: String,
}

/// The address a business's account logs in with, and whether its owner confirmed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountEmail {
    pub email: String,
    pub confirmed: bool,
}

/// A REST API key, as its owner sees it (never the key itself).
#[derive(Debug, Clone)]
pub struct ApiKeyRecord {
    pub id: i64,
    pub name: String,
    /// The key's first characters, to recognise it.
    pub prefix: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
}

/// Users, their sessions and the business's REST API keys.
#[async_trait]
pub trait AccountStore: Send + Sync {
    /// Creates a user and their (empty) business in one transaction.
    async fn create_account(
        &self,
        email: &Email,
        password_hash: &PasswordHash,
        defaults: &BusinessProfileInput,
        now: i64,
    ) -> Result<SessionUser, StoreError>;

    /// The user registered under `email` (already normalised), with what checking a password needs.
    async fn find_credentials(&self, email: &str) -> Result<Option<Credentials>, StoreError>;

    /// Opens a session under the hash of its cookie token, valid until `expires_at`; sweeps expired ones.
    async fn create_session(
        &self,
        token_hash: &str,
        user: &SessionUser,
        now: i64,
        expires_at: i64,
    ) -> Result<(), StoreError>;

    /// The session's user, if the session exists, has not expired at `now` and was used after
    /// `idle_since`; notes its use (at most once a minute, to keep reads reads).
    async fn find_session(
        &self,
        token_hash: &str,
        now: i64,
        idle_since: i64,
    ) -> Result<Option<SessionUser>, StoreError>;

    /// Marks the address of `business_id`'s account confirmed, if it still is `email`; `false`
    /// when it is not (changed since the link was sent) or was confirmed already.
    async fn confirm_email(&self, business_id: BusinessId, email: &str, now: i64)
        -> Result<bool, StoreError>;

    /// Replaces the user's login address, to be confirmed again. `Conflict` when another account
    /// has it.
    async fn change_login_email(&self, user_id: i64, email: &Email) -> Result<(), StoreError>;

    /// The business's login address and whether it is confirmed.
    async fn account_email(&self, business_id: BusinessId) -> Result<Option<AccountEmail>, StoreError>;

    /// Closes a session (log-out). Closing one that does not exist is not an error.
    async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError>;

    /// Closes every session of `user_id` but `keep` (the one asking), if given.
    async fn delete_sessions(&self, user_id: i64, keep: Option<&str>) -> Result<(), StoreError>;

    /// Replaces the user's password hash and closes their other sessions, in one transaction.
    async fn change_password(
        &self,
        user_id: i64,
        hash: &PasswordHash,
        keep_session: &str,
    ) -> Result<(), StoreError>;

    /// Stores a new key under its hash; the key itself is never stored.
    async fn create_api_key(
        &self,
        business_id: BusinessId,
        name: &str,
        prefix: &str,
        key_hash: &str,
        now: i64,
    ) -> Result<i64, StoreError>;

    /// Keys not revoked, newest first.
    async fn api_keys(&self, business_id: BusinessId) -> Result<Vec<ApiKeyRecord>, StoreError>;

    /// `NotFound` unless it is a live key of this business.
    async fn revoke_api_key(&self, business_id: BusinessId, id: i64, now: i64) -> Result<(), StoreError>;

    /// The business a live key belongs to, noting its use.
    async fn find_api_key(&self, key_hash: &str, now: i64) -> Result<Option<BusinessId>, StoreError>;
}
