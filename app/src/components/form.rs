//! Form building blocks: a labelled field with its hint or error, and an error banner.

use crate::error::AppError;
use leptos::prelude::*;

/// A label, an input and, below it, either the hint or the field's error.
#[component]
pub fn Field(
    /// The input's `name` (and the field name errors are reported under).
    name: &'static str,
    label: &'static str,
    #[prop(into)] value: Signal<String>,
    on_input: Callback<String>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(optional)] hint: &'static str,
    #[prop(optional)] placeholder: &'static str,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    #[prop(optional)] inputmode: &'static str,
) -> impl IntoView {
    let id = format!("champ-{name}");
    let message_id = format!("{id}-message");
    view! {
        <div class="field" class:has-error=move || error.get().is_some()>
            <label for=id.clone()>{label}</label>
            <input
                id=id
                name=name
                type=input_type
                placeholder=placeholder
                autocomplete=autocomplete
                inputmode=(!inputmode.is_empty()).then_some(inputmode)
                aria-describedby=message_id.clone()
                aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
                value=move || value.get()
                prop:value=move || value.get()
                on:input=move |ev| on_input.run(event_target_value(&ev))
            />
            <p class="field-message" id=message_id>
                {move || match error.get() {
                    Some(message) => view! { <span class="field-error">{message}</span> }.into_any(),
                    None => view! { <span class="field-hint">{hint}</span> }.into_any(),
                }}
            </p>
        </div>
    }
    // Erased so that forms made of many fields keep their view types shallow.
    .into_any()
}

/// A banner for an error that belongs to no single field.
#[component]
pub fn ErrorBanner(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    move || {
        error.get().map(|e| {
            let login_link = matches!(e, AppError::Unauthorized)
                .then(|| view! { " " <a href="/connexion">"Se connecter"</a> });
            view! { <div class="alert alert-error" role="alert">{e.to_string()}{login_link}</div> }
        })
    }
}
