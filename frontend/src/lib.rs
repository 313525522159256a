//! The browser entry point: it hydrates the server-rendered app, once the WASM chunk of the
//! page shown has loaded (pages are lazy routes, see `app::pages`).
// Leptos views are deeply nested types.
#![recursion_limit = "256"]

use leptos::prelude::document;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    let body = document().body().expect("a page has a body");
    wasm_bindgen_futures::spawn_local(async move {
        let app = leptos::mount::hydrate_from_async(body.clone(), app::App).await;
        // The app lives as long as the page.
        app.forget();
        // Lets end-to-end tests (and people, through the styles) know the page has become
        // interactive: set only now, after the page's own chunk has hydrated too.
        let _ = body.set_attribute(app::HYDRATED, "true");
    });
}
