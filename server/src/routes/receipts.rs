//! `GET /recettes/export.csv` and `/recettes/export.pdf`: the livre des recettes over a period,
//! downloaded by its logged-in owner.

use app::services::receipts;
use app::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct PeriodParams {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

pub async fn export(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(format): Path<String>,
    Query(params): Query<PeriodParams>,
) -> Response {
    let user = match super::session_user(&state, &headers).await {
        Ok(user) => user,
        Err(response) => return response,
    };
    if format != "export.csv" && format != "export.pdf" {
        return StatusCode::NOT_FOUND.into_response();
    }
    // Every line of a PDF is laid out: its period is shorter.
    let max_years = if format == "export.pdf" { receipts::MAX_PDF_YEARS } else { receipts::MAX_YEARS };
    let today = app::services::invoices::today(&state);
    let register = match receipts::period(today, &params.from, &params.to, max_years) {
        Ok(period) => receipts::register(&state, user.business_id, period).await,
        Err(e) => Err(e),
    };
    let register = match register {
        Ok(register) => register,
        Err(e) => {
            let status = StatusCode::from_u16(e.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            // A bad period is said with the field's own sentence.
            let message = match &e {
                app::error::AppError::Invalid(errors) => errors.0.first().map(|f| f.message.clone()),
                _ => None,
            };
            return (status, message.unwrap_or_else(|| e.to_string())).into_response();
        }
    };
    match format.as_str() {
        "export.csv" => {
            // The byte-order mark tells spreadsheets the file is UTF-8 (« é », « € »).
            let body = format!("\u{feff}{}", receipts::csv(&register));
            let name = receipts::file_name(&register, "csv");
            let mut res = (StatusCode::OK, body).into_response();
            let h = res.headers_mut();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
            if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
                h.insert(header::CONTENT_DISPOSITION, value);
            }
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
            res
        }
        _ => match receipts::pdf(&state, user.business_id, &register).await {
            Ok(bytes) => super::pdf::pdf_response(&receipts::file_name(&register, "pdf"), bytes),
            Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
        },
    }
}
