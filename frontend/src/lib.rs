//! The browser entry point. Pages render on the server, and only their islands (`#[island]`
//! in `app::pages`) run here: Leptos's loader hydrates each once this has set things up.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    // A server function that answers with a redirect (logging in) opens that page.
    let _ = leptos::server_fn::redirect::set_redirect_hook(|location: &str| {
        let _ = leptos::prelude::window().location().set_href(location);
    });
    app::components::island::mark_when_all_hydrated();
}
