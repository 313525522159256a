//! The logged-in app's frame: top bar with the business, navigation and log-out.

use super::resource::resource;
use crate::functions::auth::{shell_info, LogOut, ResendConfirmation};
use leptos::prelude::*;
use leptos_router::components::{Outlet, A};

/// Rendered on the server around every logged-in page, whose island runs inside `<main>`.
/// « Se déconnecter » is a plain form.
#[component]
pub fn AppShell() -> impl IntoView {
    let info = resource(|| (), |_| shell_info());
    let log_out = ServerAction::<LogOut>::new();

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
                                <ResendConfirmationLink/>
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
                    <button type="submit" class="btn btn-ghost logout">"Se déconnecter"</button>
                </ActionForm>
            </nav>
            <main class="content">
                <Outlet/>
            </main>
        </div>
    }
}

/// « Renvoyer le lien » of the e-mail confirmation, and its outcome. In every page's bundle, so
/// it calls its server function with a plain `fetch` rather than an action and its codecs: the
/// dashboard's bundle then holds no JSON reader. It posts by itself before the page is live.
#[island]
fn ResendConfirmationLink() -> impl IntoView {
    use leptos::server_fn::ServerFn;
    crate::components::island::count_hydrated();
    let pending = RwSignal::new(false);
    let outcome = RwSignal::new(None::<Result<(), String>>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        pending.set(true);
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            use crate::components::fetch::{error_message, send};
            outcome.set(Some(match send("POST", ResendConfirmation::url()).await {
                Ok((200..=299, _)) => Ok(()),
                Ok((_, body)) => Err(error_message(&body)
                    .unwrap_or_else(|| "Le lien n'a pas pu être renvoyé. Réessayez dans un instant.".into())),
                Err(()) => Err("Le lien n'a pas pu être renvoyé : vérifiez votre connexion.".into()),
            }));
            pending.set(false);
        });
    };
    view! {
        <form method="post" action=ResendConfirmation::url() on:submit=submit>
            <button type="submit" class="btn btn-ghost" disabled=move || pending.get()>"Renvoyer le lien"</button>
        </form>
        {move || outcome.get().map(|r| match r {
            Ok(()) => view! { <p role="status">"Lien renvoyé."</p> }.into_any(),
            Err(e) => view! { <p role="alert">{e}</p> }.into_any(),
        })}
    }
}

/// Shows the business's saved name, logo and colour in the top bar, which the server rendered
/// outside the settings page's island.
pub fn refresh_top_bar() {
    #[cfg(feature = "hydrate")]
    leptos::task::spawn_local(async {
        let Ok(info) = shell_info().await else { return };
        let Some(bar) = document().query_selector(".topbar").ok().flatten() else { return };
        let _ = bar.set_attribute("style", &brand_style(&info.brand_color));
        if let Some(name) = bar.query_selector(".brand-name").ok().flatten() {
            name.set_text_content(Some(info.business_name.as_deref().unwrap_or("Mon entreprise")));
        }
        let logo = bar.query_selector(".brand-logo").ok().flatten();
        match (info.logo_url, logo) {
            (Some(src), Some(img)) => {
                let _ = img.set_attribute("src", &src);
            }
            (Some(src), None) => {
                let (Ok(img), Some(brand)) =
                    (document().create_element("img"), bar.query_selector(".brand").ok().flatten())
                else {
                    return;
                };
                let _ = img.set_attribute("class", "brand-logo");
                let _ = img.set_attribute("src", &src);
                let _ = img.set_attribute("alt", "Logo");
                let _ = brand.prepend_with_node_1(&img);
            }
            (None, Some(img)) => img.remove(),
            (None, None) => {}
        }
    });
}

/// CSS variables for the brand colour and a readable text colour on it.
pub fn brand_style(color: &str) -> String {
    match crate::domain::BrandColor::parse(color) {
        Ok(c) => format!("--brand:{};--brand-text:{}", c.as_str(), c.contrasting_text()),
        Err(_) => String::new(),
    }
}
