//! Accounts: sign-up, log-in, log-out, and what the app shell shows about the user.

use crate::error::AppError;
pub use crate::views::auth::*;
use leptos::prelude::*;

#[server(endpoint = "sign_up")]
pub async fn sign_up(email: String, password: String, password_confirm: String) -> Result<(), AppError> {
    use super::context::*;
    with_status(
        async {
            let state = state()?;
            crate::services::accounts::sign_up(&state, &email, &password, &password_confirm, &client_ip())
                .await?;
            // The same for a new address and a known one: log in next.
            leptos_axum::redirect("/connexion?inscription=1");
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "log_in")]
pub async fn log_in(email: String, password: String) -> Result<(), AppError> {
    use super::context::*;
    with_status(
        async {
            let state = state()?;
            let session = crate::services::accounts::log_in(&state, &email, &password, &client_ip()).await?;
            set_cookie(&crate::services::session_cookie::set_cookie(
                &session.token,
                state.settings.secure_cookies(),
            ));
            leptos_axum::redirect("/");
            Ok(())
        }
        .await,
    )
}

/// « Mot de passe oublié ? »: the same answer whether the address has an account or not.
#[server(endpoint = "request_password_reset")]
pub async fn request_password_reset(email: String) -> Result<(), AppError> {
    use super::context::*;
    with_status(
        async {
            let state = state()?;
            crate::services::password_reset::request(&state, &email, &client_ip()).await?;
            leptos_axum::redirect("/mot-de-passe-oublie?envoye=1");
            Ok(())
        }
        .await,
    )
}

/// Whether an e-mailed reset link still works, before its form is shown.
#[server(endpoint = "check_password_link")]
pub async fn check_password_link(token: String) -> Result<(), AppError> {
    use super::context::*;
    with_status(
        async {
            let state = state()?;
            crate::services::password_reset::check(&state, &token).await
        }
        .await,
    )
}

/// Sets a new password from an e-mailed link; every session of the account is closed.
#[server(endpoint = "reset_password")]
pub async fn reset_password(
    token: String,
    password: String,
    password_confirm: String,
) -> Result<(), AppError> {
    use super::context::*;
    with_status(
        async {
            let state = state()?;
            crate::services::password_reset::reset(&state, &token, &password, &password_confirm).await?;
            set_cookie(&crate::services::session_cookie::clear_cookie(state.settings.secure_cookies()));
            leptos_axum::redirect("/connexion?mot-de-passe=change");
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "log_out")]
pub async fn log_out() -> Result<(), AppError> {
    use super::context::*;
    with_status(
        async {
            let state = state()?;
            if let Some(token) = session_token() {
                crate::services::accounts::log_out(&state, &token).await?;
            }
            set_cookie(&crate::services::session_cookie::clear_cookie(state.settings.secure_cookies()));
            leptos_axum::redirect("/connexion");
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "log_out_everywhere")]
pub async fn log_out_everywhere() -> Result<(), AppError> {
    use super::context::*;
    with_status(
        async {
            let (state, user) = require_user().await?;
            crate::services::accounts::log_out_everywhere(&state, &user).await?;
            set_cookie(&crate::services::session_cookie::clear_cookie(state.settings.secure_cookies()));
            leptos_axum::redirect("/connexion");
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "change_password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
    new_password_confirm: String,
) -> Result<(), AppError> {
    use super::context::*;
    with_status(
        async {
            let (state, user) = require_user().await?;
            let token = session_token().ok_or(AppError::Unauthorized)?;
            crate::services::accounts::change_password(
                &state,
                &user,
                &token,
                &current_password,
                &new_password,
                &new_password_confirm,
            )
            .await
        }
        .await,
    )
}

#[server(endpoint = "change_login_email")]
pub async fn change_login_email(new_email: String, current_password: String) -> Result<(), AppError> {
    use super::context::*;
    with_status(
        async {
            let (state, user) = require_user().await?;
            crate::services::accounts::change_login_email(&state, &user, &current_password, &new_email).await
        }
        .await,
    )
}

#[server(endpoint = "resend_confirmation")]
pub async fn resend_confirmation() -> Result<(), AppError> {
    use super::context::*;
    with_status(
        async {
            let (state, user) = require_user().await?;
            crate::services::account_emails::resend_confirmation(&state, user.business_id).await
        }
        .await,
    )
}

#[server(endpoint = "shell_info")]
pub async fn shell_info() -> Result<ShellView, AppError> {
    use super::context::*;
    with_status(
        async {
            let (state, user) = require_user().await?;
            let business = crate::services::business::record(&state, user.business_id).await?;
            Ok(ShellView {
                email: user.email,
                business_name: business.profile_complete.then(|| business.profile.name.clone()),
                logo_url: business.logo_file.as_deref().map(crate::services::business::logo_url),
                brand_color: business.profile.brand_color.clone(),
                test_mode: state.payments.mode() == crate::domain::ProviderMode::Test,
                email_confirmed: state
                    .store
                    .account_email(user.business_id)
                    .await?
                    .is_some_and(|a| a.confirmed),
            })
        }
        .await,
    )
}
