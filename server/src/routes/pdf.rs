//! `GET /invoices/{id}/pdf`: an issued invoice or credit note as PDF, for its logged-in owner
//! (`?acquittee=1` for the receipt version of a paid invoice); `GET /quotes/{id}/pdf`, a sent
//! quote (its accepted copy once accepted); `GET /invoices/{id}/factur-x.xml`, the e-invoice's
//! XML alone; `GET /invoices/{id}/mise-en-demeure`, the formal notice of an overdue invoice.

use app::error::AppError;
use app::services::invoice_pdf;
use app::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PdfParams {
    /// `1` for the receipt version of a paid invoice (« facture acquittée »).
    #[serde(default)]
    acquittee: Option<String>,
}

impl PdfParams {
    pub fn acquitted(&self) -> bool {
        self.acquittee.as_deref().is_some_and(|v| v != "0" && v != "false")
    }
}

pub async fn invoice_pdf(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(params): Query<PdfParams>,
) -> Response {
    let user = match super::session_user(&state, &headers).await {
        Ok(user) => user,
        Err(response) => return response,
    };
    match invoice_pdf::render(&state, user.business_id, id, params.acquitted()).await {
        Ok((name, bytes)) => pdf_response(&name, bytes),
        Err(e) => invoice_error(e),
    }
}

pub async fn invoice_facturx(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let user = match super::session_user(&state, &headers).await {
        Ok(user) => user,
        Err(response) => return response,
    };
    match invoice_pdf::facturx(&state, user.business_id, id).await {
        Ok((name, xml)) => xml_response(&name, xml),
        Err(e) => invoice_error(e),
    }
}

pub async fn formal_notice(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let user = match super::session_user(&state, &headers).await {
        Ok(user) => user,
        Err(response) => return response,
    };
    match app::services::formal_notice::render(&state, user.business_id, id).await {
        Ok((name, bytes)) => pdf_response(&name, bytes),
        Err(e) => invoice_error(e),
    }
}

/// A refusal about an invoice, in French, with its status.
fn invoice_error(e: AppError) -> Response {
    let status = StatusCode::from_u16(e.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let message = match e {
        AppError::NotFound(_) => "Cette facture n'existe pas.".to_owned(),
        other => other.to_string(),
    };
    (status, message).into_response()
}

pub async fn quote_pdf(State(state): State<AppState>, headers: HeaderMap, Path(id): Path<i64>) -> Response {
    let user = match super::session_user(&state, &headers).await {
        Ok(user) => user,
        Err(response) => return response,
    };
    let rendered = match app::services::quotes::get(&state, user.business_id, id).await {
        Ok(quote) => app::services::quote_pdf::render(&state, user.business_id, &quote, true).await,
        Err(e) => Err(e),
    };
    match rendered {
        Ok((name, bytes)) => pdf_response(&name, bytes),
        Err(e) => {
            let status = StatusCode::from_u16(e.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            (status, e.to_string()).into_response()
        }
    }
}

/// The PDF, shown inline (the app previews it in a frame of its own) under its French name.
pub fn pdf_response(name: &str, bytes: Vec<u8>) -> Response {
    let mut res = (StatusCode::OK, bytes).into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/pdf"));
    if let Ok(value) = HeaderValue::from_str(&disposition("inline", name)) {
        h.insert(header::CONTENT_DISPOSITION, value);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("SAMEORIGIN"));
    res
}

/// A `factur-x.xml`, downloaded under its French name.
pub fn xml_response(name: &str, xml: String) -> Response {
    let mut res = (StatusCode::OK, xml).into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/xml; charset=utf-8"));
    if let Ok(value) = HeaderValue::from_str(&disposition("attachment", name)) {
        h.insert(header::CONTENT_DISPOSITION, value);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    res
}

/// `inline` or `attachment`, with the name in ASCII and in UTF-8.
fn disposition(kind: &str, name: &str) -> String {
    let ascii: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() || " .-_".contains(c) { c } else { '_' }).collect();
    format!("{kind}; filename=\"{ascii}\"; filename*=UTF-8''{}", percent_encode(name))
}

/// RFC 5987 encoding of a file name.
fn percent_encode(name: &str) -> String {
    name.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-' | b'_' => (b as char).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn file_names_are_encoded() {
        assert_eq!(super::percent_encode("Facture acquittée F-1.pdf"), "Facture%20acquitt%C3%A9e%20F-1.pdf");
    }
}
