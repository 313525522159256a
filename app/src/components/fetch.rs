//! Plain HTTP from an island, for the dashboard's bundle: the browser's `fetch` and JSON reader
//! instead of the server functions' codecs, so that bundle carries no JSON reader of its own.

/// `method` on `url` (same origin, the session's cookie along): the status and the body's text.
/// `Err` when the request could not be made at all (offline).
#[cfg(feature = "hydrate")]
pub async fn send(method: &str, url: &str) -> Result<(u16, String), ()> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    // As a server function's own call: its arguments, here none, form-encoded.
    if method == "POST" {
        let headers = web_sys::Headers::new().map_err(drop)?;
        headers.append("Content-Type", "application/x-www-form-urlencoded").map_err(drop)?;
        init.set_headers(&headers);
    }
    let response = JsFuture::from(leptos::prelude::window().fetch_with_str_and_init(url, &init))
        .await
        .map_err(drop)?
        .dyn_into::<web_sys::Response>()
        .map_err(drop)?;
    let text = JsFuture::from(response.text().map_err(drop)?).await.map_err(drop)?;
    Ok((response.status(), text.as_string().unwrap_or_default()))
}

/// The message of an `AppError` a server function answered with (`{"Refused":"…"}`), read by
/// the browser's JSON parser; `None` for an error without one.
#[cfg(feature = "hydrate")]
pub fn error_message(body: &str) -> Option<String> {
    use wasm_bindgen::JsCast;
    let value = js_sys::JSON::parse(body).ok()?;
    let object = value.dyn_ref::<js_sys::Object>()?;
    js_sys::Object::values(object).get(0).as_string()
}
