//! Form building blocks: a labelled field with its hint or error, and an error banner.

use crate::domain::{BusinessProfileInput, ClientInput, FieldErrors};
use crate::error::AppError;
use leptos::prelude::*;
use std::collections::BTreeSet;

/// A form's input as the generic fields see it: named text fields and their validation.
pub trait FormFields: Clone + PartialEq + Send + Sync + 'static {
    const FIELDS: &'static [&'static str];
    fn get(&self, name: &str) -> &str;
    fn set(&mut self, name: &str, value: String);
    /// The same validation the server runs before saving.
    fn errors(&self) -> FieldErrors;
}

/// Both inputs expose `FIELDS`, `field`, `field_mut` and `validate`.
macro_rules! form_fields {
    ($($input:ty),+) => {$(
        impl FormFields for $input {
            const FIELDS: &'static [&'static str] = &<$input>::FIELDS;
            fn get(&self, name: &str) -> &str {
                self.field(name)
            }
            fn set(&mut self, name: &str, value: String) {
                if let Some(slot) = self.field_mut(name) {
                    *slot = value;
                }
            }
            fn errors(&self) -> FieldErrors {
                self.validate().err().unwrap_or_default()
            }
        }
    )+};
}

form_fields!(BusinessProfileInput, ClientInput);

/// A form's state: what is typed, which fields were touched, and the live validation.
pub struct FormState<T: FormFields> {
    pub input: RwSignal<T>,
    pub touched: RwSignal<BTreeSet<&'static str>>,
    pub errors: Memo<FieldErrors>,
    /// Set after a successful save, cleared by the next edit.
    pub saved: RwSignal<bool>,
}

impl<T: FormFields> Clone for FormState<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: FormFields> Copy for FormState<T> {}

impl<T: FormFields> FormState<T> {
    pub fn new(initial: T) -> Self {
        let input = RwSignal::new(initial);
        Self {
            input,
            touched: RwSignal::new(BTreeSet::new()),
            errors: Memo::new(move |_| input.with(T::errors)),
            saved: RwSignal::new(false),
        }
    }

    pub fn value(self, name: &'static str) -> Signal<String> {
        Signal::derive(move || self.input.with(|i| i.get(name).to_owned()))
    }

    pub fn is(self, name: &'static str, expected: &'static str) -> impl Fn() -> bool + Copy + Send + Sync {
        move || self.input.with(|i| i.get(name) == expected)
    }

    pub fn set(self, name: &'static str, value: String) {
        self.input.update(|i| i.set(name, value));
        self.touched.update(|t| {
            t.insert(name);
        });
        self.saved.set(false);
    }

    pub fn setter(self, name: &'static str) -> Callback<String> {
        Callback::new(move |value| self.set(name, value))
    }

    /// A field's error, once the user has typed in it or tried to save.
    pub fn error(self, name: &'static str) -> Signal<Option<String>> {
        Signal::derive(move || {
            if self.touched.with(|t| t.contains(name)) {
                self.errors.with(|e| e.get(name))
            } else {
                None
            }
        })
    }

    /// Shows every field's error and puts the cursor in the first; true when there is none.
    pub fn check_all(self) -> bool {
        self.touched.set(T::FIELDS.iter().copied().collect());
        let valid = self.errors.with_untracked(FieldErrors::is_empty);
        if !valid {
            focus_first_error();
        }
        valid
    }

    /// Replaces the input (e.g. with what the server saved) and forgets what was touched.
    pub fn reset(self, value: T) {
        self.input.set(value);
        self.touched.set(BTreeSet::new());
    }
}

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

/// Puts the cursor in the first field shown in error (which scrolls it into view), once the
/// page has drawn the errors: a long form's error may be far from the button clicked.
pub fn focus_first_error() {
    focus_soon(
        "[aria-invalid='true'], .has-error input, .has-error select, .has-error textarea, \
         input.invalid, textarea.invalid",
    );
}

/// Focuses the first element matching `selector` once the page has drawn it: where a keyboard
/// user must land after what they clicked is replaced (a confirmation opening or closing).
pub fn focus_soon(selector: &'static str) {
    #[cfg(feature = "hydrate")]
    request_animation_frame(move || {
        use wasm_bindgen::JsCast;
        if let Some(element) = document()
            .query_selector(selector)
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = element.focus();
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = selector;
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
