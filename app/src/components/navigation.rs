//! Moving between pages from an island. Pages render on the server and only their islands run
//! in the browser, without a router there: another page is a page load, like a link.

/// Opens `path` as a link would.
pub fn go_to(path: &str) {
    #[cfg(feature = "hydrate")]
    let _ = leptos::prelude::window().location().assign(path);
    #[cfg(not(feature = "hydrate"))]
    let _ = path;
}

/// Shows `path` in the address bar in place of the current address, without loading it: the
/// page already shows what `path` names (a new draft that was just given its own address).
pub fn show_address(path: &str) {
    #[cfg(feature = "hydrate")]
    if let Ok(history) = leptos::prelude::window().history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(path));
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = path;
}

/// The `:id` in the page's address (`/factures/12`), read by its route on the server; none for
/// a new document (`/factures/nouvelle`).
pub fn address_id() -> Option<i64> {
    use leptos::prelude::WithUntracked;
    leptos_router::hooks::use_params_map().with_untracked(|p| p.get("id").and_then(|v| v.parse().ok()))
}

/// The invoice or quote a page shows: its id (none while a new one is being written) and how
/// many times it was shown anew, for its resource to load again even when the id stays.
#[derive(Clone, Copy)]
pub struct ShownDocument {
    id: leptos::prelude::RwSignal<Option<i64>>,
    shown: leptos::prelude::RwSignal<u32>,
}

impl ShownDocument {
    pub fn new(id: Option<i64>) -> Self {
        use leptos::prelude::RwSignal;
        Self { id: RwSignal::new(id), shown: RwSignal::new(0) }
    }

    /// What the page's resource loads, and reloads when it changes.
    pub fn key(self) -> (Option<i64>, u32) {
        use leptos::prelude::Get;
        (self.id.get(), self.shown.get())
    }

    /// Shows the document `id` as the server now has it (a draft just issued or sent), at its
    /// own address `path`.
    pub fn show(self, path: &str, id: i64) {
        use leptos::prelude::{Set, Update};
        show_address(path);
        self.id.set(Some(id));
        self.shown.update(|n| *n += 1);
    }
}
