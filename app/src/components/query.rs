//! A list page's filters, kept in its address so that a filtered list can be bookmarked and
//! reloaded. The server reads them for the page's island; the island changes them in place
//! and the address follows, without loading the page again.

use super::navigation::show_address;
use leptos::prelude::*;

/// The address's parameters named `keys`, as the route passes them to its island.
pub fn read(keys: &[&str]) -> Vec<(String, String)> {
    let query = leptos_router::hooks::use_query_map();
    query.with_untracked(|q| {
        keys.iter().filter_map(|k| q.get(k).filter(|v| !v.is_empty()).map(|v| (k.to_string(), v))).collect()
    })
}

/// The filters an island shows, and the address it keeps them in (`path`, without them).
#[derive(Clone, Copy)]
pub struct AddressQuery {
    path: &'static str,
    params: RwSignal<Vec<(String, String)>>,
}

impl AddressQuery {
    pub fn new(path: &'static str, params: Vec<(String, String)>) -> Self {
        Self { path, params: RwSignal::new(params) }
    }

    /// The parameter's value, empty when absent.
    pub fn get(self, key: &str) -> String {
        self.params.with(|p| p.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone()).unwrap_or_default())
    }

    /// Whether any filter is set.
    pub fn any(self) -> bool {
        self.params.with(|p| !p.is_empty())
    }

    /// Sets the parameter (an empty value removes it) and shows it in the address.
    pub fn set(self, key: &str, value: String) {
        self.params.update(|p| {
            p.retain(|(k, _)| k != key);
            if !value.is_empty() {
                p.push((key.to_owned(), value));
            }
        });
        let query = self.params.with_untracked(|p| query_string(p));
        show_address(&format!("{}{query}", self.path));
    }
}

/// `?a=1&b=x%20y`, or nothing.
fn query_string(params: &[(String, String)]) -> String {
    #[cfg(feature = "hydrate")]
    if let Ok(search) = web_sys::UrlSearchParams::new() {
        for (k, v) in params {
            search.append(k, v);
        }
        let query: String = search.to_string().into();
        return if query.is_empty() { query } else { format!("?{query}") };
    }
    let _ = params;
    String::new()
}
