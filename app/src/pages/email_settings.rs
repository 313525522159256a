//! « Paramètres › E-mails »: the texts of the e-mails sent for the business, with their
//! placeholders, checked by the same rules as on the server.

use super::settings::SettingsTabs;
use crate::components::form::ErrorBanner;
use crate::components::resource::resource;
use crate::domain::email_template::{EmailTemplate, PLACEHOLDERS};
use crate::error::AppError;
use crate::functions::email::{email_templates, save_email_template, TemplateView};
use leptos::prelude::*;
use leptos_meta::Title;

#[cfg_attr(any(feature = "ssr", feature = "bundle-pages"), island)]
#[cfg_attr(not(any(feature = "ssr", feature = "bundle-pages")), component)]
pub fn EmailSettingsPage() -> impl IntoView {
    crate::components::island::count_hydrated();
    let templates = resource(|| (), |_| email_templates());
    view! {
        <Title text="E-mails · Paramètres"/>
        <div class="page-header"><h1>"Paramètres"</h1></div>
        <SettingsTabs current="/parametres/e-mails"/>
        <section class="card">
            <h2>"Variables disponibles"</h2>
            <ul class="placeholders">
                {PLACEHOLDERS.into_iter().map(|(name, meaning)| view! { <li><code>{format!("{{{name}}}")}</code>" : "{meaning}</li> }).collect_view()}
            </ul>
        </section>
        <Suspense fallback=|| view! { <p class="loading">"Chargement des modèles…"</p> }>
            {move || Suspend::new(async move {
                match templates.await {
                    Ok(list) => list.into_iter().map(|t| view! { <TemplateForm initial=t/> }).collect_view().into_any(),
                    Err(e) => view! { <ErrorBanner error=Signal::derive(move || Some(e.clone()))/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn TemplateForm(initial: TemplateView) -> impl IntoView {
    let kind = initial.kind.clone();
    let subject = RwSignal::new(initial.template.subject);
    let body = RwSignal::new(initial.template.body);
    let live =
        Memo::new(move |_| EmailTemplate { subject: subject.get(), body: body.get() }.validate().err());
    let server_error = RwSignal::new(None::<AppError>);
    let saved = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let error_of = move |f: &'static str| move || live.with(|e| e.as_ref().and_then(|e| e.get(f)));
    let id = format!("modele-{}", initial.kind);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if live.with_untracked(Option::is_some) {
            return;
        }
        let kind = kind.clone();
        busy.set(true);
        leptos::task::spawn_local(async move {
            match save_email_template(kind, subject.get_untracked(), body.get_untracked()).await {
                Ok(()) => {
                    saved.set(true);
                    server_error.set(None);
                }
                Err(e) => server_error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    view! {
        <form class="card template-form" on:submit=submit novalidate>
            <h2>{initial.label}</h2>
            <div class="field" class:has-error=move || error_of("subject")().is_some()>
                <label for=format!("{id}-objet")>"Objet"</label>
                <input id=format!("{id}-objet") prop:value=move || subject.get()
                    on:input=move |ev| { saved.set(false); subject.set(event_target_value(&ev)); }/>
                <p class="field-message"><span class="field-error">{error_of("subject")}</span></p>
            </div>
            <div class="field" class:has-error=move || error_of("body")().is_some()>
                <label for=format!("{id}-message")>"Message"</label>
                <textarea id=format!("{id}-message") rows="8" prop:value=move || body.get()
                    on:input=move |ev| { saved.set(false); body.set(event_target_value(&ev)); }></textarea>
                <p class="field-message"><span class="field-error">{error_of("body")}</span></p>
            </div>
            <ErrorBanner error=server_error/>
            {move || saved.get().then(|| view! { <p class="alert alert-success" role="status">"Modèle enregistré."</p> })}
            <div class="form-buttons">
                <button type="submit" class="btn btn-primary" disabled=move || busy.get() || live.with(Option::is_some)>"Enregistrer le modèle"</button>
            </div>
        </form>
    }
    .into_any()
}
