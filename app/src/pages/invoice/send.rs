//! « Envoyer par e-mail »: recipients, optional copy, subject and message pre-filled from the
//! business's template, and a live preview built by the same code as the message sent.

use crate::components::form::ErrorBanner;
use crate::components::resource::resource;
use crate::domain::email_message::html_part;
use crate::domain::email_template::EmailTemplate;
use crate::error::AppError;
use crate::functions::email::{compose_invoice_email, send_invoice_email, ComposeView};
use leptos::prelude::*;

#[component]
pub fn SendDialog(id: i64, on_done: Callback<bool>) -> impl IntoView {
    let composition = resource(move || id, compose_invoice_email);
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Préparation du message…"</p> }>
            {move || Suspend::new(async move {
                match composition.await {
                    Ok(c) => view! { <SendForm id composition=c on_done/> }.into_any(),
                    Err(e) => view! { <ErrorBanner error=Signal::derive(move || Some(e.clone()))/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SendForm(id: i64, composition: ComposeView, on_done: Callback<bool>) -> impl IntoView {
    let recipients = RwSignal::new(composition.recipients);
    let copy = RwSignal::new(false);
    let subject = RwSignal::new(composition.subject);
    let body = RwSignal::new(composition.body);
    let frame = composition.frame;
    let owner = composition.owner_email;
    let preview = move || html_part(&EmailTemplate { subject: subject.get(), body: body.get() }, &frame);
    let error = RwSignal::new(None::<AppError>);
    let busy = RwSignal::new(false);
    let field_error = move |f: &'static str| move || error.with(|e| e.as_ref().and_then(|e| e.field(f)));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        leptos::task::spawn_local(async move {
            let sent = send_invoice_email(
                id,
                recipients.get_untracked(),
                copy.get_untracked(),
                subject.get_untracked(),
                body.get_untracked(),
            )
            .await;
            busy.set(false);
            match sent {
                Ok(()) => on_done.run(true),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <form class="send-form" on:submit=submit novalidate>
            <div class="send-grid">
                <div>
                    <div class="field" class:has-error=move || field_error("recipients")().is_some()>
                        <label for="envoi-destinataires">"Destinataires"</label>
                        <input id="envoi-destinataires" prop:value=move || recipients.get()
                            on:input=move |ev| recipients.set(event_target_value(&ev))/>
                        <p class="field-message">
                            {move || match field_error("recipients")() {
                                Some(e) => view! { <span class="field-error">{e}</span> }.into_any(),
                                None => view! { <span class="field-hint">"Plusieurs adresses séparées par des virgules."</span> }.into_any(),
                            }}
                        </p>
                    </div>
                    <label class="checkbox">
                        <input type="checkbox" prop:checked=move || copy.get() on:change=move |ev| copy.set(event_target_checked(&ev))/>
                        {format!("M'envoyer une copie ({owner})")}
                    </label>
                    <div class="field" class:has-error=move || field_error("subject")().is_some()>
                        <label for="envoi-objet">"Objet"</label>
                        <input id="envoi-objet" prop:value=move || subject.get() on:input=move |ev| subject.set(event_target_value(&ev))/>
                        <p class="field-message"><span class="field-error">{field_error("subject")}</span></p>
                    </div>
                    <div class="field" class:has-error=move || field_error("body")().is_some()>
                        <label for="envoi-message">"Message"</label>
                        <textarea id="envoi-message" rows="10" prop:value=move || body.get()
                            on:input=move |ev| body.set(event_target_value(&ev))></textarea>
                        <p class="field-message"><span class="field-error">{field_error("body")}</span></p>
                    </div>
                    <p class="field-hint">"La facture est jointe en PDF."</p>
                </div>
                <div class="mail-preview">
                    <p class="field-hint">"Aperçu, tel que votre client le recevra :"</p>
                    <iframe title="Aperçu de l'e-mail" sandbox="" srcdoc=preview></iframe>
                </div>
            </div>
            {move || error.get().filter(|e| !matches!(e, AppError::Invalid(_))).map(|e| view! {
                <p class="alert alert-error" role="alert">{e.to_string()}</p>
            })}
            <div class="form-buttons">
                <button type="button" class="btn btn-ghost" on:click=move |_| on_done.run(false)>"Annuler"</button>
                <button type="submit" class="btn btn-primary" disabled=move || busy.get()>
                    {move || if busy.get() { "Envoi…" } else { "Envoyer" }}
                </button>
            </div>
        </form>
    }
    .into_any()
}
