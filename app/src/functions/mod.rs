//! Server functions, one module per feature. Each body parses, calls one service and maps the
//! error; the rules live in `services` and `domain`.

pub mod api_keys;
pub mod auth;
pub mod business;
pub mod clients;
pub mod dashboard;
pub mod email;
pub mod invoices;
pub mod online_payment;
pub mod quotes;
pub mod receipts;
pub mod reminders;

/// Helpers server functions use to reach the request, the response and the app state.
#[cfg(feature = "ssr")]
pub(crate) mod context {
    use crate::error::AppError;
    use crate::ports::SessionUser;
    use crate::services::{accounts, session_cookie};
    use crate::state::{AppState, ClientIp};
    use http::header::SET_COOKIE;
    use http::request::Parts;
    use http::{HeaderValue, StatusCode};
    use leptos::prelude::use_context;
    use leptos_axum::ResponseOptions;

    pub fn state() -> Result<AppState, AppError> {
        use_context::<AppState>().ok_or_else(|| crate::services::internal("context", "AppState missing"))
    }

    pub fn client_ip() -> String {
        use_context::<Parts>()
            .and_then(|p| p.extensions.get::<ClientIp>().map(|ip| ip.0.clone()))
            .unwrap_or_else(|| "inconnue".into())
    }

    pub fn session_token() -> Option<String> {
        let secure = state().ok()?.settings.secure_cookies();
        use_context::<Parts>().and_then(|p| session_cookie::token_from_headers(&p.headers, secure))
    }

    /// The logged-in user, or `Unauthorized`.
    pub async fn require_user() -> Result<(AppState, SessionUser), AppError> {
        let state = state()?;
        let token = session_token().ok_or(AppError::Unauthorized)?;
        let user = accounts::authenticate(&state, &token).await?.ok_or(AppError::Unauthorized)?;
        Ok((state, user))
    }

    pub fn set_cookie(value: &str) {
        if let (Some(response), Ok(value)) = (use_context::<ResponseOptions>(), HeaderValue::from_str(value))
        {
            response.append_header(SET_COOKIE, value);
        }
    }

    /// Gives a failed call the HTTP status matching its error, for API clients and logs.
    pub fn with_status<T>(result: Result<T, AppError>) -> Result<T, AppError> {
        if let (Err(error), Some(response)) = (&result, use_context::<ResponseOptions>()) {
            response.set_status(
                StatusCode::from_u16(error.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            );
        }
        result
    }
}
