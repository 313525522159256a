//! When a page is live: `body[data-hydrated]` (`crate::HYDRATED`) is set once every island on
//! it has hydrated. The styles read it (controls say they are loading until then), and so do
//! the end-to-end tests.

/// Called first in each island: counts it once it has hydrated.
pub fn count_hydrated() {
    #[cfg(feature = "hydrate")]
    leptos::prelude::Effect::new(|_| {
        HYDRATED_ISLANDS.with(|n| n.set(n.get() + 1));
        mark_when_all_hydrated();
    });
}

#[cfg(feature = "hydrate")]
thread_local! {
    static HYDRATED_ISLANDS: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// Sets the mark once as many islands have hydrated as the page holds; the entry point calls
/// it too, for a page without any.
#[cfg(feature = "hydrate")]
pub fn mark_when_all_hydrated() {
    let document = leptos::prelude::document();
    let islands = document.get_elements_by_tag_name("leptos-island").length();
    if HYDRATED_ISLANDS.with(std::cell::Cell::get) >= islands {
        if let Some(body) = document.body() {
            let _ = body.set_attribute(crate::HYDRATED, "true");
        }
    }
}
