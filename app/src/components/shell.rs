//! The logged-in app's frame: top bar with the business, navigation and log-out.

use super::resource::resource;
use crate::functions::auth::{shell_info, LogOut, ResendConfirmation};
use leptos::prelude::*;
use leptos_router::components::{Outlet, A};

/// Bumped when the profile is saved, so the top bar shows the new name, logo and colour.
#[derive(Clone, Copy)]
pub struct ProfileVersion(pub RwSignal<u32>);

#[component]
pub fn AppShell() -> impl IntoView {
    let version = RwSignal::new(0u32);
    provide_context(ProfileVersion(version));
    let info = resource(move || version.get(), |_| shell_info());
    let log_out = ServerAction::<LogOut>::new();
    let resend = ServerAction::<ResendConfirmation>::new();

    view! {
        <div class="app">
            <Transition fallback=|| view! { <header class="topbar"><span class="brand-name">"Reglo"</span></header> }>
                {move || Suspend::new(async move {
                    let info = info.await.ok();
                    let style = info.as_ref().map(|i| brand_style(&i.brand_color)).unwrap_or_default();
                    let test_mode = info.as_ref().is_some_and(|i| i.test_mode);
                    let unconfirmed = info.as_ref().filter(|i| !i.email_confirmed).map(|i| i.email.clone());
                    view! {
                        {unconfirmed.map(|email| view! {
                            <div class="confirm-banner" role="note" data-testid="confirm-email">
                                <p>{format!("Confirmez votre adresse e-mail pour envoyer vos factures : cliquez sur le lien envoyé à {email}. \
                                    En attendant, Reglo n'envoie de messages qu'à vous (voyez la Boîte d'envoi).")}</p>
                                <ActionForm action=resend>
                                    <button type="submit" class="btn btn-ghost" disabled=move || resend.pending().get()>"Renvoyer le lien"</button>
                                </ActionForm>
                                {move || resend.value().get().map(|r| match r {
                                    Ok(()) => view! { <p role="status">"Lien renvoyé."</p> }.into_any(),
                                    Err(e) => view! { <p role="alert">{e.to_string()}</p> }.into_any(),
                                })}
                            </div>
                        })}
                        {test_mode.then(|| view! {
                            <p class="test-banner" role="note" data-testid="test-mode">
                                <strong>"Mode test"</strong>" — les paiements en ligne sont simulés, aucun paiement réel n'a lieu."
                            </p>
                        })}
                        <header class="topbar" style=style>
                            <a href="/" class="brand">
                                {info.as_ref().and_then(|i| i.logo_url.clone()).map(|src| view! { <img class="brand-logo" src=src alt="Logo"/> })}
                                <span class="brand-name">
                                    {info.as_ref().and_then(|i| i.business_name.clone()).unwrap_or_else(|| "Mon entreprise".into())}
                                </span>
                            </a>
                            <span class="topbar-user">{info.map(|i| i.email).unwrap_or_default()}</span>
                        </header>
                    }
                })}
            </Transition>
            <nav class="mainnav" aria-label="Navigation principale">
                <A href="/" exact=true>"Tableau de bord"</A>
                <A href="/factures">"Factures"</A>
                <A href="/devis">"Devis"</A>
                <A href="/clients">"Clients"</A>
                <A href="/recettes">"Recettes"</A>
                <A href="/boite-d-envoi">"Boîte d'envoi"</A>
                <A href="/parametres">"Paramètres"</A>
                <ActionForm action=log_out>
                    <button type="submit" class="btn btn-ghost logout" disabled=move || log_out.pending().get()>
                        "Se déconnecter"
                    </button>
                </ActionForm>
            </nav>
            <main class="content">
                <Outlet/>
            </main>
        </div>
    }
}

/// CSS variables for the brand colour and a readable text colour on it.
pub fn brand_style(color: &str) -> String {
    match crate::domain::BrandColor::parse(color) {
        Ok(c) => format!("--brand:{};--brand-text:{}", c.as_str(), c.contrasting_text()),
        Err(_) => String::new(),
    }
}
