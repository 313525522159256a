//! Password hashing with argon2id: deliberately slow, so run as CPU-bound work ([`super::cpu`]).

use crate::domain::Password;
use crate::error::AppError;
use crate::ports::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rand_core::OsRng;
use std::sync::OnceLock;

fn hash_blocking(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(Argon2::default().hash_password(password.as_bytes(), &salt)?.to_string())
}

pub async fn hash(password: Password) -> Result<PasswordHash, AppError> {
    super::cpu::run("hashing a password", move || hash_blocking(password.expose()))
        .await?
        .map(PasswordHash)
        .map_err(|e| super::internal("hashing password", e))
}

/// Checks `password` against `stored`. With no stored hash (unknown e-mail) it still spends the
/// time of one verification, so response times do not reveal which e-mails have an account.
pub async fn verify(password: String, stored: Option<PasswordHash>) -> Result<bool, AppError> {
    static DUMMY: OnceLock<String> = OnceLock::new();
    super::cpu::run("checking a password", move || {
        let known = stored.is_some();
        let phc = match stored {
            Some(PasswordHash(h)) => h,
            None => DUMMY.get_or_init(|| hash_blocking("reglo-dummy-password").unwrap_or_default()).clone(),
        };
        let matches = argon2::password_hash::PasswordHash::new(&phc)
            .map(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
            .unwrap_or(false);
        known && matches
    })
    .await
}
