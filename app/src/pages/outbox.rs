//! « Boîte d'envoi »: every e-mail Reglo sent or will send for the business, with its delivery
//! state, and each message as the client sees it.

use crate::components::form::ErrorBanner;
use crate::components::navigation::address_id;
use crate::components::resource::resource;
use crate::functions::email::{list_outbox, RetryEmail};
use leptos::prelude::*;
use leptos_meta::Title;

#[cfg_attr(any(feature = "ssr", feature = "bundle-pages"), island)]
#[cfg_attr(not(any(feature = "ssr", feature = "bundle-pages")), component)]
pub fn OutboxPage() -> impl IntoView {
    crate::components::island::count_hydrated();
    let retry = ServerAction::<RetryEmail>::new();
    let messages = resource(move || retry.version().get(), |_| list_outbox(None));
    view! {
        <Title text="Boîte d'envoi"/>
        <div class="page-header"><h1>"Boîte d'envoi"</h1></div>
        <ErrorBanner error=Signal::derive(move || retry.value().get().and_then(Result::err))/>
        <Transition fallback=|| view! { <p class="loading">"Chargement des e-mails…"</p> }>
            {move || Suspend::new(async move {
                match messages.await {
                    Err(e) => view! { <ErrorBanner error=Signal::derive(move || Some(e.clone()))/> }.into_any(),
                    Ok(list) if list.is_empty() => view! {
                        <section class="card empty-state">
                            <h2>"Aucun e-mail envoyé pour l'instant"</h2>
                            <p>"Les factures envoyées depuis leur page apparaissent ici, avec leur état de remise."</p>
                        </section>
                    }.into_any(),
                    Ok(list) => view! {
                        <section class="card table-card">
                            <table>
                                <thead><tr><th>"Date"</th><th>"Destinataires"</th><th>"Objet"</th><th>"État"</th><th><span class="sr-only">"Actions"</span></th></tr></thead>
                                <tbody>
                                    {list.into_iter().map(|m| {
                                        let id = m.id;
                                        view! {
                                            <tr>
                                                <td>{m.date}</td>
                                                <td>{m.recipients}</td>
                                                <td><a href=format!("/boite-d-envoi/{id}")>{m.subject}</a></td>
                                                <td class:outbox-failed=m.failed title=m.error.clone().unwrap_or_default()>{m.status_label}</td>
                                                <td class="row-actions">
                                                    {m.failed.then(|| view! {
                                                        <button class="btn btn-ghost" on:click=move |_| { retry.dispatch(RetryEmail { id }); }>"Réessayer"</button>
                                                    })}
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </section>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

/// One message, rendered on the server only: nothing on it changes, so the page does not carry
/// its data a second time for the browser.
#[component]
pub fn OutboxMessagePage() -> impl IntoView {
    let id = address_id().unwrap_or(-1);
    view! {
        <Title text="E-mail"/>
        <p><a href="/boite-d-envoi">"← Boîte d'envoi"</a></p>
        <Suspense fallback=|| view! { <p class="loading">"Chargement de l'e-mail…"</p> }>
            {move || Suspend::new(async move {
                match list_outbox(Some(id)).await.map(|mut list| list.pop()) {
                    Ok(Some(m)) => view! {
                        <div class="page-header"><h1 class="mail-subject">{m.subject.clone()}</h1><span class="status">{m.status_label.clone()}</span></div>
                        <section class="card">
                            <p><strong>"À : "</strong>{m.recipients.clone()}</p>
                            <p><strong>"Date : "</strong>{m.date.clone()}</p>
                            {m.attachment.clone().map(|a| view! { <p><strong>"Pièce jointe : "</strong>{a}</p> })}
                            {m.invoice_id.map(|i| view! { <p><a href=format!("/factures/{i}")>"Voir la facture"</a></p> })}
                            {m.quote_id.map(|i| view! { <p><a href=format!("/devis/{i}")>"Voir le devis"</a></p> })}
                            {m.error.clone().map(|e| view! { <p class="alert alert-error">{format!("Dernière erreur : {e}")}</p> })}
                            {if m.html.is_empty() && m.text.is_empty() {
                                // Emptied after the retention period: only who, what and when remain.
                                view! { <p class="hint" data-testid="mail-emptied">"Le contenu de cet e-mail et sa pièce jointe ont été effacés après la durée de conservation. La facture, elle, reste consultable."</p> }.into_any()
                            } else {
                                view! {
                                    <div class="mail-preview">
                                        <iframe title="Contenu de l'e-mail" sandbox="allow-popups allow-popups-to-escape-sandbox" srcdoc=m.html.clone()></iframe>
                                    </div>
                                    <details>
                                        <summary>"Version texte"</summary>
                                        <pre class="mail-text">{m.text.clone()}</pre>
                                    </details>
                                }.into_any()
                            }}
                        </section>
                    }.into_any(),
                    Ok(None) => view! { <p>"Ce message n'existe pas."</p> }.into_any(),
                    Err(e) => view! { <ErrorBanner error=Signal::derive(move || Some(e.clone()))/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
