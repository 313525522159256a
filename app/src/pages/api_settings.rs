//! « Paramètres › API »: create and revoke the keys integrations use for the REST API.

use super::settings::SettingsTabs;
use crate::components::form::ErrorBanner;
use crate::components::resource::resource;
use crate::functions::api_keys::{list_api_keys, CreateApiKey, NewApiKey, RevokeApiKey};
use leptos::prelude::*;
use leptos_meta::Title;

#[cfg_attr(any(feature = "ssr", feature = "bundle-pages"), island)]
#[cfg_attr(not(any(feature = "ssr", feature = "bundle-pages")), component)]
pub fn ApiSettingsPage() -> impl IntoView {
    crate::components::island::count_hydrated();
    let create = ServerAction::<CreateApiKey>::new();
    let revoke = ServerAction::<RevokeApiKey>::new();
    let keys = resource(move || (create.version().get(), revoke.version().get()), |_| list_api_keys());
    let name = RwSignal::new(String::new());
    let created = move || create.value().get().and_then(Result::ok);
    let error = Signal::derive(move || {
        create.value().get().and_then(Result::err).or_else(|| revoke.value().get().and_then(Result::err))
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        create.dispatch(CreateApiKey { name: name.get_untracked() });
        name.set(String::new());
    };

    view! {
        <Title text="API · Paramètres"/>
        <div class="page-header"><h1>"Paramètres"</h1></div>
        <SettingsTabs current="/parametres/api"/>
        <section class="card">
            <h2>"Clés d'API"</h2>
            <p>
                "Une clé permet à un autre logiciel (comptabilité, site marchand…) d'utiliser l'API REST de Reglo "
                "au nom de votre entreprise : " <code>"Authorization: Bearer <clé>"</code> ". "
                <a href="/api/v1/openapi.json" class="link-blue">"Description OpenAPI"</a>
            </p>
            <form class="toolbar" on:submit=on_submit>
                <input class="search" aria-label="Nom de la clé" placeholder="Nom de la clé (ex. : Comptabilité)"
                    maxlength="80" prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                <button type="submit" class="btn btn-primary" disabled=move || create.pending().get()>"Créer une clé"</button>
            </form>
            {move || created().map(|NewApiKey { key, .. }| view! {
                <div class="alert alert-success" role="status">
                    <p>"Voici votre nouvelle clé. Copiez-la maintenant : elle ne sera plus jamais affichée."</p>
                    <code class="api-key-secret">{key}</code>
                </div>
            })}
            <ErrorBanner error=error/>
        </section>
        <Transition fallback=|| view! { <p class="loading">"Chargement des clés…"</p> }>
            {move || Suspend::new(async move {
                match keys.await {
                    Err(e) => view! { <ErrorBanner error=Signal::derive(move || Some(e.clone()))/> }.into_any(),
                    Ok(list) if list.is_empty() => view! {
                        <section class="card empty-state">
                            <h2>"Aucune clé active"</h2>
                            <p>"Créez une clé pour connecter un autre logiciel."</p>
                        </section>
                    }.into_any(),
                    Ok(list) => view! {
                        <section class="card table-card">
                            <table>
                                <thead><tr><th>"Nom"</th><th>"Clé"</th><th>"Créée le"</th><th>"Dernière utilisation"</th><th><span class="sr-only">"Actions"</span></th></tr></thead>
                                <tbody>
                                    {list.into_iter().map(|k| {
                                        let id = k.id;
                                        view! {
                                            <tr>
                                                <td>{k.name}</td>
                                                <td><code>{format!("{}…", k.prefix)}</code></td>
                                                <td>{k.created}</td>
                                                <td>{k.last_used.unwrap_or_else(|| "Jamais".into())}</td>
                                                <td class="row-actions">
                                                    <button class="btn btn-ghost" on:click=move |_| { revoke.dispatch(RevokeApiKey { id }); }>"Révoquer"</button>
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
