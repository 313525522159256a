//! How long browsers and caches may keep what the server sends, where a handler has not said.
//! The `/pkg` files (WASM, script, styles) whose names carry their content's hash never change:
//! a year, unrevalidated. Without hashed names they are checked again on each use. Pages are
//! private to the person logged in: never kept by a shared cache, revalidated by the browser.

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

/// `hashed`: whether the site's `/pkg` file names carry their content's hash.
pub async fn cache_control(State(hashed): State<bool>, req: Request, next: Next) -> Response {
    let pkg = req.uri().path().starts_with("/pkg/");
    let mut res = next.run(req).await;
    if res.headers().contains_key(header::CACHE_CONTROL) {
        return res;
    }
    let html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let value = match (pkg, hashed && res.status().is_success()) {
        (true, true) => "public, max-age=31536000, immutable",
        (true, false) => "no-cache",
        (false, _) if html => "private, no-cache",
        (false, _) => return res,
    };
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    res
}
