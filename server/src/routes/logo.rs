//! Logo upload (a plain multipart form, so it works without JavaScript) and logo files.

use app::domain::{LogoError, LogoFormat};
use app::services::business;
use app::state::AppState;
use axum::body::Body;
use axum::extract::{Multipart, Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};

const SETTINGS_PAGE: &str = "/parametres/entreprise";

/// `POST /parametres/logo`: stores the uploaded logo and returns to the settings page with the
/// outcome in its address.
pub async fn upload(State(state): State<AppState>, headers: HeaderMap, mut multipart: Multipart) -> Response {
    let user = match super::session_user(&state, &headers).await {
        Ok(user) => user,
        Err(response) => return response,
    };
    let mut bytes = None;
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) if field.name() == Some("logo") => match field.bytes().await {
                Ok(b) => bytes = Some(b),
                Err(_) => return back(Err(LogoError::TooLarge)),
            },
            Ok(Some(_)) => continue,
            Ok(None) => break,
            Err(_) => return back(Err(LogoError::TooLarge)),
        }
    }
    let bytes = bytes.unwrap_or_default();
    let format = match LogoFormat::detect(&bytes) {
        Ok(format) => format,
        Err(e) => return back(Err(e)),
    };
    let clean = match app::services::cpu::run("decoding a logo", move || reencode(&bytes, format)).await {
        Ok(Ok(clean)) => clean,
        Ok(Err(e)) => return back(Err(e)),
        Err(e) => return (StatusCode::SERVICE_UNAVAILABLE, e.to_string()).into_response(),
    };
    match business::set_logo(&state, user.business_id, &clean).await {
        Ok(()) => back(Ok(())),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// The logo decoded within limits (dimensions, memory) and encoded again in its format: only
/// pixels are kept — no metadata (EXIF position, comments), nothing a crafted file hid.
fn reencode(bytes: &[u8], format: LogoFormat) -> Result<Vec<u8>, LogoError> {
    let mut reader = image::ImageReader::with_format(
        std::io::Cursor::new(bytes),
        match format {
            LogoFormat::Png => image::ImageFormat::Png,
            LogoFormat::Jpeg => image::ImageFormat::Jpeg,
        },
    );
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(LogoFormat::MAX_SIDE);
    limits.max_image_height = Some(LogoFormat::MAX_SIDE);
    limits.max_alloc = Some(64 * 1024 * 1024);
    reader.limits(limits);
    let image = reader.decode().map_err(|e| match e {
        image::ImageError::Limits(_) => LogoError::TooManyPixels,
        _ => LogoError::Unreadable,
    })?;
    let mut out = std::io::Cursor::new(Vec::new());
    match format {
        LogoFormat::Png => image.write_to(&mut out, image::ImageFormat::Png),
        // JPEG has no alpha channel.
        LogoFormat::Jpeg => image::DynamicImage::ImageRgb8(image.to_rgb8())
            .write_with_encoder(image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)),
    }
    .map_err(|_| LogoError::Unreadable)?;
    Ok(out.into_inner())
}

fn back(outcome: Result<(), LogoError>) -> Response {
    let code = match outcome {
        Ok(()) => "ok",
        Err(e) => e.code(),
    };
    Redirect::to(&format!("{SETTINGS_PAGE}?logo={code}#logo")).into_response()
}

/// `GET /media/logos/{file}`: logo files are named after their content, so they never change.
pub async fn file(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    let Some((stem, ext)) = file.split_once('.') else { return StatusCode::NOT_FOUND.into_response() };
    let format = match ext {
        "png" => LogoFormat::Png,
        "jpg" => LogoFormat::Jpeg,
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    if stem.len() != 32 || !stem.bytes().all(|b| b.is_ascii_hexdigit()) {
        return StatusCode::NOT_FOUND.into_response();
    }
    match tokio::fs::read(state.settings.logo_dir().join(&file)).await {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, format.content_type()),
                (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
            ],
            Body::from(bytes),
        )
            .into_response(),
        Err(_) => StatusCode::NOT_FOUND.into_response(),
    }
}
